"""Agencies: organisation names built from a place prefix and suffix words."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..models import Mention, Sentence

if TYPE_CHECKING:
    from . import Context

__all__ = ["find"]

_cache: dict[int, re.Pattern] = {}


def _pattern(context: Context) -> re.Pattern:
    key = id(context.lexicon)
    if key not in _cache:
        suffixes = "|".join(re.escape(s) for s in context.lexicon.agency_suffixes)
        _cache[key] = re.compile(rf"[\u4e00-\u9fff]{{1,12}}?(?:{suffixes})")
    return _cache[key]


def find(sentence: Sentence, context: Context) -> list[Mention]:
    out = []
    for full, shorts in context.lexicon.national_agencies.items():
        for name in (full, *shorts):
            start = sentence.text.find(name)
            if start >= 0:
                out.append(Mention("agency", name, sentence.start + start, sentence.start + start + len(name), sentence.index))
    for m in _pattern(context).finditer(sentence.text):
        name = m.group(0)
        if len(name) >= 4:
            out.append(Mention("agency", name, sentence.start + m.start(), sentence.start + m.end(), sentence.index))
    return out
