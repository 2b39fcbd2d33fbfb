"""Reading a messy folder: encodings, bad files, duplicates, odd names."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from opencc import OpenCC

from kg.errors import InputError
from kg.models import Document
from kg.read import Skipped, decode, discover, display_name, read_document, read_documents

SIMPLIFIED = [
    "公安局",
    "你好",
    "王明是县长。",
    "他说：“我们要加强管理。”",
    "一、二、三",
    "县人民调解委员会今天召开会议，研究部署调解工作。",
    "市政府举办会议，讨论经济发展。",
    "2023年5月，区法院审理了一起案件。",
    "省卫生健康委员会副主任刘强出席会议并讲话。",
]
TRADITIONAL = [OpenCC("s2t").convert(text) for text in SIMPLIFIED]


@pytest.mark.parametrize("text", SIMPLIFIED)
@pytest.mark.parametrize("encoding", ["gb18030", "gbk"])
def test_short_gbk_texts_decode(text, encoding):
    assert decode(text.encode(encoding)) == text


@pytest.mark.parametrize("text", TRADITIONAL)
def test_short_big5_texts_decode(text):
    assert decode(text.encode("big5")) == text


@pytest.mark.parametrize("text", SIMPLIFIED + TRADITIONAL)
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-be", "utf-32"])
def test_unicode_with_and_without_bom(text, encoding):
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    assert decode(data) == text


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom(tmp_path, encoding):
    text = "县人民调解委员会2023年召开会议。\nabc"
    doc = read_document(write(tmp_path, "a.txt", text.encode(encoding)), "a.txt")
    assert isinstance(doc, Document) and doc.text == text


def test_half_written_utf8_keeps_what_was_written():
    text = "县人民调解委员会今天召开会议。"
    assert decode(text.encode()[:-1]) == text[:-1]


@pytest.mark.parametrize(("text", "encoding"), [(SIMPLIFIED[5], "gbk"), (TRADITIONAL[5], "big5")])
def test_half_written_gbk_and_big5_keep_what_was_written(text, encoding):
    assert decode(text.encode(encoding)[:-1]) == text[:-1]


def test_a_stray_bad_byte_in_utf8_is_replaced_not_the_whole_file_lost():
    data = ("县人民调解委员会今天召开会议。" * 40).encode()
    damaged = data[:200] + b"\xff" + data[201:]  # one byte of a character overwritten
    text = decode(damaged)
    assert text is not None and 1 <= text.count("\ufffd") <= 3 and text.count("调解委员会") == 39


@pytest.mark.parametrize(("text", "encoding"), [(SIMPLIFIED[5] * 30, "gbk"), (TRADITIONAL[5] * 30, "big5")])
def test_a_broken_character_in_gbk_or_big5_loses_only_that_character(text, encoding):
    data = text.encode(encoding)
    text_read = decode(data[:301] + b"\xff" + data[302:])
    assert text_read is not None and 1 <= text_read.count("\ufffd") <= 2
    assert text_read.count(text[:8]) >= 29


def test_noise_is_not_text():
    noise = bytes((i * 73 + 41) % 255 + 1 for i in range(3000))
    assert decode(noise) is None


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def test_each_bad_file_is_skipped_with_a_reason_naming_it(tmp_path):
    write(tmp_path, "good.txt", "张三在北京市公安局工作。".encode("gbk"))
    write(tmp_path, "empty.txt", b"")
    write(tmp_path, "blank.txt", b"\xef\xbb\xbf \r\n\n")
    write(tmp_path, "photo.txt", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00")
    write(tmp_path, "scan.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    write(tmp_path, "zipped.txt", b"PK\x03\x04\x14\x00\x00\x00")
    write(tmp_path, "nul.txt", b"abc\x00def" * 10)
    write(tmp_path, "noise.txt", bytes((i * 73 + 41) % 255 + 1 for i in range(3000)))
    write(tmp_path, "._mac.txt", b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        ")
    write(tmp_path, "word.txt", b"{\\rtf1\\ansi\\ansicpg936 \\'c4\\'e3}")
    items = list(read_documents([tmp_path], [".txt"]))
    documents = [i for i in items if isinstance(i, Document)]
    skipped = {Path(s.path).name: s for s in items if isinstance(s, Skipped)}
    assert [d.doc_id for d in documents] == ["good.txt"]
    assert documents[0].text == "张三在北京市公安局工作。"
    assert {name: s.kind for name, s in skipped.items()} == {
        "empty.txt": "empty",
        "blank.txt": "empty",
        "photo.txt": "binary",
        "scan.txt": "binary",
        "zipped.txt": "binary",
        "nul.txt": "binary",
        "noise.txt": "undecodable",
        "._mac.txt": "binary",
        "word.txt": "binary",
    }
    assert "JPEG" in skipped["photo.txt"].reason and "PDF" in skipped["scan.txt"].reason
    assert all("\n" not in s.reason for s in skipped.values())


def test_stray_nul_bytes_and_zero_padding_do_not_make_text_binary(tmp_path):
    write(tmp_path, "stray.txt", "市政府举办会议，\x00讨论经济发展。".encode("gbk"))
    write(tmp_path, "padded.txt", "县人民调解委员会今天召开会议。".encode() + b"\x00" * 4096)
    docs = {d.doc_id: d.text for d in read_documents([tmp_path], [".txt"])}
    assert docs == {"padded.txt": "县人民调解委员会今天召开会议。", "stray.txt": "市政府举办会议，\x00讨论经济发展。"}


def test_same_text_under_two_names_is_read_once(tmp_path):
    text = "县人民调解委员会今天召开会议。\n"
    write(tmp_path, "a.txt", text.encode())
    write(tmp_path, "b.txt", text.replace("\n", "\r\n").encode("gbk"))  # same article, saved on Windows
    write(tmp_path, "c.txt", "另一篇文章。".encode())
    items = list(read_documents([tmp_path], [".txt"]))
    assert [i.doc_id for i in items if isinstance(i, Document)] == ["a.txt", "c.txt"]
    (dup,) = [i for i in items if isinstance(i, Skipped)]
    assert dup.kind == "duplicate" and dup.path.endswith("b.txt") and "a.txt" in dup.reason


def test_too_large_file_is_skipped_without_reading_it(tmp_path):
    big = write(tmp_path, "big.txt", "字".encode() * 400_000)  # 1.2 MB
    item = read_document(big, "big.txt", max_bytes=2**20)
    assert isinstance(item, Skipped) and item.kind == "too large"
    assert "1.1 MB" in item.reason and "max_file_mb" in item.reason


@pytest.mark.parametrize("told", [0, 100])
def test_a_file_larger_than_its_size_said_is_read_whole_or_skipped_over_the_limit(tmp_path, monkeypatch, told):
    """A file may grow between its size and its reading, and /proc files tell a size of 0:
    the whole text is read, or the file is skipped when it is over the limit."""
    import kg.read

    text = "宁川市人民政府召开常务会议。\n" * 500  # 21,000 bytes
    path = tmp_path / "a.txt"
    path.write_text(text, encoding="utf-8")
    real_fstat = os.fstat

    def fstat(fd):
        found = real_fstat(fd)
        return os.stat_result((found.st_mode, *found[1:6], told, *found[7:]))

    monkeypatch.setattr(kg.read.os, "fstat", fstat)
    assert read_document(path, "a.txt").text == text
    skipped = read_document(path, "a.txt", max_bytes=20_000)
    assert isinstance(skipped, Skipped) and skipped.kind == "too large"


def test_links_that_loop_or_lead_nowhere(tmp_path):
    write(tmp_path, "real.txt", "市政府举办会议。".encode())
    os.symlink("self.txt", tmp_path / "self.txt")
    os.symlink("ping.txt", tmp_path / "pong.txt")
    os.symlink("pong.txt", tmp_path / "ping.txt")
    os.symlink("missing.txt", tmp_path / "dangling.txt")
    os.symlink(tmp_path, tmp_path / "loop_dir")  # a folder linking to its parent is not walked
    items = list(read_documents([tmp_path], [".txt"]))
    kinds = {Path(i.path).name: i.kind for i in items if isinstance(i, Skipped)}
    assert kinds == {"self.txt": "link loop", "ping.txt": "link loop", "pong.txt": "link loop",
                     "dangling.txt": "unreadable"}
    assert [i.doc_id for i in items if isinstance(i, Document)] == ["real.txt"]


def test_a_file_that_vanishes_after_listing(tmp_path):
    gone = write(tmp_path, "gone.txt", "市政府举办会议。".encode())
    listed = discover([tmp_path], [".txt"])
    gone.unlink()
    item = read_document(*listed[0])
    assert isinstance(item, Skipped) and item.kind == "vanished" and item.path.endswith("gone.txt")


def test_a_pipe_named_like_an_article_does_not_block(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    (item,) = read_documents([tmp_path], [".txt"])
    assert isinstance(item, Skipped) and item.kind == "not a file"


def test_unreadable_file(tmp_path, monkeypatch):
    locked = write(tmp_path, "locked.txt", "市政府举办会议。".encode())
    real_open = os.open

    def deny(path, *args, **kwargs):
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", deny)
    item = read_document(locked, "locked.txt")
    assert isinstance(item, Skipped) and item.kind == "unreadable" and "Permission denied" in item.reason


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file_by_permissions(tmp_path):
    locked = write(tmp_path, "locked.txt", "市政府举办会议。".encode())
    locked.chmod(0)
    item = read_document(locked, "locked.txt")
    assert isinstance(item, Skipped) and item.kind == "unreadable"


def test_gbk_file_names_are_shown_in_chinese(tmp_path):
    name = os.fsdecode("报道.txt".encode("gbk"))  # what Linux shows for a name unzipped from Windows
    (tmp_path / name).write_bytes("市政府举办会议。".encode())
    (doc,) = read_documents([tmp_path], [".txt"])
    assert doc.doc_id == "报道.txt"
    assert isinstance(read_document(Path(doc.path), doc.doc_id), Document)  # the path still opens the file
    assert display_name("a\x07b\udcff.txt") == "a?b\ufffd.txt"


def test_a_bar_in_a_file_name_does_not_split_the_documents_list(tmp_path):
    write(tmp_path, "a|b.txt", "市政府举办会议。".encode())
    (doc,) = read_documents([tmp_path], [".txt"])
    assert doc.doc_id == "a¦b.txt"


def test_a_folder_that_cannot_be_listed_is_reported(tmp_path, monkeypatch):
    (tmp_path / "open").mkdir()
    (tmp_path / "locked").mkdir()
    write(tmp_path / "open", "a.txt", "市政府举办会议。".encode())
    write(tmp_path / "locked", "b.txt", "区法院审理案件。".encode())
    real_scandir = os.scandir

    def scandir(path="."):
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    items = list(read_documents([tmp_path], [".txt"]))
    assert [i.doc_id for i in items if isinstance(i, Document)] == ["open/a.txt"]
    (problem,) = [i for i in items if isinstance(i, Skipped)]
    assert problem.kind == "unreadable" and problem.path.endswith("locked")
    assert problem.reason == "is a folder that cannot be listed (Permission denied)"


def test_missing_input_is_a_clear_error(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        discover([tmp_path / "nowhere"], [".txt"])


def test_same_name_under_two_inputs_gets_two_ids(tmp_path):
    for folder, text in (("one", "甲文章。"), ("two", "乙文章。")):
        (tmp_path / folder).mkdir()
        write(tmp_path / folder, "x.txt", text.encode())
    found = discover([tmp_path / "one" / "x.txt", tmp_path / "two" / "x.txt", tmp_path / "one"], [".txt"])
    ids = [doc_id for _, doc_id in found]
    assert len(ids) == 2 and len(set(ids)) == 2 and ids[0] == "x.txt"


def test_plainly_chinese_bytes_skip_the_detector_and_decode_as_it_would(monkeypatch):
    """GB18030 and Big5 texts with many common characters are decoded without asking
    charset-normalizer (a third of the time); on every length, and on bytes of other
    languages and none, the answer is the one the detector's way gives."""
    import random

    import kg.read
    from bench.generate import generate_articles

    rng = random.Random(2)
    articles = [text for _, text in generate_articles(40)]
    samples = []
    for text in articles:
        for length in (10, 40, 120, 400, len(text)):
            start = rng.randrange(max(1, len(text) - length))
            piece = text[start : start + length]
            samples += [piece.encode("gb18030"), OpenCC("s2t").convert(piece).encode("big5", errors="replace")]
            # simplified characters that Big5 lacks lost: a text that reads half well both ways
            samples += [piece.encode(encoding, errors="replace") for encoding in ("big5", "cp950", "big5hkscs")]
    samples += ["東京の政府は新しい経済政策を発表しました。".encode(e) * 9 for e in ("shift_jis", "euc_jp")]
    samples += ["서울 정부는 새로운 경제 정책을 발표했습니다.".encode(e) * 9 for e in ("euc_kr", "cp949")]
    samples += [bytes(rng.randrange(256) for _ in range(rng.randrange(10, 2000))) for _ in range(60)]

    plainly = [kg.read._plainly_chinese(data) for data in samples]
    assert sum(text is not None for text in plainly) >= 200  # the Chinese ones of 120 characters or more
    fast = [decode(data) for data in samples]
    monkeypatch.setattr(kg.read, "_plainly_chinese", lambda data: None)
    slow = [decode(data) for data in samples]
    assert fast == slow
    assert all(text is None or text == answer for text, answer in zip(plainly, slow))
