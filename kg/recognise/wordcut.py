"""Word boundaries and dictionary tags from jieba, loaded once per process.

The recognisers of people and programs ask two things of a word segmenter: where
words start (so that a name does not eat the next word: 赵亮和同事 -> 赵亮) and
whether a string is an ordinary dictionary word (高度, 党建) rather than a name.
"""
from __future__ import annotations

import functools
import importlib.resources
import logging

from ..lexicon import read_words

__all__ = ["cut", "boundaries", "dictionary_words", "word_tag", "frequency", "is_ordinary_word", "package_words"]


@functools.lru_cache(maxsize=1)
def _jieba():
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    _split_party_committees(jieba, jieba.posseg.dt.word_tag_tab)
    return jieba


_PARTY = "中共"


def _split_party_committees(jieba, tags: dict[str, str]) -> None:
    """Forget the dictionary words that glue the party to a place (中共江西省委, 中共广东):
    whole, they hide the place from the recognisers, and the committee with it."""
    glued = [word for word, count in jieba.dt.FREQ.items()
             if count and word.startswith(_PARTY) and any(tags.get(word[2 : 2 + n]) == "ns" for n in (2, 3))]
    for word in glued:
        jieba.del_word(word)


@functools.lru_cache(maxsize=1)
def _tags() -> dict[str, str]:
    return _jieba().posseg.dt.word_tag_tab


@functools.lru_cache(maxsize=4096)
def cut(text: str) -> tuple[str, ...]:
    """jieba's words of ``text`` (HMM on, so unknown names stay whole)."""
    return tuple(_jieba().lcut(text))


def boundaries(text: str) -> frozenset[int]:
    """Offsets in ``text`` where a word starts or ends."""
    out, pos = {0}, 0
    for word in cut(text):
        pos += len(word)
        out.add(pos)
    return frozenset(out)


def dictionary_words(text: str) -> list[str]:
    """The words of jieba's dictionary that ``text`` starts with, shortest first.

    jieba lists every prefix of its words (with frequency 0 when the prefix is no word
    itself), so the walk stops at the first prefix it does not list. Any dictionary word
    that a cut of ``text`` opens with is among these: a recogniser that only cares for
    such a word asks this first and cuts the text only when one is there.
    """
    freq = _jieba().dt.FREQ
    out = []
    for end in range(1, len(text) + 1):
        piece = text[:end]
        if piece not in freq:
            break
        if freq[piece]:
            out.append(piece)
    return out


def word_tag(word: str) -> str | None:
    """The part-of-speech tag of a dictionary word, None for a word jieba does not list."""
    return _tags().get(word)


def frequency(word: str) -> int:
    """How often jieba's dictionary saw the word (0 for strings it does not list)."""
    return _jieba().dt.FREQ.get(word, 0) or 0


def is_ordinary_word(word: str, min_freq: int = 20) -> bool:
    """A common dictionary word, not a personal name (高度, 党建, 杭州).

    jieba tags some frequent words as names (安全感, 权威), so a very frequent word
    counts as ordinary whatever its tag.
    """
    tag = word_tag(word)
    if tag is None:
        return False
    if tag.startswith("nr") and len(word) >= 3:
        return False
    freq = frequency(word)
    return freq >= max(min_freq, 1000) or (not tag.startswith("nr") and freq >= min_freq)


@functools.lru_cache(maxsize=16)
def package_words(name: str) -> tuple[str, ...]:
    """Entries of a word list shipped in kg/lexicons, longest first."""
    text = (importlib.resources.files("kg") / "lexicons" / name).read_text(encoding="utf-8")
    return tuple(sorted(set(read_words(text)), key=lambda w: (-len(w), w)))
