"""Per-document extraction: clean -> split -> recognise -> resolve -> relate.

``extract`` is pure: the same document and settings give the same ``DocResult``,
which is what makes caching and parallel runs safe.
"""
from __future__ import annotations

import functools

from .clean import clean_text
from .config import Config
from .lexicon import load_lexicon
from .models import DocResult, Document
from .recognise import Context, recognise
from .relate import relate
from .resolve import resolve
from .split import split_sentences

__all__ = ["extract", "make_context", "EXTRACTOR_VERSION"]

# bump when a change to the rules changes results, so that cached results are redone
EXTRACTOR_VERSION = "0.1.0"


def make_context(config: Config) -> Context:
    return Context(lexicon=load_lexicon(config), entity_types=tuple(config.entity_types))


@functools.lru_cache(maxsize=4)
def _to_simplified():
    from opencc import OpenCC

    return OpenCC("t2s").convert


def extract(document: Document, context: Context, config: Config) -> DocResult:
    text = document.text
    if config.traditional_to_simplified:
        text = _to_simplified()(text)
    clean = clean_text(text)
    sentences = split_sentences(clean)
    mentions = recognise(sentences, context)
    mentions, entities = resolve(mentions, context, keep_anonymised=config.keep_anonymised, sentences=sentences)
    relations = relate(sentences, mentions, entities, context, cooccurrence=config.cooccurrence)
    return DocResult(document.doc_id, entities, relations, len(sentences), len(clean.text))
