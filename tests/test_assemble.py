"""Merging per-document results into one graph."""
from __future__ import annotations

import networkx as nx
import pytest

from kg.assemble import Assembler, assemble
from kg.models import DocResult, Entity, Relation, pack, unpack


def doc_a():
    return DocResult(
        "a.txt",
        entities=[
            Entity("agency", "宁川市公安局", ["市公安局"], 3),
            Entity("place", "宁川市", [], 2, {"adcode": "999901"}),
            Entity("person", "孟某", [], 1, {"anonymised": True}),
        ],
        relations=[
            Relation("agency:宁川市公安局", "located_in", "place:宁川市", 1, "宁川市公安局在宁川市。"),
            Relation("agency:宁川市公安局", "co_occurs", "place:宁川市", 2, "宁川市公安局在宁川市。"),
            Relation("person:孟某", "co_occurs", "agency:宁川市公安局", 1, "孟某报警。"),
        ],
    )


def doc_b():
    return DocResult(
        "b.txt",
        entities=[
            Entity("agency", "宁川市公安局", [], 1),
            Entity("place", "宁川", [], 1, {"adcode": "999901"}),
            Entity("person", "孟某", [], 1, {"anonymised": True}),
        ],
        relations=[Relation("agency:宁川市公安局", "located_in", "place:宁川", 1, "宁川公安。")],
    )


def test_same_entity_across_documents_is_one_node_with_the_most_complete_label():
    graph = assemble([doc_a(), doc_b()])
    places = [d for _, d in graph.nodes(data=True) if d["type"] == "place"]
    assert len(places) == 1
    assert places[0]["label"] == "宁川市"
    assert places[0]["aliases"] == "宁川"
    assert places[0]["documents"] == "a.txt|b.txt"
    assert places[0]["mentions"] == 3


def test_anonymised_people_are_never_merged_across_documents():
    graph = assemble([doc_a(), doc_b()])
    people = [d for _, d in graph.nodes(data=True) if d["type"] == "person"]
    assert len(people) == 2


def test_one_edge_per_pair_typed_relation_carries_the_cooccurrences():
    graph = assemble([doc_a(), doc_b()])
    edges = [(u, v, d) for u, v, d in graph.edges(data=True) if {"agency:宁川市公安局", "place:宁川市"} == {u, v}]
    assert len(edges) == 1
    u, v, data = edges[0]
    assert (u, v) == ("agency:宁川市公安局", "place:宁川市")
    assert data["relation"] == "located_in"
    assert data["weight"] == 2
    assert data["cooccurrences"] == 2
    assert data["documents"] == "a.txt|b.txt"
    assert data["evidence"] == "宁川市公安局在宁川市。"


def test_order_of_results_does_not_matter():
    one = nx.node_link_data(assemble([doc_a(), doc_b()]), edges="edges")
    two = nx.node_link_data(assemble([doc_b(), doc_a()]), edges="edges")
    assert one == two


def test_releasing_the_merge_tables_gives_the_same_graph_and_empties_the_assembler():
    assembler = Assembler()
    for result in (doc_a(), doc_b()):
        assembler.add(result)
    kept = nx.node_link_data(assembler.graph(), edges="edges")
    released = nx.node_link_data(assembler.graph(release=True), edges="edges")
    assert released == kept and kept["edges"]
    assert assembler.graph().number_of_nodes() == 0


def test_an_assembler_from_a_kept_state_goes_on_as_the_original(extract_text):
    """A rebuild that adds articles to the last build's merge must give the graph of all."""
    import marshal

    from bench.generate import generate_articles

    results = [doc_a(), doc_b(), *(extract_text(text, name) for name, text in generate_articles(12, seed=5))]
    first = Assembler()
    for result in results[:8]:
        first.add(result)
    kept = Assembler.from_state(marshal.loads(marshal.dumps(part)) for part in first.state(size=7))  # as save_merged keeps it
    for result in results[8:]:
        kept.add(result)
        first.add(result)  # the original goes on too, though ``state`` sorted its document ids
    whole = assemble(results[::-1])
    assert nx.node_link_data(kept.graph(), edges="edges") == nx.node_link_data(whole, edges="edges")
    assert nx.node_link_data(first.graph(), edges="edges") == nx.node_link_data(whole, edges="edges")
    assert whole.number_of_edges() > 50


