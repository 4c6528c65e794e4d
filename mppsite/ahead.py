"""The changed catalogs, parsed and checked ahead by a process of its own while the build starts.

A rebuild after staff edited one catalog spends its first 0.2 s importing code, then parses and
checks that catalog with the schema, for which pydantic alone takes 0.1 s to import. Forked as the
command starts (build.py, before the rest is imported), this process does the second part
(catalog_cache.check_ahead: it keeps what it finds valid in the catalog cache) while the build
imports the rest; the build then reads the catalog from the cache, and needs no pydantic unless
something has an error, which it finds and reports as always (a catalog with an error is never
kept). The settings and the small files (mall, categories, indicators, documents) it checks first,
into the memo of valid items (validate.Memo): a first build, which finds none kept, compiles its
templates meanwhile and then reads them from there, without pydantic either. Then, for a build, the
process checks whether output/ is as the last build left it (intact.check), which would otherwise
take a third process competing for the two CPUs.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path

from . import lock

NICENESS = 10  # of the output check, once the catalogs are done (see `start`)
# What it says on its pipe, in this order (see Ahead): SETTINGS, then KEPT and a catalog's file
# name and a newline for each catalog kept (by it or the processes it forked), then CATALOGS.
SETTINGS, KEPT, CATALOGS = b"s", b"k", b"c"


class Ahead:
    """The process started by `start`, for the project at `root`.

    It tells how far it got on a pipe: one byte once the settings and the small files are in
    the memo of valid items (`wait_settings`), the name of each catalog as soon as it is kept
    (`wait_for`), one byte once all are (`wait`), then the manifest's stat and its answer about
    output/ (`intact`).
    """

    def __init__(self, pid: int, root: Path, said: int):
        self.pid: int | None = pid
        self.root = root
        self._said: int | None = said  # read end of the pipe
        self._marks: set[bytes] = set()  # what it said so far (SETTINGS, CATALOGS)
        self._kept: set[str] = set()  # the catalogs it said it kept, by file name (KEPT)
        self._unread = b""  # read from the pipe, not yet taken apart
        self._intact: tuple[list[int], bool] | None = None
        self.locked = True  # the project's lock, taken by `start` for this process's work

    def _until(self, done: Callable[[], bool]) -> None:
        """Read what it says until `done()` (at once when it is, or when it has ended)."""
        while not done() and self._said is not None and CATALOGS not in self._marks:
            got = os.read(self._said, 4096)
            if not got:  # it ended without saying so: nothing more will come
                self._marks.update((SETTINGS, CATALOGS))
                return
            self._take(self._unread + got)

    def _take(self, said: bytes) -> None:
        """Note the marks in `said`; keep an unfinished name, and what follows CATALOGS (the
        answer `intact` reads), for later."""
        at = 0
        while at < len(said):
            mark = said[at:at + 1]
            if mark == KEPT:
                end = said.find(b"\n", at)
                if end < 0:
                    break
                self._kept.add(os.fsdecode(said[at + 1:end]))
                at = end + 1
                continue
            self._marks.add(mark)
            at += 1
            if mark == CATALOGS:
                break
        self._unread = said[at:]

    def wait_settings(self) -> None:
        """Until the settings and small files it found valid are in the memo (validate.Memo)."""
        self._until(lambda: SETTINGS in self._marks)

    def wait_for(self, name: str) -> None:
        """Until the catalog of this file name (relative to the project) is kept, or all are."""
        self._until(lambda: name in self._kept)

    def wait(self) -> None:
        """Until the catalogs are kept (at once when they are, or when it has ended)."""
        self._until(lambda: False)

    def intact(self, stat: tuple[int, int, int]) -> bool | None:
        """Whether output/ is exactly as the manifest of this stat (size, mtime, inode) records
        it (intact.check), as the process found once its catalogs were done; None when it did not
        answer about this manifest. Waits for the answer (the build asks just before it changes
        output/)."""
        self.wait()
        if self._said is not None:
            with os.fdopen(self._said, "rb") as stream:
                self._said = None
                said = (self._unread + stream.read()).split()
            if len(said) == 4 and all(part.isdigit() for part in said):
                self._intact = ([int(part) for part in said[:3]], said[3] == b"1")
        if self._intact is None or self._intact[0] != list(stat):
            return None
        return self._intact[1]

    def stop(self) -> None:
        """End the process if it still runs (the build is over or was interrupted), reap it, and
        let go of the project's lock taken for it (`start`)."""
        if self.locked:
            self.locked = False
            lock.release(self.root)
        if self._said is not None:
            with contextlib.suppress(OSError):
                os.close(self._said)
            self._said = None
        if self.pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGTERM)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.pid, 0)
            self.pid = None


