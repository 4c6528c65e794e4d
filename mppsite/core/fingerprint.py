"""Digests that say whether something the build made can be used again, and where caches live.

Apart from write/cache.py, so that catalog_cache computes its keys without importing the
rendering code."""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import os
import re
import sys
import tempfile
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

import orjson

CACHE_DIR = ".mppsite-cache"
MANIFEST = "pages.marshal"  # the page cache's (cache.py)
PACKAGE_DIR = Path(__file__).resolve().parents[1]
DATA_DIR = PACKAGE_DIR.parent / "data"
# Libraries whose version can change the bytes of a page, or what is found valid.
LIBRARIES = ("Jinja2", "MarkupSafe", "Markdown", "nh3", "Babel", "segno", "orjson", "pydantic", "PyYAML",
             "pagefind", "cbor2")


def digest_of(data: bytes) -> str:
    """The project's digest of some bytes (BLAKE2b, 16 bytes, as hex): every key of its caches."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def hash_of(*parts: Any) -> str:
    return digest_of(repr(parts).encode("utf-8", "surrogatepass"))


def hash_lines(lines: Iterable[str]) -> str:
    """One digest of many strings without newlines (digests, ids)."""
    return digest_of("\n".join(lines).encode("utf-8", "surrogatepass"))


def files_digest(folders: Iterable[Path], pattern: str = "*") -> str:
    """Names and bytes of every file under `folders` (sorted), as one digest."""
    digest = hashlib.blake2b(digest_size=16)
    for folder in folders:
        for path in sorted(folder.rglob(pattern)) if folder.is_dir() else []:
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(f"{path.relative_to(folder).as_posix()}\0{path.stat().st_size}\0".encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


_CODE: str | None = None


def code_digest() -> str:
    """mppsite's own code and data files, Python's and the libraries' versions; once a process."""
    global _CODE
    if _CODE is None:
        _CODE = hash_of(sys.version, [(name, library_version(name)) for name in LIBRARIES],
                        files_digest([PACKAGE_DIR], "*.py"), files_digest([DATA_DIR]))
    return _CODE


def library_version(name: str) -> str | None:
    """The installed version of a library, read from its `.dist-info` folder's name (faster than
    importlib.metadata, which answers when no folder does)."""
    found = _installed().get(_normal(name))
    if found is not None:
        return found
    import importlib.metadata

    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


@cache
def _installed() -> dict[str, str]:
    found: dict[str, str] = {}
    for folder in sys.path:
        try:
            names = os.listdir(folder or ".")
        except OSError:
            continue
        for entry in names:
            stem = entry[: -len(".dist-info")]
            if entry.endswith(".dist-info") and stem.count("-") == 1:
                project, version = stem.split("-")
                found.setdefault(_normal(project), version)
    return found


def _normal(project: str) -> str:
    return re.sub(r"[-_.]+", "_", project).lower()


def item_digest(item: Any) -> str:
    """A content item as written: its file, its place in it and its raw data, as JSON. A date is
    marked apart from the same words as text; what JSON cannot hold (a key that is not text, a
    whole number past 64 bits, a lone surrogate) goes by its repr. A float that is not finite
    would be null: the schema refuses it."""
    try:
        data = orjson.dumps((item.source.rel, item.loc, item.raw), default=_marked_date,
                            option=orjson.OPT_PASSTHROUGH_DATETIME)
    except TypeError:  # (orjson.JSONEncodeError is one)
        return hash_of(item.source.rel, item.loc, item.raw)
    return digest_of(data)


def _marked_date(value: Any) -> list[str]:
    if isinstance(value, (datetime.date, datetime.time)):  # (a datetime is a date)
        return ["\0" + type(value).__name__, value.isoformat()]
    raise TypeError(type(value).__name__)


# A catalog's digests: its tenant's header, each service's entry, and both together.
CatalogDigests = tuple[str, list[str], str]


def catalog_digests(tenant: Any, services: list[Any]) -> CatalogDigests:
    header, items = item_digest(tenant), [item_digest(item) for item in services]
    return header, items, hash_lines([header, *items])


def keep_out_of_git(cache: Path) -> None:
    """Make the project's cache folder when missing, with a .gitignore that leaves it all out."""
    cache.mkdir(parents=True, exist_ok=True)
    ignore = cache / ".gitignore"
    if not ignore.exists():
        ignore.write_text("*\n")


def keep_file(path: Path, chunks: Iterable[bytes | memoryview]) -> None:
    """Write a cache file whole or not at all (a temporary file renamed over it); nothing at all
    when the disk refuses: only a miss next time."""
    scratch = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, scratch = tempfile.mkstemp(suffix=".tmp", dir=path.parent)
        with os.fdopen(handle, "wb") as stream:
            for chunk in chunks:
                stream.write(chunk)
        os.replace(scratch, path)
    except OSError:
        if scratch is not None:
            with contextlib.suppress(OSError):
                os.unlink(scratch)


def cache_folder(root: Path, name: str) -> Path:
    """A folder of the project's cache (`name`), made when missing."""
    keep_out_of_git(root / CACHE_DIR)
    path = root / CACHE_DIR / name
    path.mkdir(exist_ok=True)
    return path
