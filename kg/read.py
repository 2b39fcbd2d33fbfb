"""Find the article files under the inputs and decode them.

Real folders are messy: files exported from Windows in GBK, Big5 from Taiwan or Hong
Kong, UTF-16 from Word, images and PDFs named ``.txt``, empty or half-written files,
links that loop, files deleted while kg runs. Every file either becomes a
``Document`` or a ``Skipped`` with a one-line reason, and the rest of the corpus
still builds. A file whose text is the same as an earlier one's is read once and
reported as a duplicate.
"""
from __future__ import annotations

import errno
import functools
import hashlib
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from charset_normalizer import from_bytes

from .errors import InputError
from .models import Document

__all__ = [
    "SKIP_KINDS",
    "Skipped",
    "decode",
    "discover",
    "display_name",
    "nothing_read",
    "read_document",
    "read_documents",
]

# why a file was not read; "duplicate" files were read but hold an earlier file's text
SKIP_KINDS = (
    "binary", "empty", "undecodable", "unreadable", "vanished", "link loop", "too large", "not a file", "duplicate",
)
DEFAULT_MAX_BYTES = 20 * 2**20

# magic numbers of the binary files most often found among articles
_MAGIC = (
    (b"%PDF-", "a PDF document (convert it to text first, e.g. with pdftotext)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"RIFF", "a RIFF file (WebP image, WAV or AVI)"),
    (b"PK\x03\x04", "a ZIP archive or Office document"),
    (b"\xd0\xcf\x11\xe0", "an old Office document (.doc/.xls)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"\x7fELF", "a program"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\x00\x05\x16\x07", "a macOS resource fork (a '._' file from an archive)"),
    (b"{\\rtf", "an RTF document (save it as plain text first)"),
)
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),  # before utf-16-le: same first two bytes
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
# Chinese news is written in one of the two national encodings when it is not Unicode
_CHINESE_ENCODINGS = ("gb18030", "big5")
_PLAIN_HANZI = 50  # common characters that make a text plainly Chinese (short ones fool a detector)
_CHINESE_CHARACTER = re.compile("[\u3400-\u9fff\uf900-\ufaff]")
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


@dataclass
class Skipped:
    """A file that was not read, and why, in words a user can act on."""

    path: str
    reason: str
    kind: str = "unreadable"  # one of SKIP_KINDS


@dataclass(frozen=True)
class Listed:
    """A document known by the hash of its text rather than its text (``list_documents``)."""

    doc_id: str
    path: str  # absolute, as in ``Document``
    text_key: str  # ``content_hash`` of its text
    text: str | None = None  # the text, when it was read to be listed and asked to be kept


class FileIndex(Protocol):
    """What the files held when they were last read, by path and ``os.stat``: a file
    whose size, times and inode are unchanged need not be read again (``kg.cache``)."""

    def known(self, path: str, info: os.stat_result) -> tuple[str, str] | None:
        """(content hash, fingerprint) of the file when it is as it was, else None."""

    def remember(self, path: str, info: os.stat_result, text_key: str, fingerprint: str) -> None: ...


def content_hash(text: str) -> str:
    """The key of a document's content: a hash of its decoded text.

    The decoded text, not the file's bytes: it is what extraction sees, so the same
    article saved in GBK and in UTF-8 shares one entry of the cache.
    """
    return hashlib.blake2b(text.encode("utf-8", errors="surrogatepass"), digest_size=16).hexdigest()


@functools.lru_cache(maxsize=1)
def _without_common_hanzi() -> dict[int, None]:
    """A ``str.translate`` table that deletes the 3,755 most used characters (GB 2312
    level 1), simplified and traditional."""
    from opencc import OpenCC

    level1 = bytes(b for hi in range(0xB0, 0xD8) for lo in range(0xA1, 0xFF) for b in (hi, lo))
    simplified = level1.decode("gb2312", errors="ignore")
    return dict.fromkeys(map(ord, set(simplified) | set(OpenCC("s2t").convert(simplified))))


def _hanzi_score(text: str) -> int:
    """How many of the first 4,000 characters are common Chinese ones."""
    window = text[:4000]
    return len(window) - len(window.translate(_without_common_hanzi()))


