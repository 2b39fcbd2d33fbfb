"""One line of a page pasted from a PDF or OCR, put right on its own.

The spaces that copying put inside words go (纠 纷 下 降), the ones between the names of
a by-line stay (林晓东 何平), and each line is told apart as a by-line, a credit that
closes an article, a page header, a markdown heading or text; ``clean`` then joins the
lines into paragraphs.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Line", "read_line", "ended", "LEAD", "ROLE", "CJK", "CJK_CHAR", "PROSE_PUNCT", "BULLETS"]

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_CHAR = re.compile(f"[{CJK}]")
_TERMINAL = "。！？!?；;…"
_CLOSERS = "”’」』）)》"
# punctuation that prose has and headlines do not
PROSE_PUNCT = frozenset("，。；！？、,;!?")
BULLETS = "□■◆●◇○★☆▲△※"
# never preceded or followed by a space in Chinese text
_SEPARATORS = frozenset("，。、；：？！,;:?!")
_SPACES = " \t\u00a0\u3000" + "".join(chr(c) for c in range(0x2000, 0x200C))
_GAP = re.compile(f"[{_SPACES}]+")
ROLE = r"(?:本报|本台)?(?:特约|见习|首席)?(?:摄影记者|记者|通讯员|实习生|特约撰稿人)"
_ROLES = re.compile(ROLE)
_NAME = re.compile(f"[{CJK}]{{1,4}}")
# by-lines, credits and page headers are short; longer lines are not tried as such
_SHORT = 60
# the author's name closing an article, alone or after the last sentence
_NAMES = re.compile(f"[{CJK}]{{2,3}}(?: [{CJK}]{{2,3}}){{0,2}}")
_BRACKET_CREDIT = r"[（(][^（）()。]{1,24}[）)]"
_BRACKET_CREDIT_RE = re.compile(_BRACKET_CREDIT)
_NAME_GAP = re.compile(r"[ 、\u3000]+")
_TRAILING_CREDIT = re.compile(
    f"(?<=[{_TERMINAL}{_CLOSERS}])[ \u3000]+({_BRACKET_CREDIT}|[{CJK}]{{2,3}}(?:[ \u3000]+[{CJK}]{{2,3}}){{0,2}})$"
)
# an article opens with a dateline: 本报讯, 本报北京3月5日电, 新华社北京电, 本台消息
LEAD = re.compile(r"^(?:本报讯|本台消息|本台讯|(?:本报|新华社|中新社|据新华社)[^，。,；]{0,14}?[电讯])")
_PAGE_HEADER = re.compile(
    r"(?:\d{4}年\d{1,2}月\d{1,2}日.{0,16}星期[一二三四五六日天]|第\s*[0-9一二三四五六七八九十]{1,3}\s*版)"
)
_MARKDOWN = re.compile(r"^(#{1,6})[ \u3000]*")
# the page's editors, named in its header after the date and page (责任编辑：某某　美术编辑：某某)
_PAGE_EDITORS = re.compile(r"(?:责任编辑|责编|美术编辑|美编|图片编辑|版式设计|版式|视觉设计|校对)[ \u3000]*[：:]")


@dataclass
class Line:
    """A line of the page, its inner spaces dealt with, and what it looks like."""

    text: str
    kind: str  # a paragraph kind; "text" for prose not yet placed, "names" for bare names
    indented: bool
    width: float
    has_gap: bool  # a space kept between two words: a headline "织密网络 守护平安"
    stretched: bool  # letter-spaced: a justified line, as wide as its column
    markdown: bool = False  # marked as a heading with "#"


def _is_single(token: str) -> bool:
    """One CJK character, maybe with punctuation stuck to it (勇）, ，福)."""
    cjk = CJK_CHAR.findall(token)
    return len(cjk) == 1 and not any(c.isalnum() and not CJK_CHAR.match(c) for c in token)


def _join_tokens(tokens: list[str], gaps: list[str], keep_word_gaps: bool) -> tuple[str, bool, bool]:
    """Join the space-separated tokens of one line.

    Returns the text, whether a gap between two words was kept, and whether the line
    was letter-spaced.

    Copying puts spaces inside words: a letter-spaced line (纠 纷 下 降) is joined
    whole, keeping only its wider gaps (林 晓 东  近 日: the gap after the name), and
    single characters (何 平) are joined to each other. Between two words a gap is kept:
    by-lines separate names with it (林晓东 何平), headlines separate phrases with it. In
    prose (keep_word_gaps False) a lone character is also joined to the word next to it
    (所长林 晓 / 东: a spaced name broken across lines).
    """
    if len(tokens) < 2:
        return "".join(tokens), False, False
    singles = [_is_single(t) for t in tokens]
    letter_spaced = len(tokens) >= 4 and sum(singles) / len(tokens) > 0.6
    narrowest = min(len(g) for g in gaps)
    out, kept = [tokens[0]], False
    for i, token in enumerate(tokens[1:], 1):
        prev = tokens[i - 1]
        a, b = prev[-1], token[0]
        if a.isascii() and a.isalnum() and b.isascii() and b.isalnum():
            keep = True
        elif letter_spaced:
            keep = len(gaps[i - 1]) > narrowest and bool(CJK_CHAR.match(a)) and bool(CJK_CHAR.match(b))
        elif a in BULLETS or b in BULLETS:
            keep = True
        elif a in _SEPARATORS or b in _SEPARATORS or not CJK_CHAR.search(prev) or not CJK_CHAR.search(token):
            keep = False  # 纠纷 ，调解; 3817 名
        elif not keep_word_gaps and (a.isascii() or b.isascii()):
            keep = False  # 3月 5日电, 下降 12.5%: a number set apart in prose
        elif singles[i - 1] and singles[i]:
            keep = False
        elif singles[i - 1] or singles[i]:
            keep = keep_word_gaps
        else:
            keep = True
        if keep:
            out.append(" ")
            kept = kept or bool(CJK_CHAR.match(a) or a in _CLOSERS) and bool(CJK_CHAR.match(b) or b in "“‘《「")
        out.append(token)
    return "".join(out), kept, letter_spaced


_NARROW_PUNCT = frozenset("，。、；：？！“”‘’（）《》【】—…·「」『』")
# the half-cell characters (ASCII and narrow punctuation), which ``_width`` counts
_NARROW = re.compile(r"[\x00-\x7f" + re.escape("".join(sorted(_NARROW_PUNCT))) + "]")


def _width(text: str) -> float:
    """Width of a line in full-width cells.

    Latin letters and digits take half a cell, and so does punctuation, which PDF
    layouts squeeze: a line full of quotes holds more characters than its neighbours.
    """
    narrow = len(_NARROW.findall(text))
    return (len(text) - narrow) + 0.5 * narrow


def _roles_and_names(text: str) -> tuple[bool, bool]:
    """Whether a short text holds only reporter roles and names, and whether it has a role."""
    has_role = False
    for token in _NAME_GAP.split(text):
        token = token.strip(BULLETS + " ")
        if not token:
            continue
        role = _ROLES.match(token)
        has_role = has_role or role is not None
        rest = token[role.end() :] if role else token
        if rest and not _NAME.fullmatch(rest):
            return False, has_role
    return True, has_role


def _is_byline(text: str) -> bool:
    """□ 本报记者 林晓东 何平, 本报通讯员 吴涛, □ 林晓东: roles and names only."""
    if len(text) > _SHORT or not (text[0] in BULLETS or _ROLES.match(text)):
        return False
    return _roles_and_names(text)[0]


def _is_photo_credit(text: str) -> bool:
    """本报记者 林晓东 摄: names (and roles) before 摄."""
    if len(text) > _SHORT or not text.endswith("摄") or len(text) < 3:
        return False
    names_only, has_role = _roles_and_names(text[:-1])
    return names_only and (has_role or " " in text)


def _split_credit(text: str) -> tuple[str, str] | None:
    """Split an author or photo credit off the end of a line: ……化解。 （林晓东）"""
    tail = text[-_SHORT:]
    credit = _TRAILING_CREDIT.search(tail)
    if credit:
        body = text[: len(text) - len(tail) + credit.start()]
        if _GAP.search(body[-12:]) is None:  # not a letter-spaced line: 化 解 。 为 了
            return body, credit.group(1)
        return None
    if not text.endswith("摄"):
        return None
    starts = [m.start() for m in _ROLES.finditer(tail)] + [m.end() for m in _GAP.finditer(tail)]
    for start in sorted(set(starts)):
        candidate = tail[start:]
        body = text[: len(text) - len(candidate)].rstrip(" \u3000")
        if body and not PROSE_PUNCT.isdisjoint(body) and _is_photo_credit(candidate.strip(" \u3000")):
            return body, candidate.strip(" \u3000")
    return None


def _split_page_editors(text: str) -> tuple[str, str] | None:
    """Split the editors' credit off a page header: they are people of the page."""
    editors = _PAGE_EDITORS.search(text)
    if editors and editors.start() and _PAGE_HEADER.search(text[: editors.start()]):
        return text[: editors.start()], text[editors.start() :]
    return None


