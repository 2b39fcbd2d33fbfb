"""GEXF, Gephi's own format: the columns of the GraphML, with colours, sizes and
positions as ``viz`` elements that Gephi applies on import.

Nodes carry ``viz:color`` (their type's colour), ``viz:size`` and ``viz:position``
from ``kg.layout.decorate``; edges carry their relation's colour, the one of the
HTML page. The file has no date in it, so the same graph gives the same bytes.

The text is written row by row, without a tree of the whole document: the bytes
networkx's ``GEXFWriter`` (GEXF 1.2draft, pretty-printed) writes for the plain graph,
with each edge's number as its id, ``label`` of nodes and ``label`` and ``weight`` of
edges as XML attributes, and every other column an ``attvalue``. (networkx also takes
a few other names for GEXF's own attributes: ``id``, ``pid``, ``start``, ``end``,
``spells``, ``parents``, an edge's ``type``; kg's graph has no such columns, and here
they would stay columns.)
"""
from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterable, Iterator

import networkx as nx

from .. import __version__
from ..style import RELATION_STYLES, UNKNOWN_COLOUR, hex_to_rgb
from . import atomic_write, xml_attribute, xml_escape, xml_escape_attribute
from .graphml import Cells, Column, Present, RowText, Table, by_presence, chunks, present_cells, row_values

__all__ = ["gexf_text", "write_gexf"]

_VIZ_NODE = ("r", "g", "b", "size", "x", "y")  # moved from the columns into viz
_EDGE_OWN = ("id", "label", "weight")  # an edge's XML attributes; its id is its number
_GEXF_TYPES = {str: "string", int: "long", float: "double", bool: "boolean"}
_VIZ_NS = ' xmlns:viz="http://www.gexf.net/1.2draft/viz"'

_attribute = functools.partial(xml_attribute, tab="&#09;")  # ElementTree's escapes, as networkx wrote them
_BOOLEANS = {True: "true", False: "false"}  # networkx writes a boolean attvalue in lower case


def _declarations(domain: str, attributes: list[tuple[int, Column]]) -> str:
    lines = [f'    <attributes mode="static" class="{domain}">\n']
    lines += [f'      <attribute id="{number}" title="{_attribute(c.name)}" type="{_GEXF_TYPES[c.type]}" />\n'
              for number, c in attributes]
    return "".join(lines) + "    </attributes>\n"


class _Rows:
    """How the rows of one domain are written: for each set of cells a row has a value in
    (``by_presence``), which become XML attributes, ``viz`` or ``attvalue`` elements.

    ``own`` names the columns written as XML attributes (``label``; an edge's ``weight``
    too); ``viz`` the node columns that become ``viz`` elements when a node has all of
    them; ``skip`` those never written (an edge's ``id`` is its number).
    """

    def __init__(self, columns: list[Column], own: tuple[str, ...], viz: tuple[str, ...] = (),
                 skip: tuple[str, ...] = ()) -> None:
        self.columns = columns
        names = [c.name for c in columns]
        self._own = [(k, names.index(k)) for k in own if k in names]
        self._viz = [names.index(k) for k in viz] if all(k in names for k in viz) and viz else []
        self._skip = {names.index(k) for k in skip if k in names}
        self.numbers: dict[int, int] = {}  # position in a row -> GEXF attribute id
        self.viz_seen = False  # whether a row has its viz (``number`` tells)

    def split(self, present: Present) -> tuple[list[tuple[str, int]], list[int], list[int]]:
        """The row's own XML attributes (name, position), its ``viz`` and its ``attvalue`` positions."""
        own = [(k, j) for k, j in self._own if j in present]
        viz = self._viz if self._viz and all(j in present for j in self._viz) else []
        taken = {j for _, j in own} | set(viz) | self._skip
        return own, viz, [j for j in present if j not in taken]

    def number(self, rows: Iterable[Cells], first: int) -> list[tuple[int, Column]]:
        """Number the columns written as ``attvalue`` in the order the rows first have them
        (networkx's numbering), from ``first``; their declarations."""
        everything = tuple(range(len(self.columns)))
        seen: set[Present] = set()
        for cells in rows:
            present = everything if None not in cells else present_cells(cells)
            if present not in seen:
                seen.add(present)
                _, viz, attvalues = self.split(present)
                self.viz_seen = self.viz_seen or bool(viz)
                for j in attvalues:
                    self.numbers.setdefault(j, first + len(self.numbers))
        return [(number, self.columns[j]) for j, number in self.numbers.items()]

    def template(self, present: Present, opening: str, label: str = "",
                 first: str = "") -> tuple[str, Callable[[Cells], list]]:
        """The element's template for a row with these cells, and what gives its values:
        ``label`` when the row has none, ``first`` before its children."""
        own, viz, attvalues = self.split(present)
        text = RowText([self.columns[j] for j in present], functools.partial(xml_escape_attribute, tab="&#09;"),
                       _BOOLEANS)
        field = {j: text.field(k) for k, j in enumerate(present)}
        attributes = "".join(f' {k}="{field[j]}"' for k, j in own)
        if label and not any(k == "label" for k, _ in own):
            attributes = label + attributes
        children = first
        if viz:
            r, g, b, size, x, y = (field[j] for j in viz)
            children = (f'        <viz:color r="{r}" g="{g}" b="{b}" a="1.0" />\n'
                        f'        <viz:size value="{size}" />\n'
                        f'        <viz:position x="{x}" y="{y}" z="0.0" />\n')
        if attvalues:
            children += "        <attvalues>\n" + "".join(
                f'          <attvalue for="{self.numbers[j]}" value="{field[j]}" />\n' for j in attvalues
            ) + "        </attvalues>\n"
        return _element(opening + attributes, children, opening.split()[0]), row_values(text, present, len(self.columns))


