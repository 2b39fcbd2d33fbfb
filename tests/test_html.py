"""The HTML page as a file: self-contained, safe to embed article text in, capped, deterministic."""
from __future__ import annotations

import base64
import hashlib
import json
import re

import networkx as nx
import pytest

import pyvis.network

from kg.config import load_config
from kg.errors import ConfigError
from kg.export.html import generate_html, json_for_script, keep_edges, keep_nodes, page_data, write_html

MARKUP = '</script><script>alert(1)</script><img src=x onerror=alert(2)><!-- \u2028\u2029 & >'


def small_graph() -> nx.DiGraph:
    g = nx.DiGraph()
    g.add_node("agency:北京市公安局", label="北京市公安局", type="agency", aliases="北京公安|市公安局",
               documents="a.txt|b.txt", mentions=5)
    g.add_node("person:张伟", label="张伟", type="person", aliases="", documents="a.txt", mentions=2)
    g.add_node("place:北京市", label="北京市", type="place", aliases="北京", documents="a.txt", mentions=3)
    g.add_edge("person:张伟", "agency:北京市公安局", relation="role", label="role", weight=1, documents="a.txt",
               evidence="北京市公安局局长张伟表示。", title="局长", cooccurrences=1)
    g.add_edge("agency:北京市公安局", "place:北京市", relation="located_in", label="located_in", weight=2,
               documents="a.txt|b.txt", evidence="北京市公安局在北京市。", title="", cooccurrences=2)
    g.add_edge("person:张伟", "place:北京市", relation="co_occurs", label="co_occurs", weight=1,
               documents="a.txt", evidence="北京市公安局局长张伟表示。", title="", cooccurrences=1)
    return g


def embedded_data(page: str) -> dict:
    match = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.S)
    assert match, "the page has no data element"
    return json.loads(match.group(1))


def test_page_references_nothing_outside_itself():
    page = generate_html(small_graph())
    markup = re.sub(r"<script[^>]*>.*?</script>", "", page, flags=re.S)
    styles = "".join(re.findall(r"<style>(.*?)</style>", page, re.S))
    scripts = "".join(re.findall(r"<script>(.*?)</script>", page, re.S))
    assert "div.vis-network" in styles and "@version 9." in scripts  # vis-network is inlined
    assert not re.search(r"\b(?:src|href)\s*=", markup, re.I)  # no element loads anything
    assert "<link" not in markup and "<script src" not in page
    assert not re.search(r"""url\(\s*(?!["']?data:)""", styles, re.I)
    assert "@import" not in styles
    assert not re.search(r"bootstrap|jsdelivr|unpkg|cdnjs|googleapis|//cdn\.", page, re.I)
    assert "default-src 'none'" in page  # and the browser is told to refuse any request


def test_every_script_is_allowed_by_the_content_security_policy():
    page = generate_html(small_graph())
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
    scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    assert len(scripts) == 2  # vis-network and the page's own
    for script in scripts:
        digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
        assert f"'sha256-{digest}'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]


def test_json_for_script_cannot_end_the_script_element():
    text = json_for_script({"evidence": MARKUP})
    for forbidden in ("<", ">", "&", "\u2028", "\u2029"):
        assert forbidden not in text
    assert json.loads(text) == {"evidence": MARKUP}


def test_article_markup_travels_only_as_escaped_data():
    g = small_graph()
    g.nodes["person:张伟"]["label"] = MARKUP
    g.edges["person:张伟", "agency:北京市公安局"]["evidence"] = MARKUP
    page = generate_html(g)
    assert page.count("</script>") == 3  # data, vis-network, page script: none from the article
    assert "<img" not in page
    data = embedded_data(page)
    assert MARKUP in [n["label"] for n in data["nodes"]]
    assert MARKUP in data["sentences"]


def test_title_is_escaped_in_markup():
    page = generate_html(small_graph(), title="<b>新闻</b>")
    assert "<title>&lt;b&gt;新闻&lt;/b&gt;</title>" in page


