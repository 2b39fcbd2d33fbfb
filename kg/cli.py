"""Command line: ``kg build`` and friends. Parses, calls the library, reports."""
from __future__ import annotations

import contextlib
import signal
import sys
from collections import Counter
from collections.abc import Iterator

import click

from . import __version__
from .config import FORMATS, check_executor, load_config
from .errors import Interrupted, KGError
from .pipeline import BuildReport, build
from .read import SKIP_KINDS

__all__ = ["main"]

CONTEXT = {"help_option_names": ["-h", "--help"]}


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, prog_name="kg")
def main() -> None:
    """kg: a knowledge graph of who does what where, from Chinese news articles."""


@main.command("build")
@click.argument("inputs", nargs=-1, type=click.Path(path_type=str))
@click.option("-o", "--output", type=click.Path(file_okay=False), help="Output folder (default: config 'output').")
@click.option("-c", "--config", "config_path", type=click.Path(dir_okay=False), help="Config file (default: ./config.yaml).")
@click.option("-f", "--format", "formats", multiple=True, callback=lambda ctx, param, value: _formats(value),
              help=f"Export to write: {', '.join(FORMATS)}, or all. Repeat or separate by commas "
                   "(default: config 'formats', graphml and html).")
@click.option("-w", "--workers", type=click.IntRange(min=0),
              help="Worker processes for extraction; 0 = one per core (default: config 'workers').")
@click.option("--scheduler", metavar="ADDRESS",
              help="Run extraction on Dask: 'dask-local' or a scheduler such as tcp://host:8786 (default: config 'executor').")
@click.option("--no-cache", is_flag=True, help="Extract every article again; do not read or write the cache.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar or stage line on stderr.")
@click.option("--debug", is_flag=True, help="Show the full traceback of an error.")
def build_command(inputs: tuple[str, ...], output: str | None, config_path: str | None,
                  formats: list[str], workers: int | None, scheduler: str | None, no_cache: bool, quiet: bool,
                  debug: bool) -> None:
    """Build the graph from article files or folders.

    With no INPUTS, the inputs listed in config.yaml are used.

    Example: kg build articles/ --output out/ --format graphml,gexf
    """
    caching = False  # whether an interrupted build leaves what it extracted in the cache
    try:
        with _signals_interrupt():
            config = load_config(config_path)
            if formats:
                config.formats = formats
            if workers is not None:
                config.workers = workers
            if scheduler:
                config.executor = scheduler
                check_executor(config.executor)
            if no_cache:
                config.cache.enabled = False
            caching = config.cache.enabled
            report = build(list(inputs), config, output, progress=not quiet)
    except KeyboardInterrupt as exc:
        if debug:
            raise
        message = "kg: interrupted; the outputs of the previous build were left as they were"
        if caching:
            message += ". The articles already extracted are kept in the cache: the same command goes on from there"
        click.echo(message, err=True)
        sys.exit(exc.exit_code if isinstance(exc, Interrupted) else 130)
    except KGError as exc:
        if debug:
            raise
        raise click.ClickException(str(exc)) from None
    except Exception as exc:
        if debug:
            raise
        raise click.ClickException(
            f"unexpected error ({type(exc).__name__}: {exc}); run again with --debug to see where it happened"
        ) from None
    echo = click.echo
    echo(summary_line(report))
    for skipped in report.skipped:
        echo(f"  skipped {skipped.path}: {skipped.reason}")
    echo("entities:  " + ", ".join(f"{t} {report.entities.get(t, 0):,}" for t in config.entity_types))
    echo("relations: " + ", ".join(f"{r} {n:,}" for r, n in sorted(report.relations.items())))
    for path in report.outputs:
        echo(f"up to date {path}" if report.up_to_date else f"wrote {path}")


@main.group("cache")
def cache_group() -> None:
    """The cache of per-document results that makes rebuilds fast."""


@cache_group.command("clear")
@click.option("-c", "--config", "config_path", type=click.Path(dir_okay=False), help="Config file (default: ./config.yaml).")
def cache_clear_command(config_path: str | None) -> None:
    """Delete the cache (config 'cache.dir'); the next build extracts every article again.

    Example: kg cache clear
    """
    from .cache import clear_cache

    try:
        config = load_config(config_path)
    except KGError as exc:
        raise click.ClickException(str(exc)) from None
    folder = config.path(config.cache.dir)
    freed = clear_cache(folder)
    click.echo(f"cleared the cache in {folder} ({freed / 2**20:.1f} MB)")


def _formats(values: tuple[str, ...]) -> list[str]:
    """``-f graphml -f csv`` and ``-f graphml,csv`` alike, ``-f all`` for every one; unknown names fail."""
    names = [n.strip().lower() for value in values for n in value.split(",") if n.strip()]
    names = [f for n in names for f in (FORMATS if n == "all" else (n,))]
    unknown = [n for n in names if n not in FORMATS]
    if unknown:
        raise click.BadParameter(f"unknown format {', '.join(map(repr, unknown))}; choose from {', '.join(FORMATS)}")
    return list(dict.fromkeys(names))


def summary_line(report: BuildReport) -> str:
    """'read 5 documents (4 from the cache), skipped 3 (2 binary, 1 empty), 1 duplicate'."""
    kinds = Counter(skipped.kind for skipped in report.skipped)
    duplicates = kinds.pop("duplicate", 0)
    line = f"read {report.documents:,} documents"
    if report.cached and not report.up_to_date:  # up to date: nothing was read, the outputs say so
        line += f" ({report.cached:,} from the cache)"
    line += f", skipped {sum(kinds.values()):,}"
    if kinds:
        line += " (" + ", ".join(f"{kinds[kind]:,} {kind}" for kind in SKIP_KINDS if kinds[kind]) + ")"
    if duplicates:
        line += f", {duplicates:,} duplicate{'s' if duplicates > 1 else ''}"
    return line


@contextlib.contextmanager
def _signals_interrupt() -> Iterator[None]:
    """Make kill and a closed terminal stop the build like Ctrl-C, so temporary files are removed."""

    def interrupt(signum: int, frame: object) -> None:
        raise Interrupted(signum)

    names = ("SIGTERM", "SIGHUP")
    previous = {}
    for name in names:
        if hasattr(signal, name):
            with contextlib.suppress(ValueError):  # not the main thread: leave signals alone
                previous[name] = signal.signal(getattr(signal, name), interrupt)
    try:
        yield
    finally:
        for name, handler in previous.items():
            signal.signal(getattr(signal, name), handler)


if __name__ == "__main__":
    sys.exit(main())
