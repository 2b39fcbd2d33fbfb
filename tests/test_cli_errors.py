"""Expected failures end with one clear line and no traceback; --debug shows the traceback."""
from __future__ import annotations

import signal
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg import cli
from kg.cli import main
from kg.errors import ConfigError, Interrupted

ARTICLE = "北京市公安局局长张伟出席会议。\n"


@pytest.fixture
def runner(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "a.txt").write_text(ARTICLE, encoding="utf-8")
    return CliRunner()


def run(runner: CliRunner, *args: str):
    result = runner.invoke(main, ["build", *args])
    assert "Traceback" not in result.output
    return result


def config(text: str) -> str:
    Path("config.yaml").write_text(text, encoding="utf-8")
    return "config.yaml"


def test_missing_input(runner):
    result = run(runner, "nowhere", "-o", "out")
    assert result.exit_code == 1
    assert result.output == "Error: input 'nowhere' does not exist; give a file or a folder of articles\n"
    assert not Path("out").exists()


def test_output_folder_is_a_file(runner):
    Path("taken").write_text("not a folder")
    result = run(runner, "articles", "-o", "taken")
    assert result.exit_code == 2 and "is a file" in result.output


def test_output_folder_under_a_file(runner):
    Path("taken").write_text("not a folder")
    result = run(runner, "articles", "-o", "taken/out", "-w", "1")
    assert result.exit_code == 1
    assert result.output.startswith("Error: cannot create output folder 'taken/out'")
    assert "--output" in result.output


def test_output_folder_that_cannot_be_written(runner, monkeypatch):
    import kg.export

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(kg.export.tempfile, "mkstemp", full_disk)
    result = run(runner, "articles", "-o", "out", "-w", "1")
    assert result.exit_code == 1
    assert "cannot write to output folder 'out': No space left on device" in result.output


def test_broken_yaml(runner):
    result = run(runner, "articles", "-c", config("formats: [graphml\nworkers: 2\n"))
    assert result.exit_code == 1
    assert result.output.startswith("Error: config file 'config.yaml' is not valid YAML")


def test_unknown_key_names_the_key_and_what_is_allowed(runner):
    result = run(runner, "articles", "-c", config("max_file_size: 3\n"))
    assert result.exit_code == 1
    assert "unknown config key 'max_file_size'" in result.output
    assert "max_file_mb" in result.output and "workers" in result.output


def test_unknown_nested_key(runner):
    result = run(runner, "articles", "-c", config("html:\n  colour: red\n"))
    assert result.exit_code == 1
    assert "unknown config key 'html.colour'" in result.output and "max_nodes" in result.output


@pytest.mark.parametrize(
    ("yaml_text", "message"),
    [
        ("max_file_mb: lots\n", "config key 'max_file_mb' must be a number"),
        ("max_file_mb: 0\n", "config key 'max_file_mb' must be more than 0"),
        ("traditional_to_simplified: 1\n", "config key 'traditional_to_simplified' must be true or false"),
        ("formats: [graphml, pdf]\n", "config key 'formats' has unknown formats ['pdf']"),
    ],
)
def test_bad_values(runner, yaml_text, message):
    result = run(runner, "articles", "-c", config(yaml_text))
    assert result.exit_code == 1 and message in result.output


def test_config_file_that_does_not_exist(runner):
    result = run(runner, "articles", "-c", "nope.yaml")
    assert result.exit_code == 1 and "config file 'nope.yaml' does not exist" in result.output


def test_lexicon_file_that_does_not_exist(runner):
    result = run(runner, "articles", "-c", config("lexicons:\n  people: [mine/people.txt]\n"))
    assert result.exit_code == 1
    assert "lexicon file 'mine/people.txt' (config key 'lexicons.people') does not exist" in result.output


def test_debug_shows_the_traceback(runner):
    result = runner.invoke(main, ["build", "articles", "--debug", "-c", config("max_file_size: 3\n")])
    assert result.exit_code == 1 and isinstance(result.exception, ConfigError)


def test_unexpected_error_points_to_debug(runner, monkeypatch):
    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(cli, "build", broken)
    result = run(runner, "articles")
    assert result.exit_code == 1
    assert result.output == (
        "Error: unexpected error (ZeroDivisionError: division by zero); "
        "run again with --debug to see where it happened\n"
    )
    result = runner.invoke(main, ["build", "articles", "--debug"])
    assert isinstance(result.exception, ZeroDivisionError)


@pytest.mark.parametrize(("raised", "code"), [(KeyboardInterrupt(), 130), (Interrupted(signal.SIGTERM), 143)])
def test_interruption_exits_with_the_shell_code(runner, monkeypatch, raised, code):
    def interrupted(*args, **kwargs):
        raise raised

    monkeypatch.setattr(cli, "build", interrupted)
    result = run(runner, "articles")
    assert result.exit_code == code
    assert "interrupted" in result.output and "left as they were" in result.output


def test_nothing_readable_keeps_the_previous_outputs(runner):
    assert run(runner, "articles", "-o", "out", "-w", "1").exit_code == 0
    before = {p.name: p.read_bytes() for p in Path("out").iterdir()}
    Path("articles/a.txt").write_bytes(b"")
    result = run(runner, "articles", "-o", "out", "-w", "1")
    assert result.exit_code == 1
    assert "none of the 1 article files in articles could be read: articles/a.txt is empty" in result.output
    assert {p.name: p.read_bytes() for p in Path("out").iterdir()} == before


def test_empty_folder(runner):
    Path("none").mkdir()
    result = run(runner, "none", "-o", "out")
    assert result.exit_code == 1 and "found no article files (.txt, .md) in none" in result.output
