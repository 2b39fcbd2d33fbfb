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
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import igraph as ig
import networkx as nx

from . import forked
from .config import Config
from .gazetteer import load_gazetteer
from .style import TYPE_COLOURS, UNKNOWN_COLOUR, hex_to_rgb

__all__ = ["decorate", "arrange", "shape_of", "links", "links_of_arrays", "reads_map", "Shape", "Arrangement",
           "node_size", "SEED", "EDGE_LENGTH"]

SEED = 20240601
EDGE_LENGTH = 100.0  # median edge length of a laid-out component, in Gephi's units
_GAP = EDGE_LENGTH  # space between two packed components
_KAMADA_KAWAI_MAX = 100  # larger components: Fruchterman-Reingold (Kamada-Kawai is quadratic)
_FR_LENGTH = 1.2  # igraph's Fruchterman-Reingold settles near this edge length
_FR_STEPS = 500  # Fruchterman-Reingold's iterations for a component of up to _FR_WORK / _FR_STEPS nodes
_FR_MIN_STEPS = 200  # ... and at least this many for a larger one
_FR_WORK = 5_000_000  # node-steps: a step costs about as much as the component's nodes and edges
_CORE_FIRST = _FR_WORK // _FR_STEPS  # larger components: forces on their core, the other nodes placed beside it
_CORE = 3  # ... the core: the nodes left when those with fewer than three neighbours are taken off, again and again
_MEASURED = 5000  # edges whose median length scales a component (``_median_length``)
_BESIDE = 0.3  # how far apart nodes placed at one spot are put, in lengths of the core's edges (their median)
_GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
_DECIMALS = 2  # positions and sizes are rounded: same bytes on every machine

Point = tuple[float, float]


def node_size(mentions: int, degree: int) -> float:
    """10 for a node named once with one neighbour, about 60 for a thousand mentions."""
    return round(10.0 + 5.0 * math.log2(1 + max(mentions, 0) + max(degree, 0)), _DECIMALS)


@dataclass
class Shape:
    """What the picture depends on: the node ids in order, the links between them and
    the attributes that put a node on the map. Plain data, so that it can be built from
    the graph or, before the graph exists, from the merge tables (``Assembler.shape``)."""

    nodes: list  # node ids, sorted as strings
    pairs: array  # the linked pairs (i, j), i < j, indexes into nodes, as i * len(nodes) + j, in order
    weights: array  # the summed weight of each pair
    # index -> the node's type, adcode, longitude and latitude, when it has any; empty unless
    # asked for (``on_map``): only the geographic layout reads them
    where: dict[int, dict]


@dataclass
class Arrangement:
    """The layout's answer, by index into ``Shape.nodes``."""

    community: list[int]
    positions: list[Point]
    degree: list[int]  # neighbours, whatever the direction


MAP_KEYS = ("type", "adcode", "longitude", "latitude")  # the attributes that can put a node on the map


def reads_map(layout: str) -> bool:
    """Whether ``layout`` places nodes by their map attributes (``Shape.where``): only the geographic one does."""
    return layout == "geographic"


Ends = tuple["np.ndarray", "np.ndarray", "np.ndarray"]  # the heads, tails and weights of edges, as arrays


def links(count: int, edges: Iterable[tuple[int, int, object]],
          unless_linked: Iterable[tuple[int, int, object]] = ()) -> tuple[array, array]:
    """The undirected weighted links of ``edges`` (head, tail, weight) between ``count``
    nodes, as ``Shape`` holds them: both directions of a pair add up, and no weight
    counts 1. ``unless_linked``: edges of pairs that none of them names twice, each
    counted only when ``edges`` left its pair unlinked (a co-occurrence is a typed
    edge's count). ``links_of_arrays`` does the work.
    """
    return links_of_arrays(count, _arrays(edges), _arrays(unless_linked))


def _arrays(edges: Iterable[tuple[int, int, object]]) -> Ends:
    import numpy as np  # here: numpy takes 0.05 s to import, and only the links need it

    heads, tails, weights = [], [], []
    for head, tail, weight in edges:
        heads.append(head)
        tails.append(tail)
        weights.append(float(weight or 1))  # type: ignore[arg-type]
    return np.array(heads, np.int64), np.array(tails, np.int64), np.array(weights, np.float64)


