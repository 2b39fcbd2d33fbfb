"""Extraction on a Dask cluster gives the same graph as a local build, even when a worker dies."""
from __future__ import annotations

import os
import signal
import sys

import pytest

from bench.generate import write_corpus
from kg.assemble import Assembler
from kg.config import Config
from kg.errors import ConfigError
from kg.executor import DaskCluster, make_executor
from kg.models import Document, unpack
from kg.pipeline import build
from kg.read import read_documents

ARTICLES = 12


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return write_corpus(tmp_path_factory.mktemp("corpus"), ARTICLES, seed=5)


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        yield cluster


def config_for(executor: str, workers: int = 1) -> Config:
    config = Config()
    config.executor, config.workers = executor, workers
    config.formats = ["graphml", "json"]
    config.cache.enabled = False
    return config


def outputs(folder) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_a_build_on_a_local_cluster_equals_a_local_build(corpus, cluster, tmp_path):
    local = build([corpus], config_for("local"), tmp_path / "local")
    remote = build([corpus], config_for(cluster.scheduler_address), tmp_path / "dask")
    assert remote.documents == local.documents == ARTICLES
    assert outputs(tmp_path / "dask") == outputs(tmp_path / "local")


def test_a_worker_stopped_mid_build_still_gives_the_complete_graph(corpus, cluster, tmp_path):
    config = config_for(cluster.scheduler_address)
    documents = [d for d in read_documents([corpus], config.extensions) if isinstance(d, Document)]
    expected = Assembler()
    with make_executor(config_for("local"), "key") as local:
        local.submit(documents)
        for batch in local.completed(wait=True):
            for _, result in batch:
                expected.add(result)

    assembler = Assembler()
    with make_executor(config, "key") as executor:
        assert isinstance(executor, DaskCluster)
        for document in documents:  # one document per task, so that a worker holds several when it dies
            executor.submit([document])
        pids = executor.client.run(os.getpid)
        first = executor.completed(wait=True)
        busy = [w for w, tasks in executor.client.processing().items() if tasks]
        assert busy, "the build finished before a worker could be stopped"
        os.kill(pids[busy[0]], signal.SIGKILL)
        done = list(first)
        while executor.in_flight:
            done += executor.completed(wait=True)
    for batch in done:
        for _, result in batch:
            assembler.add(unpack(result))  # a cluster's workers send their results packed
    assert assembler.documents == ARTICLES
    assert assembler.graph().nodes(data=True) == expected.graph().nodes(data=True)
    assert sorted(assembler.graph().edges(data=True)) == sorted(expected.graph().edges(data=True))


def test_without_dask_the_error_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "dask.distributed", None)
    with pytest.raises(ConfigError, match=r"pip install 'kg\[dask\]'"):
        make_executor(config_for("dask-local"), "key")


def test_an_unreachable_scheduler_is_a_clear_error(monkeypatch):
    pytest.importorskip("dask.distributed")
    monkeypatch.setattr("kg.executor.CONNECT_TIMEOUT", "1s")
    with pytest.raises(ConfigError, match="cannot reach the Dask scheduler at 'tcp://127.0.0.1:9'"):
        make_executor(config_for("tcp://127.0.0.1:9"), "key")
