"""Write step: build the site beside output_dir, then put it in place only when complete.

Two ways, both leaving the previous output exactly as it was if anything fails before `commit`:

- swap (a first build, no usable cache, or an output folder someone touched): the whole site is
  written into a temporary folder beside output_dir (unchanged files hard-linked from the last
  output) and swapped in with two renames;
- update (the previous output is intact and recorded by the page cache, see cache.py): only new
  and changed files are written, into a temporary folder; `commit` then moves each into place
  with os.replace, skips those whose bytes turned out the same, and removes files the new site no
  longer has. A rebuild after one edit at 10,000 services touches a few dozen files, not 20,000.

Paths are checked so nothing is written outside the temporary folder.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterable
from pathlib import Path

from mppsite.check.config import OUTPUT_MARKER

LARGE = 1 << 20  # bytes: a file replaced by an update whose old bytes are freed after the build


class UnsafePath(Exception):
    pass


def parents(rel: str) -> Iterable[str]:
    """The folders holding `rel`, innermost first, ending with "" (the output folder itself)."""
    while "/" in rel:
        rel = rel.rsplit("/", 1)[0]
        yield rel
    yield ""


class OutputWriter:
    def __init__(self, target: Path, previous: Iterable[str] | None = None):
        """`previous`: the files of the intact last output, to update it in place; None to swap."""
        self.target = target
        target.parent.mkdir(parents=True, exist_ok=True)
        self._clean_leftovers()
        self.tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}-new-", dir=target.parent))
        self.previous: frozenset[str] | None = None if previous is None else frozenset(previous)
        self.written: set[str] = set()
        self.fresh: list[str] = []  # files written into the temporary folder (update mode)
        self.pages = 0
        self.replaced: list[str] = []  # after an update's commit: files moved into place
        self.removed: list[str] = []  # ... and files of the last output that are gone
        self.deferred: list[tuple[str, Data]] | None = None  # see `defer`
        self.flushing: tuple[threading.Thread, list[BaseException]] | None = None  # see `flush`
        self.large_replaced = False  # an update's commit kept a LARGE file's old bytes aside

    def _clean_leftovers(self) -> None:
        """Remove temporary folders an interrupted build left: names exactly as tempfile.mkdtemp
        made them from the output folder's name (compared as text, never as a glob pattern)."""
        ours = re.compile(re.escape(f".{self.target.name}-") + r"(?:new|old)-[a-z0-9_]{8}(?:-old)?")
        try:
            names = os.listdir(self.target.parent)
        except OSError:
            return
        for name in names:
            leftover = self.target.parent / name
            if ours.fullmatch(name) and leftover.is_dir() and not leftover.is_symlink():
                shutil.rmtree(leftover, ignore_errors=True)

    def _checked(self, rel: str) -> str:
        """Where `rel` goes in the temporary folder; UnsafePath for a name that could leave it
        (or that is not written the one way the build writes names: no "", "." or ".." part).
        Checked on the string: pathlib's parsing cost 10 µs a page."""
        parts = rel.split("/")
        if not rel or rel[0] == "/" or ".." in parts or "" in parts or "." in parts or rel == OUTPUT_MARKER:
            raise UnsafePath(rel)
        return f"{self.tmp}/{rel}"

    def _path(self, rel: str) -> Path:
        return Path(self._checked(rel))

    def _add(self, rel: str, page: bool) -> None:
        if rel in self.written:
            raise UnsafePath(f"{rel} written twice")
        self.written.add(rel)
        if page and rel.endswith(".html"):
            self.pages += 1

    def claim(self, rel: str, page: bool = True) -> Path:
        """Reserve `rel` and return where its bytes go, its folder made; writing the same path
        twice is a bug."""
        path = self._path(rel)
        self._add(rel, page)
        path.parent.mkdir(parents=True, exist_ok=True)
        if self.previous is not None:
            self.fresh.append(rel)
        return path

    def reserve(self, rel: str) -> str:
        """Reserve `rel` and return where its bytes go, for `write_new`; nothing is made.

        Parallel rendering reserves every page here first; the worker processes then write them.
        """
        path = self._checked(rel)
        self._add(rel, True)
        if self.previous is not None:
            self.fresh.append(rel)
        return path

    def write(self, rel: str, data: str | Data) -> Stat | None:
        """Write one file; its stat (None when deferred, see `defer`)."""
        path, data = self.reserve(rel), data.encode("utf-8") if isinstance(data, str) else data
        if self.deferred is not None:
            self.deferred.append((path, data))
            return None
        return write_new(path, data)

    def defer(self) -> None:
        """Make `write` only take down what to write until `flush`: the bytes are ready, and the
        system calls that write them (37 MB of open data at 10,000 services, often 40 ms or
        more on this disk) wait until another process renders pages meanwhile."""
        self.deferred = []

    def flush(self, background: bool = False) -> None:
        """Write what `write` took down since `defer`, and write at once again from now on.

        `background`: by a thread of its own, which `commit` (or `abort`) waits for: writing
        gives up Python's lock while the system copies the bytes, so this process renders pages
        meanwhile (the open data's 37 MB took 25 ms and more at 10,000 services).
        """
        deferred, self.deferred = self.deferred, None
        if not deferred or not background:
            for path, data in deferred or ():
                write_new(path, data)
            return
        failed: list[BaseException] = []

        def write_all() -> None:
            try:
                for path, data in deferred:
                    write_new(path, data)
            except BaseException as err:  # raised by `_flushed`, in the build's own thread
                failed.append(err)
        thread = threading.Thread(target=write_all, name="mppsite-flush", daemon=True)
        thread.start()
        self.flushing = (thread, failed)

    def _flushed(self) -> None:
        """Wait for a `flush` in the background to end; raise what it raised."""
        if self.flushing is not None:
            (thread, failed), self.flushing = self.flushing, None
            thread.join()
            if failed:
                raise failed[0]

    def copy(self, source: Path, rel: str) -> None:
        shutil.copyfile(source, self.claim(rel, page=False))

    def link(self, source: Path, rel: str) -> bool:
        """Hard-link an unchanged file of the previous output (same bytes, no copy).

        False (nothing claimed) when the file system cannot link; the caller writes it instead.
        The previous output is never written to: a link only adds a name to the same bytes.
        """
        path = self.claim(rel)
        try:
            os.link(source, path)
        except OSError:
            self.written.discard(rel)
            if rel.endswith(".html"):
                self.pages -= 1
            if self.previous is not None:
                self.fresh.pop()
            return False
        return True

    def keep(self, rel: str, page: bool = True) -> bool:
        """Keep the last output's file `rel` as it is (its inputs did not change).

        Updating: nothing is done to it. Swapping: it is hard-linked into the new folder. False
        when it cannot be kept (the caller writes it).
        """
        if self.previous is None:
            return self.link(self.target.joinpath(*rel.split("/")), rel)
        if rel not in self.previous:  # (a name the last build wrote, so a safe one)
            return False
        self._add(rel, page)
        return True

    def keep_many(self, rels: list[str]) -> None:
        """`keep` for page files of the intact last output (`previous`), in one step."""
        assert self.previous is not None
        before = len(self.written)
        self.written.update(rels)
        if len(self.written) != before + len(rels):
            raise UnsafePath("a file written twice")
        self.pages += sum(rel.endswith(".html") for rel in rels)

    def commit(self, remove_in_background: bool = False, clean_later: bool = False) -> None:
        """Put the finished site in place of the old one (see the module's docstring).

        `clean_later` (an update): the temporary folder, holding the files replaced, is removed
        by `clean`, not here (the preview does it after the browser reloads).
        """
        self._flushed()
        if self.previous is not None:
            self._commit_update(keep_replaced=clean_later)
            if not clean_later:
                self.clean(background=self.large_replaced)
            return
        # Removing the old folder is the slowest part of a swap that changed few pages (each
        # folder and link is a metadata write); with `remove_in_background` a detached process
        # does it after the build returns. The old folder is already out of the way by then, and
        # a later build also removes such leftovers.
        (self.tmp / OUTPUT_MARKER).write_text("Built by mppsite; this folder is replaced on every build.\n")
        os.chmod(self.tmp, 0o755)
        old = None
        if self.target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{self.target.name}-old-", dir=self.target.parent))
            os.rmdir(old)
            os.rename(self.target, old)
        os.rename(self.tmp, self.target)
        if old is not None:
            _remove(old, background=remove_in_background)

    def _commit_update(self, keep_replaced: bool) -> None:
        """Move the new and changed files into the output; remove the files that are gone.

        Everything that can fail on content (comparing, reading) happens before the first change
        to the output; from then on only renames and removals of our own files remain.
        """
        assert self.previous is not None
        moves = []
        for rel in sorted(self.fresh):
            new = self._path(rel)
            old = self.target.joinpath(*rel.split("/"))
            size = _size(old) if rel in self.previous else -1
            if size >= 0 and _same_bytes(new, old, size):
                continue
            moves.append((rel, new, old, size))
        gone = sorted(self.previous - self.written)
        for rel in gone:  # first, so that a file never stands where a new folder goes
            self.target.joinpath(*rel.split("/")).unlink(missing_ok=True)
        for folder in sorted({parent for rel in gone for parent in parents(rel) if parent}, reverse=True):
            with contextlib.suppress(OSError):  # not empty: it still holds pages
                os.rmdir(self.target / folder)
        replaced = self.tmp / ".mppsite-replaced"  # no file of a site has this name
        replaced.mkdir()
        for number, (rel, new, old, size) in enumerate(moves):
            old.parent.mkdir(parents=True, exist_ok=True)
            if rel in self.previous and size >= LARGE:
                # The old file moved aside, then the new one put in its place: replacing it would
                # free its bytes (35 ms for the open data's 37 MB on this machine's disk), and
                # renaming onto an existing file makes ext4 give the new one its blocks at once
                # (auto_da_alloc: 25 ms more). `clean` frees them later (a plain build: a process
                # of its own, after the build). For that instant the name is missing; a build
                # stopped there left no manifest (PageCache.forget), so the next one writes all.
                aside = replaced / str(number)
                os.rename(old, aside)
                try:
                    os.rename(new, old)
                except OSError:
                    os.rename(aside, old)
                    raise
                self.large_replaced = True
                continue
            if rel in self.previous and keep_replaced:
                # A second name for the old bytes, so that replacing the file does not free them:
                # `clean` does, after the preview's reload.
                with contextlib.suppress(OSError):
                    os.link(old, replaced / str(number))
            os.replace(new, old)
        self.replaced = [rel for rel, _, _, _ in moves]
        self.removed = gone

    def clean(self, background: bool = False) -> None:
        """Remove the temporary folder after an update's commit (and what it replaced)."""
        if self.previous is not None:  # (a swap's temporary folder is the output now)
            _remove(self.tmp, background)

    def abort(self) -> None:
        with contextlib.suppress(BaseException):
            self._flushed()
        shutil.rmtree(self.tmp, ignore_errors=True)


