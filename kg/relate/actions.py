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
# characters before a mention that make it the object of a preposition, not a subject
_PREPOSITIONS = tuple("在对向与和给把于从经被同跟及到据为让") + ("通过", "联合", "会同", "协调", "配合", "支持", "按照")
_CLAUSE_OPENERS = re.compile(
    r"(?:^|[，,。；;：:！!？?”）)】\s])(?:(?:近日|日前|近年来|今年以来|去年以来|目前|同时|此外|另外|据悉|据了解|为此|对此|"
    r"\d{4}年(?:\d{1,2}月)?(?:\d{1,2}日)?(?:以来)?|\d{1,2}月\d{1,2}日)[，,]?)?$"
)
_REFERENCES = re.compile(r"该(局|区|县|市|镇|乡|街道|院|所|厅|委|中心|站|总站|支队|大队|队|办|公司)")
_PEOPLE_SUBJECT = re.compile(r"(?:^|[，,。；;：:“])(?:他们|她们|他|她|我们|大家|人们|群众|居民|村民|市民)")
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


def _title_splits(item: str, titles: tuple[str, ...]):
    """(unit, title) readings of one chain item, longest title first (琼中县委书记: 琼中 县委书记, 琼中县委 书记)."""
    for t in titles:
        if item.endswith(t):
            yield item[: len(item) - len(t)], t


def _chain_roles(sentence: Sentence, start: int, end: int, person: Mention, units: list[Mention],
                 agencies: _Agencies, titles: tuple[str, ...]) -> list[Relation]:
    """Roles from the chain of posts text[start:end] written next to a person."""
    text = sentence.text
    out: list[Relation] = []
    previous_name = ""
    pos = start
    for item in re.split(r"[、，,]", text[start:end]):
        item_start, pos = pos, pos + len(item) + 1
        splits = list(_title_splits(item, titles))
        if not splits:
            continue
        key, title = "", splits[0][1]
        for unit_text, t in splits:
            unit_end = item_start + len(unit_text)
            inside = [m for m in units if item_start <= m.start - sentence.start and m.end - sentence.start == unit_end]
            key = max(inside, key=lambda m: m.end - m.start).key if inside else ""
            if not key and unit_text:
                key = agencies.lookup(unit_text, previous_name) or agencies.lookup(unit_text + t[0], previous_name)
            if key:
                title = t
                break
        if not key and previous_name and not splits[0][0]:
            key = agencies.lookup(previous_name)  # 交警支队党委委员、政治处主任: the same unit
        if key:
            previous_name = key.split(":", 1)[1]
            same = [r for r in out if r.tail == key]
            if same:
                same[0].title += "、" + title  # 党委委员、政治处主任 of one unit
            else:
                out.append(Relation(person.key, "role", key, 1, text, title))
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
        found = _chain_roles(sentence, start, end, p, units, agencies, titles)
        title = _title_suffix(text[start:end], titles)
        if not found and title in _STAFF:
            before = [u for u in _outermost(units, ("agency",)) if u.end - sentence.start <= end]
            for k in (p.sentence - 1, p.sentence - 2):
                if not before and k >= 0 and sentences[k].section == sentence.section:
                    before = _outermost([m for m in by_sentence.get(k, []) if m.type == "agency"], ("agency",))
            if before:
                found.append(Relation(p.key, "role", before[-1].key, 1, text, title))
        after = text[p.end - sentence.start :]
        appoint = _APPOINT.match(after)
        if appoint:
            rest_start = p.end - sentence.start + appoint.end()
            rest_end = rest_start
            while rest_end < len(text) and not _CHAIN_BREAK.match(text[rest_end]):
                rest_end += 1
            found += _chain_roles(sentence, rest_start, rest_end, p, units, agencies, titles)
        out.extend(found)
    return out


def _is_subject(text: str, m: Mention, offset: int) -> bool:
    before = text[: m.start - offset]
    after = text[m.end - offset :]
    if before.endswith(("本报", "本台")) or after.startswith(("电", "讯")):
        return False  # the dateline of a report
    if before.endswith("在") and after.startswith(("，", ",")) and _CLAUSE_OPENERS.search(before[:-1]):
        return True  # 在合肥市公安局刑警支队，支队党委……: the unit the sentence is about
    return not (before.endswith(_PREPOSITIONS) or after.startswith(("的", "之")))


