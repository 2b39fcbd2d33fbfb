"""The role relation (person -> agency, with the title), read from the posts written by a name.

role: the posts written before a name form a chain, items joined by 、
(乙县委副书记、政法委书记、县禁毒委常务副主任栗太平). Each item is an agency and a
title; an item without an agency keeps the one before it (交警支队党委委员、政治处主任),
and a short form (政法委 after 乙县委) is completed from the unit before it; a short form
read as a unit of another level (县法院 as some district's court, 政法委 as 省委政法委 in a
县委 chain) gives no role. The head of a government (县长, 副市长) belongs to that level's
people's government, not to the party committee before it. A name followed by 任/兼任
and a post gets that post too; names listed after one post (人民陪审员张某、李某) share
it. A police or staff title with no unit in its chain (辅警施道平) falls back to the unit
named last before it (人民陪审员: the court). Posts abroad (驻某国代表) and members
(某学院学生, 某医院的医生) count; authors get the unit of （作者单位：……）. By-lines and person nouns
(村民, 老人) give no role, except a reporter of a named outlet (某电视台记者某某). A post
written with only its unit's kind (公司董事长, 所长) or field (外务大臣) takes the one unit
of that kind named before; people listed with their posts before one 任 share that post.
"""
from __future__ import annotations

import re

from ..models import Entity, Mention, Relation, Sentence
from ..recognise import Context
from .subjects import (
    CHAIN_BREAK, CLAUSE_OPENERS, GOVERNMENT, chain_start, outermost, post_titles, title_matches, title_suffix,
)

__all__ = ["find"]

_APPOINT = re.compile(r"^(?:任|担任|兼任|出任|任职|当选为|当选|被任命为|被选举为|被选为|为)")
# verbs that put the person after them into a post (增补某某为副主席, 任命某某为局长)
_APPOINTED_BY = re.compile(r"(?:增补|任命|选举|推选|推举|聘任|聘请|委任)$")
# a post whose unit is written as the kind of a unit named before (公司董事长, 所长): the
# kind word or the first character of a head title (所长 -> 所, 院长 -> 院)
_KIND_TITLE = re.compile(r"^([一-鿿])长$")
# titles of staff that belong to whatever unit was named last (民警王平, 辅警施道平)
_STAFF = ("民警", "辅警", "警官", "交警", "特警", "刑警", "干警", "反诈民警", "社区民警", "消防员", "检察官",
          "法官", "网格员", "调解员", "人民陪审员", "陪审员", "人民监督员", "审判员", "书记员", "法官助理",
          "检察官助理", "法警")
# staff of a whole court or procuratorate, not of the division named before them (人民陪审员)
_STAFF_OF = {"人民陪审员": "法院", "陪审员": "法院", "人民监督员": "检察院"}
# a post abroad: 驻某国代表, 驻某地首席代表, 驻某国大使
_POSTED = re.compile(r"驻[\u4e00-\u9fff]{1,8}?(?:首席代表|特别代表|代表|大使|总领事|领事)$")
# a party committee at the end of a unit's name (某县委, 某街道党工委)
_COMMITTEE_END = re.compile(r"(?:党委|党工委|委)$")
# the level of the party committee that opens a chain, and of one inside a unit's name
_CHAIN_LEVEL = re.compile(r"[\u4e00-\u9fff]*?([省市县区州])委")
_LEVEL_COMMITTEE = re.compile(r"([省市县区州])委")
# what parts the items of a post chain (县委副书记、县长)
_ITEM_BREAK = re.compile(r"[、，,]")
# the space between a post and a name in captions and signatures (县委副书记 某某)
_CAPTION_GAP = re.compile(r"[ \u3000]{1,2}$")
# （作者单位：……）, and the by-lines of reporters, who are no authors from outside
_AUTHOR_UNITS = re.compile(r"作者单位[^：:]{0,3}[：:]")
_REPORTER = re.compile(r"记者|通讯员|实习生")
# heads of a people's government by level: 县长 belongs to the county government, not to 县委
_GOVERNMENT_HEADS = {
    f"{deputy}{level}长": level for level in "省市县区州镇乡旗" for deputy in ("", "副", "常务副")
}


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
        key = self.completed(written, previous) or self.by_form.get(written, "")
        return key if _same_level(written, key.split(":", 1)[-1]) else ""

    def completed(self, written: str, previous: str) -> str:
        """A short form completed from the unit before it in a chain (政法委 after 某县委: 某县委政法委)."""
        bare = written.lstrip("省市县区镇乡")
        for k in range(len(previous), 1, -1):
            for form in (previous[:k] + written, previous[:k] + bare):
                if form in self.by_form and form != written:
                    return self.by_form[form]
        return ""

    def government(self, level: str, previous: str) -> str:
        """The people's government of the ``level`` (县, 市...) the chain is about, if the document names it."""
        found = [(form, key) for form, key in self.by_form.items()
                 if GOVERNMENT.search(form) and GOVERNMENT.sub("", form).endswith(level)]
        keys = {key for _, key in found}
        place = _COMMITTEE_END.sub("", previous)
        near = {key for form, key in found if place and form.startswith(place)}
        if len(near) == 1:
            return near.pop()
        return keys.pop() if len(keys) == 1 else ""


