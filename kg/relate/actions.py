"""role (person -> agency, with the title) and runs (agency or place -> program)."""
from __future__ import annotations

from ..models import Entity, Mention, Relation, Sentence
from ..recognise import Context

__all__ = ["find"]


def find(sentences: list[Sentence], mentions: list[Mention], entities: list[Entity], context: Context) -> list[Relation]:
    return []
