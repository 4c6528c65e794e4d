"""Forked worker processes, shared by the steps that use them (catalog_cache, pipeline)."""

from __future__ import annotations

import contextlib
import ctypes
import mmap
import os
import pickle
import signal
import struct
import sys
import threading
from collections.abc import Callable, Sequence
from typing import Any


def count() -> int:
    """How many worker processes can run at once: the CPUs this process may use, or 1 when
    this system cannot fork (the workers inherit the build's state instead of receiving it)."""
    if not hasattr(os, "fork"):
        return 1
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


# What stops a build (cli.stopped_by_signals): the parent reports it and ends its workers.
STOPPING = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))
_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _ignore_interrupt(parent: int) -> None:
    """In a worker: Ctrl-C reaches the whole process group, and only the parent reports it, once;
    SIGTERM and SIGHUP end the worker at once; and it ends when the parent does, whatever ends
    the parent (on Linux), never writing on into a folder nobody will remove."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for number in STOPPING[1:]:
        signal.signal(number, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent ended before the line above
        os._exit(1)


def _hold_interrupts() -> set[int] | None:
    """Hold Ctrl-C, SIGTERM and SIGHUP back (blocked) until `_let_interrupts`, where the system
    can; the mask it replaced.

    Around a fork: a Ctrl-C raised in the parent between the fork and its note of the child
    left a child nobody stopped, which rendered on into the folder the parent had removed."""
    if not hasattr(signal, "pthread_sigmask"):
        return None
    return signal.pthread_sigmask(signal.SIG_BLOCK, set(STOPPING))


def _let_interrupts(mask: set[int] | None) -> None:
    """Undo `_hold_interrupts`: a Ctrl-C that came meanwhile is raised now (in the parent)."""
    if mask is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)


def share(tasks: Sequence[Any], do: Callable[[Any], Any], processes: int,
          meanwhile: Callable[[], None], mine: Sequence[Any] = ()) -> tuple[list[Any], Exception | None]:
    """`do(task)` for every task, by `processes` forked processes and, once `meanwhile()` is
    done, by this one too; what they returned (in no order), and what `meanwhile` raised.

    Each process takes the next task not yet taken (in the given order) until none is left, so
    a process that is done early helps with the rest; only the results cross a pipe, once per
    process at its end. `do` reports its failures in what it returns: a process that ends
    without its results raises RuntimeError here. `mine`: tasks for this process alone, done
    before it helps with `tasks` (those that touch most of the data: in a forked process, the
    first write to each page of memory, a reference count's among them, copies it).
    """
    counter = _Counter()

    def take_all() -> list[Any]:
        found = []
        while True:
            index = counter.take()
            if index >= len(tasks):
                return found
            found.append(do(tasks[index]))

    children: list[tuple[int, int]] = []  # pid, read end of its pipe: not yet reaped
    parent = os.getpid()
    try:
        for _ in range(processes):
            read_end, write_end = os.pipe()
            mask = _hold_interrupts()  # until the child is noted below (and ignores Ctrl-C)
            try:
                pid = os.fork()
                if pid == 0:  # the child: never returns into the caller
                    status = 1
                    try:
                        _ignore_interrupt(parent)
                        _let_interrupts(mask)
                        os.close(read_end)
                        with os.fdopen(write_end, "wb") as stream:
                            stream.write(pickle.dumps(take_all(), protocol=pickle.HIGHEST_PROTOCOL))
                        status = 0
                    finally:
                        os._exit(status)
                os.close(write_end)
                children.append((pid, read_end))
            finally:
                _let_interrupts(mask)
        deferred: Exception | None = None
        try:
            meanwhile()
        except Exception as err:  # the caller decides which failure comes first
            deferred = err
        results = [do(task) for task in mine]
        results.extend(take_all())
        while children:
            pid, read_end = children[0]
            with os.fdopen(read_end, "rb") as stream:
                children[0] = (pid, -1)  # the stream closes it
                data = stream.read()
            children.pop(0)
            try:
                found = pickle.loads(data)
            except Exception:  # nothing or half of it: the process died, its status says how
                _, status = os.waitpid(pid, 0)
                raise RuntimeError(f"a worker process ended without its results (status {status})") from None
            _reap_later(pid)
            results.extend(found)
        return results, deferred
    finally:
        counter.close()
        for pid, read_end in children:  # interrupted, or a process failed: end the others
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
            with contextlib.suppress(OSError):
                os.waitpid(pid, 0)
            if read_end >= 0:
                with contextlib.suppress(OSError):
                    os.close(read_end)


class _Counter:
    """The index of the next task, shared by forked processes: a number in memory they share,
    guarded by a pipe that holds one byte while no process holds the counter. (multiprocessing's
    RawValue and Lock took 10 ms to import, in the build's process and in the process ahead.)"""

    def __init__(self) -> None:
        self._memory = mmap.mmap(-1, 8)  # anonymous: shared with the processes forked after
        self._free, self._give_back = os.pipe()
        os.write(self._give_back, b"\0")

    def take(self) -> int:
        os.read(self._free, 1)  # waits while another process holds it
        try:
            (index,) = struct.unpack_from("q", self._memory)
            struct.pack_into("q", self._memory, 0, index + 1)
        finally:
            os.write(self._give_back, b"\0")
        return index

    def close(self) -> None:
        os.close(self._free)
        os.close(self._give_back)
        self._memory.close()


_reapers: list[threading.Thread] = []


def _reap_later(pid: int) -> None:
    """Wait for a process that has sent its results, in a thread: tearing down a worker forked
    from a build of 10,000 services takes 0.02 s, which the preview's reload need not wait for."""
    _reapers[:] = [thread for thread in _reapers if thread.is_alive()]
    thread = threading.Thread(target=_reap, args=(pid,), name=f"reap-{pid}", daemon=True)
    thread.start()
    _reapers.append(thread)


def reaped() -> None:
    """Return once every worker process that `share` left to a thread has been waited for."""
    for thread in list(_reapers):
        thread.join()


def _reap(pid: int) -> None:
    with contextlib.suppress(OSError):
        os.waitpid(pid, 0)
