"""An interrupted build leaves the previous outputs as they were and no temporary file."""
from __future__ import annotations

import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import kg.forked
import kg.pipeline
from kg.cli import main
from kg.export import TEMP_SUFFIX, all_or_nothing, atomic_write

CITIES = ["北京市", "上海市", "广州市", "深圳市", "南京市", "杭州市", "西安市", "天津市"]
AGENCIES = ["公安局", "教育局", "财政局", "司法局", "民政局", "人民法院"]
PEOPLE = ["张伟", "李明", "王强", "陈静", "孙丽", "吴军", "赵刚", "邵景川"]


def write_corpus(folder: Path, documents: int, sentences: int, seed: int = 0) -> None:
    rng = random.Random(seed)
    folder.mkdir(parents=True)
    for i in range(documents):
        lines = [
            f"{rng.choice(CITIES)}{rng.choice(AGENCIES)}局长{rng.choice(PEOPLE)}出席会议并讲话，部署第{i}-{j}项工作。"
            for j in range(sentences)
        ]
        (folder / f"{i:04d}.txt").write_text("\n".join(lines), encoding="utf-8")


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    """A corpus that takes many seconds to build, and the outputs of an earlier build."""
    folder = tmp_path_factory.mktemp("interrupt")
    write_corpus(folder / "small", documents=2, sentences=3)
    write_corpus(folder / "big", documents=600, sentences=30, seed=1)
    (folder / "config.yaml").write_text("cache:\n  enabled: false\n", encoding="utf-8")
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.chdir(folder)
        done = CliRunner().invoke(main, ["build", "small", "-o", "previous", "-w", "1"])
    assert done.exit_code == 0, done.output
    return folder


@pytest.fixture
def previous_build(workspace, request):
    out = workspace / f"out-{request.node.name}"
    shutil.copytree(workspace / "previous", out)
    return workspace, out, snapshot(out)


def caught_signals(pid: int) -> int:
    """The mask of signals a process has handlers for (Linux /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("SigCgt:"):
            return int(line.split()[1], 16)
    return 0


def _takes_ctrl_c() -> None:
    """Ctrl-C reaches the build, as it does one started from a terminal. A shell that runs the
    tests in the background (``&``) ignores SIGINT for them and their children, and Python
    then leaves it ignored: the build would finish as if never interrupted."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def interrupt_mid_build(folder: Path, out: Path, signum: int) -> subprocess.CompletedProcess:
    """Start `kg build` on the big corpus and send it ``signum`` once the build is under way."""
    # two workers whatever the machine: the build must still be running a second after it starts
    command = [sys.executable, "-m", "kg", "build", "big", "-o", str(out), "-q", "-w", "2"]
    proc = subprocess.Popen(command, cwd=folder, preexec_fn=_takes_ctrl_c,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        # kg handles SIGTERM only while it builds: that is the sign the build has started
        deadline = time.monotonic() + 60
        while not caught_signals(proc.pid) & (1 << (signal.SIGTERM - 1)):
            assert proc.poll() is None and time.monotonic() < deadline, "the build never started"
            time.sleep(0.02)
        time.sleep(1.0)  # well into reading and extracting 600 articles
        assert proc.poll() is None, "the build finished before it could be interrupted"
        proc.send_signal(signum)
        stdout, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)


needs_proc = pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc (Linux)")


@needs_proc
@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_interrupted_build_keeps_previous_outputs(previous_build, signum, code):
    folder, out, before = previous_build
    result = interrupt_mid_build(folder, out, signum)
    assert result.returncode == code, result.stderr
    assert "interrupted" in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""
    assert snapshot(out) == before  # byte-identical, and no temporary file beside them


@pytest.fixture
def earlier_build(tmp_path, monkeypatch):
    """Outputs of a build of ``articles`` in ``out``, and ``articles2`` to build over them."""
    write_corpus(tmp_path / "articles", documents=2, sentences=3)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert runner.invoke(main, ["build", "articles", "-o", "out", "--no-cache", "-w", "1"]).exit_code == 0
    write_corpus(tmp_path / "articles2", documents=3, sentences=3, seed=5)
    return runner, snapshot(tmp_path / "out")


