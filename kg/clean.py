"""Undo what PDF and OCR copying did to a page before anything is recognised.

Real input has hard line breaks in the middle of words (青山县\\n\\n司法局), letter-spaced
lines (纠 纷 下 降), full-width spaces, markdown headings, by-lines, author credits and
page headers. The cleaner joins wrapped lines back into paragraphs, removes the spaces
that copying put inside words (but keeps the ones between the names of a by-line), and
marks each paragraph with what it is, so that ``split`` can tell the articles of a page
apart. Offsets of later stages refer to the cleaned text, which holds one paragraph per
line and nothing that XML 1.0 forbids.
"""
from __future__ import annotations

import functools
import logging
import re
import unicodedata
from dataclasses import dataclass

__all__ = ["Paragraph", "CleanText", "clean_text", "PARAGRAPH_KINDS", "LEAD"]

# heading: a headline or a markdown "#" title; subheading: markdown "##" and deeper;
# byline: "□ 本报记者 林晓东"; credit: what closes an article ("（何平）", a bare
# author name, "本报记者 某某 摄"); caption: the text of a photo; header: a page header.
PARAGRAPH_KINDS = ("body", "heading", "subheading", "byline", "credit", "caption", "header")

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TERMINAL = "。！？!?；;…"
_CLOSERS = "”’」』）)》"
# punctuation that prose has and headlines do not
_PROSE_PUNCT = frozenset("，。；！？、,;!?")
# a line starting with one of these continues the paragraph before it
_CONTINUES = tuple("”’」』）)》，。、；：！？,.;:!?")
_BULLETS = "□■◆●◇○★☆▲△※"
# never preceded or followed by a space in Chinese text
_SEPARATORS = frozenset("，。、；：？！,;:?!")
# never kept: controls (but newline and tab), surrogates, private use, non-characters, BOM
_DROP = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ue000-\uf8ff\ufdd0-\ufdef\ufeff\ufffe\uffff"
    "\U000f0000-\U0010ffff]"
)
_FULLWIDTH_ALNUM = {c: c - 0xFEE0 for r in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A)) for c in range(r[0], r[1] + 1)}
_LINE_BREAKS = {0x2028: "\n", 0x2029: "\n", 0x0D: "\n"}
_SPACES = " \t\u00a0\u3000" + "".join(chr(c) for c in range(0x2000, 0x200C))
_GAP = re.compile(f"[{_SPACES}]+")
_CJK_CHAR = re.compile(f"[{_CJK}]")
_ROLE = r"(?:本报|本台)?(?:特约|见习|首席)?(?:摄影记者|记者|通讯员|实习生|特约撰稿人)"
_ROLES = re.compile(_ROLE)
_NAME = re.compile(f"[{_CJK}]{{1,4}}")
_ENDS_WITH_ROLE = re.compile(f"{_ROLE}$")
_ROLE_AND_NAME_AT_END = re.compile(f" {_ROLE}[{_CJK}]{{2,3}}$")
# by-lines, credits and page headers are short; longer lines are not tried as such
_SHORT = 60
# the author's name closing an article, alone or after the last sentence
_NAMES = re.compile(f"[{_CJK}]{{2,3}}(?: [{_CJK}]{{2,3}}){{0,2}}")
_BRACKET_CREDIT = r"[（(][^（）()。]{1,24}[）)]"
_TRAILING_CREDIT = re.compile(
    f"(?<=[{_TERMINAL}{_CLOSERS}])[ \u3000]+({_BRACKET_CREDIT}|[{_CJK}]{{2,3}}(?:[ \u3000]+[{_CJK}]{{2,3}}){{0,2}})$"
)
# an article opens with a dateline: 本报讯, 本报北京3月5日电, 新华社北京电, 本台消息
LEAD = re.compile(r"^(?:本报讯|本台消息|本台讯|(?:本报|新华社|中新社|据新华社)[^，。,；]{0,14}?[电讯])")
_PAGE_HEADER = re.compile(
    r"(?:\d{4}年\d{1,2}月\d{1,2}日.{0,16}星期[一二三四五六日天]|第\s*[0-9一二三四五六七八九十]{1,3}\s*版)"
)
_MARKDOWN = re.compile(r"^(#{1,6})[ \u3000]*")


@dataclass
class Paragraph:
    start: int
    end: int
    kind: str  # one of PARAGRAPH_KINDS


@dataclass
class CleanText:
    text: str
    paragraphs: list[Paragraph]