def _chain_level(chain: str) -> str:
    """The level of the party committee that opens a chain (州委常委、政法委书记 -> 州), or ''."""
    m = _CHAIN_LEVEL.match(chain)
    return m.group(1) if m else ""


def _same_level(written: str, name: str) -> bool:
    """A short form that starts with its level (县法院) names a unit of that level, not a district's."""
    level = written[:1]
    return level not in "省市县区州" or level in name[: max(1, len(name) - len(written) + 1)]


def _unit_key(unit: Mention, written: str, previous: str, level: str, agencies: _Agencies) -> str:
    """The agency of a unit written in a chain; a short form (政法委) belongs with the unit before it.

    Where the short form was resolved to a unit of another level than the chain's
    (省委政法委 in 州委常委、政法委书记), no agency is certain and none is given.
    """
    if written == unit.name and previous:
        completed = agencies.completed(written, previous)
        if completed:
            return completed
    name = unit.canonical or unit.name
    if not _same_level(written, name) or _level_clash(written, name, level):
        return ""
    return unit.key


def _level_clash(written: str, name: str, level: str) -> bool:
    """A short form (政法委) in a chain of one level (县委……) read as a unit of another (省委政法委)."""
    other = _LEVEL_COMMITTEE.search(name)
    return bool(level and other and other.group(1) != level and not written.startswith(other.group(1)))


def _title_splits(item: str, titles: tuple[str, ...]):
    """(unit, title) readings of one chain item, longest title first (乙县委书记: 乙 县委书记, 乙县委 书记).

    A post abroad keeps its place (某组织驻某国代表: 某组织, 驻某国代表).
    """
    posted = _POSTED.search(item)
    if posted:
        yield item[: posted.start()], posted.group(0)
    for t in title_matches(item, titles):
        unit = item[: len(item) - len(t)]
        yield unit, t
        if unit.endswith("的") and len(unit) > 2:
            yield unit[:-1], t  # 某医院的医生: the post of the unit before 的
        inner = next((u for u in title_matches(unit, titles) if len(u) < len(unit)), "")
        if inner:
            yield unit[: len(unit) - len(inner)], inner + t  # 某组织秘书长特使: a compound post


def _chain_roles(sentence: Sentence, start: int, end: int, person: Mention, units: list[Mention],
                 agencies: _Agencies, titles: tuple[str, ...]) -> list[Relation]:
    """Roles from the chain of posts text[start:end] written next to a person."""
    text = sentence.text
    out: list[Relation] = []
    previous_name = ""
    level = _chain_level(text[start:end])
    pos = start
    for item in _ITEM_BREAK.split(text[start:end]):
        item_start, pos = pos, pos + len(item) + 1
        splits = list(_title_splits(item, titles))
        if not splits:
            continue
        key, title = "", splits[0][1]
        if not splits[0][0] and title in _GOVERNMENT_HEADS:
            # 县委副书记、县长: the head of the county's government, not a post in 县委
            key = agencies.government(_GOVERNMENT_HEADS[title], previous_name)
            if key:
                previous_name = key.split(":", 1)[1]
                out.append(Relation(person.key, "role", key, 1, text, title))
            continue
        for unit_text, t in splits:
            unit_end = item_start + len(unit_text)
            inside = [m for m in units if item_start <= m.start - sentence.start and m.end - sentence.start == unit_end]
            if inside:
                unit = max(inside, key=lambda m: m.end - m.start)
                key = _unit_key(unit, unit_text, previous_name, level, agencies)
            else:
                key = ""
            if not key and unit_text:
                key = agencies.lookup(unit_text, previous_name)
                key = "" if _level_clash(unit_text, key.split(":", 1)[-1], level) else key
                if not key and agencies.lookup(unit_text + t[0], previous_name):
                    key = agencies.lookup(unit_text + t[0], previous_name)
                    t = item if len(unit_text) == 1 else t  # 支队长 after a 支队: the whole word is the post
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


