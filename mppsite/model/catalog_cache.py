"""The catalog cache: a service catalog whose bytes did not change is not parsed or checked again.

Parsing and checking the YAML is most of reading the content, and staff change one catalog at a
time: the preview's rebuild after one edit at 10,000 services takes 0.6 s with it, 4.7 s without.
Each valid catalog is kept in `.mppsite-cache/catalogs/` under a key of its bytes' digest,
mppsite's code digest and the site's languages (they change what the schema accepts).

On a cold build the catalogs are first parsed, checked and kept by forked processes in parallel
(`prefill`); the build then reads each from its entry.

What involves other files (duplicate ids, categories, attachments, links, review dates, URL
clashes) is checked at every build. A catalog with any error is never kept; a missing, corrupt
or outdated cache file is a miss, never an error.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import pickle
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path
from typing import Any

from mppsite.check.validate import CROSS_FIELDS, Checked, Item, check_catalog
from mppsite.core import project_files, sealed, workers
from mppsite.core.fingerprint import (
    CACHE_DIR,
    CatalogDigests,
    catalog_digests,
    code_digest,
    digest_of,
    keep_file,
    keep_out_of_git,
)
from mppsite.core.problems import Problems
from mppsite.load.source import Source, decode, load_yaml, read_file, relative
from mppsite.model.assemble import build_tenant, category_id
from mppsite.model.audit import CatalogFacts, catalog_facts
from mppsite.model.site import LIGHT_FIELDS, SITE_FIELDS, LazyService, Service, Tenant

FOLDER = "catalogs"
FORMAT = 12  # bump when CatalogEntry's layout changes (the code digest changes then anyway)
# Below this many bytes of catalogs not kept yet, forking costs more than parsing them in parallel saves.
PREFILL_MIN_BYTES = 250_000
_dumps = partial(pickle.dumps, protocol=pickle.HIGHEST_PROTOCOL)


@dataclass
class CatalogEntry:
    """One valid catalog: no check within the file alone found anything (see CatalogCache.settle)."""

    tenant: Tenant  # with its services (their `category` is the id: see build_site)
    fields: list[dict[str, Any]]  # the tenant's, then each service's fields read by cross-checks
    raw: bytes  # pickled list of the items as written, the tenant first
    facts: CatalogFacts
    item_digests: CatalogDigests  # the page cache's digests of the items as written
    model: bytes  # pickled fields of each service beyond LIGHT_FIELDS (see LazyService)

    @classmethod
    def make(cls, tenant: Item, services: list[Item], languages: tuple[str, ...]) -> CatalogEntry:
        items = [tenant, *services]
        assembled = build_tenant(tenant, services, languages)
        return cls(tenant=assembled,
                   fields=[{name: value for name, value in item.raw.items() if name in CROSS_FIELDS}
                           if isinstance(item.raw, dict) else {} for item in items],
                   raw=_dumps([item.raw for item in items]),
                   facts=catalog_facts(tenant, services, languages),
                   item_digests=catalog_digests(tenant, services),
                   model=_dumps([{name: getattr(service, name) for name in _HEAVY_FIELDS}
                                 for service in assembled.services]))

    def items(self, source: Source) -> tuple[Item, Sequence[Item]]:
        """The catalog's items for the cross-checks, their `raw` loaded when asked for. Their
        `value` is the model's Tenant or Service (what reads `value` needs only the id). The
        same source (the preview's, while the file is unchanged) gets the same items."""
        made = self.__dict__.get("_items")  # this process's, never pickled
        if made is not None and made[0] is source:
            return made[1], made[2]
        written = cache(partial(pickle.loads, self.raw))  # unpickled on the first request
        values = [self.tenant, *self.tenant.services]
        places = [("tenant",), *(("services", index) for index in range(len(values) - 1))]
        items = [Item(value, source, loc, fields=fields, lazy=lambda index=index: written()[index])
                 for index, (value, loc, fields) in enumerate(zip(values, places, self.fields, strict=True))]
        self._items = (source, items[0], items[1:])
        return items[0], items[1:]

    def references(self) -> tuple[set[Any], list[int]]:
        """For the cross-checks: the categories the services name, and which (by position) list forms."""
        services = self.fields[1:]
        return ({fields.get("category") for fields in services},
                [index for index, fields in enumerate(services) if "forms" in fields])

    def __getstate__(self) -> dict[str, Any]:
        """The entry as kept: its tenant's own fields and each service's light ones (the rest
        is in `model`)."""
        state = {name: value for name, value in self.__dict__.items() if name not in ("_items", "tenant")}
        state["tenant"] = {name: getattr(self.tenant, name) for name in _TENANT_FIELDS}
        services = self.tenant.services
        state["services"] = [(service.id, service.name, category_id(service), service.related_ids)
                             for service in services]
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        light = state.pop("services")
        tenant = Tenant(**state.pop("tenant"))
        self.__dict__.update(state)
        self.tenant = tenant
        blob = self.model

        def load() -> None:  # the fields beyond the light ones, into all the services at once
            for service, fields in zip(tenant.services, pickle.loads(blob), strict=True):
                service.__dict__.update(fields)
                del service.__dict__["_loader"]

        for ident, name, category, related_ids in light:
            service = object.__new__(LazyService)
            service.__dict__.update(id=ident, name=name, category=category, tenant=tenant,
                                    source=tenant.source, related_ids=related_ids, related=[],
                                    _loader=load)
            tenant.services.append(service)


_TENANT_FIELDS = tuple(f.name for f in dataclasses.fields(Tenant) if f.name != "services")
_HEAVY_FIELDS = tuple(f.name for f in dataclasses.fields(Service)
                      if f.name not in LIGHT_FIELDS and f.name not in SITE_FIELDS)


class CatalogCache:
    """The kept catalogs of one project, for one set of languages."""

    def __init__(self, root: Path, languages: tuple[str, ...],
                 memory: dict[str, tuple[str, CatalogEntry]] | None = None):
        """`memory`: the preview's entries kept between builds, by file name, with their key."""
        self.root = root
        self.base = root / CACHE_DIR
        self.folder = self.base / FOLDER
        self.languages = tuple(languages)
        self.memory = memory
        self.seen: set[str] = set()  # the file names of the catalogs read by this build
        self.read: dict[Path, tuple[bytes, str]] = {}  # what `prefill` read, with its digest: not read again

    def _key(self, rel: str, digest: str) -> str:
        return digest_of(repr((FORMAT, code_digest(), self.languages, rel, digest)).encode())

    def _file(self, rel: str) -> Path:
        return self.folder / (digest_of(rel.encode()) + ".pickle")

    def load(self, path: Path, problems: Problems) -> Source | None:
        """Read one catalog: from the cache when its bytes are those of a kept entry, else parsed."""
        rel = relative(path, self.root)
        data, digest = self.read.pop(path, (None, ""))
        if data is None:
            data = read_file(path, self.root, rel, problems)
            if data is None:
                return None
            digest = digest_of(data)
        self.seen.add(self._file(rel).name)
        entry = self._read(rel, digest)
        if entry is not None and (text := decode(data, rel, Problems())) is not None:
            return Source(path=path, rel=rel, text=text, yaml_text=text, parsed=True, digest=digest,
                          cached=entry)
        source = load_yaml(path, self.root, problems, data)
        if source is not None:
            source.digest = digest
        return source

    def prefill(self, paths: list[Path], meanwhile: Callable[[], None]) -> None:
        """Parse, check and keep the catalogs not kept yet in forked processes on every CPU, before
        the build reads them from their entries as a warm build does: on a cold build nothing else
        overlaps reading them (a cold build of 10,000 services: 12.5 s instead of 14.4 s; of 1,000:
        1.66 s instead of 1.74 s). A catalog with any error is left to the build, which reports it;
        one catalog alone (an edit) is read by the build, as nothing could share the work.
        `meanwhile()` runs once, here, while the forked processes work when there are any."""
        missing = []
        for path in paths:
            try:
                data = project_files.read(path, self.root)
            except (project_files.Refused, OSError):
                continue
            self.read[path] = (data, digest_of(data))
            if not self._kept(relative(path, self.root), self.read[path][1]):
                missing.append((len(data), path))
        processes = workers.count()
        if processes < 2 or len(missing) < 2 or sum(size for size, _ in missing) < PREFILL_MIN_BYTES:
            meanwhile()
            return
        missing.sort(key=lambda found: found[0], reverse=True)  # the largest first (workers.share)
        keep_out_of_git(self.base)  # here, once: not by two processes at the same time
        _, failed = workers.share([path for _, path in missing], self._keep_new, processes, meanwhile)
        if failed is not None:
            raise failed

    def _kept(self, rel: str, digest: str) -> bool:
        """Whether the entry of `rel` is for these bytes, by its key alone (`_read` vouches for the rest)."""
        key = self._key(rel, digest)
        if self.memory is not None and self.memory.get(self._file(rel).name, ("",))[0] == key:
            return True
        try:
            with open(self._file(rel), "rb") as stream:
                return stream.read(sealed.HEAD + len(key))[sealed.HEAD:] == key.encode()
        except OSError:
            return False

    def _keep_new(self, path: Path) -> None:
        """In a worker: read, parse and check one catalog on its own, and keep it when valid."""
        problems = Problems()
        rel = relative(path, self.root)
        data = read_file(path, self.root, rel, problems)
        source = load_yaml(path, self.root, problems, data) if data is not None else None
        if source is None or problems.errors or not isinstance(source.data, dict):
            return
        catalog = check_catalog(source, problems, self.languages)
        if catalog is None or problems.errors or catalog[0].value is None or any(
                item.value is None for item in catalog[1]):
            return
        self._write(rel, self._key(rel, digest_of(data)), CatalogEntry.make(*catalog, self.languages))

    def _read(self, rel: str, digest: str) -> CatalogEntry | None:
        key = self._key(rel, digest)
        if self.memory is not None:
            kept = self.memory.get(self._file(rel).name)
            if kept is not None and kept[0] == key:
                return kept[1]
        payload = sealed.read(self._file(rel))  # unpickled only once vouched for (sealed.py)
        if payload is None or payload[:len(key)] != key.encode():  # other bytes, other code
            return None
        try:
            entry = pickle.loads(payload[len(key):])
        except Exception:  # corrupt or of another layout: a miss
            return None
        if not isinstance(entry, CatalogEntry) or entry.facts.rel != rel:
            return None
        self._remember(rel, key, entry)
        return entry

    def _remember(self, rel: str, key: str, entry: CatalogEntry) -> None:
        if self.memory is not None:
            self.memory[self._file(rel).name] = (key, entry)

    def settle(self, checked: Checked, problems: Problems) -> None:
        """Keep every catalog read afresh that has no error (so run after every check), and
        attach its entry to its source (the audit reads its facts); forget removed catalogs."""
        bad = {problem.file for problem in problems.errors}
        for tenant, services in checked.tenants:
            source = tenant.source
            if (source.cached is not None or not source.digest or source.rel in bad
                    or tenant.value is None or any(item.value is None for item in services)):
                continue
            source.cached = CatalogEntry.make(tenant, services, self.languages)
            key = self._key(source.rel, source.digest)
            self._write(source.rel, key, source.cached)
            self._remember(source.rel, key, source.cached)
        if self.memory is not None:
            for name in set(self.memory) - self.seen:
                del self.memory[name]
        self._prune()

    def _write(self, rel: str, key: str, entry: CatalogEntry) -> None:
        """Keep an entry, after its key (see `_read`). One that cannot be written is skipped."""
        try:
            body = _dumps(entry)
        except pickle.PicklingError:
            return
        keep_out_of_git(self.base)
        keep_file(self._file(rel), sealed.seal([key.encode(), body]))

    def _prune(self) -> None:
        """Remove the entries of catalogs that are gone (one with errors keeps its last good entry)."""
        try:
            names = os.listdir(self.folder)
        except OSError:
            return
        for name in names:
            if name.endswith(".pickle") and name not in self.seen:
                with contextlib.suppress(OSError):
                    os.unlink(self.folder / name)