Stat = tuple[int, int, int]  # size, mtime_ns, inode: what the page cache records of a file
# A file's bytes: one buffer, or several one after the other (written with one writev each
# IOV_MAX of them, never joined: the open data is 37 MB of runs cut from the last files).
Data = bytes | memoryview | list[bytes | memoryview]
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0)
_IOV_MAX = min(os.sysconf("SC_IOV_MAX") if hasattr(os, "sysconf") and "SC_IOV_MAX" in os.sysconf_names
               else 1024, 1024)


def write_new(path: str, data: Data) -> Stat:
    """Write `data` to `path` in the temporary folder, making its folder when missing; the stat
    of the file written, read from the open file (no second look-up by name).

    A page has a folder of its own, so the folder is made first; an existing one (a folder of
    several files) is no error.
    """
    folder = path.rpartition("/")[0]
    try:
        os.mkdir(folder)
    except FileExistsError:
        pass
    except FileNotFoundError:
        os.makedirs(folder, exist_ok=True)
    handle = os.open(path, _NEW_FILE, 0o666)
    try:
        if isinstance(data, list):
            _write_all(handle, data)
        else:
            view = memoryview(data)
            while view:
                view = view[os.write(handle, view):]
        found = os.fstat(handle)
    finally:
        os.close(handle)
    return (found.st_size, found.st_mtime_ns, found.st_ino)


