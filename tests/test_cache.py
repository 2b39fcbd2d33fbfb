"""The result cache: warm builds equal cold ones, changes are picked up, bad caches are rebuilt."""
from __future__ import annotations

import gc
import json
import marshal
import os
import sqlite3
import time
import zlib
from types import SimpleNamespace

import networkx as nx
import pytest
from click.testing import CliRunner

from bench.generate import write_corpus
from kg import cache as cache_module
from kg import executor as executor_module
from kg import extract as extract_module
from kg import pipeline as pipeline_module
from kg.assemble import Assembler
from kg.cache import CACHE_FILE, ResultCache, content_hash, extraction_key, merged_path
from kg.cli import main
from kg.config import Config
from kg.errors import ConfigError
from kg.models import DocResult, Entity, Relation
from kg.pipeline import build

ARTICLES = 8


def outputs(folder) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture
def corpus(tmp_path):
    return write_corpus(tmp_path / "articles", ARTICLES, seed=11)


@pytest.fixture
def config(tmp_path):
    config = Config()
    config.workers = 1
    config.formats = ["graphml", "json"]
    config.cache.dir = str(tmp_path / "cache")
    return config


def fresh(corpus, config, out):
    """A build that uses no cache: what every cached build must equal."""
    config.cache.enabled = False
    try:
        return build(corpus if isinstance(corpus, list) else [corpus], config, out)
    finally:
        config.cache.enabled = True


def test_a_warm_build_uses_the_cache_and_writes_the_same_bytes(corpus, config, tmp_path):
    cold = build([corpus], config, tmp_path / "cold")
    warm = build([corpus], config, tmp_path / "warm")
    assert (cold.cached, warm.cached) == (0, ARTICLES)
    assert outputs(tmp_path / "cold") == outputs(tmp_path / "warm")
    assert (tmp_path / "cache" / CACHE_FILE).is_file()


def test_a_changed_article_is_extracted_again(corpus, config, tmp_path):
    build([corpus], config, tmp_path / "before")
    article = sorted(corpus.rglob("*.txt"))[3]
    article.write_text(article.read_text(encoding="utf-8") + "\u3000\u3000南昌县司法局局长王建华表示，工作有序推进。\n",
                       encoding="utf-8")
    after = build([corpus], config, tmp_path / "after")
    assert after.cached == ARTICLES - 1
    fresh(corpus, config, tmp_path / "fresh")
    assert outputs(tmp_path / "after") == outputs(tmp_path / "fresh")
    assert outputs(tmp_path / "after") != outputs(tmp_path / "before")


def test_a_few_new_articles_go_to_one_worker_that_loads_its_own_dictionaries(corpus, config, tmp_path, monkeypatch):
    config.workers = 2
    build([corpus], config, tmp_path / "before")
    added = write_corpus(tmp_path / "added", ARTICLES + 2, seed=12)
    pools = []

    class Recorded(executor_module.ProcessPool):
        def __init__(self, config, key, workers, share_dictionaries=True):
            pools.append((workers, share_dictionaries))
            super().__init__(config, key, workers, share_dictionaries)

    monkeypatch.setattr(executor_module, "ProcessPool", Recorded)
    monkeypatch.setattr(executor_module, "_warm_up", None)  # loading the dictionaries here would fail the build
    after = build([corpus, added], config, tmp_path / "after")
    assert (after.documents, after.cached) == (2 * ARTICLES + 2, ARTICLES)
    assert pools == [(1, False)]
    monkeypatch.undo()
    config.cache.enabled = False
    build([corpus, added], config, tmp_path / "fresh")
    assert outputs(tmp_path / "after") == outputs(tmp_path / "fresh")


def test_a_build_whose_articles_are_all_cached_starts_no_worker(corpus, config, tmp_path, monkeypatch):
    config.workers = 2
    build([corpus], config, tmp_path / "before")
    monkeypatch.setattr(executor_module, "ProcessPool", None)  # calling it would fail the build
    monkeypatch.setattr(executor_module, "_warm_up", None)
    again = build([corpus], config, tmp_path / "elsewhere")
    assert again.cached == again.documents == ARTICLES
    assert outputs(tmp_path / "elsewhere") == outputs(tmp_path / "before")


