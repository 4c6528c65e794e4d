"""Whether output/ is exactly what the last build left, as recorded in the page cache's manifest.

`cache.PageCache.intact` asks here. The same check also runs as a small process of its own while
the build reads the content (`PageCache.intact_later`; at 10,000 services it is 30,000 stats,
0.17 s):

    python -I -S intact.py MANIFEST OUTPUT SIZE MTIME_NS INODE

prints 1 (intact) or 0, or nothing when it could not tell. SIZE, MTIME_NS and INODE are the
manifest's stat as the build read it: another manifest is never checked in its place. Only the
standard library is imported, so the process starts in a few milliseconds. (A forked copy of the
build would start sooner, but in the preview the build's process holds the whole site, and after
a fork every page of memory the build writes to is copied first: 0.1 s more at 10,000 services.)
"""

from __future__ import annotations

import marshal
import os
import sys
from typing import Any

if __name__ == "__main__":  # run as a script (-I -S): sealed.py is in ../core
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "core"))
    import sealed
else:
    from mppsite.core import sealed


def matches(output: str, entries: dict[str, tuple[Any, tuple[int, int, int]]],
            dirs: dict[str, tuple[int, int]]) -> bool:
    """Every file (size, mtime, inode) and folder (mtime, inode) of `output` as recorded.

    A file edited, added, removed or renamed by hand changes a file's or a folder's stat.
    """
    if not entries or "" not in dirs:
        return False
    try:
        for rel, (_, expected) in entries.items():
            found = os.stat(f"{output}/{rel}", follow_symlinks=False)
            if (found.st_size, found.st_mtime_ns, found.st_ino) != expected:
                return False
        for rel, expected_dir in dirs.items():
            found = os.stat(f"{output}/{rel}" if rel else output, follow_symlinks=False)
            if (found.st_mtime_ns, found.st_ino) != expected_dir:
                return False
    except OSError:
        return False
    return True


def check(manifest: str, output: str, stat: list[int] | None = None) -> tuple[list[int], bool] | None:
    """The manifest's stat as read here, and whether output/ matches it; None when it cannot be
    read. With `stat`, a manifest rewritten since (another stat) is not checked: False."""
    try:
        with open(manifest, "rb") as stream:
            found = os.fstat(stream.fileno())
            read = [found.st_size, found.st_mtime_ns, found.st_ino]
            if stat is not None and read != stat:
                return read, False  # rewritten since the build read it
            payload = sealed.opened(stream.read())
        if payload is None:  # not a manifest this user's builds wrote
            return None
        data = marshal.loads(payload)
        return read, matches(output, data["entries"], data["dirs"])
    except Exception:  # unreadable: no answer, the build checks by itself
        return None


def main(argv: list[str]) -> int:
    manifest, output, *stat = argv
    found = check(manifest, output, [int(part) for part in stat])
    if found is None:
        return 1
    sys.stdout.write("1" if found[1] else "0")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