def links_of_arrays(count: int, edges: Ends, unless_linked: Ends) -> tuple[array, array]:
    """``links`` of edges given as arrays (the merge tables give theirs so, ``Assembler.shape``):
    numpy orders each pair, sums its weights and leaves out the others' linked pairs, in a
    fifth of the time of a loop over the edges (0.1 s against 0.45 s for 400,000 edges).

    Arrays of numbers pickle as their bytes: the shape goes to the layout's process in a
    few hundredths of a second, where a dict of pairs took 0.27 s at 10,000 articles.
    """
    import numpy as np  # here: numpy takes 0.05 s to import, and only the links need it

    def undirected(heads: np.ndarray, tails: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        apart = heads != tails
        heads, tails, weights = heads[apart], tails[apart], weights[apart]
        weights[weights == 0] = 1.0  # no weight counts 1
        return np.minimum(heads, tails) * count + np.maximum(heads, tails), weights

    pairs, weights = undirected(*edges)
    pairs, at = np.unique(pairs, return_inverse=True)
    weights = np.bincount(at, weights=weights, minlength=len(pairs))
    others, other_weights = undirected(*unless_linked)
    unlinked = ~np.isin(others, pairs)
    pairs = np.concatenate([pairs, others[unlinked]])
    weights = np.concatenate([weights, other_weights[unlinked]])
    order = np.argsort(pairs, kind="stable")
    return array("q", pairs[order].astype(np.int64).tobytes()), array("d", weights[order].astype(np.float64).tobytes())


def shape_of(graph: nx.DiGraph, on_map: bool = True) -> Shape:
    """The shape of a built graph: what ``decorate`` lays out when it is given no arrangement.
    ``on_map``: with the attributes that put nodes on the map (``Shape.where``)."""
    nodes = sorted(graph, key=str)
    index = {node: i for i, node in enumerate(nodes)}
    pairs, weights = links(len(nodes), ((index[u], index[v], weight) for u, v, weight in graph.edges.data("weight", 1)))
    where = {}
    for node, data in graph.nodes(data=True) if on_map else ():
        found = {key: data[key] for key in MAP_KEYS if key in data}
        if found:
            where[index[node]] = found
    return Shape(nodes, pairs, weights, where)


def arrange(shape: Shape, layout: str = "force", fork: bool = False) -> Arrangement:
    """Communities and positions: a function of the shape alone, so any process can compute it.

    ``fork``: find the communities in a child of this process while this one places the
    nodes, when a core is free for it (up to a fifth of the layout's time). Each draws from a
    generator of its own, seeded alike: the same answer with or without the child.
    """
    count = len(shape.nodes)
    undirected = ig.Graph(n=count, edges=[divmod(pair, count) for pair in shape.pairs])
    undirected.es["weight"] = shape.weights.tolist()
    anchors: dict[int, Point] = {}
    if reads_map(layout):
        anchors = _map_anchors(shape.where)
    with forked.start(_communities, undirected, fork=fork) as communities, _seeded_igraph(SEED):
        positions = _positions(undirected, anchors)
        return Arrangement(communities.result(), positions, undirected.degree())


def decorate(graph: nx.DiGraph, config: Config | None = None, arrangement: Arrangement | None = None) -> nx.DiGraph:
    """Add ``r``, ``g``, ``b``, ``size``, ``x``, ``y`` and ``community`` to every node.

    Parameters
    ----------
    graph : the assembled graph; changed in place and returned.
    config : ``config.layout`` picks the layout: ``force`` (each connected component
        laid out on its own, Kamada-Kawai or Fruchterman-Reingold by size, and the
        components packed in rows, largest first) or
        ``geographic`` (places with coordinates at their projected map position, the
        others pulled around them, unplaced components packed under the map).
    arrangement : ``arrange(shape_of(graph), config.layout)`` when it was computed
        already (by another process, while this one built the graph).
    """
    config = config or Config()
    if arrangement is None:
        arrangement = arrange(shape_of(graph, on_map=reads_map(config.layout)), config.layout)
    colours = {kind: hex_to_rgb(colour) for kind, colour in TYPE_COLOURS.items()}
    unknown = hex_to_rgb(UNKNOWN_COLOUR)
    for i, node in enumerate(sorted(graph, key=str)):
        data = graph.nodes[node]
        r, g, b = colours.get(data.get("type", ""), unknown)
        x, y = arrangement.positions[i]
        data.update(
            r=r, g=g, b=b,
            size=node_size(int(data.get("mentions", 0) or 0), arrangement.degree[i]),
            x=round(x, _DECIMALS) + 0.0, y=round(y, _DECIMALS) + 0.0,  # + 0.0: no "-0.0"
            community=arrangement.community[i],
        )
    return graph


@contextlib.contextmanager
def _seeded_igraph(seed: int) -> Iterator[None]:
    """igraph draws from Python's ``random`` module (its default, put back afterwards);
    give it a generator of its own, seeded, meanwhile."""
    ig.set_random_number_generator(random.Random(seed))
    try:
        yield
    finally:
        ig.set_random_number_generator(random)


def _communities(graph: ig.Graph) -> list[int]:
    """Leiden communities (modularity, weighted), numbered by size: 0 is the largest."""
    if graph.vcount() == 0:
        return []
    with _seeded_igraph(SEED):
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
    on_map = [any(v in anchors for v in c) for c in components]
    anchored = sorted(v for c, placed in zip(components, on_map) if placed for v in c)
    loose = sorted((c for c, placed in zip(components, on_map) if not placed), key=lambda c: (-len(c), c[0]))
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
    up to a hundred nodes; Fruchterman-Reingold (on a grid above 1,000 nodes) beyond,
    with fewer steps above 10,000 nodes (``_fr_steps``), and on the core alone
    (``_core_first``).
    """
    if len(vertices) == 1:
        return _Block(vertices, [(0.0, 0.0)])
    if len(vertices) == 2:
        return _Block(vertices, [(0.0, 0.0), (EDGE_LENGTH, 0.0)])
    sub = graph.induced_subgraph(vertices)  # keeps the order of ``vertices`` (sorted)
    if len(vertices) <= _KAMADA_KAWAI_MAX:
        points = _floats(sub.layout_kamada_kawai().coords)
    elif len(vertices) > _CORE_FIRST:
        points = _core_first(sub)
    else:
        points = _floats(sub.layout_fruchterman_reingold(niter=_fr_steps(len(vertices))).coords)
    scale = EDGE_LENGTH / max(_median_length(points, sub.get_edgelist()), 1e-9)
    return _Block(vertices, [(x * scale, y * scale) for x, y in points])


def _median_length(points: list[Point], edges: list[tuple[int, int]]) -> float:
    """The median length of the edges; of 2,500 to 5,000 of them, spread evenly through
    the list, when there are more than ``_MEASURED``: as good a scale, at a fraction of
    the cost (400,000 edges at 10,000 articles)."""
    return statistics.median(math.dist(points[a], points[b]) for a, b in edges[:: 1 + len(edges) // _MEASURED])


def _floats(coords: list[list[float]]) -> list[Point]:
    return [(float(x), float(y)) for x, y in coords]


def _core_first(sub: ig.Graph) -> list[Point]:
    """Fruchterman-Reingold on the component's core (``_CORE``), and each other node put
    beside its neighbours, outwards from the core: at the mean of those placed before it,
    on a sunflower when several come to one spot.

    Past ``_CORE_FIRST`` nodes the layout is most of a large build's end, and its cost
    grows with the nodes. In a graph of news most nodes are named in one or two sentences
    with two or three others (half of an 83,000-node component lies outside its core), and
    forces would put them beside those neighbours anyway: the core's layout takes half
    the time, and the hubs a page shows are all in it. A component whose core is less than
    a quarter of it (a tree, a chain) is laid out whole.
    """
    coreness = sub.coreness()
    core = [v for v, k in enumerate(coreness) if k >= _CORE]
    if 4 * len(core) < sub.vcount():
        return _floats(sub.layout_fruchterman_reingold(niter=_fr_steps(sub.vcount())).coords)
    points: list[Point | None] = [None] * sub.vcount()
    inner = sub.induced_subgraph(core)
    laid = _floats(inner.layout_fruchterman_reingold(niter=_fr_steps(len(core))).coords)
    for v, point in zip(core, laid):
        points[v] = point
    beside = _BESIDE * max(_median_length(laid, inner.get_edgelist()), 1e-9)
    rest = [v for v, k in enumerate(coreness) if k < _CORE]
    neighbours = dict(zip(rest, sub.neighborhood(rest, mindist=1)))
    crowd: dict[Point, int] = {}  # spot -> nodes put there so far
    ready = [v for v in rest if any(points[u] is not None for u in neighbours[v])]
    while ready:  # a ring of nodes at a time, each placed from the rings before it
        ring = []
        for v in ready:
            placed = [points[u] for u in neighbours[v] if points[u] is not None]
            x = sum(p[0] for p in placed) / len(placed)  # type: ignore[index]
            y = sum(p[1] for p in placed) / len(placed)  # type: ignore[index]
            spot = (round(x / beside), round(y / beside))
            j = crowd[spot] = crowd.get(spot, -1) + 1
            radius, angle = beside * math.sqrt(j + 1), j * _GOLDEN_ANGLE
            ring.append((v, (x + radius * math.cos(angle), y + radius * math.sin(angle))))
        for v, point in ring:
            points[v] = point
        ready = sorted({u for v, _ in ring for u in neighbours[v] if points[u] is None})
    return points  # type: ignore[return-value]  # the component is connected: every node is placed


def _fr_steps(nodes: int) -> int:
    """Fruchterman-Reingold's iterations for a component: the time of a step grows with
    its size, and past ``_FR_WORK`` node-steps more of them barely change the picture
    (on a 35,000-node component, 200 steps leave edges as short beside the picture's
    width as 500 do, within 2%, in 40% of the time)."""
    return max(_FR_MIN_STEPS, min(_FR_STEPS, _FR_WORK // max(nodes, 1)))


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


def _map_anchors(where: dict[int, dict]) -> dict[int, Point]:
    """Projected positions of the nodes that have coordinates: centred, north up,
    the larger side of the map 1 long.

    A node has coordinates when it carries ``longitude``/``latitude`` or, for a
    place, an ``adcode`` the gazetteer knows. The projection is equirectangular at
    the mean latitude: shapes true enough at a country's scale.
    """
    lonlat: dict[int, Point] = {}
    divisions = None
    for i, data in sorted(where.items()):
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
    extent = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    return {i: ((x - cx) / extent, (y - cy) / extent) for i, (x, y) in flat.items()}


def _number(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _layout_around_anchors(graph: ig.Graph, vertices: list[int], anchors: dict[int, Point]) -> _Block:
    """Anchors stay where the map puts them; every other node starts at its nearest
    anchor (breadth-first) and is pulled into place by Fruchterman-Reingold.

    The work is done in igraph's units: the map is made ``0.9 * sqrt(n)`` wide, inside
    the square on which igraph's grid (used above 1,000 nodes) keeps repulsion cheap;
    nodes outside it would all be compared with each other.
    """
    sub = graph.induced_subgraph(vertices)
    local = {v: k for k, v in enumerate(vertices)}
    width = 0.9 * math.sqrt(len(vertices))
    on_map = _spread_ties({local[v]: (x * width, y * width) for v, (x, y) in anchors.items() if v in local})
    start: list[Point | None] = [None] * len(vertices)
    for k, p in on_map.items():
        start[k] = p
    frontier = sorted(on_map)
    while frontier:
        following = []
        for k in frontier:
            x, y = start[k]  # type: ignore[misc]
            children = [n for n in sorted(sub.neighbors(k)) if start[n] is None]
            for j, n in enumerate(children):  # a sunflower around the parent: one node per unit of area
                radius, angle = 0.6 * math.sqrt(j + 1), j * _GOLDEN_ANGLE
                start[n] = (x + radius * math.cos(angle), y + radius * math.sin(angle))
            following += children
        frontier = following
    points = [p for p in start if p is not None]
    assert len(points) == len(vertices), "every vertex is connected to an anchor"
    inf = math.inf
    fixed = [k in on_map for k in range(len(vertices))]
    layout = sub.layout_fruchterman_reingold(
        seed=[list(p) for p in points],
        niter=200,  # nodes start near their place: fewer steps, and short ones
        start_temp=2 * _FR_LENGTH,
        minx=[p[0] if f else -inf for p, f in zip(points, fixed)],
        maxx=[p[0] if f else inf for p, f in zip(points, fixed)],
        miny=[p[1] if f else -inf for p, f in zip(points, fixed)],
        maxy=[p[1] if f else inf for p, f in zip(points, fixed)],
    )
    scale = EDGE_LENGTH / _FR_LENGTH
    return _Block(vertices, [(float(x) * scale, float(y) * scale) for x, y in layout.coords])


def _spread_ties(points: dict[int, Point]) -> dict[int, Point]:
    """Places at one spot (a province and its capital) on a small ring around it, in id order."""
    by_spot: dict[Point, list[int]] = {}
    for i, (x, y) in sorted(points.items()):
        by_spot.setdefault((round(x, 2), round(y, 2)), []).append(i)
    out = dict(points)
    for (x, y), ids in by_spot.items():
        if len(ids) > 1:
            for k, i in enumerate(ids):
                angle = 2 * math.pi * k / len(ids)
                out[i] = (x + _FR_LENGTH / 2 * math.cos(angle), y + _FR_LENGTH / 2 * math.sin(angle))
    return out
