"""role (person -> agency, with the title) and runs (agency or place -> program).

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

runs: a program is run by the subject of its sentence: the agency or place that opens
a clause before it (not one after a preposition such as 在/对/向, nor one inside a post
chain, nor a news agency in a dateline), with the units joined to it (A、B, A与B,
A会同B, A联合B), or the sub-unit after 所属. A unit written right before the name owns
it; units after 由……主办 host it; 本届论坛 refers back to the event named before. Where
the sentence has no such subject, 该局/该区 or a bare kind of unit opening a clause (支队推行)
refer back; where a person is the subject, only an official speaks for the place the
article's lead is about; otherwise the subject of the last sentence of the same
article that had one carries over, except in a government's work report, where the
government is the subject. 某市公安 is that city's police bureau (or the city bureau's
branch for a district). Supporting a plan (支持加快推进《某方案》) is not running it.
"""
from __future__ import annotations

import functools
import re

from ..models import Entity, Mention, Relation, Sentence
from ..recognise import Context
from ..recognise.wordcut import package_words

__all__ = ["find", "roles", "runs"]

_CHAIN_BREAK = re.compile(r"[，,。；;：:！!？?“”\"（）()《》\s]")
# characters before a mention that make it the object of a preposition, not a subject
_PREPOSITIONS = tuple("在对向与和给把于从经被同跟及到据为让") + ("通过", "联合", "会同", "协调", "配合", "支持", "按照")
_CLAUSE_OPENERS = re.compile(
    r"(?:^|[，,。；;：:！!？?”）)】\s])(?:(?:近日|日前|近年来|今年以来|去年以来|目前|同时|此外|另外|据悉|据了解|为此|对此|"
    r"\d{4}年(?:\d{1,2}月)?(?:\d{1,2}日)?(?:以来)?|\d{1,2}月\d{1,2}日)[，,]?)?$"
)
_REFERENCES = re.compile(r"该(局|区|县|市|镇|乡|街道|院|所|厅|委|中心|站|总站|支队|大队|队|办|公司|行|医院|法院|检察院|海关|关)")
_CLAUSE_START = re.compile(r"(?:^|(?<=[，,；;：:。]))(?=[\u4e00-\u9fff])")
_PEOPLE_SUBJECT = re.compile(r"(?:^|[，,。；;：:“])(?:他们|她们|他|她|我们|大家|人们|群众|居民|村民|市民)")
_APPOINT = re.compile(r"^(?:任|担任|兼任|出任|任职|当选为|当选|被任命为|被选举为|被选为|为)")
# verbs that put the person after them into a post (增补某某为副主席, 任命某某为局长)
_APPOINTED_BY = re.compile(r"(?:增补|任命|选举|推选|推举|聘任|聘请|委任)$")
# a post whose unit is written as the kind of a unit named before (公司董事长, 所长): the
# kind word or the first character of a head title (所长 -> 所, 院长 -> 院)
_KIND_TITLE = re.compile(r"^([一-鿿])长$")
# what joins units that act together (A、B, A与B, A将会同B, A联合B)
_JOINER = re.compile(r"(?:将|已|还|也|正|共同)?(?:、|和|与|及|以及|同|会同|联合|携手|协同|配合)")
# 新华社北京4月8日电: a news agency in a dateline is no subject
_DATELINE = re.compile(r"[\u4e00-\u9fff]{0,8}?\d{1,2}月\d{1,2}日(?:电|讯)")
_SPONSOR_VERBS = re.compile(r"[^，。；,;]{0,6}?(?:主办|承办|举办|协办|牵头|组织|发起|实施|负责|推出|开展|开发|研发|设立|运营)")
# verbs of supporting or joining what others run (护航某某亚运会, 参加“某某”活动)
_SUPPORTED = re.compile(r"(?:护航|保障|服务保障|助力|支持|参加|参与|迎接|备战|观摩|应邀出席)"
                        r"(?:加快|尽快|进一步|继续|全面)?(?:推进|落实|实施|通过)?[“‘《\"]?$")
# 本届论坛, 该平台: a program named before, referred back to by its head word
_ANAPHOR = re.compile(r"(?:本届|该|此次|本次|这一|这项|此项|这款|该款)(论坛|大会|博览会|峰会|会议|活动|行动|平台|机制|模式|项目|"
                      r"工程|计划|制度|工作法|热线|产品)")
