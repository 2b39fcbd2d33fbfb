"""The build: read -> extract (per document) -> assemble -> export.

``build`` is the library entry point; the CLI only parses options, calls it and
prints the report.
"""
from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from . import forked
from .assemble import Assembler
from .cache import (EdgeIndex, KeptMerge, build_settings, content_hash, edge_index_path, extraction_key, load_edge_index,
                    load_merged, merged_path, open_cache, read_stamp, remove_edge_index, remove_stamp, save_edge_index,
                    save_merged, stamp_path, write_stamp)
from .config import Config
from .errors import InputError, OutputError
from .executor import Executor, make_executor, worker_count
from .export import adopt_writes, all_or_nothing, held_writes, remove_leftovers
from .export.gexf import write_gexf
from .export.graphml import EarlierEdges, EdgesAhead, write_graphml
from .export.html import write_html
from .export.tables import write_csv, write_json
from .layout import arrange, decorate, reads_map
from .models import DocResult, Document, Record, unpack
from .read import Listed, Skipped, discover, list_documents, nothing_read, read_document

__all__ = ["BuildReport", "build", "iter_results", "write_outputs"]


@dataclass
class BuildReport:
    documents: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    entities: Counter = field(default_factory=Counter)
    relations: Counter = field(default_factory=Counter)
    outputs: list[str] = field(default_factory=list)
    graph: nx.DiGraph | None = None  # None when up_to_date: nothing was rebuilt
    cached: int = 0  # documents whose results came from the cache
    up_to_date: bool = False  # nothing changed since the outputs were written: nothing was redone
    inputs_digest: str = ""  # a hash of every document's id and content, and of the skipped files
    contents: dict[str, str] = field(default_factory=dict)  # document id -> content hash, of every document built
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage: read, extract, assemble, ...


def iter_results(inputs: list[str | os.PathLike], config: Config, report: BuildReport,
                 progress: bool = False, pending: int | None = None, survey: Survey | None = None,
                 merged: Mapping[str, str] | None = None,
                 executor: Executor | None = None) -> Iterator[DocResult | Record]:
    """The result of every readable article, as soon as it is ready, in no set order: a
    ``DocResult``, or its record (``DocResult.to_record``) when it comes from the cache or
    another process, which ``Assembler.add`` reads as it is.

    Articles are read here one at a time, in order (so skips and duplicates are
    reported as they would be in one process); a result in the cache is used as it
    is, the others go in batches to the executor (``workers``, ``executor``), whose
    finished batches are handed on while reading continues. Only the batches in
    flight are held in memory, never the corpus. ``pending``, when known, is how many
    articles miss the cache (see ``make_executor``).

    With a ``survey`` (the first reading pass of a cached build), its list is followed
    and an article is read again only when it must be extracted; without one, each
    article is read once (and what it held noted in the cache, if any). Documents of
    ``merged`` (id -> content hash: those already in the merge a rebuild starts from)
    are counted but not looked up or yielded. An ``executor`` given is used, and left
    open; else one is made for the build (see ``make_executor``).
    """
    key = extraction_key(config)
    cache = open_cache(config)
    bar = None
    own_executor = executor is None
    read_time = 0.0
    digest = _InputsDigest()
    merged = merged or {}
    max_bytes = int(config.max_file_mb * 2**20)
    try:
        if own_executor:
            executor = make_executor(config, key, pending)  # before the bar's thread starts: the pool may fork
        bar = _progress_bar(inputs, config, progress)
        batch: list[Document] = []
        chars = 0
        # without a survey, files the cache knows are not read again; the others keep their text
        items = iter(survey.items) if survey is not None else list_documents(
            inputs, config.extensions, max_bytes, cache, keep_text=True)
        while True:
            started = time.perf_counter()
            item = next(items, None)
            read_time += time.perf_counter() - started
            if item is None:
                break
            text_key = digest.add(item)
            if isinstance(item, Skipped):
                report.skipped.append(item)
                bar.update()
                continue
            in_merge = merged.get(item.doc_id) == text_key
            found = None if in_merge or cache is None else cache.record(text_key, item.doc_id)
            if in_merge or found is not None:
                report.documents += 1
                report.cached += 1
                report.contents[item.doc_id] = text_key
                bar.update()
                if found is not None:
                    yield found
                continue
            if isinstance(item, Listed) and item.text is not None:  # read just now
                item = Document(item.doc_id, item.path, item.text)
            elif isinstance(item, Listed):  # its text is needed now: read it again
                started = time.perf_counter()
                item = read_document(Path(item.path), item.doc_id, max_bytes)
                read_time += time.perf_counter() - started
                if isinstance(item, Skipped):  # it went, or changed, since the survey
                    report.skipped.append(item)
                    bar.update()
                    continue
                text_key = content_hash(item.text)
            report.documents += 1
            report.contents[item.doc_id] = text_key
            batch.append(item)
            chars += len(item.text)
            if len(batch) >= executor.batch_docs or chars >= executor.batch_chars:
                executor.submit(batch)
                batch, chars = [], 0
            yield from _finished(executor, cache, bar, wait=executor.in_flight >= executor.slots * 3)
        if batch:
            executor.submit(batch)
        while executor.in_flight:
            yield from _finished(executor, cache, bar, wait=True)
        report.inputs_digest = survey.digest if survey is not None else digest.hexdigest()
    finally:
        report.timings["read"] = report.timings.get("read", 0.0) + read_time
        if bar is not None:
            bar.close()
        if own_executor and executor is not None:
            executor.close()
        if cache is not None:
            cache.close()


