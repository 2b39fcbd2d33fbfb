"""Where per-document extraction runs: this process, a process pool, or a Dask cluster.

The build hands an executor batches of documents and collects finished batches in
whatever order they complete; ``extract`` is pure and the assembly does not depend
on order, so every executor gives the same graph. Each worker process builds its
``Context`` (lexicons, gazetteer, word-cut dictionary) once and reuses it for every
batch it is given.

Batches rather than single documents keep the cost of sending work small next to the
work itself (tens of milliseconds per batch on a process pool, a few on Dask).
"""
from __future__ import annotations

import contextlib
import multiprocessing
import os
import queue
import signal
import socket
import sys
from abc import ABC, abstractmethod
from pathlib import Path

from .cache import content_hash
from .config import Config
from .errors import ConfigError, InputError
from .forked import STOPPING, signals_held
from .models import DocResult, Document, pack
from .recognise.wordcut import unload

__all__ = [
    "Executor",
    "InProcess",
    "ProcessPool",
    "DaskCluster",
    "Outcome",
    "make_executor",
    "extract_batch",
    "worker_count",
]

# (text hash, result): the hash is the cache key of the result, which comes packed
# (``kg.models.pack``) from another process: it is then read, and cached, as it is
Outcome = tuple[str, DocResult | bytes]
DASK_HINT = "install Dask with: pip install 'kg[dask]'"
CONNECT_TIMEOUT = "10s"  # how long to wait for a scheduler that does not answer


def worker_count(config: Config) -> int:
    """``workers`` from the config, 0 meaning one per core this process may use."""
    if config.workers > 0:
        return config.workers
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


_contexts: dict[str, object] = {}  # extraction key -> Context, one per worker process


def _context(config: Config, key: str):
    from .extract import make_context

    if key not in _contexts:
        _contexts.clear()  # a worker serves one build's settings at a time
        _contexts[key] = make_context(config)
    return _contexts[key]


def _warm_up(config: Config, key: str) -> None:
    """Load every dictionary here, before forking, so that the workers share one copy."""
    extract_batch([Document("warm-up", "", "南昌县公安局局长王建华表示，工作有序推进。")], config, key)


def extract_batch(batch: list[Document], config: Config, key: str, packed: bool = False) -> list[Outcome]:
    """Extract every document of a batch; runs wherever the executor sends it, which asks
    for ``packed`` results when they go to another process."""
    from .extract import extract

    context = _context(config, key)
    outcomes: list[Outcome] = []
    for doc in batch:
        result = extract(doc, context, config)
        outcomes.append((content_hash(doc.text), pack(result) if packed else result))
    return outcomes


def read_and_extract_batch(batch: list[tuple[str, str]], config: Config, key: str) -> list[Outcome]:
    """Read each (path, document id) where this worker runs, then extract it."""
    from .read import read_document

    documents = []
    for path, doc_id in batch:
        item = read_document(Path(path), doc_id, int(config.max_file_mb * 2**20))
        if not isinstance(item, Document):
            raise InputError(
                f"a Dask worker on {socket.gethostname()} cannot read {path}: it {item.reason}; "
                "the workers must see the articles at the same paths as the machine running kg build"
            )
        documents.append(item)
    return extract_batch(documents, config, key, packed=True)


class Executor(ABC):
    """Runs batches somewhere and hands back finished ones as they complete."""

    slots: int = 1  # batches that run at the same time
    batch_docs: int = 16  # a batch is sent when it holds this many documents ...
    batch_chars: int = 40_000  # ... or this many characters of text

    def __init__(self) -> None:
        self.in_flight = 0

    @abstractmethod
    def submit(self, batch: list[Document]) -> None: ...

    @abstractmethod
    def completed(self, wait: bool) -> list[list[Outcome]]:
        """Batches finished since the last call; with ``wait``, at least one if any is running."""

    def close(self) -> None:
        """Release the workers."""

    def __enter__(self) -> Executor:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class InProcess(Executor):
    """One worker: extraction runs in this process, with no copying of documents."""

    def __init__(self, config: Config, key: str):
        super().__init__()
        self.config, self.key = config, key
        self._done: list[list[Outcome]] = []

    def submit(self, batch: list[Document]) -> None:
        self._done.append(extract_batch(batch, self.config, self.key))
        self.in_flight += 1

    def completed(self, wait: bool) -> list[list[Outcome]]:
        done, self._done = self._done, []
        self.in_flight -= len(done)
        return done


def _quiet_worker() -> None:
    # the main process handles Ctrl-C and kill; a worker just stops when terminated
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):  # held while the pool forked: they may come now
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOPPING)


