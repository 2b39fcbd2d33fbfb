"""Word boundaries and dictionary tags from jieba, loaded once per process.

The recognisers of people and programs ask two things of a word segmenter: where
words start (so that a name does not eat the next word: 赵亮和同事 -> 赵亮) and
whether a string is an ordinary dictionary word (高度, 党建) rather than a name.
"""
from __future__ import annotations

import contextlib
import functools
import logging
import marshal
import os
import re
import tempfile
from collections.abc import Callable

__all__ = ["cut", "segment", "boundaries", "dictionary_words", "word_tag", "frequency", "is_ordinary_word", "unload"]


def _jieba():
    return _loaded()[0]


@functools.lru_cache(maxsize=1)
def _loaded():
    """jieba, its dictionary loaded and changed by kg, and the words kg took out of it
    (with the frequencies they had)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    _load_dictionary(jieba)
    return jieba, _split_party_committees(jieba, _tags())


def _load_dictionary(jieba) -> None:
    """``jieba.initialize()``, three times faster when jieba's cache of its default
    dictionary exists: jieba reads that file with ``marshal.load``, which takes it in
    small steps (0.6 s); ``marshal.loads`` of its bytes takes 0.2 s. Each worker of a
    build pays this once, and so does a rebuild that extracts one new article."""
    tokenizer = jieba.dt
    cache = os.path.join(tokenizer.tmp_dir or tempfile.gettempdir(), "jieba.cache")  # where jieba keeps it
    if tokenizer.dictionary is jieba.DEFAULT_DICT and not tokenizer.cache_file and not tokenizer.initialized:
        with contextlib.suppress(OSError, ValueError, EOFError, TypeError):
            with open(cache, "rb") as fh:
                freq, total = marshal.loads(fh.read())
            if isinstance(freq, dict) and freq and total:
                tokenizer.FREQ, tokenizer.total, tokenizer.initialized = freq, total, True
                return
    jieba.initialize()  # builds the cache from the dictionary, for the next time


_PARTY = "中共"


def _split_party_committees(jieba, tags: dict[str, str]) -> dict[str, int]:
    """Forget the dictionary words that glue the party to a place (中共江西省委, 中共广东):
    whole, they hide the place from the recognisers, and the committee with it."""
    glued = {word: count for word, count in jieba.dt.FREQ.items()
             if count and word.startswith(_PARTY) and any(tags.get(word[2 : 2 + n]) == "ns" for n in (2, 3))}
    for word in glued:
        jieba.del_word(word)
    return glued  # word -> the frequency it had


@functools.lru_cache(maxsize=1)
def _tags() -> dict[str, str]:
    """The part-of-speech tag of every word of jieba's dictionary, as ``jieba.posseg``
    reads them on import (half a second, from the dictionary's text); kept beside jieba's
    own cache, as a file that loads in a fifth of that."""
    import jieba

    if jieba.dt.dictionary is not jieba.DEFAULT_DICT:
        return _read_tags(jieba.dt.get_dict_file())
    source = os.path.join(os.path.dirname(jieba.__file__), jieba.DEFAULT_DICT_NAME)
    info = os.stat(source)
    stamp = (source, info.st_size, info.st_mtime_ns)
    cache = os.path.join(jieba.dt.tmp_dir or tempfile.gettempdir(), "kg-jieba-tags.cache")
    with contextlib.suppress(OSError, ValueError, EOFError, TypeError):
        with open(cache, "rb") as fh:
            found, tags = marshal.loads(fh.read())
        if found == stamp and isinstance(tags, dict):
            return tags
    with open(source, "rb") as fh:
        tags = _read_tags(fh)
    with contextlib.suppress(OSError):  # no cache: the next process reads the dictionary again
        fd, temp = tempfile.mkstemp(dir=os.path.dirname(cache), prefix="kg-jieba-tags.")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(marshal.dumps((stamp, tags)))
            os.replace(temp, cache)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp)
    return tags


def _read_tags(lines) -> dict[str, str]:
    """Word -> tag from the lines of a jieba dictionary ("word frequency tag")."""
    tags = {}
    with lines:
        for line in lines:
            parts = line.decode("utf-8").split()
            if len(parts) == 3:
                tags[parts[0]] = parts[2]
    return tags


@functools.lru_cache(maxsize=4096)
def cut(text: str) -> tuple[str, ...]:
    """jieba's words of ``text`` (HMM on, so unknown names stay whole)."""
    return tuple(_segmenter()(text))


def segment(text: str) -> list[str]:
    """jieba's words of ``text``, not kept (``cut`` keeps those of the last sentences)."""
    return _segmenter()(text)


# Where rjieba is sure to cut as jieba does: Chinese characters, ASCII letters and digits
# (which both take into their blocks of words), and the spaces and punctuation that both
# leave as they are. A run of jieba's block characters that holds anything else (+#&._%-,
# which the two read differently, or a rarer character that rjieba puts into a block and
# jieba does not) goes to jieba.
_JIEBA_BLOCK = r"\u4E00-\u9FD5a-zA-Z0-9+#&._%\-"  # what jieba 0.42 takes into a block of words
_AGREED = (r"\u4E00-\u9FD5a-zA-Z0-9 \t\n\r\u3000!\"$'()*,/:;<=>?@\[\\\]^`{|}~"
           r"\u2010-\u2027\u2030-\u205E\u3001-\u303F\uFF01-\uFF0F\uFF1A-\uFF20\uFF3B-\uFF40\uFF5B-\uFF65")
_FOR_JIEBA = re.compile(f"[{_JIEBA_BLOCK}]*[^{_AGREED}][{_JIEBA_BLOCK}]*")


@functools.lru_cache(maxsize=1)
def _rjieba():
    """rjieba (jieba in Rust: the same dictionary, model and words, 11 times faster) holding
    jieba's dictionary as kg changed it; None where it is not installed or cannot hold it."""
    jieba, deleted = _loaded()
    try:
        import rjieba
    except ImportError:
        return None
    if jieba.dt.dictionary is not jieba.DEFAULT_DICT:
        return None  # rjieba holds jieba's default dictionary only
    fast = rjieba.Jieba()
    for word in deleted:
        fast.add_word(word, 0, None)
    if deleted:  # rjieba takes a deleted word's count off the dictionary's total, jieba does not:
        fast.add_word("\uE000\uE000", sum(deleted.values()), None)  # put it back, under a word no text holds
    return fast


@functools.lru_cache(maxsize=1)
def _segmenter() -> Callable[[str], list[str]]:
    """What cuts text into jieba's words: rjieba where it agrees with jieba, jieba elsewhere."""
    jieba, fast = _jieba(), _rjieba()
    if fast is None:
        return jieba.lcut

    def words(text: str) -> list[str]:
        out, start = [], 0
        for match in _FOR_JIEBA.finditer(text):
            if match.start() > start:
                out += fast.cut(text[start : match.start()])
            out += jieba.lcut(match.group())
            start = match.end()
        if start < len(text):
            out += fast.cut(text[start:])
        return out

    return words


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


def unload() -> None:
    """Let go of jieba's dictionary, its tags and rjieba's copy of it (over 100 MB): a
    process that forked its workers with them loaded needs them no more, and the
    graph it then builds needs the room. The next cut loads them again."""
    if _loaded.cache_info().currsize == 0:
        return
    tokenizer = _jieba().dt
    for cached in (cut, _segmenter, _rjieba, _tags, _loaded):
        cached.cache_clear()
    tokenizer.FREQ, tokenizer.total, tokenizer.initialized = {}, 0, False
