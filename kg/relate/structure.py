"""located_in (agency -> place) and part_of (place -> place, agency -> agency).

- An agency is located in the most specific place written in its name (the last
  one: 国家税务总局长沙市税务局 -> 长沙市), or, for a short form completed by
  ``resolve``, in the place the article is about; a sub-unit without a place of
  its own is located where its parent unit is.
- An agency is part of the unit written right before it in the same name
  (长沙市公安局交警支队 -> 长沙市公安局).
- An agency written after 所属 / 下属 / 直属 and another agency is part of it
  (省公安厅所属警官学校); a known body named after another one written in the
  document is part of it (联合国粮食及农业组织 -> 联合国).
- A division is part of its nearest ancestor written before it in one of its
  sentences (湖南省长沙市, the written order 省→市→区; the gazetteer checks the
  nesting): a parent named only in other sentences is not stated. A place with no code is part of the place
  written right before it (长沙市高新区, 青山镇柳树村), of the city its name starts
  with (成都 in 成都天府国际机场), or else of the one place of the level above that
  its article names.
"""
from __future__ import annotations

from collections import Counter, defaultdict

from ..models import Entity, Mention, Relation, Sentence
from ..recognise import Context

__all__ = ["find"]

# levels of places below the county, each with the levels of its natural parent
_PARENT_LEVELS = {
    "village": ("town", "township", "street"), "community": ("town", "township", "street"),
    "compound": ("community", "street", "town"), "road": ("county",),
    "town": ("county",), "township": ("county",), "street": ("county",), "zone": ("prefecture",),
}


# a place's party committee, and the organs under it (written after the place: 县政法委, 区委统战部)
_COMMITTEES = frozenset({"委", "党委", "党工委"})
_PARTY_ORGANS = ("政法委", "纪委", "监委", "纪委监委", "统战部", "组织部", "宣传部", "改革办", "常委会", "编办",
                 "政研室", "网信办", "禁毒委", "委政法委", "委统战部", "委组织部", "委宣传部", "委改革办", "委常委会")


# words between a parent unit and its sub-unit: 省公安厅所属警官学校
_SUBORDINATE = tuple(sorted({"所属", "下属", "直属", "所辖", "下辖", "属下"}))  # sorted once, read for every agency


def _subordinates(sentences: list[Sentence], agencies: list[Mention]) -> list[Relation]:
    """part_of from 'A所属B': B is written right after A and a word of subordination."""
    out = []
    by_sentence: dict[int, list[Mention]] = defaultdict(list)
    for m in agencies:
        by_sentence[m.sentence].append(m)
    for index, group in sorted(by_sentence.items()):
        text, base = sentences[index].text, sentences[index].start
        ends: dict[int, Mention] = {}
        for m in sorted(group, key=lambda m: m.end - m.start):
            ends[m.end - base] = m  # the longest agency ending there
        for m in group:
            start = m.start - base
            for word in _SUBORDINATE:
                parent = ends.get(start - len(word))
                if parent is not None and text[start - len(word) : start] == word and parent.key != m.key:
                    out.append(Relation(m.key, "part_of", parent.key, 1, text))
    return out


def _known_bodies(sentences: list[Sentence], agencies: list[Mention]) -> list[Relation]:
    """A known body named after another written in the document is part of it (联合国粮食及农业组织 -> 联合国)."""
    known = {m.key: m for m in agencies if m.attrs.get("_known")}
    out = []
    for key, m in sorted(known.items()):
        parents = [p for k, p in known.items() if k != key and m.canonical.startswith(p.canonical)]
        if parents:
            parent = max(parents, key=lambda p: len(p.canonical))
            out.append(Relation(key, "part_of", parent.key, 1, _evidence(sentences, m)))
    return out


def _evidence(sentences: list[Sentence], m: Mention) -> str:
    return sentences[m.sentence].text if 0 <= m.sentence < len(sentences) else ""


