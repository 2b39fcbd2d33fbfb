"""The runs relation (agency or place -> program), given by the subject of the clause.

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
from collections.abc import Iterator

from ..lexicon import package_words
from ..models import Entity, Mention, Relation, Sentence
from ..recognise import Context
from .subjects import CLAUSE_OPENERS, GOVERNMENT, chain_start, outermost, post_titles, title_suffix

__all__ = ["find"]

# characters before a mention that make it the object of a preposition, not a subject
_PREPOSITIONS = tuple("在对向与和给把于从经被同跟及到据为让") + ("通过", "联合", "会同", "协调", "配合", "支持", "按照")
_REFERENCES = re.compile(r"该(局|区|县|市|镇|乡|街道|院|所|厅|委|中心|站|总站|支队|大队|队|办|公司|行|医院|法院|检察院|海关|关)")
_CLAUSE_START = re.compile(r"(?:^|(?<=[，,；;：:。]))(?=[\u4e00-\u9fff])")
_PEOPLE_SUBJECT = re.compile(r"(?:^|[，,。；;：:“])(?:他们|她们|他|她|我们|大家|人们|群众|居民|村民|市民)")
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
# units whose officials speak for their place: party committees and governments
_SPEAKS_FOR_PLACE = re.compile(r"(?:委|党工委|政府)$")
# what parts a unit from its sub-unit (甲海关所属乙海关)
_SUBORDINATE = re.compile(r"(?:所属|下属|所辖|直属|旗下)的?")
# punctuation of prose: a headline has none
_PROSE = re.compile(r"[，,。；;]")


@functools.lru_cache(maxsize=1)
def _person_nouns() -> tuple[str, ...]:
    return package_words("person_nouns.txt")


def _is_subject(text: str, m: Mention, offset: int) -> bool:
    before = text[: m.start - offset]
    after = text[m.end - offset :]
    if before.endswith(("本报", "本台")) or after.startswith(("电", "讯")) or _DATELINE.match(after):
        return False  # the dateline of a report
    if before.endswith("在") and after.startswith(("，", ",")) and CLAUSE_OPENERS.search(before[:-1]):
        return True  # 在甲市公安局刑警支队，支队党委……: the unit the sentence is about
    if m.type == "place" and after.startswith(_person_nouns()):
        return False  # 中国专家在……推广: the place only says whose experts
    return not (before.endswith(_PREPOSITIONS) or after.startswith(("的", "之")))


def _clause_initial(text: str, m: Mention, offset: int) -> bool:
    before = text[: m.start - offset]
    return bool(CLAUSE_OPENERS.search(before)) or (before.endswith("在") and bool(CLAUSE_OPENERS.search(before[:-1])))


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
        if c.start >= unit.end and _SUBORDINATE.fullmatch(text, unit.end - offset, c.start - offset):
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


def _actors(text: str, offset: int, units: list[Mention],
            chains: list[tuple[int, int]]) -> tuple[list[Mention], dict[int, int]]:
    """Agencies and places that may act in the sentence, and where each one's written form starts.

    ``units`` are the outermost agencies and places of the sentence, in reading order.

    A written hierarchy (河南省洛阳市西工区) acts through its last part but takes the
    grammar of its first (在河南省洛阳市西工区 is no subject). Units inside a post chain
    (乙县委 in 乙县委副书记栗太平) are left out.
    """
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


def _occurrences(text: str, word: str) -> Iterator[int]:
    """Where ``word`` is written in ``text``, left to right and without overlaps."""
    at = text.find(word)
    while at >= 0:
        yield at
        at = text.find(word, at + len(word))


class _ArticleNames:
    """Which of the names found in a document a sentence holds, in their order.

    A file holding a whole year of a paper names thousands of people: trying each name on
    each sentence would cost the square of the file's length. Beyond a few dozen names,
    each is filed under its first two characters, and a sentence tries only those filed
    under a pair of characters it holds.
    """

    _FEW = 64  # up to this many names, trying each one is faster

    def __init__(self, names: list[str]) -> None:  # each of two characters or more
        self.names = names
        self._by_start: dict[str, list[int]] = {}
        if len(names) > self._FEW:
            for i, name in enumerate(names):
                self._by_start.setdefault(name[:2], []).append(i)

    def within(self, text: str) -> list[str]:
        if not self._by_start:
            return [n for n in self.names if n in text]
        by_start, names = self._by_start, self.names
        filed = {i for k in range(len(text) - 1) for i in by_start.get(text[k:k + 2], ())}
        return [names[i] for i in sorted(filed) if names[i] in text]


def _rewritten_programs(text: str, offset: int, index: int, named: list[Mention], names: _ArticleNames) -> list[Mention]:
    """A program named before in the article, written again without its quotes but with its
    head (推行“某某会”制度 …… 推广某某会制度): the recognisers see only the first writing."""
    out: list[Mention] = []
    heads = package_words("program_heads.txt")
    for name in names.within(text):
        for at in _occurrences(text, name):
            if not text.startswith(heads, at + len(name)) or (at > 0 and text[at - 1] in "“‘\""):
                continue
            start, end = offset + at, offset + at + len(name)
            if any(n.name == name and n.start <= start < n.end for n in named + out):
                continue
            if any(o.start <= start < o.end or start <= o.start < end for o in out):
                continue
            out.append(Mention("program", name, start, end, index, name))
    return out


def _post_chains(text: str, offset: int, here: list[Mention], titles: tuple[str, ...]) -> list[tuple[int, int]]:
    """The post chains written before the people of a sentence (乙县委副书记 before 栗太平), in its text."""
    chains = []
    for p in here:
        if p.type == "person":
            end = p.start - offset
            start = chain_start(text, end, titles)
            if title_suffix(text[start:end], titles):
                chains.append((start, end))
    return chains


def _speakers(sentence: Sentence, here: list[Mention], people_names: _ArticleNames) -> list[Mention]:
    """People who are the subject of a clause of the sentence (某某强调，……, 某组织驻某国代表某某表示)."""
    text, offset = sentence.text, sentence.start
    speakers = []
    for p in here:
        if p.type == "person":
            stretch = chain_start(text, p.start - offset, ())
            if _clause_initial(text, Mention(p.type, p.name, stretch + offset, p.end, p.sentence), offset):
                speakers.append(p)
    for name in people_names.within(text):  # a name found elsewhere in the article (某某一行来到)
        for at in _occurrences(text, name):
            written = Mention("person", name, at + offset, at + len(name) + offset, sentence.index)
            if _clause_initial(text, written, offset):
                speakers.append(written)
    return speakers


def _reporting_government(sentences: list[Sentence], mentions: list[Mention]) -> list[Mention]:
    """The people's government whose work report the article is (……市人民政府市长 某某 in its head)."""
    head = [s.index for s in sentences[:6] if _WORK_REPORT.search(s.text)]
    if not head:
        return []
    governments = [m for m in mentions if m.type == "agency" and m.sentence <= head[0] + 3
                   and GOVERNMENT.search(m.canonical or m.name)]
    return governments[:1]


