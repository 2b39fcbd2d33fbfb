"""role (person -> agency, with the title) and runs (agency or place -> program).

role: the posts written before a name form a chain, items joined by 、
(琼中县委副书记、政法委书记、县禁毒委常务副主任栗太强). Each item is an agency and a
title; an item without an agency keeps the one before it (交警支队党委委员、政治处主任),
and a short form (政法委 after 琼中县委) is completed from the unit before it. A name
followed by 任/兼任 and a post (栗太强任县禁毒委常务副主任) gets that post too. A
police or staff title with no unit in its chain (辅警施道洋) falls back to the unit
named last before it in the sentence. By-lines and person nouns (村民, 老人) give no role.

runs: a program is run by the subject of its sentence: the agency or place that opens
a clause before it (not one after a preposition such as 在/对/向, nor one inside a post
chain), with the units coordinated with it (最高人民法院、司法部出台……). Where the
sentence has no such subject, 该局/该区/该镇 refer back, and otherwise the subject of
the last sentence of the same article that had one carries over.
"""
from __future__ import annotations

import functools
import re

from ..models import Entity, Mention, Relation, Sentence
from ..recognise import Context

__all__ = ["find", "roles", "runs"]

_CHAIN_BREAK = re.compile(r"[，,。；;：:！!？?“”\"（）()《》\s]")
_ITEM_SPLIT = "、"
# characters before a mention that make it the object of a preposition, not a subject
_PREPOSITIONS = tuple("在对向与和给把于从经被同跟及到据为让") + ("通过", "联合", "会同", "协调", "配合", "支持", "按照")
_CLAUSE_OPENERS = re.compile(
    r"(?:^|[，,。；;：:！!？?”\s])(?:(?:近日|日前|近年来|今年以来|去年以来|目前|同时|此外|另外|据悉|据了解|为此|对此|"
    r"\d{4}年(?:\d{1,2}月)?(?:\d{1,2}日)?(?:以来)?|\d{1,2}月\d{1,2}日)[，,]?)?$"
)
_REFERENCES = re.compile(r"该(局|区|县|市|镇|乡|街道|院|所|厅|委|中心|站|总站|支队|大队|队|办|公司)")
_APPOINT = re.compile(r"^(?:任|担任|兼任|出任|任职)")
# titles of staff that belong to whatever unit was named last (民警王鹏, 辅警施道洋)
_STAFF = ("民警", "辅警", "警官", "交警", "特警", "刑警", "干警", "反诈民警", "社区民警", "消防员", "检察官",
          "法官", "网格员", "调解员")


@functools.lru_cache(maxsize=4)
def _titles(titles: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted(set(titles), key=lambda w: (-len(w), w)))


def _outermost(mentions: list[Mention], types: tuple[str, ...]) -> list[Mention]:
    chosen = [m for m in mentions if m.type in types]
    return [m for m in chosen
            if not any(o is not m and o.start <= m.start and m.end <= o.end and (o.end - o.start) > (m.end - m.start)
                       for o in chosen)]


def _title_suffix(item: str, titles: tuple[str, ...]) -> str:
    for t in titles:
        if item.endswith(t):
            return t
    return ""


class _Agencies:
    """Finds the document's agency entity for a written unit, completing short forms."""

    def __init__(self, entities: list[Entity]) -> None:
        self.by_form: dict[str, str] = {}
        for e in entities:
            if e.type == "agency":
                for form in (e.name, *e.aliases):
                    self.by_form.setdefault(form, e.key)

    def lookup(self, written: str, previous: str = "") -> str:
        if not written:
            return ""
        if written in self.by_form:
            return self.by_form[written]
        bare = written.lstrip("省市县区镇乡")
        for k in range(len(previous), 1, -1):
            for form in (previous[:k] + written, previous[:k] + bare):
                if form in self.by_form:
                    return self.by_form[form]
        return ""


def _chain_start(text: str, end: int, titles: tuple[str, ...]) -> int:
    """Where the post chain that ends at ``end`` starts; it may cross one comma (主任,县公安局副局长王健)."""
    start = end
    while start > 0 and not _CHAIN_BREAK.match(text[start - 1]):
        start -= 1
    if start > 0 and text[start - 1] in "，," and _title_suffix(text[:start - 1], titles):
        before = start - 1
        while before > 0 and not _CHAIN_BREAK.match(text[before - 1]):
            before -= 1
        if not re.search(r"[\u4e00-\u9fff]{2,3}$", text[before:start - 1]) or _title_suffix(text[before:start - 1], titles):
            return before
    return start


