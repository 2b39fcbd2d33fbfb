"""decorate(): colours, sizes, positions and communities that every export and the page share."""
from __future__ import annotations

import math
import random
import statistics
from array import array

import networkx as nx
import pytest

from kg.config import Config
from kg.layout import EDGE_LENGTH, decorate, links, links_of_arrays, node_size, shape_of
from kg.style import TYPE_COLOURS, UNKNOWN_COLOUR, hex_to_rgb


def _clique(graph: nx.DiGraph, names: list[str], kind: str = "agency") -> None:
    for name in names:
        graph.add_node(name, label=name, type=kind, mentions=2)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            graph.add_edge(a, b, relation="co_occurs", weight=1)


def _two_clusters() -> nx.DiGraph:
    graph = nx.DiGraph()
    _clique(graph, ["市公安局", "市检察院", "市法院", "市司法局", "市政府"])
    _clique(graph, ["张三", "李四", "王五"], kind="person")
    graph.add_edge("张三", "市公安局", relation="role", weight=1)
    graph.add_node("乡村振兴", label="乡村振兴", type="program", mentions=1)  # alone
    return graph


def _components(graph: nx.DiGraph) -> list[set[str]]:
    return [set(c) for c in nx.weakly_connected_components(graph)]


def test_colours_are_the_legend_colours_of_the_type():
    graph = _two_clusters()
    graph.add_node("某物", label="某物", type="thing", mentions=1)
    decorate(graph)
    for node, data in graph.nodes(data=True):
        expected = hex_to_rgb(TYPE_COLOURS.get(data["type"], UNKNOWN_COLOUR))
        assert (data["r"], data["g"], data["b"]) == expected, node
        assert all(type(data[c]) is int for c in "rgb")


def test_size_grows_with_mentions_and_neighbours():
    graph = _two_clusters()
    decorate(graph)
    assert graph.nodes["乡村振兴"]["size"] == node_size(1, 0)
    assert graph.nodes["市公安局"]["size"] == node_size(2, 5)  # four in its clique, 张三
    assert node_size(1, 0) < node_size(1, 3) < node_size(100, 3) < node_size(1000, 3)
    assert all(type(d["size"]) is float and d["size"] >= 10 for _, d in graph.nodes(data=True))


def test_positions_are_finite_floats_with_edges_of_the_set_length():
    graph = _two_clusters()
    decorate(graph)
    for _, data in graph.nodes(data=True):
        assert type(data["x"]) is float and type(data["y"]) is float
        assert math.isfinite(data["x"]) and math.isfinite(data["y"])
    lengths = [math.dist((graph.nodes[u]["x"], graph.nodes[u]["y"]), (graph.nodes[v]["x"], graph.nodes[v]["y"]))
               for u, v in graph.edges]
    assert statistics.median(lengths) == pytest.approx(EDGE_LENGTH, rel=0.01)
    assert min(lengths) > EDGE_LENGTH / 4  # no edge squashed to a point


@pytest.mark.parametrize("count, chords, exact", [(150, 1, True), (1500, 4, False)],
                         ids=["every edge measured", "a sample of 6,000 edges measured"])
def test_a_large_component_is_scaled_the_same(count, chords, exact):
    graph = nx.DiGraph()
    names = [f"机构{i}" for i in range(count)]  # above the Kamada-Kawai limit: Fruchterman-Reingold
    for i, name in enumerate(names):
        graph.add_node(name, label=name, type="agency", mentions=1)
        graph.add_edge(name, names[(i + 1) % count], relation="co_occurs", weight=1)
        for k in range(chords):
            graph.add_edge(name, names[(i * (7 + k)) % count], relation="co_occurs", weight=1)
    decorate(graph)
    lengths = [math.dist((graph.nodes[u]["x"], graph.nodes[u]["y"]), (graph.nodes[v]["x"], graph.nodes[v]["y"]))
               for u, v in graph.edges if u != v]
    assert statistics.median(lengths) == pytest.approx(EDGE_LENGTH, rel=0.01 if exact else 0.05)
    assert len({(d["x"], d["y"]) for _, d in graph.nodes(data=True)}) == count  # no two nodes on one spot


def test_components_are_packed_apart():
    graph = _two_clusters()
    for i in range(6):  # a few more small components: pairs and lone nodes
        graph.add_node(f"人{i}", label=f"人{i}", type="person", mentions=1)
        if i % 2:
            graph.add_edge(f"人{i}", f"人{i - 1}", relation="co_occurs", weight=1)
    decorate(graph)

    def box(nodes):
        xs = [graph.nodes[n]["x"] for n in nodes]
        ys = [graph.nodes[n]["y"] for n in nodes]
        return min(xs), min(ys), max(xs), max(ys)

    boxes = [box(c) for c in _components(graph)]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            apart = a[2] < b[0] or b[2] < a[0] or a[3] < b[1] or b[3] < a[1]
            assert apart, (a, b)


