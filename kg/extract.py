"""Per-document extraction: clean -> split -> recognise -> resolve -> relate.

``extract`` is pure: the same document and settings give the same ``DocResult``,
which is what makes caching and parallel runs safe.
"""
from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import importlib.resources

from .clean import clean_text
from .config import Config
from .lexicon import load_lexicon
from .models import DocResult, Document
from .recognise import Context, recognise
from .relate import relate
from .resolve import resolve
from .split import split_sentences

__all__ = ["extract", "make_context", "EXTRACTOR_VERSION"]

# the modules and word lists that decide a DocResult; the rest (export, CLI) does not
_EXTRACTION_SOURCES = ("*.py", "recognise/*.py", "relate/*.py", "lexicons/*")
_SEGMENTERS = ("jieba", "rjieba")  # the word cutters (kg.recognise.wordcut)
_NOT_EXTRACTION = {"cli.py", "pipeline.py", "cache.py", "executor.py", "layout.py", "assemble.py", "forked.py",
                   "style.py", "__main__.py"}


def _extractor_version() -> str:
    """A hash of the extraction code and lexicons: any change to a rule redoes cached results."""
    root = importlib.resources.files("kg")
    digest = hashlib.sha256()
    for pattern in _EXTRACTION_SOURCES:
        folder, _, glob = pattern.rpartition("/")
        base = root / folder if folder else root
        for entry in sorted(base.iterdir(), key=lambda e: e.name):
            if entry.is_file() and entry.name not in _NOT_EXTRACTION and (
                glob == "*" or entry.name.endswith(glob[1:])
            ):
                digest.update(f"{folder}/{entry.name}\0".encode())
                digest.update(entry.read_bytes())
    for package in _SEGMENTERS:  # another release may cut some words differently
        try:
            digest.update(f"{package} {importlib.metadata.version(package)}\0".encode())
        except importlib.metadata.PackageNotFoundError:
            digest.update(f"{package} absent\0".encode())
    return digest.hexdigest()[:16]


EXTRACTOR_VERSION = _extractor_version()


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