class _InputsDigest:
    """A hash of what was read: document ids with their content, skipped files with the reason."""

    def __init__(self) -> None:
        self._hash = hashlib.blake2b(digest_size=16)

    def add(self, item: Listed | Skipped) -> str:
        """Count the item in; the content hash of a document (its cache key), else ""."""
        if isinstance(item, Skipped):
            text_key, fields = "", (item.path, item.reason)
        else:
            text_key, fields = item.text_key, (item.doc_id, item.text_key)
        self._hash.update("\0".join(fields).encode("utf-8", errors="surrogatepass") + b"\n")
        return text_key

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


@dataclass
class Survey:
    """One reading pass before a cached build: the inputs' digest, and every article in
    order, as a ``Listed`` document or the reason it was skipped."""

    digest: str
    items: list[Listed | Skipped]

    def contents(self) -> dict[str, str]:
        """Document id -> content hash."""
        return {item.doc_id: item.text_key for item in self.items if isinstance(item, Listed)}


def _survey(inputs: list[str | os.PathLike], config: Config, out_dir: Path) -> Survey | None:
    """The inputs' list, read before a cached build: to find that nothing changed since
    the last build into ``out_dir``, that it can start from that build's merge, or how
    few articles miss the cache. None when the cache holds no result of these settings
    and ``out_dir`` has no such build: every article is to be extracted, and the survey
    would read each one only for the extraction to read it again."""
    with open_cache(config) as cache:  # what the files held when last read: unchanged, they are not read
        if not (cache.holds_results() or stamp_path(config, out_dir).exists()
                or merged_path(config, out_dir).exists()):
            return None
        digest, items = _InputsDigest(), []
        for item in list_documents(inputs, config.extensions, int(config.max_file_mb * 2**20), cache):
            digest.add(item)
            items.append(item)
    return Survey(digest.hexdigest(), items)


def _earlier_merge(contents: dict[str, str], config: Config, out_dir: Path) -> KeptMerge | None:
    """The merge of the last build into ``out_dir`` when at most ``RESAVE_SHARE`` of the
    documents it holds changed or went since (``contents``: id -> content hash of every
    document now): this build takes those out of it and adds the others. Else None:
    everything is merged."""
    kept = load_merged(merged_path(config, out_dir), extraction_key(config))
    if kept is None or len(_gone(kept, contents)) > RESAVE_SHARE * len(kept.members):
        return None
    return kept


def _gone(kept: KeptMerge, contents: dict[str, str]) -> list[str]:
    """The documents of a kept merge that changed or went since."""
    return [doc_id for doc_id, key in kept.members.items() if contents.get(doc_id) != key]


