"""One build over a folder holding every kind of mess a real folder of news holds."""
from __future__ import annotations

import io
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from opencc import OpenCC

import kg.pipeline
import kg.read
from kg.cli import main
from kg.export import xml_text

HOSTILE = (
    "<script>alert(1)</script>杭州市公安局\x00局长\x07赵刚\ue000说：\u202e<img src=x onerror=alert(1)>"
    "要加强管理。\U000f0001"
)
# document id -> names its article holds (any of them recognised shows it was decoded right)
READABLE = {
    "utf8.txt": {"北京市", "北京市公安局", "张伟"},
    "utf8_bom.txt": {"上海市", "上海市人民政府", "李明"},
    "gbk.txt": {"广州市", "广州市人民法院", "王强"},
    "big5.txt": {"台北市", "台北市政府", "林伟"},  # traditional in the file, simplified in the graph
    "utf16.txt": {"深圳市", "深圳市教育局", "陈静"},
    "sub/notes.md": {"南京市", "南京市民政局"},
    "hostile.txt": {"杭州市", "杭州市公安局", "赵刚"},
    "half_written.txt": {"西安市", "西安市财政局", "孙丽"},
    "报道.txt": {"天津市", "天津市司法局", "吴军"},
}
SKIPPED = {
    "photo.txt": "binary", "scan.txt": "binary", "archive.txt": "binary",
    "empty.txt": "empty", "blank.txt": "empty",
    "noise.txt": "undecodable",
    "locked.txt": "unreadable", "dangling.txt": "unreadable",
    "vanishing.txt": "vanished",
    "self.txt": "link loop", "ping.txt": "link loop", "pong.txt": "link loop",
    "huge.txt": "too large",
    "pipe.txt": "not a file",
    "utf8_copy.txt": "duplicate", "link_to_gbk.txt": "duplicate",
}


