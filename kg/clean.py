"""Undo what PDF and OCR copying did to a page before anything is recognised.

Real input has hard line breaks in the middle of words (罗湖区\\n\\n信访局), letter-spaced
lines (同 比 下 降), full-width spaces, markdown headings, by-lines, author credits and
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
# byline: "□ 本报记者 李光明"; credit: what closes an article ("（王世昌）", a bare
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
# never kept: controls (but newline and tab), surrogates, private use, non-characters, BOM
_DROP = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ue000-\uf8ff\ufdd0-\ufdef\ufeff\ufffe\uffff"
    "\U000f0000-\U0010ffff]"
)
_FULLWIDTH_ALNUM = {c: c - 0xFEE0 for r in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A)) for c in range(r[0], r[1] + 1)}
_LINE_BREAKS = {0x2028: "\n", 0x2029: "\n", 0x0D: "\n"}
_GAP = re.compile(r"[ \t\u00a0\u2000-\u200b\u3000]+")
_CJK_CHAR = re.compile(f"[{_CJK}]")
_ROLE = r"(?:本报|本台)?(?:特约|见习|首席)?(?:摄影记者|记者|通讯员|实习生|特约撰稿人)"
_NAME = f"[{_CJK}]{{1,4}}"
# a by-line: an optional bullet, then reporter roles and names only
_BYLINE = re.compile(
    f"^(?:[{_BULLETS}] ?(?:{_ROLE} ?)?{_NAME}(?:[ 、]+(?:[{_BULLETS}] ?)?(?:{_ROLE} ?)?{_NAME})*"
    f"|(?:[{_BULLETS}] ?)?(?:{_ROLE} ?{_NAME}?)(?:[ 、]+(?:[{_BULLETS}] ?)?(?:{_ROLE} ?)?{_NAME})*)$"
)
_ENDS_WITH_ROLE = re.compile(f"{_ROLE}$")
_ROLE_AND_NAME_AT_END = re.compile(f"(?:^| ){_ROLE}[{_CJK}]{{2,3}}$")
# the author's name closing an article, alone or after the last sentence
_NAMES = f"[{_CJK}]{{2,3}}(?: [{_CJK}]{{2,3}}){{0,2}}"
_BRACKET_CREDIT = r"[（(][^（）()。]{1,24}[）)]"
_PHOTO_CREDIT = re.compile(f"^(?:[{_BULLETS}] ?)?(?:{_ROLE} ?)?{_NAME}(?: (?:{_ROLE} ?)?{_NAME})* ?摄$")
_TRAILING_CREDIT = re.compile(
    f"^(.*[{_TERMINAL}{_CLOSERS}])[ \u3000]+({_BRACKET_CREDIT}|[{_CJK}]{{2,3}}(?:[ \u3000]+[{_CJK}]{{2,3}}){{0,2}}"
    f"|(?:{_ROLE}[ \u3000]*)?[{_CJK}]{{2,4}}(?:[ \u3000]+(?:{_ROLE}[ \u3000]*)?[{_CJK}]{{2,4}})*[ \u3000]*摄)$"
)
# an article opens with a dateline: 本报讯, 本报北京12月19日电, 新华社北京电, 本台消息
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
    has_gap: bool  # a space kept between two words: a headline "甲乙丙 丁戊己"
    stretched: bool  # letter-spaced: a justified line, as wide as its column


def _is_single(token: str) -> bool:
    """One CJK character, maybe with punctuation stuck to it (勇）, ，福)."""
    cjk = _CJK_CHAR.findall(token)
    return len(cjk) == 1 and not any(c.isalnum() and not _CJK_CHAR.match(c) for c in token)


def _join_tokens(tokens: list[str], gaps: list[str], keep_word_gaps: bool) -> tuple[str, bool, bool]:
    """Join the space-separated tokens of one line.

    Returns the text, whether a gap between two words was kept, and whether the line
    was letter-spaced.

    Copying puts spaces inside words: a letter-spaced line (同 比 下 降) is joined
    whole, keeping only its wider gaps (王 柄 又  近 日: the gap after the name), and
    single characters (周 伟) are joined to each other. Between two words a gap is kept:
    by-lines separate names with it (韩雅丽 张静), headlines separate phrases with it. In
    prose (keep_word_gaps False) a lone character is also joined to the word next to it
    (支队长彭 志 / 刚: a spaced name broken across lines).
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
        elif not _CJK_CHAR.search(prev) or not _CJK_CHAR.search(token):
            keep = False
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


