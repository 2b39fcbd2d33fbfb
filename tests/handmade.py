"""Sentences and mentions made by hand, so that a relation rule is tested apart from the recognisers."""
from __future__ import annotations

from kg.models import Entity, Mention, Sentence

__all__ = ["POST", "build"]

POST = {"cue": "post"}


def build(texts: list[str], spans: list[tuple[int, str, str, dict | None]], sections: list[int] | None = None):
    """Sentences from ``texts`` and mentions (sentence, type, written form, attrs) found in them."""
    sentences, pos = [], 0
    for k, t in enumerate(texts):
        sentences.append(Sentence(k, pos, pos + len(t), t, (sections or [0] * len(texts))[k]))
        pos += len(t) + 1
    mentions, seen = [], {}
    for index, kind, form, attrs in spans:
        s = sentences[index]
        at = s.text.find(form, seen.get((index, form), 0))
        seen[(index, form)] = at + 1
        mentions.append(Mention(kind, form, s.start + at, s.start + at + len(form), index, form, dict(attrs or {})))
    mentions.sort(key=lambda m: (m.start, m.end))
    entities = {}
    for m in mentions:
        entities.setdefault(m.key, Entity(m.type, m.name))
    return sentences, mentions, list(entities.values())
