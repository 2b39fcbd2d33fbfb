"""Places: divisions from the gazetteer, and towns, streets, villages by their suffixes."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..models import Mention, Sentence

if TYPE_CHECKING:
    from . import Context

__all__ = ["find"]

_LOCAL = re.compile(r"([\u4e00-\u9fff]{2,4}?)(街道|镇|乡|村|社区)")
# ambiguous names that never stand alone as places
_AMBIGUOUS = {"城区", "新区", "开发区", "郊区", "矿区", "市中区", "市辖区"}


def find(sentence: Sentence, context: Context) -> list[Mention]:
    text, gaz = sentence.text, context.gazetteer
    out: list[Mention] = []
    i = 0
    while i < len(text):
        for length in range(min(10, len(text) - i), 1, -1):
            name = text[i : i + length]
            if name in _AMBIGUOUS:
                continue
            divisions = gaz.lookup(name)
            if divisions:
                d = divisions[0]
                out.append(Mention("place", name, sentence.start + i, sentence.start + i + length,
                                   sentence.index, attrs={"adcode": d.adcode} if len(divisions) == 1 else {}))
                i += length - 1
                break
        i += 1
    for m in _LOCAL.finditer(text):
        out.append(Mention("place", m.group(0), sentence.start + m.start(), sentence.start + m.end(), sentence.index))
    return out
