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

import re
import unicodedata
from dataclasses import dataclass

from .pagelines import BULLETS, CJK, CJK_CHAR, LEAD, PROSE_PUNCT, ROLE, Line, ended, read_line

__all__ = ["Paragraph", "CleanText", "clean_text", "PARAGRAPH_KINDS", "LEAD"]

# heading: a headline or a markdown "#" title; subheading: markdown "##" and deeper, or
# numbered (一、); byline: "□ 本报记者 林晓东"; credit: what closes an article ("（何平）",
# a bare author name, "本报记者 某某 摄"); caption: the text of a photo; header: a page header.
PARAGRAPH_KINDS = ("body", "heading", "subheading", "byline", "credit", "caption", "header")

# a headline's lines hold none of these
_SENTENCE_ENDS = frozenset("。；！？")
# a line starting with one of these continues the paragraph before it
_CONTINUES = tuple("”’」』）)》，。、；：！？,.;:!?")
# never kept: controls (but newline and tab), surrogates, private use, non-characters, BOM
_DROP = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ue000-\uf8ff\ufdd0-\ufdef\ufeff\ufffe\uffff"
    "\U000f0000-\U0010ffff]"
)
_FULLWIDTH_ALNUM = {c: c - 0xFEE0 for a, b in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A)) for c in range(a, b + 1)}
_ANY_FULLWIDTH_ALNUM = re.compile("[０-９Ａ-Ｚａ-ｚ]")
_LINE_BREAKS = {0x2028: "\n", 0x2029: "\n", 0x0D: "\n"}
_OTHER_LINE_BREAK = re.compile("[\u2028\u2029\r]")
_ENDS_WITH_ROLE = re.compile(f"{ROLE}$")
_ROLE_AND_NAME_AT_END = re.compile(f" {ROLE}[{CJK}]{{2,3}}$")
# a numbered sub-heading: 一、加强组织领导  （二）压实责任  3. 强化保障
_NUMBERED = re.compile(r"^(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)]|\d{1,2}[.、．](?!\d))")


@dataclass
class Paragraph:
    start: int
    end: int
    kind: str  # one of PARAGRAPH_KINDS


@dataclass
class CleanText:
    text: str
    paragraphs: list[Paragraph]
    # the page marks its headings with "#": there "#" is a headline and "##" a sub-heading
    markdown: bool = False


