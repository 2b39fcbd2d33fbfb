"""Programs: 《》 titles, and quoted names followed by a head word (“一网通办”平台)."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..models import Mention, Sentence

if TYPE_CHECKING:
    from . import Context

__all__ = ["find"]

_BOOK = re.compile(r"《([^《》]{2,40})》")
_QUOTED = re.compile(r"“([^“”]{2,20})”")


def find(sentence: Sentence, context: Context) -> list[Mention]:
    out = []
    text = sentence.text
    for m in _BOOK.finditer(text):
        out.append(Mention("program", m.group(1), sentence.start + m.start(), sentence.start + m.end(), sentence.index))
    for m in _QUOTED.finditer(text):
        after = text[m.end() : m.end() + 4]
        if any(after.startswith(h) for h in context.lexicon.program_heads):
            out.append(Mention("program", m.group(1), sentence.start + m.start(), sentence.start + m.end(), sentence.index))
    return out
