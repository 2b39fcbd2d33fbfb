"""Parallel extraction gives the same graph as one process, whatever the order of results."""
from __future__ import annotations

import io
import os
import random
import sys

import networkx as nx
import pytest

from bench.generate import write_corpus
from kg import forked
from kg import layout as layout_module
from kg import pipeline as pipeline_module
from kg.assemble import Assembler, assemble
from kg.config import Config
from kg.executor import InProcess, ProcessPool, make_executor, worker_count
from kg.models import DocResult, Entity, Relation
from kg.pipeline import build


def outputs(folder) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def config_for(tmp_path, workers: int, cache: bool = False) -> Config:
    config = Config()
    config.workers = workers
    config.formats = ["graphml", "html", "json", "csv"]
    config.cache.enabled = cache
    config.cache.dir = str(tmp_path / "cache")
    return config


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return write_corpus(tmp_path_factory.mktemp("corpus"), 16, seed=7)


def test_one_and_two_workers_write_byte_identical_outputs(corpus, tmp_path):
    one = build([corpus], config_for(tmp_path, 1), tmp_path / "one")
    two = build([corpus], config_for(tmp_path, 2), tmp_path / "two")
    assert one.documents == two.documents == 16
    assert outputs(tmp_path / "one") == outputs(tmp_path / "two")


@pytest.mark.skipif(not (forked.can_fork() and forked.room_for_a_copy()), reason="forks (Linux, memory to spare)")
def test_with_two_workers_the_layout_its_communities_and_the_page_are_made_in_child_processes(corpus, tmp_path,
                                                                                              monkeypatch):
    children = []

    class Recorded(forked.Task):
        def result(self):
            children.append(self._pid)
            return super().result()

    found_in = tmp_path / "communities"  # the processes that found communities: the layout's child is not this one
    communities = layout_module._communities

    def recorded_communities(graph):
        with open(found_in, "a") as fh:
            fh.write(f"{os.getpid()}\n")
        return communities(graph)

    def finders() -> list[int]:
        pids = [int(line) for line in found_in.read_text().split()]
        found_in.unlink()
        return pids

    monkeypatch.setattr(forked, "Task", Recorded)
    monkeypatch.setattr(layout_module, "_communities", recorded_communities)
    build([corpus], config_for(tmp_path, 2), tmp_path / "two")
    assert len(children) == 2 and all(pid not in (0, os.getpid()) for pid in children)
    [finder] = finders()  # a child of the layout's child, beside its positions
    assert finder not in children and finder != os.getpid()
    children.clear()
    build([corpus], config_for(tmp_path, 1), tmp_path / "one")  # one worker: the layout and its communities here
    assert children == [0, 0] and finders() == [os.getpid()]
    children.clear()
    monkeypatch.setattr(forked, "room_for_a_copy", lambda: False)  # no memory for a child's copy: here too
    build([corpus], config_for(tmp_path, 2), tmp_path / "short")
    assert children == [0, 0, 0] and finders() == [os.getpid()]
    assert outputs(tmp_path / "short") == outputs(tmp_path / "one") == outputs(tmp_path / "two")


@pytest.mark.skipif(not forked.can_fork(), reason="needs fork")
def test_a_build_that_fails_after_the_layout_stops_the_child_making_the_graphml_edges(corpus, tmp_path, monkeypatch):
    from kg.export.graphml import EdgesAhead

    children = []
    make_rest_beside = EdgesAhead.make_rest_beside

    def recorded(ahead):
        make_rest_beside(ahead)
        children.append(ahead._beside)

    def fails(*args):
        raise RuntimeError("a bug in the layout")

    monkeypatch.setattr(EdgesAhead, "step", lambda ahead: False)  # none made ahead: a child makes them all
    monkeypatch.setattr(EdgesAhead, "make_rest_beside", recorded)
    monkeypatch.setattr(pipeline_module, "decorate", fails)
    with pytest.raises(RuntimeError, match="a bug in the layout"):
        build([corpus], config_for(tmp_path, 2), tmp_path / "out")
    assert len(children) == 1 and children[0].forked and children[0]._pid == 0  # stopped, and waited for
    assert not (tmp_path / "out" / "graph.graphml").exists()


def test_workers_zero_means_one_per_core():
    config = Config()
    assert worker_count(config) >= 1
    config.workers = 3
    assert worker_count(config) == 3


def test_one_worker_runs_in_process_and_more_use_a_pool():
    config = Config()
    config.workers = 1
    with make_executor(config, "k") as executor:
        assert isinstance(executor, InProcess)
    config.workers = 2
    with make_executor(config, "k") as executor:
        assert isinstance(executor, ProcessPool)
        assert executor.slots == 2