def _element(opening: str, children: str, tag: str) -> str:
    """The template of an element at the rows' depth, closed on its own line, or empty (``/>``)."""
    if not children:
        return f"      <{opening} />\n"
    return f"      <{opening}>\n{children}      </{tag}>\n"


def _node_rows(table: Table, rows: _Rows) -> Iterator[str]:
    # a node without a label is labelled with its id, as networkx does
    templates = by_presence(lambda present: rows.template(present, 'node id="{id}"', label=' label="{id}"'),
                            len(table.node_columns))
    for node, cells in table.nodes:
        template, values = templates(cells)
        yield template.format(*values(cells), id=_attribute(node))


@functools.cache
def _relation_colour(relation: str) -> str:
    r, g, b = hex_to_rgb(RELATION_STYLES.get(relation, {}).get("color", UNKNOWN_COLOUR))
    return f'        <viz:color r="{r}" g="{g}" b="{b}" a="1.0" />\n'


def _edge_rows(table: Table, rows: _Rows) -> Iterator[str]:
    templates = by_presence(lambda present: rows.template(
        present, 'edge source="{source}" target="{target}" id="{number}"', first="{colour}"), len(table.edge_columns))
    names = [c.name for c in table.edge_columns]
    relation = names.index("relation") if "relation" in names else None
    ids = {n: _attribute(n) for n, _ in table.nodes}  # escaped once, written once per edge end
    for number, (u, v, cells) in enumerate(table.edges):
        template, values = templates(cells)
        colour = _relation_colour(str(cells[relation]) if relation is not None else "None")
        yield template.format(*values(cells), source=ids[u], target=ids[v], number=number, colour=colour)


def _rows_element(tag: str, rows: Iterator[str]) -> Iterator[str]:
    """``<nodes>`` (``<edges>``) around the rows, or empty."""
    pieces = chunks(rows)
    first = next(pieces, None)
    if first is None:
        yield f"    <{tag} />\n"
        return
    yield f"    <{tag}>\n" + first
    yield from pieces
    yield f"    </{tag}>\n"


def gexf_text(table: Table) -> Iterator[str]:
    """The GEXF document of ``table`` in pieces (see the module's docstring)."""
    nodes = _Rows(table.node_columns, own=("label",), viz=_VIZ_NODE)
    edges = _Rows(table.edge_columns, own=_EDGE_OWN[1:], skip=_EDGE_OWN[:1])
    node_attributes = nodes.number((cells for _, cells in table.nodes), 0)
    edge_attributes = edges.number((cells for _, _, cells in table.edges), len(node_attributes))
    viz = bool(table.edges) or nodes.viz_seen
    yield ("<?xml version='1.0' encoding='utf-8'?>\n"
           f'<gexf{_VIZ_NS if viz else ""} xmlns="http://www.gexf.net/1.2draft"'
           ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
           ' xsi:schemaLocation="http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">\n'
           f"  <meta>\n    <creator>{xml_escape(f'kg {__version__}')}</creator>\n  </meta>\n"
           '  <graph defaultedgetype="directed" mode="static" name="">\n')
    for domain, attributes in (("edge", edge_attributes), ("node", node_attributes)):
        if attributes:
            yield _declarations(domain, attributes)
    yield from _rows_element("nodes", _node_rows(table, nodes))
    yield from _rows_element("edges", _edge_rows(table, edges))
    yield "  </graph>\n</gexf>\n"


def write_gexf(graph: nx.DiGraph, path: str | os.PathLike) -> None:
    """Write ``graph`` as GEXF 1.2 for Gephi, atomically."""
    with atomic_write(path, "w", encoding="utf-8") as fh:
        fh.writelines(gexf_text(Table.of(graph)))