RESAVE_SHARE = 0.10  # of a build's documents, missing from the merge it started from or taken out of it


def _worth_saving(kept: int, documents: int, taken_out: int = 0) -> bool:
    """Whether a build saves its merge for the next one, which starts from it.

    Not when the merge it started from differs from its ``documents`` by at most
    ``RESAVE_SHARE`` of them: ``taken_out`` of it, and those added to the ``kept``
    others. The next build takes out and adds those again, from the cache, at about
    0.2 ms each, where saving the whole merge takes 0.7 s at 3,000 articles. Adding or
    editing one article then costs what it changes, not a new copy of the merge.
    """
    return documents - kept + taken_out > RESAVE_SHARE * documents


def _start_from(kept: KeptMerge | None, contents: dict[str, str], config: Config,
                status: _Status) -> tuple[Assembler, dict[str, str]]:
    """The assembler a build starts from, and the documents it holds already: the kept
    merge, without the documents that changed or went since."""
    if kept is not None:
        # damaged past its checksum (ValueError), or not the merge of the results the cache
        # holds (KeyError, as it takes out a document): everything is merged
        with contextlib.suppress(ValueError, KeyError), _left_alone():
            assembler = Assembler.from_state(status.ticking(kept.state()))
            gone = _gone(kept, contents)
            if not gone or _take_out(assembler, gone, kept.members, config):
                return assembler, {doc_id: key for doc_id, key in kept.members.items() if contents.get(doc_id) == key}
    return Assembler(), {}


def _take_out(assembler: Assembler, gone: list[str], members: dict[str, str], config: Config) -> bool:
    """Take the documents ``gone`` out of a kept merge, their results and those of the
    others (``members``: id -> content hash) read from the cache; False when one of
    them is not there (the cache was cleared): everything is merged."""
    with open_cache(config) as cache:
        def result_of(doc_id: str) -> Record | None:
            return cache.record(members[doc_id], doc_id)

        removed = [result_of(doc_id) for doc_id in gone]
        if any(result is None for result in removed):
            return False
        return assembler.remove(removed, result_of)


def _unchanged(inputs_digest: str, config: Config, out_dir: Path) -> BuildReport | None:
    """The report of the last build into ``out_dir`` when neither articles nor settings changed since."""
    stamp = read_stamp(stamp_path(config, out_dir), build_settings(config))
    if stamp is None or inputs_digest != stamp["inputs"]:
        return None
    summary = stamp["summary"]
    return BuildReport(
        documents=summary["documents"], skipped=[Skipped(*s) for s in summary["skipped"]],
        entities=Counter(summary["entities"]), relations=Counter(summary["relations"]),
        outputs=list(stamp["outputs"]), cached=summary["documents"], up_to_date=True,
    )


def _finished(executor: Executor, cache, bar, wait: bool) -> Iterator[DocResult | Record]:
    for outcomes in executor.completed(wait):
        for text_key, result in outcomes:
            if cache is not None:
                cache.put(text_key, result)
            bar.update()
            yield unpack(result) if isinstance(result, bytes) else result


STATUS_AFTER = 2.0  # seconds into a build before its stages are shown: a quick build shows nothing


class _Status:
    """The stage a build is in, on one line of stderr, for what the extraction's bar does
    not cover: loading the last build, and the end of the build (graph, layout, exports),
    which takes a minute at 50,000 articles. Shown when asked for and stderr is a
    terminal, once the build has run ``STATUS_AFTER`` seconds: at the start of a stage, or
    as it goes for a stage that reads in parts (``ticking``)."""

    def __init__(self, progress: bool) -> None:
        self._show = progress and sys.stderr.isatty()
        self._started = time.perf_counter()
        self._stage = ""  # the stage the build is in, shown or not yet
        self._shown = ""
        self._width = 0  # of the line shown, to be covered by the next one

    def __call__(self, stage: str) -> None:
        self._stage = stage
        self.tick()

    def tick(self) -> None:
        """Show the stage, if it is not shown yet and the build has run long enough."""
        if self._show and self._stage != self._shown and time.perf_counter() - self._started >= STATUS_AFTER:
            self._write(f"kg: {self._stage}...")
            self._shown = self._stage

    def ticking(self, parts: Iterable[tuple[str, object]]) -> Iterator[tuple[str, object]]:
        """The parts, with the stage shown as soon as the build has run long enough."""
        for part in parts:
            self.tick()
            yield part

    def clear(self) -> None:
        """Leave the line empty, for the extraction's bar or the build's report."""
        self._stage = self._shown = ""
        if self._width:
            self._write("")

    def _write(self, line: str) -> None:
        sys.stderr.write("\r" + line.ljust(self._width) + ("" if line else "\r"))
        sys.stderr.flush()
        self._width = len(line)


