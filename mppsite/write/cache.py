"""The page cache: render again only the pages whose inputs changed since the last build.

Each page gets a digest of the content *as written* it is made from (docs/architecture.md lists
what each kind depends on): a site-wide part (code, data/, templates, settings, the mall,
categories, documents, attachment names, the list of pages) plus its own items; a kind not in
OWN_KINDS depends on every service and tenant, so a new kind is safe by default.

The previous output folder is the store: the manifest records each file's input digest and the
size, mtime and inode the build gave it. A page is re-used only when both still match (a file
edited by hand is rendered again); it is then hard-linked into the new folder.
"""

from __future__ import annotations

import marshal
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mppsite.check.config import Config
from mppsite.check.validate import Checked
from mppsite.core import sealed
from mppsite.core.fingerprint import (
    CACHE_DIR,
    MANIFEST,
    catalog_digests,
    code_digest,
    digest_of,
    files_digest,
    hash_lines,
    hash_of,
    item_digest,
    keep_out_of_git,
)
from mppsite.write.output import OutputWriter, Stat, parents

if TYPE_CHECKING:
    from mppsite.render.schedule import Job

FORMAT = 4  # bump when the manifest's layout changes
# Page kinds whose digest names what they show; every other kind depends on every service.
OWN_KINDS = frozenset({"service", "tenant", "tenant_print", "category", "circular", "news", "page",
                       "pledge_print"})


@dataclass
class Digests:
    """The input digest of every page key, computed from the checked content."""

    site: str
    services: dict[str, str] = field(default_factory=dict)  # service id -> its raw entry
    owners: dict[str, str] = field(default_factory=dict)  # service id -> its tenant's raw header
    catalogs: dict[str, str] = field(default_factory=dict)  # tenant id -> its header and services
    everything: str = ""

    @classmethod
    def compute(cls, checked: Checked, config: Config, templates: list[Path], files: list[str],
                page_keys: list[tuple[str, str | None]]) -> Digests:
        """The digests of this content. A catalog's items were hashed where it was parsed
        (catalog_cache.CatalogEntry.item_digests); only a catalog with an error is hashed here."""
        settings = (config.base_url, config.languages, config.output_dir, config.search, config.timezone)
        documents = [hash_of(item.source.rel, item.source.text) for kind in sorted(checked.documents)
                     for item in checked.documents[kind]]
        words = [(code, config.words_of(code).strings, config.words_of(code).segments)
                 for code in config.languages]  # the project's own strings/ or mppsite's data/
        site = hash_of(code_digest(), words, files_digest(templates), settings,
                     item_digest(checked.mall) if checked.mall else None,
                     [item_digest(item) for item in checked.categories],
                     [item_digest(item) for item in checked.indicators],
                     documents, files,
                     hash_lines(f"{kind}\0{slug}" if slug is not None else kind for kind, slug in page_keys))
        digests = cls(site=site)
        for tenant_item, service_items in checked.tenants:
            entry = getattr(tenant_item.source, "cached", None)  # a kept catalog's, made when it was parsed
            known = entry.item_digests if entry is not None else None
            if known is None or len(known[1]) != len(service_items):
                known = catalog_digests(tenant_item, service_items)
            digests.catalogs[tenant_item.value.id] = known[2]
            ids = ([service.id for service in entry.tenant.services] if entry is not None  # not making
                   else [item.value.id for item in service_items])  # a kept catalog's items
            digests.services.update(zip(ids, known[1], strict=True))
            digests.owners.update(dict.fromkeys(ids, known[0]))
        digests.everything = hash_lines(f"{tenant}\0{digest}" for tenant, digest in digests.catalogs.items())
        return digests

    def page(self, kind: str, slug: str | None, context: dict[str, Any]) -> str:
        """The digest of one page (all its languages), from what its kind shows."""
        if kind == "service":  # its slug is its service's id; joined, not a repr: this is per page
            key = f"{self.site}\0service\0{slug}\0{self.services[str(slug)]}\0{self.owners[str(slug)]}"
            for other in context["service"].related:  # their names, agencies and counters are shown
                key += f"\0{other.id}\0{self.services[other.id]}\0{self.owners[other.id]}"
            return digest_of(key.encode("utf-8", "surrogatepass"))
        if kind in ("tenant", "tenant_print"):
            deps = self.catalogs[context["tenant"].id]
        elif kind == "category":
            deps = hash_lines(self.services[s.id] + self.owners[s.id] for s in context["category"].services)
        elif kind in OWN_KINDS:
            deps = None  # documents: the site-wide part holds them
        else:
            deps = self.everything
        return hash_of(self.site, kind, slug, deps)