def test_interrupted_while_writing_outputs(tmp_path, monkeypatch, earlier_build):
    """Ctrl-C in the middle of the exports: every output is the old one, none is new or partial."""
    runner, before = earlier_build

    def interrupted_gexf(graph, path):
        with atomic_write(path, "wb") as fh:
            fh.write(b"<gexf>half")
            raise KeyboardInterrupt

    monkeypatch.setattr(kg.pipeline, "write_gexf", interrupted_gexf)
    result = runner.invoke(main, ["build", "articles2", "-o", "out", "--no-cache", "-w", "1", "-f", "graphml,gexf,json"])
    assert result.exit_code == 130 and "interrupted" in result.output
    assert snapshot(tmp_path / "out") == before


def test_all_or_nothing_replaces_every_file_or_none(tmp_path):
    for name in ("a", "b"):
        (tmp_path / name).write_text("old")
    with pytest.raises(OSError):
        with all_or_nothing():
            with atomic_write(tmp_path / "a", "w") as fh:
                fh.write("new")
            with atomic_write(tmp_path / "b", "w") as fh:
                raise OSError(28, "No space left on device")
    assert snapshot(tmp_path) == {"a": b"old", "b": b"old"}
    with all_or_nothing():
        for name in ("a", "b"):
            with atomic_write(tmp_path / name, "w") as fh:
                fh.write("new")
        assert snapshot(tmp_path)["a"] == b"old"  # nothing replaced before the end
    assert snapshot(tmp_path) == {"a": b"new", "b": b"new"}


def test_new_outputs_are_readable_like_any_file(tmp_path):
    with atomic_write(tmp_path / "graph.graphml", "wb") as fh:
        fh.write(b"<graphml/>")
    umask = os.umask(0o022)
    os.umask(umask)
    assert (tmp_path / "graph.graphml").stat().st_mode & 0o777 == 0o666 & ~umask


def test_leftovers_of_a_killed_writer_go_and_those_of_a_running_one_stay(tmp_path):
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead, alive = int(ended.stdout), os.getpid()
    (tmp_path / f".graph.graphml.{dead}.k3x_9q{TEMP_SUFFIX}").write_text("half")
    (tmp_path / f".graph.html.{alive}.p0w2e1{TEMP_SUFFIX}").write_text("being written")
    (tmp_path / "notes.kg-tmp.txt").write_text("the user's")
    write_corpus(tmp_path / "articles", 2, 2)
    result = CliRunner().invoke(main, ["build", str(tmp_path / "articles"), "-o", str(tmp_path), "--no-cache"])
    assert result.exit_code == 0, result.output
    left = sorted(p.name for p in tmp_path.iterdir() if p.is_file())
    assert left == [f".graph.html.{alive}.p0w2e1{TEMP_SUFFIX}", "graph.graphml", "graph.html", "notes.kg-tmp.txt"]


def _slow_page(graph, path, **options):
    """A page that takes far longer to write than the test waits."""
    with atomic_write(path, "w", encoding="utf-8") as fh:
        fh.write("<html>half")
        time.sleep(60)


@pytest.mark.parametrize("failure", [KeyboardInterrupt, OSError])
def test_a_failure_beside_the_page_process_stops_it_and_keeps_the_old_outputs(tmp_path, monkeypatch, failure,
                                                                              earlier_build):
    """With two workers the page is written by a child process: a failure of the other
    writers stops it at once, and neither its file nor a new output is left."""
    runner, before = earlier_build

    def failing_graphml(graph, path, ahead=None):
        with atomic_write(path, "wb") as fh:
            fh.write(b"<graphml>half")
            raise failure(28, "No space left on device") if failure is OSError else failure

    monkeypatch.setattr(kg.pipeline, "write_html", _slow_page)
    monkeypatch.setattr(kg.pipeline, "write_graphml", failing_graphml)
    started = time.monotonic()
    result = runner.invoke(main, ["build", "articles2", "-o", "out", "--no-cache", "-w", "2"])
    assert time.monotonic() - started < 30  # the page's process did not run to its end
    if failure is OSError:
        assert result.exit_code == 1 and "No space left on device" in result.output
    else:
        assert result.exit_code == 130 and "interrupted" in result.output
    assert snapshot(tmp_path / "out") == before


