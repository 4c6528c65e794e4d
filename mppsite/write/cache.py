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

When the whole output is exactly as the last build left it (every file's and folder's stat as
recorded: `PageCache.intact`), the build updates it in place instead (write.py): unchanged files
are not touched at all, and at 10,000 services a one-service edit moves a few dozen files. The
extra files (open data, sitemap, feeds, search index, assets) are kept by group digest, and the
open data files are re-assembled from the last build's bytes service by service (publish.py).
Each catalog's item digests are made where it is parsed and kept with it in the catalog cache,
so an unchanged catalog is not hashed again.
"""

from __future__ import annotations

import marshal
import mmap
import os
import subprocess
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mppsite.check.config import Config
from mppsite.check.validate import Checked
from mppsite.core import sealed
from mppsite.core.fingerprint import (  # noqa: F401  (CACHE_DIR, cache_folder and keep_out_of_git: used from here too)
    CACHE_DIR,
    MANIFEST,
    CatalogDigests,
    cache_folder,
    catalog_digests,
    code_digest,
    digest_of,
    files_digest,
    hash_lines,
    hash_of,
    item_digest,
    keep_out_of_git,
)
from mppsite.model import pages as _pages
from mppsite.write import intact as intact_check
from mppsite.write.output import Data, Stat, parents

FORMAT = 3  # bump when the manifest's layout changes
# Page kinds whose digest names what they show; every other kind depends on every service.
OWN_KINDS = frozenset({"service", "tenant", "tenant_print", "category", "circular", "news", "page",
                       "pledge_print"})

# From this many files in the last output, `intact` is checked by a process of its own (intact.py).
BACKGROUND_CHECK_MIN = 4000

DirStat = tuple[int, int]  # mtime_ns, inode
Job = tuple[int, str, str, str]  # a page to render: index in plan order, language, output path, input digest


def _source_digest(item: Any) -> str:
    source = item.source
    return hash_of(source.rel, source.text)


@dataclass
class Digests:
    """The input digest of every page key, computed from the checked content."""

    site: str
    services: dict[str, str] = field(default_factory=dict)  # service id -> its raw entry
    owners: dict[str, str] = field(default_factory=dict)  # service id -> its tenant's raw header
    tenants: dict[str, str] = field(default_factory=dict)  # tenant id -> its raw header
    catalogs: dict[str, str] = field(default_factory=dict)  # tenant id -> its header and services
    everything: str = ""

    @classmethod
    def compute(cls, checked: Checked, config: Config, templates: list[Path], files: list[str],
                page_keys: list[tuple[str, str | None]]) -> Digests:
        """The digests of this content. A catalog's items are hashed where it was parsed and
        kept with its entry in the catalog cache (catalog_cache.CatalogEntry.item_digests): only
        a catalog with an error, which the build then stops at, is hashed here."""
        settings = (config.base_url, config.languages, config.output_dir, config.search)
        documents = [_source_digest(item) for kind in sorted(checked.documents)
                     for item in checked.documents[kind]]
        site = hash_of(code_digest(), files_digest([_pages.STRINGS_DIR]), files_digest(templates), settings,
                     item_digest(checked.mall) if checked.mall else None,
                     [item_digest(item) for item in checked.categories],
                     [item_digest(item) for item in checked.indicators],
                     documents, files,
                     hash_lines(f"{kind}\0{slug}" if slug is not None else kind for kind, slug in page_keys))
        digests = cls(site=site)
        for tenant_item, service_items in checked.tenants:
            source = tenant_item.source
            entry = getattr(source, "cached", None)  # a kept catalog's, made when it was parsed
            known = entry.item_digests if entry is not None else None
            if known is None or len(known[1]) != len(service_items):
                known = catalog_digests(tenant_item, service_items)
            tenant_id = tenant_item.value.id
            digests.tenants[tenant_id], digests.catalogs[tenant_id] = known[0], known[2]
            ids = ([service.id for service in entry.tenant.services] if entry is not None  # not making
                   else [item.value.id for item in service_items])  # a kept catalog's items
            digests.services.update(zip(ids, known[1], strict=True))
            digests.owners.update(dict.fromkeys(ids, known[0]))
        digests.everything = hash_lines(f"{tenant}\0{digest}" for tenant, digest in digests.catalogs.items())
        return digests

    def page(self, kind: str, slug: str | None, context: dict[str, Any]) -> str:
        """The digest of one page (all its languages), from what its kind shows."""
        if kind == "service":
            service = context["service"]
            return _service_page(self.site, slug, self.services[service.id], self.tenants[service.tenant.id])
        if kind in ("tenant", "tenant_print"):
            deps = self.catalogs[context["tenant"].id]
        elif kind == "category":
            services, tenants = self.services, self.tenants  # each digest 32 characters
            deps = hash_lines(services[s.id] + tenants[s.tenant.id] for s in context["category"].services)
        elif kind in OWN_KINDS:
            deps = None  # documents: the site-wide part holds them
        else:
            deps = self.everything
        return hash_of(self.site, kind, slug, deps)

    def pages(self, pages: list[Any]) -> list[str]:
        """`page` of every page of a plan (pages.Page), in order; service pages in one step,
        from the digests by service id alone (not asking each page's service for its tenant)."""
        site, services, owners, page = self.site, self.services, self.owners, self.page
        return [_service_page(site, item.slug, services[item.slug], owners[item.slug])
                if item.kind == "service" else page(item.kind, item.slug, item.context) for item in pages]


def _service_page(site: str, slug: str | None, service: str, tenant: str) -> str:
    """Digests.page of a service page (its slug is its service's id): the four digests and the
    slug joined, not a repr."""
    return digest_of(f"{site}\0service\0{slug}\0{service}\0{tenant}".encode("utf-8", "surrogatepass"))


class PageCache:
    """The manifest of the last build's output, and where it is kept.

    It records every file of the output (page or not) with the digest of its inputs and the stat
    the build gave it, every folder's modification time and inode, the digest of each group of
    extra files (open data, sitemap, feeds, search index, assets) with its files, and notes a
    group keeps for the next build (where each service sits in the open data files).
    """

    def __init__(self, root: Path, output: Path, kept: PageCache | None = None):
        """`kept`: the page cache of this process's last build (`serve`), used instead of reading
        the manifest again when the manifest is still the file that build wrote."""
        self.path = root / CACHE_DIR / MANIFEST
        self.output = output
        self.entries: dict[str, tuple[str, Stat]] = {}  # rel -> (digest, stat)
        self.dirs: dict[str, DirStat] = {}  # folder rel ("" is the output) -> (mtime_ns, inode)
        self.groups: dict[str, tuple[str, list[str]]] = {}  # name -> (digest, its files)
        self.notes: dict[str, Any] = {}
        self.stat: Stat | None = None  # of the manifest file as read or written here
        self.memory: dict[str, tuple[str, bytes]] = {}  # see Outputs.memory: this process only
        if (kept is not None and kept.stat is not None and (kept.path, kept.output) == (self.path, output)
                and _stat_or_none(self.path) == kept.stat):
            self.entries, self.dirs, self.stat = kept.entries, kept.dirs, kept.stat
            self.groups, self.notes, self.memory = kept.groups, kept.notes, kept.memory
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
            self.dirs = data.get("dirs", {})
            self.groups = data.get("groups", {})
            self.notes = data.get("notes", {})
            self.stat = (stat.st_size, stat.st_mtime_ns, stat.st_ino)

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

    def intact(self) -> bool:
        """True when output/ is exactly what the last build left: every file and folder as recorded.

        A file edited, added, removed or renamed by hand changes a file's or a folder's stat, so
        the build then writes the whole site afresh instead of updating it in place.
        """
        return intact_check.matches(str(self.output), self.entries, self.dirs)

    def intact_later(self) -> Callable[[], bool]:
        """`intact`, answered by another process while this one goes on; call the result for
        the answer. For a small output it is made here at once.

        At 10,000 services the check is 30,000 stats (0.17 s); a rebuild loads and checks the
        content meanwhile, on the other CPU, and a small process of its own (intact.py) checks.
        """
        if len(self.entries) < BACKGROUND_CHECK_MIN or self.stat is None:
            found = self.intact()
            return lambda: found
        try:
            # Its own session: a Ctrl-C is the build's to report; the check ends by itself.
            child = subprocess.Popen([sys.executable, "-I", "-S", intact_check.__file__, str(self.path),
                                      str(self.output), *map(str, self.stat)],
                                     stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, start_new_session=True)
        except OSError:
            return self.intact
        answered: list[bool] = []

        def answer() -> bool:
            """Read once (later calls repeat it); no answer from the child: asked here."""
            if not answered:
                said = child.communicate()[0]
                answered.append(said == b"1" if said in (b"0", b"1") else self.intact())
            return answered[0]
        return answer

    def forget(self) -> None:
        """Remove the manifest: while an update is being moved into place, output/ is neither the
        old site nor the new one, and a build interrupted there must start afresh next time."""
        self.path.unlink(missing_ok=True)
        self.stat = None

    def save(self, entries: dict[str, tuple[str, Stat]], dirs: dict[str, DirStat] | None = None,
             groups: dict[str, tuple[str, list[str]]] | None = None,
             notes: dict[str, Any] | None = None) -> None:
        """Write the new manifest (after the new output is in place); atomic by rename."""
        self.entries, self.dirs = entries, dirs or {}
        self.groups, self.notes = groups or {}, notes or {}
        keep_out_of_git(self.path.parent)
        scratch = self.path.with_suffix(".tmp")
        with open(scratch, "wb") as stream:
            payload = marshal.dumps({"format": FORMAT, "output": str(self.output), "code": code_digest(),
                                     "entries": self.entries, "dirs": self.dirs, "groups": self.groups,
                                     "notes": self.notes})
            for part in sealed.seal([payload]):
                stream.write(part)
            stream.flush()
            stat = os.fstat(stream.fileno())
        os.replace(scratch, self.path)
        self.stat = (stat.st_size, stat.st_mtime_ns, stat.st_ino)


def dir_stats(output: Path, folders: Iterable[str]) -> dict[str, DirStat]:
    """(mtime_ns, inode) of each folder of the output that exists."""
    found: dict[str, DirStat] = {}
    base = str(output)
    for rel in folders:
        try:
            stat = os.stat(f"{base}/{rel}" if rel else base, follow_symlinks=False)
        except OSError:
            continue
        found[rel] = (stat.st_mtime_ns, stat.st_ino)
    return found


def _stat_or_none(path: Path) -> Stat | None:
    try:
        return stat_of(path)
    except OSError:
        return None


def stat_of(path: Path) -> Stat:
    stat = os.stat(path)
    return (stat.st_size, stat.st_mtime_ns, stat.st_ino)


@dataclass
class Written:
    """Files of a build written after its commit (the preview's open data, after the reload),
    for its manifest: their entries, groups, notes, and bytes to remember (see Outputs.memory)."""

    entries: dict[str, tuple[str, Stat]]
    groups: dict[str, tuple[str, list[str]]]
    notes: dict[str, Any]
    memory: dict[str, tuple[str, bytes]]


class Outputs:
    """This build's files, each with the digest of its inputs: what to keep, and the next manifest.

    Updating (`intact`), a kept file is left where it is; swapping, it is hard-linked into the
    new folder after its stat was checked. Extra files come in groups with one digest each (open
    data, sitemap, feeds, search index, assets): a group is kept whole or written whole.
    """

    def __init__(self, cache: PageCache, writer: Any, intact: bool):
        self.cache, self.writer, self.intact = cache, writer, intact
        # rel -> input digest, for every file of the new output but the pages kept by an update
        self.digests: dict[str, str] = {}
        self.stats: dict[str, Stat] = {}  # rel -> stat, where known without looking again
        self.groups: dict[str, tuple[str, list[str]]] = {}
        self.notes: dict[str, Any] = {}
        # The preview (`remember`): bytes written with `remember=True`, kept in memory for the
        # next build's `old_bytes` (reading the 37 MB of open data back took 0.04 s a rebuild).
        self.remember = False
        self.memory: dict[str, tuple[str, bytes]] = {}  # rel -> (input digest, bytes)

    def keep(self, rel: str, digest: str, page: bool = True) -> bool:
        """Keep the last output's `rel` when it was made from `digest` (and is untouched)."""
        entry = self.cache.entries.get(rel)
        if entry is None or entry[0] != digest:
            return False
        if self.intact:
            kept, stat = self.writer.keep(rel, page), entry[1]
        else:
            found = self.cache.reusable(rel, digest)
            if found is None:
                return False
            kept, stat = self.writer.link(found[0], rel), found[1]
        if kept:
            self.digests[rel], self.stats[rel] = digest, stat
        return kept

    def keep_pages(self, jobs: list[Job]) -> list[Job]:
        """`keep` for many pages at once; the jobs whose pages must be rendered.

        Updating, a rebuild after one edit keeps 20,000 of 20,044 page files at 10,000 services:
        one loop here instead of three calls a file (0.05 s of every rebuild).
        """
        if not self.intact:
            return [job for job in jobs if not self.keep(job[2], job[3])]
        # Updating, the last output is the manifest's (so a file it records is in `previous`),
        # and a kept page keeps its entry as it is: `recorded` takes it from there, so it is not
        # copied into `digests` and `stats` (20,000 of each at 10,000 services).
        found, todo, kept = self.cache.entries.get, [], []
        for job in jobs:
            entry = found(job[2])
            if entry is not None and entry[0] == job[3]:
                kept.append(job[2])
            else:
                todo.append(job)
        self.writer.keep_many(kept)
        return todo

    def done(self, rel: str, digest: str, stat: Stat | None = None) -> None:
        """`rel` was written by this build (rendered pages: their stat is known)."""
        self.digests[rel] = digest
        if stat is not None and not self.intact:
            self.stats[rel] = stat

    def old_bytes(self, rel: str, mapped: bool = False) -> bytes | memoryview | None:
        """The bytes of the last output's `rel`, when it is untouched (to re-use parts of it).

        `mapped`: where the system allows, the file mapped into memory rather than read (only
        the parts re-used are ever copied, by the kernel; reading the open data's 37 MB took
        0.02 s). The mapping keeps these bytes even after the build replaces the file."""
        entry = self.cache.entries.get(rel)
        if entry is None or (not self.intact and self.cache.reusable(rel, entry[0]) is None):
            return None
        kept = self.cache.memory.get(rel)
        if self.intact and kept is not None and kept[0] == entry[0]:  # the same bytes: made from it
            return kept[1]
        path = self.cache.output.joinpath(*rel.split("/"))
        try:
            if not mapped or os.name == "nt":  # (Windows cannot replace a file that is mapped)
                return path.read_bytes()
            with open(path, "rb") as stream:
                if not os.fstat(stream.fileno()).st_size:
                    return b""
                return memoryview(mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ))
        except (OSError, ValueError):
            return None

    def keep_group(self, name: str, digest: str | None = None) -> bool:
        """Keep every file of group `name` when the last build made it from `digest`.

        `digest` None keeps the group as it is, stale or not, under its old digest (the preview
        refreshes the search index after the reload, see serve.py).
        """
        old = self.cache.groups.get(name)
        if old is None or (digest is not None and old[0] != digest):
            return False
        if not self.intact and any(self.cache.reusable(rel, old[0]) is None for rel in old[1]):
            return False
        for rel in old[1]:
            if not self.keep(rel, old[0], page=False):  # cannot link: copy the same bytes
                data = self.old_bytes(rel)
                if data is None:
                    raise OSError(f"cannot keep {rel}")
                self.writer.write(rel, data)
                self.digests[rel] = old[0]
        self.groups[name] = old
        return True

    def write(self, group: str, digest: str, rel: str, data: str | Data, remember: bool = False) -> None:
        """Write one file of `group` (made from `digest`); see `memory` for `remember`."""
        self.writer.write(rel, data)
        if remember and self.remember:
            self.memory[rel] = (digest, data.encode("utf-8") if isinstance(data, str) else
                                b"".join(data) if isinstance(data, list) else bytes(data))
        self.digests[rel] = digest
        self.groups.setdefault(group, (digest, []))[1].append(rel)

    def copy(self, group: str, digest: str, source: Path, rel: str) -> None:
        self.writer.copy(source, rel)
        self.digests[rel] = digest
        self.groups.setdefault(group, (digest, []))[1].append(rel)

    def before_commit(self) -> None:
        if self.intact:
            self.cache.forget()

    def save(self) -> None:
        """After the commit: the new manifest, from what is known, looking only at what changed."""
        self.recorded()()

    def recorded(self) -> Callable[..., None]:
        """The new manifest, taken just after the commit; call the result to write it (with
        what was `Written` since, if anything).

        The preview writes it after the reload, but as output/ was at the commit: a file
        edited by hand in between is not recorded as the build's own.
        """
        output = self.cache.output
        groups, notes = self.groups, self.notes
        memory = (({rel: kept for rel, kept in self.cache.memory.items() if self.digests.get(rel) == kept[0]}
                   | self.memory) if self.remember else {})
        if self.intact:
            # Only the files moved in and their folders have new stats: those are taken now, the
            # 40,000 entries of the others put together when writing (0.02 s, after the reload).
            replaced = {rel: stat_of(output.joinpath(*rel.split("/"))) for rel in self.writer.replaced}
            previous, stats, digests = self.cache.entries, self.stats, self.digests
            fresh, removed = self.writer.fresh, self.writer.removed
            touched = {parent for rel in (*self.writer.replaced, *removed) for parent in parents(rel)}
            dirs = dict(self.cache.dirs)
            for rel in touched:
                dirs.pop(rel, None)
            dirs.update(dir_stats(output, touched))

            def entries() -> dict[str, tuple[str, Stat]]:
                """The last manifest's, but for the files written by this build and those gone
                (a kept file has its last digest and stat: one copy, not a loop over 20,000)."""
                found = dict(previous)
                for rel in removed:
                    del found[rel]
                for rel in fresh:
                    found[rel] = (digests[rel], replaced.get(rel) or stats.get(rel) or previous[rel][1])
                return found
        else:
            taken = {rel: (digest, self.stats.get(rel) or stat_of(output.joinpath(*rel.split("/"))))
                     for rel, digest in self.digests.items()}
            dirs = dir_stats(output, {parent for rel in taken for parent in parents(rel)})

            def entries() -> dict[str, tuple[str, Stat]]:
                return taken

        def save(written: Written | None = None) -> None:
            written = written or Written({}, {}, {}, {})
            folders = {parent for rel in written.entries for parent in parents(rel)}
            self.cache.save({**entries(), **written.entries}, {**dirs, **dir_stats(output, folders)},
                            {**groups, **written.groups}, {**notes, **written.notes})
            self.cache.memory = {**memory, **written.memory}
        return save
