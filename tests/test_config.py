from __future__ import annotations

import pytest

from kg.config import Config, load_config
from kg.errors import ConfigError


def write(tmp_path, text):
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_a_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    config = load_config()
    assert config.output == "output"
    assert config.entity_types == ["person", "agency", "place", "program"]


def test_values_override_defaults_and_paths_are_relative_to_the_file(tmp_path):
    config = load_config(write(tmp_path, "output: out\nhtml:\n  max_nodes: 50\n"))
    assert config.html.max_nodes == 50
    assert config.path(config.output) == tmp_path / "out"


def test_unknown_key_names_the_key_and_the_known_ones(tmp_path):
    with pytest.raises(ConfigError, match=r"unknown config key 'html.maxnodes'.*max_nodes"):
        load_config(write(tmp_path, "html:\n  maxnodes: 3\n"))


def test_wrong_type_is_explained(tmp_path):
    with pytest.raises(ConfigError, match="'workers' must be a whole number"):
        load_config(write(tmp_path, "workers: many\n"))


def test_bad_entity_type_lists_the_allowed_ones(tmp_path):
    with pytest.raises(ConfigError, match="allowed: person, agency, place, program"):
        load_config(write(tmp_path, "entity_types: [person, animal]\n"))


def test_broken_yaml(tmp_path):
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_config(write(tmp_path, "output: [unclosed\n"))


def test_missing_lexicon_file(tmp_path):
    with pytest.raises(ConfigError, match="lexicon file 'nope.txt'"):
        load_config(write(tmp_path, "lexicons:\n  people: [nope.txt]\n"))


def test_the_shipped_config_yaml_holds_every_default():
    from tests.conftest import ROOT

    shipped = load_config(ROOT / "config.yaml")
    defaults = Config()
    shipped.base_dir = defaults.base_dir
    assert shipped == defaults
