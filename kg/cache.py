"""Per-document results kept between builds, so a rebuild costs only what changed.

One SQLite file in the cache folder maps (extraction key, content hash) to the JSON
of a ``DocResult``. The extraction key is a hash of ``EXTRACTOR_VERSION`` and
``Config.extraction_fingerprint()``: a new kg version or a changed setting that
affects extraction finds no results and redoes the work, while the entries of other
settings stay for when the user switches back: those of the ``KEEP_EXTRACTIONS`` keys
used last. Older ones (above all those of an earlier kg, which no build will ask for
again) are deleted when a new key is first used, and the file gives their space back,
so that upgrading kg over an archive does not add a copy of its results each time.
The content hash is taken over a
document's text, so an edited article is a new entry; a renamed or removed one
simply is not asked for.

The cache is never trusted blindly: a file that is not a kg cache of this schema
version is deleted and started afresh, every entry carries a checksum of its JSON,
and an entry that fails the checksum or does not parse is treated as missing.
"""
from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import itertools
import json
import marshal
import os
import sqlite3
import struct
import sys
import tempfile
import time
import zlib
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .config import Config
from .errors import ConfigError
from .models import DocResult, Record, pack, unpack
from .read import content_hash

__all__ = ["SCHEMA_VERSION", "CACHE_FILE", "stamp_path", "ResultCache", "build_settings", "content_hash",
           "extraction_key", "clear_cache", "read_stamp", "remove_stamp", "write_stamp",
           "open_cache", "merged_path", "save_merged", "load_merged", "KeptMerge", "EdgeIndex", "edge_index_path",
           "save_edge_index", "load_edge_index", "remove_edge_index"]

SCHEMA_VERSION = 5
CACHE_FILE = "results.sqlite"
KEEP_EXTRACTIONS = 3  # the results of this many extraction keys, the latest used, are kept
KEEP_MERGES = 3  # the merges of this many output folders, the latest saved, are kept
_APPLICATION_ID = 0x6B67_6361  # "kgca": marks the file as a kg cache
_COMMIT_EVERY = 500  # entries written per transaction


def extraction_key(config: Config) -> str:
    """A hash of everything besides the text that changes a document's result."""
    from .extract import EXTRACTOR_VERSION

    canonical = json.dumps(
        {"extractor": EXTRACTOR_VERSION, "config": config.extraction_fingerprint()},
        sort_keys=True, ensure_ascii=False,
    )
    return hashlib.blake2b(canonical.encode("utf-8"), digest_size=16).hexdigest()


def _checksum(blob: bytes) -> str:
    return hashlib.blake2b(blob, digest_size=8).hexdigest()