def test_an_assembler_from_a_kept_state_names_each_node_once(extract_text):
    """Edges name their ends by the nodes' own strings, not by copies of them decoded for
    each edge: at 10,000 articles the copies took 60 MB of a rebuild."""
    import marshal

    from bench.generate import generate_articles

    first = Assembler()
    for name, text in generate_articles(8, seed=5):
        first.add(extract_text(text, name))
    kept = Assembler.from_state(marshal.loads(marshal.dumps(part)) for part in first.state(size=7))
    nodes = {id(identity) for identity in kept._nodes}
    ends = [end for table in (kept._typed, kept._cooc) for pair in table for end in pair]
    assert len(ends) > 100 and all(id(end) in nodes for end in ends)


def test_a_kept_state_lists_nodes_and_edges_in_the_order_the_graph_takes_them(extract_text):
    """A rebuild makes the kept merge's objects in the order they are saved; saved in the
    graph's order, they are walked in the order they lie in memory (a tenth of a
    rebuild's time at 50,000 articles)."""
    from bench.generate import generate_articles

    assembler = Assembler()
    for name, text in list(generate_articles(10, seed=3))[::-1]:
        assembler.add(extract_text(text, name))
    tables: dict[str, list] = {}
    for name, part in assembler.state(size=5):
        if name != "documents":
            tables.setdefault(name, []).extend(part)
    assert tables["nodes"] == sorted(tables["nodes"]) and len(tables["nodes"]) > 20
    for name in ("typed", "cooc"):
        assert tables[name] == sorted(tables[name]) and len(tables[name]) > 5


def test_the_shape_from_the_merge_tables_is_the_shape_of_the_graph(extract_text):
    """The layout may start from the tables, before the graph exists: it must see the same graph."""
    from bench.generate import generate_articles
    from kg.layout import shape_of

    results = [extract_text(text, name) for name, text in generate_articles(40, seed=3)]
    reverse = DocResult("z.txt", entities=[Entity("agency", "宁川市公安局", [], 1), Entity("place", "宁川市", [], 1)],
                        relations=[Relation("place:宁川市", "part_of", "agency:宁川市公安局", 2)])  # both directions typed
    assembler = Assembler()
    for result in [doc_a(), doc_b(), reverse, *results]:
        assembler.add(result)
    shape, off_map = assembler.shape(), assembler.shape(on_map=False)
    graph = assembler.graph()
    assert len(shape.pairs) == len(shape.weights) > 100
    assert shape == shape_of(graph)
    assert off_map == shape_of(graph, on_map=False)
    # only the geographic layout reads where the nodes are on the map: the force layout's shape leaves it out
    assert len(shape.where) == graph.number_of_nodes() and off_map.where == {}
    assert (off_map.nodes, off_map.pairs, off_map.weights) == (shape.nodes, shape.pairs, shape.weights)


def test_the_graph_is_the_one_networkx_makes_of_its_rows(extract_text, monkeypatch):
    """``graph()`` fills networkx's adjacency itself: the nodes, successors, predecessors
    and their order must be those ``add_nodes_from`` and ``add_edges_from`` give."""
    import kg.assemble
    from bench.generate import generate_articles

    results = [doc_a(), doc_b(), *(extract_text(text, name) for name, text in generate_articles(20, seed=9))]
    graphs = []
    for _ in range(2):
        assembler = Assembler()
        for result in results:
            assembler.add(result)
        graphs.append(assembler.graph(release=True))
        monkeypatch.setattr(kg.assemble, "_add_nodes", lambda graph, rows: graph.add_nodes_from(rows))
        monkeypatch.setattr(kg.assemble, "_add_edges", lambda graph, rows: graph.add_edges_from(rows))
    filled, made = graphs
    assert nx.utils.graphs_equal(filled, made) and made.number_of_edges() > 50
    assert list(filled.nodes(data=True)) == list(made.nodes(data=True))
    for node in made:
        assert list(filled.succ[node].items()) == list(made.succ[node].items())
        assert list(filled.pred[node].items()) == list(made.pred[node].items())