def make_messy_folder(root: Path) -> None:
    root.mkdir()
    (root / "sub").mkdir()
    put = lambda name, data: (root / name).write_bytes(data)  # noqa: E731
    put("utf8.txt", "北京市公安局局长张伟出席会议。\n".encode())
    put("utf8_bom.txt", "上海市人民政府召开会议，市长李明讲话。\n".encode("utf-8-sig"))
    put("gbk.txt", "广州市人民法院院长王强表示，\r\n要依法办案。\r\n".encode("gbk"))
    put("big5.txt", OpenCC("s2t").convert("台北市政府举办会议，市长林伟讨论经济发展。").encode("big5"))
    put("utf16.txt", "深圳市教育局局长陈静主持会议。".encode("utf-16"))
    put("sub/notes.md", "# 会议\n\n南京市民政局召开会议。\n".encode())
    put("hostile.txt", HOSTILE.encode("utf-8") + b"\xed\xa0\x80")  # and a lone surrogate, as bytes
    put("half_written.txt", "西安市财政局局长孙丽表示。".encode()[:-1] + b"\x00" * 512)
    (root / os.fsdecode("报道.txt".encode("gbk"))).write_bytes("天津市司法局局长吴军说。".encode("gbk"))
    put("utf8_copy.txt", "北京市公安局局长张伟出席会议。\r\n".encode("gbk"))
    os.symlink("gbk.txt", root / "link_to_gbk.txt")

    put("photo.txt", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01")
    put("scan.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    put("archive.txt", b"PK\x03\x04\x14\x00\x00\x00\x08\x00")
    put("empty.txt", b"")
    put("blank.txt", b" \r\n\t\n")
    put("noise.txt", bytes((i * 73 + 41) % 255 + 1 for i in range(3000)))
    put("locked.txt", "成都市公安局。".encode())
    put("vanishing.txt", "武汉市公安局。".encode())
    os.symlink("self.txt", root / "self.txt")
    os.symlink("pong.txt", root / "ping.txt")
    os.symlink("ping.txt", root / "pong.txt")
    os.symlink("missing.txt", root / "dangling.txt")
    os.symlink("..", root / "sub" / "up")  # a folder loop: not followed
    with open(root / "huge.txt", "wb") as fh:  # 50 MB on one line
        fh.write(b"x" * (50 * 2**20))
    os.mkfifo(root / "pipe.txt")
    put("picture.png", b"\x89PNG\r\n\x1a\n")  # not an article ending: not even listed


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One build of the messy folder, shared by the tests of this module."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        yield build_messy(tmp_path_factory.mktemp("messy"), monkeypatch)


def build_messy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    articles = tmp_path / "articles"
    make_messy_folder(articles)
    (tmp_path / "config.yaml").write_text("traditional_to_simplified: true\n", encoding="utf-8")
    out = tmp_path / "out"

    real_open, locked = os.open, articles / "locked.txt"

    def open_denied(path, *args, **kwargs):  # tests run as root, who may read anything
        if os.path.abspath(path) == str(locked):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    real_discover = kg.read.discover

    def discover_then_delete(*args, **kwargs):
        # the file is there when the folder is listed and gone when it is read, in every pass
        (articles / "vanishing.txt").write_bytes("武汉市公安局。".encode())
        found = real_discover(*args, **kwargs)
        (articles / "vanishing.txt").unlink()
        return found

    monkeypatch.setattr(os, "open", open_denied)
    for module in (kg.read, kg.pipeline):
        if hasattr(module, "discover"):
            monkeypatch.setattr(module, "discover", discover_then_delete)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["build", "articles", "-o", "out", "-c", "config.yaml"])
    return result, out


def test_exit_code_and_summary(built):
    result, _ = built
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == (
        "read 9 documents, skipped 14 (3 binary, 2 empty, 1 undecodable, 2 unreadable, 1 vanished, "
        "3 link loop, 1 too large, 1 not a file), 2 duplicates"
    )
    skip_lines = [line for line in lines if line.startswith("  skipped ")]
    assert len(skip_lines) == len(SKIPPED)
    for name in SKIPPED:  # one line naming each file
        assert len([line for line in skip_lines if line.startswith(f"  skipped articles/{name}: ")]) == 1, name
    assert "Traceback" not in result.output


def test_every_decodable_file_is_in_the_graph(built):
    _, out = built
    graph = nx.read_graphml(out / "graph.graphml")
    documents = {doc for _, d in graph.nodes(data=True) for doc in d["documents"].split("|")}
    assert documents == set(READABLE)
    for doc_id, names in READABLE.items():
        labels = {d["label"] for _, d in graph.nodes(data=True) if doc_id in d["documents"].split("|")}
        assert labels & names, (doc_id, labels)
    assert not any("臺" in d["label"] for _, d in graph.nodes(data=True))


def test_outputs_are_strict_and_complete(built):
    result, out = built
    written = [line.removeprefix("wrote ") for line in result.output.splitlines() if line.startswith("wrote ")]
    assert sorted(Path(p).name for p in written) == sorted(p.name for p in out.iterdir())  # no temp files
    graphml = (out / "graph.graphml").read_text(encoding="utf-8")
    ET.fromstring(graphml.encode("utf-8"))
    assert xml_text(graphml) == graphml  # no control, surrogate or private-use character
    back = nx.read_graphml(io.StringIO(graphml))
    assert back.number_of_nodes() > 0
    if (out / "graph.gexf").exists():
        ET.parse(out / "graph.gexf")


def test_hostile_text_is_inert_in_the_page(built):
    _, out = built
    page = (out / "graph.html").read_text(encoding="utf-8")
    assert "杭州市公安局" in page and "alert(1)" in page  # the hostile sentence is shown, as text
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert "\x00" not in page and "\ue000" not in page


def test_large_counts_are_written_with_thousands_separators():
    from kg.cli import summary_line
    from kg.pipeline import BuildReport
    from kg.read import Skipped

    report = BuildReport(documents=50_000, skipped=[Skipped(f"{i}.txt", "is empty", "empty") for i in range(1_200)])
    assert summary_line(report) == "read 50,000 documents, skipped 1,200 (1,200 empty)"
