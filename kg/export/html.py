"""The interactive HTML page of the graph: one self-contained file that opens offline.

pyvis builds the graph that vis-network draws: ``pyvis.network.Network`` turns kg's
nodes and edges into vis-network's node and edge records (label, colour, size,
position; colour, width, dashes, arrows), and the page loads them into vis-network's
DataSets as they are. pyvis also ships vis-network's script and style, which the page
inlines. What the side panel and the search need (aliases, documents, mentions,
relation, title, weight, evidence) travels beside them as kg's own JSON.

The page itself is kg's template (``kg/templates/graph.html``, ``graph.css``,
``graph.js``), not pyvis's: pyvis's ``in_line`` template still links Bootstrap from a
CDN, and its ``write_html`` writes in the platform's encoding, not UTF-8. Here nothing
is requested from anywhere: a Content-Security-Policy allows only the page's own two
scripts (by hash) and forbids every connection, so even text that got into the page as
markup could neither run nor load anything.

The data travels as JSON in a ``<script type="application/json">`` element, with
``<``, ``>``, ``&`` and U+2028/2029 escaped so that no article text can close the
element. The page's script builds the side panel with ``textContent`` only: article
text is always shown as text.
"""
from __future__ import annotations

import base64
import hashlib
import heapq
import json
import math
import os
from dataclasses import dataclass
from functools import cache, partial
from importlib.resources import files
from typing import Any

import jinja2
import networkx as nx
from markupsafe import Markup

from ..layout import node_size
from ..style import RELATION_STYLES, TYPE_COLOURS, UNKNOWN_COLOUR
from . import atomic_write

__all__ = ["write_html", "generate_html", "page_data", "vis_records", "keep_nodes", "keep_edges",
           "json_for_script", "TYPE_COLOURS"]

VIS_VERSION = "vis-9.1.2"
DIRECTED = {"role", "located_in", "part_of", "runs"}  # co_occurs is symmetric: no arrow
_SPREAD = 2.0  # page pixels per layout unit
DOCUMENTS_SHOWN = 100  # of a node's or an edge's documents, the page names the first this many
INK = "#1f2933"  # the border of a highlighted node, as the page's text

_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


@dataclass(frozen=True)
class _Assets:
    vis_js: str
    vis_css: str
    page_js: str
    page_css: str
    template: jinja2.Template


@cache
def _assets() -> _Assets:
    vis = files("pyvis") / "lib" / VIS_VERSION
    templates = files("kg") / "templates"
    env = jinja2.Environment(autoescape=True, keep_trailing_newline=True, undefined=jinja2.StrictUndefined)
    return _Assets(
        vis_js=(vis / "vis-network.min.js").read_text(encoding="utf-8"),
        vis_css=(vis / "vis-network.css").read_text(encoding="utf-8"),
        page_js=(templates / "graph.js").read_text(encoding="utf-8"),
        page_css=(templates / "graph.css").read_text(encoding="utf-8"),
        template=env.from_string((templates / "graph.html").read_text(encoding="utf-8")),
    )