class ResultCache:
    """Results of one extraction key, read and written by the build's main process only."""

    def __init__(self, folder: str | os.PathLike, key: str):
        self.folder = Path(folder)
        self.path = self.folder / CACHE_FILE
        self.key = key
        self._unsaved = 0
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            try:
                self._db = self._connect()
            except sqlite3.OperationalError:
                raise  # cannot open or locked: not a sign of a bad file
            except sqlite3.DatabaseError:
                self._discard()
                self._db = self._connect()
        except (OSError, sqlite3.OperationalError) as exc:
            raise ConfigError(
                f"cannot use the cache folder '{self.folder}' ({exc}); set cache.dir in config.yaml "
                "to a folder you can write, or build with --no-cache"
            ) from None

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            app = db.execute("PRAGMA application_id").fetchone()[0]
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if (version, app) == (0, 0) and not tables:
                self._create(db)
            elif version != SCHEMA_VERSION or app != _APPLICATION_ID or not {"results", "files", "extractions"} <= tables:
                raise sqlite3.DatabaseError("not a kg cache of this schema version")
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
            self._note_use(db)
        except BaseException:
            db.close()
            raise
        return db

    @staticmethod
    def _create(db: sqlite3.Connection) -> None:
        db.executescript(
            f"""
            PRAGMA page_size = 16384;  -- several results of a few KB to a page, none spilling over
            PRAGMA auto_vacuum = INCREMENTAL;  -- so that deleted results give their space back
            PRAGMA application_id = {_APPLICATION_ID};
            PRAGMA user_version = {SCHEMA_VERSION};
            CREATE TABLE extractions (
                extraction TEXT PRIMARY KEY,
                used INTEGER NOT NULL  -- when it was last used, counted in cache openings
            ) WITHOUT ROWID;
            -- a rowid table: rows of a few KB would spill into pages of their own in a
            -- WITHOUT ROWID one (a third more space, writes three times slower)
            CREATE TABLE results (
                extraction TEXT NOT NULL,
                content TEXT NOT NULL,
                checksum TEXT NOT NULL,
                result BLOB NOT NULL,  -- kg.models.pack: zlib-compressed JSON of DocResult.to_record()
                UNIQUE (extraction, content)
            );
            CREATE TABLE files (
                path BLOB PRIMARY KEY,  -- absolute, as the file system's bytes (a name need not be text)
                stat TEXT NOT NULL,  -- size, modification and change times, inode, device
                content TEXT NOT NULL,  -- the content hash of its decoded text
                fingerprint TEXT NOT NULL  -- of its text, to find duplicates (kg.read)
            ) WITHOUT ROWID;
            """
        )

    def _note_use(self, db: sqlite3.Connection) -> None:
        """Note that this key is the latest used; on its first use, forget the results of
        all but the ``KEEP_EXTRACTIONS`` keys used last (this one among them)."""
        new = db.execute("SELECT 1 FROM extractions WHERE extraction = ?", (self.key,)).fetchone() is None
        db.execute("INSERT OR REPLACE INTO extractions VALUES (?, (SELECT coalesce(max(used), 0) + 1 FROM extractions))",
                   (self.key,))
        old = [row[0] for row in db.execute(
            "SELECT extraction FROM extractions ORDER BY used DESC LIMIT -1 OFFSET ?", (KEEP_EXTRACTIONS,))] if new else []
        if old:
            db.execute("BEGIN")
            for key in old:
                db.execute("DELETE FROM results WHERE extraction = ?", (key,))
                db.execute("DELETE FROM extractions WHERE extraction = ?", (key,))
            db.execute("COMMIT")
            db.executescript("PRAGMA incremental_vacuum;")  # run to the end (execute frees one page)

    def _discard(self) -> None:
        """Delete a cache file that cannot be trusted, with its journal files."""
        for suffix in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(f"{self.path}{suffix}")

    def _reset(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self._db.close()
        self._discard()
        self._db = self._connect()
        self._unsaved = 0

    def get(self, content: str, doc_id: str) -> DocResult | None:
        """The cached result for this content, under the given document id, or None."""
        record = self.record(content, doc_id)
        return DocResult.from_record(record) if record is not None else None

    def record(self, content: str, doc_id: str) -> Record | None:
        """``get`` as the record the merge reads (``DocResult.to_record``), no objects built."""
        try:
            row = self._db.execute(
                "SELECT checksum, result FROM results WHERE extraction = ? AND content = ?", (self.key, content)
            ).fetchone()
        except sqlite3.DatabaseError:
            self._reset()
            row = None
        record = _parse(row) if row is not None else None
        if record is None:
            return None
        record["doc_id"] = doc_id  # the same text under another name gives the same result
        return record

    def known(self, path: str, info: os.stat_result) -> tuple[str, str] | None:
        """The content hash and fingerprint of a file read earlier, if it is as it was then."""
        try:
            row = self._db.execute("SELECT stat, content, fingerprint FROM files WHERE path = ?",
                                   (os.fsencode(path),)).fetchone()
        except sqlite3.DatabaseError:
            return None
        return (row[1], row[2]) if row is not None and row[0] == _stat_key(info) else None

    def holds_results(self) -> bool:
        """Whether any result of this extraction key is kept."""
        try:
            return self._db.execute("SELECT 1 FROM results WHERE extraction = ? LIMIT 1",
                                    (self.key,)).fetchone() is not None
        except sqlite3.DatabaseError:
            return False

    def remember(self, path: str, info: os.stat_result, text_key: str, fingerprint: str) -> None:
        """Note what a file held (``info`` taken before it was read).

        Not for a file changed in the last seconds: the file system's clock may be
        coarse, and a change in the same tick would leave the times as they were.
        """
        if max(info.st_mtime_ns, info.st_ctime_ns) > time.time_ns() - RECENT_NS:
            return
        self._write("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?)",
                    (os.fsencode(path), _stat_key(info), text_key, fingerprint))

    def count_missing(self, contents: list[str]) -> int:
        """How many of these content hashes have no entry (checksums are checked later, by ``get``)."""
        found: set[str] = set()
        unique = sorted(set(contents))
        try:
            for start in range(0, len(unique), 500):  # SQLite caps the parameters of one query
                chunk = unique[start : start + 500]
                marks = ",".join("?" * len(chunk))
                rows = self._db.execute(
                    f"SELECT content FROM results WHERE extraction = ? AND content IN ({marks})", (self.key, *chunk)
                )
                found.update(row[0] for row in rows)
        except sqlite3.DatabaseError:
            return len(unique)
        return len(unique) - len(found)

    def put(self, content: str, result: DocResult | bytes) -> None:
        """Keep a result, or the bytes ``pack`` made of it (as a worker sends them)."""
        blob = result if isinstance(result, bytes) else pack(result)
        self._write("INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?)", (self.key, content, _checksum(blob), blob))

    def _write(self, statement: str, values: tuple) -> None:
        """One row written, in transactions of ``_COMMIT_EVERY`` rows."""
        try:
            if not self._unsaved:
                self._db.execute("BEGIN")
            self._db.execute(statement, values)
            self._unsaved += 1
            if self._unsaved >= _COMMIT_EVERY:
                self.commit()
        except sqlite3.DatabaseError:
            self._reset()  # the file broke under us: start afresh, this row is simply not kept

    def commit(self) -> None:
        if self._unsaved:
            self._db.execute("COMMIT")
            self._unsaved = 0

    def close(self) -> None:
        try:
            self.commit()
        except sqlite3.DatabaseError:
            self._discard()
        finally:
            self._db.close()

    def __enter__(self) -> ResultCache:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


RECENT_NS = 2_000_000_000  # a file changed less than this long ago is read again next time (FAT's clock ticks in 2 s)


def _stat_key(info: os.stat_result) -> str:
    # the change time too: it moves on every write, even when a tool puts the modification time back
    return f"{info.st_size}:{info.st_mtime_ns}:{info.st_ctime_ns}:{info.st_ino}:{info.st_dev}"


def _parse(row: tuple[str, bytes]) -> Record | None:
    checksum, blob = row
    if not isinstance(blob, bytes) or _checksum(blob) != checksum:
        return None
    try:  # the checksum says these are the bytes this kg version packed (its version is in the key)
        return unpack(blob)
    except ValueError:
        return None


def open_cache(config: Config) -> ResultCache | None:
    """The cache of this config's extraction key, or None when caching is off."""
    if not config.cache.enabled:
        return None
    return ResultCache(config.path(config.cache.dir), extraction_key(config))


def clear_cache(folder: str | os.PathLike) -> int:
    """Delete the cache in ``folder``; the number of bytes freed."""
    path = Path(folder) / CACHE_FILE
    freed = 0
    parts = [Path(f"{path}{suffix}") for suffix in ("", "-wal", "-shm", "-journal")]
    builds = Path(folder) / STAMPS
    parts += [kept for suffix in ("json", "merged", "edges") for kept in sorted(builds.glob(f"*.{suffix}"))]
    for part in parts:
        with contextlib.suppress(FileNotFoundError):
            freed += part.stat().st_size
            part.unlink()
    with contextlib.suppress(OSError):
        builds.rmdir()
    with contextlib.suppress(OSError):
        Path(folder).rmdir()  # only when nothing else is in it
    return freed


# ---------------------------------------------------------------- up-to-date outputs

STAMPS = "builds"  # folder of the cache with one stamp per output folder
_RUNTIME_KEYS = {"workers", "executor", "cache", "base_dir", "inputs", "output"}  # change how, not what


@functools.cache
def _package_version() -> str:
    """A hash of every file of the kg package: a new kg rewrites the outputs."""
    root = Path(__file__).resolve().parent
    digest = hashlib.blake2b(digest_size=16)
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def build_settings(config: Config) -> str:
    """A hash of what decides the outputs besides the articles: kg itself and the settings."""
    settings = {k: v for k, v in dataclasses.asdict(config).items() if k not in _RUNTIME_KEYS}
    canonical = json.dumps([_package_version(), settings, config.extraction_fingerprint()], sort_keys=True,
                           ensure_ascii=False, default=str)
    return hashlib.blake2b(canonical.encode("utf-8"), digest_size=16).hexdigest()


def _output_state(paths: list[str]) -> dict[str, list[int]] | None:
    state = {}
    for path in paths:
        try:
            info = os.stat(path)
        except OSError:
            return None
        state[path] = [info.st_size, info.st_mtime_ns]
    return state


def _build_name(config: Config, out_dir: Path) -> Path:
    """Where what kg keeps of the last build into an output folder goes: in the cache,
    named by the folder's path."""
    name = hashlib.blake2b(str(Path(out_dir).resolve()).encode("utf-8", errors="surrogatepass"),
                           digest_size=16).hexdigest()
    return config.path(config.cache.dir) / STAMPS / name


def stamp_path(config: Config, out_dir: Path) -> Path:
    """The stamp of an output folder: what its outputs were built from."""
    return _build_name(config, out_dir).with_suffix(".json")


def write_stamp(path: Path, settings: str, inputs: str, summary: dict, outputs: list[str]) -> None:
    """Record what the outputs were built from (written after them)."""
    state = _output_state(outputs)
    if state is None:
        return
    stamp = {"schema": SCHEMA_VERSION, "settings": settings, "inputs": inputs, "summary": summary, "outputs": state}
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(stamp, ensure_ascii=False), encoding="utf-8")


