"""Relations between the entities of one document, each with the sentence it rests on.

Typed relations come from small rule modules (``structure`` for located_in and
part_of, ``roles`` and ``runs``); ``co_occurs`` links entities named in the
same sentence. Repeated findings of one relation add up in its weight.
"""
from __future__ import annotations

from itertools import combinations

from ..models import Entity, Mention, Relation, Sentence
from ..recognise import Context
from . import roles, runs, structure

__all__ = ["relate", "merge_relations"]


def merge_relations(relations: list[Relation]) -> list[Relation]:
    """One relation per (head, relation, tail): weights add, the first evidence stays."""
    merged: dict[tuple[str, str, str], Relation] = {}
    for r in relations:
        key = (r.head, r.relation, r.tail)
        if key in merged:
            merged[key].weight += r.weight
            if not merged[key].title and r.title:
                merged[key].title = r.title
        else:
            merged[key] = Relation(r.head, r.relation, r.tail, r.weight, r.evidence, r.title)
    return sorted(merged.values(), key=lambda r: (r.relation, r.head, r.tail))


def cooccurrences(sentences: list[Sentence], mentions: list[Mention]) -> list[Relation]:
    by_sentence: dict[int, set[str]] = {}
    for m in mentions:
        by_sentence.setdefault(m.sentence, set()).add(m.key)
    out = []
    for index, keys in by_sentence.items():
        for a, b in combinations(sorted(keys), 2):
            out.append(Relation(a, "co_occurs", b, 1, sentences[index].text))
    return out


def relate(
    sentences: list[Sentence], mentions: list[Mention], entities: list[Entity], context: Context,
    cooccurrence: bool = True,
) -> list[Relation]:
    found = structure.find(sentences, mentions, entities, context)
    role_relations = roles.find(sentences, mentions, entities, context)
    found += role_relations
    found += runs.find(sentences, mentions, entities, context, role_relations)
    if cooccurrence:
        found += cooccurrences(sentences, mentions)
    keys = {e.key for e in entities}
    return merge_relations([r for r in found if r.head in keys and r.tail in keys and r.head != r.tail])
