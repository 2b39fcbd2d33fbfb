"""Agencies: a head word (公安局, 支队, 委员会 ...) and the name words before it.

A name is read from its head leftwards, word by word (jieba words): nouns and
unknown words (most often proper names) belong to the name, a verb, preposition,
pronoun or punctuation ends it. Places written before the head are part of the
name (长沙市公安局), and so is an agency written right before (长沙市公安局 +
交警支队 + 高速二大队): each unit of such a chain is a mention of its own, sharing
the chain's start, so that ``relate.structure`` can read part_of from the nesting.
A level character alone before the name (市公安局, 县委政法委) marks a short form
that ``resolve`` completes with the place the article is about.

A conjunction may sit inside a name that reaches a place (县人力资源和社会保障局,
澳大利亚农业与水资源部), not between two agencies (县公安局和市场监管局). A unit
listed after a county's unit without a place of its own (县住建局、文旅局)
is the county's; an office after 驻 and a place belongs to the body before 驻
(儿童基金会驻泰国代表处). A ministry's 司 and a bank's 分行 exist only after their
parent's name.

Names from ``national_agencies.tsv`` (国家药监局, 国务院) are taken as written.
Mentions carry private attributes (``_bare``, ``_named``, ``_short``) that tell
``resolve`` whether a mention names something on its own; they never reach the graph.
"""
from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

from ..lexicon import package_set, package_words, word_pattern
from ..models import Mention, Sentence
from .parsed import CONTENT_TAGS, PROPER_TAGS, Parsed, frequency, parse, tag

if TYPE_CHECKING:
    from . import Context

__all__ = ["find", "find_all", "LEVEL_CHARS"]

# a level character alone before a name: 市公安局 is the city's 公安局
LEVEL_CHARS = frozenset("省市县区镇乡")
_MAX_STEM = 10
# organisations whose name is written before the place of the committee (共青团遵义市委员会)
_PARTY_PREFIXES = ("中国共产党", "中共", "共青团")
# below the county, a unit's level is written as a word: 街道党工委, 社区党委
_LOCAL_LEVEL_WORDS = frozenset({"街道", "社区"})
# heads of sub-units that only exist inside a parent written before them: a ministry's 司,
# a bank's 分行 and 支行 (财政部预算司, 湖南银行岳麓支行)
_SUB_UNIT_HEADS = frozenset({"司", "分行", "支行"})
# 驻 "stationed in": an office of the agency before it, in the place after it
_STATIONED = "驻"
# conjunctions that may join two words inside one name (人力资源和社会保障局, 农业与水资源部)
_INNER_CONJUNCTIONS = frozenset("和与及")
# nouns for "countries, regions" after a world region: 亚洲国家 is no name's prefix
_PLURAL_KINDS = frozenset({"国家", "地区", "各国", "城市"})
# committees that, inside a unit, are part of a member's post (公安局党委委员), not a unit
_COMMITTEE_HEADS = frozenset({"党委", "党组", "党总支"})
# organs of a party committee, written alone after it (县委常委、政法委书记)
_PARTY_ORGANS = frozenset({"政法委", "统战部", "组织部", "宣传部", "纪委", "纪委监委", "政研室", "改革办"})
# organs of the central state are named by these words as others are by a place
_NATIONAL_PREFIXES = ("中央", "国家", "国务院", "全国", "中共中央")
# heads of bodies that a proper word names on its own, with no place before it
_INSTITUTION_HEADS = frozenset(
    "公司 有限公司 股份有限公司 集团 银行 农商银行 合作社 医院 卫生院 学校 中学 小学 大学 学院 幼儿园 "
    "研究院 研究所 事务所 报社 电视台 出版社 协会 学会 研究会 联合会 商会 基金会 红十字会".split()
)
# heads of local stations, which are named after the place they serve (a village, a port, a pass)
_STATION_HEADS = frozenset({"派出所", "边境派出所", "检查站", "边境检查站", "边检站", "海关", "法庭", "人民法庭",
                            "司法所", "卫生院", "税务所", "供电所", "中心学校"})
