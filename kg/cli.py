"""Command line: ``kg build`` and friends. Parses, calls the library, reports."""
from __future__ import annotations

import sys

import click

from . import __version__
from .config import load_config
from .errors import KGError
from .pipeline import build

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
@click.option("--debug", is_flag=True, help="Show the full traceback of an error.")
def build_command(inputs: tuple[str, ...], output: str | None, config_path: str | None, debug: bool) -> None:
    """Build the graph from article files or folders.

    With no INPUTS, the inputs listed in config.yaml are used.

    Example: kg build articles/ --output out/
    """
    try:
        config = load_config(config_path)
        report = build(list(inputs), config, output)
    except KGError as exc:
        if debug:
            raise
        raise click.ClickException(str(exc)) from None
    echo = click.echo
    echo(f"read {report.documents} documents, skipped {len(report.skipped)}")
    for skipped in report.skipped:
        echo(f"  skipped {skipped.path}: {skipped.reason}")
    echo("entities:  " + ", ".join(f"{t} {report.entities.get(t, 0)}" for t in config.entity_types))
    echo("relations: " + ", ".join(f"{r} {n}" for r, n in sorted(report.relations.items())))
    for path in report.outputs:
        echo(f"wrote {path}")


if __name__ == "__main__":
    sys.exit(main())
