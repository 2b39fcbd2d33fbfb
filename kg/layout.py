"""How the graph looks: each node's colour, size, position and community.

``decorate`` runs once, after assembly, and stores the results on the nodes, so that
every view shows the same picture: Gephi reads ``r``/``g``/``b``, ``size``, ``x``/``y``
from the GraphML (and their ``viz`` twins from the GEXF), the HTML page reuses the
positions, and ``community`` is a column to colour by.

Both computations use igraph, which stays fast on large graphs (50,000 nodes in a few
seconds), with its random numbers drawn from a generator of our own seed: the same
graph always gets the same picture. Positions are in Gephi's units and orientation
(``y`` grows upwards, north with the geographic layout); a screen flips ``y``.
"""
from __future__ import annotations

import contextlib
import math
import random
import statistics
from collections.abc import Iterator
from dataclasses import dataclass

import igraph as ig
import networkx as nx

from .config import Config
from .gazetteer import load_gazetteer
from .style import TYPE_COLOURS, UNKNOWN_COLOUR, hex_to_rgb

__all__ = ["decorate", "node_size", "SEED", "EDGE_LENGTH"]

SEED = 20240601
EDGE_LENGTH = 100.0  # median edge length of a laid-out component, in Gephi's units
_GAP = EDGE_LENGTH  # space between two packed components
_KAMADA_KAWAI_MAX = 300  # larger components: Fruchterman-Reingold (Kamada-Kawai is quadratic)
_FR_LENGTH = 1.2  # igraph's Fruchterman-Reingold settles near this edge length
_DECIMALS = 2  # positions and sizes are rounded: same bytes on every machine

Point = tuple[float, float]


def node_size(mentions: int, degree: int) -> float:
    """10 for a node named once with one neighbour, about 60 for a thousand mentions."""
    return round(10.0 + 5.0 * math.log2(1 + max(mentions, 0) + max(degree, 0)), _DECIMALS)


def decorate(graph: nx.DiGraph, config: Config | None = None) -> nx.DiGraph:
    """Add ``r``, ``g``, ``b``, ``size``, ``x``, ``y`` and ``community`` to every node.

    Parameters
    ----------
    graph : the assembled graph; changed in place and returned.
    config : ``config.layout`` picks the layout: ``force`` (connected components laid
        out by Fruchterman-Reingold and packed in rows, largest first) or
        ``geographic`` (places with coordinates at their projected map position, the
        others pulled around them, unplaced components packed under the map).
    """
    config = config or Config()
    nodes = sorted(graph, key=str)
    index = {node: i for i, node in enumerate(nodes)}
    weights: dict[tuple[int, int], float] = {}
    for u, v, data in graph.edges(data=True):
        if u != v:
            pair = (min(index[u], index[v]), max(index[u], index[v]))
            weights[pair] = weights.get(pair, 0.0) + float(data.get("weight", 1) or 1)
    pairs = sorted(weights)
    undirected = ig.Graph(n=len(nodes), edges=pairs)
    undirected.es["weight"] = [weights[p] for p in pairs]

    anchors: dict[int, Point] = {}
    if config.layout == "geographic":
        anchors = _map_anchors([graph.nodes[n] for n in nodes])
    with _seeded_igraph(SEED):
        community = _communities(undirected)
        positions = _positions(undirected, anchors)

    for node, i in index.items():
        data = graph.nodes[node]
        r, g, b = hex_to_rgb(TYPE_COLOURS.get(data.get("type", ""), UNKNOWN_COLOUR))
        x, y = positions[i]
        data.update(
            r=r, g=g, b=b,
            size=node_size(int(data.get("mentions", 0) or 0), undirected.degree(i)),
            x=round(x, _DECIMALS) + 0.0, y=round(y, _DECIMALS) + 0.0,  # + 0.0: no "-0.0"
            community=community[i],
        )
    return graph


@contextlib.contextmanager
def _seeded_igraph(seed: int) -> Iterator[None]:
    """igraph draws from Python's ``random`` module; give it its own seeded generator meanwhile."""
    ig.set_random_number_generator(random.Random(seed))
    try:
        yield
    finally:
        ig.set_random_number_generator(random)