def test_on_one_core_a_few_new_articles_are_extracted_here(corpus, config, tmp_path, monkeypatch):
    config.workers = 1
    build([corpus], config, tmp_path / "before")
    added = write_corpus(tmp_path / "added", ARTICLES + 1, seed=12)
    monkeypatch.setattr(executor_module, "ProcessPool", None)  # calling it would fail the build
    after = build([corpus, added], config, tmp_path / "after")
    assert (after.documents, after.cached) == (2 * ARTICLES + 1, ARTICLES)


def test_a_removed_article_leaves_the_graph(corpus, config, tmp_path):
    build([corpus], config, tmp_path / "before")
    removed = sorted(corpus.rglob("*.txt"))[0]
    removed.unlink()
    after = build([corpus], config, tmp_path / "after")
    assert (after.documents, after.cached) == (ARTICLES - 1, ARTICLES - 1)
    assert removed.name not in (tmp_path / "after" / "graph.graphml").read_text(encoding="utf-8")
    fresh(corpus, config, tmp_path / "fresh")
    assert outputs(tmp_path / "after") == outputs(tmp_path / "fresh")


def test_a_changed_setting_is_a_different_cache(corpus, config, tmp_path):
    build([corpus], config, tmp_path / "before")
    config.cooccurrence = False
    after = build([corpus], config, tmp_path / "after")
    assert after.cached == 0
    assert "co_occurs" not in after.relations
    fresh(corpus, config, tmp_path / "fresh")
    assert outputs(tmp_path / "after") == outputs(tmp_path / "fresh")


def test_a_new_extractor_version_does_not_trust_old_results(corpus, config, tmp_path, monkeypatch):
    build([corpus], config, tmp_path / "before")
    monkeypatch.setattr(extract_module, "EXTRACTOR_VERSION", extract_module.EXTRACTOR_VERSION + "+next")
    assert build([corpus], config, tmp_path / "after").cached == 0


def test_a_corrupted_cache_file_is_rebuilt(corpus, config, tmp_path):
    build([corpus], config, tmp_path / "before")
    path = tmp_path / "cache" / CACHE_FILE
    path.write_bytes(b"this is not a database" * 100)
    after = build([corpus], config, tmp_path / "after")
    assert after.cached == 0
    assert outputs(tmp_path / "after") == outputs(tmp_path / "before")
    assert build([corpus], config, tmp_path / "again").cached == ARTICLES  # the rebuilt cache works


def test_a_cache_of_another_schema_version_is_rebuilt(tmp_path):
    folder = tmp_path / "cache"
    folder.mkdir()
    db = sqlite3.connect(folder / CACHE_FILE)
    db.execute("PRAGMA user_version = 999")
    db.execute("CREATE TABLE results (x)")
    db.commit()
    db.close()
    result = DocResult("a.txt", [Entity("agency", "南昌县公安局", [], 1)])
    with ResultCache(folder, "key") as cache:
        assert cache.get(content_hash("文"), "a.txt") is None
        cache.put(content_hash("文"), result)
    with ResultCache(folder, "key") as cache:
        assert cache.get(content_hash("文"), "b.txt") == DocResult("b.txt", result.entities)


def test_an_entry_whose_checksum_fails_is_not_trusted(tmp_path):
    result = DocResult("a.txt", [Entity("agency", "南昌县公安局", [], 1)])
    with ResultCache(tmp_path, "key") as cache:
        cache.put("h", result)
    db = sqlite3.connect(tmp_path / CACHE_FILE)
    (blob,) = db.execute("SELECT result FROM results").fetchone()
    db.execute("UPDATE results SET result = ?", (blob[:-1] + bytes([blob[-1] ^ 1]),))
    db.commit()
    db.close()
    with ResultCache(tmp_path, "key") as cache:
        assert cache.get("h", "a.txt") is None


def test_the_extraction_key_follows_the_settings_that_change_results():
    config = Config()
    key = extraction_key(config)
    config.output = "elsewhere"
    config.workers = 7
    assert extraction_key(config) == key
    config.keep_anonymised = True
    assert extraction_key(config) != key


