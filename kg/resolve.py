"""Group the mentions of a document into entities.

Mentions that denote the same thing get one canonical name, the most complete
form written:

- places by their gazetteer code (岳麓区 / 长沙岳麓 / 湖南省长沙市岳麓区);
- agencies by the place written in them and the rest of the name, normalised
  (长沙浏阳公安局 / 浏阳市公安局, 攸县检察院 / 攸县人民检察院);
- short forms without a place (市公安局, 县委, 区信访局) by the agency of that level
  written in the same article (``Sentence.section``), or else by the place of that
  level the article is about (市妇联 in an article about 株洲 -> 株洲市妇联);
- forms without any place (交警支队, 反诈中心) by the agency of the article whose
  name ends with them; generic ones that match nothing (派出所, 有关部门) are dropped;
- abbreviations of national_agencies.tsv by their full name when it is written too.

Anonymised people (王某, 李某某, 张先生) are dropped unless the config keeps them,
and are then never merged across documents. Private mention attributes (``_place``:
the key of the place an agency is located in) are left for ``relate.structure``;
entity attributes keep only public ones.
"""
from __future__ import annotations

import functools
import re
from collections import Counter, defaultdict

from .models import Entity, Mention, Sentence
from .recognise import Context

__all__ = ["resolve", "is_anonymised", "is_abbreviation", "agency_remainder", "level_of"]

_ANONYMISED = re.compile(r"^.{1,2}(?:某+|先生|女士|老师|师傅|阿姨|大爷|大妈)$|^[老小].$")
# long official forms -> the form of the short name (人民检察院 -> 检察院, 政法委员会 -> 政法委)
_NORMALISE = (
    ("人民检察院", "检察院"), ("人民法院", "法院"), ("人民政府", "政府"), ("委员会", "委"), ("办公室", "办"),
    ("出入境边防检查", "边检"), ("社会治安综合治理", "综治"), ("市场监督管理", "市场监管"),
    ("人力资源和社会保障", "人社"), ("纪律检查委", "纪委"), ("中共", ""),
)
# level characters of short forms -> place levels they stand for
_LEVELS = {
    "省": ("province",), "市": ("prefecture",), "县": ("county",), "区": ("county",),
    "镇": ("town",), "乡": ("township",), "街道": ("street",), "社区": ("community",),
}
_LEVEL_SUFFIX = {"省": "省", "市": "市", "县": "县", "区": "区", "镇": "镇", "乡": "乡", "街道": "街道", "社区": "社区"}
_LOCAL_LEVELS = ("镇", "乡", "街道", "社区")


def is_anonymised(name: str) -> bool:
    return bool(_ANONYMISED.match(name))


@functools.lru_cache(maxsize=65536)  # resolution asks it of every form for every short form
def agency_remainder(name: str) -> str:
    """The part of an agency name that identifies it under its place, normalised."""
    for long, short in _NORMALISE:
        name = name.replace(long, short)
    return name


def level_of(place: Entity | Mention) -> str:
    return str(place.attrs.get("level", ""))


def is_abbreviation(short: str, long: str) -> bool:
    """Whether ``short`` drops words from ``long`` (治安支队 of 治安管理支队), keeping its ends."""
    if not (4 <= len(short) < len(long) <= len(short) + 3) or short[:2] != long[:2] or short[-2:] != long[-2:]:
        return False
    rest = iter(long)
    return all(ch in rest for ch in short)


def _abbreviations(keys: list[str]) -> list[tuple[str, str]]:
    """(abbreviated key, full key) pairs among agency keys of the form agency:<place>/<rest>."""
    by_place: dict[str, list[str]] = defaultdict(list)
    for key in keys:
        if "/" in key:
            place, rest = key.split("/", 1)
            by_place[place].append(rest)
    pairs = []
    for place, rests in sorted(by_place.items()):
        for short in sorted(rests):
            longer = sorted(r for r in rests if is_abbreviation(short, r))
            if len(longer) == 1:
                pairs.append((f"{place}/{short}", f"{place}/{longer[0]}"))
    return pairs


