"""Interactive HTML page of the graph, made with pyvis, that opens offline."""
from __future__ import annotations

import os
import re

import networkx as nx
from pyvis.network import Network

from . import atomic_write

__all__ = ["write_html", "TYPE_COLOURS"]

from ..style import TYPE_COLOURS


def write_html(graph: nx.DiGraph, path: str | os.PathLike, title: str = "kg") -> None:
    net = Network(height="100vh", width="100%", directed=True, cdn_resources="in_line")
    for node, data in graph.nodes(data=True):
        net.add_node(node, label=data["label"], color=TYPE_COLOURS.get(data["type"], "#999"),
                     value=data.get("mentions", 1))
    for u, v, data in graph.edges(data=True):
        net.add_edge(u, v, value=data.get("weight", 1))
    html = net.generate_html()
    html = re.sub(r"<link[^>]+bootstrap[^>]*>|<script[^>]+bootstrap[^>]*></script>", "", html)
    with atomic_write(path, "w", encoding="utf-8") as fh:
        fh.write(html)
