"""GraphML for Gephi and networkx: named keys, node/edge keys only, plain values."""
from __future__ import annotations

import os

import networkx as nx

from . import atomic_write

__all__ = ["write_graphml", "plain_graph"]


def _plain(value):
    if value is None:
        return ""
    if isinstance(value, (list, tuple, set)):
        return "|".join(str(v) for v in value)
    return value


def plain_graph(graph: nx.DiGraph) -> nx.DiGraph:
    """A copy whose attributes are all str/int/float/bool and that has no graph attributes."""
    out = nx.DiGraph()
    out.add_nodes_from((n, {k: _plain(v) for k, v in d.items()}) for n, d in graph.nodes(data=True))
    out.add_edges_from((u, v, {k: _plain(x) for k, x in d.items()}) for u, v, d in graph.edges(data=True))
    return out


def write_graphml(graph: nx.DiGraph, path: str | os.PathLike) -> None:
    with atomic_write(path, "wb") as fh:
        nx.write_graphml(plain_graph(graph), fh, encoding="utf-8", named_key_ids=True)
