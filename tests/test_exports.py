"""Every export read back by the tools it is for: GraphML (networkx, igraph, Gephi's rules),
GEXF, CSV and JSON, against the graph that was built."""
from __future__ import annotations

import csv
import errno
import io
import json
import os
import signal
import tempfile
import tracemalloc
import xml.etree.ElementTree as ET
from pathlib import Path

import igraph as ig
import networkx as nx
import pytest
from click.testing import CliRunner
from networkx.readwrite.gexf import GEXFWriter

from kg import __version__, forked
from kg.assemble import assemble
from kg.cli import main
from kg.config import FORMATS, Config
from kg.export.gexf import write_gexf
from kg.export.graphml import (EDGE_COLUMNS, NODE_COLUMNS, EarlierEdges, EdgesAhead, Table, columns, graphml_text,
                               plain_graph, write_graphml)
from kg.export.tables import write_csv, write_json
from kg.layout import decorate
from kg.pipeline import build, write_outputs
from kg.style import RELATION_STYLES, UNKNOWN_COLOUR, hex_to_rgb
from tests.conftest import SAMPLES

GRAPHML_NS = "{http://graphml.graphdrawing.org/xmlns}"
GRAPHML_TYPES = {"string": str, "long": int, "int": int, "double": float, "float": float, "boolean": bool}
GEPHI_NODE = {"label": str, "type": str, "r": int, "g": int, "b": int, "x": float, "y": float, "size": float}

TEXTS = {
    "a.txt": "北京市公安局局长张伟在北京市主持会议。北京市人民检察院和北京市公安局共同开展扫黑除恶专项斗争。",
    "b.txt": "广州市人民法院院长李红表示，广州市人民法院将推进诉源治理。李红在广东省调研。",
}


@pytest.fixture(scope="module")
def seed(tmp_path_factory):
    """A build of the sample articles, every format written."""
    out = tmp_path_factory.mktemp("seed")
    config = Config()
    config.cache.enabled = False
    config.base_dir = str(out)
    config.formats = list(FORMATS)
    report = build([SAMPLES], config, out)
    return report.graph, out


@pytest.fixture
def small(extract_text):
    """A decorated graph of two short texts of our own."""
    return decorate(assemble(extract_text(text, doc_id) for doc_id, text in TEXTS.items()))


def _odd_graph() -> nx.DiGraph:
    """Values no GraphML writer takes as they are, and attributes only some nodes have."""
    import numpy as np

    graph = nx.DiGraph(documents=2, note=["not", "a", "graphml value"])
    graph.add_node("person:王芳", label="王芳", type="person", mentions=np.int64(3), aliases=["王女士", "小王"],
                   anonymised=False, x=np.float64(1.5), y=2, note=None, r=1, g=2, b=3, size=10.0)
    graph.add_node("place:上海", label="上海\x0c", type="place", mentions=1, level="province", longitude=121.47,
                   anonymised=True, x=0.25, y=-1.0, note="一\x00二", r=4, g=5, b=6, size=12)
    graph.add_edge("person:王芳", "place:上海", relation="co_occurs", label="co_occurs", weight=2,
                   documents={"b.txt", "a.txt"}, evidence="王芳在上海。", title=None)
    return graph


# ------------------------------------------------------------------ GraphML


def test_seed_graphml_has_what_gephi_reads(seed):
    graph, out = seed
    read = nx.read_graphml(out / "graph.graphml")
    assert (read.number_of_nodes(), read.number_of_edges()) == (graph.number_of_nodes(), graph.number_of_edges())
    assert read.number_of_nodes() > 20
    for node, data in read.nodes(data=True):
        for name, kind in GEPHI_NODE.items():
            assert type(data[name]) is kind, (node, name, data.get(name))
        assert (data["r"], data["g"], data["b"]) == tuple(graph.nodes[node][c] for c in "rgb")
        assert (data["x"], data["y"]) == (graph.nodes[node]["x"], graph.nodes[node]["y"])
    for u, v, data in read.edges(data=True):
        assert type(data["relation"]) is str and data["relation"] == graph.edges[u, v]["relation"]
        assert type(data["weight"]) is int and data["weight"] == graph.edges[u, v]["weight"] >= 1


