"""Cut cleaned text into sentences, and a page into the articles it holds.

Sentences are the unit of evidence and co-occurrence. Sections matter because a
newspaper page holds several articles: "the place the article is about" (for short
forms such as 县公安局) must not leak from one article into the next.
"""
from __future__ import annotations

import re

from .clean import CleanText
from .models import Sentence

__all__ = ["split_sentences"]

# a sentence ends at 。！？； (with any closing quotes after it), or at a long gap
_END = re.compile(r"[。！？!?；;…]+[”’」』）)]*|\s{2,}")
_MAX_LEN = 300


def _pieces(text: str, start: int):
    pos = 0
    for m in _END.finditer(text):
        yield start + pos, start + m.end()
        pos = m.end()
    if pos < len(text):
        yield start + pos, start + len(text)


def split_sentences(clean: CleanText) -> list[Sentence]:
    """Sentences in reading order; a heading after body text opens a new section."""
    sentences: list[Sentence] = []
    section, previous_kind = 0, "heading"
    for para in clean.paragraphs:
        body_start = para.kind == "body" and re.match(r"^(?:本报|新华社)\S{0,12}(?:讯|电)", clean.text[para.start:para.end])
        if (para.kind == "heading" or body_start) and previous_kind == "body":
            section += 1
        previous_kind = para.kind
        for start, end in _pieces(clean.text[para.start : para.end], para.start):
            raw = clean.text[start:end]
            text = raw.strip()
            if not text:
                continue
            start += len(raw) - len(raw.lstrip())
            # very long runs (tables, lists without punctuation) are cut at commas
            while len(text) > _MAX_LEN:
                cut = max(text.rfind("，", 0, _MAX_LEN), text.rfind(",", 0, _MAX_LEN))
                cut = cut + 1 if cut > 0 else _MAX_LEN
                sentences.append(Sentence(len(sentences), start, start + cut, text[:cut], section))
                start, text = start + cut, text[cut:]
            sentences.append(Sentence(len(sentences), start, start + len(text), text, section))
    return sentences
