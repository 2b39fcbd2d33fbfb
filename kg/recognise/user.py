"""Names the user listed in their own lexicons (config.yaml ``lexicons``) are always found."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..lexicon import word_pattern
from ..models import Mention, Sentence

if TYPE_CHECKING:
    from . import Context

__all__ = ["find"]

def _compiled(context: Context) -> tuple[re.Pattern, dict[str, str]] | None:
    memo = context.cache
    if "user" not in memo:
        types: dict[str, str] = {}
        for entity_type, names in sorted(context.lexicon.user_entities.items()):
            for name in names:
                types.setdefault(name, entity_type)
        # an alias of a listed name is found as that name's type
        for alias, canonical in context.lexicon.user_aliases.items():
            if canonical in types:
                types.setdefault(alias, types[canonical])
        if types:
            names = sorted(types, key=lambda n: (-len(n), n))
            memo["user"] = (word_pattern(names), types)
        else:
            memo["user"] = None
    return memo["user"]


def find(sentence: Sentence, context: Context) -> list[Mention]:
    compiled = _compiled(context)
    if compiled is None:
        return []
    pattern, types = compiled
    return [
        Mention(types[m.group(0)], m.group(0), sentence.start + m.start(), sentence.start + m.end(), sentence.index,
                attrs={"user": True})
        for m in pattern.finditer(sentence.text)
        if types[m.group(0)] in context.entity_types
    ]