def _chain_roles(sentence: Sentence, start: int, end: int, person: str, units: list[Mention],
                 agencies: _Agencies, titles: tuple[str, ...]) -> list[Relation]:
    """Roles from the chain of posts text[start:end] written next to a person."""
    text = sentence.text
    out: list[Relation] = []
    previous_name = ""
    pos = start
    for item in re.split(r"[、，,]", text[start:end]):
        item_start, pos = pos, pos + len(item) + 1
        title = _title_suffix(item, titles)
        if not title:
            continue
        unit_text = item[: len(item) - len(title)]
        unit_end = item_start + len(unit_text)
        inside = [m for m in units if item_start <= m.start - sentence.start and m.end - sentence.start == unit_end]
        key = inside[0].key if inside else ""
        if not key and unit_text:
            key = agencies.lookup(unit_text, previous_name) or agencies.lookup(unit_text + title[0], previous_name)
        if not key and not unit_text and previous_name:
            key = agencies.lookup(previous_name)
        if key:
            previous_name = key.split(":", 1)[1]
            out.append(Relation(f"person:{person}", "role", key, 1, text, title))
    return out


def roles(sentences: list[Sentence], mentions: list[Mention], entities: list[Entity], context: Context) -> list[Relation]:
    titles = _titles(context.lexicon.titles)
    agencies = _Agencies(entities)
    by_sentence: dict[int, list[Mention]] = {}
    for m in mentions:
        by_sentence.setdefault(m.sentence, []).append(m)
    out: list[Relation] = []
    for p in mentions:
        if p.type != "person" or p.attrs.get("cue") == "byline":
            continue
        sentence = sentences[p.sentence]
        text = sentence.text
        units = [m for m in by_sentence.get(p.sentence, []) if m.type == "agency"]
        end = p.start - sentence.start
        start = _chain_start(text, end, titles)
        found = _chain_roles(sentence, start, end, p.canonical or p.name, units, agencies, titles)
        title = _title_suffix(text[start:end], titles)
        if not found and title in _STAFF:
            before = [u for u in _outermost(units, ("agency",)) if u.end - sentence.start <= end]
            if before:
                found.append(Relation(f"person:{p.canonical or p.name}", "role", before[-1].key, 1, text, title))
        after = text[p.end - sentence.start :]
        appoint = _APPOINT.match(after)
        if appoint:
            rest_start = p.end - sentence.start + appoint.end()
            rest_end = rest_start
            while rest_end < len(text) and not _CHAIN_BREAK.match(text[rest_end]):
                rest_end += 1
            found += _chain_roles(sentence, rest_start, rest_end, p.canonical or p.name, units, agencies, titles)
        out.extend(found)
    return out


def _is_subject(text: str, m: Mention, offset: int) -> bool:
    before = text[: m.start - offset]
    after = text[m.end - offset :]
    if before.endswith(_PREPOSITIONS) or after.startswith(("的", "之")):
        return False
    return True


def _clause_initial(text: str, m: Mention, offset: int) -> bool:
    return bool(_CLAUSE_OPENERS.search(text[: m.start - offset]))


def _coordinated(text: str, first: Mention, candidates: list[Mention], offset: int) -> list[Mention]:
    group = [first]
    for c in candidates:
        if c.start >= group[-1].end and text[group[-1].end - offset : c.start - offset] in ("、", "和", "与", "及"):
            group.append(c)
    return group


def runs(sentences: list[Sentence], mentions: list[Mention], entities: list[Entity], context: Context) -> list[Relation]:
    titles = _titles(context.lexicon.titles)
    by_sentence: dict[int, list[Mention]] = {}
    for m in mentions:
        by_sentence.setdefault(m.sentence, []).append(m)
    out: list[Relation] = []
    topic: dict[int, list[Mention]] = {}  # section -> subject carried over
    recent: dict[int, list[Mention]] = {}  # section -> agencies and places in reading order
    for sentence in sentences:
        here = by_sentence.get(sentence.index, [])
        text, offset = sentence.text, sentence.start
        actors = [m for m in _outermost(here, ("agency", "place", "program"))
                  if m.type != "program" and _is_subject(text, m, offset)]
        people_at = [p.start for p in here if p.type == "person"]
        # a unit followed by a post and a name belongs to a role chain, not to the clause
        actors = [m for m in actors
                  if not any(0 <= s - m.end <= 12 and _title_suffix(text[: s - offset], titles) for s in people_at)]
        section = sentence.section
        for prog in (m for m in here if m.type == "program"):
            before = [a for a in actors if a.end <= prog.start]
            initial = [a for a in before if _clause_initial(text, a, offset)]
            runners: list[Mention] = []
            if initial:
                runners = _coordinated(text, initial[-1], before, offset)
            elif before:
                runners = _coordinated(text, before[0], before, offset)
            else:
                ref = _REFERENCES.search(text[: prog.start - offset])
                if ref:
                    kind = ref.group(1)
                    runners = [m for m in reversed(recent.get(section, [])) if m.name.endswith(kind)][:1]
                if not runners:
                    runners = topic.get(section, [])
            for r in runners:
                out.append(Relation(r.key, "runs", prog.key, 1, text))
        subjects = [a for a in actors if _clause_initial(text, a, offset)]
        if subjects:
            topic[section] = _coordinated(text, subjects[0], actors, offset)
        recent.setdefault(section, []).extend(actors)
    return out


def find(sentences: list[Sentence], mentions: list[Mention], entities: list[Entity], context: Context) -> list[Relation]:
    return roles(sentences, mentions, entities, context) + runs(sentences, mentions, entities, context)
