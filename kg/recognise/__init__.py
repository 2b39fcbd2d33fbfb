"""Find mentions of people, agencies, places and programs in sentences.

Each recogniser is a small module with ``find(sentence, context) -> list[Mention]``
that proposes spans independently; ``resolve_overlaps`` then keeps one reading of
each stretch of text (longer spans win, then the type priority below).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..gazetteer import Gazetteer, load_gazetteer
from ..lexicon import Lexicon
from ..models import Mention, Sentence
from . import agencies, people, places, programs, user

__all__ = ["Context", "recognise", "resolve_overlaps"]

# when two spans of equal length compete, the earlier type in this tuple wins
TYPE_PRIORITY = ("program", "agency", "place", "person")


@dataclass
class Context:
    """What every recogniser may consult: word lists, the gazetteer, earlier findings."""

    lexicon: Lexicon
    gazetteer: Gazetteer = field(default_factory=load_gazetteer)
    entity_types: tuple[str, ...] = ("person", "agency", "place", "program")


RECOGNISERS = {"place": places.find, "agency": agencies.find, "person": people.find, "program": programs.find}


def resolve_overlaps(mentions: list[Mention]) -> list[Mention]:
    """Keep non-overlapping mentions: the user's own names first, then longer spans, then TYPE_PRIORITY."""
    ranked = sorted(
        mentions,
        key=lambda m: (not m.attrs.get("user"), -(m.end - m.start), TYPE_PRIORITY.index(m.type), m.start),
    )
    taken: list[Mention] = []
    for m in ranked:
        if all(m.end <= t.start or m.start >= t.end for t in taken):
            taken.append(m)
    return sorted(taken, key=lambda m: (m.start, m.end))


def recognise(sentences: list[Sentence], context: Context) -> list[Mention]:
    mentions: list[Mention] = []
    for sentence in sentences:
        found: list[Mention] = user.find(sentence, context)
        for entity_type, find in RECOGNISERS.items():
            if entity_type in context.entity_types:
                found.extend(find(sentence, context))
        stop = context.lexicon.stopwords
        mentions.extend(m for m in resolve_overlaps(found) if m.name not in stop)
    return mentions