def _utf8(data: bytes) -> str | None:
    """The UTF-8 text of the bytes, forgiving a character cut off at the end or rare bad bytes."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and exc.end == len(data):
            return data[: exc.start].decode("utf-8", errors="replace")  # half-written file
    text = data.decode("utf-8", errors="replace")
    # GBK or Big5 read as UTF-8 breaks on nearly every character and gives almost no Chinese
    bad = text.count("\ufffd")
    return text if bad * 20 <= len(text) and _hanzi_score(text) > 2 * bad else None


def _strict(data: bytes, encoding: str) -> str | None:
    """The bytes decoded without errors, forgiving only a character cut off at the end."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        cut = exc.start if exc.start >= len(data) - 3 and exc.end >= len(data) - 1 else None
    if cut is None:
        return None
    try:
        return data[:cut].decode(encoding)  # a half-written file
    except UnicodeDecodeError:
        return None


def _mostly(data: bytes, encoding: str) -> str | None:
    """The text with its rare broken characters replaced, when the rest reads as Chinese."""
    text = data.decode(encoding, errors="replace")
    bad = text.count("\ufffd")
    return text if bad * 100 <= len(text) and _hanzi_score(text) > 10 * bad else None


def _plainly_chinese(data: bytes) -> str | None:
    """The text of GB18030 or Big5 bytes that read as Chinese beyond doubt: at least
    ``_PLAIN_HANZI`` common characters, and nine in ten of its Chinese characters common
    ones (a text decoded in the wrong one of the two has many rare ones). ``decode`` would
    choose the same text after asking charset-normalizer, which takes three times as long
    (200 generated articles in GB18030: 0.10 s against 0.03 s).
    """
    decoded = [text for encoding in _CHINESE_ENCODINGS if (text := _strict(data, encoding)) is not None]
    scores = [_hanzi_score(text) for text in decoded]
    if not scores or max(scores) < _PLAIN_HANZI:
        return None
    best = scores.index(max(scores))  # GB18030 first on a tie, as in ``decode``
    text = decoded[best]
    chinese = _CHINESE_CHARACTER.subn("", text[:4000])[1]  # the window _hanzi_score reads
    return text if scores[best] * 10 >= chinese * 9 else None