def _public(attrs: dict) -> dict:
    return {k: v for k, v in sorted(attrs.items()) if not k.startswith("_")}


class _Document:
    """Resolution state of one document."""

    def __init__(self, mentions: list[Mention], sentences: list[Sentence] | None, context: Context):
        self.context = context
        self.section = {s.index: s.section for s in sentences or []}
        self.mentions = mentions
        self.place_key: dict[int, str] = {}  # id(place mention) -> identity
        self.first_place: dict[str, Mention] | None = None  # identity -> its first mention, built on demand
        self.by_sentence: dict[int, list[Mention]] = defaultdict(list)
        for m in mentions:
            self.by_sentence[m.sentence].append(m)

    def section_of(self, m: Mention) -> int:
        return self.section.get(m.sentence, 0)

    # --- places
    def place_identity(self, m: Mention) -> str:
        if m.attrs.get("adcode"):
            return f"place:#{m.attrs['adcode']}"
        return f"place:{m.attrs.get('_of') or m.name}"

    def resolve_places(self) -> list[Entity]:
        places = [m for m in self.mentions if m.type == "place"]
        groups: dict[str, list[Mention]] = defaultdict(list)
        for m in places:
            groups[self.place_identity(m)].append(m)
        entities = []
        for identity, group in groups.items():
            name = max(dict.fromkeys(m.name for m in group), key=len)
            entities.append(self._entity("place", name, group))
            for m in group:
                self.place_key[id(m)] = identity
        return entities

    def full_place_name(self, m: Mention) -> str:
        code = m.attrs.get("adcode")
        division = self.context.gazetteer.by_code.get(str(code)) if code else None
        return division.name if division else m.name

    def place_prefix(self, place: Mention, level: str) -> str:
        """How the document writes a place before a short form's level: 峨边 -> 峨边县, 株洲 -> 株洲市."""
        key = self.place_identity(place)
        counts = Counter(m.name for m in self.mentions if m.type == "place" and self.place_identity(m) == key)
        fitting = [n for n in counts if n.endswith(level)]
        pool = fitting or list(counts)
        written = sorted(pool, key=lambda n: (-counts[n], len(n), n))[0]
        return written if written.endswith(level) else written + level

    def article_place(self, level: str, near: Mention) -> Mention | None:
        """The place of a level ('市' ...) that the article of ``near`` is about.

        The nearest one written before ``near`` in its article, else the first after it;
        outside the article only when the whole document names a single one. 市 stands
        for a county-level city when the article names no prefecture.
        """
        wanted = _LEVELS.get(level, ())

        def fits(m: Mention) -> bool:
            if m.type != "place":
                return False
            if level in _LOCAL_LEVELS and not m.attrs.get("adcode"):
                return m.name.endswith(level)
            return level_of(m) in wanted

        places = [m for m in self.mentions if fits(m)]
        section = [m for m in places if self.section_of(m) == self.section_of(near)]
        if level == "市" and not section:
            # an article about a county-level city (浏阳市) calls it 市 too: 市委, 市政务服务中心
            cities = [m for m in self.mentions if m.type == "place" and level_of(m) == "county"
                      and self.full_place_name(m).endswith("市") and self.section_of(m) == self.section_of(near)]
            if cities:
                places = section = cities
        before = [m for m in section if (m.sentence, m.start) < (near.sentence, near.start)]
        if before:
            return before[-1]
        if section:
            return section[0]
        if len({self.place_identity(m) for m in places}) == 1:
            return places[0]
        return None

    # --- agencies
    def inner_place(self, a: Mention) -> Mention | None:
        """The last place written inside an agency's name (outside any known national name)."""
        same = self.by_sentence.get(a.sentence, [])
        inside = [m for m in same if m.type == "place" and a.start <= m.start and m.end <= a.end]
        known = [k for k in same if k.type == "agency" and k.attrs.get("_known") and a.start <= k.start and k.end <= a.end]
        inside = [m for m in inside if not any(k.start <= m.start and m.end <= k.end for k in known)]
        return max(inside, key=lambda m: (m.end, m.end - m.start), default=None)  # the most specific

    def country_prefix(self, a: Mention) -> Mention | None:
        """The country written before a known national name (美国 in 美国国务院; not 中国 in 中国人民银行)."""
        country = next((m for m in self.by_sentence.get(a.sentence, []) if m.type == "place" and m.start == a.start
                        and m.end < a.end and level_of(m) == "country"), None)
        if country is None or self.context.lexicon.canonical(a.name) in self.context.lexicon.national_agencies:
            return None
        return country

    def resolve_agencies(self) -> tuple[list[Mention], list[Entity]]:
        agencies = sorted((m for m in self.mentions if m.type == "agency"), key=lambda m: (m.end - m.start, m.start))
        identity: dict[int, str] = {}
        names: dict[str, list[str]] = defaultdict(list)  # identity -> forms (composed first)
        place_of: dict[str, str] = {}  # agency identity -> place identity
        section_of: dict[str, set[int]] = defaultdict(set)
        # identities by the last one and the last two characters of their remainders, so that
        # ``candidates`` reads only those that can end as the name it matches, not every
        # agency of a long document
        ending_in: dict[str, set[str]] = defaultdict(set)
        written_full = {m.name for m in agencies}
        dropped: set[int] = set()

        def file_under(key: str, remainder: str) -> None:
            ending_in[remainder[-1:]].add(key)
            ending_in[remainder[-2:]].add(key)

        def add(m: Mention, key: str, place: str | None, composed: str = "") -> None:
            identity[id(m)] = key
            if "/" in key:
                m.attrs["_rest"] = key.split("/", 1)[1]
                file_under(key, m.attrs["_rest"])
            if composed:
                names[key].insert(0, composed)
                file_under(key, agency_remainder(composed))
            names[key].append(m.name)
            file_under(key, agency_remainder(m.name))
            section_of[key].add(self.section_of(m))
            if place:
                place_of.setdefault(key, place)

        # 1. agencies with a place written in them, and known national names
        for m in agencies:
            if m.attrs.get("_known"):
                full = self.context.lexicon.canonical(m.name)
                country = self.country_prefix(m)  # 美国国务院, 中国农业农村部: the country's organ
                add(m, f"agency:{full if full in written_full else m.name}",
                    self.place_identity(country) if country else None)
                continue
            place = self.inner_place(m)
            if place is None:
                continue
            rest = agency_remainder(m.name[place.end - m.start:])
            if len(rest) > 1 and rest[0] == place.name[-1]:
                rest = rest[1:]  # 攸县县委 is 攸县委
            key = f"agency:{self.place_identity(place)}/{rest}"
            add(m, key, self.place_identity(place))

        def candidates(m: Mention, rest: str, level: str) -> list[str]:
            """Agencies of the article (then of the document) whose name ends with ``rest``."""
            section = self.section_of(m)
            keys = [k for k in ending_in[rest[-2:]] if k in names] if rest else list(names)
            for same_section in (True, False):
                exact, ending = [], []
                for key in keys:
                    forms = names[key]
                    if same_section and section not in section_of[key]:
                        continue
                    if level and not (key.startswith("agency:place:") and self._level_matches(key, level)):
                        continue
                    tail = key.split("/", 1)[1] if "/" in key else agency_remainder(forms[-1])
                    if tail == rest:
                        exact.append(key)
                    elif (len(rest) >= 2 or level) and any(agency_remainder(f).endswith(rest) for f in forms):
                        ending.append(key)
                found = exact or ending
                if found:
                    return sorted(set(found), key=lambda k: (-len(names[k]), k))
            return []

        # an abbreviated form under the same place (公安局治安支队 of 公安局治安管理支队) is the same unit
        for short_key, long_key in _abbreviations(list(names)):
            for m in agencies:
                if identity.get(id(m)) == short_key:
                    add(m, long_key, place_of.get(long_key))
            names.pop(short_key, None)
            section_of.pop(short_key, None)
            place_of.pop(short_key, None)

        # 2. short forms (市公安局) and 3. bare forms (交警支队), shortest first so chains resolve unit by unit
        for m in agencies:
            if id(m) in identity:
                continue
            level = str(m.attrs.get("_short", ""))
            tail = m.name if m.attrs.get("_listed") else m.name[len(level):]
            tail = tail[1:] if level and tail.startswith("级") else tail  # 区级综治办公室
            rest = agency_remainder(tail)
            found = candidates(m, rest, level)
            if found:
                add(m, found[0], place_of.get(found[0]))
                continue
            if level:
                place = self.article_place(level, m)
                if place is not None:
                    composed = self.place_prefix(place, level) + tail
                    add(m, f"agency:{self.place_identity(place)}/{rest}", self.place_identity(place), composed)
                elif level == "社区" or m.attrs.get("_listed"):
                    dropped.add(id(m))  # 社区指导站42个: a kind of unit, not one
                else:
                    add(m, f"agency:{m.name}", None)
                continue
            this = self._this_agency(m, identity)
            if this is not None:  # 该院第二检察部 -> 攸县人民检察院第二检察部, a unit of it
                whole = this.name + m.name
                key = identity[id(this)]
                add(m, f"{key}/{rest}" if "/" in key else f"agency:{whole}", place_of.get(key), whole)
                m.attrs["_parent"] = key
                continue
            committee = self._committee(m, identity) if m.attrs.get("_organ") else None
            if committee is not None:  # 政法委 after 攸县县委常委 -> 攸县县委政法委
                whole = committee.name + m.name
                key = identity[id(committee)]
                add(m, f"{key}{rest}", place_of.get(key), whole)
                m.attrs["_parent"] = key
                continue
            parent = self._chain_parent(m, identity)
            if parent is not None:
                add(m, f"agency:{m.name}", place_of.get(parent))
            elif m.attrs.get("_named"):
                # a company or school named without a place sits in the county the article is about
                home = self.article_place("县", m) if m.attrs.get("_firm") else None
                add(m, f"agency:{m.name}", self.place_identity(home) if home else None)
            else:
                dropped.add(id(m))

        kept = [m for m in self.mentions if id(m) not in dropped]
        groups: dict[str, list[Mention]] = defaultdict(list)
        for m in agencies:
            if id(m) in identity:
                groups[identity[id(m)]].append(m)
        entities = []
        for key, group in groups.items():
            forms = list(dict.fromkeys(names[key]))
            # prefer forms with their place written (not 市公安局), then forms written alone
            # over those written only as the first unit of a longer chain (湖南省长沙市公安局
            # in 湖南省长沙市公安局岳麓区分局), then the composed form
            written = {m.name for m in group}
            complete = [m for m in group if "_short" not in m.attrs and "_bare" not in m.attrs]
            alone = list(dict.fromkeys(m.name for m in complete if not self._is_unit(m)))
            units = list(dict.fromkeys(m.name for m in complete))
            composed = [f for f in forms if f not in written]
            pool = alone or units or composed or forms
            name = max(pool, key=len)
            alone = [f for f in forms if f in alone or f not in units]
            entity = self._entity("agency", name, group, alone or forms)
            entities.append(entity)
            for m in group:
                m.canonical = name
                if key in place_of:
                    m.attrs["_place"] = place_of[key]
        entity_key = {key: f"agency:{group[0].canonical}" for key, group in groups.items()}
        for m in agencies:
            if m.attrs.get("_parent") in entity_key:
                m.attrs["_parent_key"] = entity_key[str(m.attrs["_parent"])]
        return kept, entities

    def _last_before(self, m: Mention, identity: dict[int, str], test) -> Mention | None:
        """The last resolved agency mention of m's article, before m, that passes ``test``."""
        before = [a for a in self.mentions if a.type == "agency" and id(a) in identity and a is not m
                  and self.section_of(a) == self.section_of(m) and (a.sentence, a.start) < (m.sentence, m.start)
                  and test(a)]
        return max(before, key=lambda a: (a.sentence, a.start)) if before else None

    def _this_agency(self, m: Mention, identity: dict[int, str]) -> Mention | None:
        """The agency that 该院 / 该局 before ``m`` refers to: the last one of its article with that head."""
        head = str(m.attrs.get("_this", ""))
        if not head:
            return None
        return self._last_before(m, identity, lambda a: "_short" not in a.attrs and a.name.endswith(head))

    def _committee(self, m: Mention, identity: dict[int, str]) -> Mention | None:
        """The party committee (X县委, X区委) written last before an organ named alone."""
        return self._last_before(m, identity, lambda a: identity[id(a)].endswith("/委"))

    def _is_unit(self, m: Mention) -> bool:
        return any(a.type == "agency" and a.start == m.start and a.end > m.end for a in self.by_sentence[m.sentence])

    def _chain_parent(self, m: Mention, identity: dict[int, str]) -> str | None:
        """The identity of the unit this one is written after (刑警支队 in 刑警支队综合办公室)."""
        inner = [a for a in self.by_sentence[m.sentence] if a.type == "agency" and a.start == m.start
                 and a.end < m.end and id(a) in identity]
        return identity[id(max(inner, key=lambda a: a.end))] if inner else None

    def _level_matches(self, key: str, level: str) -> bool:
        place = key.split("/", 1)[0][len("agency:"):]
        if self.first_place is None:
            self.first_place = {}
            for m in self.mentions:
                if m.type == "place":
                    self.first_place.setdefault(self.place_identity(m), m)
        m = self.first_place.get(place)
        return m is not None and (level_of(m) in _LEVELS[level] or self.full_place_name(m).endswith(_LEVEL_SUFFIX[level]))

    def _entity(self, entity_type: str, name: str, group: list[Mention], forms: list[str] | None = None) -> Entity:
        attrs: dict = {}
        for m in group:
            for k, v in m.attrs.items():
                attrs.setdefault(k, v)
        for m in group:
            m.canonical = name
        forms = forms or [m.name for m in group]
        return Entity(entity_type, name, sorted(f for f in dict.fromkeys(forms) if f != name), len(group), _public(attrs))


