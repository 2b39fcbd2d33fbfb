"""GraphML for Gephi, networkx and igraph, and the flat columns every export shares.

What Gephi's GraphML importer needs, and what this module guarantees:

- keys named after their attribute (``id == attr.name``): Gephi matches a key's id
  before its name, and takes the numbered ids ``d3``/``d7`` of networkx's default
  for yEd's label keys, which would make an arbitrary column the label;
- keys ``for="node"`` or ``for="edge"`` only (Gephi reports graph keys as errors);
- one type per attribute name, and the same type where nodes and edges share a
  name (``label``, ``documents``): the key ids of the two are then the same name, as
  Gephi, networkx and igraph all read by domain and type;
- every value a plain ``str``/``int``/``float``/``bool``, and no character that XML
  1.0 forbids. A node (edge) without a value has no ``data`` element for it, as
  networkx writes it: Gephi shows an empty cell, and a node that is not on the map has
  no ``longitude``, rather than a false ``0.0``.

Gephi reads ``label``, ``x``, ``y``, ``size`` and ``r``/``g``/``b`` of a node as its
label, position, size and colour, and ``label`` and ``weight`` of an edge; the other
attributes become columns of its Data Laboratory.

The document is written as text, a few thousand rows at a time, from the graph's
``Table`` (the plain values every export writes): the bytes networkx's
lxml writer writes for ``plain_graph(graph)``, five times faster, and without an
element object per value.

Gephi merges parallel edges on import. kg's graph has at most one edge per pair of
entities (see ``kg.assemble``): a typed relation, which carries how often the two
were named in one sentence as ``cooccurrences``, or else one ``co_occurs`` edge.
"""
from __future__ import annotations

import contextlib
import errno
import io
import itertools
import math
import operator
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import IO, Any

import networkx as nx

from .. import forked
from . import atomic_write, xml_attribute, xml_escape, xml_text

__all__ = [
    "NODE_COLUMNS",
    "EDGE_COLUMNS",
    "Column",
    "Table",
    "columns",
    "plain_value",
    "plain_graph",
    "RowText",
    "by_presence",
    "present",
    "present_cells",
    "row_values",
    "chunks",
    "first_had",
    "graphml_text",
    "write_graphml",
    "EdgesAhead",
    "EarlierEdges",
]

# the columns first in every export, in this order; any others follow by name
NODE_COLUMNS = ("label", "type", "aliases", "documents", "mentions", "r", "g", "b", "size", "x", "y", "community")
EDGE_COLUMNS = ("relation", "label", "weight", "documents", "evidence", "title", "cooccurrences")

Plain = str | int | float | bool


@dataclass(frozen=True)
class Column:
    """One attribute of the nodes or of the edges, with the one type all its values have."""

    name: str
    type: type  # str, int, float or bool

    def cast(self, value: Plain | None) -> Plain | None:
        if value is None:
            return None
        if self.type is float:
            return float(value)
        if self.type is str and not isinstance(value, str):
            return str(value).lower() if isinstance(value, bool) else str(value)
        return value


def plain_value(value: Any) -> Plain | None:
    """A value as GraphML, CSV and JSON can all hold it; ``None`` for no value.

    Lists and sets become ``a|b|c`` (sets sorted); numpy numbers become Python
    numbers; anything else becomes its text. Text loses the characters XML forbids
    (``xml_text``), in every format, so that all of them hold the same values.
    """
    kind = type(value)
    if kind is str:  # the common cases first: this runs for every value of every export
        return xml_text(value)
    if kind is int or kind is bool:
        return value
    if value is None:
        return None
    if isinstance(value, (set, frozenset)):
        value = sorted(value, key=str)
    if isinstance(value, (list, tuple)):
        return xml_text("|".join(str(v) for v in value))
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()  # numpy scalar
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, (bool, int, float)):
        return value
    return xml_text(str(value))


def _column_type(types: set[type]) -> type:
    if types == {bool}:
        return bool
    if types and types <= {int}:
        return int
    if types and types <= {int, float}:
        return float
    return str


# a row's names and the types of its plain values: a graph's rows have few shapes
Shape = tuple[tuple[Any, ...], tuple[type, ...]]
Cells = tuple[Plain, ...]


