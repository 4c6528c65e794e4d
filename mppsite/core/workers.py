"""Forked worker processes (multiprocessing's fork context), for rendering pages in parallel."""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

# What stops a build (cli.stopped_by_signals): the parent reports it, its workers are ended.
STOPPING = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))


def count() -> int:
    """How many worker processes can run at once: the CPUs this process may use, or 1 when
    this system cannot fork (the workers inherit the build's state instead of receiving it)."""
    if not hasattr(os, "fork"):
        return 1
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


# The function the workers run: set before they are forked, inherited, never pickled.
_DO: list[Callable[[Any], Any]] = []


def _in_worker() -> None:
    """Ctrl-C reaches the whole process group and only the parent reports it, once; SIGTERM and
    SIGHUP end a worker at once. (They were held back over the fork: see `share`.) No cyclic
    garbage collection: rendering makes no cycles worth it, and the collector would walk the
    whole inherited site."""
    gc.disable()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for number in STOPPING[1:]:
        signal.signal(number, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOPPING)


def _call(task: Any) -> Any:
    return _DO[0](task)


def share(tasks: Sequence[Any], do: Callable[[Any], Any], processes: int,
          meanwhile: Callable[[], None]) -> tuple[list[Any], Exception | None]:
    """`do(task)` for every task, in `processes` forked processes while this one runs
    `meanwhile()`; what they returned (in the order of `tasks`), and what `meanwhile` raised.

    `do` reports its own failures in what it returns; a worker that dies raises RuntimeError.
    Whatever happens (Ctrl-C, SIGTERM turned into an exception, a failure), every worker has
    ended and been waited for when this returns.
    """
    _DO[:] = [do]
    # The site as loaded stays out of collections while workers share its memory pages: a
    # collection writes into every object it walks, and each page written is copied.
    gc.freeze()
    pool = ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("fork"),
                               initializer=_in_worker)
    try:
        # Held back over the forks (at the first submit): a Ctrl-C between a fork and the child's
        # `_in_worker` would otherwise stop that child alone. (Where processes fork, Python has
        # pthread_sigmask.)
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, STOPPING)
        try:
            futures = [pool.submit(_call, task) for task in tasks]
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        deferred: Exception | None = None
        try:
            meanwhile()
        except Exception as err:  # the caller decides which failure comes first
            deferred = err
        try:
            return [future.result() for future in futures], deferred
        except Exception as err:  # BrokenProcessPool: a worker died (killed, out of memory)
            raise RuntimeError(f"a worker process ended without its results ({err})") from None
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        _DO.clear()
        gc.unfreeze()