def json_for_script(value: Any) -> str:
    """JSON that is safe inside a ``<script>`` element: nothing in it can end the element."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    for character, escape in _ESCAPES.items():  # str.replace: much quicker than a loop over characters
        text = text.replace(character, escape)
    return text


def keep_nodes(graph: nx.DiGraph, max_nodes: int) -> list[str]:
    """The ``max_nodes`` most connected nodes (ties: most mentioned, then by id), sorted by id."""
    degree, data = graph.degree, graph.nodes
    ranked = heapq.nsmallest(max_nodes, graph, key=lambda n: (-degree(n), -int(data[n].get("mentions", 0)), str(n)))
    return sorted(ranked, key=str)


def _typed_and_heaviest_first(graph: nx.DiGraph, pair: tuple[str, str]) -> tuple[bool, int, tuple[str, str]]:
    """Sort key of edges: typed relations before co-occurrences, then the heaviest, ties by node ids."""
    data = graph.edges[pair]
    return data.get("relation") == "co_occurs", -int(data.get("weight", 1)), pair


def keep_edges(graph: nx.DiGraph, pairs: list[tuple[str, str]], max_edges: int) -> list[tuple[str, str]]:
    """At most ``max_edges`` of ``pairs`` (sorted edges of ``graph``), in their order.

    The cap keeps the page quick to draw: vis-network draws every edge it holds at each
    frame, and the best-connected nodes of a large corpus have more typed relations
    among them than any cap (56,000 at 50,000 generated articles). So each node's first
    edge comes first, so that no node with an edge is left alone on the page, and then
    the others while room remains: in both, typed relations (anything but ``co_occurs``)
    before co-occurrences, the heaviest first, ties by node ids. Only when the nodes'
    first edges alone exceed the cap are they all kept anyway.
    """
    if len(pairs) <= max_edges:
        return pairs
    first = partial(_typed_and_heaviest_first, graph)
    by_node: dict[str, list[tuple[str, str]]] = {}
    for pair in pairs:
        for node in pair:
            by_node.setdefault(node, []).append(pair)
    kept = {min(edges, key=first) for edges in by_node.values()}
    rest = sorted((pair for pair in pairs if pair not in kept), key=first)
    kept.update(rest[:max(0, max_edges - len(kept))])
    return [pair for pair in pairs if pair in kept]


def _split(value: Any) -> list[str]:
    if isinstance(value, (list, tuple, set)):
        return sorted(str(v) for v in value)
    return [part for part in str(value or "").split("|") if part]


def _positions(graph: nx.DiGraph, nodes: list[str]) -> list[tuple[float, float]] | None:
    """The layout's positions (``kg.layout.decorate``) in page pixels, or None when the
    graph has none: the page then runs vis-network's physics until it settles, and stops.

    The picture is Gephi's, enlarged ``_SPREAD`` times so that labels have room (an edge
    of the layout is about 100 units long, a name 100 pixels wide), and with y negated:
    the layout's y grows upwards, as in Gephi, the screen's downwards.
    """
    try:
        xy = [(float(graph.nodes[n]["x"]), -float(graph.nodes[n]["y"])) for n in nodes]
    except (KeyError, TypeError, ValueError):
        return None
    if not xy or not all(math.isfinite(c) for p in xy for c in p):
        return None
    return [(round(x * _SPREAD, 1) + 0.0, round(y * _SPREAD, 1) + 0.0) for x, y in xy]  # + 0.0: no "-0.0"


def _radius(graph: nx.DiGraph, node: str) -> float:
    """The drawn radius: half the layout's size (Gephi's size is a diameter), or else
    half the size the layout would give."""
    data = graph.nodes[node]
    size = data.get("size")
    if not isinstance(size, (int, float)) or not math.isfinite(size) or size <= 0:
        size = node_size(int(data.get("mentions", 0) or 0), graph.degree(node))
    return round(max(size / 2, 3.0), 1)


def _relation_style(relation: str) -> dict[str, Any]:
    style = RELATION_STYLES.get(relation, {"color": UNKNOWN_COLOUR, "dashes": False, "width": 1})
    return {"color": style["color"], "dashes": bool(style["dashes"]), "width": style["width"],
            "directed": relation in DIRECTED}


def _node_colour(type_name: str) -> dict[str, Any]:
    colour = TYPE_COLOURS.get(type_name, UNKNOWN_COLOUR)
    outlined = {"background": colour, "border": INK}
    return {"background": colour, "border": colour, "highlight": outlined, "hover": outlined}


def _edge_width(relation: str, weight: int) -> float:
    """The relation's width; a co-occurrence seen in more sentences is drawn thicker."""
    width = _relation_style(relation)["width"]
    if relation == "co_occurs":
        width += min(3.0, math.log2(max(weight, 1)))
    return round(width, 2)


class _NodeIds(list):
    """pyvis's list of node ids, with a set beside it: pyvis looks a node up in the list
    for every node and every edge end it adds, which made a page of n nodes and m
    edges cost n * (n + m)."""

    def __init__(self) -> None:
        super().__init__()
        self._known: set[Any] = set()

    def append(self, node: Any) -> None:
        super().append(node)
        self._known.add(node)

    def __contains__(self, node: object) -> bool:
        return node in self._known


def vis_records(nodes: list[dict[str, Any]], edges: list[dict[str, Any]], sizes: list[float],
                positions: list[tuple[float, float]] | None) -> dict[str, list[dict[str, Any]]]:
    """vis-network's node and edge records for the page's nodes and edges, built by pyvis.

    ``nodes`` and ``edges`` are the page's own records (``page_data``): their ids are
    the vis ids, so that a click on the drawing finds the panel's data. ``sizes`` and
    ``positions`` (if any) go by node id.
    """
    from pyvis.network import Network  # pyvis imports IPython: load it only when a page is made

    net = Network(directed=True)
    net.node_ids = _NodeIds()
    for node in nodes:
        where = {}
        if positions:
            where["x"], where["y"] = positions[node["id"]]
        net.add_node(node["id"], label=node["label"], color=_node_colour(node["type"]), size=sizes[node["id"]],
                     shape="dot", **where)
    for edge in edges:
        style = _relation_style(edge["relation"])
        colour = style["color"]
        net.add_edge(edge["from"], edge["to"], id=edge["id"], width=_edge_width(edge["relation"], edge["weight"]),
                     dashes=style["dashes"],
                     color={"color": colour, "highlight": colour, "hover": colour, "inherit": False},
                     arrows={"to": {"enabled": style["directed"], "scaleFactor": 0.6}})
    return {"nodes": net.nodes, "edges": net.edges}