def test_graphml_keys_are_named_typed_and_for_nodes_or_edges(seed):
    built, out = seed
    root = ET.parse(out / "graph.graphml").getroot()
    keys = root.findall(f"{GRAPHML_NS}key")
    declared: dict[tuple[str, str], str] = {}
    for key in keys:
        assert key.get("id") == key.get("attr.name")
        assert key.get("for") in {"node", "edge"}
        assert key.get("attr.type") in GRAPHML_TYPES
        assert (key.get("for"), key.get("id")) not in declared  # one type per attribute name
        declared[(key.get("for"), key.get("id"))] = key.get("attr.type")
    for (domain, name), kind in declared.items():  # a name on nodes and edges: one type
        other = declared.get(("edge" if domain == "node" else "node", name))
        assert other in (None, kind), name
    assert {n for d, n in declared if d == "node"} >= set(NODE_COLUMNS)
    assert {n for d, n in declared if d == "edge"} >= set(EDGE_COLUMNS)
    graph = root.find(f"{GRAPHML_NS}graph")
    assert graph.findall(f"{GRAPHML_NS}data") == []  # no graph attributes
    for element in graph.findall(f"{GRAPHML_NS}node"):  # a data element for each value the node has
        assert {d.get("key") for d in element.findall(f"{GRAPHML_NS}data")} == set(built.nodes[element.get("id")])
    for element in graph.findall(f"{GRAPHML_NS}edge"):
        data = built.edges[element.get("source"), element.get("target")]
        assert {d.get("key") for d in element.findall(f"{GRAPHML_NS}data")} == set(data)
    place_columns = {"adcode", "level", "longitude", "latitude"}
    assert place_columns <= {n for d, n in declared if d == "node"}
    assert {n for n, data in built.nodes(data=True) if data["type"] != "place" and place_columns & set(data)} == set()


def test_graphml_reads_in_igraph(seed):
    graph, out = seed
    read = ig.Graph.Read_GraphML(str(out / "graph.graphml"))
    assert (read.vcount(), read.ecount()) == (graph.number_of_nodes(), graph.number_of_edges())
    assert read.is_directed()
    assert set(read.vs.attributes()) >= set(NODE_COLUMNS)
    assert set(read.es.attributes()) >= set(EDGE_COLUMNS)
    for vertex in read.vs:
        data = graph.nodes[vertex["id"]]
        assert vertex["label"] == data["label"]
        assert vertex["community"] == data["community"]
        assert vertex["size"] == pytest.approx(data["size"])


def test_graphml_flattens_what_graphml_cannot_hold(tmp_path):
    write_graphml(_odd_graph(), tmp_path / "g.graphml")
    read = nx.read_graphml(tmp_path / "g.graphml")
    wang, shanghai = read.nodes["person:王芳"], read.nodes["place:上海"]
    assert wang["aliases"] == "王女士|小王" and wang["mentions"] == 3
    assert type(wang["x"]) is float and type(shanghai["y"]) is float and type(shanghai["size"]) is float
    assert "level" not in wang and "longitude" not in wang and shanghai["longitude"] == 121.47  # no false 0.0
    assert (wang["anonymised"], shanghai["anonymised"]) == (False, True)
    assert "note" not in wang and shanghai["note"] == "一二" and shanghai["label"] == "上海"  # None: no value
    edge = read.edges["person:王芳", "place:上海"]
    assert edge["documents"] == "a.txt|b.txt" and "title" not in edge
    assert b'for="graph"' not in (tmp_path / "g.graphml").read_bytes()  # the graph's attributes are left out


def test_a_name_of_nodes_and_edges_with_two_types_becomes_text():
    graph = nx.DiGraph()
    graph.add_node("a", label="甲", weight=1.5)
    graph.add_node("b", label="乙", weight=2.5)
    graph.add_edge("a", "b", weight=3)
    nodes, edges = columns(graph)
    assert {c.name: c.type for c in nodes}["weight"] is str
    assert {c.name: c.type for c in edges}["weight"] is str
    assert plain_graph(graph).edges["a", "b"]["weight"] == "3"