def decode(data: bytes) -> str | None:
    """The text of a file's bytes, or None when it is not text in any encoding.

    A byte-order mark decides; otherwise UTF-8 when the bytes are UTF-8, then GB18030
    or Big5 when the text is plainly Chinese in one of them. Else
    charset-normalizer proposes decodings, GB18030 and Big5 are added when it left
    them out, and, because short Chinese texts fool the detector (a few GBK
    characters are also valid Big5, Korean or UTF-16), the decoding with the most
    common Chinese characters wins, GB18030 before Big5 on a tie. A character cut off
    at the end (a half-written file) is dropped; a long text with a few broken
    characters is kept with those replaced by U+FFFD.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding)
            except UnicodeDecodeError:
                return data[len(bom):].decode(encoding, errors="replace")
    text = _utf8(data)
    if text is not None:  # GBK or Big5 text longer than a few characters is never valid UTF-8
        return text
    text = _plainly_chinese(data)
    if text is not None:
        return text
    candidates = [(match.encoding, str(match)) for match in from_bytes(data)]
    for encoding in _CHINESE_ENCODINGS:
        if all(found != encoding for found, _ in candidates):
            text = _strict(data, encoding)
            if text is not None:
                candidates.append((encoding, text))
    if not candidates:  # a few broken characters in a long Chinese text: keep the rest
        candidates = [(e, text) for e in _CHINESE_ENCODINGS if (text := _mostly(data, e)) is not None]
    if not candidates:
        return None
    order = _CHINESE_ENCODINGS

    def rank(item: tuple[int, tuple[str, str]]) -> tuple[int, int, int]:
        index, (encoding, decoded) = item
        return -_hanzi_score(decoded), order.index(encoding) if encoding in order else len(order), index

    return min(enumerate(candidates), key=rank)[1][1]


def display_name(name: str) -> str:
    """A file name fit to print and to store in the graph.

    Names of files unpacked from a Windows archive are often GBK bytes that the
    file system hands over as lone surrogates; they are decoded as GB18030 when
    they can be, and control characters are shown as '?'.
    """
    if re.search("[\ud800-\udfff]", name):
        raw = os.fsencode(name)
        try:
            name = raw.decode("gb18030")
        except UnicodeDecodeError:
            name = raw.decode("utf-8", errors="replace")
    return _UNPRINTABLE.sub("?", name)


def discover(
    inputs: list[str | os.PathLike], extensions: list[str], problems: list[Skipped] | None = None
) -> list[tuple[Path, str]]:
    """(path, document id) for every article file, folders walked in sorted order.

    Links to folders are not followed (no loops); links to files are, and a file
    reached twice under the same path is listed once. A folder that cannot be
    listed is added to ``problems`` when it is given.
    """
    found: list[tuple[Path, str]] = []
    seen_paths: set[str] = set()
    seen_ids: set[str] = set()
    exts = {e.lower() for e in extensions}

    def add(path: Path, doc_id: str) -> None:
        key = os.path.abspath(path)
        if key in seen_paths:
            return
        seen_paths.add(key)
        doc_id = display_name(doc_id)
        if doc_id in seen_ids:  # same name under two inputs: keep them apart
            doc_id = display_name(Path(key).as_posix())
        doc_id = doc_id.replace("|", "¦")  # the graph lists a node's documents joined by '|'
        seen_ids.add(doc_id)
        found.append((path, doc_id))

    def on_error(exc: OSError) -> None:
        if problems is not None:
            shown = display_name(str(exc.filename))
            problems.append(Skipped(shown, f"is a folder that cannot be listed ({exc.strerror or exc})", "unreadable"))

    for raw in inputs:
        root = Path(raw)
        if not root.exists() and not root.is_symlink():
            raise InputError(f"input '{display_name(str(raw))}' does not exist; give a file or a folder of articles")
        if not root.is_dir():
            add(root, root.name)  # a file given by name is read whatever its ending
            continue
        for dirpath, dirnames, filenames in os.walk(root, followlinks=False, onerror=on_error):
            dirnames.sort()
            # names as strings: one path object per file, not three (0.2 s of the 1.3 s
            # a rebuild of 50,000 articles takes to survey them)
            folder = os.path.relpath(dirpath, root).replace(os.sep, "/")
            prefix = "" if folder == "." else folder + "/"
            for name in sorted(filenames):
                if os.path.splitext(name)[1].lower() in exts:
                    add(Path(dirpath, name), prefix + name)
    return found


def _read_bytes(path: Path, max_bytes: int) -> bytes | Skipped:
    """The file's bytes, or why they cannot be had. Never blocks on a pipe or device."""
    shown = display_name(str(path))
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        if path.is_symlink():
            return Skipped(shown, "is a link to a file that does not exist", "unreadable")
        return Skipped(shown, "vanished before it could be read", "vanished")
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return Skipped(shown, "is a symbolic link that loops back on itself", "link loop")
        return Skipped(shown, f"cannot be read ({exc.strerror or exc})", "unreadable")
    with os.fdopen(fd, "rb") as fh:
        try:
            info = os.fstat(fh.fileno())
            if not stat.S_ISREG(info.st_mode):
                return Skipped(shown, "is not a regular file (a pipe, socket or device)", "not a file")
            if info.st_size > max_bytes:
                return Skipped(shown, _too_large(info.st_size, max_bytes), "too large")
            # a buffer of the file's size: one of the limit's (20 MB) costs 50 us a file
            data = fh.read(info.st_size + 1)
            if info.st_size < len(data) <= max_bytes:  # it grew since, or tells no size (/proc)
                data += fh.read(max_bytes + 1 - len(data))
        except OSError as exc:
            return Skipped(shown, f"cannot be read ({exc.strerror or exc})", "unreadable")
    if len(data) > max_bytes:  # grew while being read
        return Skipped(shown, _too_large(len(data), max_bytes), "too large")
    return data


def _too_large(size: int, max_bytes: int) -> str:
    return (
        f"is {size / 2**20:.1f} MB, over the limit of {max_bytes / 2**20:g} MB "
        "(raise max_file_mb in config.yaml to read it)"
    )


def _utf16_without_bom(data: bytes) -> str | None:
    """Text saved as UTF-16 with no byte-order mark: its ASCII has a NUL in every other byte."""
    sample = data[:8192]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if len(data) % 2 or (even + odd) * 20 < len(sample) or min(even, odd) * 4 > max(even, odd):
        return None
    try:
        text = data.decode("utf-16-le" if odd > even else "utf-16-be")
    except UnicodeDecodeError:
        return None
    if _UNPRINTABLE.search(text.replace("\n", "").replace("\r", "").replace("\t", "")):
        return None
    wide = sum(1 for c in text[:4000] if not c.isascii())
    return text if _hanzi_score(text) * 2 >= wide else None  # Chinese, not noise that happens to decode


