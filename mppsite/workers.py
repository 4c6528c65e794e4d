"""Forked worker processes, shared by the steps that use them (catalog_cache, pipeline)."""

from __future__ import annotations

import multiprocessing
import os
import signal
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