def _communities(graph: ig.Graph) -> list[int]:
    """Leiden communities (modularity, weighted), numbered by size: 0 is the largest."""
    if graph.vcount() == 0:
        return []
    membership = graph.community_leiden(objective_function="modularity", weights="weight").membership
    members: dict[int, list[int]] = {}
    for vertex, c in enumerate(membership):
        members.setdefault(c, []).append(vertex)
    order = sorted(members.values(), key=lambda vs: (-len(vs), vs[0]))
    number = {membership[vs[0]]: n for n, vs in enumerate(order)}
    return [number[c] for c in membership]


# ---------------------------------------------------------------- positions


@dataclass
class _Block:
    """A laid-out part of the graph, before it is moved to its place in the picture."""

    vertices: list[int]
    points: list[Point]

    def box(self) -> tuple[float, float, float, float]:
        xs, ys = [p[0] for p in self.points], [p[1] for p in self.points]
        return min(xs), min(ys), max(xs), max(ys)


def _positions(graph: ig.Graph, anchors: dict[int, Point]) -> list[Point]:
    components = [sorted(c) for c in graph.connected_components()]
    anchored = sorted(v for c in components if any(v in anchors for v in c) for v in c)
    loose = sorted((c for c in components if not any(v in anchors for v in c)), key=lambda c: (-len(c), c[0]))
    blocks = [_layout_component(graph, c) for c in loose]
    out: list[Point] = [(0.0, 0.0)] * graph.vcount()
    left = top = width = 0.0
    if anchored:
        geo = _layout_around_anchors(graph, anchored, anchors)
        for v, p in zip(geo.vertices, geo.points):
            out[v] = p
        x0, y0, x1, _ = geo.box()
        left, top, width = x0, y0 - _GAP, x1 - x0  # the other components go under the map
    for block, (dx, dy) in zip(blocks, _pack([b.box() for b in blocks], left, top, width)):
        for v, (x, y) in zip(block.vertices, block.points):
            out[v] = (x + dx, y + dy)
    if not anchored:
        out = _centred(out)
    return out


def _layout_component(graph: ig.Graph, vertices: list[int]) -> _Block:
    """One connected component, scaled to ``EDGE_LENGTH``.

    Kamada-Kawai (even edge lengths, clusters not crushed) while it is cheap, that is
    up to a few hundred nodes; Fruchterman-Reingold on a grid above.
    """
    if len(vertices) == 1:
        return _Block(vertices, [(0.0, 0.0)])
    if len(vertices) == 2:
        return _Block(vertices, [(0.0, 0.0), (EDGE_LENGTH, 0.0)])
    sub = graph.induced_subgraph(vertices)  # keeps the order of ``vertices`` (sorted)
    if len(vertices) <= _KAMADA_KAWAI_MAX:
        layout = sub.layout_kamada_kawai()
    else:
        layout = sub.layout_fruchterman_reingold(niter=500)
    points = [(float(x), float(y)) for x, y in layout.coords]
    lengths = [math.dist(points[a], points[b]) for a, b in sub.get_edgelist()]
    scale = EDGE_LENGTH / max(statistics.median(lengths), 1e-9)
    return _Block(vertices, [(x * scale, y * scale) for x, y in points])


def _pack(boxes: list[tuple[float, float, float, float]], left: float = 0.0, top: float = 0.0,
          width: float = 0.0) -> list[Point]:
    """Offsets that put boxes in rows, in the given order, from (``left``, ``top``) down.

    The rows are about as wide as the whole would be if square, and never narrower
    than ``width`` or the widest box.
    """
    sizes = [(x1 - x0 + _GAP, y1 - y0 + _GAP) for x0, y0, x1, y1 in boxes]
    width = max([width, math.sqrt(sum(w * h for w, h in sizes))] + [w for w, _ in sizes])
    offsets = []
    x, y, row_height = left, top, 0.0
    for (x0, y0, x1, y1), (w, h) in zip(boxes, sizes):
        if x > left and x + w > left + width:
            x, y, row_height = left, y - row_height, 0.0
        offsets.append((x - x0, y - y1))  # the box's top-left corner at (x, y)
        x += w
        row_height = max(row_height, h)
    return offsets


def _centred(points: list[Point]) -> list[Point]:
    if not points:
        return points
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    return [(x - cx, y - cy) for x, y in points]