def _progress_bar(inputs: list[str | os.PathLike], config: Config, progress: bool):
    """A tqdm bar on stderr (documents, rate, ETA) when asked for and stderr is a terminal."""
    from tqdm import tqdm

    show = progress and sys.stderr.isatty()
    total = len(discover(inputs, config.extensions)) if show else None
    # delay: a build of a few seconds shows nothing
    return tqdm(total=total, unit="doc", desc="extracting", file=sys.stderr, disable=not show, delay=2.0,
                dynamic_ncols=True, leave=False)


def write_outputs(graph: nx.DiGraph, output: Path, config: Config, fork: bool = False,
                  ahead: EdgesAhead | None = None) -> list[str]:
    """Write every format the config asks for; with ``fork``, the HTML page in a child
    process while this one writes the others (see ``kg.forked``). ``ahead``: the GraphML's
    edges, begun while the layout was computed (and the rest made by a child, maybe)."""
    try:
        output.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create output folder '{output}': {exc.strerror}; choose another with --output") from None
    writers = {
        "graphml": ([output / "graph.graphml"], lambda: write_graphml(graph, output / "graph.graphml", ahead)),
        "html": ([output / "graph.html"], lambda: write_html(
            graph, output / "graph.html", title=config.html.title, max_nodes=config.html.max_nodes,
            min_cooccurrence=config.html.min_cooccurrence, max_edges=config.html.max_edges)),
        "gexf": ([output / "graph.gexf"], lambda: write_gexf(graph, output / "graph.gexf")),
        "csv": ([output / "nodes.csv", output / "edges.csv"],
                lambda: write_csv(graph, output / "nodes.csv", output / "edges.csv")),
        "json": ([output / "graph.json"], lambda: write_json(graph, output / "graph.json")),
    }
    chosen = [name for name in writers if name in config.formats]
    page = None
    try:
        if fork and "html" in chosen and len(chosen) > 1:
            page = forked.start(_held, writers["html"][1])
        for name in chosen:
            if not (page is not None and name == "html"):
                writers[name][1]()
        if page is not None:
            adopt_writes(page.result())
    except BaseException as exc:
        if page is not None:  # stop the page's process, and remove what it wrote
            page.cancel()
            remove_leftovers(output)
        if isinstance(exc, OSError):  # permissions, a full disk, a read-only file system
            raise OutputError(f"cannot write to output folder '{output}': {exc.strerror}; "
                              "choose another with --output") from None
        raise
    return [str(path) for name in chosen for path in writers[name][0]]


def _held(write) -> list[tuple[str, Path]]:
    """Run a writer whose files its caller (the parent process) will put in place."""
    with held_writes() as written:
        write()
    return written


@contextlib.contextmanager
def _fewer_collections() -> Iterator[None]:
    """Collect cyclic garbage less often while the graph is merged and written.

    The merge tables and the graph are hundreds of thousands of long-lived objects that
    Python's collector, at its default thresholds, walks again and again: half the time
    of the merge. Garbage is still collected, a hundred times less often.
    """
    before = gc.get_threshold()
    gc.set_threshold(100_000, 50, 100)
    try:
        yield
    finally:
        gc.unfreeze()  # what _left_alone froze
        gc.set_threshold(*before)