# institutions often of a whole province or the nation (恒星大学, 省医学会): no county of the article
_WIDE_INSTITUTIONS = frozenset("大学 学院 研究院 研究所 协会 学会 研究会 联合会 基金会 红十字会 医院 银行".split())
_LISTED_APART = tuple(sorted(_INSTITUTION_HEADS | {"学院", "党校", "干部学校"}, key=len, reverse=True))
# tags of words that may sit inside a name only when it reaches a place or a unit
_WEAK_TAGS = frozenset({"v", "vd", "d", "a", "ad", "vi", "l", "i"})
# characters that open a phrase (prepositions, conjunctions): never the first of a name
_FUNCTION_CHARS = frozenset("以由向对在从将把被和与及或为于至到经让给使按据因")
_MEASURES = frozenset("级个家名位项次所条类种批座支")
_NUMERALS = frozenset("0123456789一二三四五六七八九十两百千")
# tags of words inside agency names: content words and set phrases (综合治理)
_PIECE_TAGS = CONTENT_TAGS | {"l"}
# single-character heads that need a name word of their own before them (湖南省厅 is no name)
_SINGLE_HEADS = frozenset("局厅部署所站院校办处科")
# words opening with these are references (全市, 各级, 该局), not names
_DETERMINERS = frozenset("全各该本每此这那其我某诸")


@functools.lru_cache(maxsize=4)
def _false_heads(heads: tuple[str, ...]) -> re.Pattern:
    """Words that end like a name but are none (党员干部 ends in 干部), as one regex anchored at the end."""
    words = [w for w in package_words("agency_false_heads.txt") if len(w) >= 2 and w not in heads]  # longest first
    return re.compile("(?:" + "|".join(map(re.escape, words)) + ")$")


@functools.lru_cache(maxsize=4)
def _false_head_words(heads: tuple[str, ...]) -> frozenset[str]:
    return frozenset(w for w in package_words("agency_false_heads.txt") if w not in heads)


@functools.cache
def _commission_stems() -> tuple[str, ...]:
    """卫生健康 (卫生健康委), 发展改革 ...: a commission named short, not a party committee."""
    return package_words("commission_stems.txt")


def _name_breaks() -> frozenset[str]:
    return package_set("name_breaks.txt")


def _compiled(context: Context) -> tuple[re.Pattern, re.Pattern | None]:
    """Head words and known names as two regexes, built once per context."""
    if "agency_patterns" not in context.cache:
        lexicon = context.lexicon
        known = sorted({n for full, shorts in lexicon.national_agencies.items() for n in (full, *shorts)},
                       key=lambda n: (-len(n), n))
        context.cache["agency_patterns"] = (
            word_pattern(lexicon.agency_suffixes), word_pattern(known) if known else None)
    return context.cache["agency_patterns"]


def _title_pattern(context: Context) -> re.Pattern:
    """Post titles as one regex, longest first, built once per context."""
    if "agency_titles" not in context.cache:
        titles = sorted(set(context.lexicon.titles), key=lambda t: (-len(t), t))
        context.cache["agency_titles"] = word_pattern(titles)
    return context.cache["agency_titles"]


def _false_head_tables(context: Context) -> tuple[re.Pattern, frozenset[str]]:
    """``_false_heads`` and ``_false_head_words`` of the context's heads, looked up once per context."""
    if "agency_false_heads" not in context.cache:
        heads = context.lexicon.agency_suffixes
        context.cache["agency_false_heads"] = (_false_heads(heads), _false_head_words(heads))
    return context.cache["agency_false_heads"]


def _head_titles(context: Context) -> frozenset[str]:
    """Posts that head people, not units (交警 and 刑警 name units: 交警支队), built once per context."""
    if "agency_head_titles" not in context.cache:
        context.cache["agency_head_titles"] = frozenset(t for t in context.lexicon.titles if t[-1] in "长记任理席官")
    return context.cache["agency_head_titles"]