def test_every_value_gets_its_column_type_and_a_missing_value_stays_missing(tmp_path):
    graph = nx.DiGraph()
    graph.add_edge("a", "b", weight=1)
    graph.add_edge("b", "c", weight=2.5, note=None)
    graph.add_edge("c", "a", note=float("nan"), seen=True)
    rows = [d for _, _, d in plain_graph(graph).edges(data=True)]
    assert rows == [{"weight": 1.0}, {"weight": 2.5}, {"seen": True}]  # None and NaN are no value
    assert {type(d["weight"]) for d in rows if "weight" in d} == {float}
    write_csv(graph, tmp_path / "nodes.csv", tmp_path / "edges.csv")
    edges = _read_csv(tmp_path / "edges.csv")
    assert [(row["weight"], row["seen"]) for row in edges] == [("1.0", ""), ("2.5", ""), ("", "true")]
    assert "note" not in edges[0]  # a column no edge has a value in


def _graphs_with_odd_values() -> list[nx.DiGraph]:
    """Markup, white space, booleans, mixed numbers, missing and empty values, no columns."""
    marks = nx.DiGraph()
    marks.add_node("a")
    marks.add_edge("a", 'b"&<>\t\n\r x', note="x\r\ny&<>\"'\t", label="l&", weight=1.5)
    flags = nx.DiGraph()
    flags.add_edge(1, 2, flag=True, weight=1)
    flags.add_edge(2, 3, flag=False, weight=2.5, extra=None)
    flags.add_node(4, flag=False, n=1, label=4)
    return [nx.DiGraph(), nx.DiGraph([("a", "b")]), _odd_graph(), marks, flags]


@pytest.mark.parametrize("graph", _graphs_with_odd_values(), ids=["empty", "bare", "odd", "marks", "flags"])
def test_graphml_is_what_networkx_writes_for_the_plain_graph(graph, tmp_path):
    reference = io.BytesIO()
    nx.write_graphml_lxml(plain_graph(graph), reference, encoding="utf-8", named_key_ids=True)
    write_graphml(graph, tmp_path / "g.graphml")
    assert (tmp_path / "g.graphml").read_bytes() == reference.getvalue()


@pytest.mark.parametrize("later", [{"x": 1.5, "size": 3}, {"weight": "heavy"}, {"label": 7}],
                         ids=["new columns", "an edge column's name", "a column of both"])
@pytest.mark.parametrize("made_ahead", [0, 1, 99], ids=["none", "some", "all"])
def test_graphml_edges_made_before_the_nodes_change_give_the_same_document(tmp_path, later, made_ahead):
    """The edges' text is made while the layout runs, before the nodes get their last
    attributes: the same bytes as a document written at once, even where a new node
    attribute changes the type of an edge column."""
    graph = nx.DiGraph()
    for i in range(3000):  # more edges than one piece of text holds
        graph.add_edge(f"n{i % 700}", f"n{(i * 7) % 690}", relation="co_occurs", label="r&<", weight=i,
                       evidence=f"句{i}", cooccurrences=1,
                       **({"title": "局长"} if i % 1000 == 999 else {}))  # a column few edges have, before the last
    ahead = EdgesAhead(graph)
    for _ in range(made_ahead):
        ahead.step()
    for i, node in enumerate(graph):
        graph.nodes[node].update(later, label=later.get("label", f"节点{i}"))
    write_graphml(graph, tmp_path / "ahead.graphml", ahead)
    write_graphml(graph, tmp_path / "at_once.graphml")
    assert (tmp_path / "ahead.graphml").read_bytes() == (tmp_path / "at_once.graphml").read_bytes()
    reference = io.BytesIO()
    nx.write_graphml_lxml(plain_graph(graph), reference, encoding="utf-8", named_key_ids=True)
    assert (tmp_path / "at_once.graphml").read_bytes() == reference.getvalue()


_UNLIKE_THE_FIRST = {"no such attribute": {"note": "注"}, "one missing": {"drop": "evidence"},
                     "a float": {"weight": 2.5}, "a flag": {"cooccurrences": True},
                     "a number as text": {"weight": "7"}, "a control character": {"evidence": "句\x07子"},
                     "no value": {"evidence": None}}