@pytest.mark.skipif(sys.platform != "linux", reason="workers share the dictionaries where they are forked")
def test_a_pool_forked_with_the_dictionaries_leaves_them_to_its_workers():
    """The process that merges needs none of the hundred MB of dictionaries its workers
    were forked with; it loads them again if it comes to extract."""
    from kg.cache import extraction_key
    from kg.executor import extract_batch
    from kg.models import Document, unpack
    from kg.recognise import wordcut

    config = Config()
    key = extraction_key(config)
    doc = Document("a.txt", "a.txt", "南昌县公安局局长王建华表示，工作有序推进。")
    with ProcessPool(config, key, 2) as pool:
        assert wordcut._loaded.cache_info().currsize == 0
        pool.submit([doc])
        [[(_, packed)]] = pool.completed(wait=True)
    here = extract_batch([doc], config, key)[0][1]
    assert unpack(packed) == here.to_record() and here.entities


def _result(doc_id: str, agency: str, adcode: str, evidence: str) -> DocResult:
    return DocResult(
        doc_id,
        entities=[Entity("agency", agency, [], 1), Entity("place", "南昌县", [], 1, {"adcode": adcode, "note": doc_id})],
        relations=[
            Relation(f"agency:{agency}", "located_in", "place:南昌县", 1, evidence),
            Relation(f"agency:{agency}", "co_occurs", "place:南昌县", 1, evidence),
        ],
    )


def _graphml(graph: nx.DiGraph) -> bytes:
    buffer = io.BytesIO()
    nx.write_graphml(graph, buffer)
    return buffer.getvalue()


def test_assembly_does_not_depend_on_the_order_of_results():
    results = [_result(f"{i:02d}.txt", f"南昌县{kind}", "360121", f"第{i}句。")
               for i in range(12) for kind in ("公安局", "司法局")[: 1 + i % 2]]
    expected = _graphml(assemble(results))
    for seed in range(5):
        shuffled = results[:]
        random.Random(seed).shuffle(shuffled)
        assert _graphml(assemble(shuffled)) == expected


def test_attributes_come_from_the_first_document_by_id_not_by_arrival():
    assembler = Assembler()
    assembler.add(_result("b.txt", "南昌县公安局", "360121", "后一句。"))
    assembler.add(_result("a.txt", "南昌县公安局", "360121", "前一句。"))
    graph = assembler.graph()
    place = next(d for _, d in graph.nodes(data=True) if d["type"] == "place")
    assert place["note"] == "a.txt"
    edge = next(d for _, _, d in graph.edges(data=True) if d["relation"] == "located_in")
    assert edge["evidence"] == "前一句。"
    assert edge["weight"] == 2 and edge["cooccurrences"] == 2
    assert graph.graph["documents"] == 2


def test_no_progress_bar_when_stderr_is_not_a_terminal(corpus, tmp_path, capsys):
    build([corpus], config_for(tmp_path, 1), tmp_path / "out", progress=True)
    assert capsys.readouterr().err == ""


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_stage_that_starts_early_is_shown_as_soon_as_the_build_has_run_long_enough(monkeypatch):
    """Loading the last build starts a second or two into a rebuild and lasts ten at 50,000
    articles: its line appears while its parts are read, once the build passes STATUS_AFTER."""
    clock = [0.0]
    monkeypatch.setattr(pipeline_module.time, "perf_counter", lambda: clock[0])
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    status = pipeline_module._Status(progress=True)
    clock[0] = pipeline_module.STATUS_AFTER / 2
    status("loading the last build")
    assert terminal.getvalue() == ""  # too early: a short build shows nothing
    read = []
    for part in status.ticking([("nodes", 1), ("typed", 2), ("cooc", 3), ("sources", 4)]):
        read.append(part)
        clock[0] += pipeline_module.STATUS_AFTER / 3
    assert read == [("nodes", 1), ("typed", 2), ("cooc", 3), ("sources", 4)]
    assert terminal.getvalue() == "\rkg: loading the last build..."  # shown once, at the third part
    status.clear()
    assert terminal.getvalue().endswith("\r")


def test_on_a_terminal_a_long_build_says_what_it_is_doing_after_extraction(corpus, tmp_path, monkeypatch):
    """The end of a large build (graph, layout, exports) takes a minute: a line on stderr
    names each stage, and is cleared before the report is printed."""
    monkeypatch.setattr(pipeline_module, "STATUS_AFTER", 0.0)  # as if the build had run long already
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    build([corpus], config_for(tmp_path, 1), tmp_path / "out", progress=True)
    shown = terminal.getvalue()
    stages = ["kg: building the graph of 16 articles...", "kg: laying out", "kg: writing the outputs..."]
    assert all(stage in shown for stage in stages)
    assert [shown.index(stage) for stage in stages] == sorted(shown.index(stage) for stage in stages)
    assert shown.endswith("\r") and shown.rsplit("\r", 2)[-2].strip() == ""  # the last line written is blank
    quiet = _Terminal()
    monkeypatch.setattr(sys, "stderr", quiet)
    build([corpus], config_for(tmp_path, 1), tmp_path / "quiet", progress=False)
    assert quiet.getvalue() == ""