def _agency_relations(sentences: list[Sentence], mentions: list[Mention]) -> list[Relation]:
    out: list[Relation] = []
    agencies = [m for m in mentions if m.type == "agency"]
    by_sentence: dict[int, list[Mention]] = defaultdict(list)
    for m in agencies:
        by_sentence[m.sentence].append(m)
    parent: dict[str, str] = {}
    located: dict[str, str] = {}
    # the party committee of each place (攸县县委): its organs are part of it (县政法委)
    committees = {str(m.attrs["_place"]): m.key for m in agencies
                  if m.attrs.get("_place") and m.attrs.get("_rest") in _COMMITTEES}
    for m in sorted(agencies, key=lambda m: (m.sentence, m.start, m.end)):
        inner = [a for a in by_sentence[m.sentence] if a.start == m.start and a.end < m.end and a.key != m.key]
        committee = committees.get(str(m.attrs.get("_place", "")))
        if not inner and committee and committee != m.key and str(m.attrs.get("_rest", "")).startswith(_PARTY_ORGANS):
            parent.setdefault(m.key, committee)
            out.append(Relation(m.key, "part_of", committee, 1, _evidence(sentences, m)))
        if inner:
            unit = max(inner, key=lambda a: a.end)
            parent.setdefault(m.key, unit.key)
            out.append(Relation(m.key, "part_of", unit.key, 1, _evidence(sentences, m)))
        elif m.attrs.get("_parent_key"):
            parent.setdefault(m.key, str(m.attrs["_parent_key"]))
            out.append(Relation(m.key, "part_of", str(m.attrs["_parent_key"]), 1, _evidence(sentences, m)))
        place = str(m.attrs.get("_place", ""))
        if place:
            located.setdefault(m.key, place)
    for key in sorted(parent):
        if key not in located:
            seen, up = {key}, parent.get(key)
            while up and up not in located and up not in seen:
                seen.add(up)
                up = parent.get(up)
            if up in located:
                located[key] = located[up]
    out += _subordinates(sentences, agencies)
    out += _known_bodies(sentences, agencies)
    evidence = {m.key: _evidence(sentences, m) for m in reversed(agencies)}
    for key, place in sorted(located.items()):
        out.append(Relation(key, "located_in", place, 1, evidence.get(key, "")))
    return out


def _place_relations(sentences: list[Sentence], mentions: list[Mention], context: Context) -> list[Relation]:
    gaz = context.gazetteer
    places = [m for m in mentions if m.type == "place"]
    by_code = {str(m.attrs["adcode"]): m.key for m in places if m.attrs.get("adcode")}
    by_name = {m.name: m.key for m in places}
    section = {s.index: s.section for s in sentences}
    out: list[Relation] = []
    done: set[str] = set()
    # divisions: the nearest ancestor written before it in one of its sentences (湖南省长沙市岳麓区,
    # 株洲市公安局攸县分局); a parent named only in other sentences is not stated
    supported: dict[str, set[str]] = defaultdict(set)
    coded_in: dict[int, list[Mention]] = defaultdict(list)  # sentence -> its places with a code
    for p in places:
        if p.attrs.get("adcode"):
            coded_in[p.sentence].append(p)
    for m in places:
        supported[m.key] |= {str(p.attrs["adcode"]) for p in coded_in[m.sentence] if p.start < m.start}
    for m in places:
        code = str(m.attrs.get("adcode", ""))
        if m.key in done:
            continue
        if code and code in gaz.by_code:
            for ancestor in gaz.ancestors(gaz.by_code[code]):
                # the nearest ancestor that the text writes next to it (湖南省攸县, whatever else is named)
                if by_code.get(ancestor.adcode, m.key) != m.key and ancestor.adcode in supported[m.key]:
                    out.append(Relation(m.key, "part_of", by_code[ancestor.adcode], 1, _evidence(sentences, m)))
                    done.add(m.key)
                    break
        elif m.attrs.get("level") == "city" and str(m.attrs.get("parent", "")) in by_name:
            out.append(Relation(m.key, "part_of", by_name[str(m.attrs["parent"])], 1, _evidence(sentences, m)))
            done.add(m.key)
    # places without a code: the place written right before, else the article's place above
    written_before: dict[str, Counter] = defaultdict(Counter)
    ordered = sorted(places, key=lambda m: (m.start, m.end))
    for prev, m in zip(ordered, ordered[1:]):
        if prev.end == m.start and prev.key != m.key and not m.attrs.get("adcode"):
            written_before[m.key][prev.key] += 1
    for m in ordered:
        if m.key in done or m.attrs.get("adcode") or m.attrs.get("level") in ("country", "city"):
            continue
        if written_before[m.key]:
            parent = sorted(written_before[m.key].items(), key=lambda kv: -kv[1])[0][0]
        elif m.attrs.get("_within_code"):
            # 无锡工业园区 is in 无锡, when the article writes that city too
            parent = next((p.key for p in places if p.attrs.get("adcode") == m.attrs["_within_code"]
                           and section.get(p.sentence, 0) == section.get(m.sentence, 0) and p.key != m.key), "")
        elif m.attrs.get("_within") or m.attrs.get("_named"):
            parent = by_name.get(str(m.attrs.get("_within", "")), "")
        else:
            parent = _article_parent(m, places, section)
        if parent:
            out.append(Relation(m.key, "part_of", parent, 1, _evidence(sentences, m)))
            done.add(m.key)
    return out


def _article_parent(m: Mention, places: list[Mention], section: dict[int, int]) -> str:
    """The one place of the level above that the article of ``m`` names."""
    wanted = _PARENT_LEVELS.get(str(m.attrs.get("level", "")), ())
    for level in wanted:
        keys = {p.key for p in places if p.attrs.get("level") == level and p.key != m.key
                and section.get(p.sentence, 0) == section.get(m.sentence, 0)}
        if len(keys) == 1:
            return keys.pop()
        if keys:
            return ""
    return ""


def find(sentences: list[Sentence], mentions: list[Mention], entities: list[Entity], context: Context) -> list[Relation]:
    return _agency_relations(sentences, mentions) + _place_relations(sentences, mentions, context)