@pytest.mark.parametrize("odd", list(_UNLIKE_THE_FIRST.values()), ids=list(_UNLIKE_THE_FIRST))
@pytest.mark.parametrize("at", [5, 2500], ids=["in the first piece", "in a later piece"])
@pytest.mark.parametrize("made_ahead", [0, 1, 99], ids=["none", "some", "all"])
@pytest.mark.parametrize("beside", [False, True], ids=["here", "the rest in a child"])
def test_graphml_edges_unlike_the_first_are_written_as_networkx_does(tmp_path, odd, at, made_ahead, beside):
    """Edges that all have the first edge's attributes, of its types (kg's own), are
    written straight from their dicts; one edge that does not, early or late, ahead or
    not, here or in a child, must still give networkx's document."""
    graph = nx.DiGraph()
    for i in range(3000):
        attrs = {"relation": "runs", "label": "runs", "weight": i, "documents": f"a/{i}.txt|b.txt",
                 "evidence": f"句<{i}>&", "cooccurrences": 1}
        if i == at:
            attrs.update(odd)
            attrs.pop(attrs.pop("drop", None), None)
        graph.add_edge(f"n{i % 700}", f"n{(i * 7) % 690}", **attrs)
    ahead = EdgesAhead(graph)
    for _ in range(made_ahead):
        ahead.step()
    if beside:
        ahead.make_rest_beside()
    write_graphml(graph, tmp_path / "ahead.graphml", ahead)
    reference = io.BytesIO()
    nx.write_graphml_lxml(plain_graph(graph), reference, encoding="utf-8", named_key_ids=True)
    assert (tmp_path / "ahead.graphml").read_bytes() == reference.getvalue()
    assert ahead.index() is None  # written in general: no index of where each node's edges lie


@pytest.mark.skipif(not forked.can_fork(), reason="needs fork")
@pytest.mark.parametrize("made_ahead", [0, 1], ids=["none ahead", "one ahead"])
def test_graphml_edges_left_are_made_by_a_child_while_the_nodes_are_written(tmp_path, made_ahead):
    graph = _many_edges(7000)
    write_graphml(graph, tmp_path / "at_once.graphml")
    ahead = EdgesAhead(graph)
    for _ in range(made_ahead):
        ahead.step()
    ahead.make_rest_beside()
    assert ahead._beside is not None and ahead._beside.forked
    ahead._rest = iter(())  # what this process would make: nothing, the child makes them
    write_graphml(graph, tmp_path / "ahead.graphml", ahead)
    assert (tmp_path / "ahead.graphml").read_bytes() == (tmp_path / "at_once.graphml").read_bytes()


@pytest.mark.skipif(not forked.can_fork(), reason="needs fork")
@pytest.mark.parametrize("failure", ["killed", "no room"])
def test_graphml_edges_left_are_made_here_when_their_child_fails(tmp_path, monkeypatch, failure):
    """A child killed before it answers, or one that finds the temporary folder full,
    costs the time it took: the edges are made here, and the document is the same."""
    graph = _many_edges(7000)
    write_graphml(graph, tmp_path / "at_once.graphml")
    ahead = EdgesAhead(graph)
    ahead.step()

    def no_room(data):
        raise OSError(errno.ENOSPC, "No space left on device")

    if failure == "no room":  # for the child, which makes every piece from here on
        monkeypatch.setattr(ahead, "_keep", no_room)
    ahead.make_rest_beside()
    assert ahead._beside.forked
    if failure == "killed":
        os.kill(ahead._beside._pid, signal.SIGKILL)
    write_graphml(graph, tmp_path / "ahead.graphml", ahead)
    assert (tmp_path / "ahead.graphml").read_bytes() == (tmp_path / "at_once.graphml").read_bytes()