def _plain_rows(rows: Iterable[Mapping[str, Any]]) -> list[tuple[Shape, tuple[Plain | None, ...]]]:
    """Each row's shape and plain values (``plain_value``).

    This runs for every value of the graph: a row whose values are plain already (the
    usual case) is kept as it is, after one check of all its values at once.
    """
    out = []
    known: dict[Shape, tuple[Shape, Callable[[tuple[Any, ...]], bool]]] = {}
    for row in rows:
        values = tuple(row.values())
        shape = (tuple(row), tuple(map(type, values)))
        found = known.get(shape)
        if found is None:
            found = known[shape] = (shape, _plain_already(shape[1]))
        shape, plain = found  # one shape object for all the rows of that shape
        if not plain(values):
            values = tuple(map(plain_value, values))
            shape = (shape[0], tuple(map(type, values)))
        out.append((shape, values))
    return out


def _plain_already(kinds: tuple[type, ...]) -> Callable[[tuple[Any, ...]], bool]:
    """Whether ``plain_value`` keeps each of a row's values (of these types) as it is:
    text XML can hold (printable text is), finite numbers."""
    if not all(kind in (str, int, float, bool) for kind in kinds):
        return lambda values: False
    texts = _getter([i for i, kind in enumerate(kinds) if kind is str])
    floats = [i for i, kind in enumerate(kinds) if kind is float]
    if not floats:
        return lambda values: "".join(texts(values)).isprintable()
    numbers = _getter(floats)
    return lambda values: "".join(texts(values)).isprintable() and all(map(math.isfinite, numbers(values)))


def _types(shapes: Iterable[Shape]) -> dict[str, set[type]]:
    """The types of the values under each name; a name only ever without a value is no column."""
    types: dict[str, set[type]] = {}
    for names, kinds in shapes:
        for name, kind in zip(names, kinds):
            if kind is not type(None):
                types.setdefault(str(name), set()).add(kind)
    return types


def _ordered(types: dict[str, set[type]], first: tuple[str, ...]) -> list[Column]:
    names = [n for n in first if n in types] + sorted(n for n in types if n not in first)
    return [Column(n, _column_type(types[n])) for n in names]


def _agreed(nodes: list[Column], edges: list[Column]) -> tuple[list[Column], list[Column]]:
    """A name shared by nodes and edges gets one type: text, if their types differ."""
    node_type = {c.name: c.type for c in nodes}
    clash = {c.name for c in edges if c.name in node_type and node_type[c.name] is not c.type}
    return ([Column(c.name, str) if c.name in clash else c for c in nodes],
            [Column(c.name, str) if c.name in clash else c for c in edges])


def columns(graph: nx.DiGraph) -> tuple[list[Column], list[Column]]:
    """The node and the edge columns of every export: ``NODE_COLUMNS`` (``EDGE_COLUMNS``)
    first, then the others by name. A name shared by nodes and edges gets one type
    (text, if their values' types differ)."""
    table = Table.of(graph)
    return table.node_columns, table.edge_columns


def _getter(positions: list) -> Callable[[Any], tuple]:
    """``operator.itemgetter`` (of positions, or of keys) that always gives a tuple, even of one item or none."""
    if len(positions) > 1:
        return operator.itemgetter(*positions)
    return lambda row: tuple(row[p] for p in positions)


def _picker(shape: Shape, columns: list[Column]) -> Callable[[tuple[Plain | None, ...]], Cells]:
    """What makes the cells of a row of this shape from its values: each column's value
    (``None`` where the row has none), cast to the column's type where it is not."""
    names, kinds = shape
    where = {name: i for i, name in enumerate(names)}
    tail = (None,)
    positions = [where.get(c.name, len(names)) for c in columns]
    casts = [(j, c.cast) for j, c in enumerate(columns) if c.name in where and kinds[where[c.name]] is not c.type]
    if positions == list(range(len(names))) and not casts:
        return _same  # the row's values are its cells already: the usual case
    pick = _getter(positions)

    def cells(values: tuple[Plain | None, ...]) -> Cells:
        row = pick(values + tail)
        if casts:
            row = list(row)
            for j, cast in casts:
                row[j] = cast(row[j])
            return tuple(row)
        return row

    return cells


