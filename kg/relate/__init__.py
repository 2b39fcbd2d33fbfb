"""Relations between the entities of one document, each with the sentence it rests on.

Typed relations come from small rule modules (``structure`` for located_in and
part_of, ``roles`` and ``runs``); ``co_occurs`` links entities named in the
same sentence. Repeated findings of one relation add up in its weight.
"""
from __future__ import annotations

from dataclasses import replace
from itertools import combinations

from ..models import Entity, Mention, Relation, Sentence
from ..recognise import Context
from . import roles, runs, structure

__all__ = ["relate", "merge_relations"]


def merge_relations(relations: list[Relation]) -> list[Relation]:
    """One relation per (head, relation, tail): weights add, the first evidence stays.

    A relation found once is kept as it is; one found again is copied before its weight
    changes, so the callers' relations stay untouched (most are found once: few copies).
    """
    merged: dict[tuple[str, str, str], Relation] = {}
    copied: set[tuple[str, str, str]] = set()
    for r in relations:
        key = (r.head, r.relation, r.tail)
        first = merged.get(key)
        if first is None:
            merged[key] = r
            continue
        if key not in copied:
            first = merged[key] = replace(first)
            copied.add(key)
        first.weight += r.weight
        if not first.title and r.title:
            first.title = r.title
    return sorted(merged.values(), key=lambda r: (r.relation, r.head, r.tail))


def cooccurrences(sentences: list[Sentence], mentions: list[Mention]) -> list[Relation]:
    """One co_occurs relation per pair named in a sentence together, weighted by the sentences that
    name both, with the first one as evidence (counted here: one object per pair, not per sentence)."""
    by_sentence: dict[int, set[str]] = {}
    for m in mentions:
        by_sentence.setdefault(m.sentence, set()).add(m.key)
    found: dict[tuple[str, str], Relation] = {}
    for index, keys in by_sentence.items():
        for pair in combinations(sorted(keys), 2):
            if pair in found:
                found[pair].weight += 1
            else:
                found[pair] = Relation(pair[0], "co_occurs", pair[1], 1, sentences[index].text)
    return list(found.values())


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