class PageCache:
    """The manifest of the last build's output: every file with its input digest and stat, each
    group of extra files (open data, sitemap, feeds, search index, assets) with its digest."""

    def __init__(self, root: Path, output: Path, kept: PageCache | None = None):
        """`kept`: the page cache of this process's last build (the preview), used instead of
        reading the manifest again when the manifest is still the file that build wrote."""
        self.path = root / CACHE_DIR / MANIFEST
        self.output = output
        self.entries: dict[str, tuple[str, Stat]] = {}  # rel -> (digest, stat)
        self.groups: dict[str, tuple[str, list[str]]] = {}  # name -> (digest, its files)
        self.dirs: dict[str, tuple[int, int]] = {}  # folder ("" the output) -> (mtime_ns, inode)
        self.stat: Stat | None = None  # of the manifest file as read or written here
        if (kept is not None and kept.stat is not None and (kept.path, kept.output) == (self.path, output)
                and _stat_or_none(self.path) == kept.stat):
            self.entries, self.groups, self.dirs, self.stat = kept.entries, kept.groups, kept.dirs, kept.stat
            return
        self._load()

    def _load(self) -> None:
        try:
            with open(self.path, "rb") as stream:
                stat = os.fstat(stream.fileno())
                payload = sealed.opened(stream.read())
            data = marshal.loads(payload) if payload is not None else None
        except (OSError, EOFError, ValueError, TypeError):
            return
        if (isinstance(data, dict) and data.get("format") == FORMAT
                and data.get("output") == str(self.output) and data.get("code") == code_digest()):
            self.entries = data.get("entries", {})
            self.groups = data.get("groups", {})
            self.dirs = data.get("dirs", {})
            self.stat = (stat.st_size, stat.st_mtime_ns, stat.st_ino)

    def reusable(self, rel: str, digest: str, checked: bool = False) -> str | None:
        """The previous output's file for `rel` when it was made from `digest` and is untouched
        (size, mtime and inode as recorded; `checked`: already seen so by `intact`)."""
        entry = self.entries.get(rel)
        if entry is None or entry[0] != digest:
            return None
        path = f"{self.output}/{rel}"  # a string, not a Path: this runs for every page of the site
        if checked:
            return path
        try:
            stat = os.stat(path, follow_symlinks=False)
        except OSError:
            return None
        return path if (stat.st_size, stat.st_mtime_ns, stat.st_ino) == entry[1] else None

    def intact(self) -> bool:
        """Whether output/ is exactly what the last build left: every file and folder as recorded
        (a file edited, added or removed by hand changes a file's or a folder's stat)."""
        if not self.entries or "" not in self.dirs:
            return False
        base = str(self.output)
        try:
            for rel, (_, recorded) in self.entries.items():
                found = os.stat(f"{base}/{rel}", follow_symlinks=False)
                if (found.st_size, found.st_mtime_ns, found.st_ino) != recorded:
                    return False
            return all(_dir_stat(f"{base}/{rel}" if rel else base) == recorded
                       for rel, recorded in self.dirs.items())
        except OSError:
            return False

    def forget(self) -> None:
        """Remove the manifest: while an update moves files, output/ is neither site, and a build
        stopped there must write the next one whole."""
        self.path.unlink(missing_ok=True)
        self.stat = None

    def save(self, entries: dict[str, tuple[str, Stat]], groups: dict[str, tuple[str, list[str]]],
             dirs: dict[str, tuple[int, int]]) -> None:
        """Write the new manifest (after the new output is in place); atomic by rename."""
        self.entries, self.groups, self.dirs = entries, groups, dirs
        keep_out_of_git(self.path.parent)
        scratch = self.path.with_suffix(".tmp")
        with open(scratch, "wb") as stream:
            payload = marshal.dumps({"format": FORMAT, "output": str(self.output), "code": code_digest(),
                                     "entries": self.entries, "groups": self.groups, "dirs": self.dirs})
            for part in sealed.seal([payload]):
                stream.write(part)
            stream.flush()
            stat = os.fstat(stream.fileno())
        os.replace(scratch, self.path)
        self.stat = (stat.st_size, stat.st_mtime_ns, stat.st_ino)