def _police_for_places(sentences: list[Sentence], mentions: list[Mention], entities: list[Entity]) -> list[Mention]:
    """某市公安, 某县警方: a place followed by 公安 or 警方 is its police bureau, where the article names it."""
    agencies = {e.name for e in entities if e.type == "agency"}
    out = []
    for m in mentions:
        text = sentences[m.sentence].text
        after = m.end - sentences[m.sentence].start  # read in place: no copy of the rest of the sentence
        if m.type == "place" and text.startswith(("公安", "警方"), after) and not text.startswith(
                ("公安局", "公安厅", "公安分局"), after):
            place = m.canonical or m.name
            bureau = next((place + b for b in ("公安局", "市公安局", "县公安局") if place + b in agencies), "")
            if not bureau:  # 某区公安: the district branch of the city's bureau (某市公安局某区分局)
                branch_ends = tuple(f"公安局{m.name}{level}分局" for level in ("", "区", "县", "市"))
                branches = sorted(a for a in agencies if a.endswith(branch_ends))
                bureau = branches[0] if len(branches) == 1 else ""
            if bureau:
                m = Mention("agency", bureau, m.start, m.end + 2, m.sentence, bureau, dict(m.attrs))
        out.append(m)
    return out


def find(sentences: list[Sentence], mentions: list[Mention], entities: list[Entity], context: Context,
         role_relations: list[Relation]) -> list[Relation]:
    """Runs relations of one document; ``role_relations`` are its roles (``roles.find``), read for officials."""
    titles = post_titles(context.lexicon.titles)
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
    officials = {r.head for r in role_relations if _SPEAKS_FOR_PLACE.search(r.tail)}
    people_names = _ArticleNames(sorted({n for e in entities if e.type == "person" for n in (e.name, *e.aliases) if len(n) >= 2}))
    reporter = _reporting_government(sentences, mentions)
    program_names = _ArticleNames(sorted({e.name for e in entities if e.type == "program" and len(e.name) >= 4},
                                         key=lambda n: (-len(n), n)))
    for sentence in sentences:
        here = by_sentence.get(sentence.index, [])
        text, offset = sentence.text, sentence.start
        section = sentence.section
        named = [m for m in here if m.type == "program"]
        named += _rewritten_programs(text, offset, sentence.index, named, program_names)
        referred = _referred_programs(text, offset, sentence.index, programs.get(section, []))
        if not (here or named or referred):  # nobody acts and nothing is run here
            seen[section] = seen.get(section, 0) + 1
            continue
        chains = _post_chains(text, offset, here, titles)
        units = outermost(here, ("agency", "place", "program"))
        named_units = [u for u in units if u.type != "program"]
        actors, starts = _actors(text, offset, named_units, chains)
        joinable = [u for u in named_units
                    if not any(a <= u.start - offset and u.end - offset <= b for a, b in chains)]

        def initial(a: Mention) -> bool:
            return _clause_initial(text, Mention(a.type, a.name, starts[id(a)], a.end, a.sentence), offset)

        subjects = [a for a in actors if initial(a)]
        speakers = _speakers(sentence, here, people_names) if named or referred else []
        sponsors = _sponsors(text, joinable, offset)
        referent: list[Mention] = []
        prose = bool(_PROSE.search(text))  # a headline (某市“护河”志愿服务进校园) names no owner
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
                    if CLAUSE_OPENERS.search(text[: ref.start()]):
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