@dataclass
class _Line:
    text: str
    kind: str  # a paragraph kind, or "text" for prose not yet placed
    indented: bool
    width: float
    has_gap: bool  # a space kept between two words: a headline "织密网络 守护平安"
    stretched: bool  # letter-spaced: a justified line, as wide as its column


def _is_single(token: str) -> bool:
    """One CJK character, maybe with punctuation stuck to it (勇）, ，福)."""
    cjk = _CJK_CHAR.findall(token)
    return len(cjk) == 1 and not any(c.isalnum() and not _CJK_CHAR.match(c) for c in token)


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
            keep = len(gaps[i - 1]) > narrowest and bool(_CJK_CHAR.match(a)) and bool(_CJK_CHAR.match(b))
        elif a in _BULLETS or b in _BULLETS:
            keep = True
        elif a in _SEPARATORS or b in _SEPARATORS or not _CJK_CHAR.search(prev) or not _CJK_CHAR.search(token):
            keep = False  # 千余起 ，劝阻; 2904 名
        elif not keep_word_gaps and (a.isascii() or b.isascii()):
            keep = False  # 12月 27日电, 上升 28.4%: a number set apart in prose
        elif singles[i - 1] and singles[i]:
            keep = False
        elif singles[i - 1] or singles[i]:
            keep = keep_word_gaps
        else:
            keep = True
        if keep:
            out.append(" ")
            kept = kept or bool(_CJK_CHAR.match(a) or a in _CLOSERS) and bool(_CJK_CHAR.match(b) or b in "“‘《「")
        out.append(token)
    return "".join(out), kept, letter_spaced


_NARROW_PUNCT = frozenset("，。、；：？！“”‘’（）《》【】—…·「」『』")


def _width(text: str) -> float:
    """Width of a line in full-width cells.

    Latin letters and digits take half a cell, and so does punctuation, which PDF
    layouts squeeze: a line full of quotes holds more characters than its neighbours.
    """
    return sum(0.5 if c.isascii() or c in _NARROW_PUNCT else 1.0 for c in text)


def _roles_and_names(text: str) -> tuple[bool, bool]:
    """Whether a short text holds only reporter roles and names, and whether it has a role."""
    has_role = False
    for token in re.split(r"[ 、\u3000]+", text):
        token = token.strip(_BULLETS + " ")
        if not token:
            continue
        role = _ROLES.match(token)
        has_role = has_role or role is not None
        rest = token[role.end() :] if role else token
        if rest and not _NAME.fullmatch(rest):
            return False, has_role
    return True, has_role


def _is_byline(text: str) -> bool:
    """□ 本报记者 林晓东 何平, 本报通讯员 周伟, □ 林晓东: roles and names only."""
    if len(text) > _SHORT or not (text[0] in _BULLETS or _ROLES.match(text)):
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
        if body and _PROSE_PUNCT & set(body) and _is_photo_credit(candidate.strip(" \u3000")):
            return body, candidate.strip(" \u3000")
    return None


def _line(raw: str) -> list[_Line]:
    """Normalise one raw line; a line ending with an author credit gives two lines."""
    indented = raw.startswith(("\u3000", "  ", "\t"))
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
    credit = None if level else _split_credit(stripped)
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
        elif len(spaced) <= _SHORT and _PAGE_HEADER.search(spaced) and not _PROSE_PUNCT & set(spaced):
            kind = "header"
        elif n == 1 or _is_photo_credit(spaced) or re.fullmatch(_BRACKET_CREDIT, spaced):
            kind = "credit"
        elif _is_byline(spaced):
            kind = "byline"
        else:
            kind = "text"
        text, has_gap, stretched = _join_tokens(tokens, gaps, keep_word_gaps=kind != "text")
        if kind == "header":
            text = " ".join(t for t in tokens)
        if kind == "text" and _NAMES.fullmatch(text):
            kind = "names"  # an author's name, if it stands after the end of an article
        width = _width(text) + (2 if indented and n == 0 else 0)
        lines.append(_Line(text, kind, indented and n == 0, width, has_gap, stretched))
    return lines