def test_a_packed_result_merges_as_the_result_itself(extract_text):
    """Workers and the cache hand the merge records (``pack``), not DocResults: same graph."""
    from bench.generate import generate_articles

    results = [doc_a(), doc_b(), *(extract_text(text, name) for name, text in generate_articles(6, seed=7))]
    as_objects, as_records = Assembler(), Assembler()
    for result in results:
        as_objects.add(result)
        as_records.add(unpack(pack(result)))
    graph = as_objects.graph()
    assert nx.node_link_data(as_records.graph(), edges="edges") == nx.node_link_data(graph, edges="edges")
    assert graph.number_of_edges() > 20 and any(d["title"] for _, _, d in graph.edges(data=True))


def test_bytes_that_are_not_a_packed_result_are_refused():
    import zlib

    for blob in (b"", b"not zlib", zlib.compress(b"[1, 2]"), zlib.compress(b'{"doc_id": "a"}'), zlib.compress(b"\xff")):
        with pytest.raises(ValueError, match="not a packed result"):
            unpack(blob)
    assert DocResult.from_record(unpack(pack(doc_a()))) == doc_a()


def test_an_edge_named_in_one_document_and_then_in_others_lists_each_once():
    """A pair's documents: one while one document names it (twice in it, too), then every other."""
    def naming(doc_id: str, times: int) -> DocResult:
        return DocResult(doc_id, entities=[Entity("agency", "宁川市公安局", [], 1), Entity("place", "宁川市", [], 1)],
                         relations=[Relation("agency:宁川市公安局", "located_in", "place:宁川市", 1, "在宁川市。", "驻地")] * times)

    for order in (["b.txt", "a.txt", "c.txt"], ["c.txt", "b.txt", "a.txt"]):
        assembler = Assembler()
        for doc_id in order:
            assembler.add(naming(doc_id, 2))
        graph = assembler.graph()
        assert graph.edges["agency:宁川市公安局", "place:宁川市"]["documents"] == "a.txt|b.txt|c.txt"
        assert graph.edges["agency:宁川市公安局", "place:宁川市"]["title"] == "驻地"
        assert graph.nodes["place:宁川市"]["documents"] == "a.txt|b.txt|c.txt"


def test_the_merge_holds_little_for_what_one_document_names(extract_text):
    """Most of a graph's edges are named by one document: the merge must not give each of
    them a set of its own (a tuple of one takes a fifth of its memory) or an empty set of titles. 325
    bytes an entry here, 645 with those sets."""
    import tracemalloc

    from bench.generate import generate_articles

    records = [unpack(pack(extract_text(text, name))) for name, text in generate_articles(60, seed=7)]
    tracemalloc.start()
    try:
        assembler = Assembler()
        for record in records:
            assembler.add(record)
        held, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    entries = len(assembler._nodes) + len(assembler._typed) + len(assembler._cooc)
    assert entries > 3000
    assert held / entries < 450


