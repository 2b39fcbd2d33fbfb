"""GEXF, Gephi's own format: the columns of the GraphML, with colours, sizes and
positions as ``viz`` elements that Gephi applies on import.

Nodes carry ``viz:color`` (their type's colour), ``viz:size`` and ``viz:position``
from ``kg.layout.decorate``; edges carry their relation's colour, the one of the
HTML page. The file has no date in it, so the same graph gives the same bytes.
"""
from __future__ import annotations

import os

import networkx as nx
from networkx.readwrite.gexf import GEXFWriter

from .. import __version__
from ..style import RELATION_STYLES, UNKNOWN_COLOUR, hex_to_rgb
from . import atomic_write
from .graphml import plain_graph

__all__ = ["gexf_graph", "write_gexf"]

_VIZ_NODE = ("r", "g", "b", "size", "x", "y")  # moved from the columns into viz


def gexf_graph(graph: nx.DiGraph) -> nx.DiGraph:
    """The plain graph of the GraphML with ``viz`` data as networkx's GEXF writer takes it.

    Edges get ids ``0``, ``1``, ... in the graph's edge order, as in ``edges.csv``.
    """
    out = plain_graph(graph)
    for _, data in out.nodes(data=True):
        if all(k in data for k in _VIZ_NODE):  # a decorated graph
            viz = {k: data.pop(k) for k in _VIZ_NODE}
            data["viz"] = {
                "color": {"r": viz["r"], "g": viz["g"], "b": viz["b"], "a": 1.0},
                "size": viz["size"],
                "position": {"x": viz["x"], "y": viz["y"], "z": 0.0},
            }
    for number, (_, _, data) in enumerate(out.edges(data=True)):
        r, g, b = hex_to_rgb(RELATION_STYLES.get(str(data.get("relation")), {}).get("color", UNKNOWN_COLOUR))
        data["viz"] = {"color": {"r": r, "g": g, "b": b, "a": 1.0}}
        data["id"] = str(number)
    return out


def write_gexf(graph: nx.DiGraph, path: str | os.PathLike) -> None:
    """Write ``graph`` as GEXF 1.2 for Gephi, atomically."""
    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    meta = writer.xml.find("meta")
    if meta is not None:  # networkx stamps today's date: drop it, name kg as the creator
        meta.attrib.pop("lastmodifieddate", None)
        creator = meta.find("creator")
        if creator is not None:
            creator.text = f"kg {__version__}"
    writer.add_graph(gexf_graph(graph))
    with atomic_write(path, "wb") as fh:
        writer.write(fh)
