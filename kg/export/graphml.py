"""GraphML for Gephi, networkx and igraph, and the flat columns every export shares.

What Gephi's GraphML importer needs, and what this module guarantees:

- keys named after their attribute (``id == attr.name``): Gephi matches a key's id
  before its name, and takes the numbered ids ``d3``/``d7`` of networkx's default
  for yEd's label keys, which would make an arbitrary column the label;
- keys ``for="node"`` or ``for="edge"`` only (Gephi reports graph keys as errors);
- one type per attribute name, and the same type where nodes and edges share a
  name (``label``, ``documents``): the key ids of the two are then the same name, as
  Gephi, networkx and igraph all read by domain and type;
- every value a plain ``str``/``int``/``float``/``bool``, every node and edge with
  every column (a missing value is written as the column's empty value: ``""``,
  ``0``, ``0.0``, ``false``), and no character that XML 1.0 forbids.

Gephi reads ``label``, ``x``, ``y``, ``size`` and ``r``/``g``/``b`` of a node as its
label, position, size and colour, and ``label`` and ``weight`` of an edge; the other
attributes become columns of its Data Laboratory.

Gephi merges parallel edges on import. kg's graph has at most one edge per pair of
entities (see ``kg.assemble``): a typed relation, which carries how often the two
were named in one sentence as ``cooccurrences``, or else one ``co_occurs`` edge.
"""
from __future__ import annotations

import math
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx

from . import atomic_write, xml_text

__all__ = [
    "NODE_COLUMNS",
    "EDGE_COLUMNS",
    "Column",
    "columns",
    "plain_value",
    "plain_graph",
    "flatten",
    "write_graphml",
]

# the columns first in every export, in this order; any others follow by name
NODE_COLUMNS = ("label", "type", "aliases", "documents", "mentions", "r", "g", "b", "size", "x", "y", "community")
EDGE_COLUMNS = ("relation", "label", "weight", "documents", "evidence", "title", "cooccurrences")

Plain = str | int | float | bool
_EMPTY: dict[type, Plain] = {str: "", int: 0, float: 0.0, bool: False}


@dataclass(frozen=True)
class Column:
    """One attribute of the nodes or of the edges, with the one type all its values have."""

    name: str
    type: type  # str, int, float or bool

    @property
    def empty(self) -> Plain:
        return _EMPTY[self.type]

    def cast(self, value: Plain | None) -> Plain:
        if value is None:
            return self.empty
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


def _columns(rows: Iterable[Mapping[str, Any]], first: tuple[str, ...]) -> list[Column]:
    types: dict[str, set[type]] = {}
    for row in rows:
        for name, value in row.items():
            value = plain_value(value)
            seen = types.setdefault(str(name), set())
            if value is not None:
                seen.add(type(value))
    names = [n for n in first if n in types] + sorted(n for n in types if n not in first)
    return [Column(n, _column_type(types[n])) for n in names]


def columns(graph: nx.DiGraph) -> tuple[list[Column], list[Column]]:
    """The node and the edge columns of every export: ``NODE_COLUMNS`` (``EDGE_COLUMNS``)
    first, then the others by name. A name shared by nodes and edges gets one type
    (text, if their values' types differ)."""
    nodes = _columns((d for _, d in graph.nodes(data=True)), NODE_COLUMNS)
    edges = _columns((d for _, _, d in graph.edges(data=True)), EDGE_COLUMNS)
    node_type = {c.name: c.type for c in nodes}
    clash = {c.name for c in edges if c.name in node_type and node_type[c.name] is not c.type}

    def agreed(cs: list[Column]) -> list[Column]:
        return [Column(c.name, str) if c.name in clash else c for c in cs]

    return agreed(nodes), agreed(edges)


def _row(data: Mapping[str, Any], columns: list[Column]) -> dict[str, Plain]:
    return {c.name: c.cast(plain_value(data.get(c.name))) for c in columns}


def flatten(graph: nx.DiGraph) -> tuple[nx.DiGraph, list[Column], list[Column]]:
    """``plain_graph(graph)`` with its node and edge columns."""
    nodes, edges = columns(graph)
    out = nx.DiGraph()
    out.add_nodes_from((str(n), _row(d, nodes)) for n, d in graph.nodes(data=True))
    out.add_edges_from((str(u), str(v), _row(d, edges)) for u, v, d in graph.edges(data=True))
    return out, nodes, edges


def plain_graph(graph: nx.DiGraph) -> nx.DiGraph:
    """A copy with the same columns on every node and on every edge, each of one plain
    type, and no graph attributes."""
    return flatten(graph)[0]


def write_graphml(graph: nx.DiGraph, path: str | os.PathLike) -> None:
    """Write ``graph`` as GraphML for Gephi (see the module's docstring), atomically.

    Examples
    --------
    >>> import io, networkx as nx
    >>> g = nx.DiGraph()
    >>> g.add_edge("place:北京", "place:中国", relation="located_in", weight=2)
    >>> g.nodes["place:北京"]["label"] = "北京"
    >>> buffer = io.BytesIO()
    >>> nx.write_graphml_lxml(plain_graph(g), buffer, named_key_ids=True)
    >>> nx.read_graphml(io.BytesIO(buffer.getvalue())).nodes["place:中国"]
    {'label': ''}
    """
    with atomic_write(path, "wb") as fh:
        # lxml's writer streams the elements: twice as fast as networkx's ElementTree
        # writer and without the whole document in memory (lxml is a dependency, so the
        # bytes are always the same)
        nx.write_graphml_lxml(plain_graph(graph), fh, encoding="utf-8", named_key_ids=True)