def test_page_data_carries_the_graph_contract():
    data = page_data(small_graph())
    nodes = {n["key"]: n for n in data["nodes"]}
    police = nodes["agency:北京市公安局"]
    assert police["aliases"] == ["北京公安", "市公安局"]
    assert [data["documents"][i] for i in police["documents"]] == ["a.txt", "b.txt"]
    assert police["mentions"] == 5
    role = next(e for e in data["edges"] if e["relation"] == "role")
    assert (role["from"], role["to"]) == (nodes["person:张伟"]["id"], police["id"])
    assert role["title"] == "局长"
    assert data["sentences"][role["evidence"]] == "北京市公安局局长张伟表示。"
    cooc = next(e for e in data["edges"] if e["relation"] == "co_occurs")
    assert cooc["evidence"] == role["evidence"]  # one sentence, stored once
    assert len(data["sentences"]) == 2
    located = next(e for e in data["edges"] if e["relation"] == "located_in")
    assert [data["documents"][i] for i in located["documents"]] == ["a.txt", "b.txt"]
    assert sorted(data["documents"]) == ["a.txt", "b.txt"]  # each document named once, however many items name it
    assert "more_documents" not in police and "more_documents" not in located  # every document named
    assert {t["name"]: t["count"] for t in data["types"]} == {"person": 1, "agency": 1, "place": 1, "program": 0}
    assert {r["name"]: r["directed"] for r in data["relations"]}["co_occurs"] is False


def test_page_names_the_first_documents_of_an_item_and_how_many_it_has():
    """A hub of a large corpus names tens of thousands of articles: the page names the
    first ``DOCUMENTS_SHOWN`` and their number, the GraphML all of them."""
    from kg.export.html import DOCUMENTS_SHOWN

    g = small_graph()
    many = [f"{i:05d}.txt" for i in range(DOCUMENTS_SHOWN + 50)]
    g.nodes["place:北京市"]["documents"] = "|".join(reversed(many))
    g.edges["agency:北京市公安局", "place:北京市"]["documents"] = "|".join(many[:DOCUMENTS_SHOWN])
    data = page_data(g)
    beijing = next(n for n in data["nodes"] if n["key"] == "place:北京市")
    assert [data["documents"][i] for i in beijing["documents"]] == many[:DOCUMENTS_SHOWN]  # the first, by id
    assert beijing["more_documents"] == 50
    located = next(e for e in data["edges"] if e["relation"] == "located_in")
    assert len(located["documents"]) == DOCUMENTS_SHOWN and "more_documents" not in located
    assert set(data["documents"]) == {"a.txt", "b.txt", *many[:DOCUMENTS_SHOWN]}  # the others are not in the page


def drawn_nodes(data: dict) -> dict[str, dict]:
    """vis-network's node records by node key."""
    return {data["nodes"][n["id"]]["key"]: n for n in data["vis"]["nodes"]}


def test_vis_records_are_the_ones_pyvis_built(monkeypatch):
    built = []

    class RecordedNetwork(pyvis.network.Network):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            built.append(self)

    monkeypatch.setattr(pyvis.network, "Network", RecordedNetwork)
    data = embedded_data(generate_html(small_graph()))
    assert len(built) == 1 and built[0].directed
    assert data["vis"] == {"nodes": built[0].nodes, "edges": built[0].edges}
    assert built[0].get_nodes() == [n["id"] for n in data["nodes"]]  # one vis node per panel node, same ids
    assert [(e["id"], e["from"], e["to"]) for e in data["vis"]["edges"]] == [
        (e["id"], e["from"], e["to"]) for e in data["edges"]]


def test_vis_records_draw_types_and_relations():
    data = page_data(small_graph())
    police = drawn_nodes(data)["agency:北京市公安局"]
    assert police["label"] == "北京市公安局" and police["shape"] == "dot"
    assert police["color"]["background"] == "#4e79a7"  # agencies are blue, as in the legend
    by_relation = {data["edges"][e["id"]]["relation"]: e for e in data["vis"]["edges"]}
    assert by_relation["role"]["arrows"]["to"]["enabled"] is True and by_relation["role"]["dashes"] is False
    assert by_relation["co_occurs"]["arrows"]["to"]["enabled"] is False and by_relation["co_occurs"]["dashes"] is True


def test_heavier_cooccurrences_are_drawn_thicker():
    g = small_graph()
    light = next(e for e in page_data(g)["vis"]["edges"] if e["dashes"])["width"]
    g.edges["person:张伟", "place:北京市"]["weight"] = 4
    heavy = next(e for e in page_data(g)["vis"]["edges"] if e["dashes"])["width"]
    assert heavy == light + 2  # log2 of the weight, up to 3


def test_bigger_nodes_are_the_more_mentioned():
    sizes = {key: n["size"] for key, n in drawn_nodes(page_data(small_graph())).items()}
    assert sizes["agency:北京市公安局"] > sizes["place:北京市"] > sizes["person:张伟"]


