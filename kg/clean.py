"""Undo what PDF and OCR copying did to a page before anything is recognised.

Real input has hard line breaks in the middle of words (罗湖区\\n\\n信访局), letter-spaced
lines (同 比 下 降), full-width spaces, markdown headings and by-lines. The cleaner joins
wrapped lines back into paragraphs, removes spaces inside words, and marks each paragraph
as a heading, a by-line or body text. Offsets of later stages refer to the cleaned text.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = ["Paragraph", "CleanText", "clean_text"]

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TERMINAL = "。！？!?；;…"
_CLOSERS = "”’」』）)》"
_BULLETS = "□■◆●◇○★☆▲△※"
# characters that are never kept: control characters (except newline and tab),
# surrogates, private-use and non-characters are dropped before anything else.
_DROP = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ue000-\uf8ff\ufdd0-\ufdef\ufffe\uffff\ufeff]"
)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u3000]+")
_CJK_CHAR = re.compile(f"[{_CJK}]")
_BYLINE = re.compile(r"^(?:[□■◆●]|本报记者|本报通讯员|记者|通讯员|实习生|见习记者|特约记者)")


@dataclass
class Paragraph:
    start: int
    end: int
    kind: str  # "heading" | "byline" | "body"


@dataclass
class CleanText:
    text: str
    paragraphs: list[Paragraph]


def _cjk_count(token: str) -> int:
    return len(_CJK_CHAR.findall(token))


def _join_tokens(tokens: list[str]) -> str:
    """Join the space-separated tokens of one line, dropping spaces inside words.

    A line where most tokens are single characters is letter-spaced and is joined
    whole; otherwise only runs of single characters (周 伟) and spaces next to
    punctuation or digits are removed, so that by-lines (韩雅丽 张静) keep their gaps.
    """
    if len(tokens) < 2:
        return "".join(tokens)
    singles = sum(1 for t in tokens if _cjk_count(t) <= 1)
    letter_spaced = len(tokens) >= 4 and singles / len(tokens) > 0.6
    out = tokens[0]
    for prev, token in zip(tokens, tokens[1:]):
        a, b = out[-1], token[0]
        glue = letter_spaced or (_cjk_count(prev) == 1 and _cjk_count(token) == 1)
        if not glue:
            glue = not (a.isascii() and a.isalnum() and b.isascii() and b.isalnum()) and (
                _cjk_count(prev) == 0 or _cjk_count(token) == 0
            )
        out += token if glue else " " + token
    return out


def _normalise_line(line: str) -> tuple[str, bool]:
    """Return the line without inner spaces, and whether it was indented."""
    indented = line.startswith(("\u3000", "  ", "\t"))
    line = unicodedata.normalize("NFC", line)
    # full-width letters and digits to ASCII; keep full-width punctuation as written
    line = "".join(
        chr(ord(c) - 0xFEE0) if "\uff10" <= c <= "\uff19" or "\uff21" <= c <= "\uff5a" else c
        for c in line
    )
    stripped = line.strip(" \t\u00a0\u3000")
    if stripped.startswith("#"):
        stripped = stripped.lstrip("#").strip()
        return "#" + _join_tokens(_SPACES.split(stripped)), indented
    return _join_tokens([t for t in _SPACES.split(stripped) if t]), indented


def _kind(line: str) -> str:
    if line.startswith("#"):
        return "heading"
    if _BYLINE.match(line) and len(line) <= 40 and not any(p in line for p in "，。,"):
        return "byline"
    return "body"


def _ends_paragraph(line: str) -> bool:
    if not line:
        return True
    last = line.rstrip(_CLOSERS)[-1:] if line.rstrip(_CLOSERS) else ""
    if last and last in _TERMINAL:
        return True
    # a short line entirely in brackets is an author credit: （王世昌）
    return bool(re.fullmatch(r"[（(][^（）()]{1,12}[）)]", line))


def _starts_paragraph(line: str, indented: bool) -> bool:
    return (
        indented
        or line.startswith(("#", "本报讯", *_BULLETS))
        or bool(re.match(r"^(?:本报|新华社)[^，。]{0,12}(?:电|讯)", line))
    )


def clean_text(raw: str) -> CleanText:
    """Rebuild paragraphs from a raw page; one paragraph per line of the result."""
    raw = _DROP.sub("", raw.replace("\r\n", "\n").replace("\r", "\n"))
    paragraphs: list[tuple[str, str]] = []  # (text, kind)
    current = ""
    for raw_line in raw.split("\n"):
        line, indented = _normalise_line(raw_line)
        if not line:
            continue
        kind = _kind(line)
        if current and (
            kind != "body" or _starts_paragraph(line, indented) or _ends_paragraph(current)
            or _kind(current) != "body"
        ):
            paragraphs.append((current, _kind(current)))
            current = ""
        if current and current[-1].isascii() and current[-1].isalnum() and line[0].isascii() and line[0].isalnum():
            current += " "
        current += line
    if current:
        paragraphs.append((current, _kind(current)))

    text_parts, marks, offset = [], [], 0
    for para, kind in paragraphs:
        para = para.lstrip("#").strip() if kind == "heading" else para
        if kind == "body" and len(para) <= 30 and not _ends_paragraph(para) and not any(
            p in para for p in "，,。"
        ):
            kind = "heading"  # a short unpunctuated line standing alone: a headline
        text_parts.append(para)
        marks.append(Paragraph(offset, offset + len(para), kind))
        offset += len(para) + 1
    return CleanText("\n".join(text_parts), marks)