def test_graphml_edges_alike_skip_the_plain_values_and_cells(tmp_path, monkeypatch):
    """kg's edges all have the same attributes, text and integers: their text is made
    without a row of plain values and cells for each (``Table``), and is the same."""
    import kg.export.graphml as graphml

    graph = _many_edges()
    write_graphml(graph, tmp_path / "at_once.graphml")
    monkeypatch.setattr(graphml, "_edge_rows", lambda graph: pytest.fail("rows made for alike edges"))
    ahead = EdgesAhead(graph)
    ahead.step()
    write_graphml(graph, tmp_path / "ahead.graphml", ahead)
    assert (tmp_path / "ahead.graphml").read_bytes() == (tmp_path / "at_once.graphml").read_bytes()


def _many_edges(count: int = 3000) -> nx.DiGraph:
    graph = nx.DiGraph()
    for i in range(count):  # more edges than one piece of text holds
        graph.add_edge(f"n{i % 700}", f"n{(i * 7) % 690}", relation="co_occurs", weight=i, evidence=f"句子{i}" * 5)
    return graph


def test_graphml_edges_made_ahead_are_copied_in_without_sendfile_too(tmp_path, monkeypatch):
    """Where the kernel cannot copy between files, the edges made ahead are copied through Python."""
    graph = _many_edges()
    write_graphml(graph, tmp_path / "at_once.graphml")

    def no_sendfile(*args):
        raise OSError(errno.EINVAL, "Invalid argument")

    monkeypatch.setattr(os, "sendfile", no_sendfile)
    ahead = EdgesAhead(graph)
    while ahead.step():
        pass
    write_graphml(graph, tmp_path / "ahead.graphml", ahead)
    assert (tmp_path / "ahead.graphml").read_bytes() == (tmp_path / "at_once.graphml").read_bytes()


def test_graphml_edges_made_ahead_stop_when_the_temporary_folder_is_full(tmp_path, monkeypatch):
    """A full temporary folder costs the head start, not the build: the piece that did
    not fit (part of it written) is made again as the document is written."""
    graph = _many_edges()
    write_graphml(graph, tmp_path / "at_once.graphml")
    temporary_file = tempfile.TemporaryFile

    def small_folder(*args, **kwargs):
        file = temporary_file(*args, **kwargs)

        class Full:
            def __getattr__(self, name):
                return getattr(file, name)

            def write(self, data):
                if file.tell() > 0:  # room for one piece
                    file.write(bytes(data[:1000]))
                    raise OSError(errno.ENOSPC, "No space left on device")
                return file.write(data)

        return Full()

    monkeypatch.setattr(tempfile, "TemporaryFile", small_folder)
    ahead = EdgesAhead(graph)
    made = 0
    while ahead.step():
        made += 1
    assert made >= 1 and not ahead.step()  # some pieces fitted, and then none
    write_graphml(graph, tmp_path / "ahead.graphml", ahead)
    assert (tmp_path / "ahead.graphml").read_bytes() == (tmp_path / "at_once.graphml").read_bytes()


def test_graphml_edges_made_ahead_wait_on_disk_not_in_memory():
    """The text made while the layout runs is the bulk of the document: held in memory,
    it would add to the build's peak until the nodes are written."""
    graph = _many_edges()
    text_size = len("".join(graphml_text(Table.of(graph))).encode("utf-8"))
    ahead = EdgesAhead(graph)
    tracemalloc.start()
    try:
        while ahead.step():
            pass
        held, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        ahead.close()
    assert text_size > 500_000
    assert held < text_size / 10


def test_seed_graphml_is_what_networkx_writes(seed):
    graph, out = seed
    reference = io.BytesIO()
    nx.write_graphml_lxml(plain_graph(graph), reference, encoding="utf-8", named_key_ids=True)
    assert (out / "graph.graphml").read_bytes() == reference.getvalue()


def test_an_id_xml_cannot_hold_is_an_error(tmp_path):
    graph = nx.DiGraph([("a\x01", "b")])
    for write, name in ((write_graphml, "g.graphml"), (write_gexf, "g.gexf")):
        with pytest.raises(ValueError, match="XML"):
            write(graph, tmp_path / name)
    assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------------------ GEXF


