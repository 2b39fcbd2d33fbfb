"""The build: read -> extract (per document) -> assemble -> export.

``build`` is the library entry point; the CLI only parses options, calls it and
prints the report.
"""
from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from .config import Config
from .errors import OutputError
from .export.graphml import write_graphml
from .export.html import write_html
from .extract import extract, make_context
from .models import DocResult
from .read import Skipped, read_documents

__all__ = ["BuildReport", "build", "extract_all", "write_outputs"]


@dataclass
class BuildReport:
    documents: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    entities: Counter = field(default_factory=Counter)
    relations: Counter = field(default_factory=Counter)
    outputs: list[str] = field(default_factory=list)
    graph: nx.DiGraph | None = None


def extract_all(inputs: list[str | os.PathLike], config: Config, report: BuildReport) -> list[DocResult]:
    context = make_context(config)
    results = []
    for item in read_documents(inputs, config.extensions):
        if isinstance(item, Skipped):
            report.skipped.append(item)
            continue
        results.append(extract(item, context, config))
        report.documents += 1
    return results


def write_outputs(graph: nx.DiGraph, output: Path, config: Config) -> list[str]:
    try:
        output.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create output folder '{output}': {exc.strerror}; choose another with --output") from None
    written = []
    try:
        if "graphml" in config.formats:
            write_graphml(graph, output / "graph.graphml")
            written.append(str(output / "graph.graphml"))
        if "html" in config.formats:
            write_html(graph, output / "graph.html", title=config.html.title)
            written.append(str(output / "graph.html"))
    except PermissionError as exc:
        raise OutputError(f"cannot write to output folder '{output}': {exc.strerror}; choose another with --output") from None
    return written


def build(inputs: list[str | os.PathLike] | None = None, config: Config | None = None,
          output: str | os.PathLike | None = None) -> BuildReport:
    from .assemble import assemble

    config = config or Config()
    if not inputs:
        inputs = [config.path(p) for p in config.inputs]
    report = BuildReport()
    results = extract_all(inputs, config, report)
    graph = assemble(results)
    report.graph = graph
    report.entities = Counter(d["type"] for _, d in graph.nodes(data=True))
    report.relations = Counter(d["relation"] for _, _, d in graph.edges(data=True))
    out_dir = Path(output) if output is not None else config.path(config.output)
    report.outputs = write_outputs(graph, out_dir, config)
    return report