def _line(raw: str) -> list[_Line]:
    """Normalise one raw line; a line ending with an author credit gives two lines."""
    indented = raw.startswith(("\u3000", "  ", "\t"))
    stripped = raw.strip(" \t\u00a0\u3000\u200b")
    if not stripped:
        return []
    level = 0
    markdown = _MARKDOWN.match(stripped)
    if markdown:
        level = len(markdown.group(1))
        stripped = stripped[markdown.end() :]
    parts = [stripped]
    credit = _TRAILING_CREDIT.match(stripped) if not level else None
    if credit and _GAP.search(credit.group(1)[-12:]) is None:
        parts = [credit.group(1), credit.group(2)]
    lines = []
    for n, part in enumerate(parts):
        gaps = _GAP.findall(part)
        tokens = _GAP.split(part)
        spaced = " ".join(tokens)
        if level:
            kind = "heading" if level == 1 else "subheading"
        elif _PAGE_HEADER.search(spaced) and len(spaced) <= 60 and not _PROSE_PUNCT & set(spaced):
            kind = "header"
        elif _PHOTO_CREDIT.match(spaced) and (" " in spaced or re.search(_ROLE, spaced)):
            kind = "credit"
        elif n == 1 or re.fullmatch(_BRACKET_CREDIT, spaced):
            kind = "credit"
        elif _BYLINE.match(spaced) and (spaced[0] in _BULLETS or re.match(_ROLE, spaced)):
            kind = "byline"
        else:
            kind = "text"
        text, has_gap, stretched = _join_tokens(tokens, gaps, keep_word_gaps=kind != "text")
        if kind == "header":
            text = " ".join(t for t in tokens)
        if kind == "text" and re.fullmatch(_NAMES, text):
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


def _joiner(paragraph: str, line: str) -> str:
    """What goes between a paragraph and its next line: usually nothing."""
    a, b = paragraph[-1], line[0]
    if a.isascii() and a.isalnum() and b.isascii() and b.isalnum():
        return " "
    # a dateline's by-line broken after a complete name: 本报讯 记者万静 / 国家药监局
    if LEAD.match(paragraph) and not _PROSE_PUNCT & set(paragraph) and _ROLE_AND_NAME_AT_END.search(paragraph):
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
    """Whether a word runs on from the end of a line into the next (系统性工 / 作，)."""
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
    """Two short phrases and a comma, as headlines have them: 扫黑除恶，建设善美平湖街道."""
    if line is None or line.kind != "text" or len(line.text) > 16 or _ended(line.text):
        return False
    text = line.text
    return text.count("，") == 1 and sum(1 for c in text if c in _PROSE_PUNCT) == 1 and not text.endswith("，")


def _comma_headline(line: _Line, column: float, after: _Line | None, carries_on: bool) -> bool:
    """A narrow line of two phrases and a comma, the next line not carrying it on.

    扫黑除恶，建设善美平湖街道 is a headline; 宣讲金融知识，守好群众“钱袋 is not: the
    line after it opens with 子”。, the end of a sentence.
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
        if line.has_gap or follows_heading:  # 推动干部下沉 贴心服务群众
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
    # a headline's second line may hold a comma: 江苏常州 / 党建引领，老旧小区换新颜
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


def _paragraphs(lines: list[_Line]) -> list[list]:
    """Group lines into [text, kind, open] paragraphs."""
    columns = _column_widths(lines)
    blocks = _headline_blocks(lines, columns)
    paragraphs: list[list] = []
    for i, (line, column) in enumerate(zip(lines, columns)):
        after = lines[i + 1] if i + 1 < len(lines) else None
        last = paragraphs[-1] if paragraphs else None
        open_body = last is not None and last[1] == "body" and last[2]
        if last and last[1] == "byline" and _ENDS_WITH_ROLE.search(last[0]) and (
            line.kind == "names" or (line.kind == "byline" and not re.match(f"[{_BULLETS}]", line.text))
        ):
            last[0] += " " + line.text  # □ 本报记者 / 崔东凯 张冲
            continue
        if line.kind == "credit" and last and last[1] == "body" and line.text.endswith("摄"):
            last[1] = "caption"
        if line.kind not in ("text", "names"):
            paragraphs.append([line.text, line.kind, False])
            continue
        if line.kind == "names" and not open_body and last is not None and last[1] in ("body", "caption"):
            paragraphs.append([line.text, "credit", False])
            continue
        carries_on = open_body and not line.indented and not LEAD.match(line.text)
        if line.text.startswith(_CONTINUES) and last is not None and last[1] == "body":
            carries_on = True
        follows_heading = last is not None and last[1] in ("heading", "subheading")
        if _is_headline(line, column, after, carries_on, follows_heading, blocks[i]):
            paragraphs.append([line.text, "heading", False])
        elif carries_on and last is not None:
            last[0] += _joiner(last[0], line.text) + line.text
            last[2] = not _ended(last[0])
        else:
            paragraphs.append([line.text, "body", not _ended(line.text)])
    for paragraph in paragraphs:
        text = paragraph[0]
        if (
            paragraph[1] == "body"
            and paragraph[2]
            and len(text) <= 30
            and not _PROSE_PUNCT & set(text)
            and not LEAD.match(text)
        ):
            paragraph[1] = "heading"  # a short unpunctuated paragraph standing alone: a headline
    return paragraphs


def clean_text(raw: str) -> CleanText:
    """Rebuild paragraphs from a raw page; one paragraph per line of the result."""
    raw = _DROP.sub("", raw.replace("\r\n", "\n").translate(_LINE_BREAKS))
    raw = unicodedata.normalize("NFC", raw).translate(_FULLWIDTH_ALNUM)
    lines = [line for raw_line in raw.split("\n") for line in _line(raw_line)]
    text_parts, marks, offset = [], [], 0
    for text, kind, _ in _paragraphs(lines):
        text_parts.append(text)
        marks.append(Paragraph(offset, offset + len(text), kind))
        offset += len(text) + 1
    return CleanText("\n".join(text_parts), marks)