def _write_all(handle: int, parts: list[bytes | memoryview]) -> None:
    """Write `parts` one after the other, with writev where the system has it."""
    if not hasattr(os, "writev"):
        for part in parts:
            view = memoryview(part)
            while view:
                view = view[os.write(handle, view):]
        return
    pending = [memoryview(part).cast("B") for part in parts if len(part)]
    while pending:
        batch = pending[:_IOV_MAX]
        written = os.writev(handle, batch)
        done = 0
        while done < len(batch) and written >= len(batch[done]):  # the buffers written whole
            written -= len(batch[done])
            done += 1
        if done < len(batch) and written:
            batch[done] = batch[done][written:]
        pending = batch[done:] + pending[len(batch):]


def _size(path: Path) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return -1


def _same_bytes(new: Path, old: Path, old_size: int) -> bool:
    try:
        if new.stat().st_size != old_size:
            return False
        return new.read_bytes() == old.read_bytes()
    except OSError:
        return False


def _remove(folder: Path, background: bool) -> None:
    """Remove one of our folders; with `background`, by a detached process after the build returns
    (freeing many files, or a large one, on this disk takes tens of milliseconds or more). A
    later build removes such leftovers too (OutputWriter._clean_leftovers)."""
    if background:
        try:
            remover = "import shutil, sys; shutil.rmtree(sys.argv[1], True)"
            subprocess.Popen([sys.executable, "-c", remover, str(folder)], stdin=subprocess.DEVNULL,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
            return
        except OSError:
            pass
    shutil.rmtree(folder, ignore_errors=True)