def _same(values: tuple[Plain | None, ...]) -> Cells:
    return values


def _cells(rows: list[tuple[Shape, tuple[Plain | None, ...]]], columns: list[Column]) -> list[Cells]:
    pickers = {shape: _picker(shape, columns) for shape in {shape for shape, _ in rows}}
    if all(picker is _same for picker in pickers.values()):
        return [values for _, values in rows]
    return [pickers[shape](values) for shape, values in rows]


@dataclass(frozen=True)
class Table:
    """The graph as every export writes it: typed columns, and one row of plain values
    per node (``id``, cells) and per edge (``source``, ``target``, cells), in the
    graph's order; a cell is ``None`` where the node (edge) has no value. Computing it
    once, straight from the graph, spares each writer a copy of the graph."""

    node_columns: list[Column]
    edge_columns: list[Column]
    nodes: list[tuple[str, Cells]]
    edges: list[tuple[str, str, Cells]]

    @classmethod
    def of(cls, graph: nx.DiGraph) -> Table:
        node_rows, edge_rows = _node_rows(graph), _edge_rows(graph)
        nodes, edges = _agreed(_columns_of(node_rows, NODE_COLUMNS), _columns_of(edge_rows, EDGE_COLUMNS))
        return cls(nodes, edges, _node_cells(graph, node_rows, nodes), _edge_cells(graph, edge_rows, edges))


def _node_rows(graph: nx.DiGraph) -> list[tuple[Shape, tuple[Plain | None, ...]]]:
    return _plain_rows(d for _, d in graph.nodes(data=True))


def _edge_rows(graph: nx.DiGraph) -> list[tuple[Shape, tuple[Plain | None, ...]]]:
    return _plain_rows(d for _, _, d in graph.edges(data=True))


def _columns_of(rows: list[tuple[Shape, tuple[Plain | None, ...]]], first: tuple[str, ...]) -> list[Column]:
    return _ordered(_types({shape for shape, _ in rows}), first)


def _node_cells(graph: nx.DiGraph, rows, columns: list[Column]) -> list[tuple[str, Cells]]:
    return list(zip(map(str, graph), _cells(rows, columns)))


def _edge_cells(graph: nx.DiGraph, rows, columns: list[Column]) -> list[tuple[str, str, Cells]]:
    return [(str(u), str(v), cells) for (u, v), cells in zip(graph.edges, _cells(rows, columns))]


def plain_graph(graph: nx.DiGraph) -> nx.DiGraph:
    """A copy whose attributes are plain values, each name of one type, and with no graph
    attributes: what every export writes, as a networkx graph."""
    table = Table.of(graph)
    node_names = [c.name for c in table.node_columns]
    edge_names = [c.name for c in table.edge_columns]
    out = nx.DiGraph()
    out.add_nodes_from((n, present(node_names, cells)) for n, cells in table.nodes)
    out.add_edges_from((u, v, present(edge_names, cells)) for u, v, cells in table.edges)
    return out


def present(names: list[str], cells: Cells) -> dict[str, Plain]:
    """A row as a dict of the values it has."""
    return {name: value for name, value in zip(names, cells) if value is not None}


# ---------------------------------------------------------------- the GraphML text

_GRAPHML_TYPES = {str: "string", int: "long", float: "double", bool: "boolean"}
_GRAPHML_HEAD = (
    "<?xml version='1.0' encoding='utf-8'?>\n"
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
    ' xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">'
)
_CHUNK = 2000  # rows joined into one write


def chunks(rows: Iterator[str]) -> Iterator[str]:
    """The rows' text, ``_CHUNK`` rows at a time: fewer, larger writes."""
    while chunk := list(itertools.islice(rows, _CHUNK)):
        yield "".join(chunk)


def _graphml_keys(nodes: list[Column], edges: list[Column]) -> list[str]:
    """The ``key`` elements in networkx's order: the edges' and then the nodes', each backwards
    (``nodes`` and ``edges`` in the order of ``first_had``)."""
    return [
        f'<key id="{xml_attribute(c.name)}" for="{domain}" attr.name="{xml_attribute(c.name)}"'
        f' attr.type="{_GRAPHML_TYPES[c.type]}"/>\n'
        for domain, cs in (("edge", edges), ("node", nodes)) for c in reversed(cs)
    ]


