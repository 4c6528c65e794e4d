"""Forked worker processes (multiprocessing's fork context): catalogs read and pages rendered in parallel."""

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
    """`do(task)` for every task, by `processes` processes: `processes - 1` forked ones, and this
    one once it has run `meanwhile()`; what they returned (in the order of `tasks`), and what
    `meanwhile` raised. Give the costliest tasks first: this process takes the tasks no worker has
    begun from the end. (One copy of the site's memory fewer: a cold build of 10,000 services on
    2 CPUs takes 12.1 s instead of 13.3 s.)

    `do` reports its own failures in what it returns; a worker that dies raises RuntimeError.
    Whatever happens (Ctrl-C, SIGTERM turned into an exception, a failure), every worker has
    ended and been waited for when this returns.
    """
    _DO[:] = [do]
    # The site as loaded stays out of collections while workers share its memory pages: a
    # collection writes into every object it walks, and each page written is copied.
    gc.freeze()
    pool = ProcessPoolExecutor(processes - 1, mp_context=multiprocessing.get_context("fork"),
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
        mine: dict[int, Any] = {}
        for position in range(len(futures) - 1, -1, -1):
            if not futures[position].cancel():  # a worker has it: the rest are theirs too
                break
            mine[position] = do(tasks[position])
        try:
            return [mine[position] if position in mine else future.result()
                    for position, future in enumerate(futures)], deferred
        except Exception as err:  # BrokenProcessPool: a worker died (killed, out of memory)
            raise RuntimeError(f"a worker process ended without its results ({err})") from None
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        _DO.clear()
        gc.unfreeze()