def read_document(path: Path, doc_id: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Document | Skipped:
    """Read and decode one file, or say in one line why it was skipped."""
    data = _read_bytes(path, max_bytes)
    if isinstance(data, Skipped):
        return data
    shown = display_name(str(path))
    if not data.strip(b" \t\r\n\x00\x0b\x0c") or data in (bom for bom, _ in _BOMS):
        return Skipped(shown, "is empty", "empty")
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return Skipped(shown, f"is {what}, not text", "binary")
    text = _utf16_without_bom(data)
    if text is not None:
        return Document(doc_id, str(path.absolute()), text)
    if not data.startswith(tuple(bom for bom, _ in _BOMS)):
        data = data.rstrip(b"\x00")  # a half-written file is often padded with zeros
        nuls = data[:8192].count(b"\x00")
        if nuls > 3 and nuls * 100 > len(data[:8192]):  # text may hold a stray NUL, not many
            return Skipped(shown, "is binary (it is full of NUL bytes), not text", "binary")
    text = decode(data)
    if text is None:
        return Skipped(shown, "is not text in any encoding kg knows (UTF-8, UTF-16, GB18030, Big5)", "undecodable")
    if not text.strip():
        return Skipped(shown, "is empty", "empty")
    return Document(doc_id, str(path.absolute()), text)


def _fingerprint(text: str) -> str:
    """Same article, whatever its encoding, line endings or surrounding blank lines."""
    normal = "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    return hashlib.blake2b(normal.strip().encode("utf-8", errors="surrogatepass"), digest_size=16).hexdigest()


def read_documents(
    inputs: list[str | os.PathLike], extensions: list[str], max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[Document | Skipped]:
    """Every article under the inputs, decoded, or the reason it was skipped; duplicates once."""
    first_with: dict[str, str] = {}  # fingerprint -> doc id of the first file with that text
    problems: list[Skipped] = []
    found = discover(inputs, extensions, problems)
    yield from problems
    for path, doc_id in found:
        item = read_document(path, doc_id, max_bytes)
        if isinstance(item, Document):
            item = _unless_duplicate(item, _fingerprint(item.text), path, first_with)
        yield item


def list_documents(
    inputs: list[str | os.PathLike], extensions: list[str], max_bytes: int = DEFAULT_MAX_BYTES,
    index: FileIndex | None = None, keep_text: bool = False,
) -> Iterator[Listed | Skipped]:
    """What ``read_documents`` gives, each document by the hash of its text.

    A file the ``index`` knows, as it was, is not read again: on a rebuild of a large
    archive, reading every article only to find that it did not change is most of the
    time of the rebuild. With ``keep_text``, a document that had to be read keeps its
    text, for a caller that would otherwise read it again.
    """
    first_with: dict[str, str] = {}
    problems: list[Skipped] = []
    found = discover(inputs, extensions, problems)
    yield from problems
    for path, doc_id in found:
        where = str(path.absolute())
        try:
            info = os.stat(path)
        except OSError:
            info = None  # read_document says why
        usable = index is not None and info is not None and stat.S_ISREG(info.st_mode) and info.st_size <= max_bytes
        known = index.known(where, info) if usable else None
        text = None
        if known is not None:
            text_key, fingerprint = known
        else:
            item = read_document(path, doc_id, max_bytes)
            if isinstance(item, Skipped):
                yield item
                continue
            text_key, fingerprint = content_hash(item.text), _fingerprint(item.text)
            if usable:  # as it was before it was read: a change while reading shows next time
                index.remember(where, info, text_key, fingerprint)
            text = item.text if keep_text else None
        yield _unless_duplicate(Listed(doc_id, where, text_key, text), fingerprint, path, first_with)


def _unless_duplicate(item: Document | Listed, fingerprint: str, path: Path,
                      first_with: dict[str, str]) -> Document | Listed | Skipped:
    """The document, or a skip when an earlier file held the same text."""
    original = first_with.setdefault(fingerprint, item.doc_id)
    if original != item.doc_id:
        return Skipped(display_name(str(path)), f"holds the same text as {original}", "duplicate")
    return item


def nothing_read(inputs: list[str | os.PathLike], skipped: list[Skipped], extensions: list[str]) -> str:
    """The message for a build that found no article it could read."""
    where = ", ".join(display_name(str(i)) for i in inputs)
    if not skipped:
        return f"found no article files ({', '.join(extensions)}) in {where}; check the path or 'extensions' in config.yaml"
    shown = "; ".join(f"{s.path} {s.reason}" for s in skipped[:5])
    more = f"; and {len(skipped) - 5} more" if len(skipped) > 5 else ""
    return f"none of the {len(skipped)} article files in {where} could be read: {shown}{more}"