# 该产品: a quoted product (“某某贷”金融产品) keeps only its quoted name, so the last program is meant
_PRODUCT = "产品"
# a number or an app the reader is told to use (请拨打12345热线): a public service, no runner carried over
_CALLED = re.compile(r"(?:拨打|致电|拨通|下载|关注)[“‘\"]?$")
# the report of a government to its congress: the government is the subject of what it lists
_WORK_REPORT = re.compile(r"政府工作报告")
# titles of staff that belong to whatever unit was named last (民警王平, 辅警施道平)
_STAFF = ("民警", "辅警", "警官", "交警", "特警", "刑警", "干警", "反诈民警", "社区民警", "消防员", "检察官",
          "法官", "网格员", "调解员", "人民陪审员", "陪审员", "人民监督员", "审判员", "书记员", "法官助理",
          "检察官助理", "法警")
# staff of a whole court or procuratorate, not of the division named before them (人民陪审员)
_STAFF_OF = {"人民陪审员": "法院", "陪审员": "法院", "人民监督员": "检察院"}
# members of a unit: written right after the unit they give a role (某学院学生, 某医院护士)
_MEMBERS = ("学生", "研究生", "本科生", "博士生", "硕士生", "教师", "职工", "员工", "工作人员", "志愿者", "队员", "会员",
            "医生", "护士", "记者")
# a post abroad: 驻某国代表, 驻某地首席代表, 驻某国大使
_POSTED = re.compile(r"驻[\u4e00-\u9fff]{1,8}?(?:首席代表|特别代表|代表|大使|总领事|领事)$")
# heads of a people's government by level: 县长 belongs to the county government, not to 县委
_GOVERNMENT_HEADS = {
    f"{deputy}{level}长": level for level in "省市县区州镇乡旗" for deputy in ("", "副", "常务副")
}
_GOVERNMENT = re.compile(r"(?:人民政府|政府)$")


@functools.lru_cache(maxsize=1)
def _person_nouns() -> tuple[str, ...]:
    return package_words("person_nouns.txt")


@functools.lru_cache(maxsize=4)
def _titles(titles: tuple[str, ...]) -> tuple[str, ...]:
    """Posts of the lexicon and the members' nouns that, after a unit, also make a role (某大学某学院学生)."""
    return tuple(sorted(set(titles) | set(_MEMBERS), key=lambda w: (-len(w), w)))


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
                 if _GOVERNMENT.search(form) and _GOVERNMENT.sub("", form).endswith(level)]
        keys = {key for _, key in found}
        place = re.sub(r"(?:党委|党工委|委)$", "", previous)
        near = {key for form, key in found if place and form.startswith(place)}
        if len(near) == 1:
            return near.pop()
        return keys.pop() if len(keys) == 1 else ""


def _chain_start(text: str, end: int, titles: tuple[str, ...]) -> int:
    """Where the post chain that ends at ``end`` starts; it may cross one comma (主任,县公安局副局长王建)."""
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


def _chain_level(chain: str) -> str:
    """The level of the party committee that opens a chain (州委常委、政法委书记 -> 州), or ''."""
    m = re.match(r"[\u4e00-\u9fff]*?([省市县区州])委", chain)
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
    other = re.search(r"([省市县区州])委", name)
    return bool(level and other and other.group(1) != level and not written.startswith(other.group(1)))


def _title_splits(item: str, titles: tuple[str, ...]):
    """(unit, title) readings of one chain item, longest title first (乙县委书记: 乙 县委书记, 乙县委 书记).

    A post abroad keeps its place (某组织驻某国代表: 某组织, 驻某国代表).
    """
    posted = _POSTED.search(item)
    if posted:
        yield item[: posted.start()], posted.group(0)
    for t in titles:
        if item.endswith(t):
            unit = item[: len(item) - len(t)]
            yield unit, t
            if unit.endswith("的") and len(unit) > 2:
                yield unit[:-1], t  # 某医院的医生: the post of the unit before 的
            inner = next((u for u in titles if unit.endswith(u) and len(u) < len(unit)), "")
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
    for item in re.split(r"[、，,]", text[start:end]):
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


