"""A sentence with its jieba words, for the place and agency recognisers.

The words come from ``wordcut.cut`` (cached per text, shared with the other
recognisers); tags come from jieba's dictionary table, not from its slower
part-of-speech tagger. A word that is not in the dictionary (tag ``None``) is
most often a proper name that jieba's HMM pieced together.
"""
from __future__ import annotations

import bisect
import itertools
from dataclasses import dataclass, field

from ..models import Sentence
from .wordcut import cut, frequency, word_tag

__all__ = ["Parsed", "parse", "tag", "frequency", "PROPER_TAGS", "CONTENT_TAGS"]

# dictionary tags of proper nouns (places, people, organisations, other names)
PROPER_TAGS = frozenset({"ns", "nr", "nrt", "nrfg", "nt", "nz"})
# tags of words that may sit inside a name (nouns, noun-like verbs, attributes)
CONTENT_TAGS = PROPER_TAGS | {"n", "ng", "nl", "vn", "b", "j", "s", "an", "eng"}


def tag(word: str) -> str | None:
    """jieba's dictionary tag of a word, None when the word is not in the dictionary."""
    return word_tag(word)




@dataclass
class Parsed:
    """A sentence and its words as (start, end) offsets in the sentence text."""

    sentence: Sentence
    words: list[tuple[int, int]]
    bounds: set[int] = field(default_factory=set)
    _starts: list[int] = field(default_factory=list)  # where each word starts, in order

    @property
    def text(self) -> str:
        return self.sentence.text

    def word_at(self, offset: int) -> tuple[int, int]:
        """The word that contains the character at ``offset``."""
        if self.words and 0 <= offset < self.words[-1][1]:
            return self.words[bisect.bisect_right(self._starts, offset) - 1]
        return offset, offset + 1


def parse(sentence: Sentence) -> Parsed:
    ends = list(itertools.accumulate(map(len, cut(sentence.text))))
    starts = [0, *ends[:-1]] if ends else []
    bounds = set(starts)
    bounds.update((0, len(sentence.text)))
    return Parsed(sentence, list(zip(starts, ends)), bounds, starts)
