"""The page cache: render again only the pages whose inputs changed since the last build.

Each page gets a digest of everything it is made from, taken from the content *as written* (the
raw YAML of each service and tenant, the Markdown files), never from the rendered model:

- a site-wide part, in every page's digest: the code and data of mppsite (Python files, data/, the
  versions of the libraries that shape the HTML), every template file, site_config.yaml, the mall,
  categories, indicators, documents, the attachments' names and the list of all page keys
  (Markdown links depend on which pages exist);
- a service page adds its service and its tenant; a tenant's pages add the tenant and its services;
  a category page its services and their tenants; a document page nothing more;
- every other page (home, the A–Z list, the tenants list, search, ...) adds every service and
  tenant. An unknown page kind is treated the same way, so a new kind is safe by default.

A changed template, UI string, category or mall therefore renders everything again; an edited
service renders its own page, its tenant's and category's pages and the list pages.

The rendered bytes are not stored twice: the previous output folder is the store. The manifest
(in `.mppsite-cache/` in the project; that name is refused as output_dir) records, for every page
file, its input digest and the size, modification time and inode the build gave it. A page is
re-used only when its digest is the same and the file in output/ still has exactly that size,
time and inode (so a page edited by hand, or an output folder replaced by someone else, is
rendered again); it is hard-linked into the new folder, which is then swapped in as always.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import pickle
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import render
from .config import Config
from .validate import Checked

CACHE_DIR = ".mppsite-cache"
MANIFEST = "pages.pickle"
FORMAT = 1  # bump when the manifest's layout changes
PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR.parent / "data"
# Libraries whose version can change the bytes of a page.
LIBRARIES = ("Jinja2", "MarkupSafe", "Markdown", "nh3", "Babel", "segno", "pydantic", "PyYAML", "pagefind")
# Page kinds whose digest names what they show; every other kind depends on every service.
OWN_KINDS = frozenset({"service", "tenant", "tenant_print", "category", "circular", "news", "page",
                       "pledge_print"})

Stat = tuple[int, int, int]  # size, mtime_ns, inode


def _hash(*parts: Any) -> str:
    return hashlib.blake2b(repr(parts).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _files_digest(folders: Iterable[Path], pattern: str = "*") -> str:
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
    """mppsite's own code and data files, Python's version and the libraries' versions.

    Computed once per process: the code of a running process does not change under it.
    """
    global _CODE
    if _CODE is None:
        versions = []
        for name in LIBRARIES:
            try:
                versions.append((name, importlib.metadata.version(name)))
            except importlib.metadata.PackageNotFoundError:
                versions.append((name, None))
        _CODE = _hash(FORMAT, sys.version, versions, _files_digest([PACKAGE_DIR], "*.py"),
                      _files_digest([DATA_DIR]))
    return _CODE


def _item_digest(item: Any) -> str:
    return _hash(item.source.rel, item.loc, item.raw)


def _source_digest(item: Any) -> str:
    source = item.source
    return _hash(source.rel, source.text)


@dataclass
class Digests:
    """The input digest of every page key, computed from the checked content."""

    site: str
    services: dict[str, str] = field(default_factory=dict)  # service id -> its raw entry
    tenants: dict[str, str] = field(default_factory=dict)  # tenant id -> its raw header
    everything: str = ""

    @classmethod
    def compute(cls, checked: Checked, config: Config, templates: list[Path], files: list[str],
                page_keys: list[tuple[str, str | None]]) -> Digests:
        settings = (config.base_url, config.languages, config.output_dir, config.search)
        documents = [_source_digest(item) for kind in sorted(checked.documents)
                     for item in checked.documents[kind]]
        site = _hash(code_digest(), _files_digest([render.STRINGS_DIR]), _files_digest(templates), settings,
                     _item_digest(checked.mall) if checked.mall else None,
                     [_item_digest(item) for item in checked.categories],
                     [_item_digest(item) for item in checked.indicators],
                     documents, files, page_keys)
        digests = cls(site=site)
        for tenant_item, service_items in checked.tenants:
            digests.tenants[tenant_item.value.id] = _item_digest(tenant_item)
            for item in service_items:
                digests.services[item.value.id] = _item_digest(item)
        digests.everything = _hash(list(digests.tenants.items()), list(digests.services.items()))
        return digests

    def page(self, kind: str, slug: str | None, context: dict[str, Any]) -> str:
        """The digest of one page (all its languages), from what its kind shows."""
        if kind == "service":
            service = context["service"]
            deps: Any = (self.services[service.id], self.tenants[service.tenant.id])
        elif kind in ("tenant", "tenant_print"):
            tenant = context["tenant"]
            deps = (self.tenants[tenant.id], [self.services[s.id] for s in tenant.services])
        elif kind == "category":
            deps = [(self.services[s.id], self.tenants[s.tenant.id])
                    for s in context["category"].services]
        elif kind in OWN_KINDS:
            deps = None  # documents: the site-wide part holds them
        else:
            deps = self.everything
        return _hash(self.site, kind, slug, deps)


class PageCache:
    """The manifest of the last build's pages, and where it is kept."""

    def __init__(self, root: Path, output: Path):
        self.path = root / CACHE_DIR / MANIFEST
        self.output = output
        self.entries: dict[str, tuple[str, Stat]] = {}  # rel -> (digest, stat)
        self._load()

    def _load(self) -> None:
        try:
            with open(self.path, "rb") as stream:
                data = pickle.load(stream)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError, TypeError):
            return
        if (isinstance(data, dict) and data.get("format") == FORMAT
                and data.get("output") == str(self.output) and data.get("code") == code_digest()):
            self.entries = data.get("entries", {})

    def reusable(self, rel: str, digest: str) -> tuple[Path, Stat] | None:
        """The previous output's file for `rel` when it was made from `digest` and is untouched."""
        entry = self.entries.get(rel)
        if entry is None or entry[0] != digest:
            return None
        path = self.output.joinpath(*rel.split("/"))
        try:
            stat = os.stat(path, follow_symlinks=False)
        except OSError:
            return None
        found = (stat.st_size, stat.st_mtime_ns, stat.st_ino)
        return (path, found) if found == entry[1] else None

    def save(self, entries: dict[str, tuple[str, Stat]]) -> None:
        """Write the new manifest (after the new output is in place); atomic by rename."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        ignore = self.path.parent / ".gitignore"
        if not ignore.exists():
            ignore.write_text("*\n")
        scratch = self.path.with_suffix(".tmp")
        with open(scratch, "wb") as stream:
            pickle.dump({"format": FORMAT, "output": str(self.output), "code": code_digest(),
                         "entries": entries}, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(scratch, self.path)


def stat_of(path: Path) -> Stat:
    stat = os.stat(path)
    return (stat.st_size, stat.st_mtime_ns, stat.st_ino)
