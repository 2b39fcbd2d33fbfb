"""Work handed to a forked child process while this one goes on.

The end of a build (graph, layout, exports) runs in the main process after the
workers have finished, on one core. Two of its steps can run beside it:

- the layout needs only the graph's shape (node ids and weighted links). Its child is
  forked when the build starts, while kg holds little, and is sent the shape, pickled,
  once the merge is done (``waiting``): it lays the graph out while kg builds the graph;
- the HTML page needs the decorated graph. Its child is forked when the graph is done
  and shares kg's memory, so nothing of the graph is copied or pickled (``start``); it
  writes the page while kg writes the GraphML.

Each child sends back only its result, pickled, through a pipe. A page kg writes while
a child runs is copied for one of them: the page's child, forked late and short-lived,
costs little; the layout's, forked early, holds almost nothing of kg.

Where fork is not available (Windows, macOS spawns), only one core is wanted, or the
memory left could not hold a copy of this process (``room_for_a_copy``), the work runs
here: the results are the same.
"""
from __future__ import annotations

import contextlib
import ctypes
import gc
import os
import pickle
import select
import signal
import sys
from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

__all__ = ["Task", "start", "waiting", "can_fork", "room_for_a_copy", "signals_held", "STOPPING"]

T = TypeVar("T")
_PR_SET_PDEATHSIG = 1  # prctl option: the signal a child gets when its parent dies
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
    """A function running in a child process; ``result()`` waits for it (or, with no child, runs it).

    Made with ``wait=True``, the child is forked at once but waits for its arguments
    (``send``, pickled): it then holds none of what this process fills in the meantime.
    """

    def __init__(self, function: Callable[..., T], *args, fork: bool = True, wait: bool = False) -> None:
        self._pid = 0
        self._replies = self._requests = -1
        self._value: tuple[bool, object] | None = None
        self._work = (function, args)
        self.forked = False  # whether a child does the work (else ``result()`` does it here)
        if not (fork and can_fork() and room_for_a_copy()):
            return  # no child: the work is done here when its result is asked for
        replies, answer = os.pipe()
        inbox, requests = os.pipe() if wait else (-1, -1)
        parent = os.getpid()
        # the child's collector then leaves the shared objects alone: fewer pages copied.
        # Undone afterwards only if nothing was frozen before: unfreezing takes back every
        # frozen object, the build's own (``kg.pipeline._left_alone``) too
        frozen_already = gc.get_freeze_count() > 0
        gc.freeze()
        with signals_held() as mask:
            try:
                pid = os.fork()
            except OSError:  # no memory or processes left for a child: do the work here
                pid = -1
            if pid == 0:  # the child: compute, send the outcome, leave without running the parent's cleanups
                code = 1
                try:
                    _end_with(parent)
                    signal.pthread_sigmask(signal.SIG_SETMASK, mask)
                    os.close(replies)
                    if wait:
                        os.close(requests)
                        args = _receive(inbox)
                    payload = pickle.dumps(_outcome(function, *args), protocol=pickle.HIGHEST_PROTOCOL)
                    with os.fdopen(answer, "wb") as pipe:
                        pipe.write(payload)
                    code = 0
                finally:
                    os._exit(code)
        if not frozen_already:
            gc.unfreeze()
        _close(answer, inbox)
        if pid < 0:
            _close(replies, requests)
            return
        self._pid, self._replies, self._requests = pid, replies, requests
        self.forked = True

    def send(self, *args) -> None:
        """The arguments of a task made with ``wait=True``."""
        self._work = (self._work[0], args)
        if self._requests < 0:
            return
        payload = pickle.dumps(args, protocol=pickle.HIGHEST_PROTOCOL)
        requests, self._requests = self._requests, -1  # the file below closes it, even when interrupted
        with os.fdopen(requests, "wb") as pipe:
            pipe.write(len(payload).to_bytes(8, "big") + payload)

    def result(self) -> T:
        """The function's return value; its exception, if it raised one."""
        if self._value is None and not self._pid:
            self._value = _outcome(self._work[0], *self._work[1])  # no child: here, now
        if self._value is None:
            replies, self._replies = self._replies, -1  # the file below closes it, even when interrupted
            with os.fdopen(replies, "rb") as pipe:
                payload = pipe.read()
            os.waitpid(self._pid, 0)
            self._pid = 0
            # a child killed before it answered (the out-of-memory killer, say) costs time, not the build
            self._value = pickle.loads(payload) if payload else _outcome(self._work[0], *self._work[1])
        done, value = self._value
        if not done:
            raise value  # type: ignore[misc]
        return value  # type: ignore[return-value]

    def running(self) -> bool:
        """Whether a child is still at work: ``result()`` would wait for it."""
        if self._value is not None or not self._pid or self._replies < 0:
            return False
        readable, _, _ = select.select([self._replies], [], [], 0)  # it answered, or ended
        return not readable

    def cancel(self) -> None:
        """Stop the child if it still runs (the build is being abandoned) and wait for it to end."""
        if self._pid:
            try:
                os.kill(self._pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            os.waitpid(self._pid, 0)
            self._pid = 0
        _close(self._replies, self._requests)
        self._replies = self._requests = -1

    def __enter__(self) -> Task[T]:
        return self

    def __exit__(self, *exc) -> None:
        self.cancel()


def _close(*fds: int) -> None:
    for fd in fds:
        if fd >= 0:  # -1: no such pipe
            os.close(fd)


def _end_with(parent: int) -> None:
    """Have the kernel stop this child when its parent ends, even by ``kill -9`` (Linux):
    a child waiting for its arguments would otherwise wait for ever."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:  # it ended before the line above
        os._exit(1)


def _receive(inbox: int) -> tuple:
    """The arguments the parent sends: their size in eight bytes, then their pickle."""
    with os.fdopen(inbox, "rb") as pipe:
        size = int.from_bytes(pipe.read(8), "big")
        payload = pipe.read(size)
    if not size or len(payload) < size:
        raise EOFError("the parent sent no arguments")  # it stopped first: nothing to do
    return pickle.loads(payload)


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
    """Run ``function(*args)`` in a forked child when ``fork`` (and the platform allows); else
    ``result()`` runs it here."""
    return Task(function, *args, fork=fork)


def waiting(function: Callable[..., T], fork: bool = True) -> Task[T]:
    """A child forked now, while this process holds little, to run ``function`` on what ``send`` gives it."""
    return Task(function, fork=fork, wait=True)


def _outcome(function: Callable, *args) -> tuple[bool, object]:
    try:
        return True, function(*args)
    except BaseException as exc:  # handed to the parent, which raises it
        try:
            pickle.dumps(exc)
        except Exception:
            exc = RuntimeError(f"{type(exc).__name__}: {exc}")
        return False, exc
