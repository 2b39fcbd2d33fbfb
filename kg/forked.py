"""Work handed to a forked child process while this one goes on.

The end of a build (graph, layout, exports) runs in the main process after the
workers have finished, on one core. Two of its steps need only what this process
already holds: the layout needs the merged tables, the HTML page the decorated
graph. A child forked from this process shares its memory (nothing of the graph is
copied or pickled), does one of them while this process builds the graph or writes
the GraphML, and sends back only its result, pickled, through a pipe.

Where fork is not available (Windows, macOS spawns), only one core is wanted, or the
memory left could not hold a copy of this process (``room_for_a_copy``), the work runs
here, at once: the results are the same.
"""
from __future__ import annotations

import contextlib
import gc
import os
import pickle
import signal
import sys
from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

__all__ = ["Task", "start", "can_fork", "room_for_a_copy", "signals_held", "STOPPING"]

T = TypeVar("T")
STOPPING = {signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", signal.SIGTERM)}  # what stops a build


def can_fork() -> bool:
    # fork is only safe and cheap on Linux here (macOS's system libraries are not fork-safe)
    return sys.platform == "linux" and hasattr(os, "fork")


def room_for_a_copy() -> bool:
    """Whether the memory left would hold a second copy of this process.

    A child shares its parent's pages until one of them writes to a page, which is then
    copied: as this process goes on building and writing the graph, the child comes to
    hold a copy of much of it (at 50,000 articles, gigabytes). Without room for that, the
    work is done here instead, in the same time as on one core.
    """
    try:
        with open("/proc/self/statm") as fh:
            resident = int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        with open("/proc/meminfo") as fh:
            available = next(int(line.split()[1]) * 1024 for line in fh if line.startswith("MemAvailable:"))
    except (OSError, ValueError, StopIteration):
        return False
    with contextlib.suppress(OSError, ValueError):  # a container's limit (cgroup v2), when it has one
        with open("/sys/fs/cgroup/memory.max") as limit, open("/sys/fs/cgroup/memory.current") as used:
            available = min(available, int(limit.read()) - int(used.read()))  # "max": no limit, ValueError
    return available >= 2 * resident  # the copy, and as much again for what this process still builds


class Task(Generic[T]):
    """A function running in a child process (or already run here); ``result()`` waits for it."""

    def __init__(self, function: Callable[..., T], *args, fork: bool = True) -> None:
        self._pid = 0
        self._pipe = -1
        self._value: tuple[bool, object] | None = None
        self._work = (function, args)
        if not (fork and can_fork() and room_for_a_copy()):
            self._value = _outcome(function, *args)
            return
        read, write = os.pipe()
        gc.freeze()  # the child's collector then leaves the shared objects alone: fewer pages copied
        with signals_held() as mask:
            try:
                pid = os.fork()
            except OSError:  # no memory or processes left for a child: do the work here
                pid = -1
            if pid == 0:  # the child: compute, send the outcome, leave without running the parent's cleanups
                code = 1
                try:
                    signal.pthread_sigmask(signal.SIG_SETMASK, mask)
                    os.close(read)
                    payload = pickle.dumps(_outcome(function, *args), protocol=pickle.HIGHEST_PROTOCOL)
                    with os.fdopen(write, "wb") as pipe:
                        pipe.write(payload)
                    code = 0
                finally:
                    os._exit(code)
        gc.unfreeze()
        os.close(write)
        if pid < 0:
            os.close(read)
            self._value = _outcome(function, *args)
            return
        self._pid, self._pipe = pid, read

    def result(self) -> T:
        """The function's return value; its exception, if it raised one."""
        if self._value is None:
            with os.fdopen(self._pipe, "rb") as pipe:
                payload = pipe.read()
            self._pipe = -1
            os.waitpid(self._pid, 0)
            self._pid = 0
            # a child killed before it answered (the out-of-memory killer, say) costs time, not the build
            self._value = pickle.loads(payload) if payload else _outcome(self._work[0], *self._work[1])
        done, value = self._value
        if not done:
            raise value  # type: ignore[misc]
        return value  # type: ignore[return-value]

    def cancel(self) -> None:
        """Stop the child if it still runs (the build is being abandoned) and wait for it to end."""
        if self._pid:
            try:
                os.kill(self._pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            os.waitpid(self._pid, 0)
            self._pid = 0
        if self._pipe >= 0:
            os.close(self._pipe)
            self._pipe = -1


@contextlib.contextmanager
def signals_held() -> Iterator[set[signal.Signals]]:
    """Ctrl-C, kill and hang-up wait while a process forks; yields the mask to restore.

    Python ignores an exception raised in fork's own handlers (logging has some), so a
    Ctrl-C that lands there is lost; and a child that gets one before its first line runs
    on through its parent's code. Held, the signal arrives just after the fork.
    """
    if not hasattr(signal, "pthread_sigmask"):  # Windows: no fork either
        yield set()
        return
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, STOPPING)
    try:
        yield mask
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)


def start(function: Callable[..., T], *args, fork: bool = True) -> Task[T]:
    """Run ``function(*args)`` in a forked child when ``fork`` (and the platform allows), else here."""
    return Task(function, *args, fork=fork)


def _outcome(function: Callable, *args) -> tuple[bool, object]:
    try:
        return True, function(*args)
    except BaseException as exc:  # handed to the parent, which raises it
        try:
            pickle.dumps(exc)
        except Exception:
            exc = RuntimeError(f"{type(exc).__name__}: {exc}")
        return False, exc