def _column_widths(lines: list[Line]) -> list[float]:
    """The column width around each line, or 0 where lines are not wrapped to a width.

    In a PDF column most lines inside a paragraph have nearly the same width; a text
    pasted one paragraph per line has no such width, and its short lines say nothing.
    Only lines that carry on a paragraph are measured: the last line of a paragraph, a
    headline and a letter-spaced (stretched) line would skew the width.
    """
    inner = [
        line.width if line.kind == "text" and not line.stretched and not ended(line.text) else 0.0
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


def _headline_like(line: Line) -> bool:
    """Could be a headline: prose without its punctuation, not indented, not stretched."""
    return (
        line.kind == "text"
        and not line.indented
        and not line.stretched
        and PROSE_PUNCT.isdisjoint(line.text)
        and not line.text.startswith(_CONTINUES + ("【",))  # 【同期声】 labels a speaker
        and not LEAD.match(line.text)
    )


def _starts_something(line: Line | None) -> bool:
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
        return cls([text], kind, kind == "body" and not ended(text), not PROSE_PUNCT.isdisjoint(text))

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def add(self, line: str) -> None:
        self.parts.append(self._joiner(line) + line)
        self.open = not ended(self.parts[-2][-8:] + self.parts[-1])
        self.prose = self.prose or not PROSE_PUNCT.isdisjoint(line)

    def _joiner(self, line: str) -> str:
        """What goes between the paragraph and its next line: usually nothing."""
        a, b = self.parts[-1][-1], line[0]
        if a.isascii() and a.isalnum() and b.isascii() and b.isalnum():
            return " "
        # a dateline's by-line broken after a complete name: 本报讯 记者林晓东 / 青山县公安局
        if not self.prose and LEAD.match(self.parts[0]) and _ROLE_AND_NAME_AT_END.search(" " + "".join(self.parts[-3:])[-16:]):
            return " "
        return ""


def _headline_blocks(lines: list[Line], columns: list[float]) -> list[bool]:
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


def _cut(text: str) -> list[str]:
    # the recognisers' jieba, with their changes to its dictionary made before any cut:
    # a document's cleaning must not depend on whether it came first in its process
    from .recognise.wordcut import segment

    return segment(text)


def _word_crosses(line: str, after: str) -> bool:
    """Whether a word runs on from the end of a line into the next (细致的工 / 作，)."""
    head, tail = line[-4:], after[:4]
    if not (CJK_CHAR.match(head[-1]) and CJK_CHAR.match(tail[0])):
        return False
    position = 0
    for word in _cut(head + tail):
        if position < len(head) < position + len(word):
            return True
        position += len(word)
    return False


def _carried_on(line: Line | None) -> bool:
    """The line opens in the middle of a sentence: 包”。, 重庆、四川."""
    return line is not None and line.kind == "text" and any(c in _CONTINUES or c in PROSE_PUNCT for c in line.text[:3])


def _phrase_pair(line: Line | None, longest: int = 16) -> bool:
    """Two short phrases and a comma, as headlines have them: 三级联动，织密调解网络."""
    if line is None or line.kind != "text" or len(line.text) > longest or ended(line.text):
        return False
    if line.indented or line.stretched or LEAD.match(line.text):
        return False
    text = line.text
    return text.count("，") == 1 and sum(1 for c in text if c in PROSE_PUNCT) == 1 and not text.endswith("，")


def _comma_headline(line: Line, column: float, after: Line | None, carries_on: bool) -> bool:
    """A line of two phrases and a comma, the next line not carrying it on.

    三级联动，织密调解网络 is a headline; 普及防骗常识，护好老人的“钱 is not: the
    line after it opens with 包”。, the end of a sentence. Such a headline is narrower
    than its column, or closes on a quotation mark (强化源头治理，守好群众“钱包”) where
    a line of prose would go on.
    """
    text = line.text
    if carries_on or not column or after is None or line.indented or line.stretched or LEAD.match(text):
        return False
    quoted = text.endswith(("”", "’", "」", "』"))
    if not (_phrase_pair(line) and line.width <= 0.85 * column) and not (quoted and _phrase_pair(line, 20)):
        return False
    return not _carried_on(after)


def _is_headline(
    line: Line, column: float, after: Line | None, carries_on: bool, follows_heading: bool, in_headline_block: bool
) -> bool:
    """Whether a line of text is a headline (or a sub-heading) standing on its own line.

    Whatever the layout suggests, a line whose last word runs on into the next line
    is not a headline.
    """
    if _looks_like_headline(line, column, after, carries_on, follows_heading, in_headline_block):
        return line.has_gap or after is None or after.kind != "text" or not _word_crosses(line.text, after.text)
    return False


def _looks_like_headline(
    line: Line, column: float, after: Line | None, carries_on: bool, follows_heading: bool, in_headline_block: bool
) -> bool:
    short = bool(column) and line.width <= 0.8 * column
    if _headline_like(line):
        if line.has_gap or (follows_heading and not _carried_on(after)):  # 织密网络 守护平安
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
        and not ended(line.text)
        and len(line.text) <= 20
        and _SENTENCE_ENDS.isdisjoint(line.text)
        and (_starts_something(after) or _headline_like(after) or _phrase_pair(after))
    )


def _is_numbered_heading(text: str) -> bool:
    numbered = _NUMBERED.match(text)
    if not numbered or len(text) > 30 or ended(text):
        return False
    rest = text[numbered.end() :]
    return bool(rest) and PROSE_PUNCT.isdisjoint(rest)


def _paragraphs(lines: list[Line]) -> list[_Draft]:
    """Group lines into paragraphs."""
    columns = _column_widths(lines)
    blocks = _headline_blocks(lines, columns)
    paragraphs: list[_Draft] = []
    for i, (line, column) in enumerate(zip(lines, columns)):
        after = lines[i + 1] if i + 1 < len(lines) else None
        last = paragraphs[-1] if paragraphs else None
        open_body = last is not None and last.kind == "body" and last.open
        if last and last.kind == "byline" and _ENDS_WITH_ROLE.search(last.parts[-1]) and (
            line.kind == "names" or (line.kind == "byline" and line.text[0] not in BULLETS)
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
        if _is_numbered_heading(line.text):
            paragraphs.append(_Draft.of(line.text, "subheading"))
        elif _is_headline(line, column, after, carries_on, follows_heading, blocks[i]):
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
    raw = raw.replace("\r\n", "\n")
    if _OTHER_LINE_BREAK.search(raw):
        raw = raw.translate(_LINE_BREAKS)
    raw = unicodedata.normalize("NFC", _DROP.sub("", raw))
    if _ANY_FULLWIDTH_ALNUM.search(raw):  # translating is slow: only pages that need it
        raw = raw.translate(_FULLWIDTH_ALNUM)
    lines = [line for raw_line in raw.split("\n") for line in read_line(raw_line)]
    markdown = any(line.markdown for line in lines)
    text_parts, marks, offset = [], [], 0
    for paragraph in _paragraphs(lines):
        text, kind = paragraph.text, paragraph.kind
        text_parts.append(text)
        marks.append(Paragraph(offset, offset + len(text), kind))
        offset += len(text) + 1
    return CleanText("\n".join(text_parts), marks, markdown)