def read_stamp(path: Path, settings: str) -> dict | None:
    """The stamp of outputs built with these settings and untouched since, or None."""
    try:
        stamp = json.loads(path.read_text(encoding="utf-8"))
        if stamp["schema"] != SCHEMA_VERSION or stamp["settings"] != settings:
            return None
        if _output_state(list(stamp["outputs"])) != stamp["outputs"]:
            return None
        return stamp
    except (OSError, ValueError, KeyError, TypeError):
        return None


def remove_stamp(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


# ---------------------------------------------------------------- the merge of the last build

_MERGED_MAGIC = b"kg-merged\n"
_SIZE = struct.Struct(">Q")  # the length of each record
_DIGEST = 16  # bytes of the checksum at the end


def merged_path(config: Config, out_dir: Path) -> Path:
    """The merge tables of the last build into an output folder (see ``save_merged``)."""
    return _build_name(config, out_dir).with_suffix(".merged")


def save_merged(path: Path, key: str, members: dict[str, str], parts: Iterable[tuple[str, object]]) -> bytes | None:
    """Keep the merge of a build: the documents it holds (id -> content hash) and its
    ``Assembler.state()``. A rebuild whose documents include most of these, unchanged,
    starts from it, takes out those that changed or went, and adds the others: adding,
    editing or deleting an article costs what it changes, not a new merge of the whole
    corpus.

    Each part is a record of its own, compressed, so that neither saving nor loading
    holds more than one part's bytes. marshal, not pickle or JSON: these tables are
    hundreds of thousands of small dicts, sets and tuples, which it writes and reads
    several times faster. Its format belongs to one Python version, which is part of
    what ``load_merged`` checks. Returns its checksum (``KeptMerge.digest``), None when
    it could not be saved.
    """
    head = (SCHEMA_VERSION, tuple(sys.version_info[:2]), _package_version(), key, members)
    temp = None
    try:
        fd, temp = _temporary_beside(path)
        checksum = hashlib.blake2b(digest_size=_DIGEST)
        with os.fdopen(fd, "wb") as fh:
            fh.write(_MERGED_MAGIC)
            for part in itertools.chain([head], parts):
                blob = zlib.compress(marshal.dumps(part), 1)
                record = _SIZE.pack(len(blob)) + blob
                checksum.update(record)
                fh.write(record)
            fh.write(checksum.digest())
        os.replace(temp, path)
        _forget_old_merges(path.parent)
        return checksum.digest()
    except OSError:  # the cache is only a shortcut: the next build merges everything again
        if temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp)
        return None