# ---------------------------------------------------------------- geographic


def _map_anchors(nodes: list[dict]) -> dict[int, Point]:
    """Projected positions (Gephi units, north up) of the nodes that have coordinates.

    A node has coordinates when it carries ``longitude``/``latitude`` or, for a
    place, an ``adcode`` the gazetteer knows. The projection is equirectangular at
    the mean latitude (shapes true enough at a country's scale), scaled so that the
    map is as large as a force layout of its nodes would be.
    """
    lonlat: dict[int, Point] = {}
    divisions = None
    for i, data in enumerate(nodes):
        lon, lat = _number(data.get("longitude")), _number(data.get("latitude"))
        if (lon is None or lat is None) and data.get("type") == "place" and data.get("adcode"):
            divisions = divisions or load_gazetteer().by_code
            division = divisions.get(str(data["adcode"]))
            if division is not None:
                lon, lat = division.longitude, division.latitude
        if lon is not None and lat is not None and (lon, lat) != (0.0, 0.0):
            lonlat[i] = (lon, lat)
    if not lonlat:
        return {}
    squeeze = math.cos(math.radians(statistics.fmean(lat for _, lat in lonlat.values())))
    flat = {i: (lon * squeeze, lat) for i, (lon, lat) in lonlat.items()}
    xs, ys = [p[0] for p in flat.values()], [p[1] for p in flat.values()]
    extent = max(max(xs) - min(xs), max(ys) - min(ys))
    scale = 2.0 * EDGE_LENGTH * math.sqrt(len(nodes)) / extent if extent > 1e-9 else 1.0
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    return _spread_ties({i: ((x - cx) * scale, (y - cy) * scale) for i, (x, y) in flat.items()})


def _spread_ties(points: dict[int, Point]) -> dict[int, Point]:
    """Places at the same spot (a province and its capital) on a small ring around it."""
    by_spot: dict[Point, list[int]] = {}
    for i, (x, y) in sorted(points.items()):
        by_spot.setdefault((round(x, 1), round(y, 1)), []).append(i)
    out = dict(points)
    for (x, y), ids in by_spot.items():
        if len(ids) > 1:
            radius = EDGE_LENGTH / 3
            for k, i in enumerate(ids):
                angle = 2 * math.pi * k / len(ids)
                out[i] = (x + radius * math.cos(angle), y + radius * math.sin(angle))
    return out


def _number(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _layout_around_anchors(graph: ig.Graph, vertices: list[int], anchors: dict[int, Point]) -> _Block:
    """Anchors stay where the map puts them; every other node starts at its nearest
    anchor (breadth-first) and is pulled into place by Fruchterman-Reingold."""
    sub = graph.induced_subgraph(vertices)
    local = {v: k for k, v in enumerate(vertices)}
    unit = _FR_LENGTH / EDGE_LENGTH  # work in igraph's units, where edges settle
    start: list[Point | None] = [None] * len(vertices)
    frontier = []
    for v, (x, y) in anchors.items():
        if v in local:
            start[local[v]] = (x * unit, y * unit)
            frontier.append(local[v])
    frontier.sort()
    rng = random.Random(SEED)
    while frontier:
        following = []
        for k in frontier:
            for n in sorted(sub.neighbors(k)):
                if start[n] is None:
                    x, y = start[k]  # type: ignore[misc]
                    start[n] = (x + rng.uniform(-1, 1), y + rng.uniform(-1, 1))
                    following.append(n)
        frontier = following
    inf = math.inf
    fixed = [vertices[k] in anchors for k in range(len(vertices))]
    xs = [p[0] for p in start]  # type: ignore[index]
    ys = [p[1] for p in start]  # type: ignore[index]
    layout = sub.layout_fruchterman_reingold(
        seed=[list(p) for p in start],  # type: ignore[arg-type]
        niter=500,
        minx=[x if f else -inf for x, f in zip(xs, fixed)], maxx=[x if f else inf for x, f in zip(xs, fixed)],
        miny=[y if f else -inf for y, f in zip(ys, fixed)], maxy=[y if f else inf for y, f in zip(ys, fixed)],
    )
    return _Block(vertices, [(float(x) / unit, float(y) / unit) for x, y in layout.coords])
