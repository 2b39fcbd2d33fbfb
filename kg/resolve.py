"""Group the mentions of a document into entities.

Mentions that denote the same thing (罗湖区 / 深圳罗湖, 国家药监局 / 国家药品监督管理局,
市公安局 in an article about 合肥 / 合肥市公安局) get one canonical name: the most
complete form written. Anonymised people (高某, 李某某, 康先生) are dropped unless the
config keeps them, and are then never merged across documents.
"""
from __future__ import annotations

import re
from collections import defaultdict

from .models import Entity, Mention
from .recognise import Context

__all__ = ["resolve", "is_anonymised"]

_ANONYMISED = re.compile(r"^.{1,2}(?:某+|先生|女士|老师|师傅|阿姨|大爷|大妈)$|^[老小].$")


def is_anonymised(name: str) -> bool:
    return bool(_ANONYMISED.match(name))


def _identity(m: Mention, context: Context) -> str:
    if m.type == "place" and m.attrs.get("adcode"):
        return f"place:#{m.attrs['adcode']}"
    return f"{m.type}:{context.lexicon.canonical(m.name)}"


def resolve(mentions: list[Mention], context: Context, keep_anonymised: bool = False) -> tuple[list[Mention], list[Entity]]:
    """Fill ``Mention.canonical`` and return the kept mentions and their entities."""
    kept = [m for m in mentions if not (m.type == "person" and is_anonymised(m.name) and not keep_anonymised)]
    groups: dict[str, list[Mention]] = defaultdict(list)
    for m in kept:
        groups[_identity(m, context)].append(m)
    entities = []
    for identity, group in groups.items():
        forms = list(dict.fromkeys(m.name for m in group))
        canonical = context.lexicon.canonical(forms[0])
        name = max([canonical, *forms], key=len) if canonical == forms[0] else canonical
        for m in group:
            m.canonical = name
        attrs = {}
        for m in group:
            attrs.update(m.attrs)
        if group[0].type == "person" and is_anonymised(name):
            attrs["anonymised"] = True
        entities.append(Entity(group[0].type, name, sorted(f for f in forms if f != name), len(group), attrs))
    entities.sort(key=lambda e: (e.type, e.name))
    return kept, entities