def first_had(columns: list[Column], rows: Iterable[Cells]) -> list[Column]:
    """The columns in the order the rows first have a value in them, the order in which
    networkx declares GraphML keys: the columns' own order when the first row has every
    value."""
    order: dict[int, None] = {}
    unseen = set(range(len(columns)))
    for cells in rows:
        if any(cells[j] is not None for j in unseen):
            order.update((j, None) for j, value in enumerate(cells) if value is not None)
            unseen.difference_update(order)
            if not unseen:
                break
    return [columns[j] for j in order]


_SEPARATOR = "\x00"  # no plain text holds it (xml_text removes it)


def _literal(text: str) -> str:
    """``text`` as a constant part of a ``str.format`` template."""
    return text.replace("{", "{{").replace("}", "}}")


class RowText:
    """How the cells of a row go into a ``str.format`` template with a field per cell.

    Escaping text cell by cell costs a call per value. Here a row's text cells are
    joined by NUL, which no plain text holds, escaped at once and split again; numbers
    go into the template as they are (``format`` writes them as ``str`` does), and so do
    booleans, unless ``booleans`` names their text.
    """

    def __init__(self, columns: list[Column], escape: Callable[[str], str],
                 booleans: Mapping[bool, str] | None = None) -> None:
        texts = [j for j, c in enumerate(columns) if c.type is str]
        flags = [j for j, c in enumerate(columns) if c.type is bool and booleans is not None]
        others = [j for j in range(len(columns)) if j not in texts and j not in flags]
        self._fields = {j: f"{{{k}}}" for k, j in enumerate(texts + flags + others)}
        self._texts, self._others = _getter(texts), _getter(others)
        self._flags = _getter(flags) if flags else None
        self._escape, self._booleans = escape, booleans or {}

    def field(self, column: int) -> str:
        """The template's field for the cell of ``column`` (its position in the row)."""
        return self._fields[column]

    def values(self, cells: Cells) -> list[Plain]:
        """The values for the template's fields, in the fields' order."""
        texts = self._texts(cells)
        out: list[Plain] = self._escape(_SEPARATOR.join(texts)).split(_SEPARATOR) if texts else []
        if self._flags is not None:
            out += [self._booleans[flag] for flag in self._flags(cells)]
        out += self._others(cells)
        return out


Present = tuple[int, ...]  # the positions of a row's cells that have a value


def present_cells(cells: Cells) -> Present:
    return tuple(j for j, value in enumerate(cells) if value is not None)


def by_presence(make: Callable[[Present], Any], width: int) -> Callable[[Cells], Any]:
    """``make(present)`` for the cells of a row that have a value, made once for each set
    of them: rows have few, and most have every cell."""
    everything = tuple(range(width))
    full = make(everything)
    known = {everything: full}

    def lookup(cells: Cells) -> Any:
        if None not in cells:
            return full
        present = present_cells(cells)
        found = known.get(present)
        if found is None:
            found = known[present] = make(present)
        return found

    return lookup


def row_values(text: RowText, present: Present, width: int) -> Callable[[Cells], list[Plain]]:
    """The template values of the ``present`` cells of a row (``text`` has their columns)."""
    if len(present) == width:
        return text.values
    pick = _getter(list(present))
    return lambda cells: text.values(pick(cells))


def _graphml_rows(tag: str, rows: Iterable[tuple[str, Cells]], cs: list[Column]) -> Iterator[str]:
    """``<node>`` (or ``<edge>``) elements, as lxml's pretty printer lays them out.

    ``rows`` give each element's attributes, already escaped, and its cells; a cell
    without a value has no ``data`` element.
    """
    def template(present: Present) -> tuple[str, Callable[[Cells], list[Plain]]]:
        if not present:
            return "/>\n", lambda cells: []
        text = RowText([cs[j] for j in present], xml_escape)
        body = ">\n" + "".join(f'  <data key="{_literal(xml_attribute(cs[j].name))}">{text.field(k)}</data>\n'
                               for k, j in enumerate(present)) + f"</{tag}>\n"
        return body, row_values(text, present, len(cs))

    templates = by_presence(template, len(cs))
    for attributes, cells in rows:
        body, values = templates(cells)
        yield f"<{tag} {attributes}" + body.format(*values(cells))


