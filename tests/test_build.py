"""End to end: `kg build` on the bundled sample corpus, and the graph contract."""
from __future__ import annotations

import networkx as nx
import pytest
from click.testing import CliRunner

from kg.cli import main
from tests.conftest import ROOT, SAMPLES

NODE_ATTRS = {"label": str, "type": str, "aliases": str, "documents": str, "mentions": int}
EDGE_ATTRS = {"relation": str, "weight": int, "documents": str, "evidence": str}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    result = CliRunner().invoke(main, ["build", str(SAMPLES), "--output", str(out), "--config", str(ROOT / "config.yaml")])
    assert result.exit_code == 0, result.output
    return out, result.output, nx.read_graphml(out / "graph.graphml")


def test_summary_names_counts_and_outputs(built):
    out, output, _ = built
    n_files = len([p for p in SAMPLES.iterdir() if p.suffix == ".txt"])
    assert f"read {n_files} documents" in output
    assert "entities:" in output and "relations:" in output
    assert f"wrote {out / 'graph.graphml'}" in output
    assert (out / "graph.html").is_file()


def test_graphml_and_html_by_default_every_format_with_all(built, tmp_path):
    out, _, _ = built
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == ["graph.graphml", "graph.html"]
    args = ["build", str(SAMPLES), "--output", str(tmp_path), "--no-cache", "--format", "all"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == [
        "edges.csv", "graph.gexf", "graph.graphml", "graph.html", "graph.json", "nodes.csv"]


def test_every_node_keeps_the_contract(built):
    _, _, graph = built
    assert graph.number_of_nodes() > 20
    for node, data in graph.nodes(data=True):
        for name, kind in NODE_ATTRS.items():
            assert isinstance(data.get(name), kind), (node, name, data.get(name))
        assert data["type"] in {"person", "agency", "place", "program"}
        assert data["mentions"] >= 1
        assert data["documents"] and all(d.endswith(".txt") for d in data["documents"].split("|"))
        assert data["label"] not in data["aliases"].split("|")


def test_every_edge_keeps_the_contract(built):
    _, _, graph = built
    relations = set()
    for u, v, data in graph.edges(data=True):
        for name, kind in EDGE_ATTRS.items():
            assert isinstance(data.get(name), kind), (u, v, name, data.get(name))
        assert data["weight"] >= 1
        assert data["evidence"], (u, v)
        relations.add(data["relation"])
        if data["relation"] == "role":
            assert data["title"], (u, v)
    assert {"co_occurs", "located_in"} <= relations


def test_the_gbk_file_is_read(built):
    _, _, graph = built
    documents = {d for _, data in graph.nodes(data=True) for d in data["documents"].split("|")}
    assert any("gbk" in d for d in documents)


def test_same_input_gives_byte_identical_outputs(built, tmp_path):
    out, _, _ = built
    again = CliRunner().invoke(main, ["build", str(SAMPLES), "--output", str(tmp_path), "--config", str(ROOT / "config.yaml")])
    assert again.exit_code == 0, again.output
    for name in ("graph.graphml", "graph.html"):
        assert (tmp_path / name).read_bytes() == (out / name).read_bytes(), name


def test_missing_input_is_one_clear_line(tmp_path):
    result = CliRunner().invoke(main, ["build", str(tmp_path / "nope"), "--output", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert "does not exist" in result.output
    assert "Traceback" not in result.output


def test_python_dash_m_kg_works():
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "kg", "--version"], capture_output=True, text=True)
    assert done.returncode == 0 and "kg" in done.stdout