def test_no_cache_and_cache_clear_on_the_command_line(corpus, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    args = ["build", str(corpus), "-o", "out", "-w", "1", "-f", "graphml", "-q"]
    result = runner.invoke(main, [*args, "--no-cache"])
    assert result.exit_code == 0, result.output
    assert not (tmp_path / ".kg-cache").exists()
    assert runner.invoke(main, args).exit_code == 0
    assert (tmp_path / ".kg-cache" / CACHE_FILE).is_file()
    result = runner.invoke(main, ["cache", "clear"])
    assert result.exit_code == 0
    assert result.output.startswith("cleared the cache in .kg-cache")
    assert not (tmp_path / ".kg-cache").exists()


def test_a_rebuild_with_nothing_changed_keeps_the_outputs_as_they_are(corpus, config, tmp_path):
    first = build([corpus], config, tmp_path / "out")
    written = {p: p.stat().st_mtime_ns for p in (tmp_path / "out").iterdir()}
    again = build([corpus], config, tmp_path / "out")
    assert again.up_to_date and not first.up_to_date
    assert (again.documents, again.entities, again.relations, again.outputs) == (
        first.documents, first.entities, first.relations, first.outputs)
    assert {p: p.stat().st_mtime_ns for p in (tmp_path / "out").iterdir()} == written


def test_outputs_are_rewritten_when_an_article_a_setting_or_an_output_changed(corpus, config, tmp_path):
    out = tmp_path / "out"
    build([corpus], config, out)
    (out / "graph.json").unlink()
    assert not build([corpus], config, out).up_to_date
    assert (out / "graph.json").is_file()
    config.html.title = "another title"
    assert not build([corpus], config, out).up_to_date
    article = sorted(corpus.rglob("*.txt"))[2]
    article.write_text(article.read_text(encoding="utf-8") + "\u3000\u3000工作有序推进。\n", encoding="utf-8")
    assert not build([corpus], config, out).up_to_date
    config.cache.enabled = False
    assert not build([corpus], config, out).up_to_date


def test_a_cache_folder_that_cannot_be_written_says_what_to_do(corpus, config, tmp_path):
    (tmp_path / "file").write_text("x")
    config.cache.dir = str(tmp_path / "file" / "cache")
    with pytest.raises(ConfigError, match="--no-cache"):
        build([corpus], config, tmp_path / "out")


def test_a_cache_record_gives_back_the_same_result_with_each_sentence_once():
    sentence = "南昌县公安局局长王建华、副局长李明出席。"
    result = DocResult(
        "a.txt",
        [Entity("agency", "南昌县公安局", ["县公安局"], 2, {"level": "county"}), Entity("person", "王建华", [], 1),
         Entity("person", "李明", [], 1)],
        [Relation("person:王建华", "role", "agency:南昌县公安局", 1, sentence, "局长"),
         Relation("person:李明", "role", "agency:南昌县公安局", 1, sentence, "副局长"),
         Relation("person:王建华", "co_occurs", "person:李明", 1, sentence), Relation("a", "co_occurs", "b")],
        sentences=1, chars=len(sentence),
    )
    record = result.to_record()
    assert record["evidence"] == [sentence, ""]
    assert DocResult.from_record(json.loads(json.dumps(record, ensure_ascii=False))) == result


# ---------------------------------------------------------------- the merge kept for rebuilds that add articles


def looked_up(monkeypatch) -> list[str]:
    """The documents a build asks the cache for from now on."""
    asked: list[str] = []
    record = ResultCache.record

    def recorded(self, content, doc_id):
        asked.append(doc_id)
        return record(self, content, doc_id)

    monkeypatch.setattr(ResultCache, "record", recorded)
    return asked


@pytest.mark.parametrize("workers", [1, 2])
def test_a_rebuild_that_only_adds_articles_starts_from_the_last_merge(corpus, config, tmp_path, monkeypatch, workers):
    config.workers = workers  # with two, the layout and the page are made in forked children
    out = tmp_path / "out"
    build([corpus], config, out)
    added = write_corpus(tmp_path / "added", 3, seed=12)
    asked = looked_up(monkeypatch)
    after = build([corpus, added], config, out)
    assert (after.documents, after.cached) == (ARTICLES + 3, ARTICLES)
    assert len(asked) == 3  # only the new articles: the others are in the kept merge
    more = write_corpus(tmp_path / "more", 1, seed=13)
    asked.clear()
    again = build([corpus, added, more], config, out)
    assert (again.documents, again.cached, len(asked)) == (ARTICLES + 4, ARTICLES + 3, 1)
    fresh([corpus, added, more], config, tmp_path / "fresh")
    assert outputs(out) == outputs(tmp_path / "fresh")


def test_a_few_articles_added_leave_the_kept_merge_as_it_was(corpus, config, tmp_path, monkeypatch):
    out = tmp_path / "out"
    monkeypatch.setattr(pipeline_module, "RESAVE_SHARE", 0.25)  # this corpus is small: 2 of 10 stay below it
    build([corpus], config, out)
    kept = merged_path(config, out)
    saved = kept.read_bytes()
    asked = looked_up(monkeypatch)
    folders = [corpus]
    for n in (1, 2):  # two builds, one article more each time
        folders.append(write_corpus(tmp_path / f"added{n}", 1, seed=20 + n))
        asked.clear()
        build(folders, config, out)
        assert len(asked) == n  # the articles the kept merge lacks, from the cache
        assert kept.read_bytes() == saved
        fresh(folders, config, tmp_path / "fresh")
        assert outputs(out) == outputs(tmp_path / "fresh")
    folders.append(write_corpus(tmp_path / "added3", 1, seed=23))  # 3 of 11 lacking: above the share
    build(folders, config, out)
    assert kept.read_bytes() != saved
    asked.clear()
    build(folders + [write_corpus(tmp_path / "added4", 1, seed=24)], config, out)
    assert len(asked) == 1


def test_a_rebuild_from_the_kept_merge_leaves_the_collector_as_it_found_it(corpus, config, tmp_path):
    out = tmp_path / "out"
    build([corpus], config, out)
    before = gc.isenabled(), gc.get_threshold()
    report = build([corpus, write_corpus(tmp_path / "added", 1, seed=12)], config, out)
    assert report.cached == ARTICLES  # the kept merge was loaded, and the graph built, with the collector off
    assert (gc.isenabled(), gc.get_threshold()) == before
    assert gc.get_freeze_count() == 0  # what was frozen meanwhile is the collector's again


def merged_again(monkeypatch) -> list[str]:
    """The documents a build adds to its merge from now on (not those it starts from)."""
    added: list[str] = []
    add = Assembler.add

    def recorded(self, result):
        added.append(result.doc_id if isinstance(result, DocResult) else result["doc_id"])
        return add(self, result)

    monkeypatch.setattr(Assembler, "add", recorded)
    return added


def test_a_changed_or_removed_article_is_taken_out_of_the_kept_merge(corpus, config, tmp_path, monkeypatch):
    """Editing or deleting an article costs what it changes: the rebuild starts from the
    kept merge without it (and adds its new text), not from every result again."""
    monkeypatch.setattr(pipeline_module, "RESAVE_SHARE", 0.25)  # this corpus is small: 1 of 8 stays below it
    out = tmp_path / "out"
    build([corpus], config, out)
    kept = merged_path(config, out).read_bytes()
    articles = sorted(corpus.rglob("*.txt"))
    added = merged_again(monkeypatch)
    articles[1].write_text(articles[1].read_text(encoding="utf-8") + "\u3000\u3000工作有序推进。\n", encoding="utf-8")
    edited = build([corpus], config, out)
    assert added == [articles[1].relative_to(corpus).as_posix()]  # its new text only
    assert (edited.documents, edited.cached) == (ARTICLES, ARTICLES - 1)
    fresh(corpus, config, tmp_path / "fresh")
    assert outputs(out) == outputs(tmp_path / "fresh")
    assert merged_path(config, out).read_bytes() == kept  # one article changed: the merge is not saved again
    articles[0].unlink()
    added.clear()
    build([corpus], config, out)  # the edit is taken out again, with the deleted article
    assert len(added) == 1
    fresh(corpus, config, tmp_path / "fresh")
    assert outputs(out) == outputs(tmp_path / "fresh")


def test_more_articles_changed_than_the_share_merge_every_result_again(corpus, config, tmp_path, monkeypatch):
    out = tmp_path / "out"
    build([corpus], config, out)
    articles = sorted(corpus.rglob("*.txt"))
    articles[0].unlink()  # 1 of 8: above RESAVE_SHARE
    added = merged_again(monkeypatch)
    build([corpus], config, out)
    assert len(added) == ARTICLES - 1
    fresh(corpus, config, tmp_path / "fresh")
    assert outputs(out) == outputs(tmp_path / "fresh")


def test_a_kept_merge_whose_results_left_the_cache_is_not_used(corpus, config, tmp_path, monkeypatch):
    """Taking an article out needs the results of the others that name the same things:
    when the cache lost them, everything is merged again, into the same bytes."""
    monkeypatch.setattr(pipeline_module, "RESAVE_SHARE", 0.25)
    out = tmp_path / "out"
    build([corpus], config, out)
    with sqlite3.connect(tmp_path / "cache" / CACHE_FILE) as db:
        db.execute("DELETE FROM results")
    db.close()
    sorted(corpus.rglob("*.txt"))[0].unlink()
    added = merged_again(monkeypatch)
    build([corpus], config, out)
    assert len(added) == ARTICLES - 1
    fresh(corpus, config, tmp_path / "fresh")
    assert outputs(out) == outputs(tmp_path / "fresh")


def test_only_the_merges_of_the_output_folders_saved_last_are_kept(corpus, config, tmp_path, monkeypatch):
    """A new output folder each month would keep a merge of the whole archive for each:
    the merges of all but the folders saved last are deleted, and a folder whose merge
    is gone is merged from the cache, into the same bytes."""
    assert cache_module.KEEP_MERGES == 3
    folders = [tmp_path / f"out{n}" for n in range(4)]
    for n, out in enumerate(folders):
        build([corpus], config, out)
        os.utime(merged_path(config, out), ns=(n * 10**9, n * 10**9))  # saved in this order, whatever the clock
    assert [merged_path(config, out).exists() for out in folders] == [False, True, True, True]
    added = write_corpus(tmp_path / "added", 1, seed=30)
    asked = looked_up(monkeypatch)
    build([corpus, added], config, folders[0])
    assert len(asked) == ARTICLES + 1  # no merge to start from: every result from the cache
    assert [merged_path(config, out).exists() for out in folders] == [True, False, True, True]
    fresh([corpus, added], config, tmp_path / "fresh")
    assert outputs(folders[0]) == outputs(tmp_path / "fresh")


@pytest.mark.parametrize("damage", ["a changed byte", "cut short", "another kg"])
def test_a_kept_merge_that_is_damaged_or_of_another_kg_is_not_used(corpus, config, tmp_path, monkeypatch, damage):
    out = tmp_path / "out"
    build([corpus], config, out)
    kept = merged_path(config, out)
    data = kept.read_bytes()
    if damage == "a changed byte":
        kept.write_bytes(data[:-10] + bytes([data[-10] ^ 0xFF]) + data[-9:])
    elif damage == "cut short":
        kept.write_bytes(data[: len(data) // 2])
    else:
        monkeypatch.setattr(cache_module, "_package_version", lambda: "another kg")
    added = write_corpus(tmp_path / "added", 1, seed=12)
    asked = looked_up(monkeypatch)
    build([corpus, added], config, out)
    assert len(asked) == ARTICLES + 1
    fresh([corpus, added], config, tmp_path / "fresh")
    assert outputs(out) == outputs(tmp_path / "fresh")


@pytest.mark.parametrize("bad", [b"not zlib", zlib.compress(b"not marshal")], ids=["compression", "encoding"])
def test_a_kept_merge_part_that_cannot_be_decoded_stops_its_loading(bad):
    """Past its checksum (a bug, a disk that lies): the parts before come, then ValueError,
    which the build takes as no merge to start from."""
    good = [zlib.compress(marshal.dumps(("documents", n)), 1) for n in (1, 2)]
    parts = cache_module.KeptMerge({}, iter([*good, bad, *good])).state()
    assert [next(parts), next(parts)] == [("documents", 1), ("documents", 2)]
    with pytest.raises(ValueError, match="a damaged merge"):
        next(parts)


# ---------------------------------------------------------------- files not read again when unchanged


@pytest.fixture
def reads(monkeypatch) -> list[str]:
    """The files read from now on; and every file counts as settled, however recently written."""
    from kg import read as read_module

    monkeypatch.setattr(cache_module, "RECENT_NS", -10**12)  # ten minutes ahead of the clock: nothing is recent
    done: list[str] = []
    read_document = read_module.read_document

    def recorded(path, doc_id, max_bytes=read_module.DEFAULT_MAX_BYTES):
        done.append(path.name)
        return read_document(path, doc_id, max_bytes)

    monkeypatch.setattr(read_module, "read_document", recorded)
    return done


def test_a_rebuild_reads_only_the_articles_that_changed(corpus, config, tmp_path, reads):
    out = tmp_path / "out"
    build([corpus], config, out)
    assert len(reads) == ARTICLES
    article = sorted(corpus.rglob("*.txt"))[4]
    article.write_text(article.read_text(encoding="utf-8") + "\u3000\u3000工作有序推进。\n", encoding="utf-8")
    reads.clear()
    build([corpus], config, out)
    assert reads == [article.name]
    fresh(corpus, config, tmp_path / "fresh")
    assert outputs(out) == outputs(tmp_path / "fresh")


def test_a_first_build_reads_each_article_once_and_notes_it(corpus, config, tmp_path, reads, monkeypatch):
    """With no result in the cache there is nothing to survey: each article is read once,
    for its extraction (not listed first, then read again), and what it held is noted."""
    read_again = pipeline_module.read_document

    def recorded(path, doc_id, max_bytes):
        reads.append(path.name)
        return read_again(path, doc_id, max_bytes)

    monkeypatch.setattr(pipeline_module, "read_document", recorded)
    config.workers = 2
    first = build([corpus], config, tmp_path / "first")
    assert sorted(reads) == sorted(p.name for p in corpus.rglob("*.txt")) and first.cached == 0
    reads.clear()
    again = build([corpus], config, tmp_path / "elsewhere")  # a survey now: every file known, none read
    assert reads == [] and again.cached == ARTICLES
    assert outputs(tmp_path / "elsewhere") == outputs(tmp_path / "first")
    fresh(corpus, config, tmp_path / "fresh")
    assert outputs(tmp_path / "first") == outputs(tmp_path / "fresh")


def test_an_article_rewritten_with_its_old_size_and_time_is_read_again(corpus, config, tmp_path, reads):
    out = tmp_path / "out"
    build([corpus], config, out)
    article = sorted(corpus.rglob("*.txt"))[2]
    text = article.read_text(encoding="utf-8")
    before = article.stat()
    swapped = text.replace("。", "！", 1)
    assert swapped != text and len(swapped.encode()) == len(text.encode())
    article.write_text(swapped, encoding="utf-8")
    os.utime(article, ns=(before.st_atime_ns, before.st_mtime_ns))  # as some copying tools do
    reads.clear()
    build([corpus], config, out)
    assert reads == [article.name]
    fresh(corpus, config, tmp_path / "fresh")
    assert outputs(out) == outputs(tmp_path / "fresh")


def test_a_file_is_known_only_as_it_was_and_once_it_has_settled(tmp_path):
    """A file changed moments ago is read again next time: a second change within the file
    system's clock tick could leave its times as they were."""
    article = tmp_path / "a.txt"
    article.write_text("南昌县司法局召开会议。", encoding="utf-8")
    path, now = str(article), time.time_ns()
    old = SimpleNamespace(st_size=33, st_mtime_ns=now - 60 * 10**9, st_ctime_ns=now - 60 * 10**9, st_ino=7, st_dev=1)
    with ResultCache(tmp_path / "cache", "key") as cache:
        cache.remember(path, article.stat(), "content", "fingerprint")
        assert cache.known(path, article.stat()) is None
        cache.remember(path, old, "content", "fingerprint")
        assert cache.known(path, old) == ("content", "fingerprint")
        for field in ("st_size", "st_mtime_ns", "st_ctime_ns", "st_ino"):
            assert cache.known(path, SimpleNamespace(**{**vars(old), field: getattr(old, field) + 1})) is None
        assert cache.known(path + "x", old) is None


def test_only_the_results_of_the_settings_used_last_are_kept(tmp_path):
    """A new extraction key (a new kg, a changed setting) forgets the results of all but the
    keys used last; a key used again counts as the latest."""
    result = DocResult("a.txt", [Entity("agency", "南昌县公安局", [], 1)])

    def use(key: str) -> bool:
        """Use the cache under ``key``: whether it still held its result."""
        with ResultCache(tmp_path, key) as cache:
            held = cache.get("h", "a.txt") is not None
            cache.put("h", result)
        return held

    def kept() -> set[str]:
        with sqlite3.connect(tmp_path / CACHE_FILE) as db:
            return {row[0] for row in db.execute("SELECT extraction FROM results")}

    assert cache_module.KEEP_EXTRACTIONS == 3
    for key in ("k1", "k2", "k3"):
        use(key)
    assert kept() == {"k1", "k2", "k3"}
    use("k4")
    assert kept() == {"k2", "k3", "k4"}
    assert use("k2")  # used again: now the latest
    assert not use("k1")  # forgotten: extracted again, and k3 (used least lately) goes
    assert kept() == {"k1", "k2", "k4"}


def test_forgotten_results_give_their_space_back(tmp_path):
    blob = os.urandom(4000)  # incompressible, as packed results are
    with ResultCache(tmp_path, "old") as cache:
        for i in range(500):
            cache.put(f"h{i}", blob)
    full = (tmp_path / CACHE_FILE).stat().st_size
    assert full > 2_000_000
    for key in ("k1", "k2", "k3"):
        ResultCache(tmp_path, key).close()
    assert (tmp_path / CACHE_FILE).stat().st_size < full / 10


def copied_edges(monkeypatch) -> list[str]:
    """The nodes whose edges out a build copies from the GraphML before, from now on."""
    from kg.export.graphml import EarlierEdges

    copied: list[str] = []
    edges_out = EarlierEdges.edges_out

    def recorded(self, node, escaped):
        data = edges_out(self, node, escaped)
        if data is not None:
            copied.append(node)
        return data

    monkeypatch.setattr(EarlierEdges, "edges_out", recorded)
    return copied


def test_a_rebuild_copies_the_edges_of_the_nodes_that_did_not_change_from_the_graphml_before(
        corpus, config, tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline_module, "RESAVE_SHARE", 0.25)  # this corpus is small: the merge is kept
    out = tmp_path / "out"
    build([corpus], config, out)
    heads = {u for u, _ in nx.read_graphml(out / "graph.graphml").edges}
    copied = copied_edges(monkeypatch)
    folders = [corpus, write_corpus(tmp_path / "added", 1, seed=12)]
    build(folders, config, out)
    assert len(copied) > len(heads) / 2  # most nodes' edges are as they were
    fresh(folders, config, tmp_path / "fresh")
    assert outputs(out) == outputs(tmp_path / "fresh")
    copied.clear()
    articles = sorted(corpus.rglob("*.txt"))
    articles[0].unlink()  # from the merge kept before both builds: the added article is merged again
    build(folders, config, out)
    assert copied
    fresh(folders, config, tmp_path / "fresh")
    assert outputs(out) == outputs(tmp_path / "fresh")


def test_a_graphml_written_again_since_is_not_copied_from(corpus, config, tmp_path, monkeypatch):
    """The edge index holds for the file kg wrote: the same bytes written again (by a user's
    tool, a copy) are a new file, which it does not trust."""
    out = tmp_path / "out"
    build([corpus], config, out)
    graphml = out / "graph.graphml"
    info = graphml.stat()
    text = graphml.read_bytes()
    graphml.unlink()
    graphml.write_bytes(text)
    os.utime(graphml, ns=(info.st_atime_ns, info.st_mtime_ns))  # the same size and time of modification
    copied = copied_edges(monkeypatch)
    folders = [corpus, write_corpus(tmp_path / "added", 1, seed=12)]
    build(folders, config, out)
    assert copied == []
    fresh(folders, config, tmp_path / "fresh")
    assert outputs(out) == outputs(tmp_path / "fresh")