def roles(sentences: list[Sentence], mentions: list[Mention], entities: list[Entity], context: Context) -> list[Relation]:
    titles = _titles(context.lexicon.titles)
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
        gap = re.search(r"[ \u3000]{1,2}$", text[:end])
        if gap and _title_suffix(text[: gap.start()], titles):
            end = gap.start()  # a caption or a signature: 县委副书记 某某：, 市长 某某
        if p.attrs.get("cue") == "byline" and not _named_reporter(text[:end], units, sentence.start):
            continue  # 本报记者 某某: by-lines give no role, a named outlet's reporter does
        start = _chain_start(text, end, titles)
        if any(q is not p and q.type == "person" and start <= q.start - sentence.start < end for q in here):
            start = _chain_start(text, end, ())  # 某某任……主任，县委常委、县公安局局长王某: not across another person
        listed = previous_person.get((p.sentence, p.start - 1)) if text[end - 1 : end] == "、" else None
        if listed is not None:  # 人民陪审员张三、李四: the second name shares the first one's posts
            start, end = listed
        found = _chain_roles(sentence, start, end, p, units, agencies, titles)
        previous_person[(p.sentence, p.end)] = (start, end)
        title = _title_suffix(text[start:end], titles)
        if not found and title in _STAFF_OF:
            whole = [u for u in units if u.end - sentence.start <= end and (u.canonical or u.name).endswith(_STAFF_OF[title])]
            if whole:
                found.append(Relation(p.key, "role", whole[-1].key, 1, text, title))
        if not found and title in _STAFF:
            before = [u for u in _outermost(units, ("agency",)) if u.end - sentence.start <= end]
            for k in (p.sentence - 1, p.sentence - 2):
                if not before and k >= 0 and sentences[k].section == sentence.section:
                    before = _outermost([m for m in by_sentence.get(k, []) if m.type == "agency"], ("agency",))
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
            while rest_end < len(text) and not _CHAIN_BREAK.match(text[rest_end]):
                rest_end += 1
            given = _chain_roles(sentence, rest_start, rest_end, p, units, agencies, titles)
            post = text[rest_start:rest_end]
            if not given and post in titles:  # 某会召开会议，增补某某为副主席: the unit that meets
                subject = [u for u in _outermost(units, ("agency",)) if u.end <= p.start]
                if subject and _CLAUSE_OPENERS.search(text[: subject[0].start - sentence.start]):
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
        if not re.fullmatch(r"[，,][^，,。；;：:!！?？“”（）()\s]{2,30}", between) or not _title_suffix(between, titles):
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
    title = _title_suffix(chain, titles)
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
        if not re.search(r"作者单位[^：:]{0,3}[：:]", sentence.text):
            continue
        units = _outermost([m for m in mentions if m.sentence == sentence.index], ("agency",))
        authors = [m for m in mentions if m.type == "person" and m.attrs.get("cue") == "byline"
                   and sentences[m.sentence].section == sentence.section
                   and not re.search(r"记者|通讯员|实习生", sentences[m.sentence].text)]
        authors = list({m.key: m for m in authors}.values())
        if units and authors and (len(units) == 1 or len(units) == len(authors)):
            for k, person in enumerate(authors):
                unit = units[0] if len(units) == 1 else units[k]
                out.append(Relation(person.key, "role", unit.key, 1, sentence.text, "作者"))
    return out


def _is_subject(text: str, m: Mention, offset: int) -> bool:
    before = text[: m.start - offset]
    after = text[m.end - offset :]
    if before.endswith(("本报", "本台")) or after.startswith(("电", "讯")) or _DATELINE.match(after):
        return False  # the dateline of a report
    if before.endswith("在") and after.startswith(("，", ",")) and _CLAUSE_OPENERS.search(before[:-1]):
        return True  # 在甲市公安局刑警支队，支队党委……: the unit the sentence is about
    if m.type == "place" and after.startswith(_person_nouns()):
        return False  # 中国专家在……推广: the place only says whose experts
    return not (before.endswith(_PREPOSITIONS) or after.startswith(("的", "之")))


def _clause_initial(text: str, m: Mention, offset: int) -> bool:
    before = text[: m.start - offset]
    return bool(_CLAUSE_OPENERS.search(before)) or (before.endswith("在") and bool(_CLAUSE_OPENERS.search(before[:-1])))