@contextlib.contextmanager
def _left_alone() -> Iterator[None]:
    """Make objects in bulk that the collector is to leave alone: the kept merge and the
    graph, millions of objects without cycles that live until the build ends.

    The collector is off while they are made, and they are frozen afterwards
    (``gc.freeze``; ``_fewer_collections`` unfreezes them): else its next pass walks
    every one of them, 0.4 s at 10,000 articles for the kept merge alone.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if collecting:
            gc.enable()


def _spare_cores(config: Config) -> bool:
    """Whether the end of the build may use a second core: more than one worker of this
    machine's pool was asked for (a Dask client's threads make forking unsafe)."""
    return config.executor == "local" and worker_count(config) > 1 and forked.can_fork()


def build(inputs: list[str | os.PathLike] | None = None, config: Config | None = None,
          output: str | os.PathLike | None = None, progress: bool = False) -> BuildReport:
    """Read, extract, assemble, decorate and export; ``progress`` shows a bar and the
    build's stages on a terminal."""
    status = _Status(progress)
    try:
        with _fewer_collections():
            return _build(inputs, config, output, progress, status)
    finally:
        status.clear()


def _build(inputs: list[str | os.PathLike] | None, config: Config | None, output: str | os.PathLike | None,
           progress: bool, status: _Status) -> BuildReport:
    config = config or Config()
    if not inputs:
        inputs = [config.path(p) for p in config.inputs]
    out_dir = Path(output) if output is not None else config.path(config.output)
    report = BuildReport()
    kept, pending, survey_time, contents = None, None, 0.0, {}
    started = time.perf_counter()
    survey = _survey(inputs, config, out_dir) if config.cache.enabled else None
    if survey is not None:
        previous = _unchanged(survey.digest, config, out_dir)
        if previous is not None:
            previous.timings["read"] = time.perf_counter() - started
            return previous
        contents = survey.contents()
        kept = _earlier_merge(contents, config, out_dir)  # few articles changed since: start from it
        members = kept.members if kept is not None else {}
        with open_cache(config) as cache:
            pending = cache.count_missing([key for doc_id, key in contents.items() if members.get(doc_id) != key])
        survey_time = time.perf_counter() - started
    fork = _spare_cores(config)
    # the layout's child is forked now, while this process holds little: it is then sent
    # the shape of the graph, and lays it out while this process builds the graph
    with forked.waiting(arrange, fork=fork) as layout, contextlib.ExitStack() as cleanup:
        with make_executor(config, extraction_key(config), pending) as executor:
            started = time.perf_counter()
            # the workers were started first: they load their dictionaries while the kept merge is decoded
            if kept is not None:
                status("loading the last build")
            assembler, members = _start_from(kept, contents, config, status)
            loading = time.perf_counter() - started
            status.clear()
            started, adding = time.perf_counter(), 0.0
            for result in iter_results(inputs, config, report, progress, pending, survey, members, executor):
                before = time.perf_counter()
                assembler.add(result)
                adding += time.perf_counter() - before
            report.timings["extract"] = time.perf_counter() - started - adding - report.timings["read"]
        report.timings["read"] += survey_time
        if not report.documents:  # keep the previous outputs rather than replace them with an empty graph
            raise InputError(nothing_read(inputs, report.skipped, config.extensions))
        started = time.perf_counter()
        status(f"building the graph of {report.documents:,} articles")
        layout.send(assembler.shape(on_map=reads_map(config.layout)), config.layout, fork)
        taken_out = len(kept.members) - len(members) if members else 0
        # saved while the layout's child works
        saved = None
        if config.cache.enabled and _worth_saving(len(members), len(report.contents), taken_out):
            saved = save_merged(merged_path(config, out_dir), extraction_key(config), report.contents, assembler.state())
        earlier, made_from = None, None
        if config.cache.enabled and "graphml" in config.formats:
            earlier = _earlier_edges(config, out_dir, kept, assembler)
            if earlier is not None:
                cleanup.callback(earlier.close)
            # the merge this build's GraphML is that merge with what changed: the next build's to copy from
            if saved is not None:
                made_from = (saved, set(), assembler.node_ids())
            elif kept is not None and assembler.touched is not None:
                made_from = (kept.digest, assembler.touched, assembler.node_ids())
        with _left_alone():
            graph = assembler.graph(release=True)  # the graph holds all that is needed from here on
        report.timings["assemble"] = loading + adding + time.perf_counter() - started
        started = time.perf_counter()
        status(f"laying out {graph.number_of_nodes():,} entities")
        ahead = None
        if "graphml" in config.formats:  # its edges' rows now (they are needed anyway), and text while the layout runs
            ahead = EdgesAhead(graph, earlier)
            cleanup.callback(ahead.close)  # a build that fails first stops the child below too
            while layout.running() and ahead.step():
                pass
            if fork:  # the others by a child, from now on
                ahead.make_rest_beside()
        if layout.running():  # counted while this process waits (the edges copied from the GraphML before)
            _count(graph, report)
        graph = decorate(graph, config, layout.result())  # colours, sizes, positions, communities
        report.timings["decorate"] = time.perf_counter() - started
        status("writing the outputs")
        report.outputs = _export(graph, out_dir, config, fork, report, ahead)
        if config.cache.enabled and ahead is not None:
            _keep_edge_index(edge_index_path(config, out_dir), made_from, ahead, out_dir / "graph.graphml")
    return report