def naming_one_office(doc_id: str, level: str, alias: bool, title: str, evidence: str) -> DocResult:
    """A document of what a merge must undo exactly: a place under two names (one
    node, by its adcode), an alias that no mention names, attributes whose value comes
    from one document, titles, evidence, and a pair named twice."""
    return DocResult(doc_id, entities=[
        Entity("place", "宁川市", ["宁川地区"] if alias else [], 1, {"adcode": "999901"}),
        Entity("place", "宁川", [], 2, {"adcode": "999901", "note": level}),
        Entity("agency", "宁川市公安局", ["市公安局"], 1, {"level": level}),
        Entity("person", "孟海", [], 1),
    ], relations=[
        Relation("person:孟海", "role", "agency:宁川市公安局", 1, evidence, title),
        Relation("person:孟海", "role", "agency:宁川市公安局", 1, evidence + "又", title + "助理" if title else ""),
        Relation("agency:宁川市公安局", "located_in", "place:宁川", 1, evidence),
        Relation("agency:宁川市公安局", "co_occurs", "place:宁川市", 1, evidence),
        Relation("person:孟海", "co_occurs", "agency:宁川市公安局", 2, ""),
    ])


@pytest.mark.parametrize("gone", [["c1.txt"], ["c0.txt"], ["c1.txt", "c3.txt"], ["a.txt"], ["c0.txt", "c1.txt", "c2.txt"],
                                  ["c0.txt", "c1.txt", "c2.txt", "c3.txt"], "generated"])
def test_taking_documents_out_of_a_merge_leaves_the_merge_of_the_others(extract_text, gone):
    """A rebuild after articles were edited or deleted takes them out of the kept merge:
    it must hold what merging the others alone gives, to the byte."""
    import marshal

    from bench.generate import generate_articles

    generated = [extract_text(text, name) for name, text in generate_articles(10, seed=5)]
    results = [naming_one_office("c1.txt", "b", True, "局长", "甲。"), naming_one_office("c0.txt", "a", False, "", ""),
               naming_one_office("c2.txt", "a", True, "副局长", "乙。"), naming_one_office("c3.txt", "c", False, "局长", ""),
               doc_a(), doc_b(), *generated]
    if gone == "generated":
        gone = [r.doc_id for r in generated[3:6]]
    records = {r.doc_id: unpack(pack(r)) for r in results}
    merged = Assembler()
    for result in results:
        merged.add(result)
    kept = Assembler.from_state(marshal.loads(marshal.dumps(part)) for part in merged.state(size=7))
    asked: list[str] = []
    assert kept.remove([records[doc_id] for doc_id in gone], lambda doc_id: asked.append(doc_id) or records[doc_id])
    others = assemble(r for r in results if r.doc_id not in gone)
    assert nx.node_link_data(kept.graph(), edges="edges") == nx.node_link_data(others, edges="edges")
    assert asked == sorted(set(asked)) and not set(asked) & set(gone)
    assert len(asked) < len(results) - len(gone)  # only the documents of what was cleared


def test_a_merge_cannot_take_a_document_out_without_the_results_of_the_others():
    merged = Assembler()
    for result in (naming_one_office("c1.txt", "b", True, "局长", "甲。"), naming_one_office("c2.txt", "a", True, "", "")):
        merged.add(result)
    assert not merged.remove([naming_one_office("c1.txt", "b", True, "局长", "甲。")], lambda doc_id: None)


def _entities_and_relations(draw, doc_id: str) -> DocResult:
    """A document of a few entities from a small pool (so that documents share nodes,
    names, aliases and attributes) and relations between them."""
    from hypothesis import strategies as st

    pool = [("place", "宁川市"), ("place", "宁川"), ("agency", "宁川市公安局"), ("person", "孟海"), ("person", "孟某")]
    chosen = draw(st.lists(st.sampled_from(pool), min_size=2, max_size=5, unique=True))
    entities = []
    for kind, name in chosen:
        attrs = draw(st.fixed_dictionaries({}, optional={
            "adcode": st.sampled_from(["999901", "999902"]), "level": st.sampled_from(["a", "b", "c"]),
            "anonymised": st.just(True)}))
        if kind != "place":
            attrs.pop("adcode", None)
        aliases = draw(st.lists(st.sampled_from(["宁川地区", "川", "公安"]), max_size=2, unique=True))
        entities.append(Entity(kind, name, aliases, draw(st.integers(1, 3)), attrs))
    keys = [f"{kind}:{name}" for kind, name in chosen]
    relations = []
    for _ in range(draw(st.integers(0, 8))):
        head, tail = draw(st.sampled_from(keys)), draw(st.sampled_from(keys))
        # a typed relation follows the types of its ends, as kg's relations do
        relation = draw(st.sampled_from(["co_occurs", "typed"]))
        relation = relation if relation == "co_occurs" else "related_" + tail.split(":")[0]
        relations.append(Relation(head, relation, tail, draw(st.integers(1, 2)),
                                  draw(st.sampled_from(["", "甲。", "乙。"])), draw(st.sampled_from(["", "局长", "主任"]))))
    return DocResult(doc_id, entities, relations)