def _coordinated(text: str, first: Mention, candidates: list[Mention], offset: int) -> list[Mention]:
    """``first`` and the units joined to it (A、B, A与B, A会同B, A联合B): all of them act.

    A place written right before a unit (与某省某市某局) gives way to that unit.
    """
    group = [first]
    ordered = sorted(candidates, key=lambda c: c.start)
    for k, c in enumerate(ordered):
        if c.start < group[-1].end or c in group:
            continue
        if not _JOINER.fullmatch(text[group[-1].end - offset : c.start - offset]):
            if c.start > group[-1].end:
                break
            continue
        while c.type == "place" and k + 1 < len(ordered) and ordered[k + 1].start == c.end:
            k += 1
            c = ordered[k]
        group.append(c)
    return group


def _subordinate(text: str, unit: Mention, candidates: list[Mention], offset: int) -> Mention:
    """甲海关所属乙海关开展……: the sub-unit after 所属/下属 is the one that acts."""
    for c in sorted(candidates, key=lambda c: c.start):
        if c.start >= unit.end and re.fullmatch(r"(?:所属|下属|所辖|直属|旗下)的?", text[unit.end - offset : c.start - offset]):
            unit = c
    return unit


def _sponsors(text: str, units: list[Mention], offset: int) -> list[Mention]:
    """Units after 由 that host or carry out what the clause names (由A和B共同主办)."""
    for k, u in enumerate(units):
        if text[: u.start - offset].endswith("由"):
            group = _coordinated(text, u, units[k + 1 :], offset)
            if _SPONSOR_VERBS.match(text[group[-1].end - offset :]):
                return group
    return []


def _actors(text: str, offset: int, here: list[Mention],
            chains: list[tuple[int, int]]) -> tuple[list[Mention], dict[int, int]]:
    """Agencies and places that may act in the sentence, and where each one's written form starts.

    A written hierarchy (河南省洛阳市西工区) acts through its last part but takes the
    grammar of its first (在河南省洛阳市西工区 is no subject). Units inside a post chain
    (乙县委 in 乙县委副书记栗太平) are left out.
    """
    units = [m for m in _outermost(here, ("agency", "place", "program")) if m.type != "program"]
    actors: list[Mention] = []
    starts: dict[int, int] = {}
    for k, m in enumerate(units):
        nxt = units[k + 1] if k + 1 < len(units) else None
        if m.type == "place" and nxt is not None and nxt.start == m.end:
            continue  # 山东省 in 山东省某市: the next part carries the clause
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


def _bare_reference(text: str, earlier: list[Mention], written: set[int] = frozenset()) -> Mention | None:
    """A clause that opens with the kind of a unit named before (，支队推行……, 妇联积极开展……).

    The kind is the end of the unit's name (two to four characters, short of the whole
    name); the last unit named with it is meant.
    """
    for start in reversed([m.start() for m in _CLAUSE_START.finditer(text) if m.start() not in written]):
        for unit in reversed(earlier):
            name = unit.canonical or unit.name
            for size in (4, 3, 2):
                kind = name[-size:]
                if size < len(name) and text.startswith(kind, start) and re.match(r"[\u4e00-\u9fff]", text[start + size : start + size + 1]):
                    return unit
    return None


def _referred_programs(text: str, offset: int, index: int, earlier: list[Mention]) -> list[Mention]:
    """本届论坛, 该平台: the last program before whose name ends with the head word, at the reference."""
    out = []
    for m in _ANAPHOR.finditer(text):
        named = [p for p in earlier if p.name.endswith(m.group(1)) or (p.canonical or "").endswith(m.group(1))]
        if not named and m.group(1) == _PRODUCT:
            named = earlier[-1:]
        if named:
            p = named[-1]
            out.append(Mention("program", p.name, offset + m.start(), offset + m.end(), index, p.canonical))
    return out


def _rewritten_programs(text: str, offset: int, index: int, named: list[Mention], names: list[str]) -> list[Mention]:
    """A program named before in the article, written again without its quotes but with its
    head (推行“某某会”制度 …… 推广某某会制度): the recognisers see only the first writing."""
    out: list[Mention] = []
    heads = package_words("program_heads.txt")
    for name in names:
        for m in re.finditer(re.escape(name), text):
            if not text.startswith(heads, m.end()) or (m.start() > 0 and text[m.start() - 1] in "“‘\""):
                continue
            start, end = offset + m.start(), offset + m.end()
            if any(n.name == name and n.start <= start < n.end for n in named + out):
                continue
            if any(o.start <= start < o.end or start <= o.start < end for o in out):
                continue
            out.append(Mention("program", name, start, end, index, name))
    return out


