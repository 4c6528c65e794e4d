"""What a build may read of a project: regular files inside it, never through a link that leads out.

Git stores symbolic links, so a pull request can add `content/files -> /home/runner` or a catalog
linked to `/dev/zero`. `scan` reports every link under content/ and templates/ that leads outside
them, and every device, pipe or socket; `read` opens only regular files inside, of bounded size.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from mppsite.core import text_rules
from mppsite.core.problems import Problems

CONTENT_DIRS = ("content", "templates", "strings")  # where links may lead (strings: a project's languages)
SETTINGS_FILE = "site_config.yaml"
TEXT_MAX_BYTES = 16 * 1024 * 1024  # a content text file: 10,000 services in 60 catalogs is 15 MB
_OPEN = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


class Refused(Exception):
    """A file the build will not read: (message key, its parameters)."""

    def __init__(self, key: str, **params: object):
        super().__init__(key)
        self.key, self.params = key, params


def relative(path: Path | str, root: Path) -> str:
    try:
        return Path(path).relative_to(root).as_posix()
    except ValueError:
        return Path(path).as_posix()


# What editors and file managers write beside the files staff save (vim, emacs, JetBrains, GNOME,
# Windows Explorer, a browser's unfinished download): never content.
_JUNK_SUFFIXES = ("~", ".swp", ".swo", ".swn", ".swx", ".swpx", ".tmp", ".bak", ".orig", ".crdownload",
                  "___jb_tmp___", "___jb_old___")
_JUNK_NAMES = frozenset({"4913", "Thumbs.db", "desktop.ini"})


def skipped(name: str) -> bool:
    """Hidden files and editors' and systems' leftovers (`.#polres.yaml`, `#polres.yaml#`,
    `polres.yaml~`, `formulir.pdf.bak`, `Thumbs.db`): never read from content/, never published,
    never a reason for the preview to rebuild."""
    return name.startswith((".", "#")) or name.endswith(_JUNK_SUFFIXES) or name in _JUNK_NAMES


def scan(root: Path, problems: Problems) -> bool:
    """Report every link that leads outside, nowhere or round in a loop, and every special file;
    True when none was found."""
    before = len(problems.errors)
    allowed = _allowed(root)
    settings = root / SETTINGS_FILE
    if os.path.lexists(settings):
        _look(settings, root, allowed, problems)
    for name in CONTENT_DIRS:
        folder = root / name
        if os.path.lexists(folder) and _look(folder, root, allowed, problems):
            _walk(folder, root, allowed, problems, hidden=name != "content")
    return len(problems.errors) == before


def _allowed(root: Path) -> tuple[str, ...]:
    real = os.path.realpath(root)
    return (*(os.path.join(real, name) for name in CONTENT_DIRS), os.path.join(real, SETTINGS_FILE))


def _walk(folder: Path, root: Path, allowed: tuple[str, ...], problems: Problems, hidden: bool) -> None:
    """Every entry below `folder`, links not followed (a folder they lead to is walked where it is)."""
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError as err:
        problems.add(relative(folder, root), 0, 0, "", "file_unreadable", reason=err.strerror or str(err))
        return
    for entry in entries:
        if not hidden and skipped(entry.name):
            continue
        path = Path(entry.path)
        odd = text_rules.FORBIDDEN_IN_NAMES.search(entry.name)
        if odd:  # (the name is shown escaped: problems.one_line)
            problems.add(relative(path, root), 0, 0, "", "file_name_character",
                         code=text_rules.describe(odd.group()))
            continue
        if _look(path, root, allowed, problems) and entry.is_dir(follow_symlinks=False):
            _walk(path, root, allowed, problems, hidden)


def _look(path: Path, root: Path, allowed: tuple[str, ...], problems: Problems) -> bool:
    """Report what is wrong with one entry; True when it is a plain folder (to walk into)."""
    rel = relative(path, root)
    try:
        mode = os.lstat(path).st_mode
    except OSError as err:
        problems.add(rel, 0, 0, "", "file_unreadable", reason=err.strerror or str(err))
        return False
    if stat.S_ISLNK(mode):
        _look_at_link(path, rel, allowed, problems)
        return False
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        problems.add(rel, 0, 0, "", "file_special")
        return False
    return stat.S_ISDIR(mode)


def _look_at_link(path: Path, rel: str, allowed: tuple[str, ...], problems: Problems) -> None:
    try:
        target = os.readlink(path)
        real = os.path.realpath(path, strict=True)
        mode = os.stat(real).st_mode
    except OSError as err:
        problems.add(rel, 0, 0, "", "link_loop" if err.errno == errno.ELOOP else "link_broken", target=target)
        return
    if not _within(real, allowed):
        problems.add(rel, 0, 0, "", "link_outside", target=target)
    elif not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        problems.add(rel, 0, 0, "", "file_special")


def _within(real: str, allowed: tuple[str, ...]) -> bool:
    return any(real == place or real.startswith(place + os.sep) for place in allowed)


def read(path: Path, root: Path, limit: int = TEXT_MAX_BYTES) -> bytes:
    """The bytes of one file of the project: Refused when it is not a regular file inside
    content/, templates/ or the settings file (links followed), or is larger than `limit`; OSError
    when the system cannot read it."""
    real = os.path.realpath(path)
    if not _within(real, _allowed(root)):
        raise Refused("link_outside", target=real)
    handle = os.open(path, _OPEN)
    try:
        found = os.fstat(handle)
        if not stat.S_ISREG(found.st_mode):
            raise Refused("file_special")
        if found.st_size > limit:
            raise Refused("file_too_large", size=_megabytes(found.st_size), max=_megabytes(limit))
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(handle, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:  # grew while being read
            raise Refused("file_too_large", size=_megabytes(size), max=_megabytes(limit))
        return b"".join(chunks)
    finally:
        os.close(handle)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"