def _clause_initial(text: str, m: Mention, offset: int) -> bool:
    before = text[: m.start - offset]
    return bool(_CLAUSE_OPENERS.search(before)) or (before.endswith("在") and bool(_CLAUSE_OPENERS.search(before[:-1])))


def _coordinated(text: str, first: Mention, candidates: list[Mention], offset: int) -> list[Mention]:
    group = [first]
    for c in candidates:
        if c.start >= group[-1].end and text[group[-1].end - offset : c.start - offset] in ("、", "和", "与", "及"):
            group.append(c)
    return group


def _actors(text: str, offset: int, here: list[Mention],
            chains: list[tuple[int, int]]) -> tuple[list[Mention], dict[int, int]]:
    """Agencies and places that may act in the sentence, and where each one's written form starts.

    A written hierarchy (河北省唐山市古冶区) acts through its last part but takes the
    grammar of its first (在河北省唐山市古冶区 is no subject). Units inside a post chain
    (琼中县委 in 琼中县委副书记栗太强) are left out.
    """
    units = [m for m in _outermost(here, ("agency", "place", "program")) if m.type != "program"]
    actors: list[Mention] = []
    starts: dict[int, int] = {}
    for k, m in enumerate(units):
        nxt = units[k + 1] if k + 1 < len(units) else None
        if m.type == "place" and nxt is not None and nxt.start == m.end:
            continue  # 山东省 in 山东省昌邑市: the next part carries the clause
        if any(a <= m.start - offset and m.end - offset <= b for a, b in chains):
            continue
        head = m
        for prev in reversed(units[:k]):
            if prev.type != "place" or prev.end != head.start:
                break
            head = prev
        if _is_subject(text, Mention(m.type, m.name, head.start, m.end, m.sentence), offset):
            actors.append(m)
            starts[id(m)] = head.start
    return actors, starts


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
        chains = []
        for p in here:
            if p.type == "person":
                end = p.start - offset
                start = _chain_start(text, end, titles)
                if _title_suffix(text[start:end], titles):
                    chains.append((start, end))
        actors, starts = _actors(text, offset, here, chains)
        units = _outermost(here, ("agency", "place", "program"))

        def initial(a: Mention) -> bool:
            return _clause_initial(text, Mention(a.type, a.name, starts[id(a)], a.end, a.sentence), offset)

        section = sentence.section
        subjects = [a for a in actors if initial(a)]
        for prog in (m for m in here if m.type == "program"):
            before = [a for a in subjects if a.end <= prog.start]
            runners: list[Mention] = []
            if before:
                runners = _coordinated(text, before[-1], actors, offset)
            else:
                ref = _REFERENCES.search(text[: prog.start - offset])
                if ref:
                    kind = ref.group(1)
                    runners = [m for m in reversed(recent.get(section, [])) if m.name.endswith(kind)][:1]
                elif subjects:
                    runners = _coordinated(text, subjects[0], actors, offset)  # 为推动“严堵”工程，琼中县……
                if not runners and not _PEOPLE_SUBJECT.search(text[: prog.start - offset]):
                    runners = topic.get(section, [])  # not where people (他们, 群众) are the subject
            owner = [u for u in units if u.type == "agency" and u.end <= prog.start
                     and not text[u.end - offset : prog.start - offset].strip("“‘《\"")]
            agent = [u for u in units if u.end <= prog.start and text[: u.start - offset].endswith("被")]
            # the unit written right before the name owns it (总站“中朝友谊桥党性锤炼点”); an agent after 被 acts
            for key in dict.fromkeys(r.key for r in runners + owner + agent):
                out.append(Relation(key, "runs", prog.key, 1, text))
        if subjects:
            topic[section] = _coordinated(text, subjects[0], actors, offset)
        recent.setdefault(section, []).extend(actors)
    return out


def find(sentences: list[Sentence], mentions: list[Mention], entities: list[Entity], context: Context) -> list[Relation]:
    return roles(sentences, mentions, entities, context) + runs(sentences, mentions, entities, context)