def test_communities_are_the_clusters_numbered_by_size():
    graph = _two_clusters()
    decorate(graph)
    community = nx.get_node_attributes(graph, "community")
    assert all(type(c) is int for c in community.values())
    agencies = {community[n] for n in ["市公安局", "市检察院", "市法院", "市司法局", "市政府"]}
    people = {community[n] for n in ["张三", "李四", "王五"]}
    assert agencies == {0}  # the largest community is number 0
    assert people == {1}
    assert community["乡村振兴"] == 2


def test_same_graph_in_any_order_gets_the_same_picture():
    graph = _two_clusters()
    shuffled = nx.DiGraph()
    nodes = list(graph.nodes(data=True))
    edges = list(graph.edges(data=True))
    random.Random(5).shuffle(nodes)
    random.Random(5).shuffle(edges)
    shuffled.add_nodes_from(nodes)
    shuffled.add_edges_from(edges)
    decorate(graph)
    decorate(shuffled)
    assert dict(graph.nodes(data=True)) == dict(shuffled.nodes(data=True))


def test_the_global_random_generator_is_left_alone():
    random.seed(11)
    expected = random.random()
    random.seed(11)
    decorate(_two_clusters())
    assert random.random() == expected


def _core_with_fringe() -> tuple[nx.DiGraph, list[str], list[str]]:
    """A core of 60 agencies (each linked to six others, in a ring and across it), and
    a fringe of 40 people: leaves, people named with two agencies, and chains of three
    hanging off the core. The core and the fringe, by node."""
    graph = nx.DiGraph()
    core = [f"机构{i:02d}" for i in range(60)]
    for i, name in enumerate(core):
        graph.add_node(name, label=name, type="agency", mentions=3)
    for i, name in enumerate(core):
        for step in (1, 2, 17):
            graph.add_edge(name, core[(i + step) % 60], relation="co_occurs", weight=1)
    fringe = []
    for k in range(40):
        person = f"人{k:02d}"
        fringe.append(person)
        graph.add_node(person, label=person, type="person", mentions=1)
        if k % 4 == 0:
            graph.add_edge(person, core[k], relation="role", weight=1)
        elif k % 4 == 1:
            graph.add_edge(person, core[k], relation="co_occurs", weight=1)
            graph.add_edge(person, core[(k + 30) % 60], relation="co_occurs", weight=1)
        else:
            graph.add_edge(person, fringe[k - 1], relation="co_occurs", weight=1)  # a chain off the last one
    return graph, core, fringe


def test_a_large_component_lays_out_its_core_and_puts_the_rest_beside_it(monkeypatch):
    import kg.layout

    monkeypatch.setattr(kg.layout, "_CORE_FIRST", 50)  # 100 nodes count as large
    monkeypatch.setattr(kg.layout, "_KAMADA_KAWAI_MAX", 10)
    graph, core, fringe = _core_with_fringe()
    decorate(graph)
    at = {n: (d["x"], d["y"]) for n, d in graph.nodes(data=True)}
    assert len(set(at.values())) == 100 and all(math.isfinite(c) for p in at.values() for c in p)
    core_edge = statistics.median(math.dist(at[u], at[v]) for u, v in graph.edges if u in core and v in core)
    for person in fringe:  # beside its neighbours: nearer to them than the core's edges are long
        assert min(math.dist(at[person], at[n]) for n in nx.all_neighbors(graph, person)) < core_edge, person
    monkeypatch.setattr(kg.layout, "_CORE_FIRST", 1_000)  # small again: every node by forces
    assert dict(decorate(_core_with_fringe()[0]).nodes(data=True)) != dict(graph.nodes(data=True))


def test_a_large_component_with_a_small_core_is_laid_out_whole(monkeypatch):
    import kg.layout

    monkeypatch.setattr(kg.layout, "_CORE_FIRST", 50)
    tree = nx.DiGraph()
    for i in range(1, 120):  # a tree: no core at all
        tree.add_edge(f"人{i}", f"人{(i - 1) // 3}", relation="co_occurs", weight=1)
    for node in tree:
        tree.nodes[node].update(label=node, type="person", mentions=1)
    laid = dict(decorate(tree.copy()).nodes(data=True))
    monkeypatch.setattr(kg.layout, "_CORE_FIRST", 1_000)
    assert dict(decorate(tree.copy()).nodes(data=True)) == laid


