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
from .graphml import flatten, plain_graph, plain_value

__all__ = ["write_csv", "write_json", "node_link"]


def write_csv(graph: nx.DiGraph, nodes_path: str | os.PathLike, edges_path: str | os.PathLike) -> None:
    """Write ``nodes.csv`` and ``edges.csv`` (UTF-8 with BOM), each atomically."""
    plain, node_cols, edge_cols = flatten(graph)
    with atomic_write(nodes_path, "w", encoding="utf-8-sig") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", *(c.name for c in node_cols)])
        for node, data in plain.nodes(data=True):
            writer.writerow([node, *(_text(data[c.name]) for c in node_cols)])
    with atomic_write(edges_path, "w", encoding="utf-8-sig") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "source", "target", *(c.name for c in edge_cols)])
        for number, (u, v, data) in enumerate(plain.edges(data=True)):
            writer.writerow([number, u, v, *(_text(data[c.name]) for c in edge_cols)])


def _text(value: str | int | float | bool) -> str:
    # true/false as in the GraphML and the JSON; pandas reads them as booleans
    return str(value).lower() if isinstance(value, bool) else str(value)


def node_link(graph: nx.DiGraph) -> dict[str, Any]:
    """Node-link data of the plain graph, with the graph's plain attributes."""
    data = nx.node_link_data(plain_graph(graph), edges="edges")
    attrs = {str(k): plain_value(v) for k, v in graph.graph.items()}
    data["graph"] = {k: attrs[k] for k in sorted(attrs) if attrs[k] is not None}
    return data


def write_json(graph: nx.DiGraph, path: str | os.PathLike) -> None:
    """Write ``graph.json`` (node-link, UTF-8, characters as they are), atomically."""
    text = json.dumps(node_link(graph), ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    with atomic_write(path, "w", encoding="utf-8") as fh:
        fh.write(text + "\n")