def find(sentences: list[Sentence], mentions: list[Mention], entities: list[Entity], context: Context) -> list[Relation]:
    titles = post_titles(context.lexicon.titles)
    agencies = _Agencies(entities)
    by_sentence: dict[int, list[Mention]] = {}
    for m in mentions:
        by_sentence.setdefault(m.sentence, []).append(m)
    out: list[Relation] = []
    previous_person: dict[tuple[int, int], tuple[int, int]] = {}  # (sentence, end) -> its post chain
    for p in mentions:
        if p.type != "person":
            continue
        sentence = sentences[p.sentence]
        text = sentence.text
        here = by_sentence.get(p.sentence, [])
        units = [m for m in here if m.type == "agency"]
        end = p.start - sentence.start
        gap = _CAPTION_GAP.search(text, 0, end)
        if gap and title_suffix(text[: gap.start()], titles):
            end = gap.start()  # a caption or a signature: 县委副书记 某某：, 市长 某某
        if p.attrs.get("cue") == "byline" and not _named_reporter(text[:end], units, sentence.start):
            continue  # 本报记者 某某: by-lines give no role, a named outlet's reporter does
        start = chain_start(text, end, titles)
        if any(q is not p and q.type == "person" and start <= q.start - sentence.start < end for q in here):
            start = chain_start(text, end, ())  # 某某任……主任，县委常委、县公安局局长王某: not across another person
        listed = previous_person.get((p.sentence, p.start - 1)) if text[end - 1 : end] == "、" else None
        if listed is not None:  # 人民陪审员张三、李四: the second name shares the first one's posts
            start, end = listed
        found = _chain_roles(sentence, start, end, p, units, agencies, titles)
        previous_person[(p.sentence, p.end)] = (start, end)
        title = title_suffix(text[start:end], titles)
        if not found and title in _STAFF_OF:
            whole = [u for u in units if u.end - sentence.start <= end and (u.canonical or u.name).endswith(_STAFF_OF[title])]
            if whole:
                found.append(Relation(p.key, "role", whole[-1].key, 1, text, title))
        if not found and title in _STAFF:
            before = [u for u in outermost(units, ("agency",)) if u.end - sentence.start <= end]
            for k in (p.sentence - 1, p.sentence - 2):
                if not before and k >= 0 and sentences[k].section == sentence.section:
                    before = outermost([m for m in by_sentence.get(k, []) if m.type == "agency"], ("agency",))
            if before:
                found.append(Relation(p.key, "role", before[-1].key, 1, text, title))
        if not found:
            found = _kind_role(p, text[start:end], mentions, sentences, titles)
        appointee = _last_listed(p, here, text, sentence.start, titles)
        after = text[appointee.end - sentence.start :]
        appoint = _APPOINT.match(after)
        if appoint and appoint.group(0) == "为" and not _APPOINTED_BY.search(text[: p.start - sentence.start]):
            appoint = None  # 某某为群众办实事: 为 names a post only after 增补, 任命, 选举
        if appoint:
            rest_start = appointee.end - sentence.start + appoint.end()
            rest_end = rest_start
            while rest_end < len(text) and not CHAIN_BREAK.match(text[rest_end]):
                rest_end += 1
            given = _chain_roles(sentence, rest_start, rest_end, p, units, agencies, titles)
            post = text[rest_start:rest_end]
            if not given and post in titles:  # 某会召开会议，增补某某为副主席: the unit that meets
                subject = [u for u in outermost(units, ("agency",)) if u.end <= p.start]
                if subject and CLAUSE_OPENERS.search(text[: subject[0].start - sentence.start]):
                    given = [Relation(p.key, "role", subject[0].key, 1, text, post)]
            found += given
        out.extend(found)
    return out + _author_units(sentences, mentions)


