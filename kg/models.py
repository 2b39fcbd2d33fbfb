"""Plain data that flows between the stages.

Every per-document result is made of these dataclasses and serialises to JSON
(``DocResult.to_dict`` / ``DocResult.from_dict``), so results can be cached,
sent to worker processes or a cluster, and merged in any order. Workers and the
cache pass them on packed (``pack``): the record of ``DocResult.to_record``, which
the merge reads as it is, with no objects built.
"""
from __future__ import annotations

import json
import zlib
from dataclasses import asdict, dataclass, field

__all__ = [
    "ENTITY_TYPES",
    "RELATION_TYPES",
    "Document",
    "Sentence",
    "Mention",
    "Entity",
    "Relation",
    "DocResult",
    "Record",
    "pack",
    "unpack",
]

ENTITY_TYPES = ("person", "agency", "place", "program")
# Typed relations first; co_occurs is the untyped "same sentence" link.
RELATION_TYPES = ("role", "located_in", "part_of", "runs", "co_occurs")

AttrValue = str | int | float | bool


@dataclass
class Document:
    """One input article (or page) as read from disk, decoded."""

    doc_id: str  # path relative to the input it came from, "/"-separated
    path: str  # absolute path, for messages
    text: str


@dataclass
class Sentence:
    """A sentence of the cleaned text, with its offsets in that text."""

    index: int
    start: int
    end: int
    text: str
    section: int = 0  # which article of a multi-article page it belongs to


@dataclass
class Mention:
    """A span of cleaned text recognised as an entity of some type.

    ``name`` is the normalised surface form (spaces removed, quotes stripped);
    ``canonical`` is filled by resolution with the name of the entity it refers to.
    """

    type: str
    name: str
    start: int
    end: int
    sentence: int
    canonical: str = ""
    attrs: dict[str, AttrValue] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.type}:{self.canonical or self.name}"


@dataclass
class Entity:
    """One real-world entity of a document: its most complete name and other forms."""

    type: str
    name: str
    aliases: list[str] = field(default_factory=list)
    mentions: int = 0
    attrs: dict[str, AttrValue] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.type}:{self.name}"


@dataclass
class Relation:
    """A directed relation between two entities of a document, by entity key."""

    head: str  # Entity.key
    relation: str
    tail: str  # Entity.key
    weight: int = 1
    evidence: str = ""
    title: str = ""


@dataclass
class DocResult:
    """Everything extracted from one document; the unit of caching and merging."""

    doc_id: str
    entities: list[Entity] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    sentences: int = 0
    chars: int = 0

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> DocResult:
        return cls(
            doc_id=data["doc_id"],
            entities=[Entity(**e) for e in data["entities"]],
            relations=[Relation(**r) for r in data["relations"]],
            sentences=data.get("sentences", 0),
            chars=data.get("chars", 0),
        )

    def to_record(self) -> dict:
        """A compact form of ``to_dict`` for the cache: each evidence sentence written once.

        The sentences that prove relations repeat (every pair named in a sentence cites
        it), so relations refer to them by position in ``evidence``: a record is a
        fraction of the size of ``to_dict`` and parses several times faster.
        """
        evidence: dict[str, int] = {}
        relations = [
            [r.head, r.relation, r.tail, r.weight, evidence.setdefault(r.evidence, len(evidence)), r.title]
            for r in self.relations
        ]
        entities = [[e.type, e.name, e.aliases, e.mentions, e.attrs] for e in self.entities]
        return {"doc_id": self.doc_id, "entities": entities, "relations": relations, "evidence": list(evidence),
                "sentences": self.sentences, "chars": self.chars}

    @classmethod
    def from_record(cls, record: dict) -> DocResult:
        evidence = record["evidence"]
        return cls(
            doc_id=record["doc_id"],
            entities=[Entity(t, name, aliases, mentions, attrs) for t, name, aliases, mentions, attrs in record["entities"]],
            relations=[Relation(head, relation, tail, weight, evidence[e], title)
                       for head, relation, tail, weight, e, title in record["relations"]],
            sentences=record["sentences"],
            chars=record["chars"],
        )


Record = dict  # DocResult.to_record(): lists and dicts of text and numbers only


def pack(result: DocResult) -> bytes:
    """``result.to_record()`` as compressed JSON: how the cache keeps a result, and how a
    worker sends it back. The main process then stores the bytes as they are and merges
    the record as it is (``Assembler.add``), building no objects: that work is done
    where the result was made, in parallel.
    """
    payload = json.dumps(result.to_record(), ensure_ascii=False, separators=(",", ":"))
    return zlib.compress(payload.encode("utf-8"), 1)  # evidence sentences repeat: about a tenth the size


def unpack(blob: bytes) -> Record:
    """The record ``pack`` made; ValueError if the bytes are not one."""
    try:
        record = json.loads(zlib.decompress(blob))
    except (ValueError, zlib.error) as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise ValueError(f"not a packed result: {exc}") from None
    if not isinstance(record, dict) or not _RECORD_KEYS <= record.keys():
        raise ValueError("not a packed result: a record's fields are missing")
    return record


_RECORD_KEYS = {"doc_id", "entities", "relations", "evidence", "sentences", "chars"}