def graphml_text(table: Table) -> Iterator[str]:
    """The GraphML document of ``table`` in pieces: the bytes networkx's lxml writer
    (``write_graphml_lxml``, ``named_key_ids=True``) writes for ``plain_graph``, made
    without an element object per node, edge and value."""
    ids = _escaped_ids(n for n, _ in table.nodes)
    yield from _graphml_start(table, ids, first_had(table.edge_columns, (cells for _, _, cells in table.edges)))
    yield from _graphml_edges(ids, table.edges, table.edge_columns)
    yield _GRAPHML_END


_GRAPHML_END = "</graph></graphml>"


def _escaped_ids(nodes: Iterable[str]) -> dict[str, str]:
    """Each node id as an attribute value: escaped once, written for its node and at every edge end."""
    return {n: xml_attribute(n) for n in nodes}


def _graphml_start(table: Table, ids: dict[str, str], edge_keys: list[Column]) -> Iterator[str]:
    """The document up to its edges: the keys (``edge_keys``: the edge columns in the order
    of ``first_had``) and the nodes."""
    node_keys = first_had(table.node_columns, (cells for _, cells in table.nodes))
    yield _GRAPHML_HEAD + "".join(_graphml_keys(node_keys, edge_keys))
    yield '<graph edgedefault="directed">'
    node_rows = ((f'id="{ids[n]}"', cells) for n, cells in table.nodes)
    yield from chunks(_graphml_rows("node", node_rows, table.node_columns))


def _graphml_edges(ids: dict[str, str], edges: list[tuple[str, str, Cells]],
                   columns: list[Column]) -> Iterator[str]:
    rows = ((f'source="{ids[u]}" target="{ids[v]}"', cells) for u, v, cells in edges)
    yield from chunks(_graphml_rows("edge", rows, columns))


Heads = list[tuple[str, int]]  # node ids and the bytes of their edges out, in the document's order


class _UnlikeTheFirst(Exception):
    """An edge whose attributes are not named and typed as the first edge's, or hold text
    that XML cannot: the edges are written the general way (``_graphml_edges``)."""


def _uniform_columns(graph: nx.DiGraph) -> list[Column] | None:
    """The edge columns, when the first edge's attributes are all text or integers (as
    kg's own edges are); None otherwise."""
    first = next(iter(graph.edges(data=True)), None)
    if first is None or not first[2] or graph.is_multigraph() or not graph.is_directed():
        return None
    attrs = first[2]
    if not all(type(name) is str and type(value) in (str, int) for name, value in attrs.items()):
        return None
    return _ordered({name: {type(value)} for name, value in attrs.items()}, EDGE_COLUMNS)