def _last_listed(person: Mention, here: list[Mention], text: str, offset: int, titles: tuple[str, ...]) -> Mention:
    """The last of the people listed with their posts from ``person`` on, before a shared 任
    (县公安局局长甲，县法院院长乙，县检察院检察长丙任县禁毒委副主任): each takes that post too."""
    people = sorted((m for m in here if m.type == "person" and m.start >= person.start), key=lambda m: m.start)
    last = person
    for q in people[1:]:
        between = text[last.end - offset : q.start - offset]
        if not re.fullmatch(r"[，,][^，,。；;：:!！?？“”（）()\s]{2,30}", between) or not title_suffix(between, titles):
            break
        last = q
    return last


def _named_reporter(before: str, units: list[Mention], offset: int) -> bool:
    """A by-line name after 记者 of a named outlet (某电视台记者某某), not of 本报/本台."""
    if not before.endswith("记者"):
        return False
    unit_end = len(before) - 2
    return any(u.end - offset == unit_end for u in units) and not before[:unit_end].endswith(("本报", "本台", "本刊"))


def _kind_role(person: Mention, chain: str, mentions: list[Mention], sentences: list[Sentence],
               titles: tuple[str, ...]) -> list[Relation]:
    """A post whose unit is only its kind (公司董事长, 所长): the unit of that kind named before.

    The kind is a word written before the title (公司) or the first character of a head
    title (所长: 所); the unit must be the only one of that kind named earlier in the
    article's section, or the last one for a written kind word.
    """
    title = title_suffix(chain, titles)
    if not title or "、" in chain or "，" in chain:
        return []
    kind = chain[: len(chain) - len(title)]
    written = bool(kind)
    if not kind:
        head = _KIND_TITLE.match(title.removeprefix("副"))
        kind = head.group(1) if head else ""
    if not kind and len(title) >= 3:
        return _field_role(person, title, mentions, sentences)
    if not kind or len(kind) > 3:
        return []
    section = sentences[person.sentence].section
    earlier = [m for m in mentions if m.type == "agency" and m.start < person.start - len(chain)
               and sentences[m.sentence].section == section and (m.canonical or m.name).endswith(kind)
               and (m.canonical or m.name) != kind]
    keys = list(dict.fromkeys(m.key for m in earlier))
    if not keys or (not written and len(keys) > 1):
        return []
    return [Relation(person.key, "role", keys[-1], 1, sentences[person.sentence].text, title)]


def _field_role(person: Mention, title: str, mentions: list[Mention], sentences: list[Sentence]) -> list[Relation]:
    """A post named by its unit's field (外务大臣 of 某国外务省, 检察长 of 某县人民检察院) in the sentence.

    The first two characters of the title must stand in the name of exactly one unit
    written before the person in the same sentence.
    """
    field = title.removeprefix("副").removeprefix("常务")[:2]
    if len(field) < 2 or field[1] == "长":
        return []
    keys = list(dict.fromkeys(m.key for m in mentions if m.type == "agency" and m.sentence == person.sentence
                              and m.end <= person.start and field in (m.canonical or m.name)))
    if len(keys) != 1:
        return []
    return [Relation(person.key, "role", keys[0], 1, sentences[person.sentence].text, title)]


def _author_units(sentences: list[Sentence], mentions: list[Mention]) -> list[Relation]:
    """（作者单位：某县委改革办）: the authors named in the article's by-line work there.

    With as many units as authors (作者单位分别为：A、B) they pair in order; one unit goes to all.
    """
    out: list[Relation] = []
    for sentence in sentences:
        if "作者单位" not in sentence.text or not _AUTHOR_UNITS.search(sentence.text):
            continue
        units = outermost([m for m in mentions if m.sentence == sentence.index], ("agency",))
        authors = [m for m in mentions if m.type == "person" and m.attrs.get("cue") == "byline"
                   and sentences[m.sentence].section == sentence.section
                   and not _REPORTER.search(sentences[m.sentence].text)]
        authors = list({m.key: m for m in authors}.values())
        if units and authors and (len(units) == 1 or len(units) == len(authors)):
            for k, person in enumerate(authors):
                unit = units[0] if len(units) == 1 else units[k]
                out.append(Relation(person.key, "role", unit.key, 1, sentence.text, "作者"))
    return out
