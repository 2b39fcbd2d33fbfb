"""Cut cleaned text into sentences, and a page into the articles it holds.

Sentences are the unit of evidence and co-occurrence. Sections matter because a
newspaper page holds several articles: "the place the article is about" (for short
forms such as 县公安局) must not leak from one article into the next.

An article opens with a dateline (本报讯, 本报北京3月5日电) or a by-line, and closes
with an author credit ((何平), a bare name, 本报记者 某某 摄). Headlines are the hard
part: copied from a PDF, a headline may come before its article, after it (the layout
put it at the bottom of the column), or far from it among the other headlines of the
page. A headline is given to the article whose words it shares most: 青山县建成调解
中心 goes with the text about 青山县司法局建成的调解中心 printed above it. A heading inside an
article (a sub-heading) keeps the article going. So the sections of a page are numbered
in the order articles start, and a headline printed away from its article carries its
article's number: sentences of one section are not always contiguous.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from .clean import LEAD, CleanText
from .models import Sentence

__all__ = ["split_sentences", "article_sections"]

# a sentence ends at 。！？； (with any closing quotes after it), or at a long gap
_END = re.compile(r"[。！？!?；;…]+[”’」』）)]*|\s{2,}")
_MAX_LEN = 300
_HEADINGS = ("heading", "subheading")
# share of a headline's character pairs found in an article's text for the headline to
# close that article (a trailing headline rather than a sub-heading), and to be given to
# it rather than to another article once it is known to stand between two articles
_CLOSES = 0.5
_BELONGS = 0.3
# how many articles away from where it is printed a headline is looked for: a page
# holds a few dozen articles at most
_REACH = 30
_CJK_PAIR = re.compile(r"(?=([\u3400-\u9fff]{2}))")


def _pairs(text: str) -> set[str]:
    return set(_CJK_PAIR.findall(text))


@dataclass
class _Unit:
    """A run of body paragraphs (a segment of an article), or of the other kinds (a block)."""

    body: bool
    paragraphs: list[int] = field(default_factory=list)


def _units(clean: CleanText, texts: list[str]) -> list[_Unit]:
    """Runs of body paragraphs and of the others; a dateline starts a run of its own."""
    units: list[_Unit] = []
    for i, paragraph in enumerate(clean.paragraphs):
        body = paragraph.kind == "body"
        if not units or units[-1].body != body or (body and LEAD.match(texts[i])):
            units.append(_Unit(body))
        units[-1].paragraphs.append(i)
    return units


class _ArticlePairs:
    """The character pairs of each article's body, worked out only when a headline asks."""

    def __init__(self) -> None:
        self.pairs: list[set[str]] = []
        self.pending: list[list[str]] = []  # body texts not yet read into pairs

    def new(self) -> None:
        self.pairs.append(set())
        self.pending.append([])

    def add(self, article: int, text: str) -> None:
        self.pending[article].append(text)

    def __len__(self) -> int:
        return len(self.pairs)

    def __getitem__(self, article: int) -> set[str]:
        for text in self.pending[article]:
            self.pairs[article] |= _pairs(text)
        self.pending[article].clear()
        return self.pairs[article]


def _shared(pairs: set[str], text_pairs: set[str]) -> float:
    return len(pairs & text_pairs) / len(pairs) if pairs else 0.0


def article_sections(clean: CleanText) -> list[int]:
    """The article (section number) of each paragraph; -1 for a page header."""
    paragraphs = clean.paragraphs
    texts = [clean.text[p.start : p.end] for p in paragraphs]
    kinds = [p.kind for p in paragraphs]
    marked_up = clean.markdown  # "#" is a headline there, and "##" a sub-heading
    units = _units(clean, texts)
    section = [0] * len(paragraphs)
    article_pairs = _ArticlePairs()

    def new_article() -> int:
        article_pairs.new()
        return len(article_pairs) - 1

    current: int | None = None
    for u, unit in enumerate(units):
        if unit.body:
            if current is None or (u > 0 and units[u - 1].body):  # two datelines in a row
                current = new_article()
            for i in unit.paragraphs:
                section[i] = current
                article_pairs.add(current, texts[i])
            continue
        after = units[u + 1] if u + 1 < len(units) else None
        # only headlines after the first article are weighed by the words they share
        weighed = current is not None and any(kinds[i] in _HEADINGS for i in unit.paragraphs)
        after_pairs = set().union(*(_pairs(texts[i]) for i in after.paragraphs)) if after and weighed else set()
        after_lead = after is not None and bool(LEAD.match(texts[after.paragraphs[0]]))
        current = _place_block(
            unit.paragraphs, texts, kinds, section, article_pairs, current, after_pairs, after is not None,
            after_lead, marked_up, new_article,
        )
    return section