def resolve(
    mentions: list[Mention], context: Context, keep_anonymised: bool = False, sentences: list[Sentence] | None = None,
) -> tuple[list[Mention], list[Entity]]:
    """Fill ``Mention.canonical`` and return the kept mentions and their entities."""
    kept = [m for m in mentions if not (m.type == "person" and is_anonymised(m.name) and not keep_anonymised)]
    doc = _Document(kept, sentences, context)
    entities = doc.resolve_places()
    place_names = {doc.place_identity(m): f"place:{m.canonical}" for m in kept if m.type == "place"}
    kept, agency_entities = doc.resolve_agencies()
    for m in kept:
        if m.type == "agency" and "_place" in m.attrs:
            m.attrs["_place"] = place_names.get(str(m.attrs["_place"]), "")
    entities += agency_entities

    groups: dict[str, list[Mention]] = defaultdict(list)
    for m in kept:
        if m.type not in ("place", "agency"):
            groups[f"{m.type}:{context.lexicon.canonical(m.name)}"].append(m)
    for identity, group in groups.items():
        forms = list(dict.fromkeys(m.name for m in group))
        canonical = context.lexicon.canonical(forms[0])
        name = max([canonical, *forms], key=len) if canonical == forms[0] else canonical
        for m in group:
            m.canonical = name
        attrs = {}
        for m in group:
            attrs.update(m.attrs)
        if group[0].type == "person" and is_anonymised(name):
            attrs["anonymised"] = True
        entities.append(Entity(group[0].type, name, sorted(f for f in forms if f != name), len(group), _public(attrs)))
    entities.sort(key=lambda e: (e.type, e.name))
    return kept, entities