def test_a_failing_page_process_is_reported_and_keeps_the_old_outputs(tmp_path, monkeypatch, earlier_build):
    runner, before = earlier_build

    def full_disk_page(graph, path, **options):
        with atomic_write(path, "w", encoding="utf-8") as fh:
            fh.write("<html>half")
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(kg.pipeline, "write_html", full_disk_page)
    result = runner.invoke(main, ["build", "articles2", "-o", "out", "--no-cache", "-w", "2"])
    assert result.exit_code == 1
    assert "cannot write to output folder" in result.output and "No space left on device" in result.output
    assert snapshot(tmp_path / "out") == before


@pytest.mark.skipif(not (kg.forked.can_fork() and kg.forked.room_for_a_copy()), reason="forks (Linux, memory)")
def test_a_page_process_killed_midway_costs_time_not_the_build(tmp_path, monkeypatch):
    write_corpus(tmp_path / "articles", documents=3, sentences=3)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert runner.invoke(main, ["build", "articles", "-o", "one", "--no-cache", "-w", "1"]).exit_code == 0
    parent, real_page = os.getpid(), kg.pipeline.write_html

    def killed_in_a_child(graph, path, **options):
        if os.getpid() != parent:
            with atomic_write(path, "w", encoding="utf-8") as fh:
                fh.write("<html>half")
                fh.flush()
                os._exit(9)  # as the out-of-memory killer would
        real_page(graph, path, **options)

    monkeypatch.setattr(kg.pipeline, "write_html", killed_in_a_child)
    result = runner.invoke(main, ["build", "articles", "-o", "two", "--no-cache", "-w", "2"])
    assert result.exit_code == 0, result.output
    assert snapshot(tmp_path / "two") == snapshot(tmp_path / "one")  # and no temporary file left


def test_an_interrupted_build_goes_on_from_the_cache(tmp_path, monkeypatch):
    """What a build extracted before Ctrl-C stays in the cache: the message says so, the
    next build extracts only the rest, and its outputs are those of a build from scratch."""
    write_corpus(tmp_path / "articles", documents=60, sentences=3, seed=7)
    monkeypatch.chdir(tmp_path)
    merged = []
    add = kg.pipeline.Assembler.add

    def interrupted_add(self, result):
        merged.append(result)
        if len(merged) == 20:
            raise KeyboardInterrupt
        add(self, result)

    runner = CliRunner()
    with monkeypatch.context() as patched:
        patched.setattr(kg.pipeline.Assembler, "add", interrupted_add)
        result = runner.invoke(main, ["build", "articles", "-o", "out", "-w", "1"])
    assert result.exit_code == 130
    assert "kept in the cache: the same command goes on from there" in result.output
    assert not (tmp_path / "out").exists()

    resumed = runner.invoke(main, ["build", "articles", "-o", "out", "-w", "1"])
    assert resumed.exit_code == 0, resumed.output
    kept = int(re.search(r"read 60 documents \((\d+) from the cache\)", resumed.output).group(1))
    assert 20 <= kept < 60
    fresh = runner.invoke(main, ["build", "articles", "-o", "fresh", "-w", "1", "--no-cache"])
    assert fresh.exit_code == 0 and "from the cache" not in fresh.output
    for name in ("graph.graphml", "graph.html"):
        assert (tmp_path / "out" / name).read_bytes() == (tmp_path / "fresh" / name).read_bytes()


def test_without_the_cache_an_interrupted_build_promises_nothing(tmp_path, monkeypatch):
    write_corpus(tmp_path / "articles", documents=3, sentences=3)
    monkeypatch.chdir(tmp_path)

    def interrupted_add(self, result):
        raise KeyboardInterrupt

    monkeypatch.setattr(kg.pipeline.Assembler, "add", interrupted_add)
    result = CliRunner().invoke(main, ["build", "articles", "-o", "out", "-w", "1", "--no-cache"])
    assert result.exit_code == 130
    assert "interrupted" in result.output and "cache" not in result.output