def start(root: Path, output: bool = True) -> Ahead | None:
    """Fork the process, where the system can and where it helps; None otherwise.

    It helps only a process that has not imported pydantic yet: one that has (a test running
    builds one after the other, say) checks a changed catalog as fast by itself. With `output`
    (a build), the process then also checks whether output/ is as the last build left it (the
    page cache's manifest: 30,000 stats at 10,000 services).
    """
    if not hasattr(os, "fork") or "pydantic" in sys.modules:
        return None
    try:  # it reads and writes the project's cache: only while no other build runs (lock.py)
        if not lock.acquire(root, wait=False):
            return None
    except (lock.Busy, OSError):
        return None
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        lock.release(root)
        return None
    if pid:
        os.close(write_end)
        return Ahead(pid, root, read_end)
    status = 1
    try:
        lock.forget_after_fork()
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a Ctrl-C is the build's to report
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        if hasattr(signal, "SIGHUP"):
            signal.signal(signal.SIGHUP, signal.SIG_DFL)
        os.close(read_end)
        # Reading makes no garbage cycles worth collecting in a process this short (and in the
        # processes it forks to parse): the collector only walked the new objects, 3 % of its time.
        gc.disable()
        from .catalog_cache import check_ahead

        def kept(rel: str) -> None:  # (written at once, whole, by any of the processes)
            if "\n" not in rel:
                os.write(write_end, KEPT + os.fsencode(rel) + b"\n")

        config = check_ahead(root, settled=lambda: os.write(write_end, SETTINGS), kept=kept)
        os.write(write_end, CATALOGS)
        if output and config is not None:
            # Needed only when the build is about to change output/: until then it yields
            # the CPU to the build's own processes (the pages are being rendered meanwhile).
            with contextlib.suppress(OSError):
                os.nice(NICENESS)
            _answer_intact(root, config.output_path, write_end)
        status = 0
    except BaseException:  # whatever it could not do, the build does as usual
        pass
    finally:
        os._exit(status)


def _answer_intact(root: Path, output: Path, write_end: int) -> None:
    """Check output/ against the page cache's manifest; write the manifest's stat and the answer."""
    from . import intact
    from .fingerprint import CACHE_DIR, MANIFEST

    found = intact.check(str(root / CACHE_DIR / MANIFEST), str(output))
    if found is not None:
        os.write(write_end, (" ".join(map(str, found[0])) + (" 1" if found[1] else " 0")).encode())


# Options of build.py that take a value (cli.py's parser): the word after them is no command.
_VALUED = ("--project", "--lang", "--host", "--port")


def start_early(argv: list[str], default_project: Path) -> Ahead | None:
    """`start`, from build.py itself, before the command line's own module is even imported
    (only what the process needs is, once for both: the catalog cache's modules): for `build`
    and `check`, the project named as cli.py's parser will name it (the last --project given).
    cli.main checks that it is, and stops the process otherwise."""
    command, project, words = None, default_project, iter(argv)
    for word in words:
        if word in ("-h", "--help"):
            return None
        if word in _VALUED:
            value = next(words, None)
            if word == "--project" and value is not None:
                project = Path(value)
        elif word.startswith("--project="):
            project = Path(word.partition("=")[2])
        elif not word.startswith("-") and command is None:
            command = word
    if command not in (None, "build", "check"):
        return None
    try:
        return start(project.resolve(), output=command != "check")
    except OSError:
        return None