def _uniform_edges(graph: nx.DiGraph, ids: dict[str, str], columns: list[Column],
                   earlier: EarlierEdges | None = None, heads: Heads | None = None) -> Iterator[bytes]:
    """What ``_graphml_edges`` writes, encoded, for edges that each have a value of each
    column's type and no other attribute (as kg's own do), made straight from their
    attribute dicts, without a row of plain values and cells for each (``Table``): the
    edges of 10,000 articles in 1.5 s instead of 2.1 s. Raises ``_UnlikeTheFirst`` at the
    first edge that is not so.

    The edges out of a node are copied from ``earlier`` where it holds them, and each
    node's bytes are noted in ``heads`` (node id, length), for the build after this one."""
    kinds = tuple(c.type for c in columns)
    texts = [j for j, c in enumerate(columns) if c.type is str]
    numbers = [j for j, c in enumerate(columns) if c.type is not str]
    field = {j: k + 2 for k, j in enumerate(texts + numbers)}  # after the two ends
    fill = ('<edge source="{0}" target="{1}">\n' + "".join(
        f'  <data key="{_literal(xml_attribute(c.name))}">{{{field[j]}}}</data>\n' for j, c in enumerate(columns))
            + "</edge>\n").format
    values_of, texts_of, numbers_of = _getter([c.name for c in columns]), _getter(texts), _getter(numbers)
    width = len(columns)
    if earlier is not None and earlier.columns != _signature(columns):
        earlier = None

    def made(head: str, edges: Iterable[tuple[Any, dict]]) -> bytes:
        rows = []
        for v, attrs in edges:
            try:
                values = values_of(attrs)
            except KeyError:
                raise _UnlikeTheFirst from None
            text = texts_of(values)
            if len(attrs) != width or tuple(map(type, values)) != kinds or not "".join(text).isprintable():
                raise _UnlikeTheFirst
            escaped = xml_escape(_SEPARATOR.join(text)).split(_SEPARATOR) if texts else ()
            rows.append(fill(head, ids[str(v)], *escaped, *numbers_of(values)))
        return "".join(rows).encode("utf-8")

    piece: list[bytes] = []
    edges = 0
    for u, successors in graph.adjacency():  # the order of ``graph.edges``
        if not successors:
            continue
        node = str(u)
        data = earlier.edges_out(node, ids[node]) if earlier is not None else None
        if data is not None:
            piece.append(data)
            edges, length = edges + len(successors), len(data)
        else:  # a hub's edges ``_CHUNK`` at a time: no piece holds many more
            edges_out, length = iter(successors.items()), 0
            for done in range(0, len(successors), _CHUNK):
                data = made(ids[node], itertools.islice(edges_out, _CHUNK))
                piece.append(data)
                edges, length = edges + min(_CHUNK, len(successors) - done), length + len(data)
                if edges >= _CHUNK:
                    yield b"".join(piece)
                    piece, edges = [], 0
        if heads is not None:
            heads.append((node, length))
        if edges >= _CHUNK:
            yield b"".join(piece)
            piece, edges = [], 0
    if piece:
        yield b"".join(piece)


def _signature(columns: list[Column]) -> tuple[tuple[str, str], ...]:
    """The edge columns as plain values, kept with an index of the edges written with them."""
    return tuple((c.name, c.type.__name__) for c in columns)


class EarlierEdges:
    """The GraphML a build wrote before, at the path this one writes to: the edges out of
    the nodes whose edges did not change since are copied from it, not made again (at
    10,000 articles, one article added changes the edges of a few hundred nodes of
    93,000, and making the others' text takes 2.3 s).

    ``blocks``: node id -> where its edges out lie in the file (offset, length), for the
    nodes whose edges out are as they were (``Assembler.edges_as_before``); ``columns``:
    the edge columns it was written with (``_signature``). The file is opened before it
    is replaced; it is read in windows, in the order its blocks come.
    """

    WINDOW = 1 << 20  # bytes read at a time

    def __init__(self, path: str | os.PathLike, blocks: dict[str, tuple[int, int]],
                 columns: tuple[tuple[str, str], ...]) -> None:
        self._fd = os.open(path, os.O_RDONLY)
        self.blocks, self.columns = blocks, columns
        self.copied = 0  # the nodes whose edges were copied
        self._window, self._at = b"", 0

    def edges_out(self, node: str, escaped: str) -> bytes | None:
        """The bytes of the edges out of ``node`` (its id in the file: ``escaped``), or None
        when they are to be made: not among the blocks, or not what they should hold."""
        found = self.blocks.get(node)
        if found is None:
            return None
        offset, length = found
        if not (self._at <= offset and offset + length <= self._at + len(self._window)):
            try:
                self._window, self._at = os.pread(self._fd, max(length, self.WINDOW), offset), offset
            except OSError:
                return None
        start = offset - self._at
        data = self._window[start : start + length]
        if len(data) != length or not data.startswith(f'<edge source="{escaped}" '.encode()) \
                or not data.endswith(b"</edge>\n"):
            return None
        self.copied += 1
        return data

    def stat(self) -> os.stat_result:
        return os.fstat(self._fd)

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1


