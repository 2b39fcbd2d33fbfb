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
from collections.abc import Iterator

import networkx as nx

from .. import __version__
from ..style import RELATION_STYLES, UNKNOWN_COLOUR, hex_to_rgb
from . import atomic_write, xml_attribute, xml_escape, xml_escape_attribute
from .graphml import Column, RowText, Table, chunks

__all__ = ["gexf_text", "write_gexf"]

_VIZ_NODE = ("r", "g", "b", "size", "x", "y")  # moved from the columns into viz
_EDGE_OWN = ("id", "label", "weight")  # an edge's XML attributes; its id is its number
_GEXF_TYPES = {str: "string", int: "long", float: "double", bool: "boolean"}
_VIZ_NS = ' xmlns:viz="http://www.gexf.net/1.2draft/viz"'

_attribute = functools.partial(xml_attribute, tab="&#09;")  # ElementTree's escapes, as networkx wrote them
_BOOLEANS = {True: "true", False: "false"}  # networkx writes a boolean attvalue in lower case


def _declarations(domain: str, attributes: list[tuple[int, int, Column]]) -> str:
    lines = [f'    <attributes mode="static" class="{domain}">\n']
    lines += [f'      <attribute id="{number}" title="{_attribute(c.name)}" type="{_GEXF_TYPES[c.type]}" />\n'
              for number, _, c in attributes]
    return "".join(lines) + "    </attributes>\n"


def _numbered(cs: list[Column], skip: tuple[str, ...], first: int) -> list[tuple[int, int, Column]]:
    """The columns written as ``attvalue``: their GEXF attribute ids (from ``first``), their
    position in a row, and themselves."""
    kept = [(position, c) for position, c in enumerate(cs) if c.name not in skip]
    return [(first + n, position, c) for n, (position, c) in enumerate(kept)]


def _row_text(cs: list[Column]) -> RowText:
    return RowText(cs, functools.partial(xml_escape_attribute, tab="&#09;"), _BOOLEANS)


def _attvalues(text: RowText, attributes: list[tuple[int, int, Column]]) -> str:
    """The template of an element's ``attvalues``, if it has any."""
    if not attributes:
        return ""
    return "        <attvalues>\n" + "".join(
        f'          <attvalue for="{number}" value="{text.field(position)}" />\n' for number, position, _ in attributes
    ) + "        </attvalues>\n"


def _element(opening: str, children: str, tag: str) -> str:
    """The template of an element at the rows' depth, closed on its own line, or empty (``/>``)."""
    if not children:
        return f"      <{opening} />\n"
    return f"      <{opening}>\n{children}      </{tag}>\n"


def _node_rows(table: Table, attributes: list[tuple[int, int, Column]], decorated: bool) -> Iterator[str]:
    names = [c.name for c in table.node_columns]
    text = _row_text(table.node_columns)
    label = text.field(names.index("label")) if "label" in names else "{id}"
    children = ""
    if decorated:
        r, g, b, size, x, y = (text.field(names.index(k)) for k in _VIZ_NODE)
        children = (f'        <viz:color r="{r}" g="{g}" b="{b}" a="1.0" />\n'
                    f'        <viz:size value="{size}" />\n'
                    f'        <viz:position x="{x}" y="{y}" z="0.0" />\n')
    template = _element(f'node id="{{id}}" label="{label}"', children + _attvalues(text, attributes), "node")
    for node, cells in table.nodes:
        yield template.format(*text.values(cells), id=_attribute(node))


@functools.cache
def _relation_colour(relation: str) -> str:
    r, g, b = hex_to_rgb(RELATION_STYLES.get(relation, {}).get("color", UNKNOWN_COLOUR))
    return f'        <viz:color r="{r}" g="{g}" b="{b}" a="1.0" />\n'


def _edge_rows(table: Table, attributes: list[tuple[int, int, Column]]) -> Iterator[str]:
    names = [c.name for c in table.edge_columns]
    text = _row_text(table.edge_columns)
    own = "".join(f' {k}="{text.field(names.index(k))}"' for k in _EDGE_OWN[1:] if k in names)
    template = _element(f'edge source="{{source}}" target="{{target}}" id="{{number}}"{own}',
                        "{colour}" + _attvalues(text, attributes), "edge")
    relation = names.index("relation") if "relation" in names else None
    ids = {n: _attribute(n) for n, _ in table.nodes}  # escaped once, written once per edge end
    for number, (u, v, cells) in enumerate(table.edges):
        colour = _relation_colour(str(cells[relation]) if relation is not None else "None")
        yield template.format(*text.values(cells), source=ids[u], target=ids[v], number=number, colour=colour)


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
    decorated = all(k in {c.name for c in table.node_columns} for k in _VIZ_NODE)
    node_skip = ("label", *_VIZ_NODE) if decorated else ("label",)
    node_attributes = _numbered(table.node_columns, node_skip, 0) if table.nodes else []
    edge_attributes = _numbered(table.edge_columns, _EDGE_OWN, len(node_attributes)) if table.edges else []
    viz = bool(table.edges) or (decorated and bool(table.nodes))
    yield ("<?xml version='1.0' encoding='utf-8'?>\n"
           f'<gexf{_VIZ_NS if viz else ""} xmlns="http://www.gexf.net/1.2draft"'
           ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
           ' xsi:schemaLocation="http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">\n'
           f"  <meta>\n    <creator>{xml_escape(f'kg {__version__}')}</creator>\n  </meta>\n"
           '  <graph defaultedgetype="directed" mode="static" name="">\n')
    for domain, attributes in (("edge", edge_attributes), ("node", node_attributes)):
        if attributes:
            yield _declarations(domain, attributes)
    yield from _rows_element("nodes", _node_rows(table, node_attributes, decorated))
    yield from _rows_element("edges", _edge_rows(table, edge_attributes))
    yield "  </graph>\n</gexf>\n"


def write_gexf(graph: nx.DiGraph, path: str | os.PathLike) -> None:
    """Write ``graph`` as GEXF 1.2 for Gephi, atomically."""
    with atomic_write(path, "w", encoding="utf-8") as fh:
        fh.writelines(gexf_text(Table.of(graph)))