def test_taking_any_documents_out_of_a_merge_leaves_the_merge_of_the_others():
    import marshal

    from hypothesis import given, settings
    from hypothesis import strategies as st

    @st.composite
    def corpora(draw):
        results = [_entities_and_relations(draw, f"d{n}.txt") for n in range(draw(st.integers(2, 6)))]
        gone = draw(st.lists(st.sampled_from([r.doc_id for r in results]), min_size=1, unique=True))
        return results, gone

    @settings(max_examples=300, deadline=None)
    @given(corpora())
    def check(corpus):
        results, gone = corpus
        merged = Assembler()
        for result in results:
            merged.add(result)
        kept = Assembler.from_state(marshal.loads(marshal.dumps(part)) for part in merged.state(size=3))
        records = {r.doc_id: unpack(pack(r)) for r in results}
        assert kept.remove([records[doc_id] for doc_id in gone], records.get)
        others = assemble(r for r in results if r.doc_id not in gone)
        assert nx.node_link_data(kept.graph(), edges="edges") == nx.node_link_data(others, edges="edges")

    check()


def test_the_nodes_whose_edges_out_are_as_before_have_the_same_edges_out():
    """A rebuild copies the GraphML's edges out of a node from the last GraphML when
    ``edges_as_before`` says they did not change: two builds from one kept merge, each
    with documents taken out of it and others added, must then give each such node the
    same edges out, to the same nodes, in the same order, with the same attributes, when
    it has any."""
    import marshal

    from hypothesis import given, settings
    from hypothesis import strategies as st

    def build_from(state: list, results: list, gone: list[str], added: list) -> Assembler:
        merge = Assembler.from_state(marshal.loads(part) for part in state)
        records = {r.doc_id: unpack(pack(r)) for r in results}
        assert merge.remove([records[doc_id] for doc_id in gone], records.get)
        for result in added:
            merge.add(result)
        return merge

    @st.composite
    def histories(draw):
        results = [_entities_and_relations(draw, f"d{n}.txt") for n in range(draw(st.integers(1, 6)))]
        ids = [r.doc_id for r in results]
        changes = []
        for build in ("last", "new"):
            gone = draw(st.lists(st.sampled_from(ids), unique=True))
            added = [_entities_and_relations(draw, f"{build}{n}.txt") for n in range(draw(st.integers(0, 2)))]
            changes.append((gone, added))
        return results, changes

    @settings(max_examples=400, deadline=None)
    @given(histories())
    def check(history):
        results, ((gone1, added1), (gone2, added2)) = history
        kept = Assembler()
        for result in results:
            kept.add(result)
        state = [marshal.dumps(part) for part in kept.state(size=3)]
        last = build_from(state, results, gone1, added1)
        before, touched_before = last.node_ids(), set(last.touched)
        last_graph = last.graph()
        new = build_from(state, results, gone2, added2)
        same = new.edges_as_before(before, touched_before)
        new_graph = new.graph()
        for node in same:
            if new_graph.succ[node]:  # a node without edges out has nothing to copy
                assert node in last_graph and list(new_graph.succ[node].items()) == list(last_graph.succ[node].items())

    check()