def _places_with_people() -> nx.DiGraph:
    graph = nx.DiGraph()
    coordinates = {"北京市": (116.41, 39.90), "上海市": (121.47, 31.23), "广州市": (113.26, 23.13)}
    for place, (lon, lat) in coordinates.items():
        graph.add_node(place, label=place, type="place", mentions=3, longitude=lon, latitude=lat)
        for k in range(3):
            person = f"{place}人{k}"
            graph.add_node(person, label=person, type="person", mentions=1)
            graph.add_edge(person, place, relation="co_occurs", weight=1)
    graph.add_node("成都市", label="成都市", type="place", mentions=1, adcode="510100")  # coordinates from the gazetteer
    graph.add_edge("成都市人", "成都市", relation="co_occurs", weight=1)
    graph.nodes["成都市人"].update(label="成都市人", type="person", mentions=1)
    graph.add_edge("甲", "乙", relation="co_occurs", weight=1)  # nowhere on the map
    graph.nodes["甲"].update(label="甲", type="person", mentions=1)
    graph.nodes["乙"].update(label="乙", type="person", mentions=1)
    return graph


def test_geographic_layout_puts_places_where_the_map_does():
    config = Config()
    config.layout = "geographic"
    graph = decorate(_places_with_people(), config)
    at = {n: (d["x"], d["y"]) for n, d in graph.nodes(data=True)}
    assert at["上海市"][0] > at["北京市"][0] > at["广州市"][0] > at["成都市"][0]  # east is right
    assert at["北京市"][1] > at["上海市"][1] > at["广州市"][1]  # north is up
    for place in ["北京市", "上海市", "广州市"]:
        for k in range(3):
            person = at[f"{place}人{k}"]
            nearest = min(["北京市", "上海市", "广州市", "成都市"], key=lambda p: math.dist(at[p], person))
            assert nearest == place
    lowest_place = min(at[p][1] for p in ["北京市", "上海市", "广州市", "成都市"])
    assert at["甲"][1] < lowest_place and at["乙"][1] < lowest_place  # packed under the map


def test_geographic_layout_without_coordinates_is_the_force_layout():
    config = Config()
    config.layout = "geographic"
    assert dict(decorate(_two_clusters(), config).nodes(data=True)) == dict(decorate(_two_clusters()).nodes(data=True))


def test_an_empty_graph_is_fine():
    assert decorate(nx.DiGraph()).number_of_nodes() == 0


def test_links_add_both_directions_and_count_the_others_only_where_unlinked():
    pairs, weights = links(4, [(0, 1, 2), (1, 0, 1), (2, 2, 5), (3, 1, None)], unless_linked=[(1, 0, 7), (2, 3, 4)])
    assert [divmod(pair, 4) for pair in pairs] == [(0, 1), (1, 3), (2, 3)]  # in order, the loop left out
    assert list(weights) == [3.0, 1.0, 4.0]  # no weight counts 1; a co-occurrence of a linked pair adds nothing


def _links_one_by_one(count, edges, unless_linked):
    """What ``links`` gives, summed edge by edge in a dict: the rule written plainly."""
    summed = {}
    for a, b, weight in edges:
        if a != b:
            pair = min(a, b) * count + max(a, b)
            summed[pair] = summed.get(pair, 0.0) + float(weight or 1)
    for a, b, weight in unless_linked:
        pair = min(a, b) * count + max(a, b)
        if a != b and pair not in summed:
            summed[pair] = float(weight or 1)
    pairs = sorted(summed)
    return array("q", pairs), array("d", [summed[pair] for pair in pairs])


@pytest.mark.parametrize("seed", range(5))
def test_links_of_arrays_are_the_links_of_the_same_edges(seed):
    """The merge hands its edges to the layout as arrays: the same pairs and sums as
    adding them up one by one, loops, weights of 0, pairs typed both ways and
    co-occurrences of typed pairs included."""
    import numpy as np

    rng = random.Random(seed)
    count = 40
    typed = [(rng.randrange(count), rng.randrange(count), rng.choice([0, 1, 2, 7])) for _ in range(300)]
    others = {tuple(sorted((rng.randrange(count), rng.randrange(count)))) for _ in range(300)}
    cooccurrences = [(a, b, rng.choice([0, 1, 3])) for a, b in sorted(others)]

    def arrays(edges):
        return tuple(np.array(column, dtype=kind) for column, kind in zip(zip(*edges), (np.int64, np.int64, float)))

    expected = _links_one_by_one(count, typed, cooccurrences)
    assert links_of_arrays(count, arrays(typed), arrays(cooccurrences)) == expected
    assert links(count, typed, cooccurrences) == expected
    assert len(expected[0]) > 200 and any(a == b for a, b, _ in typed)


def test_the_shape_goes_to_another_process_as_a_few_bytes_a_link():
    """The layout's process is sent the shape, pickled: at 10,000 articles a dict of
    pairs took 0.27 s to pickle and unpickle, and some 50 MB in kg's process meanwhile."""
    import pickle

    graph = nx.gnm_random_graph(2_000, 20_000, seed=1, directed=True)
    shape = shape_of(graph)
    assert len(shape.pairs) > 15_000
    assert len(pickle.dumps((shape.pairs, shape.weights), protocol=pickle.HIGHEST_PROTOCOL)) < 17 * len(shape.pairs)