def _networkx_gexf(graph: nx.DiGraph) -> bytes:
    """What networkx's GEXF writer makes of the plain graph, with viz data, edge ids and no date."""
    plain = plain_graph(graph)
    for _, data in plain.nodes(data=True):
        if all(k in data for k in ("r", "g", "b", "size", "x", "y")):
            data["viz"] = {"color": {"r": data.pop("r"), "g": data.pop("g"), "b": data.pop("b"), "a": 1.0},
                           "size": data.pop("size"), "position": {"x": data.pop("x"), "y": data.pop("y"), "z": 0.0}}
    for number, (_, _, data) in enumerate(plain.edges(data=True)):
        r, g, b = hex_to_rgb(RELATION_STYLES.get(str(data.get("relation")), {}).get("color", UNKNOWN_COLOUR))
        data["viz"] = {"color": {"r": r, "g": g, "b": b, "a": 1.0}}
        data["id"] = str(number)
    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    meta = writer.xml.find("meta")
    meta.attrib.pop("lastmodifieddate")
    meta.find("creator").text = f"kg {__version__}"
    writer.add_graph(plain)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize("graph", _graphs_with_odd_values(), ids=["empty", "bare", "odd", "marks", "flags"])
def test_gexf_is_what_networkx_writes_for_the_plain_graph(graph, tmp_path):
    write_gexf(graph, tmp_path / "g.gexf")
    assert (tmp_path / "g.gexf").read_bytes() == _networkx_gexf(graph)


def test_seed_gexf_is_what_networkx_writes(seed):
    graph, out = seed
    assert (out / "graph.gexf").read_bytes() == _networkx_gexf(graph)



def test_gexf_carries_colours_sizes_and_positions(seed):
    graph, out = seed
    read = nx.read_gexf(out / "graph.gexf")
    assert (read.number_of_nodes(), read.number_of_edges()) == (graph.number_of_nodes(), graph.number_of_edges())
    for node, data in read.nodes(data=True):
        built = graph.nodes[node]
        viz = data["viz"]
        assert (viz["color"]["r"], viz["color"]["g"], viz["color"]["b"]) == (built["r"], built["g"], built["b"])
        assert viz["size"] == pytest.approx(built["size"])
        assert (viz["position"]["x"], viz["position"]["y"]) == pytest.approx((built["x"], built["y"]))
        assert data["label"] == built["label"]
        assert data["type"] == built["type"] and data["community"] == built["community"]
    for u, v, data in read.edges(data=True):
        assert data["relation"] == graph.edges[u, v]["relation"]
        assert data["weight"] == pytest.approx(graph.edges[u, v]["weight"])
    assert b"lastmodifieddate" not in (out / "graph.gexf").read_bytes()


# ------------------------------------------------------------------ CSV and JSON


def _read_csv(path: Path) -> list[dict[str, str]]:
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # the BOM Excel needs
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_csv_has_one_row_per_node_and_edge_with_the_graphml_columns(seed):
    graph, out = seed
    node_cols, edge_cols = columns(graph)
    nodes = _read_csv(out / "nodes.csv")
    edges = _read_csv(out / "edges.csv")
    assert list(nodes[0]) == ["id", *(c.name for c in node_cols)]
    assert list(edges[0]) == ["id", "source", "target", *(c.name for c in edge_cols)]
    assert [row["id"] for row in nodes] == list(graph.nodes)
    assert [(row["source"], row["target"]) for row in edges] == list(graph.edges)
    assert [row["id"] for row in edges] == [str(i) for i in range(graph.number_of_edges())]
    for row in nodes:
        data = graph.nodes[row["id"]]
        assert row["label"] == data["label"]
        assert int(row["mentions"]) == data["mentions"] and int(row["community"]) == data["community"]
        assert float(row["x"]) == data["x"] and float(row["size"]) == data["size"]
    for row in edges:
        assert int(row["weight"]) == graph.edges[row["source"], row["target"]]["weight"]