def _dir_stat(path: str) -> tuple[int, int]:
    found = os.stat(path, follow_symlinks=False)
    return (found.st_mtime_ns, found.st_ino)


def _stat_or_none(path: Path) -> Stat | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return (stat.st_size, stat.st_mtime_ns, stat.st_ino)


class Outputs:
    """This build's files, each with the digest of its inputs: what to keep, and the next manifest.
    A group of extra files has one digest: it is kept whole or written whole."""

    def __init__(self, cache: PageCache, writer: OutputWriter):
        self.cache, self.writer = cache, writer
        self.entries: dict[str, tuple[str, Stat | None]] = {}  # rel -> (input digest, stat if known)
        self.groups: dict[str, tuple[str, list[str]]] = {}

    def keep(self, rel: str, digest: str) -> bool:
        """Keep the last output's `rel` when it was made from `digest` (and is untouched)."""
        found = self.cache.reusable(rel, digest, checked=self.writer.update is not None)
        if found is None or not self.writer.link(found, rel):
            return False
        self.entries[rel] = (digest, self.cache.entries[rel][1])
        return True

    def keep_pages(self, jobs: list[Job]) -> list[Job]:
        """`keep` for many pages; the jobs whose pages must be rendered."""
        return [job for job in jobs if not self.keep(job[2], job[3])]

    def done(self, rel: str, digest: str, stat: Stat | None = None) -> None:
        """`rel` was written by this build (rendered pages: their stat is known)."""
        self.entries[rel] = (digest, stat)

    def keep_group(self, name: str, digest: str) -> bool:
        """Keep every file of group `name` when the last build made it from `digest`."""
        old = self.cache.groups.get(name)
        if old is None or old[0] != digest or (self.writer.update is None and any(
                self.cache.reusable(rel, digest) is None for rel in old[1])):
            return False
        for rel in old[1]:
            if not self.keep(rel, digest):  # cannot link: copy the same bytes
                self.writer.copy(self.cache.output.joinpath(*rel.split("/")), rel)
                self.entries[rel] = (digest, None)
        self.groups[name] = old
        return True

    def write(self, group: str, digest: str, rel: str, data: str | bytes) -> None:
        """Write one file of `group` (made from `digest`)."""
        self.entries[rel] = (digest, self.writer.write(rel, data))
        self.groups.setdefault(group, (digest, []))[1].append(rel)

    def copy(self, group: str, digest: str, source: Path, rel: str) -> None:
        self.writer.copy(source, rel)
        self.entries[rel] = (digest, None)
        self.groups.setdefault(group, (digest, []))[1].append(rel)

    def save(self) -> None:
        """After the commit: the new manifest; only the files copied and the folders an update
        changed are looked at again."""
        output = self.cache.output
        entries = {rel: (digest, stat or _stat_or_none(output.joinpath(*rel.split("/"))) or (0, 0, 0))
                   for rel, (digest, stat) in self.entries.items()}
        if self.writer.update is not None:
            dirs = dict(self.cache.dirs)
            folders = {parent for rel in self.writer.changed for parent in parents(rel)}
        else:
            dirs, folders = {}, {parent for rel in entries for parent in parents(rel)}
        base = str(output)
        for rel in folders:
            try:
                dirs[rel] = _dir_stat(f"{base}/{rel}" if rel else base)
            except OSError:  # a folder an update removed
                dirs.pop(rel, None)
        self.cache.save(entries, self.groups, dirs)
