"""Find the article files under the inputs and decode them.

Decoding uses charset-normalizer, which tells UTF-8, GB18030/GBK, Big5 and UTF-16
apart; a file that is empty, binary or undecodable is reported and skipped, and the
rest of the corpus still builds.
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes

from .errors import InputError
from .models import Document

__all__ = ["Skipped", "discover", "read_document", "read_documents"]


@dataclass
class Skipped:
    path: str
    reason: str


def discover(inputs: list[str | os.PathLike], extensions: list[str]) -> list[tuple[Path, str]]:
    """(path, document id) for every article file, folders walked in sorted order."""
    found: list[tuple[Path, str]] = []
    exts = {e.lower() for e in extensions}
    for raw in inputs:
        root = Path(raw)
        if not root.exists():
            raise InputError(f"input '{raw}' does not exist; give a file or a folder of articles")
        if root.is_file():
            found.append((root, root.name))
            continue
        for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
            dirnames.sort()
            for name in sorted(filenames):
                path = Path(dirpath) / name
                if path.suffix.lower() in exts:
                    found.append((path, path.relative_to(root).as_posix()))
    return found


def decode(data: bytes) -> str | None:
    """The text of a file's bytes, or None when it is not text."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    return str(best) if best is not None else None


def read_document(path: Path, doc_id: str) -> Document | Skipped:
    try:
        data = path.read_bytes()
    except OSError as exc:
        return Skipped(str(path), f"cannot be read ({exc.strerror or exc})")
    if not data.strip():
        return Skipped(str(path), "is empty")
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Skipped(str(path), "is binary, not text")
    text = decode(data)
    if text is None:
        return Skipped(str(path), "is not text in any encoding kg knows")
    return Document(doc_id, str(path.resolve()), text)


def read_documents(inputs: list[str | os.PathLike], extensions: list[str]) -> Iterator[Document | Skipped]:
    for path, doc_id in discover(inputs, extensions):
        yield read_document(path, doc_id)