def read_line(raw: str) -> list[Line]:
    """Normalise one raw line; a line ending with an author credit gives two lines."""
    margin = raw[: len(raw) - len(raw.lstrip(_SPACES))]
    indented = len(margin) >= 2 or "\u3000" in margin or "\t" in margin
    stripped = raw.strip(_SPACES)
    if not stripped:
        return []
    level = 0
    markdown = _MARKDOWN.match(stripped)
    if markdown:
        level = len(markdown.group(1))
        stripped = stripped[markdown.end() :].strip(_SPACES)
        if not stripped:
            return []
    credit = None if level else _split_credit(stripped) or _split_page_editors(stripped)
    parts = list(credit) if credit else [stripped]
    lines = []
    for n, part in enumerate(parts):
        part = part.strip(_SPACES)
        if not part:
            continue
        gaps = _GAP.findall(part)
        tokens = _GAP.split(part)
        spaced = " ".join(tokens)
        if level:
            kind = "heading" if level == 1 else "subheading"
        elif len(spaced) <= _SHORT and _PAGE_HEADER.search(spaced) and PROSE_PUNCT.isdisjoint(spaced):
            kind = "header"
        elif n == 1 or _is_photo_credit(spaced) or _BRACKET_CREDIT_RE.fullmatch(spaced):
            kind = "credit"
        elif _is_byline(spaced):
            kind = "byline"
        else:
            kind = "text"
        text, has_gap, stretched = _join_tokens(tokens, gaps, keep_word_gaps=kind != "text")
        if kind == "header":
            text = spaced
        if kind == "text" and _NAMES.fullmatch(text):
            kind = "names"  # an author's name, if it stands after the end of an article
        width = _width(text) + (2 if indented and n == 0 else 0)
        lines.append(Line(text, kind, indented and n == 0, width, has_gap, stretched, bool(level)))
    return lines


def ended(text: str) -> bool:
    """Whether the text ends a sentence: 。！？； maybe followed by closing quotes."""
    body = text.rstrip(_CLOSERS)
    return bool(body) and body[-1] in _TERMINAL
