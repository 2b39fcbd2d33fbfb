"""What the role and runs rules share: post chains and clause openings.

A post chain (乙县委副书记、政法委书记) is read both by ``roles``, which turns it into
roles, and by ``runs``, which keeps the units inside it from being the subject of a
clause; both look for a clause opening (近日，……) the same way. Kept here once so the two
rule modules read the text alike.
"""
from __future__ import annotations

import functools
import re

from ..models import Mention

__all__ = ["CHAIN_BREAK", "CLAUSE_OPENERS", "GOVERNMENT", "MEMBER_NOUNS", "chain_start", "outermost",
           "post_titles", "title_matches", "title_suffix"]

CHAIN_BREAK = re.compile(r"[，,。；;：:！!？?“”\"（）()《》\s]")
CLAUSE_OPENERS = re.compile(
    r"(?:^|[，,。；;：:！!？?”）)】\s])(?:(?:近日|日前|近年来|今年以来|去年以来|目前|同时|此外|另外|据悉|据了解|为此|对此|"
    r"\d{4}年(?:\d{1,2}月)?(?:\d{1,2}日)?(?:以来)?|\d{1,2}月\d{1,2}日)[，,]?)?$"
)
# members of a unit: written right after the unit they give a role (某学院学生, 某医院护士)
MEMBER_NOUNS = ("学生", "研究生", "本科生", "博士生", "硕士生", "教师", "职工", "员工", "工作人员", "志愿者", "队员", "会员",
                "医生", "护士", "记者")
GOVERNMENT = re.compile(r"(?:人民政府|政府)$")
# two or three Chinese characters at the end of a stretch: a name, maybe, not a post
_SHORT_TAIL = re.compile(r"[\u4e00-\u9fff]{2,3}$")


@functools.lru_cache(maxsize=4)
def post_titles(titles: tuple[str, ...]) -> tuple[str, ...]:
    """Posts of the lexicon and the members' nouns that, after a unit, also make a role (某大学某学院学生)."""
    return tuple(sorted(set(titles) | set(MEMBER_NOUNS), key=lambda w: (-len(w), w)))


def outermost(mentions: list[Mention], types: tuple[str, ...]) -> list[Mention]:
    chosen = [m for m in mentions if m.type in types]
    if len(chosen) < 2:
        return chosen
    kept = []
    for m in chosen:
        for o in chosen:
            if o.start <= m.start and m.end <= o.end and (o.end - o.start) > (m.end - m.start):
                break  # inside a longer mention
        else:
            kept.append(m)
    return kept


@functools.lru_cache(maxsize=8)
def _title_index(titles: tuple[str, ...]) -> tuple[dict[str, list[int]], tuple[int, ...]]:
    """Each title's places in ``titles`` and the title lengths, so an item's endings are looked up, not scanned."""
    places: dict[str, list[int]] = {}
    for i, t in enumerate(titles):
        places.setdefault(t, []).append(i)
    return places, tuple(sorted({len(t) for t in titles}, reverse=True))


def title_matches(item: str, titles: tuple[str, ...]) -> list[str]:
    """The titles ``item`` ends with, in the order of ``titles``."""
    places, lengths = _title_index(titles)
    found = [i for n in lengths if n <= len(item) for i in places.get(item[len(item) - n:], ())]
    return [titles[i] for i in sorted(found)]


def title_suffix(item: str, titles: tuple[str, ...]) -> str:
    """The first title of ``titles`` that ``item`` ends with, or ""."""
    matches = title_matches(item, titles)
    return matches[0] if matches else ""


def chain_start(text: str, end: int, titles: tuple[str, ...]) -> int:
    """Where the post chain that ends at ``end`` starts; it may cross one comma (主任,县公安局副局长王建)."""
    start = end
    while start > 0 and not CHAIN_BREAK.match(text[start - 1]):
        start -= 1
    if start > 0 and text[start - 1] in "，," and title_suffix(text[:start - 1], titles):
        before = start - 1
        while before > 0 and not CHAIN_BREAK.match(text[before - 1]):
            before -= 1
        if not _SHORT_TAIL.search(text, before, start - 1) or title_suffix(text[before:start - 1], titles):
            return before
    return start
