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
without its suffix (月塘 for 月塘街道) is the same place. Countries, foreign cities
and world regions come from lexicons/world_places.tsv.
"""
from __future__ import annotations

import functools
import importlib.resources
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..gazetteer import Division, Gazetteer, division_attrs, load_gazetteer
from ..lexicon import read_words
from ..models import Mention, Sentence
from .parsed import CONTENT_TAGS, PROPER_TAGS, Parsed, frequency, parse, tag

if TYPE_CHECKING:
    from . import Context

__all__ = ["find", "find_all", "LOCAL_LEVELS", "AMBIGUOUS"]

# ambiguous names that are places only right after the division they belong to
AMBIGUOUS = frozenset({"城区", "新区", "老城区", "新城区", "开发区", "高新区", "经开区", "郊区", "矿区", "市中区", "市辖区", "林区", "园区"})
_AMBIGUOUS_RE = re.compile("|".join(sorted(AMBIGUOUS, key=len, reverse=True)))
# suffix -> level of places below the county
LOCAL_LEVELS = {
    "街道": "street", "镇": "town", "乡": "township", "村": "village", "社区": "community",
    "小区": "compound", "花园": "compound", "家园": "compound", "大街": "road", "路": "road",
    "大道": "road", "公园": "park", "广场": "square", "大桥": "bridge",
    "市场": "market", "科技园": "park", "产业园": "park", "工业园": "park", "岛": "island",
}
_LOCAL_RE = re.compile("|".join(sorted(LOCAL_LEVELS, key=len, reverse=True)))
_MAX_STEM = 4
# tags of ordinary words: 会同 (together with) + 市交通运输局 is no 会同市
_ORDINARY_TAGS = frozenset({"n", "v", "vn", "a", "d", "ad", "c", "p", "r", "m", "q", "f", "l", "i"})
# characters that open a phrase (prepositions, conjunctions): never the first of a name
_FUNCTION_CHARS = frozenset("以由向对在从将把被和与及或为于至到经让给使按据因")
# single characters that never start a place's name: function words and determiners (每村, 全乡)
_NOT_IN_NAMES = _FUNCTION_CHARS | frozenset("全各该本每此这那其我某诸")
# places often named after a road: 桃园路小区, 新阳路街道, 解放路社区
_NAMED_AFTER_ROADS = frozenset({"compound", "street", "community"})
# "this county" and the like: what follows is a place inside the division the article is about
_THIS_DIVISION = frozenset({"该县", "该市", "该区", "该镇", "该乡", "本县", "本市", "本区"})
# a short name of these levels may stand alone (长沙, 湖南) unless it is an ordinary word
_STANDALONE_LEVELS = ("province", "prefecture")


@functools.lru_cache(maxsize=8)
def _package_set(name: str) -> frozenset[str]:
    text = (importlib.resources.files("kg") / "lexicons" / name).read_text(encoding="utf-8")
    return frozenset(read_words(text))


def _generic_places() -> frozenset[str]:
    return _package_set("generic_places.txt")


@dataclass
class _Candidate:
    parsed: Parsed
    start: int  # in the sentence
    end: int
    name: str
    divisions: list[Division]
    foreign: bool = False
    extended: bool = False  # a short name with its level character (峨边县)

    @property
    def full(self) -> bool:
        return self.foreign or self.extended or any(d.name == self.name for d in self.divisions)


def _scan_divisions(p: Parsed, gaz: Gazetteer) -> list[_Candidate]:
    """Longest gazetteer names that start where a word starts, left to right."""
    text, out, i = p.text, [], 0
    starts = set(p.bounds)
    while i < len(text):
        if i not in starts:
            i += 1
            continue
        found = None
        for length in gaz.lengths_by_first.get(text[i], ()):
            if length < 2 or i + length > len(text):
                continue
            name = text[i : i + length]
            if name in AMBIGUOUS:
                continue
            if name in gaz.foreign:
                found = _Candidate(p, i, i + length, name, [], foreign=True)
                break
            divisions = gaz.lookup(name)
            if divisions:
                found = _Candidate(p, i, i + length, name, divisions)
                break
        if found is None:
            i += 1
            continue
        if not found.full and found.end < len(text) and any(
                text[found.end] == d.name[-1]
                # a county that became a city (宁乡县 -> 宁乡市), where 市 ends a word
                or (text[found.end] == "市" and d.level == "county" and found.end + 1 in p.bounds
                    and tag(found.name) not in _ORDINARY_TAGS)
                for d in found.divisions):
            # 峨边县 for 峨边彝族自治县: the short name and its level character
            found = _Candidate(p, found.start, found.end + 1, text[found.start : found.end + 1], found.divisions)
            found.extended = True
            if found.name in AMBIGUOUS:  # 老城 + 区 is no name of its own
                i += 1
                continue
        # a short name, or a two-character full name (任县), must end where a word ends:
        # 新乡 is not in 新乡村, 任县 is not in 任县委书记
        elif (not found.full and found.end not in p.bounds) or (
                len(found.name) == 2 and found.divisions and all(d.level == "county" for d in found.divisions)
                and (found.end not in p.bounds or found.start + 1 in p.bounds)):
            i += 1
            continue
        out.append(found)
        starts.add(found.end)
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
    return c.name not in _package_set("place_homographs.txt")


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
    out = []
    for c in kept:
        s = c.parsed.sentence
        if c.foreign:
            attrs = {"level": gaz.foreign_level[c.name], "parent": gaz.foreign[c.name]}
        else:
            division = gaz.choose(c.divisions, written)
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
        if not ok or ps - piece_start > _MAX_STEM:
            break
        if ps - pos >= 2 and not _is_division_name(piece):
            break  # a second word only when it is a division's name: 西湖 + 矿山公园
        proper = proper or is_proper
        pos = piece_start
    return pos, proper


def _local_mentions(p: Parsed, taken: list[Mention]) -> list[Mention]:
    """Towns, villages, streets, roads, compounds: a name-like stem before a suffix."""
    text, s = p.text, p.sentence
    ends = {m.end - s.start: m for m in taken}
    spans = [(m.start - s.start, m.end - s.start) for m in taken]
    generic = _generic_places()
    out: list[Mention] = []
    for m in _LOCAL_RE.finditer(text):
        ps, pe = m.start(), m.end()
        level = LOCAL_LEVELS[m.group(0)]
        if pe not in p.bounds or any(a < pe and ps < b for a, b in spans):
            continue
        ws, we = p.word_at(ps)
        if ws < ps and tag(text[ws:we]) not in {None, *PROPER_TAGS}:
            continue  # the suffix ends an ordinary word: 乡村, 农村, 城乡
        previous = ends.get(ps)
        if previous is not None and previous.attrs.get("level") == "road" and level in _NAMED_AFTER_ROADS:
            out.remove(previous)  # 桃园路 + 小区 is one compound: 桃园路小区; 新阳路街道 one street
            spans.remove((previous.start - s.start, previous.end - s.start))
            ends.pop(ps)
            ps = previous.start - s.start
        limit = max((e for e in ends if e <= ps), default=0)
        stem_start, proper = (ps, True) if previous is not None and ps < m.start() else _local_stem(p, ps, limit)
        stem = text[stem_start : m.start()]
        name = text[stem_start:pe]
        after_place = stem_start in ends or text[max(0, stem_start - 2) : stem_start] in _THIS_DIVISION
        short_ok = len(stem) == 1 and len(m.group(0)) > 1 and after_place  # 东大街 after 岳麓区
        if (len(stem) < 2 and not short_ok) or name in generic or stem in generic:
            continue
        if not (proper or (after_place and len(stem) <= 3 and (tag(stem) is None or frequency(stem) < 200))):
            continue
        mention = Mention("place", name, s.start + stem_start, s.start + pe, s.index, attrs={"level": level})
        out.append(mention)
        spans.append((stem_start, pe))
        ends[pe] = mention
    return out


def _ambiguous_mentions(p: Parsed, taken: list[Mention]) -> list[Mention]:
    """高新区, 开发区 ... only right after a division: 长沙市高新区."""
    s = p.sentence
    ends = {m.end - s.start for m in taken if m.attrs.get("adcode")}
    out = []
    for m in _AMBIGUOUS_RE.finditer(p.text):
        if m.start() in ends:
            out.append(Mention("place", m.group(0), s.start + m.start(), s.start + m.end(), s.index,
                               attrs={"level": "zone"}))
    return out


def find_all(parsed: list[Parsed], context: Context) -> list[Mention]:
    """Places of a whole document (short names and ambiguity need the whole document)."""
    divisions = _division_mentions(parsed, context.gazetteer)
    by_sentence: dict[int, list[Mention]] = {}
    for m in divisions:
        by_sentence.setdefault(m.sentence, []).append(m)
    out = list(divisions)
    locals_found: list[Mention] = []
    for p in parsed:
        taken = by_sentence.get(p.sentence.index, [])
        zones = _ambiguous_mentions(p, taken)
        found = _local_mentions(p, taken + zones)
        locals_found += found
        out += zones + found
    out += _local_short_names(parsed, locals_found, out)
    return sorted(out, key=lambda m: (m.start, m.end))


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
    out = []
    for p in parsed:
        s = p.sentence
        busy = [(m.start - s.start, m.end - s.start) for m in taken if m.sentence == s.index]
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
