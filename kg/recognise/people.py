"""People: names after reporter cues and before or after titles, checked against surnames."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..models import Mention, Sentence

if TYPE_CHECKING:
    from . import Context

__all__ = ["find"]

_BYLINE = re.compile(r"(?:记者|通讯员|实习生)\s*([\u4e00-\u9fff]{2,3})")


def find(sentence: Sentence, context: Context) -> list[Mention]:
    out = []
    for m in _BYLINE.finditer(sentence.text):
        name = m.group(1)
        if name[0] in context.lexicon.surnames:
            out.append(Mention("person", name, sentence.start + m.start(1), sentence.start + m.end(1), sentence.index))
    return out
