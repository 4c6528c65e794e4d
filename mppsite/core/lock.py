"""One build of a project at a time, and a cache folder that holds only what builds put there.

Two builds at once would swap their output folders into each other. So a build, check or preview
rebuild flocks the project folder itself: no lock file to write, and the system releases the lock
however the process ends, so it is never stale.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

CACHE_DIR = ".mppsite-cache"  # as fingerprint.CACHE_DIR (this module imports nothing of mppsite)
WAIT_SECONDS = 1800  # a build of 10,000 services with search takes under a minute
POLL_SECONDS = 0.2

try:
    import fcntl
except ImportError:  # Windows: no lock (nor the forked workers the rest of the build needs)
    fcntl = None  # type: ignore[assignment]


class Busy(Exception):
    """Another process held the lock for longer than WAIT_SECONDS."""


_held: dict[Path, tuple[int, int]] = {}  # project -> (descriptor, depth): re-entrant in a process
_guard = threading.Lock()


def _try(handle: int) -> bool:
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError as err:
        if err.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
            return False
        raise


def acquire(root: Path, waiting: Callable[[], None] | None = None) -> bool:
    """Hold the project's lock (re-entrant); True when held, and then `release` must follow.
    Held elsewhere: `waiting()` once, then wait (Busy after WAIT_SECONDS). False where the system
    has no such lock."""
    if fcntl is None:
        return False
    root = root.resolve()
    with _guard:
        if root in _held:
            handle, depth = _held[root]
            _held[root] = (handle, depth + 1)
            return True
    handle = os.open(root, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        deadline = time.monotonic() + WAIT_SECONDS
        told = False
        while not _try(handle):
            if time.monotonic() > deadline:
                raise Busy()
            if not told and waiting is not None:
                waiting()
                told = True
            time.sleep(POLL_SECONDS)
    except BaseException:
        os.close(handle)
        raise
    with _guard:
        _held[root] = (handle, 1)
    clean_cache(root)
    return True


def release(root: Path) -> None:
    """Let go of one `acquire`; the lock itself at the last."""
    root = root.resolve()
    with _guard:
        handle, depth = _held.pop(root)
        if depth > 1:
            _held[root] = (handle, depth - 1)
            return
    os.close(handle)  # (closing it releases the lock)


@contextlib.contextmanager
def held(root: Path, waiting: Callable[[], None] | None = None) -> Iterator[None]:
    locked = acquire(root, waiting)
    try:
        yield
    finally:
        if locked:
            release(root)


def clean_cache(root: Path) -> None:
    """Remove the project's cache folder when anything in it is not a plain file or folder: a
    link committed there would make a build write or delete files outside the project (rmtree
    does not follow links). A cache is only a speed-up: it is made again."""
    cache = root / CACHE_DIR
    try:
        top = os.lstat(cache)
    except FileNotFoundError:
        return
    if stat.S_ISDIR(top.st_mode):
        if _only_plain(cache):
            return
        shutil.rmtree(cache, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            os.unlink(cache)
    if os.path.lexists(cache):
        raise OSError(errno.EPERM, "cannot remove a cache folder that holds links", str(cache))


def _only_plain(folder: Path) -> bool:
    for current, dirs, files in os.walk(folder, followlinks=False):
        for name in dirs + files:
            mode = os.lstat(os.path.join(current, name)).st_mode
            if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
                return False
    return True