def test_layout_positions_are_used_with_y_pointing_down():
    g = small_graph()
    for key, (x, y) in {"agency:北京市公安局": (0, 0), "person:张伟": (10, 5), "place:北京市": (20, 10)}.items():
        g.nodes[key].update(x=float(x), y=float(y))
    data = page_data(g)
    assert data["positioned"] is True
    # Gephi's picture, enlarged, y negated (the screen's y grows downwards, Gephi's upwards)
    assert {key: (n["x"], n["y"]) for key, n in drawn_nodes(data).items()} == {
        "agency:北京市公安局": (0.0, 0.0), "person:张伟": (20.0, -10.0), "place:北京市": (40.0, -20.0)}


def test_without_positions_the_page_lays_the_graph_out_itself():
    data = page_data(small_graph())
    assert data["positioned"] is False
    assert all("x" not in n and "y" not in n for n in data["vis"]["nodes"])


def test_node_cap_keeps_the_most_connected_and_reports_the_total():
    g = nx.DiGraph()
    g.add_node("hub", label="中心", type="agency", mentions=1)
    for i in range(9):
        g.add_node(f"leaf{i}", label=f"叶{i}", type="place", mentions=9 - i)
        g.add_edge("hub", f"leaf{i}", relation="co_occurs", weight=1)
    assert keep_nodes(g, 3) == ["hub", "leaf0", "leaf1"]  # leaves tie on degree: most mentioned
    data = page_data(g, max_nodes=3)
    assert [n["key"] for n in data["nodes"]] == ["hub", "leaf0", "leaf1"]
    assert len(data["edges"]) == 2
    assert data["total"] == {"nodes": 10, "edges": 9}


def test_the_graph_is_not_changed():
    g = small_graph()
    before = (list(g.nodes(data=True)), list(g.edges(data=True)))
    before = json.dumps(before, ensure_ascii=False)
    generate_html(g, max_nodes=1)
    assert json.dumps((list(g.nodes(data=True)), list(g.edges(data=True))), ensure_ascii=False) == before


def test_same_graph_same_bytes_whatever_the_insertion_order(tmp_path):
    g = small_graph()
    reversed_graph = nx.DiGraph()
    reversed_graph.add_nodes_from(reversed(list(g.nodes(data=True))))
    reversed_graph.add_edges_from(reversed(list(g.edges(data=True))))
    write_html(g, tmp_path / "a.html", title="图")
    write_html(reversed_graph, tmp_path / "b.html", title="图")
    assert (tmp_path / "a.html").read_bytes() == (tmp_path / "b.html").read_bytes()


def test_written_in_utf8(tmp_path):
    write_html(small_graph(), tmp_path / "graph.html", title="知识图谱")
    text = (tmp_path / "graph.html").read_bytes().decode("utf-8")
    assert '<meta charset="utf-8">' in text
    assert "北京市公安局" in text and "<title>知识图谱</title>" in text


@pytest.mark.parametrize("max_nodes", [1, 2000])
def test_min_cooccurrence_and_cap_reach_the_page(max_nodes):
    g = small_graph()
    g.edges["person:张伟", "place:北京市"]["weight"] = 5
    data = page_data(g, max_nodes=max_nodes, min_cooccurrence=3)
    assert data["cooccurrence"]["initial"] == (3 if max_nodes > 1 else 1)  # never above the heaviest
    assert len(data["nodes"]) == min(3, max_nodes)


def crowded_graph() -> nx.DiGraph:
    """Two typed relations and many co-occurrences: a hub tied to 8 places, the places to
    each other (a heavier tie the nearer their numbers), and a pair that only co-occurs lightly."""
    g = nx.DiGraph()
    g.add_node("agency:hub", label="中心", type="agency", mentions=9)
    g.add_node("person:lone", label="人", type="person", mentions=1)
    g.add_node("program:plan", label="计划", type="program", mentions=1)
    for i in range(8):
        g.add_node(f"place:{i}", label=f"地{i}", type="place", mentions=1)
        g.add_edge("agency:hub", f"place:{i}", relation="co_occurs", weight=2 + i)
        for j in range(i + 1, 8):
            g.add_edge(f"place:{i}", f"place:{j}", relation="co_occurs", weight=10 - (j - i))
    g.add_edge("agency:hub", "program:plan", relation="runs", weight=1)
    g.add_edge("place:7", "agency:hub", relation="located_in", weight=1)
    g.add_edge("person:lone", "place:3", relation="co_occurs", weight=1)  # its only, and lightest, edge
    return g


def page_pairs(data: dict) -> list[tuple[str, str, str]]:
    keys = [n["key"] for n in data["nodes"]]
    return [(keys[e["from"]], keys[e["to"]], e["relation"]) for e in data["edges"]]