class EdgesAhead:
    """The GraphML of a graph's edges, begun before its nodes get their last attributes
    (their layout, which another process computes meanwhile): the edges do not change
    with the layout, and they are the bulk of the document. ``step()`` makes one more
    piece; ``write_graphml(graph, path, ahead)`` writes the rest, and ``close()`` lets
    go of what was made.

    The pieces made ahead wait in a temporary file, not in memory: at 10,000 articles
    they are some 200 MB that would otherwise add to the build's peak while the nodes
    are written, and the file goes into the document without passing through Python
    (``os.sendfile``). Those not made when the layout is done can be made by a child
    process while this one writes the nodes (``make_rest_beside``). The edges out of a
    node that did not change since the GraphML before (``earlier``) are copied from it.

    Once written, ``index()`` tells where the edges out of each node lie in the document,
    for the next build's ``EarlierEdges``.
    """

    def __init__(self, graph: nx.DiGraph, earlier: EarlierEdges | None = None) -> None:
        self._graph = graph
        self.ids = _escaped_ids(map(str, graph))  # the nodes' too: the layout does not change them
        self.earlier = earlier
        self.heads: Heads | None = None  # node id, bytes of its edges out, as they are made
        self.start = -1  # where the edges begin in the document, once written
        # the edges' own columns: the nodes' change them only where a name of both has two
        # types (then ``write_graphml`` writes the edges again)
        uniform = _uniform_columns(graph)
        if uniform is None:
            self._in_general()
        else:  # each edge a value in each column: the keys in the columns' order
            self.columns = self.keys = uniform
            self.heads = []
            self._rest = _uniform_edges(graph, self.ids, uniform, earlier, self.heads)
        self._made: IO[bytes] | None = None  # the pieces made so far ...
        self._length = 0  # ... and their bytes in it
        self._all_made = False
        self._beside: forked.Task[tuple[int, Heads] | None] | None = None  # the child making the others ...
        self._rest_made: IO[bytes] | None = None  # ... into this file

    def _in_general(self) -> None:
        """Columns and text from the edges' plain values and cells, whatever they hold."""
        rows = _edge_rows(self._graph)
        self.columns = _columns_of(rows, EDGE_COLUMNS)
        edges = _edge_cells(self._graph, rows, self.columns)
        self.keys = first_had(self.columns, (cells for _, _, cells in edges))
        self.heads = None
        self._rest = (piece.encode("utf-8") for piece in _graphml_edges(self.ids, edges, self.columns))

    def step(self) -> bool:
        """Make the next piece of text; False once all are made, or when the temporary
        folder has no room for it (the rest is then made as the document is written)."""
        try:
            piece = next(self._rest, None)
        except _UnlikeTheFirst:  # what was made so far is made again, in general
            self._length = 0
            self._in_general()
            piece = next(self._rest, None)
        if piece is None:
            self._all_made = True
            return False
        try:
            self._keep(piece)
        except OSError:
            self._rest = itertools.chain([piece], self._rest)
            return False
        return True

    def make_rest_beside(self) -> None:
        """Have a forked child make the pieces not made yet (``kg.forked``), while this
        process writes the nodes: at 10,000 articles, when the layout was done before the
        edges, a third of them (0.6 s). ``write_to`` takes them from it. Nothing is
        forked when every piece is made, or a child cannot be: they are made here then."""
        if self._all_made or self._beside is not None:
            return
        try:
            self._rest_made = _temporary_file()  # made here, so that the child's writes show here
        except OSError:
            return
        self._beside = forked.start(self._made_beside, os.getpid())
        if not self._beside.forked:
            self._beside = None

    def _made_beside(self, parent: int) -> tuple[int, Heads] | None:
        """In the child: make every piece left into ``_rest_made``; their length and the
        ``heads`` they add, or None at an edge unlike the first. -1, making nothing, when
        run in ``parent`` after all (its child ended before it answered): ``write_to``
        then makes them."""
        if os.getpid() == parent:
            return -1, []
        self._made, self._length = self._rest_made, 0
        before = len(self.heads) if self.heads is not None else 0
        try:
            for piece in self._rest:
                self._keep(piece)
        except _UnlikeTheFirst:
            return None
        return self._length, self.heads[before:] if self.heads is not None else []

    def _keep(self, data: bytes) -> None:
        """Put ``data`` after the pieces kept so far, whole or not at all."""
        if self._made is None:  # a file with no name: it goes when closed, or with the process
            self._made = _temporary_file()
        self._made.seek(self._length)  # past what a failed write may have left
        rest = memoryview(data)
        while rest:
            rest = rest[self._made.write(rest):]
        self._length += len(data)

    def write_to(self, fh: io.TextIOWrapper) -> None:
        """Write every piece into ``fh``: those made ahead, then the others; raises
        ``_UnlikeTheFirst`` if an edge not made yet is unlike the first (``write_graphml``
        then writes the document again, in general). ``close()`` lets go of them."""
        fh.flush()
        self.start = fh.buffer.tell()
        if self._made is not None:
            _append_file(self._made, self._length, fh)
        made_beside: tuple[int, Heads] | None = (-1, [])
        if self._beside is not None:
            with contextlib.suppress(OSError):  # the child found no room for them: they are made here
                made_beside = self._beside.result()
            self._beside = None
        try:
            if made_beside is None:
                raise _UnlikeTheFirst
            length, heads = made_beside
            fh.flush()
            if length >= 0 and self._rest_made is not None:
                _append_file(self._rest_made, length, fh)
                if self.heads is not None:
                    self.heads += heads
            else:
                fh.buffer.writelines(self._rest)
        except _UnlikeTheFirst:  # the document is written again, in general: no index of it
            self.heads = None
            raise

    def signature(self) -> tuple[tuple[str, str], ...]:
        """The edge columns, named and typed (for ``EarlierEdges``)."""
        return _signature(self.columns)

    def index(self) -> tuple[int, Heads] | None:
        """Once written: where the edges begin in the document, and the node id and bytes
        of each node's edges out, in order; None when they were written in general (or not yet)."""
        if self.start < 0 or self.heads is None:
            return None
        return self.start, self.heads

    def close(self) -> None:
        """Let go of the pieces made, and stop the child making more if it still runs."""
        if self._beside is not None:
            self._beside.cancel()
            self._beside = None
        for made in (self._made, self._rest_made):
            if made is not None:
                made.close()
        self._made = self._rest_made = None
        if self.earlier is not None:
            self.earlier.close()


