"""Write step: build the site in a temporary folder beside output_dir, then swap it in whole.

If anything fails before `commit`, the temporary folder is removed and the previous output is
left exactly as it was. Paths are checked so nothing is written outside the temporary folder.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path, PurePosixPath

from .config import OUTPUT_MARKER


class UnsafePath(Exception):
    pass


class OutputWriter:
    def __init__(self, target: Path):
        self.target = target
        target.parent.mkdir(parents=True, exist_ok=True)
        self._clean_leftovers()
        self.tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}-new-", dir=target.parent))
        self.written: set[str] = set()
        self.pages = 0

    def _clean_leftovers(self) -> None:
        """Remove temporary folders an interrupted build left (their names are ours)."""
        for pattern in (f".{self.target.name}-new-*", f".{self.target.name}-old-*"):
            for leftover in self.target.parent.glob(pattern):
                if leftover.is_dir() and not leftover.is_symlink():
                    shutil.rmtree(leftover, ignore_errors=True)

    def _path(self, rel: str) -> Path:
        pure = PurePosixPath(rel)
        if pure.is_absolute() or ".." in pure.parts or not rel:
            raise UnsafePath(rel)
        return self.tmp.joinpath(*pure.parts)

    def claim(self, rel: str, page: bool = True) -> Path:
        """Reserve `rel` and return where its bytes go; writing the same path twice is a bug.

        Parallel rendering claims every page here first; the worker processes then write them.
        """
        if rel in self.written:
            raise UnsafePath(f"{rel} written twice")
        path = self._path(rel)
        self.written.add(rel)
        path.parent.mkdir(parents=True, exist_ok=True)
        if page and rel.endswith(".html"):
            self.pages += 1
        return path

    def write(self, rel: str, data: str | bytes) -> None:
        """Write one file."""
        self.claim(rel).write_bytes(data.encode("utf-8") if isinstance(data, str) else data)

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
            return False
        return True

    def commit(self, remove_in_background: bool = False) -> None:
        """Swap the finished site in place of the old one.

        Removing the old folder is the slowest part of a rebuild that changed few pages (each
        folder and link is a metadata write); with `remove_in_background` a detached process
        does it after the build returns. The old folder is already out of the way by then, and a
        later build also removes such leftovers.
        """
        (self.tmp / OUTPUT_MARKER).write_text("Built by mppsite; this folder is replaced on every build.\n")
        os.chmod(self.tmp, 0o755)
        old = None
        if self.target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{self.target.name}-old-", dir=self.target.parent))
            os.rmdir(old)
            os.rename(self.target, old)
        os.rename(self.tmp, self.target)
        if old is None:
            return
        if remove_in_background:
            try:
                remover = "import shutil, sys; shutil.rmtree(sys.argv[1], True)"
                subprocess.Popen([sys.executable, "-c", remover, str(old)], stdin=subprocess.DEVNULL,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
                return
            except OSError:
                pass
        shutil.rmtree(old, ignore_errors=True)

    def abort(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)