def test_a_node_off_the_map_has_no_coordinates_in_any_export(seed):
    """No false 0.0: a value the graph does not have is an empty CSV cell, no JSON key, no GEXF attvalue."""
    graph, out = seed
    off_map = {n for n, data in graph.nodes(data=True) if "longitude" not in data}
    on_map = set(graph) - off_map
    assert off_map and on_map
    rows = {row["id"]: row for row in _read_csv(out / "nodes.csv")}
    assert {n for n in off_map if rows[n]["longitude"] or rows[n]["latitude"]} == set()
    assert {n for n in on_map if float(rows[n]["longitude"]) != graph.nodes[n]["longitude"]} == set()
    nodes = {node["id"]: node for node in json.loads((out / "graph.json").read_text(encoding="utf-8"))["nodes"]}
    assert {n for n in off_map if "longitude" in nodes[n]} == set()
    read = nx.read_gexf(out / "graph.gexf")
    assert {n for n in off_map if "longitude" in read.nodes[n]} == set()
    assert {n for n in on_map if read.nodes[n]["longitude"] != pytest.approx(graph.nodes[n]["longitude"])} == set()


def test_json_is_node_link_data_with_plain_values(seed):
    graph, out = seed
    text = (out / "graph.json").read_text(encoding="utf-8")
    assert "\\u" not in text  # Chinese as it is
    read = nx.node_link_graph(json.loads(text), edges="edges")
    assert read.is_directed()
    assert list(read.nodes) == list(graph.nodes) and list(read.edges) == list(graph.edges)
    assert dict(read.nodes(data=True)) == dict(plain_graph(graph).nodes(data=True))
    assert read.graph == {"documents": graph.graph["documents"]}
    reference = nx.node_link_data(plain_graph(graph), edges="edges")
    reference["graph"] = {"documents": graph.graph["documents"]}
    assert text == json.dumps(reference, ensure_ascii=False, separators=(",", ":")) + "\n"  # the same bytes


# ------------------------------------------------------------------ determinism and choice


def _write_all(graph: nx.DiGraph, folder: Path) -> dict[str, bytes]:
    folder.mkdir()
    write_graphml(graph, folder / "graph.graphml")
    write_gexf(graph, folder / "graph.gexf")
    write_csv(graph, folder / "nodes.csv", folder / "edges.csv")
    write_json(graph, folder / "graph.json")
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_the_same_texts_give_the_same_bytes(extract_text, tmp_path):
    first = decorate(assemble(extract_text(text, doc_id) for doc_id, text in TEXTS.items()))
    again = decorate(assemble(extract_text(text, doc_id) for doc_id, text in reversed(TEXTS.items())))
    assert first.number_of_nodes() >= 4 and first.number_of_edges() >= 2
    assert _write_all(first, tmp_path / "one") == _write_all(again, tmp_path / "two")


def test_small_graph_round_trips_through_every_format(small, tmp_path):
    _write_all(small, tmp_path / "out")
    out = tmp_path / "out"
    for read in (nx.read_graphml(out / "graph.graphml"), nx.read_gexf(out / "graph.gexf")):
        assert set(read.nodes) == set(small.nodes) and set(read.edges) == set(small.edges)
    assert len(_read_csv(out / "nodes.csv")) == small.number_of_nodes()
    assert len(_read_csv(out / "edges.csv")) == small.number_of_edges()


