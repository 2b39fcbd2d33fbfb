"""located_in (agency -> place) and part_of (place -> place, agency -> agency)."""
from __future__ import annotations

from ..models import Entity, Mention, Relation, Sentence
from ..recognise import Context

__all__ = ["find"]


def find(sentences: list[Sentence], mentions: list[Mention], entities: list[Entity], context: Context) -> list[Relation]:
    out: list[Relation] = []
    places = [e for e in entities if e.type == "place"]
    for e in entities:
        if e.type != "agency":
            continue
        # the longest place name the agency's name starts with
        best = max((p for p in places if e.name.startswith(p.name) or any(e.name.startswith(a) for a in p.aliases)),
                   key=lambda p: len(p.name), default=None)
        if best is not None:
            evidence = next((sentences[m.sentence].text for m in mentions if m.key == e.key), "")
            out.append(Relation(e.key, "located_in", best.key, 1, evidence))
    return out