def _is_ordinal(piece: str) -> bool:
    """第一, 第12: a unit's number, anywhere in its name (第一人民医院, 第三附属医院)."""
    return len(piece) > 1 and piece[0] == "第" and all(ch in _NUMERALS or ch.isdigit() for ch in piece[1:])


def _piece_ok(piece: str) -> tuple[bool, bool]:
    """(may sit in an agency name, is a proper name) for one word before the head."""
    if not piece or not all("\u4e00" <= ch <= "\u9fff" or ch.isdigit() for ch in piece):
        return False, False
    if piece.isdigit():
        return True, False
    word_tag = tag(piece)
    if word_tag is None:
        return True, len(piece) >= 2
    if word_tag.startswith("nr"):
        return True, len(piece) > 2 or frequency(piece) < 50  # jieba tags many words nr (养老, 智慧)
    if word_tag == "m":
        return True, False
    proper = word_tag in PROPER_TAGS or (word_tag == "j" and frequency(piece) < 20)
    return word_tag in _PIECE_TAGS, proper


class _Sentence:
    """The agencies of one sentence, found head by head from left to right."""

    def __init__(self, p: Parsed, places: list[Mention], context: Context):
        lexicon = context.lexicon
        self.p, self.text = p, p.text
        base = p.sentence.start
        self.places = {m.end - base: m.start - base for m in places}
        self.foreign = {m.end - base: m.start - base for m in places if m.attrs.get("level") == "country"}
        self.regions = {m.end - base: m for m in places if m.attrs.get("level") == "region"}
        self.place_spans = [(m.start - base, m.end - base) for m in places]
        self.units: dict[int, tuple[int, dict]] = {}  # end -> (start, attrs) of agencies found so far
        self.glued_titles: set[int] = set()  # heads written glued to a post (部长, 局长)
        self.known: list[tuple[int, int]] = []
        self.out: list[Mention] = []
        self.heads, known = _compiled(context)
        self.false_heads, self.false_head_words = _false_head_tables(context)
        self.titles = lexicon.titles
        self.title_pattern = _title_pattern(context)
        self.title_set = _head_titles(context)
        place_starts = {start for start, _ in self.place_spans}
        if known is not None:
            for m in known.finditer(self.text):
                starts = m.start() in p.bounds or m.start() in self.places
                # a known name ends a word: 交通部 is not in 交通部门
                ends = m.end() in p.bounds or m.end() in place_starts or self._title_at(m.end())
                if starts and ends:
                    self.known.append((m.start(), m.end()))

    def _inside(self, start: int, end: int, spans: list[tuple[int, int]]) -> bool:
        return any(a <= start and end <= b and (a, b) != (start, end) for a, b in spans)

    def _head_ok(self, hs: int, he: int) -> bool:
        text, p = self.text, self.p
        glued = he - hs == 1 and p.word_at(hs) == (hs, he + 1) and text[hs : he + 1] in self.title_set
        if glued:
            self.glued_titles.add(hs)  # 气候变化部长: the ministry and its minister, if a place names it
        elif he not in p.bounds and he not in self.places and not self._title_at(he) and not self._single_head_at(he):
            return False  # a head ends a word, or a one-character head follows (大学 + 校团委 cut 大|学校|团委)
        if self._inside(hs, he, self.place_spans) or self._inside(hs, he, self.known):
            return False
        ws, we = p.word_at(he - 1)
        word = text[ws:we]
        before, _ = p.word_at(hs - 1) if hs > 0 else (hs, hs)
        if text[before:he] in self.false_head_words:
            return False  # 手机 + 银行: a word and the head make a common noun
        if ws < hs and (self.false_heads.search(word) or (tag(word) in _WEAK_TAGS | {"vn"} and frequency(word) >= 10)):
            return False  # 党员干部, 举办: a word that ends like a name without being one
        if he - hs == 1 and text[hs - 1 : hs] in _NUMERALS:
            return False  # 12所, 三处: a measure word after a number
        if he - hs == 1 and he < len(text) and frequency(text[hs : he + 1]) > 100 and not glued:
            return False  # the head starts a common word that jieba missed: 部署, 局长, 处理
        if text[hs:he] == "委":
            # a party committee: right after a place (攸县委) or inside a word (政法委)
            # or after what a commission does (禁毒委, cut 禁毒 + 委)
            return (hs in self.places or ws < hs or text[hs - 1 : hs] in LEVEL_CHARS
                    or text[before:hs] in package_set("function_verbs.txt")
                    or text[:hs].endswith(_commission_stems()))
        return True

    def _single_head_at(self, pos: int) -> bool:
        found = self.heads.match(self.text, pos)
        return found is not None and found.end() - pos == 1

    def _begins_title(self, hs: int, he: int) -> bool:
        """The head begins a post title (党委委员, 办公室主任, 团委书记)."""
        found = self.title_pattern.match(self.text, hs)  # the longest title there
        return found is not None and found.end() - hs > he - hs

    def _title_at(self, pos: int) -> bool:
        """A post title starts at ``pos`` (jieba glues 法院院长, 委副主任 into one word)."""
        pos += self.text.startswith("副", pos)
        found = self.title_pattern.match(self.text, pos)
        return found is not None and found.end() - pos >= 2

    def _start(self, hs: int) -> tuple[int, bool, bool, str]:
        """Where the name ending at ``hs`` begins: (start, has place, has proper word, short level).

        A verb or adverb (应用, 高速) may sit inside a name that reaches a place or an
        earlier unit (长沙市公安局法制支队审核应用科); a name that reaches neither is cut
        after its nearest such word (成立反诈中心 -> 反诈中心).
        """
        text, p = self.text, self.p
        self.this, self.chained = "", False
        pos, stem, pieces, has_place, proper, level = hs, 0, 0, False, False, ""
        weak: list[int] = []  # where the name would start if cut after each weak word
        conjunction = 0  # where the name starts if a conjunction inside it turns out to join two names
        while pos > 0:
            if pos in self.units and (len(weak) > 1 or conjunction):
                break  # a clause, or a conjunction joining this name to the agency before
            if pos in self.units:
                start, attrs = self.units[pos]  # a chain: this unit follows another
                parent_place = "_bare" not in attrs and "_short" not in attrs
                self.chained = True
                return start, has_place or parent_place, True, str(attrs.get("_short", ""))
            if pos in self.places:
                if len(weak) > 1:
                    break  # too many verbs between the place and the head: a clause, not a name
                pos, has_place = self.places[pos], True
                continue
            if has_place and text[pos - 1 : pos] == _STATIONED and pos - 1 in self.units:
                pos -= 1  # 儿童基金会驻泰国代表处: the office, in that country, of the body before 驻
                continue
            if has_place and text[pos - 1 : pos] == _STATIONED and pos - 1 in self.foreign:
                pos = self.foreign[pos - 1]  # 中国驻美国大使馆: a country's mission
                break
            if has_place:
                pos -= next((len(x) for x in _PARTY_PREFIXES if text[max(0, pos - len(x)) : pos] == x), 0)
                break
            ws, _ = p.word_at(pos - 1)
            if pos - ws > 1:  # a place or unit may end inside a longer word (none inside one character)
                ws = max([ws, *(e for e in self.places if ws < e < pos), *(e for e in self.units if ws < e < pos)])
            piece = text[ws:pos]
            if piece in _LOCAL_LEVEL_WORDS:
                pos, level = ws, piece  # 街道党工委, 社区党委: the street or community of the article
                break
            if piece in _PLURAL_KINDS and self.regions.get(ws) is not None and pos != hs:
                break  # 亚洲国家培训中心: 'Asian countries', no name
            if (piece in _INNER_CONJUNCTIONS and pieces and not conjunction and ws not in self.units
                    and ws not in self.places):
                conjunction = pos  # 人力资源和社会保障局: read on, and keep it only if the name reaches a place
                pieces += 1
                stem += 1
                pos = ws
                continue
            if len(piece) == 2 and piece[0] in LEVEL_CHARS and piece[1] == "级":
                pos, level = ws, piece[0]  # 区级综治办公室: the district's
                break
            if text[pos - 1] in LEVEL_CHARS and (len(piece) == 1 or tag(piece) not in _PIECE_TAGS):
                before = self.places.get(pos - 1)
                if before is not None and text[pos - 2] == text[pos - 1]:
                    pos, has_place = before, True  # 攸县县委: the place, then its level again
                    continue
                pos, level = pos - 1, text[pos - 1]  # 市公安局, and 对市总工会 -> 市
                break
            if piece in self.title_set:
                break  # a post is no part of a name: 国务院总理作政府 -> no name
            determiner = piece[0] in _DETERMINERS and tag(piece) not in PROPER_TAGS and (
                len(piece) <= 2 or tag(piece) is not None)  # 全市, 各级, 该局; not 全顺, 全利达
            if determiner or piece in _name_breaks():
                if piece[0] in "该本" and len(piece) == 2 and piece[1] in _SINGLE_HEADS | {"委", "队"}:
                    self.this = piece[1]  # 该院第二检察部: a unit of the agency just named
                break
            ok, is_proper = _piece_ok(piece)
            piece_tag = tag(piece)
            if piece_tag is None and len(piece) > 1 and piece[0] in _FUNCTION_CHARS:
                pos = ws + 1  # jieba glued a preposition to a name: 在鑫宇 -> 鑫宇
                proper = True
                break
            if pos != hs and piece_tag not in PROPER_TAGS and not _is_ordinal(piece) and (
                    piece_tag in ("m", "q", "mq") or (piece[0] in _NUMERALS and piece[-1] in _MEASURES)):
                break  # 三级反诈中心: a number sits right before the head only (四海, 五金 are words)
            if stem + len(piece) > _MAX_STEM:
                break
            if (not ok and len(piece) == 1 and "\u4e00" <= piece <= "\u9fff" and piece not in _FUNCTION_CHARS
                    and not (piece_tag or "x").startswith(("p", "c", "u", "r", "y", "e", "o", "x", "m", "q"))):
                ok = True  # a name jieba cut into single characters (精 防办, 株洲 西 车站)
            if not ok:
                if piece_tag in _WEAK_TAGS and len(weak) < 2:
                    if not (pieces == 0 and piece in package_set("function_verbs.txt")):
                        weak.append(pos)  # 禁毒办, 信访局: what a unit does may name it
                else:
                    break
            pieces += 1
            stem += len(piece)
            proper = proper or is_proper
            pos = ws
        if conjunction and not (has_place or level):
            pos = max(pos, conjunction)  # 恒达集团总经理某某和长沙市公安局: two names, not one
        if not has_place and not level and weak:
            pos = max(pos, weak[0]) if conjunction else weak[0]
            proper = proper and any(_piece_ok(text[a:b])[1] for a, b in self.p.words if pos <= a and b <= hs)
        # a name does not begin with a number or measure word (两个公司, 一大队 stays)
        while pos < hs and text[pos].isdigit():
            pos += 1
        return pos, has_place, proper, level

    def run(self) -> list[Mention]:
        s = self.p.sentence
        for a, b in self.known:
            a = self.foreign.get(a, a)  # 美国国务院: a national name after a foreign country
            self.out.append(Mention("agency", self.text[a:b], s.start + a, s.start + b, s.index, attrs={"_named": True, "_known": True}))
            self.units[b] = (a, {"_known": True})
        for m in self.heads.finditer(self.text):
            hs, he = m.span()
            if not self._head_ok(hs, he):
                continue
            start, has_place, proper, level = self._start(hs)
            if start >= hs and self.text[hs:he] in _PARTY_ORGANS:
                # 区委常委、政法委书记: an organ named alone belongs to the committee of the article
                self.out.append(Mention("agency", self.text[hs:he], s.start + hs, s.start + he, s.index,
                                        attrs={"_bare": True, "_organ": True}))
                continue
            if start >= hs:
                continue
            head = self.text[hs:he]
            if head in _SINGLE_HEADS and (hs in self.places or hs in self.units):
                continue
            if hs in self.glued_titles and (not has_place or self.chained or self.text[hs - 1] == "副"):
                continue  # 局长 after a unit's name is its head's post (公安局副局长), no unit
            if head in _SUB_UNIT_HEADS and not (self.chained or (head != "司" and has_place)):
                continue
            if self._begins_title(hs, he) and (
                    (head in _COMMITTEE_HEADS and self.chained) or not (has_place or level or self.chained)):
                continue  # 党委委员 of a unit, 办公室主任 alone: part of a post title
            attrs: dict = {}
            if level:
                attrs["_short"] = level
            elif not has_place:
                attrs["_bare"] = True
                if self.this and start < hs:
                    attrs["_this"] = self.this
            national = self.text[start:hs].startswith(_NATIONAL_PREFIXES)
            if has_place or national or (proper and head in _INSTITUTION_HEADS):
                attrs["_named"] = True  # 恒达公司 names itself; 反诈中心 alone is a reference
                if not (has_place or national) and head not in _WIDE_INSTITUTIONS:
                    attrs["_firm"] = True  # a local firm or school: the county of the article
            elif proper and head in _STATION_HEADS and not self.chained:
                attrs["_named"] = True  # 柳溪边境派出所: a station named after its locality
            self.units[he] = (start, attrs)
            self.out.append(Mention("agency", self.text[start:he], s.start + start, s.start + he, s.index, attrs=attrs))
        self._share_levels_in_lists()
        return self.out

    def _level_of(self, m: Mention) -> str:
        """The level character of a unit: of its short form (县公安局), or of the last place in its name."""
        short = str(m.attrs.get("_short", ""))
        if short:
            return short if short in LEVEL_CHARS else ""
        base = self.p.sentence.start
        ends = [e for e, b in self.places.items() if m.start - base <= b and e <= m.end - base]
        return self.text[max(ends) - 1] if ends and self.text[max(ends) - 1] in "省市县区" else ""

    def _share_levels_in_lists(self) -> None:
        """县住建局、文旅局: a unit listed without a place after a county's unit is the county's."""
        base = self.p.sentence.start
        by_end: dict[int, list[Mention]] = {}
        for m in self.out:
            by_end.setdefault(m.end - base, []).append(m)
        for m in sorted(self.out, key=lambda m: (m.start, m.end)):
            start = m.start - base
            if (not m.attrs.get("_bare") or m.attrs.get("_this") or m.attrs.get("_organ") or start < 1
                    or m.name.endswith(_LISTED_APART)):
                continue  # schools, firms and associations listed with units are not the county's
            before = by_end.get(start - 1) if self.text[start - 1] == "、" else None
            level = self._level_of(max(before, key=lambda a: a.end - a.start)) if before else ""
            if level:
                del m.attrs["_bare"]
                m.attrs.update({"_short": level, "_listed": True})


def find_all(parsed: list[Parsed], places: list[Mention], context: Context) -> list[Mention]:
    """Agencies of a document, given its place mentions (which may sit inside agency names)."""
    by_sentence: dict[int, list[Mention]] = {}
    for m in places:
        by_sentence.setdefault(m.sentence, []).append(m)
    heads, known = _compiled(context)
    out: list[Mention] = []
    for p in parsed:
        if heads.search(p.text) or (known is not None and known.search(p.text)):  # else no agency is written
            out += _Sentence(p, by_sentence.get(p.sentence.index, []), context).run()
    return out


def find(sentence: Sentence, context: Context) -> list[Mention]:
    """Agencies of one sentence taken alone (its places found first)."""
    from . import places as place_recogniser

    p = parse(sentence)
    return find_all([p], place_recogniser.find_all([p], context), context)