def _column_widths(lines: list[_Line]) -> list[float]:
    """The column width around each line, or 0 where lines are not wrapped to a width.

    In a PDF column most lines inside a paragraph have nearly the same width; a text
    pasted one paragraph per line has no such width, and its short lines say nothing.
    Only lines that carry on a paragraph are measured: the last line of a paragraph, a
    headline and a letter-spaced (stretched) line would skew the width.
    """
    inner = [
        line.width if line.kind == "text" and not line.stretched and not _ended(line.text) else 0.0
        for line in lines
    ]
    result = []
    for i in range(len(lines)):
        near = sorted(w for w in inner[max(0, i - 6) : i + 7] if w)
        if len(near) < 4:
            result.append(0.0)
            continue
        column = near[len(near) // 2]
        close = sum(1 for w in near if abs(w - column) <= 2.5)
        result.append(column if column <= 40 and close * 5 >= len(near) * 3 else 0.0)
    return result


def _ended(text: str) -> bool:
    body = text.rstrip(_CLOSERS)
    return bool(body) and body[-1] in _TERMINAL


def _headline_like(line: _Line) -> bool:
    """Could be a headline: prose without its punctuation, not indented, not stretched."""
    return (
        line.kind == "text"
        and not line.indented
        and not line.stretched
        and not _PROSE_PUNCT & set(line.text)
        and not line.text.startswith(_CONTINUES)
        and not LEAD.match(line.text)
    )


def _starts_something(line: _Line | None) -> bool:
    """The line cannot carry on the one before it: a by-line, a dateline, an indent..."""
    return line is None or line.kind not in ("text", "names") or line.indented or bool(LEAD.match(line.text))


@dataclass
class _Draft:
    """A paragraph being built from lines; its text is kept in parts, joined at the end."""

    parts: list[str]
    kind: str
    open: bool = False  # body text whose last sentence is not finished
    prose: bool = False  # holds prose punctuation

    @classmethod
    def of(cls, text: str, kind: str) -> _Draft:
        return cls([text], kind, kind == "body" and not _ended(text), bool(_PROSE_PUNCT & set(text)))

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def add(self, line: str) -> None:
        self.parts.append(self._joiner(line) + line)
        self.open = not _ended(self.parts[-2][-8:] + self.parts[-1])
        self.prose = self.prose or bool(_PROSE_PUNCT & set(line))

    def _joiner(self, line: str) -> str:
        """What goes between the paragraph and its next line: usually nothing."""
        a, b = self.parts[-1][-1], line[0]
        if a.isascii() and a.isalnum() and b.isascii() and b.isalnum():
            return " "
        # a dateline's by-line broken after a complete name: 本报讯 记者林晓东 / 青山县公安局
        if not self.prose and LEAD.match(self.parts[0]) and _ROLE_AND_NAME_AT_END.search(" " + self.text[-16:]):
            return " "
        return ""


def _headline_blocks(lines: list[_Line], columns: list[float]) -> list[bool]:
    """For each line, whether it is in a run of unpunctuated lines that looks like headlines.

    A paragraph may open with a line or two without punctuation, but then its text runs
    on; a block of headlines has a line clearly narrower than the column, or is followed
    by something that starts afresh (a by-line, a dateline, an indented paragraph).
    """
    result = [False] * len(lines)
    i = 0
    while i < len(lines):
        if not _headline_like(lines[i]):
            i += 1
            continue
        j = i
        while j < len(lines) and _headline_like(lines[j]):
            j += 1
        block = j - i >= 2 and (
            any(columns[k] and lines[k].width <= 0.8 * columns[k] for k in range(i, j))
            or _starts_something(lines[j] if j < len(lines) else None)
        )
        result[i:j] = [block] * (j - i)
        i = j
    return result


@functools.lru_cache(maxsize=1)
def _cut():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba.lcut


def _word_crosses(line: str, after: str) -> bool:
    """Whether a word runs on from the end of a line into the next (细致的工 / 作，)."""
    head, tail = line[-4:], after[:4]
    if not (_CJK_CHAR.match(head[-1]) and _CJK_CHAR.match(tail[0])):
        return False
    position = 0
    for word in _cut()(head + tail):
        if position < len(head) < position + len(word):
            return True
        position += len(word)
    return False


def _phrase_pair(line: _Line | None) -> bool:
    """Two short phrases and a comma, as headlines have them: 三级联动，织密调解网络."""
    if line is None or line.kind != "text" or len(line.text) > 16 or _ended(line.text):
        return False
    text = line.text
    return text.count("，") == 1 and sum(1 for c in text if c in _PROSE_PUNCT) == 1 and not text.endswith("，")


def _comma_headline(line: _Line, column: float, after: _Line | None, carries_on: bool) -> bool:
    """A narrow line of two phrases and a comma, the next line not carrying it on.

    三级联动，织密调解网络 is a headline; 普及防骗常识，护好老人的“钱 is not: the
    line after it opens with 包”。, the end of a sentence.
    """
    text = line.text
    if carries_on or not column or line.width > 0.85 * column or len(text) > 16 or after is None:
        return False
    if line.kind != "text" or line.indented or line.stretched or _ended(text) or LEAD.match(text):
        return False
    if not _phrase_pair(line):
        return False
    return after.kind != "text" or not any(c in _CONTINUES or c in _PROSE_PUNCT for c in after.text[:3])


def _is_headline(
    line: _Line, column: float, after: _Line | None, carries_on: bool, follows_heading: bool, in_headline_block: bool
) -> bool:
    """Whether a line of text is a headline (or a sub-heading) standing on its own line.

    Whatever the layout suggests, a line whose last word runs on into the next line
    is not a headline.
    """
    if _looks_like_headline(line, column, after, carries_on, follows_heading, in_headline_block):
        return line.has_gap or after is None or after.kind != "text" or not _word_crosses(line.text, after.text)
    return False


def _looks_like_headline(
    line: _Line, column: float, after: _Line | None, carries_on: bool, follows_heading: bool, in_headline_block: bool
) -> bool:
    short = bool(column) and line.width <= 0.8 * column
    if _headline_like(line):
        if line.has_gap or follows_heading:  # 织密网络 守护平安
            return True
        if column:  # a line clearly narrower or wider than its column
            if carries_on:
                return line.width <= 0.6 * column
            return short or line.width >= column + 3 or in_headline_block
        return (
            not carries_on
            and len(line.text) <= 30
            and (follows_heading or len(line.text) <= 12 or _starts_something(after) or _headline_like(after))
        )
    if _comma_headline(line, column, after, carries_on):
        return True
    # a headline's second line may hold a comma: 青山调解 / 小矛盾，就地化解
    return (
        follows_heading
        and not carries_on
        and not LEAD.match(line.text)
        and not line.indented
        and not line.stretched
        and not _ended(line.text)
        and len(line.text) <= 20
        and not set("。；！？") & set(line.text)
        and (_starts_something(after) or _headline_like(after) or _phrase_pair(after))
    )


def _paragraphs(lines: list[_Line]) -> list[_Draft]:
    """Group lines into paragraphs."""
    columns = _column_widths(lines)
    blocks = _headline_blocks(lines, columns)
    paragraphs: list[_Draft] = []
    for i, (line, column) in enumerate(zip(lines, columns)):
        after = lines[i + 1] if i + 1 < len(lines) else None
        last = paragraphs[-1] if paragraphs else None
        open_body = last is not None and last.kind == "body" and last.open
        if last and last.kind == "byline" and _ENDS_WITH_ROLE.search(last.parts[-1]) and (
            line.kind == "names" or (line.kind == "byline" and line.text[0] not in _BULLETS)
        ):
            last.parts.append(" " + line.text)  # □ 本报记者 / 林晓东 何平
            continue
        if line.kind == "credit" and last and last.kind == "body" and line.text.endswith("摄"):
            last.kind = "caption"
        if line.kind not in ("text", "names"):
            paragraphs.append(_Draft.of(line.text, line.kind))
            continue
        if line.kind == "names" and not open_body and last is not None and last.kind in ("body", "caption"):
            paragraphs.append(_Draft.of(line.text, "credit"))
            continue
        carries_on = open_body and not line.indented and not LEAD.match(line.text)
        if line.text.startswith(_CONTINUES) and last is not None and last.kind == "body":
            carries_on = True
        follows_heading = last is not None and last.kind in ("heading", "subheading")
        if _is_headline(line, column, after, carries_on, follows_heading, blocks[i]):
            paragraphs.append(_Draft.of(line.text, "heading"))
        elif carries_on and last is not None:
            last.add(line.text)
        else:
            paragraphs.append(_Draft.of(line.text, "body"))
    for paragraph in paragraphs:
        if paragraph.kind == "body" and paragraph.open and not paragraph.prose:
            text = paragraph.text
            if len(text) <= 30 and not LEAD.match(text):
                paragraph.kind = "heading"  # a short unpunctuated paragraph standing alone: a headline
    return paragraphs


def clean_text(raw: str) -> CleanText:
    """Rebuild paragraphs from a raw page; one paragraph per line of the result."""
    raw = _DROP.sub("", raw.replace("\r\n", "\n").translate(_LINE_BREAKS))
    raw = unicodedata.normalize("NFC", raw).translate(_FULLWIDTH_ALNUM)
    lines = [line for raw_line in raw.split("\n") for line in _line(raw_line)]
    text_parts, marks, offset = [], [], 0
    for paragraph in _paragraphs(lines):
        text, kind = paragraph.text, paragraph.kind
        text_parts.append(text)
        marks.append(Paragraph(offset, offset + len(text), kind))
        offset += len(text) + 1
    return CleanText("\n".join(text_parts), marks)
