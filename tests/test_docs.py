"""The README documents what the tool does: quick start, every option, every config key."""
from __future__ import annotations

import dataclasses
import re

from kg.cli import main
from kg.config import Config
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_quick_start_holds_exactly_two_commands():
    section = README.split("## Quick start", 1)[1]
    block = re.search(r"```\w*\n(.*?)```", section, re.S).group(1)
    commands = [line for line in block.splitlines() if line.strip() and not line.startswith("#")]
    assert len(commands) == 2
    assert "kg build" in commands[0] and "pip install" in commands[0]
    assert "pytest" in commands[1]


def test_ci_runs_the_readme_test_command():
    section = README.split("## Quick start", 1)[1]
    test_command = re.search(r"```\w*\n(.*?)```", section, re.S).group(1).strip().splitlines()[1]
    assert test_command in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_every_command_and_option_is_documented():
    for name, command in main.commands.items():
        assert f"kg {name}" in README, name
        for param in command.params:
            for opt in getattr(param, "opts", []):
                if opt.startswith("--"):
                    assert opt in README, f"{name} {opt}"


def _keys(obj, prefix=""):
    for f in dataclasses.fields(obj):
        if f.name == "base_dir":
            continue
        value = getattr(obj, f.name)
        if dataclasses.is_dataclass(value):
            yield from _keys(value, prefix + f.name + ".")
        else:
            yield prefix + f.name


def test_every_config_key_is_documented_and_in_config_yaml():
    config_yaml = (ROOT / "config.yaml").read_text(encoding="utf-8")
    for key in _keys(Config()):
        leaf = key.rsplit(".", 1)[-1]
        assert f"`{key}`" in README or f".{leaf}`" in README, key
        assert re.search(rf"^\s*#?\s*{leaf}:", config_yaml, re.M), key