class ProcessPool(Executor):
    """Worker processes on this machine (the default for more than one worker)."""

    def __init__(self, config: Config, key: str, workers: int, share_dictionaries: bool = True):
        super().__init__()
        self.config, self.key, self.slots = config, key, workers
        self.batch_docs, self.batch_chars = 32, 80_000  # about a tenth of a second of work
        # fork starts workers at once and shares the dictionaries loaded here; elsewhere the platform default
        method = "fork" if sys.platform == "linux" else None
        loaded_here = method == "fork" and share_dictionaries
        if loaded_here:
            _warm_up(config, key)
        with signals_held():  # a Ctrl-C during the forks would be lost
            self._pool = multiprocessing.get_context(method).Pool(workers, initializer=_quiet_worker)
        if loaded_here:  # the workers have them now: this process, which merges, needs them no more
            unload()
        if not share_dictionaries:  # the worker loads them while this process goes on reading
            self._pool.apply_async(_warm_up, (config, key))
        self._done: queue.SimpleQueue = queue.SimpleQueue()

    def submit(self, batch: list[Document]) -> None:
        self._pool.apply_async(extract_batch, (batch, self.config, self.key), {"packed": True},
                               callback=self._done.put, error_callback=self._done.put)
        self.in_flight += 1

    def completed(self, wait: bool) -> list[list[Outcome]]:
        done = []
        if wait and self.in_flight:
            done.append(self._done.get())
        with contextlib.suppress(queue.Empty):
            while True:
                done.append(self._done.get_nowait())
        self.in_flight -= len(done)
        for item in done:
            if isinstance(item, BaseException):
                raise item
        return done

    def close(self) -> None:
        self._pool.terminate()
        self._pool.join()


class DaskCluster(Executor):
    """A Dask cluster: a LocalCluster started here (``dask-local``) or a scheduler's address.

    Workers are sent (path, document id) pairs and read the files themselves, so the
    articles must be at the same paths on every worker (a shared folder). A worker
    that dies takes its batches with it; the scheduler gives them to another worker.
    """

    def __init__(self, config: Config, key: str, address: str, workers: int):
        super().__init__()
        try:
            from dask.distributed import Client, LocalCluster, as_completed
        except ImportError:
            raise ConfigError(f"executor '{address}' needs Dask, which is not installed; {DASK_HINT}") from None
        self.config, self.key = config, key
        self._cluster = None
        if address == "dask-local":
            self._cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                         dashboard_address=None)
            self.client = Client(self._cluster)
        else:
            try:
                self.client = Client(address, timeout=CONNECT_TIMEOUT)
            except (OSError, TimeoutError, ValueError) as exc:
                raise ConfigError(
                    f"cannot reach the Dask scheduler at '{address}' ({exc}); start one with "
                    "`dask scheduler` and give its address, e.g. --scheduler tcp://host:8786"
                ) from None
        self.slots = max(1, sum(self.client.nthreads().values()))
        self.batch_docs, self.batch_chars = 128, 320_000  # about half a second: scheduling costs milliseconds
        self._futures = as_completed()

    def submit(self, batch: list[Document]) -> None:
        paths = [(doc.path, doc.doc_id) for doc in batch]
        self._futures.add(self.client.submit(read_and_extract_batch, paths, self.config, self.key, pure=False))
        self.in_flight += 1

    def completed(self, wait: bool) -> list[list[Outcome]]:
        if not self.in_flight:
            return []
        futures = self._futures.next_batch(block=wait) if wait or self._futures.has_ready() else []
        self.in_flight -= len(futures)
        return [future.result() for future in futures]

    def close(self) -> None:
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()


# so few documents to extract that one worker is enough (and, on one core, this process)
FEW_PENDING = 16


def make_executor(config: Config, key: str, pending: int | None = None) -> Executor:
    """The executor the config asks for (``executor``, ``workers``), or this process for a few documents.

    ``pending``, when known, is how many documents miss the cache: a rebuild after a
    few articles were added or edited extracts them in one local worker (or here, on
    one core) rather than start a pool or a cluster. Every executor gives the same results.
    """
    workers = worker_count(config)
    if pending is not None and pending <= FEW_PENDING:
        if pending == 0 or workers == 1 or config.executor != "local":
            return InProcess(config, key)  # loads nothing until it is given a document
        # one worker, which loads the dictionaries (a second) while this process reads the cache
        return ProcessPool(config, key, 1, share_dictionaries=False)
    if config.executor == "local":
        return InProcess(config, key) if workers == 1 else ProcessPool(config, key, workers)
    return DaskCluster(config, key, config.executor, workers)