def page_data(graph: nx.DiGraph, max_nodes: int = 2000, title: str = "kg",
              min_cooccurrence: int = 1, max_edges: int = 20000) -> dict[str, Any]:
    """Everything the page shows, as plain JSON-ready data; ``graph`` is not changed.

    ``vis`` holds what vis-network draws (``vis_records``); ``nodes`` and ``edges``
    what the panel and the search tell about each, under the same ids, which are
    indexes into the lists. Evidence sentences are stored once in ``sentences`` (the
    co-occurrence edges of one sentence all quote it), and document ids once in
    ``documents``: in a large corpus the best-connected nodes and their edges each name
    thousands of the same articles, whose ids would otherwise be half the page. Each
    names its first ``DOCUMENTS_SHOWN`` documents, and ``more_documents`` counts the
    others, if any: at 200,000 articles a node named 24,000, more than anyone reads in a
    panel, and their indexes were a third of the page.
    ``total`` counts the whole graph, ``among_kept`` the edges between the kept nodes
    before ``keep_edges`` capped them, so that the page can say what it left out.
    """
    kept = keep_nodes(graph, max_nodes)
    index = {n: i for i, n in enumerate(kept)}
    positions = _positions(graph, kept)
    documents: dict[str, int] = {}

    def numbered(value: Any) -> dict[str, Any]:
        """The first ``DOCUMENTS_SHOWN`` documents by id, as indexes into ``documents``, and
        how many more there are, if any."""
        named = sorted(_split(value))
        out: dict[str, Any] = {"documents": [documents.setdefault(doc, len(documents))
                                             for doc in named[:DOCUMENTS_SHOWN]]}
        if len(named) > DOCUMENTS_SHOWN:
            out["more_documents"] = len(named) - DOCUMENTS_SHOWN
        return out

    nodes = []
    for i, n in enumerate(kept):
        d = graph.nodes[n]
        nodes.append({
            "id": i, "key": str(n), "label": str(d.get("label", n)), "type": str(d.get("type", "")),
            "aliases": _split(d.get("aliases")), **numbered(d.get("documents")),
            "mentions": int(d.get("mentions", 0)),
        })

    among_kept = sorted((u, v) for u in kept for v in graph.succ[u] if v in index)  # no pass over all edges
    sentences: dict[str, int] = {}
    edges = []
    for u, v in keep_edges(graph, among_kept, max_edges):
        d = graph.edges[u, v]
        evidence = str(d.get("evidence") or "")
        edges.append({
            "id": len(edges), "from": index[u], "to": index[v], "relation": str(d.get("relation", "")),
            "title": str(d.get("title") or ""), "weight": int(d.get("weight", 1)),
            "cooccurrences": int(d.get("cooccurrences", 0)), **numbered(d.get("documents")),
            "evidence": sentences.setdefault(evidence, len(sentences)) if evidence else -1,
        })

    type_names = list(TYPE_COLOURS) + sorted({n["type"] for n in nodes} - set(TYPE_COLOURS))
    relation_names = list(RELATION_STYLES) + sorted({e["relation"] for e in edges} - set(RELATION_STYLES))
    heaviest = max((e["weight"] for e in edges if e["relation"] == "co_occurs"), default=1)
    return {
        "title": title,
        "positioned": positions is not None,
        "types": [{"name": t, "colour": TYPE_COLOURS.get(t, UNKNOWN_COLOUR),
                   "count": sum(1 for n in nodes if n["type"] == t)} for t in type_names],
        "relations": [{"name": r, **_relation_style(r), "count": sum(1 for e in edges if e["relation"] == r)}
                      for r in relation_names],
        "vis": vis_records(nodes, edges, [_radius(graph, n) for n in kept], positions),
        "nodes": nodes,
        "edges": edges,
        "sentences": list(sentences),
        "documents": list(documents),
        "total": {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()},
        "among_kept": {"edges": len(among_kept)},
        "cooccurrence": {"max": heaviest, "initial": max(1, min(min_cooccurrence, heaviest))},
    }


def _script_hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


def generate_html(graph: nx.DiGraph, title: str = "kg", max_nodes: int = 2000, min_cooccurrence: int = 1,
                  max_edges: int = 20000) -> str:
    """The page as a string: the same graph always gives the same bytes."""
    assets = _assets()
    data = page_data(graph, max_nodes=max_nodes, title=title, min_cooccurrence=min_cooccurrence,
                     max_edges=max_edges)
    return assets.template.render(
        title=title,
        vis_css=Markup(assets.vis_css),
        page_css=Markup(assets.page_css),
        vis_js=Markup(assets.vis_js),
        page_js=Markup(assets.page_js),
        data_json=Markup(json_for_script(data)),
        script_hashes=Markup(" ".join(_script_hash(s) for s in (assets.vis_js, assets.page_js))),
    )


def write_html(graph: nx.DiGraph, path: str | os.PathLike, title: str = "kg", max_nodes: int = 2000,
               min_cooccurrence: int = 1, max_edges: int = 20000) -> None:
    """Write the page to ``path`` in UTF-8, atomically.

    Parameters
    ----------
    graph : the assembled (and, ideally, decorated) graph; it is not changed.
    max_nodes : the page keeps this many of the most connected nodes and says so.
    min_cooccurrence : where the co-occurrence weight slider starts.
    max_edges : the page keeps at most this many edges among those nodes (``keep_edges``),
        more only when typed relations and each node's strongest edge need them, and says so.
    """
    page = generate_html(graph, title=title, max_nodes=max_nodes, min_cooccurrence=min_cooccurrence,
                         max_edges=max_edges)
    with atomic_write(path, "w", encoding="utf-8") as fh:
        fh.write(page)
