"""Settings: defaults live here, config.yaml overrides them, bad values fail clearly.

Paths written in a config file are relative to that file's folder, so a project's
config.yaml works from any working directory.
"""
from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import ConfigError
from .models import ENTITY_TYPES

__all__ = ["check_executor", "Config", "LexiconConfig", "HtmlConfig", "CacheConfig", "load_config", "FORMATS", "DEFAULT_FORMATS"]

FORMATS = ("graphml", "html", "gexf", "csv", "json")
# what a user asked for by default: the graph for Gephi and the page for a browser; the
# other exports are on request (each costs as much as the GraphML on a large graph)
DEFAULT_FORMATS = ("graphml", "html")


@dataclass
class LexiconConfig:
    """User lexicons: files of extra names, one per line (see README, "Lexicons")."""

    people: list[str] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    programs: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)  # lines "canonical<TAB>alias|alias"
    stopwords: list[str] = field(default_factory=list)  # names never to extract


@dataclass
class HtmlConfig:
    max_nodes: int = 2000
    max_edges: int = 20000  # a link for each node first, then typed relations, then co-occurrences
    title: str = "kg knowledge graph"
    min_cooccurrence: int = 1  # initial position of the co-occurrence weight slider


@dataclass
class CacheConfig:
    enabled: bool = True
    dir: str = ".kg-cache"


@dataclass
class Config:
    inputs: list[str] = field(default_factory=lambda: ["samples/articles"])
    output: str = "output"
    formats: list[str] = field(default_factory=lambda: list(DEFAULT_FORMATS))
    entity_types: list[str] = field(default_factory=lambda: list(ENTITY_TYPES))
    extensions: list[str] = field(default_factory=lambda: [".txt", ".md"])
    traditional_to_simplified: bool = False
    max_file_mb: float = 20.0  # larger files are skipped with a reason: an article is rarely over 1 MB
    keep_anonymised: bool = False  # 高某, 李某某, 康先生: left out unless asked for
    cooccurrence: bool = True
    workers: int = 0  # 0: one per core
    executor: str = "local"  # local | dask-local | tcp://host:8786
    layout: str = "force"  # force | geographic
    lexicons: LexiconConfig = field(default_factory=LexiconConfig)
    html: HtmlConfig = field(default_factory=HtmlConfig)
    cache: CacheConfig = field(default_factory=CacheConfig)
    base_dir: str = "."  # folder that relative paths are resolved against

    def path(self, value: str) -> Path:
        """A path from the config, resolved against the config file's folder."""
        p = Path(os.path.expanduser(value))
        return p if p.is_absolute() else Path(self.base_dir) / p

    def extraction_fingerprint(self) -> dict[str, Any]:
        """The settings that change per-document results (part of the cache key)."""
        lex = {}
        for kind, files in dataclasses.asdict(self.lexicons).items():
            lex[kind] = [self.path(f).read_text(encoding="utf-8") if self.path(f).is_file() else "" for f in files]
        return {
            "entity_types": sorted(self.entity_types),
            "traditional_to_simplified": self.traditional_to_simplified,
            "keep_anonymised": self.keep_anonymised,
            "cooccurrence": self.cooccurrence,
            "lexicons": lex,
        }


def _check_type(key: str, value: Any, default: Any) -> Any:
    expected = type(default)
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ConfigError(f"config key '{key}' must be true or false, not {value!r}")
    elif isinstance(default, int):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"config key '{key}' must be a whole number, not {value!r}")
    elif isinstance(default, float):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConfigError(f"config key '{key}' must be a number, not {value!r}")
        value = float(value)
    elif isinstance(default, list):
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"config key '{key}' must be a list of strings, not {value!r}")
    elif not isinstance(value, expected):
        raise ConfigError(f"config key '{key}' must be a {expected.__name__}, not {value!r}")
    return value


def _merge(obj: Any, data: dict, prefix: str = "") -> None:
    if not isinstance(data, dict):
        raise ConfigError(f"config section '{prefix.rstrip('.') or 'top level'}' must be a mapping")
    fields = {f.name: f for f in dataclasses.fields(obj) if f.name != "base_dir"}
    for key, value in data.items():
        name = prefix + str(key)
        if key not in fields:
            known = ", ".join(sorted(fields))
            raise ConfigError(f"unknown config key '{name}'; known keys here: {known}")
        current = getattr(obj, key)
        if dataclasses.is_dataclass(current):
            _merge(current, value or {}, name + ".")
        else:
            setattr(obj, key, _check_type(name, value, current))


def check_executor(executor: str) -> None:
    """``local``, ``dask-local`` or a Dask scheduler address such as tcp://host:8786."""
    if executor not in ("local", "dask-local") and "://" not in executor:
        raise ConfigError(
            f"executor '{executor}' is not one kg knows; use 'local', 'dask-local' "
            "or the address of a Dask scheduler such as tcp://host:8786"
        )


def _validate(config: Config) -> None:
    bad = [t for t in config.entity_types if t not in ENTITY_TYPES]
    if bad:
        raise ConfigError(f"config key 'entity_types' has unknown types {bad}; allowed: {', '.join(ENTITY_TYPES)}")
    bad = [f for f in config.formats if f not in FORMATS]
    if bad:
        raise ConfigError(f"config key 'formats' has unknown formats {bad}; allowed: {', '.join(FORMATS)}")
    if config.max_file_mb <= 0:
        raise ConfigError("config key 'max_file_mb' must be more than 0 (a size in megabytes)")
    if config.workers < 0:
        raise ConfigError("config key 'workers' must be 0 (one per core) or more")
    check_executor(config.executor)
    if config.layout not in ("force", "geographic"):
        raise ConfigError("config key 'layout' must be 'force' or 'geographic'")
    if config.html.max_nodes < 1:
        raise ConfigError("config key 'html.max_nodes' must be at least 1")
    if config.html.max_edges < 1:
        raise ConfigError("config key 'html.max_edges' must be at least 1")
    for kind, files in dataclasses.asdict(config.lexicons).items():
        for f in files:
            if not config.path(f).is_file():
                raise ConfigError(
                    f"lexicon file '{f}' (config key 'lexicons.{kind}') does not exist; "
                    "fix the path or remove it from config.yaml"
                )


def load_config(path: str | os.PathLike | None = None) -> Config:
    """Defaults, overridden by ``path`` or else by ./config.yaml when it exists."""
    config = Config()
    if path is None and Path("config.yaml").is_file():
        path = "config.yaml"
    if path is not None:
        path = Path(path)
        if not path.is_file():
            raise ConfigError(f"config file '{path}' does not exist")
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise ConfigError(f"config file '{path}' is not valid YAML: {exc}") from None
        _merge(config, data)
        config.base_dir = str(path.resolve().parent)
    _validate(config)
    return config
