"""Find mentions of people, agencies, places and programs in sentences.

Each recogniser is a small module with ``find(sentence, context) -> list[Mention]``
that proposes spans independently; ``resolve_overlaps`` then keeps one reading of
each stretch of text (longer spans win, then the type priority below). Places and
agencies are found over the whole document at once (``find_all``): a short place
name needs the rest of the document to be believed, and agency names are built on
the places written inside them. Those inner mentions are kept, nested in the agency
(长沙市 in 长沙市公安局, 长沙市公安局 in 长沙市公安局交警支队), for ``resolve`` and
``relate.structure`` to read.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..gazetteer import Gazetteer, load_gazetteer
from ..lexicon import Lexicon
from ..models import Mention, Sentence
from . import agencies, people, places, programs, user
from .parsed import parse

__all__ = ["Context", "recognise", "resolve_overlaps"]

# when two spans of equal length compete, the earlier type in this tuple wins
TYPE_PRIORITY = ("program", "agency", "place", "person")


@dataclass
class Context:
    """What every recogniser may consult: word lists, the gazetteer, earlier findings."""

    lexicon: Lexicon
    gazetteer: Gazetteer = field(default_factory=load_gazetteer)
    entity_types: tuple[str, ...] = ("person", "agency", "place", "program")
    # regexes and tables that recognisers build once from the lexicon, by name
    cache: dict = field(default_factory=dict, repr=False, compare=False)


# per-sentence recognisers; places and agencies run over the whole document in ``recognise``
RECOGNISERS = {"person": people.find, "program": programs.find}


def _container(m: Mention, outer: list[Mention]) -> Mention | None:
    """The agency that ``m`` is written inside: a place in its name, or a unit of its chain."""
    if m.type not in ("place", "agency"):
        return None
    for a in outer:
        if a is not m and a.type == "agency" and a.start <= m.start and m.end <= a.end and (a.start, a.end) != (m.start, m.end):
            if m.type == "place" or m.start == a.start:
                return a
    return None


def drop_posts_read_as_counties(found: list[Mention]) -> list[Mention]:
    """A person's name then 任县.. is 'serves as county ...': 任县 (and its agencies) are no place there."""
    person_ends = {m.end for m in found if m.type == "person"}
    wrong = [m for m in found if m.type == "place" and len(m.name) == 2 and m.name.endswith("县")
             and m.start in person_ends]
    if not wrong:  # the common case: nothing to drop, no need to test every mention
        return found
    return [m for m in found if not any(w.start <= m.start < w.end for w in wrong)]


def keep_nested(found: list[Mention], kept: list[Mention]) -> list[Mention]:
    """Put back the places and chain units written inside kept agencies."""
    kept_ids = {id(m) for m in kept}
    agencies_kept = [m for m in kept if m.type == "agency"]
    extra = [m for m in found if id(m) not in kept_ids and _container(m, agencies_kept) is not None]
    return sorted(kept + extra, key=lambda m: (m.start, m.end))


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
    parsed = [parse(sentence) for sentence in sentences]
    place_mentions = places.find_all(parsed, context)
    agency_mentions = agencies.find_all(parsed, place_mentions, context)
    by_sentence: dict[int, list[Mention]] = {}
    for m in place_mentions + agency_mentions:
        if m.type in context.entity_types:
            by_sentence.setdefault(m.sentence, []).append(m)
    for sentence in sentences:
        found: list[Mention] = user.find(sentence, context) + by_sentence.get(sentence.index, [])
        for entity_type, find in RECOGNISERS.items():
            if entity_type in context.entity_types:
                found.extend(find(sentence, context))
        if len(found) > 1:  # a lone mention has nothing to compete with
            found = drop_posts_read_as_counties(found)
            outer = [m for m in found if _container(m, found) is None]
            found = keep_nested(found, resolve_overlaps(outer))
        stop = context.lexicon.stopwords
        if stop:  # most configurations list no stopwords: nothing to filter
            found = [m for m in found if m.name not in stop]
        mentions.extend(found)
    return mentions
