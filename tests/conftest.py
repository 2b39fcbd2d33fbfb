from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "articles"


@pytest.fixture(scope="session")
def context():
    from kg.config import Config
    from kg.extract import make_context

    return make_context(Config())


@pytest.fixture
def extract_text(context):
    """Run the whole per-document extraction on a short text of our own."""
    from kg.config import Config
    from kg.extract import extract
    from kg.models import Document

    def run(text: str, doc_id: str = "t.txt"):
        return extract(Document(doc_id, doc_id, text), context, Config())

    return run
