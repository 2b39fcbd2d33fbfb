"""Work in a forked child: the same result as here, its errors raised here, and a stop on demand."""
from __future__ import annotations

import os
import signal
import time

import pytest

from kg import forked

needs_fork = pytest.mark.skipif(not (forked.can_fork() and forked.room_for_a_copy()), reason="forks (Linux, memory)")


def pid_and_sum(*numbers: int) -> tuple[int, int]:
    return os.getpid(), sum(numbers)


@needs_fork
def test_the_function_runs_in_another_process_and_its_value_comes_back():
    pid, total = forked.start(pid_and_sum, 1, 2, 3).result()
    assert total == 6 and pid != os.getpid()


@needs_fork
def test_a_child_leaves_the_collector_frozen_as_it_found_it():
    """The build freezes its graph (``kg.pipeline._left_alone``) before the page's child
    is forked: forking must not hand the graph back to the collector."""
    import gc

    forked.start(pid_and_sum, 1).result()
    assert gc.get_freeze_count() == 0
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        forked.start(pid_and_sum, 1).result()
        assert gc.get_freeze_count() >= frozen > 0
    finally:
        gc.unfreeze()


def test_without_fork_it_runs_here():
    assert forked.start(pid_and_sum, 4, 5, fork=False).result() == (os.getpid(), 9)


def test_without_memory_for_a_copy_of_this_process_it_runs_here(monkeypatch):
    monkeypatch.setattr(forked, "room_for_a_copy", lambda: False)
    assert forked.start(pid_and_sum, 4, 5).result() == (os.getpid(), 9)


def fail() -> None:
    raise ValueError("bad value in the child")


def fail_unpicklably() -> None:
    class Local(Exception):  # a class pickle cannot find by name
        pass

    raise Local("odd failure")


@pytest.mark.parametrize("fork", [True, False])
def test_an_error_is_raised_by_result(fork):
    task = forked.start(fail, fork=fork)
    with pytest.raises(ValueError, match="bad value in the child"):
        task.result()


@needs_fork
def test_an_error_that_cannot_be_pickled_still_says_what_happened():
    with pytest.raises(RuntimeError, match="Local: odd failure"):
        forked.start(fail_unpicklably).result()


def die_in_a_child(parent: int) -> int:
    if os.getpid() != parent:
        os._exit(3)  # as if killed
    return 7


@needs_fork
def test_the_work_of_a_child_that_died_without_answering_is_done_here():
    assert forked.start(die_in_a_child, os.getpid()).result() == 7


@needs_fork
def test_cancel_stops_a_running_child_and_reaps_it():
    task = forked.start(time.sleep, 60)
    pid = task._pid
    started = time.monotonic()
    task.cancel()
    assert time.monotonic() - started < 10
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # already reaped: no zombie left


@needs_fork
def test_an_interrupt_while_waiting_for_the_result_leaves_cancel_clean():
    def interrupt(signum, frame):
        raise KeyboardInterrupt

    task = forked.start(time.sleep, 60)
    previous = signal.signal(signal.SIGALRM, interrupt)
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.2)
        with pytest.raises(KeyboardInterrupt):
            task.result()  # reading the child's pipe when the interrupt comes
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    task.cancel()  # the pipe was closed once, by its file: no "Bad file descriptor"
    assert task._pid == 0 and task._replies == -1


FILLED_LATER: list[int] = []


def pid_sum_and_later(*numbers: int) -> tuple[int, int, int]:
    return os.getpid(), sum(numbers), len(FILLED_LATER)


@needs_fork
def test_a_waiting_child_gets_its_arguments_later_and_none_of_what_was_made_meanwhile():
    with forked.waiting(pid_sum_and_later) as task:
        FILLED_LATER.extend(range(5))  # made after the fork: the child does not have it
        try:
            task.send(2, 3)
            pid, total, later = task.result()
        finally:
            FILLED_LATER.clear()
    assert (total, later) == (5, 0) and pid != os.getpid()


def test_without_fork_a_waiting_task_runs_here_when_sent():
    task = forked.waiting(pid_and_sum, fork=False)
    task.send(1, 1)
    assert task.result() == (os.getpid(), 2)


@needs_fork
def test_a_waiting_child_never_sent_anything_ends_with_the_block():
    with forked.waiting(pid_and_sum) as task:
        pid = task._pid
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # stopped and reaped


@needs_fork
def test_a_waiting_child_ends_when_its_parent_is_killed(tmp_path):
    import signal
    import subprocess
    import sys

    script = (
        "import os, signal, time\n"
        "from kg import forked\n"
        "task = forked.waiting(time.sleep)\n"
        "worker = os.fork()\n"  # like a pool worker, it holds the pipe the child waits on
        "if worker == 0:\n"
        "    time.sleep(30)\n"
        "    os._exit(0)\n"
        "print(task._pid, worker, flush=True)\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    printed = tmp_path / "pids"
    with printed.open("w") as out:  # a file, not a pipe: the children hold it open
        code = subprocess.Popen([sys.executable, "-c", script], stdout=out).wait(timeout=60)
    assert code == -signal.SIGKILL
    child, worker = map(int, printed.read_text().split())
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and _alive(child):
            time.sleep(0.05)
        assert not _alive(child)
    finally:
        os.kill(worker, signal.SIGKILL)


def _alive(pid: int) -> bool:
    """Running, and not a zombie waiting for init to reap it."""
    try:
        with open(f"/proc/{pid}/status") as fh:
            return not any(line.startswith("State:") and "Z" in line.split()[1] for line in fh)
    except FileNotFoundError:
        return False


@needs_fork
def test_running_says_whether_result_would_wait():
    task = forked.start(time.sleep, 0.3)
    assert task.running()
    time.sleep(1)
    assert not task.running()  # it ended: result() returns at once
    task.result()
    assert not task.running()
    assert not forked.start(pid_and_sum, 1, fork=False).running()  # no child: nothing to wait for
