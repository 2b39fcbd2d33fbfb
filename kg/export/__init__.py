"""Writers of the built graph, one module per format, and the atomic file helper.

Every writer goes through ``atomic_write``: the file is written under a temporary
name in the same folder and renamed into place, so an interrupted build (Ctrl-C,
kill, a full disk) never leaves a half-written output and the previous file stays
intact. ``xml_text`` keeps text that XML forbids out of the XML formats, and
``xml_escape``/``xml_attribute`` escape text as lxml does, for the writers that make
their XML as text.
"""
from __future__ import annotations

import contextlib
import contextvars
import functools
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

__all__ = ["atomic_write", "all_or_nothing", "held_writes", "adopt_writes", "remove_leftovers", "xml_text", "xml_escape", "xml_escape_attribute", "xml_attribute",
           "TEMP_SUFFIX"]

TEMP_SUFFIX = ".kg-tmp"

# XML 1.0 forbids control characters (but tab and newlines), lone surrogates and
# U+FFFE/U+FFFF; private-use characters are allowed but mean nothing outside the
# font that made them, so they go too.
_NOT_XML = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ue000-\uf8ff\ufdd0-\ufdef\ufffe\uffff"
    "\U000f0000-\U0010ffff]"
)


# what lxml refuses to write (surrogates fail to encode): such a name or id is an error
_NOT_WRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value: str) -> str:
    """The text without the characters that XML 1.0 forbids or that mean nothing (private use)."""
    # every character _NOT_XML matches is unprintable: most text skips the regular expression
    return value if value.isprintable() else _NOT_XML.sub("", value)


def _writable(value: str) -> str:
    if not value.isprintable() and _NOT_WRITABLE.search(value):
        raise ValueError(f"not a character XML can hold in {value!r}")
    return value


def xml_escape(value: str) -> str:
    """Element text as lxml escapes it (``&``, ``<``, ``>``, carriage returns); the text
    must hold only what XML can (``xml_text``)."""
    if "&" in value:
        value = value.replace("&", "&amp;")
    if "<" in value:
        value = value.replace("<", "&lt;")
    if ">" in value:
        value = value.replace(">", "&gt;")
    if "\r" in value:
        value = value.replace("\r", "&#13;")
    return value


def xml_escape_attribute(value: str, tab: str = "&#9;") -> str:
    """An attribute value, without its quotes, as lxml escapes it (quotes and white space
    too; Python's ElementTree writes ``tab="&#09;"``); the text must hold only what XML can."""
    value = xml_escape(value)
    if '"' in value:
        value = value.replace('"', "&quot;")
    if "\n" in value:
        value = value.replace("\n", "&#10;")
    if "\t" in value:
        value = value.replace("\t", tab)
    return value


def xml_attribute(value: str, tab: str = "&#9;") -> str:
    """``xml_escape_attribute`` of any text: a character XML cannot hold is an error, as in lxml."""
    return xml_escape_attribute(_writable(value), tab)


@functools.lru_cache(maxsize=1)
def _file_mode() -> int:
    """The mode a new file gets from open(): 0o666 less the umask (mkstemp gives 0o600)."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


# (temporary file, final path) pairs waiting for the end of an all_or_nothing block
_pending: contextvars.ContextVar[list[tuple[str, Path]] | None] = contextvars.ContextVar("pending", default=None)


@contextlib.contextmanager
def all_or_nothing() -> Iterator[None]:
    """Files written with ``atomic_write`` inside replace their old versions together at the end.

    An error or Ctrl-C while the third of five outputs is being written then leaves
    all five as they were, not two new and three old.
    """
    with held_writes() as pending:
        yield
        for tmp, path in pending:
            os.replace(tmp, path)


@contextlib.contextmanager
def held_writes() -> Iterator[list[tuple[str, Path]]]:
    """Files written with ``atomic_write`` inside stay under their temporary names, listed
    as (temporary file, final path): a child process hands the list to its parent, whose
    ``all_or_nothing`` puts them in place with the others (``adopt_writes``). On an error
    they are removed."""
    pending: list[tuple[str, Path]] = []
    token = _pending.set(pending)
    try:
        yield pending
    except BaseException:
        for tmp, _ in pending:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        raise
    finally:
        _pending.reset(token)


def adopt_writes(written: list[tuple[str, Path]]) -> None:
    """Files finished elsewhere (``held_writes``) join this ``all_or_nothing`` block, or go in place now."""
    pending = _pending.get()
    if pending is not None:
        pending.extend(written)
        return
    for tmp, path in written:
        os.replace(tmp, path)


_LEFTOVER = re.compile(r"^\..+\.(\d+)\.[^.]+" + re.escape(TEMP_SUFFIX) + "$")


def remove_leftovers(folder: str | os.PathLike) -> list[Path]:
    """Delete the temporary files of writers that were killed outright (``kill -9``, a
    power cut): those whose process has ended. Files of a build still running stay."""
    removed = []
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            match = _LEFTOVER.match(entry.name)
            if match and entry.is_file(follow_symlinks=False) and not _running(int(match.group(1))):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
                    removed.append(Path(entry.path))
    return removed


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except PermissionError:  # it does, and belongs to another user
        return True
    except (ProcessLookupError, OverflowError):
        return False
    return True


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike, mode: str = "wb", encoding: str | None = None) -> Iterator:
    """Open a temporary file next to ``path``; on success it replaces ``path`` in one step.

    On any error or interruption the temporary file is removed and ``path`` is untouched.
    """
    path = Path(path)
    # the writer's process id in the name tells a later build whether the file is a leftover
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(fd, mode, encoding=encoding, newline="" if "b" not in mode else None) as fh:
            os.fchmod(fh.fileno(), _file_mode())
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        pending = _pending.get()
        if pending is None:
            os.replace(tmp, path)
        else:
            pending.append((tmp, path))
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
