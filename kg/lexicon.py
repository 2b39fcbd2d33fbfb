"""General-knowledge word lists that the recognisers use, plus the user's own.

Each list is a plain text file in ``kg/lexicons`` (one entry per line or several
separated by spaces, ``#`` starts a comment); a user adds names through the
``lexicons`` section of config.yaml. Nothing here is taken from any corpus.
"""
from __future__ import annotations

import functools
import importlib.resources
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .config import Config

__all__ = ["Lexicon", "load_lexicon", "read_words", "word_pattern", "package_words", "package_set"]


def _package_file(name: str) -> str:
    return (importlib.resources.files("kg") / "lexicons" / name).read_text(encoding="utf-8")


@functools.cache
def package_words(name: str) -> tuple[str, ...]:
    """Entries of a word list shipped in kg/lexicons, longest first."""
    return tuple(sorted(set(read_words(_package_file(name))), key=lambda w: (-len(w), w)))


@functools.cache
def package_set(name: str) -> frozenset[str]:
    """Entries of a word list shipped in kg/lexicons, for membership tests."""
    return frozenset(package_words(name))


def read_words(text: str) -> list[str]:
    """Entries of a word-list file: whitespace-separated, # comments skipped."""
    words: list[str] = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        words.extend(line.split())
    return list(dict.fromkeys(words))


def word_pattern(words: Iterable[str]) -> re.Pattern:
    """A regex that finds the longest of ``words`` at each place, as ``A|B|...`` sorted longest first does.

    The words are written as a trie (部长|部门 -> 部(?:长|门)), so the regex reads each
    character once where a long alternation would try every word in turn.
    """
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}  # a word ends here

    def branches(node: dict[str, dict]) -> str:
        """The regex of what may follow ``node``: a longer word first, then the end of a shorter one."""
        longer = [re.escape(char) + branches(child) for char, child in sorted(node.items()) if char]
        if not longer:
            return ""
        group = "(?:" + "|".join(longer) + ")" if len(longer) > 1 else longer[0]
        if "" in node:
            return group + "?" if len(longer) > 1 else "(?:" + group + ")?"
        return group

    return re.compile(branches(trie))


def _read_table(text: str) -> dict[str, list[str]]:
    """Lines "canonical<TAB>alias|alias" -> {canonical: [aliases]}."""
    table: dict[str, list[str]] = {}
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        name, _, rest = line.partition("\t")
        table[name.strip()] = [a.strip() for a in rest.split("|") if a.strip()]
    return table


@dataclass
class Lexicon:
    surnames: frozenset[str]
    compound_surnames: frozenset[str]
    titles: tuple[str, ...]  # longest first
    agency_suffixes: tuple[str, ...]  # longest first
    national_agencies: dict[str, list[str]]  # full name -> short forms
    user_entities: dict[str, set[str]] = field(default_factory=dict)  # type -> names
    user_aliases: dict[str, str] = field(default_factory=dict)  # alias -> canonical
    stopwords: frozenset[str] = frozenset()

    def canonical(self, name: str) -> str:
        """The full name of a known abbreviation (国家药监局 -> 国家药品监督管理局)."""
        return self.user_aliases.get(name) or self._short_to_full.get(name, name)

    def __post_init__(self) -> None:
        self._short_to_full = {
            short: full for full, shorts in self.national_agencies.items() for short in shorts
        }


@functools.lru_cache(maxsize=1)
def _builtin() -> tuple:
    return (
        package_set("surnames.txt"),
        package_set("compound_surnames.txt"),
        package_words("titles.txt"),
        package_words("agency_suffixes.txt"),
        _read_table(_package_file("national_agencies.tsv")),
    )


def load_lexicon(config: Config | None = None) -> Lexicon:
    """Built-in lists, extended by the files named under ``lexicons`` in the config."""
    surnames, compound, titles, suffixes, national = _builtin()
    lexicon = Lexicon(surnames, compound, titles, suffixes, dict(national))
    if config is None:
        return lexicon
    lex = config.lexicons
    kinds = {"person": lex.people, "agency": lex.agencies, "place": lex.places, "program": lex.programs}
    for entity_type, files in kinds.items():
        names = lexicon.user_entities.setdefault(entity_type, set())
        for f in files:
            names.update(read_words(Path(config.path(f)).read_text(encoding="utf-8")))
    for f in lex.aliases:
        for canonical, aliases in _read_table(Path(config.path(f)).read_text(encoding="utf-8")).items():
            for alias in aliases:
                lexicon.user_aliases[alias] = canonical
    stop = set()
    for f in lex.stopwords:
        stop.update(read_words(Path(config.path(f)).read_text(encoding="utf-8")))
    lexicon.stopwords = frozenset(stop)
    return lexicon
