"""Notice saved changes in content/, templates/ and site_config.yaml, once per save (the preview).

An editor's save is a burst of writes and renames a few milliseconds apart, with swap and backup
files beside the one saved: a save is reported once the burst is over (QUIET_SECONDS without a
move), for the files whose bytes changed, and editor litter (project_files.skipped) is never content.
"""

from __future__ import annotations

import ctypes
import os
import struct
import sys
import time
from pathlib import Path

from mppsite.core import project_files
from mppsite.core.fingerprint import digest_of

WATCHED = ("content", "templates", "site_config.yaml")
POLL_SECONDS = 0.01  # how often the watcher asks (on Linux it looks only after inotify saw something)
QUIET_SECONDS = 0.025  # a save caught half-way is only rebuilt once more when it ends

_JUNK_DIRS = frozenset({"__pycache__", "node_modules"})


class Watch:
    """Files saved since the last report, asked every POLL_SECONDS (`poll`); saving twice, or
    touching a file, reports nothing."""

    def __init__(self, root: Path, quiet: float = QUIET_SECONDS):
        self.root = root
        self.quiet = quiet
        self.notifier = _Notifier.open()  # None: every poll scans (not Linux, or no inotify)
        self.stats = self._scan()
        self.digests: dict[str, str | None] = {rel: _digest(root / rel) for rel in self.stats}
        self.moved: set[str] = set()
        self.last_move = 0.0

    def _scan(self) -> dict[str, tuple[int, int]]:
        """Every watched file (relative, forward slashes) with its modification time and size."""
        found: dict[str, tuple[int, int]] = {}
        folders = {str(self.root)}  # site_config.yaml is watched through its folder
        for name in WATCHED:
            top = self.root / name
            if top.is_file():
                _stat_into(found, top, name)
                continue
            for folder, dirs, files in os.walk(top):
                folders.add(folder)
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in _JUNK_DIRS)
                prefix = Path(folder).relative_to(self.root).as_posix()
                for file in files:
                    if not project_files.skipped(file):
                        _stat_into(found, Path(folder) / file, f"{prefix}/{file}")
        if self.notifier is not None:  # every time: a folder made again under its old name is a new one
            self.notifier.watch(folders)
        return found

    @property
    def sleeps(self) -> bool:
        """Whether inotify watches every folder, so that polling may stop until it sees something."""
        return self.notifier is not None and self.notifier.complete

    def poll(self, now: float | None = None) -> list[str] | None:
        """The files changed by a finished save (sorted), or None while nothing is due."""
        now = time.monotonic() if now is None else now
        happened = self.notifier.pending() if self.notifier is not None else True  # (read every time)
        if self.sleeps and not self.moved and not happened:
            return None  # nothing happened in the watched folders: no need to look (idle costs nothing)
        current = self._scan()
        if current != self.stats:
            self.moved |= {rel for rel in current.keys() | self.stats.keys()
                           if current.get(rel) != self.stats.get(rel)}
            self.stats = current
            self.last_move = now
            return None
        if not self.moved or now - self.last_move < self.quiet:
            return None
        changed = []
        for rel in sorted(self.moved):
            digest = _digest(self.root / rel) if rel in current else None
            if digest != self.digests.get(rel):
                changed.append(rel)
            self.digests[rel] = digest  # (None: gone)
        self.moved.clear()
        return changed or None


class _Notifier:
    """Linux inotify on the watched folders: whether anything happened in them since last asked,
    so that an idle preview does not look (`Watch._scan`) and uses no CPU."""

    MASK = (0x2 | 0x4 | 0x8 | 0x40 | 0x80 | 0x100 | 0x200 | 0x400 | 0x800  # modify, attrib, close_write,
            | 0x1000000)  # moved_from/to, create, delete, delete_self, move_self; only folders
    IGNORED = 0x8000  # the kernel dropped a watch (its folder is gone)

    def __init__(self, libc: ctypes.CDLL, fd: int):
        self.libc, self.fd = libc, fd
        self.watched: dict[int, str] = {}  # watch descriptor -> folder
        self.complete = False  # every folder asked for is watched (not past the system's limit)

    @classmethod
    def open(cls) -> _Notifier | None:
        if not sys.platform.startswith("linux"):
            return None
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            fd = libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        except (OSError, AttributeError):
            return None
        return cls(libc, fd) if fd >= 0 else None

    def watch(self, folders: set[str]) -> None:
        """Watch the folders not watched yet. One that cannot be (gone meanwhile, or past
        fs.inotify.max_user_watches) leaves the watch incomplete: the preview then looks on every poll."""
        known = set(self.watched.values())
        self.complete = True
        for folder in sorted(folders - known):
            descriptor = self.libc.inotify_add_watch(self.fd, os.fsencode(folder), self.MASK)
            if descriptor >= 0:
                self.watched[descriptor] = folder
            else:
                self.complete = False

    def pending(self) -> bool:
        """True when any event arrived since the last call (all of them are read)."""
        seen = False
        while True:
            try:
                data = os.read(self.fd, 65536)
            except BlockingIOError:
                return seen
            except OSError:
                return True  # cannot tell: look
            if not data:
                return seen
            seen = True
            offset = 0
            while offset + 16 <= len(data):
                descriptor, mask, _, size = struct.unpack_from("iIII", data, offset)
                if mask & self.IGNORED:
                    self.watched.pop(descriptor, None)
                offset += 16 + size


def _stat_into(found: dict[str, tuple[int, int]], path: Path, rel: str) -> None:
    try:
        info = path.stat()
    except OSError:  # removed between listing and looking: it is simply gone
        return
    found[rel] = (info.st_mtime_ns, info.st_size)


def _digest(path: Path) -> str | None:
    try:
        return digest_of(path.read_bytes())
    except OSError:
        return None
