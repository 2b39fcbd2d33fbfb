"""One timed ``kg`` build in a fresh process, reported as one line of JSON.

The benchmark runs every build through this script so that each starts cold (no
dictionaries already loaded) and its peak memory is its own. Every export writer is
wrapped in a timer, which gives the time of each format without changing kg.

Usage: python -m bench.build_once OUT_DIR INPUT... [--workers N] [--executor X]
       [--cache-dir DIR | --no-cache] [--formats graphml,html,gexf,csv,json]
"""
from __future__ import annotations

import argparse
import contextlib
import functools
import json
import os
import resource
import threading
import time

from kg import pipeline
from kg.config import Config

EXPORTS = {"write_graphml": "graphml", "write_html": "html", "write_gexf": "gexf", "write_csv": "csv",
           "write_json": "json"}


def _timed(name: str, timings: dict[str, float], function):
    @functools.wraps(function)
    def run(*args, **kwargs):
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            timings[name] = timings.get(name, 0.0) + time.perf_counter() - started

    return run


class TotalMemory:
    """The peak of the memory kg and all its processes hold together: the sum of their
    proportional set sizes (Linux), where a page that several processes share (the
    dictionaries, a forked child's view of kg) counts once.

    Reading a process's ``smaps_rollup`` makes the kernel walk its pages: 20 ms for a
    process of 1.7 GB. Sampled four times a second, that took a fifth of kg's main
    process at 10,000 articles and was counted as kg's CPU time. So the sampler waits
    ``COST_SHARE`` times what its last sample cost (at least ``interval``), which keeps
    it under 2% of one core, and ``cpu`` tells its own CPU time, for the caller to take
    out of the process's.
    """

    COST_SHARE = 50  # wait this many times a sample's cost before the next one

    def __init__(self, interval: float = 0.25) -> None:
        self.peak_mb = 0.0
        self.cpu = 0.0  # seconds of CPU the sampling took, in this process
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, args=(interval,), daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._done.set()
        self._thread.join()

    def _sample(self, interval: float) -> None:
        wait = interval
        while not self._done.wait(wait):
            started = time.thread_time()
            self.peak_mb = max(self.peak_mb, sum(map(_pss_mb, _process_tree(os.getpid()))))
            cost = time.thread_time() - started
            self.cpu += cost
            wait = max(interval, self.COST_SHARE * cost)


def _process_tree(pid: int) -> list[int]:
    tree = [pid]
    for parent in tree:
        with contextlib.suppress(OSError):
            for thread in os.listdir(f"/proc/{parent}/task"):
                with open(f"/proc/{parent}/task/{thread}/children") as fh:
                    tree += [int(child) for child in fh.read().split()]
    return tree


def _pss_mb(pid: int) -> float:
    with contextlib.suppress(OSError), open(f"/proc/{pid}/smaps_rollup") as fh:
        for line in fh:
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out_dir")
    parser.add_argument("inputs", nargs="+")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--executor", default="local")
    parser.add_argument("--cache-dir")
    parser.add_argument("--no-cache", action="store_true")
    parser.add_argument("--formats", help="exports to write, comma-separated (default: kg's, graphml and html)")
    args = parser.parse_args()

    config = Config()
    config.workers, config.executor = args.workers, args.executor
    config.cache.enabled = not args.no_cache
    if args.formats:
        config.formats = args.formats.split(",")
    if args.cache_dir:
        config.cache.dir = args.cache_dir
    exports: dict[str, float] = {}
    for function, name in EXPORTS.items():
        if hasattr(pipeline, function):
            setattr(pipeline, function, _timed(name, exports, getattr(pipeline, function)))

    sampler = TotalMemory()
    started = time.perf_counter()
    cpu_started = time.process_time()
    report = pipeline.build(args.inputs, config, args.out_dir)
    wall = time.perf_counter() - started
    sampler.stop()
    cpu_main = time.process_time() - cpu_started - sampler.cpu  # kg's own: the sampler's thread is not kg
    print(json.dumps({
        "wall": wall,
        "cpu_main": cpu_main,
        "cpu_workers": sum(getattr(resource.getrusage(resource.RUSAGE_CHILDREN), f) for f in ("ru_utime", "ru_stime")),
        "documents": report.documents,
        "cached": report.cached,
        "up_to_date": report.up_to_date,
        "nodes": sum(report.entities.values()),
        "edges": sum(report.relations.values()),
        "timings": report.timings,
        "exports": exports,
        # ru_maxrss is in kilobytes on Linux; CHILDREN is the largest child process: a worker, or
        # one forked for the layout or the page, whose resident pages include those it shares with kg
        "peak_main_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "peak_worker_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "peak_total_mb": sampler.peak_mb,
    }))


if __name__ == "__main__":
    main()