def _reporting_government(sentences: list[Sentence], mentions: list[Mention]) -> list[Mention]:
    """The people's government whose work report the article is (……市人民政府市长 某某 in its head)."""
    head = [s.index for s in sentences[:6] if _WORK_REPORT.search(s.text)]
    if not head:
        return []
    governments = [m for m in mentions if m.type == "agency" and m.sentence <= head[0] + 3
                   and _GOVERNMENT.search(m.canonical or m.name)]
    return governments[:1]


def _police_for_places(sentences: list[Sentence], mentions: list[Mention], entities: list[Entity]) -> list[Mention]:
    """某市公安, 某县警方: a place followed by 公安 or 警方 is its police bureau, where the article names it."""
    agencies = {e.name for e in entities if e.type == "agency"}
    out = []
    for m in mentions:
        text = sentences[m.sentence].text
        rest = text[m.end - sentences[m.sentence].start :]
        if m.type == "place" and rest.startswith(("公安", "警方")) and not rest.startswith(("公安局", "公安厅", "公安分局")):
            place = m.canonical or m.name
            bureau = next((place + b for b in ("公安局", "市公安局", "县公安局") if place + b in agencies), "")
            if not bureau:  # 某区公安: the district branch of the city's bureau (某市公安局某区分局)
                branches = sorted(a for a in agencies if re.search(rf"公安局{re.escape(m.name)}[区县市]?分局$", a))
                bureau = branches[0] if len(branches) == 1 else ""
            if bureau:
                m = Mention("agency", bureau, m.start, m.end + 2, m.sentence, bureau, dict(m.attrs))
        out.append(m)
    return out


