"""Cache files sealed with a key kept outside the project: bytes this user's builds did not write
are never unpickled or unmarshalled.

A pull request can add files to `.mppsite-cache/` (`git add -f`), and pickle runs code on crafted
bytes. So every cache file starts with MAGIC and a keyed BLAKE2b digest of the rest; the random
key lives in the user's cache folder. A file whose digest does not match is a miss. A key file
someone else could have written is not trusted: the process uses a key of its own.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
import stat
import tempfile
from collections.abc import Iterable
from functools import cache
from pathlib import Path

MAGIC = b"mppsite-sealed-1\n"
KEY_BYTES = 32
TAG_BYTES = 32
HEAD = len(MAGIC) + TAG_BYTES  # what precedes the payload in a sealed file
KEY_FILE = "cache.key"


@cache
def key() -> bytes:
    """This user's key, in the user's cache folder (never the project's), made on first use; one of
    this process's own when it cannot be kept."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = Path(base) / "mppsite" / KEY_FILE
    return _read_key(path) or _make_key(path) or secrets.token_bytes(KEY_BYTES)


def _read_key(path: Path) -> bytes | None:
    """The key at `path` when only this user could have written it."""
    try:
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    try:
        found = os.fstat(handle)
        if (not stat.S_ISREG(found.st_mode) or found.st_size != KEY_BYTES
                or found.st_mode & 0o077 or (hasattr(os, "getuid") and found.st_uid != os.getuid())):
            return None
        data = os.read(handle, KEY_BYTES + 1)
    finally:
        os.close(handle)
    return data if len(data) == KEY_BYTES else None


def _make_key(path: Path) -> bytes | None:
    """A new key written to `path` (readable by this user alone); the one another process wrote
    first when two start at once; None when the folder cannot hold one."""
    scratch = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        handle, scratch = tempfile.mkstemp(dir=path.parent, prefix=".key-")  # mode 0600
        with os.fdopen(handle, "wb") as stream:
            stream.write(secrets.token_bytes(KEY_BYTES))
        with contextlib.suppress(FileExistsError):
            os.link(scratch, path)  # never replaces a key already there
        return _read_key(path)
    except OSError:
        return None
    finally:
        if scratch is not None:
            with contextlib.suppress(OSError):
                os.unlink(scratch)


def _tag(parts: Iterable[bytes | memoryview]) -> bytes:
    digest = hashlib.blake2b(key=key(), digest_size=TAG_BYTES, person=b"mppsite-cache")
    for part in parts:
        digest.update(part)
    return digest.digest()


def seal(parts: list[bytes | memoryview]) -> list[bytes | memoryview]:
    """`parts`, preceded by the head that vouches for them (written one after the other)."""
    return [MAGIC + _tag(parts), *parts]


def opened(data: bytes | memoryview) -> memoryview | None:
    """The payload of a sealed file's bytes, or None when this user's builds did not write them."""
    view = memoryview(data)
    if len(view) < HEAD or view[: len(MAGIC)] != MAGIC:
        return None
    payload = view[HEAD:]
    if not hmac.compare_digest(bytes(view[len(MAGIC):HEAD]), _tag([payload])):
        return None
    return payload


def read(path: str | os.PathLike[str]) -> memoryview | None:
    """The payload of the sealed file at `path`; None when it is missing, unreadable or not ours."""
    try:
        with open(path, "rb") as stream:
            return opened(stream.read())
    except OSError:
        return None
