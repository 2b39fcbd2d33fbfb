"""Regression guard on the held-out set (eval/heldout): articles written for kg apart from the seed pages.

The floors are deliberately below the current figures: the test fails when a change to the
rules loses much of what generalises, not when one name moves. The scorer is a small copy
of the gold rules (eval/README.md): a node matches a gold entity when its label equals the
name or an alias after removing white space and quote marks; a second node matching the
same entity is a false positive; optional entities and their relations are ignored.
"""
from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from kg.cli import main
from tests.conftest import ROOT

HELDOUT = ROOT / "eval" / "heldout"
ENTITY_TYPES = ("person", "agency", "place", "program")
RELATIONS = ("role", "located_in", "part_of", "runs")
ENTITY_FLOOR = 0.60
RELATION_FLOOR = 0.40
_STRIP = re.compile(r"[\s“”‘’\"'＂《》〈〉「」『』]+")


def norm(name: str) -> str:
    return _STRIP.sub("", unicodedata.normalize("NFKC", str(name)))


def f1(tp: int, fp: int, fn: int) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def in_doc(data: dict, doc: str) -> bool:
    return doc in {Path(d).name for d in str(data.get("documents", "")).split("|")}


def score(graph: nx.DiGraph, gold: dict) -> tuple[list[int], list[int]]:
    """[tp, fp, fn] for entities and for relations of one document."""
    doc = gold["doc"]
    index = {norm(n): (e["type"], e["name"]) for e in gold["entities"] for n in [e["name"], *e["aliases"]]}
    optional = {norm(n) for o in gold["optional"] for n in [o["name"], *o.get("aliases", [])]}
    ent, found, node_gold = [0, 0, 0], set(), {}
    for node, data in graph.nodes(data=True):
        if not in_doc(data, doc):
            continue
        label, hit = norm(data["label"]), index.get(norm(data["label"]))
        if hit:
            node_gold[node] = hit[1]
        if (label in optional and not hit) or data["type"] not in ENTITY_TYPES:
            continue
        if hit and hit[0] == data["type"] and hit not in found:
            found.add(hit)
            ent[0] += 1
        else:
            ent[1] += 1
    ent[2] = len(gold["entities"]) - ent[0]
    gold_rel = {(r["head"], r["relation"], r["tail"]) for r in gold["relations"]}
    seen = set()
    for u, v, data in graph.edges(data=True):
        if data.get("relation") not in RELATIONS or not in_doc(data, doc):
            continue
        if any(n not in node_gold and norm(graph.nodes[n]["label"]) in optional for n in (u, v)):
            continue
        seen.add((node_gold.get(u), data["relation"], node_gold.get(v)))
    rel = [len(seen & gold_rel), len(seen - gold_rel), len(gold_rel - seen)]
    return ent, rel


@pytest.fixture(scope="module")
def heldout_graph(tmp_path_factory) -> nx.DiGraph:
    out = tmp_path_factory.mktemp("heldout")
    args = ["build", str(HELDOUT / "articles"), "--output", str(out), "--format", "graphml",
            "--no-cache", "--quiet", "--config", str(ROOT / "config.yaml")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return nx.read_graphml(out / "graph.graphml")


def gold_files() -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted((HELDOUT / "gold").glob("*.json"))]


def test_every_article_has_a_well_formed_gold_file():
    articles = {p.name for p in (HELDOUT / "articles").glob("*.txt")}
    golds = gold_files()
    assert len(golds) == len(articles) >= 10
    for gold in golds:
        assert gold["doc"] in articles
        names = {e["name"] for e in gold["entities"]} | {o["name"] for o in gold["optional"]}
        assert {e["type"] for e in gold["entities"]} <= set(ENTITY_TYPES)
        for r in gold["relations"]:
            assert r["relation"] in RELATIONS and r["head"] in names and r["tail"] in names, r


def test_the_scorer_counts_splits_and_ignores_optional_names():
    graph = nx.DiGraph()
    graph.add_node("a", label="“王大明”", type="person", documents="x.txt")
    graph.add_node("b", label="王 大明", type="person", documents="x.txt")
    graph.add_node("c", label="李某", type="person", documents="x.txt")
    graph.add_node("d", label="长江镇", type="place", documents="x.txt")
    graph.add_edge("c", "d", relation="located_in", documents="x.txt")
    gold = {"doc": "x.txt", "entities": [{"type": "person", "name": "王大明", "aliases": []},
                                         {"type": "agency", "name": "长江镇政府", "aliases": []}],
            "optional": [{"type": "person", "name": "李某"}], "relations": []}
    assert score(graph, gold) == ([1, 2, 1], [0, 0, 0])


def test_heldout_scores_stay_above_the_floor(heldout_graph):
    ent, rel = [0, 0, 0], [0, 0, 0]
    for gold in gold_files():
        e, r = score(heldout_graph, gold)
        ent = [a + b for a, b in zip(ent, e)]
        rel = [a + b for a, b in zip(rel, r)]
    assert f1(*ent) >= ENTITY_FLOOR, f"entity F1 {f1(*ent):.3f} (tp, fp, fn = {ent})"
    assert f1(*rel) >= RELATION_FLOOR, f"relation F1 {f1(*rel):.3f} (tp, fp, fn = {rel})"
