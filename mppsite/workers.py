"""Forked worker processes, shared by the steps that use them (catalog_cache, pipeline, cache)."""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable
from multiprocessing.pool import Pool


def count() -> int:
    """How many worker processes can run at once: the CPUs this process may use, or 1 when
    this system cannot fork (the workers inherit the build's state instead of receiving it)."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def pool(processes: int) -> Pool:
    """A pool of forked processes that leave Ctrl-C to the parent."""
    return multiprocessing.get_context("fork").Pool(processes, initializer=_ignore_interrupt)


def _ignore_interrupt() -> None:
    """Ctrl-C reaches the whole process group: only the parent reports it, once."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def answer_later(question: Callable[[], bool]) -> Callable[[], bool]:
    """`question()`, answered by a forked process while this one goes on; call the result for it.

    The answer is read once (later calls repeat it) and the child then reaped. Where this system
    cannot fork, or the child gives no answer (an error there), the question is asked here.
    """
    if "fork" not in multiprocessing.get_all_start_methods():
        found = question()
        return lambda: found
    try:
        read_end, write_end = os.pipe()
        pid = os.fork()
    except OSError:
        return question
    if pid == 0:  # the child: answer one byte, and never return into the caller
        try:
            _ignore_interrupt()
            os.write(write_end, b"1" if question() else b"0")
        finally:
            os._exit(0)
    os.close(write_end)
    answered: list[bool] = []

    def answer() -> bool:
        if not answered:
            try:
                got = os.read(read_end, 1)
            finally:
                os.close(read_end)
                os.waitpid(pid, 0)
            answered.append(got == b"1" if got else question())
        return answered[0]
    return answer