def _forget_old_merges(folder: Path) -> None:
    """Delete the merges of all but the ``KEEP_MERGES`` output folders saved last: one
    output folder a month would otherwise keep a copy of the archive's merge for each
    (85 MB at 50,000 articles). A folder whose merge is gone merges from the cache."""
    merges = []
    for path in folder.glob("*.merged"):
        with contextlib.suppress(OSError):
            merges.append((path.stat().st_mtime_ns, path.name, path))
    for *_, path in sorted(merges, reverse=True)[KEEP_MERGES:]:
        for kept in (path, path.with_suffix(".edges")):
            with contextlib.suppress(OSError):
                kept.unlink()


class KeptMerge:
    """What ``save_merged`` kept: its documents at once, its merge state when asked for
    (decoding it is most of the cost, and may wait until the workers are started)."""

    def __init__(self, members: dict[str, str], records: Iterator[memoryview], digest: bytes = b"") -> None:
        self.members = members  # document id -> content hash
        self.digest = digest  # its checksum: which merge it is
        self._records = records

    def state(self) -> Iterator[tuple[str, object]]:
        """The parts of the ``Assembler.state()`` kept, one at a time; ValueError if one
        cannot be decoded.

        Each part is decompressed by a thread while the one before is decoded and taken
        in: zlib lets other threads run while it works, so a second core does it (0.28 s
        at 10,000 articles). It is given room for the whole part at once: zlib then hands
        the interpreter's lock back once, not at each of the many blocks it would grow.
        One part is decompressed ahead, no more: all of them take 100 MB at 10,000 articles.
        """
        try:
            with ThreadPoolExecutor(1) as decompressing:
                coming = None
                for record in itertools.chain(self._records, [None]):
                    following = None if record is None else decompressing.submit(
                        zlib.decompress, record, bufsize=_UNZIPPED * len(record))
                    if coming is not None:
                        try:
                            yield marshal.loads(coming.result())
                        except (EOFError, TypeError, ValueError, zlib.error) as exc:
                            raise ValueError(f"a damaged merge: {exc}") from None
                    coming = following
        finally:
            self._records = iter(())