def runs(sentences: list[Sentence], mentions: list[Mention], entities: list[Entity], context: Context) -> list[Relation]:
    titles = _titles(context.lexicon.titles)
    by_sentence: dict[int, list[Mention]] = {}
    for m in _police_for_places(sentences, mentions, entities):
        by_sentence.setdefault(m.sentence, []).append(m)
    out: list[Relation] = []
    topic: dict[int, list[Mention]] = {}  # section -> subject carried over
    recent: dict[int, list[Mention]] = {}  # section -> agencies and places in reading order
    programs: dict[int, list[Mention]] = {}  # section -> programs named so far
    home: dict[int, list[Mention]] = {}  # section -> the place its lead makes the subject (某县召开……)
    seen: dict[int, int] = {}  # section -> sentences read
    # people who hold a post in a party committee or a government speak for its place
    officials = {r.head for r in roles(sentences, mentions, entities, context)
                 if re.search(r"(?:委|党工委|政府)$", r.tail)}
    people_names = sorted({n for e in entities if e.type == "person" for n in (e.name, *e.aliases) if len(n) >= 2})
    reporter = _reporting_government(sentences, mentions)
    program_names = sorted({e.name for e in entities if e.type == "program" and len(e.name) >= 4}, key=lambda n: (-len(n), n))
    for sentence in sentences:
        here = by_sentence.get(sentence.index, [])
        text, offset = sentence.text, sentence.start
        section = sentence.section
        chains, speakers = [], []
        for p in here:
            if p.type == "person":
                end = p.start - offset
                start = _chain_start(text, end, titles)
                if _title_suffix(text[start:end], titles):
                    chains.append((start, end))
                else:
                    start = end
                stretch = _chain_start(text, end, ())
                if _clause_initial(text, Mention(p.type, p.name, stretch + offset, p.end, p.sentence), offset):
                    speakers.append(p)  # 某某强调，……, 某组织驻某国代表某某表示: a person is the subject
        for name in people_names:  # a name found elsewhere in the article, written here without a cue (某某一行来到)
            for m in re.finditer(re.escape(name), text):
                if _clause_initial(text, Mention("person", name, m.start() + offset, m.end() + offset, sentence.index), offset):
                    speakers.append(Mention("person", name, m.start() + offset, m.end() + offset, sentence.index))
        actors, starts = _actors(text, offset, here, chains)
        units = _outermost(here, ("agency", "place", "program"))
        named_units = [u for u in units if u.type != "program"]
        joinable = [u for u in named_units
                    if not any(a <= u.start - offset and u.end - offset <= b for a, b in chains)]

        def initial(a: Mention) -> bool:
            return _clause_initial(text, Mention(a.type, a.name, starts[id(a)], a.end, a.sentence), offset)

        subjects = [a for a in actors if initial(a)]
        named = [m for m in here if m.type == "program"]
        named += _rewritten_programs(text, offset, sentence.index, named, program_names)
        referred = _referred_programs(text, offset, sentence.index, programs.get(section, []))
        sponsors = _sponsors(text, joinable, offset)
        referent: list[Mention] = []
        prose = bool(re.search(r"[，,。；;]", text))  # a headline (某市“护河”志愿服务进校园) names no owner
        for prog in sorted(named + referred, key=lambda m: m.start):
            before = [a for a in subjects if a.end <= prog.start]
            runners: list[Mention] = []
            spoken = any(p.end <= prog.start for p in speakers)
            if before:
                runners = _coordinated(text, _subordinate(text, before[-1], joinable, offset), joinable, offset)
            else:
                ref = _REFERENCES.search(text[: prog.start - offset])
                earlier = recent.get(section, []) + [u for u in named_units if u.end <= prog.start]
                bare = _bare_reference(text[: prog.start - offset], earlier, {m.start - offset for m in here})
                if ref:
                    kind = ref.group(1)
                    runners = [m for m in reversed(earlier) if m.end <= ref.start() + offset or m.sentence < sentence.index]
                    runners = [m for m in runners if (m.canonical or m.name).endswith(kind)][:1]
                    if _CLAUSE_OPENERS.search(text[: ref.start()]):
                        referent = runners
                elif bare:
                    runners = referent = [bare]  # ，支队推行……: the unit of that kind named before
                elif subjects:
                    runners = _coordinated(text, subjects[0], joinable, offset)  # 为推动“清源”工程，乙县……
                if not runners and spoken:
                    if any(p.end <= prog.start and p.key in officials for p in speakers):
                        runners = home.get(section, [])[:1]  # 县长某某强调，要贯彻……: the place he speaks for
                elif not runners and not _PEOPLE_SUBJECT.search(text[: prog.start - offset]) and not _CALLED.search(
                        text[: prog.start - offset]):
                    # not where people (他们, 群众) are the subject; in a government's work report
                    # the government is the subject of every clause that names none
                    runners = reporter or topic.get(section, [])
            owner = [u for u in named_units if u.end <= prog.start
                     and not text[u.end - offset : prog.start - offset].strip("“‘《\"")
                     and (u.type == "agency" or (prose and not text[: u.start - offset].endswith(_PREPOSITIONS)))]
            if _SUPPORTED.search(text[: prog.start - offset]):
                runners = []  # 全面护航某某亚运会, 参加“某某”活动: the subject supports or joins it, not runs it
            if (owner or sponsors) and not before:
                runners = []  # 某法庭“法官进村”活动, 由某部主办: the owner or host named in the clause
            agent = [u for u in units if u.end <= prog.start and text[: u.start - offset].endswith("被")]
            for key in dict.fromkeys(r.key for r in runners + owner + agent + sponsors):
                out.append(Relation(key, "runs", prog.key, 1, text))
        if subjects:
            topic[section] = _coordinated(text, subjects[0], joinable, offset)
            if (section not in home and seen.get(section, 0) < 3 and subjects[0].type == "place"
                    and not text[: starts[id(subjects[0])] - offset].endswith("在")):
                home[section] = [subjects[0]]  # 某县召开……: the place the article is about
        elif referent:
            topic[section] = referent  # 该总站还……: the unit referred back to goes on acting
        recent.setdefault(section, []).extend(named_units)
        seen[section] = seen.get(section, 0) + 1
        programs.setdefault(section, []).extend(named)
    return out


def find(sentences: list[Sentence], mentions: list[Mention], entities: list[Entity], context: Context) -> list[Relation]:
    return roles(sentences, mentions, entities, context) + runs(sentences, mentions, entities, context)