def _count(graph: nx.DiGraph, report: BuildReport) -> None:
    """The graph's entities by type and relations by kind, in ``report`` (0.15 s at 10,000 articles)."""
    report.graph = graph
    report.entities = Counter(d["type"] for _, d in graph.nodes(data=True))
    report.relations = Counter(d["relation"] for _, _, d in graph.edges(data=True))


def _earlier_edges(config: Config, out_dir: Path, kept: KeptMerge | None, assembler: Assembler) -> EarlierEdges | None:
    """The GraphML the last build wrote into ``out_dir``, to copy the edges out of the
    nodes that did not change from it: when this build started from the kept merge that
    one knew of, and the file is the one it wrote."""
    if kept is None or assembler.touched is None:
        return None
    index = load_edge_index(edge_index_path(config, out_dir))
    if index is None or index.merge != kept.digest:
        return None
    same = assembler.edges_as_before(index.node_ids, index.touched)
    try:
        earlier = EarlierEdges(out_dir / "graph.graphml",
                               {node_id: index.blocks[node_id] for node_id in same if node_id in index.blocks},
                               index.columns)
    except OSError:
        return None
    if not index.holds_for(earlier.stat()):
        earlier.close()
        return None
    return earlier


def _keep_edge_index(path: Path, made_from: tuple[bytes, set[str], dict[str, str]] | None, ahead: EdgesAhead,
                     graphml: Path) -> None:
    """Keep where the edges out of each node lie in the GraphML just written (``made_from``:
    the kept merge, the nodes touched since and the node ids, as ``EdgeIndex`` holds
    them), or forget the last index when there is none to keep."""
    written = ahead.index()
    if made_from is None or written is None:
        remove_edge_index(path)
        return
    at, heads = written
    blocks = {}
    for node_id, length in heads:
        blocks[node_id], at = (at, length), at + length
    save_edge_index(path, EdgeIndex(*made_from, ahead.signature(), blocks), graphml)


def _export(graph: nx.DiGraph, out_dir: Path, config: Config, fork: bool, report: BuildReport,
            ahead: EdgesAhead | None = None) -> list[str]:
    """Write the outputs, all or none, and the stamp that says what they were built from."""
    if report.graph is not graph:  # not counted while the layout ran
        _count(graph, report)
    started = time.perf_counter()
    remove_stamp(stamp_path(config, out_dir))
    remove_leftovers(out_dir)  # of an earlier build that was killed outright
    with all_or_nothing():  # every output replaced, or none of them
        outputs = write_outputs(graph, out_dir, config, fork, ahead)
    remove_leftovers(out_dir)  # of a child that was killed before it answered
    report.timings["export"] = time.perf_counter() - started
    summary = {"documents": report.documents, "skipped": [[s.path, s.reason, s.kind] for s in report.skipped],
               "entities": dict(report.entities), "relations": dict(report.relations)}
    if config.cache.enabled:
        write_stamp(stamp_path(config, out_dir), build_settings(config), report.inputs_digest, summary, outputs)
    return outputs
