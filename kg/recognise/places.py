"""Places: divisions from the gazetteer, and towns, villages, roads by their suffixes.

A division is written in full (岳麓区), short (岳麓) or after its parent (长沙岳麓).
Full names are taken where a word starts; short names are common words as often
as places (公安, 资源, 平安 are county short names), so a short name is kept only
when the document also writes the full name, when it follows a division above it,
or when it names a province or prefecture and is no ordinary word (来宾, 日照:
lexicons/place_homographs.txt). Ambiguous names (朝阳区 exists twice) are settled
by the other divisions written in the document. Below the county level, names are
a stem and a suffix (青山镇, 柳树村, 月塘街道): the stem is one jieba word that
looks like a name, not a verb or a common noun; a town or street written later
without its suffix (月塘 for 月塘街道) is the same place, and a town found in one
sentence is found again where jieba cut it apart (白沙埠 + 镇长 + 林村). Rivers and
lakes are jieba's place words ending in 河, 江, 湖; a park or bridge after a road or
river takes its name (滨河公园); an airport starts with its city (成都 + 天府国际机场);
a zone after a short name is one proper name (郑州新区, 无锡工业园区). Countries,
foreign cities and world regions come from lexicons/world_places.tsv; foreign
counties end in 郡.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..gazetteer import Division, Gazetteer, division_attrs, load_gazetteer
from ..lexicon import package_set
from ..models import Mention, Sentence
from .parsed import CONTENT_TAGS, PROPER_TAGS, Parsed, frequency, parse, tag

if TYPE_CHECKING:
    from . import Context

__all__ = ["find", "find_all", "LOCAL_LEVELS", "AMBIGUOUS"]

# ambiguous names that are places only right after the division they belong to
AMBIGUOUS = frozenset({"城区", "新区", "老城区", "新城区", "开发区", "高新区", "经开区", "郊区", "矿区", "市中区", "市辖区", "林区", "园区",
                       "工业园区", "经济技术开发区", "经济开发区", "高新技术产业开发区", "保税区", "综合保税区", "自贸区",
                       "自由贸易试验区", "保税港区"})
_AMBIGUOUS_RE = re.compile("|".join(sorted(AMBIGUOUS, key=len, reverse=True)))
# zones whose name says what they are: after a county's short name, the two name one zone
# (常熟经济技术开发区), though the short name alone would be too ambiguous to be a place
_ZONES = frozenset({"开发区", "高新区", "经开区", "工业园区", "经济技术开发区", "经济开发区", "高新技术产业开发区",
                    "保税区", "综合保税区", "保税港区"})
# suffix -> level of places below the county
LOCAL_LEVELS = {
    "街道": "street", "镇": "town", "乡": "township", "村": "village", "社区": "community",
    "小区": "compound", "花园": "compound", "家园": "compound", "大街": "road", "路": "road",
    "大道": "road", "公园": "park", "广场": "square", "大桥": "bridge",
    "市场": "market", "科技园": "park", "产业园": "park", "工业园": "park", "岛": "island",
    "机场": "airport", "国际机场": "airport", "郡": "region", "桥": "bridge",
}
_LOCAL_RE = re.compile("|".join(sorted(LOCAL_LEVELS, key=len, reverse=True)))
_MAX_STEM = 4
# tags of ordinary words: 会同 (together with) + 市交通运输局 is no 会同市
_ORDINARY_TAGS = frozenset({"n", "v", "vn", "a", "d", "ad", "c", "p", "r", "m", "q", "f", "l", "i"})
# characters that open a phrase (prepositions, conjunctions): never the first of a name
_FUNCTION_CHARS = frozenset("以由向对在从将把被和与及或为于至到经让给使按据因")
# single characters that never start a place's name: function words and determiners (每村, 全乡)
_NOT_IN_NAMES = _FUNCTION_CHARS | frozenset("全各该本每此这那其我某诸")
# places often named after a road or a river: 桃园路小区, 新阳路街道, 滨河公园, 清水河大桥
_NAMED_AFTER_ROADS = frozenset({"compound", "street", "community", "park", "bridge", "square"})
_ROADS_AND_WATERS = frozenset({"road", "river", "lake"})
_ONLY_AFTER_ROADS = frozenset({"桥"})
# jieba lists some villages and towns as rare nouns (前宋村); not roads (农村公路)
_VILLAGE_LEVELS = frozenset({"village", "town", "township"})
# administrative units whose two- or three-character stem may be an ordinary noun (桂园街道, 桃李社区)
_ADMINISTRATIVE = frozenset({"street", "town", "township", "community"})
# a stem ending like a kind of place (城区街道, 乡镇街道) names no one place
_KIND_ENDINGS = frozenset("区镇乡村城市县省")
# levels whose name starts with the division written right before it (成都 + 天府国际机场)
_NAMED_WITH_CITY = frozenset({"airport"})
# suffixes that jieba glues to an unknown name or a place word after them (龙溪 + 镇明珠 + 小区, 镇西)
_GLUED_SUFFIXES = frozenset({"镇", "乡", "村"})
# last characters of rivers and lakes that jieba knows as place words (鄱阳湖, 洞庭湖)
_WATER_ENDINGS = {"河": "river", "江": "river", "湖": "lake"}
_WATER_ENDING_RE = re.compile("[" + "".join(_WATER_ENDINGS) + "]")
# tags of the characters jieba cuts a rare name into (茈 + 碧湖镇, 范 + 罗山街道)
_NAME_CHAR_TAGS = frozenset({None, "nr", "nrt", "nrfg", "zg", "ng", "ns"})
# "this county" and the like: what follows is a place inside the division the article is about
_THIS_DIVISION = frozenset({"该县", "该市", "该区", "该镇", "该乡", "本县", "本市", "本区"})
# a short name of these levels may stand alone (长沙, 湖南) unless it is an ordinary word
_STANDALONE_LEVELS = ("province", "prefecture")


def _generic_places() -> frozenset[str]:
    return package_set("generic_places.txt")


@dataclass
class _Candidate:
    parsed: Parsed
    start: int  # in the sentence
    end: int
    name: str
    divisions: list[Division]
    foreign: bool = False
    extended: bool = False  # a short name with its level character (峨边县)
    full: bool = field(init=False)  # written in full: no short name

    def __post_init__(self) -> None:
        self.full = self.foreign or self.extended or any(d.name == self.name for d in self.divisions)


def _scan_divisions(p: Parsed, gaz: Gazetteer) -> list[_Candidate]:
    """Longest gazetteer names that start where a word starts, left to right."""
    text, out = p.text, []
    # the scan moves from one word start where a name may begin (or the end of a name found)
    # to the next; the text's end closes the list, so a next start always exists
    prefixes, names = gaz.prefixes, gaz.names
    starts = [a for a, _ in p.words if text[a : a + 2] in prefixes] + [len(text)]
    i, size = 0, len(text)
    while i < size:
        # the longest name of two characters or more at i: walk on while a name may go on
        name, end = "", i + 2
        piece = text[i:end]
        while end <= size and piece in prefixes:
            if piece in names and piece not in AMBIGUOUS:
                name = piece
            end += 1
            piece = text[i:end]
        if not name:
            i = starts[bisect.bisect_right(starts, i)]
            continue
        if name in gaz.foreign:
            found = _Candidate(p, i, i + len(name), name, [], foreign=True)
        else:
            found = _Candidate(p, i, i + len(name), name, gaz.lookup(name))
        if not found.full and found.end < len(text) and any(
                text[found.end] == d.name[-1]
                # a county that became a city (宁乡县 -> 宁乡市), where 市 ends a word
                or (text[found.end] == "市" and d.level == "county" and found.end + 1 in p.bounds
                    and tag(found.name) not in _ORDINARY_TAGS)
                for d in found.divisions):
            # 峨边县 for 峨边彝族自治县: the short name and its level character
            found = _Candidate(p, found.start, found.end + 1, text[found.start : found.end + 1], found.divisions,
                               extended=True)
            if found.name in AMBIGUOUS:  # 老城 + 区 is no name of its own
                i = starts[bisect.bisect_right(starts, i)]
                continue
        # a short name, or a two-character full name (任县), must end where a word ends:
        # 新乡 is not in 新乡村, 任县 is not in 任县委书记
        elif (not found.full and found.end not in p.bounds and not _AMBIGUOUS_RE.match(text, found.end)) or (
                len(found.name) == 2 and found.divisions and all(d.level == "county" for d in found.divisions)
                and (found.end not in p.bounds or found.start + 1 in p.bounds)):
            i = starts[bisect.bisect_right(starts, i)]
            continue
        out.append(found)
        i = found.end
    return out


def _keep_short(c: _Candidate, previous: _Candidate | None, full_codes: set[str]) -> bool:
    """Whether a short name (岳麓, 长沙) is a place here rather than a common word."""
    codes = {d.adcode for d in c.divisions}
    if codes & full_codes:
        return True
    if previous is not None and previous.end == c.start and previous.divisions:
        parents = {d.parent for d in c.divisions}
        if any(d.adcode in parents for d in previous.divisions):
            return True
    if all(d.level not in _STANDALONE_LEVELS for d in c.divisions):
        return False
    return c.name not in package_set("place_homographs.txt")


def _division_mentions(parsed: list[Parsed], gaz: Gazetteer) -> list[Mention]:
    candidates = [_scan_divisions(p, gaz) for p in parsed]
    full_codes = {d.adcode for cs in candidates for c in cs if c.full for d in c.divisions
                  if d.name == c.name or (c.extended and len(c.divisions) == 1)}
    kept: list[_Candidate] = []
    for cs in candidates:
        previous = None
        for c in cs:
            if c.full or _keep_short(c, previous, full_codes):
                kept.append(c)
                previous = c
            else:
                previous = None
    written = {c.divisions[0].adcode for c in kept if len(c.divisions) == 1}
    below = gaz.below(written)
    out = []
    for c in kept:
        s = c.parsed.sentence
        if c.foreign:
            attrs = {"level": gaz.foreign_level[c.name], "parent": gaz.foreign[c.name]}
        else:
            division = gaz.choose(c.divisions, written, below)
            attrs = division_attrs(division, gaz) if division else {}
        out.append(Mention("place", c.name, s.start + c.start, s.start + c.end, s.index, attrs=attrs))
    return out


def _is_name_word(word: str, whole: str) -> tuple[bool, bool]:
    """(may sit in a place name, looks like a proper name) for a stem piece."""
    if not word or not all("\u4e00" <= ch <= "\u9fff" for ch in word):
        return False, False
    whole_tag = tag(whole)
    if whole != word and whole_tag is None:
        return True, True  # the HMM made one unknown word of stem and suffix: a name
    word_tag = tag(word)
    if word_tag is None:
        return True, True
    # villages and towns are often named like other places (青山村 and 青山区)
    return word_tag in CONTENT_TAGS, word_tag in PROPER_TAGS or word in load_gazetteer().by_short


def _is_division_name(word: str) -> bool:
    gaz = load_gazetteer()
    return bool(gaz.lookup(word)) or word in gaz.foreign


def _local_stem(p: Parsed, ps: int, limit: int) -> tuple[int, bool]:
    """Where the name before a suffix at ``ps`` starts, and whether it looks like a proper name.

    The stem is one jieba word (青山, 柳树, 桃花岭), two when the first is a single
    character; it is cut at ``limit`` (the end of the place written before it).
    """
    text, pos, proper = p.text, ps, False
    after = limit if limit > 0 else -1  # the end of the place written before, where a name may start
    while pos > limit:
        w_start, w_end = p.word_at(pos - 1)
        piece_start = max(w_start, limit)
        piece = text[piece_start:pos]
        if piece in _FUNCTION_CHARS:
            break
        if len(piece) > 1 and piece[0] in _FUNCTION_CHARS and tag(piece) is None:
            piece_start, piece = piece_start + 1, piece[1:]  # 由乡 -> 乡, 以老旧 -> 老旧
            limit = piece_start
        whole = text[w_start:w_end] if w_end > pos else piece
        ok, is_proper = _is_name_word(piece, whole)
        if len(piece) == 1 and ps - pos == 1 and "\u4e00" <= piece <= "\u9fff" and piece not in _NOT_IN_NAMES:
            ok = True  # jieba split a name: 青 + 山镇
        if (len(piece) == 1 and ps - pos == 2 and piece not in _NOT_IN_NAMES and piece not in _KIND_ENDINGS
                and "\u4e00" <= piece <= "\u9fff" and (tag(piece) in _NAME_CHAR_TAGS or piece_start == after)):
            # a rare first character cut off by jieba (茈 + 碧湖镇), or any one between the
            # division and the name (攸县 + 三 + 桃源镇)
            return piece_start, proper
        if not ok or ps - piece_start > _MAX_STEM:
            break
        if ps - pos >= 2 and not _is_division_name(piece):
            break  # a second word only when it is a division's name: 西湖 + 矿山公园
        proper = proper or is_proper
        pos = piece_start
    return pos, proper


def _water_mentions(p: Parsed, spans: list[tuple[int, int]]) -> list[Mention]:
    """Rivers and lakes: a place word of jieba's that ends in 河, 江 or 湖 (洞庭湖, 鄱阳湖).

    A transliterated name that jieba cut into name pieces before such a word is part of
    it (布尔 + 哈 + 通河); a single character is not (王 + 海河 is a person's name), nor
    an unknown word (善美 + 平湖).
    """
    text, s = p.text, p.sentence
    generic = _generic_places()
    out = []
    for ending in _WATER_ENDING_RE.finditer(text):  # only words that end in 河, 江 or 湖
        ws, we = p.word_at(ending.start())
        word = text[ws:we]
        if we != ending.end() or len(word) < 2 or tag(word) != "ns" or word in generic:
            continue
        if any(a < we and ws < b for a, b in spans):
            continue
        start = ws
        while start > 0:
            a, b = p.word_at(start - 1)
            piece = text[a:b]
            if not (tag(piece) or "").startswith("nr") or any(x < b and a < y for x, y in spans) or not all(
                    "\u4e00" <= ch <= "\u9fff" for ch in piece) or piece[0] in _NOT_IN_NAMES:
                break
            start = a
        if ws - start < 2 or we - start > 8:
            start = ws
            if _is_division_name(word):
                continue  # 平湖, 罗湖 name divisions (平湖市, 罗湖区): the division scanner reads them
        out.append(Mention("place", text[start:we], s.start + start, s.start + we, s.index,
                           attrs={"level": _WATER_ENDINGS[word[-1]]}))
    return out


def _suffix_ends_word(p: Parsed, ps: int, pe: int) -> bool:
    """The suffix ends a word, or opens an unknown word that jieba glued to the next name (镇 + 明珠)."""
    if pe in p.bounds:
        return True
    ws, we = p.word_at(ps)
    return ws == ps and p.text[ps:pe] in _GLUED_SUFFIXES and tag(p.text[ws:we]) in (None, "ns")


def _local_mentions(p: Parsed, taken: list[Mention]) -> list[Mention]:
    """Towns, villages, streets, roads, compounds: a name-like stem before a suffix."""
    text, s = p.text, p.sentence
    if not _LOCAL_RE.search(text) and not _WATER_ENDING_RE.search(text):
        return []  # no suffix of a local place, no river or lake
    spans = [(m.start - s.start, m.end - s.start) for m in taken]
    out: list[Mention] = _water_mentions(p, spans)
    ends = {m.end - s.start: m for m in taken + out}
    spans += [(m.start - s.start, m.end - s.start) for m in out]
    generic = _generic_places()
    for m in _LOCAL_RE.finditer(text):
        ps, pe = m.start(), m.end()
        level = LOCAL_LEVELS[m.group(0)]
        if not _suffix_ends_word(p, ps, pe) or any(a < pe and ps < b for a, b in spans):
            continue
        ws, we = p.word_at(ps)
        # a word after a road or a river names a place on it (洞庭湖 + 断桥)
        named_after = ends.get(ws) if ws < ps and level in _NAMED_AFTER_ROADS else None
        if named_after is not None and not (named_after in out and named_after.attrs.get("level") in _ROADS_AND_WATERS):
            named_after = None
        if (ws < ps and tag(text[ws:we]) not in {None, *PROPER_TAGS} and named_after is None
                and not (level in _VILLAGE_LEVELS and _rare_place_word(text[ws:we]))):
            continue  # the suffix ends an ordinary word: 乡村, 农村, 城乡
        if m.group(0) in _ONLY_AFTER_ROADS and named_after is None:
            continue  # 桥 ends too many words (石桥, 桥梁); a bridge is taken on its river only
        previous = named_after or ends.get(ps)
        if (previous is not None and previous in out and previous.attrs.get("level") in _ROADS_AND_WATERS
                and level in _NAMED_AFTER_ROADS):
            out.remove(previous)  # 桃园路 + 小区 is one compound: 桃园路小区; 新阳路街道 one street
            spans.remove((previous.start - s.start, previous.end - s.start))
            ends.pop(previous.end - s.start)
            ps = previous.start - s.start
        limit = max((e for e in ends if e <= ps), default=0)
        stem_start, proper = (ps, True) if previous is not None and ps < m.start() else _local_stem(p, ps, limit)
        stem = text[stem_start : m.start()]
        name = text[stem_start:pe]
        after_place = stem_start in ends or text[max(0, stem_start - 2) : stem_start] in _THIS_DIVISION
        short_ok = len(stem) == 1 and len(m.group(0)) > 1 and after_place  # 东大街 after 岳麓区
        if (len(stem) < 2 and not short_ok) or name in generic or stem in generic:
            continue
        if not (proper or (after_place and len(stem) <= 3 and (tag(stem) is None or frequency(stem) < 200))
                or _administrative_stem(stem, level) or (level in _NAMED_WITH_CITY and after_place)):
            continue
        attrs: dict = {"level": level}
        city = ends.get(stem_start)
        if level in _NAMED_WITH_CITY and city is not None and city.attrs.get("adcode"):
            stem_start, attrs["_within"] = city.start - s.start, city.name  # 成都 + 天府国际机场
            name = text[stem_start:pe]
        mention = Mention("place", name, s.start + stem_start, s.start + pe, s.index, attrs=attrs)
        out.append(mention)
        spans.append((stem_start, pe))
        ends[pe] = mention
    return out


def _rare_place_word(word: str) -> bool:
    """A rare dictionary word built like a place (jieba lists some villages as nouns: 前宋村)."""
    return len(word) >= 3 and tag(word) == "n" and frequency(word) < 10


def _administrative_stem(stem: str, level: str) -> bool:
    """A street or town may be named by an ordinary noun (桂园街道): not a frequent one, not a kind of place."""
    # communities are named after many more ordinary words (协同社区治理): only rarer ones there
    most = 300 if level == "community" else 1000
    return (level in _ADMINISTRATIVE and 2 <= len(stem) <= 3 and stem[-1] not in _KIND_ENDINGS
            and tag(stem) in {"n", "nz", "ns", "j", "nr", "nrt"} and frequency(stem) < most
            and stem not in package_set("name_breaks.txt"))


def _ambiguous_mentions(p: Parsed, taken: list[Mention]) -> list[Mention]:
    """高新区, 开发区 ... only right after a division: 长沙市高新区.

    After a short name the two make one proper name (郑州新区, 无锡新区), which is
    not read as a zone inside the city.
    """
    s = p.sentence
    ends = {m.end - s.start: m for m in taken if m.attrs.get("adcode")}
    gaz = load_gazetteer()
    out = []
    for m in _AMBIGUOUS_RE.finditer(p.text):
        division = ends.get(m.start())
        if division is None and m.group(0) in _ZONES:
            out += _zone_after_short_name(p, m, gaz, taken)
        if division is None:
            continue
        full = gaz.by_code.get(str(division.attrs["adcode"]))
        if full is not None and division.name != full.name and division.name[-1] != full.name[-1]:
            out.append(Mention("place", division.name + m.group(0), division.start, s.start + m.end(), s.index,
                               attrs={"level": "zone", "_named": True, "_within_code": str(division.attrs["adcode"])}))
        else:
            out.append(Mention("place", m.group(0), s.start + m.start(), s.start + m.end(), s.index,
                               attrs={"level": "zone"}))
    return out


def _zone_after_short_name(p: Parsed, zone: re.Match, gaz, taken: list[Mention]) -> list[Mention]:
    """常熟经济技术开发区: a zone right after the short name of one county, a word of its own."""
    s, start = p.sentence, zone.start()
    if any(m.start - s.start < start < m.end - s.start for m in taken):
        return []  # the zone word is part of a place already found
    for length in (3, 2):
        stem = p.text[max(0, start - length) : start]
        candidates = gaz.by_short.get(stem, []) if len(stem) == length else []
        if len(candidates) == 1 and (start - length) in p.bounds:
            return [Mention("place", stem + zone.group(0), s.start + start - length, s.start + zone.end(), s.index,
                            attrs={"level": "zone", "_named": True, "_within_code": candidates[0].adcode})]
    return []


def find_all(parsed: list[Parsed], context: Context) -> list[Mention]:
    """Places of a whole document (short names and ambiguity need the whole document)."""
    divisions = _division_mentions(parsed, context.gazetteer)
    by_sentence: dict[int, list[Mention]] = {}
    for m in divisions:
        by_sentence.setdefault(m.sentence, []).append(m)
    out = list(divisions)
    locals_found: list[Mention] = []
    found_in: dict[int, tuple[list[Mention], list[Mention]]] = {}
    for p in parsed:
        taken = by_sentence.get(p.sentence.index, []) + _ambiguous_mentions(p, by_sentence.get(p.sentence.index, []))
        found_in[p.sentence.index] = (taken, _local_mentions(p, taken))
    # a town found in one sentence is the same town where jieba cut it apart (白沙埠 + 镇长 + 林村)
    towns = {m.name: m for _, found in found_in.values() for m in found
             if m.attrs.get("level") in _ADMINISTRATIVE and len(m.name) >= 3}
    for p in parsed:
        taken, found = found_in[p.sentence.index]
        missed = _missed_names(p, towns, taken + found)
        if missed:
            found = _local_mentions(p, taken + missed) + missed
        locals_found += found
        out += [m for m in taken if m.attrs.get("level") == "zone"] + found
    out += _local_short_names(parsed, locals_found, out)
    return sorted(out, key=lambda m: (m.start, m.end))


def _missed_names(p: Parsed, names: dict[str, Mention], taken: list[Mention]) -> list[Mention]:
    """Mentions of ``names`` in a sentence that no mention covers, wherever jieba's words end."""
    s = p.sentence
    busy = [(m.start - s.start, m.end - s.start) for m in taken]
    out = []
    for name, model in names.items():
        for start in _find_all(p.text, name):
            end = start + len(name)
            if start in p.bounds and not any(a < end and start < b for a, b in busy):
                out.append(Mention("place", name, s.start + start, s.start + end, s.index, attrs=dict(model.attrs)))
                busy.append((start, end))
    return out


def _find_all(text: str, name: str) -> list[int]:
    out, i = [], text.find(name)
    while i >= 0:
        out.append(i)
        i = text.find(name, i + len(name))
    return out


def _local_short_names(parsed: list[Parsed], local: list[Mention], taken: list[Mention]) -> list[Mention]:
    """A town or street written without its suffix elsewhere in the document (月塘 for 月塘街道)."""
    stems: dict[str, Mention] = {}
    for m in local:
        for suffix in ("街道", "镇", "乡"):
            if m.name.endswith(suffix) and len(m.name) - len(suffix) >= 2:
                stems.setdefault(m.name[: -len(suffix)], m)
    if not stems:
        return []
    spans = {(m.sentence, m.start, m.end) for m in taken}
    pattern = re.compile("|".join(map(re.escape, sorted(stems, key=len, reverse=True))))
    taken_in: dict[int, list[Mention]] = {}
    for m in taken:
        taken_in.setdefault(m.sentence, []).append(m)
    out = []
    for p in parsed:
        s = p.sentence
        busy = [(m.start - s.start, m.end - s.start) for m in taken_in.get(s.index, [])]
        for hit in pattern.finditer(p.text):
            a, b = hit.span()
            if a not in p.bounds or b not in p.bounds or any(x < b and a < y for x, y in busy):
                continue
            full = stems[hit.group(0)]
            if (s.index, s.start + a, s.start + b) not in spans:
                out.append(Mention("place", hit.group(0), s.start + a, s.start + b, s.index,
                                   attrs={"level": full.attrs.get("level", ""), "_of": full.name}))
    return out


def find(sentence: Sentence, context: Context) -> list[Mention]:
    """Places of one sentence taken as a whole document."""
    return find_all([parse(sentence)], context)
