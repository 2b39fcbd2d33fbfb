"""The graph as tables and as JSON: for pandas, R, spreadsheets and web pages.

``nodes.csv`` and ``edges.csv`` have the columns of the GraphML, after ``id`` (and
``source``, ``target`` for edges), one row per node or edge. They are UTF-8 with a
byte-order mark, which Excel needs to show Chinese instead of mojibake; pandas
(``encoding="utf-8-sig"``) and R's readr skip the mark. Gephi's spreadsheet importer
reads them too (``id``, ``source``, ``target``, ``label`` and ``weight`` are its
names). Edge ids are ``0``, ``1``, ... in edge order, the ids of the GEXF.

``graph.json`` is networkx's node-link data (``nx.node_link_graph(data,
edges="edges")`` reads it back), the shape d3 and sigma.js examples take.
"""
from __future__ import annotations

import csv
import json
import os
from typing import Any

import networkx as nx

from . import atomic_write
from .graphml import Cells, Column, Table, plain_value, present

__all__ = ["write_csv", "write_json", "node_link"]


def write_csv(graph: nx.DiGraph, nodes_path: str | os.PathLike, edges_path: str | os.PathLike) -> None:
    """Write ``nodes.csv`` and ``edges.csv`` (UTF-8 with BOM), each atomically."""
    table = Table.of(graph)
    with atomic_write(nodes_path, "w", encoding="utf-8-sig") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", *(c.name for c in table.node_columns)])
        writer.writerows([node, *_texts(cells, table.node_columns)] for node, cells in table.nodes)
    with atomic_write(edges_path, "w", encoding="utf-8-sig") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "source", "target", *(c.name for c in table.edge_columns)])
        writer.writerows([number, u, v, *_texts(cells, table.edge_columns)]
                         for number, (u, v, cells) in enumerate(table.edges))


def _texts(cells: Cells, columns: list[Column]) -> Cells:
    """The cells as the csv module writes them (numbers as ``str`` does, no value as an
    empty cell), but booleans as ``true``/``false``, as in the GraphML and the JSON;
    pandas reads them as booleans."""
    if not any(c.type is bool for c in columns):
        return cells
    return tuple(str(value).lower() if c.type is bool and value is not None else value
                 for value, c in zip(cells, columns))


def node_link(graph: nx.DiGraph) -> dict[str, Any]:
    """Node-link data of the plain graph (``nx.node_link_data(plain_graph(graph),
    edges="edges")``, made from the table), with the graph's plain attributes."""
    table = Table.of(graph)
    node_names = [c.name for c in table.node_columns]
    edge_names = [c.name for c in table.edge_columns]
    attrs = {str(k): plain_value(v) for k, v in graph.graph.items()}
    return {
        "directed": True,
        "multigraph": False,
        "graph": {k: attrs[k] for k in sorted(attrs) if attrs[k] is not None},
        "nodes": [{**present(node_names, cells), "id": node} for node, cells in table.nodes],
        "edges": [{**present(edge_names, cells), "source": u, "target": v} for u, v, cells in table.edges],
    }


def write_json(graph: nx.DiGraph, path: str | os.PathLike) -> None:
    """Write ``graph.json`` (node-link, UTF-8, characters as they are), atomically."""
    text = json.dumps(node_link(graph), ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    with atomic_write(path, "w", encoding="utf-8") as fh:
        fh.write(text + "\n")