def test_edge_cap_keeps_a_link_for_each_node_then_typed_relations_then_the_heaviest():
    g = crowded_graph()
    data = page_data(g, max_edges=12)
    pairs = page_pairs(data)
    assert len(pairs) == 12 < g.number_of_edges()
    assert data["among_kept"] == {"edges": g.number_of_edges()} and data["total"]["edges"] == g.number_of_edges()
    assert ("agency:hub", "program:plan", "runs") in pairs and ("place:7", "agency:hub", "located_in") in pairs
    assert ("person:lone", "place:3", "co_occurs") in pairs  # weight 1, but its node's only edge
    touched = {key for u, v, _ in pairs for key in (u, v)}
    assert touched == {n["key"] for n in data["nodes"]}  # no node with an edge is left alone
    weight = {(u, v): w for u, v, w in g.edges(data="weight")}
    shown = {(u, v) for u, v, _ in pairs}
    lightest_kept_extra = min(weight[p] for p in shown if g.edges[p]["relation"] == "co_occurs"
                              and weight[p] > 1)
    assert all(weight[p] <= lightest_kept_extra for p in set(weight) - shown)  # the heaviest are the ones kept
    assert [e["id"] for e in data["edges"]] == list(range(12))  # ids are indexes
    assert shown == set(keep_edges_of(g, 12)) and pairs == sorted(pairs)  # in the graph's sorted order


def keep_edges_of(g: nx.DiGraph, max_edges: int) -> list[tuple[str, str]]:
    return keep_edges(g, sorted(g.edges), max_edges)


def test_edge_cap_below_a_link_for_each_node_keeps_those_only():
    g = crowded_graph()
    kept = keep_edges_of(g, 1)
    assert {node for pair in kept for node in pair} == set(g)  # still no lone node
    assert len(kept) < g.number_of_nodes() and len(kept) < len(keep_edges_of(g, len(kept) + 1))  # above them, the cap is used up
    assert ("agency:hub", "program:plan") in kept and ("place:7", "agency:hub") in kept  # typed, though lighter


def test_edge_cap_holds_when_typed_relations_alone_exceed_it():
    """The best-connected nodes of a large corpus have more typed relations among them
    than the cap: the page keeps one for each node, then the heaviest, and no more."""
    g = nx.DiGraph()
    agencies, programs = [f"agency:{i}" for i in range(10)], [f"program:{j}" for j in range(30)]
    for node in agencies + programs:
        g.add_node(node, label=node, type=node.split(":")[0], mentions=1)
    for i, agency in enumerate(agencies):
        for j, program in enumerate(programs):
            g.add_edge(agency, program, relation="runs", weight=1 + (i * 7 + j * 3) % 11)
        g.add_edge(agency, agencies[(i + 1) % 10], relation="co_occurs", weight=50)  # heavy, but untyped
    kept = keep_edges_of(g, 100)
    assert len(kept) == 100 < g.number_of_edges()
    assert {node for pair in kept for node in pair} == set(g)
    assert all(g.edges[p]["relation"] == "runs" for p in kept)  # every agency has a typed link of its own
    # 300 relations of weights 1 to 11, about 27 of each: after the 40 nodes' own links, the
    # 54 of weight 10 and 11 fit under the cap, and no relation left out is heavier than 9
    weight = {(u, v): w for u, v, w in g.edges(data="weight") if g.edges[u, v]["relation"] == "runs"}
    assert {p for p, w in weight.items() if w >= 10} <= set(kept)
    assert max(weight[p] for p in set(weight) - set(kept)) <= 9
    data = page_data(g, max_nodes=40, max_edges=100)
    assert len(data["edges"]) == 100 and data["among_kept"] == {"edges": g.number_of_edges()}


def test_no_cap_when_the_edges_fit():
    g = crowded_graph()
    assert keep_edges_of(g, g.number_of_edges()) == sorted(g.edges)
    assert page_data(g)["among_kept"] == {"edges": g.number_of_edges()}


def test_capped_edges_are_the_same_whatever_the_insertion_order():
    g = crowded_graph()
    reversed_graph = nx.DiGraph()
    reversed_graph.add_nodes_from(reversed(list(g.nodes(data=True))))
    reversed_graph.add_edges_from(reversed(list(g.edges(data=True))))
    assert generate_html(g, max_edges=10) == generate_html(reversed_graph, max_edges=10)


def test_max_edges_must_be_at_least_one(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text("html:\n  max_edges: 0\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="config key 'html.max_edges' must be at least 1"):
        load_config(path)
    path.write_text("html:\n  max_edges: 500\n", encoding="utf-8")
    assert load_config(path).html.max_edges == 500