def _place_block(
    block: list[int],
    texts: list[str],
    kinds: list[str],
    section: list[int],
    article_pairs: _ArticlePairs,
    current: int | None,
    after_pairs: set[str],
    has_after: bool,
    after_lead: bool,
    marked_up: bool,
    new_article,
) -> int | None:
    """Give each paragraph of a block between two body segments its article.

    Returns the article the next segment belongs to.
    """
    if current is None:  # the top of the page: everything but a photo opens the first article
        first, caption = new_article(), None
        for i in block:
            if kinds[i] == "caption" or (kinds[i] == "credit" and caption is not None):
                caption = new_article() if kinds[i] == "caption" else caption
                section[i] = caption
            else:
                section[i] = -1 if kinds[i] == "header" else first
        return first
    headline_kinds = ("heading",) if marked_up else _HEADINGS
    trailing = {}
    for i in block:
        if kinds[i] in _HEADINGS:
            pairs = _pairs(texts[i])
            before = _shared(pairs, article_pairs[current])
            nearby = range(max(0, current - _REACH), min(len(article_pairs), current + _REACH))
            elsewhere = max(
                ((_shared(pairs, article_pairs[a]), a) for a in nearby if a != current), default=(0.0, -1)
            )
            trailing[i] = (before, _shared(pairs, after_pairs), elsewhere)
    starts_article = (
        not has_after
        or after_lead
        or any(kinds[i] in ("byline", "credit", "caption", "header") for i in block)
        or any(kinds[i] in headline_kinds for i in block if marked_up)
        # a headline sharing most of its words with the article above closes it
        or any(
            before >= _CLOSES and before > ahead
            for i, (before, ahead, _) in trailing.items()
            if kinds[i] == "heading"
        )
    )
    if not starts_article:  # sub-headings inside the article
        for i in block:
            section[i] = current
        return current
    following: int | None = None

    def next_article() -> int:
        nonlocal following
        if following is None:
            following = new_article()
        return following

    previous_kind = None
    caption: int | None = None
    for i in block:
        kind = kinds[i]
        if kind == "header":
            section[i] = -1
        elif kind == "caption":
            caption = new_article()
            section[i] = caption
        elif kind == "credit" and caption is not None and texts[i].endswith("摄"):
            section[i] = caption
        elif kind == "credit":
            section[i] = current
        elif kind in _HEADINGS:
            before, ahead, (other, other_article) = trailing[i]
            if before >= _BELONGS and before >= ahead and before >= other:
                section[i] = current
            elif other >= _BELONGS and other > max(before, ahead):
                section[i] = other_article
            else:
                section[i] = next_article()
        elif kind == "byline" and previous_kind in _HEADINGS and section[i - 1] == current:
            section[i] = current  # a trailing headline with its by-line
        else:
            section[i] = next_article()
        previous_kind = kind
    return next_article() if has_after else following


def _pieces(text: str, start: int) -> Iterator[tuple[int, int]]:
    pos = 0
    for m in _END.finditer(text):
        yield start + pos, start + m.end()
        pos = m.end()
    if pos < len(text):
        yield start + pos, start + len(text)


def split_sentences(clean: CleanText) -> list[Sentence]:
    """Sentences in reading order, each with the article (section) it belongs to.

    A page header (date, 第5版) gives no sentence.
    """
    sentences: list[Sentence] = []
    for para, section in zip(clean.paragraphs, article_sections(clean)):
        if section < 0:
            continue
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