def _temporary_file() -> IO[bytes]:
    """A file with no name: it goes when closed, or with the process."""
    return tempfile.TemporaryFile(buffering=0, prefix="kg-edges-")


def _append_file(source: IO[bytes], size: int, target: io.TextIOWrapper) -> None:
    """Append the first ``size`` bytes of ``source`` to ``target`` (flushed), in the kernel where it can."""
    done = 0
    with contextlib.suppress(AttributeError, OSError):  # no sendfile between files here: copy below
        while done < size:
            sent = os.sendfile(target.fileno(), source.fileno(), done, size - done)
            if not sent:
                break
            done += sent
    source.seek(done)
    while done < size:
        block = source.read(min(size - done, 1 << 20))
        if not block:
            raise OSError(errno.EIO, "the GraphML's edges made ahead were cut short")
        target.buffer.write(block)
        done += len(block)


def write_graphml(graph: nx.DiGraph, path: str | os.PathLike, ahead: EdgesAhead | None = None) -> None:
    """Write ``graph`` as GraphML for Gephi (see the module's docstring), atomically.

    ``ahead``: the edges' text, begun before the nodes got their last attributes.

    Examples
    --------
    >>> import io, networkx as nx
    >>> g = nx.DiGraph()
    >>> g.add_edge("place:北京", "place:中国", relation="located_in", weight=2)
    >>> g.nodes["place:北京"]["label"] = "北京"
    >>> text = "".join(graphml_text(Table.of(g)))
    >>> nx.read_graphml(io.BytesIO(text.encode("utf-8"))).nodes["place:中国"]
    {'label': ''}
    """
    if ahead is not None:
        try:
            node_rows = _node_rows(graph)
            nodes, edge_columns = _agreed(_columns_of(node_rows, NODE_COLUMNS), ahead.columns)
            if edge_columns == ahead.columns:  # the nodes changed no edge column
                table = Table(nodes, edge_columns, _node_cells(graph, node_rows, nodes), [])
                with contextlib.suppress(_UnlikeTheFirst), atomic_write(path, "w", encoding="utf-8") as fh:
                    fh.writelines(_graphml_start(table, ahead.ids, ahead.keys))
                    ahead.write_to(fh)
                    fh.write(_GRAPHML_END)
                    return
        finally:
            ahead.close()
    with atomic_write(path, "w", encoding="utf-8") as fh:
        fh.writelines(graphml_text(Table.of(graph)))
