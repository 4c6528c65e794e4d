"""Write step: build the site in a temporary folder beside output_dir, then swap it in whole.

If anything fails before `commit`, the temporary folder is removed and the previous output is
left exactly as it was. Paths are checked so nothing is written outside the temporary folder.
"""

from __future__ import annotations

import os
import shutil
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

    def write(self, rel: str, data: str | bytes) -> None:
        """Write one file; writing the same path twice is a bug, not an overwrite."""
        if rel in self.written:
            raise UnsafePath(f"{rel} written twice")
        self.written.add(rel)
        path = self._path(rel)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        if rel.endswith(".html"):
            self.pages += 1

    def copy(self, source: Path, rel: str) -> None:
        if rel in self.written:
            raise UnsafePath(f"{rel} written twice")
        self.written.add(rel)
        path = self._path(rel)
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, path)

    def commit(self) -> None:
        """Swap the finished site in place of the old one."""
        (self.tmp / OUTPUT_MARKER).write_text("Built by mppsite; this folder is replaced on every build.\n")
        os.chmod(self.tmp, 0o755)
        old = None
        if self.target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{self.target.name}-old-", dir=self.target.parent))
            os.rmdir(old)
            os.rename(self.target, old)
        os.rename(self.tmp, self.target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)

    def abort(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)