_UNZIPPED = 8  # a kept merge's parts decompress to about five times their size


def load_merged(path: Path, key: str) -> KeptMerge | None:
    """The merge ``save_merged`` kept, when it is intact and was made by this kg, this
    Python and these extraction settings; else None (everything is merged)."""
    body = _checked_body(path, _MERGED_MAGIC)
    if body is None:
        return None
    records = _records(body)
    try:
        schema, python, version, found_key, members = marshal.loads(zlib.decompress(next(records)))
    except (ValueError, EOFError, TypeError, StopIteration, zlib.error):
        return None
    if (schema, python, version, found_key) != (SCHEMA_VERSION, tuple(sys.version_info[:2]), _package_version(), key):
        return None
    return KeptMerge(members, records, body.obj[-_DIGEST:])  # the checksum that follows the body


def _temporary_beside(path: Path) -> tuple[int, str]:
    """A new temporary file next to ``path`` (its descriptor and name), to replace it once
    written; those left by a build killed while it saved one are removed first."""
    path.parent.mkdir(parents=True, exist_ok=True)
    for stale in path.parent.glob(f"{path.name}*.tmp"):
        stale.unlink(missing_ok=True)
    return tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")


def _checked_body(path: Path, magic: bytes) -> memoryview | None:
    """What lies between ``magic`` and the checksum at the end of the kept file ``path``,
    when it can be read, both are there and the checksum is the body's; else None."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    body = memoryview(data)[len(magic) : -_DIGEST]
    if not data.startswith(magic) or hashlib.blake2b(body, digest_size=_DIGEST).digest() != data[-_DIGEST:]:
        return None
    return body


def _records(body: memoryview) -> Iterator[memoryview]:
    at = 0
    while at < len(body):
        (size,) = _SIZE.unpack_from(body, at)
        yield body[at + _SIZE.size : at + _SIZE.size + size]
        at += _SIZE.size + size


# ---------------------------------------------------------------- where the last GraphML's edges lie

_INDEX_MAGIC = b"kg-edges\n"


def edge_index_path(config: Config, out_dir: Path) -> Path:
    """Where the edges of the last GraphML written into an output folder lie (see ``EdgeIndex``)."""
    return _build_name(config, out_dir).with_suffix(".edges")


@dataclasses.dataclass
class EdgeIndex:
    """Where the edges out of each node lie in the GraphML a build wrote, so that the next
    build copies those that did not change (``kg.export.graphml.EarlierEdges``).

    It holds for the file only as long as the file is the one written (``file``: its
    inode, size, modification and change times; no program sets the last back), and
    tells what changed since the kept merge ``merge`` (its checksum): the graph was that
    merge with the edges of the ``touched`` nodes changed, and ``node_ids`` gives the
    node id of each identity that was not its own.
    """

    merge: bytes
    touched: set[str]
    node_ids: dict[str, str]  # identity -> node id, of those whose node id is not their identity
    columns: tuple[tuple[str, str], ...]  # the edge columns, named and typed
    blocks: dict[str, tuple[int, int]]  # node id -> offset and length of its edges out
    file: tuple[int, int, int, int] = (0, 0, 0, 0)

    def holds_for(self, info: os.stat_result) -> bool:
        """Whether the file of ``info`` is the one this index was made for, untouched since."""
        return _file_state(info) == self.file


def _file_state(info: os.stat_result) -> tuple[int, int, int, int]:
    return info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns


def save_edge_index(path: Path, index: EdgeIndex, graphml: Path) -> None:
    """Keep ``index`` of the file ``graphml`` (written just now). A failure only costs the
    next build the time of making every edge's text."""
    temp = None
    try:
        index.file = _file_state(os.stat(graphml))
        fields = tuple(getattr(index, f.name) for f in dataclasses.fields(index))
        body = zlib.compress(marshal.dumps((SCHEMA_VERSION, fields)), 1)
        fd, temp = _temporary_beside(path)
        with os.fdopen(fd, "wb") as fh:
            fh.write(_INDEX_MAGIC + body + hashlib.blake2b(body, digest_size=_DIGEST).digest())
        os.replace(temp, path)
    except OSError:
        remove_edge_index(path)
        if temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp)


def load_edge_index(path: Path) -> EdgeIndex | None:
    """The index ``save_edge_index`` kept, when it is intact and of this schema; else None."""
    body = _checked_body(path, _INDEX_MAGIC)
    if body is None:
        return None
    try:
        schema, fields = marshal.loads(zlib.decompress(body))
        return EdgeIndex(*fields) if schema == SCHEMA_VERSION else None
    except (ValueError, EOFError, TypeError, zlib.error):
        return None


def remove_edge_index(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()