def test_config_formats_choose_the_files(small, tmp_path):
    config = Config()
    config.formats = ["gexf", "csv"]
    written = write_outputs(small, tmp_path, config)
    assert sorted(Path(p).name for p in written) == ["edges.csv", "graph.gexf", "nodes.csv"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["edges.csv", "graph.gexf", "nodes.csv"]


def test_format_option_overrides_the_config(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(TEXTS["a.txt"], encoding="utf-8")
    (tmp_path / "config.yaml").write_text("formats: [html]\ncache:\n  enabled: false\n", encoding="utf-8")
    args = ["build", str(tmp_path / "in"), "--config", str(tmp_path / "config.yaml"), "--output"]
    result = CliRunner().invoke(main, [*args, str(tmp_path / "out"), "--format", "graphml,json", "-f", "csv"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["edges.csv", "graph.graphml", "graph.json", "nodes.csv"]
    result = CliRunner().invoke(main, [*args, str(tmp_path / "bad"), "--format", "graphml,pdf"])
    assert result.exit_code == 2
    assert "unknown format 'pdf'; choose from graphml, html, gexf, csv, json" in result.output
    assert not (tmp_path / "bad").exists()


def _written_with_index(graph: nx.DiGraph, path, earlier=None, beside: bool = False) -> dict[str, tuple[int, int]]:
    """Write ``graph``'s GraphML with its edges made ahead; where each node's edges out lie in it."""
    ahead = EdgesAhead(graph, earlier)
    ahead.step()
    if beside:
        ahead.make_rest_beside()
    write_graphml(graph, path, ahead)
    at, heads = ahead.index()
    blocks = {}
    for node, length in heads:
        blocks[node], at = (at, length), at + length
    return blocks


@pytest.mark.parametrize("beside", [False, pytest.param(True, marks=pytest.mark.skipif(
    not forked.can_fork(), reason="needs fork"))], ids=["here", "the rest in a child"])
def test_graphml_edges_out_of_unchanged_nodes_are_copied_from_the_graphml_before(tmp_path, beside):
    """A rebuild copies the edges out of the nodes whose edges did not change from the
    GraphML before: the document is the one written at once, and where its blocks lie
    is where the next build finds them."""
    graph = _many_edges(7000)
    blocks = _written_with_index(graph, tmp_path / "before.graphml")
    text = (tmp_path / "before.graphml").read_bytes()
    assert [text[a : a + n].split(b'"')[1].decode() for a, n in blocks.values()] == list(blocks)
    graph.add_edge("n3", "n5", relation="co_occurs", weight=1, evidence="新句子")  # n3's edges change
    graph.nodes["n8"]["label"] = "标签"  # a node attribute: no edge changes
    same = {node: where for node, where in blocks.items() if node != "n3"}
    earlier = EarlierEdges(tmp_path / "before.graphml", same, EdgesAhead(graph).signature())
    again = _written_with_index(graph, tmp_path / "after.graphml", earlier, beside)
    write_graphml(graph, tmp_path / "at_once.graphml")
    assert (tmp_path / "after.graphml").read_bytes() == (tmp_path / "at_once.graphml").read_bytes()
    assert again == _written_with_index(graph, tmp_path / "fresh.graphml")
    assert beside or earlier.copied == len(same)  # a child counts its own


def test_graphml_edges_not_where_the_index_says_are_made_again(tmp_path):
    """A block that does not start and end as a node's edges out do (a file cut short, an
    index off by some bytes) is made, not copied."""
    graph = _many_edges()
    blocks = _written_with_index(graph, tmp_path / "before.graphml")
    off = {node: (at + 1, length) for node, (at, length) in blocks.items()}
    off["n0"] = (blocks["n0"][0], 10 ** 9)  # past the end of the file
    earlier = EarlierEdges(tmp_path / "before.graphml", off, EdgesAhead(graph).signature())
    _written_with_index(graph, tmp_path / "after.graphml", earlier)
    assert earlier.copied == 0
    assert (tmp_path / "after.graphml").read_bytes() == (tmp_path / "before.graphml").read_bytes()


def test_graphml_edges_of_a_hub_are_made_a_piece_at_a_time(tmp_path):
    """A node's edges out are one block of the index, but a hub's are made in pieces of
    about as many edges as any other piece holds: the memory a piece takes stays bounded."""
    graph = nx.DiGraph()
    for i in range(5000):
        graph.add_edge("hub", f"n{i}", relation="co_occurs", weight=i, evidence=f"句子{i}")
    for i in range(300):
        graph.add_edge(f"n{i}", f"n{i + 1}", relation="co_occurs", weight=1, evidence="句")
    assert max(piece.count(b"<edge ") for piece in EdgesAhead(graph)._rest) <= 2000
    blocks = _written_with_index(graph, tmp_path / "hub.graphml")
    text = (tmp_path / "hub.graphml").read_bytes()
    at, length = blocks["hub"]
    assert text[at : at + length].count(b'<edge source="hub" ') == 5000 == text.count(b'<edge source="hub" ')
    write_graphml(graph, tmp_path / "at_once.graphml")
    assert text == (tmp_path / "at_once.graphml").read_bytes()
