"""The catalog cache: a service catalog whose bytes did not change is not parsed or checked again.

Parsing and checking the YAML is most of the time of reading the content (about 3 s at 10,000
services), and staff change one catalog at a time. So each catalog found valid is kept in
`.mppsite-cache/catalogs/` (one file per catalog), under a key made of the digest of its bytes,
mppsite's code digest (fingerprint.code_digest: the code, data files and library versions) and the
site's languages (they change what the schema accepts). A kept entry holds what is costly to make
again:

- the catalog's part of the model (its Tenant with its Services) and the few fields of the
  items as written that cross-checks read; of each service only what every build reads of all
  of them (model.LIGHT_FIELDS: what the lists and the page cache need) is unpickled with the
  entry, the rest when it is first asked for (model.LazyService);
- the items as written, pickled apart and loaded only when something asks for them (`Item.raw`);
- the audit's facts of the catalog, positions already resolved (audit.CatalogFacts).

What involves other files is checked again at every build, over every item, cached or not:
duplicate ids, categories, counters, attachments, links, review dates, URL clashes. A catalog
with any error is never kept; when one is reported again, its position comes from the file
as it is now (its text is read in any case, and the node tree is composed on the first question).
A missing, unreadable, corrupt or outdated cache file is a miss, never an error.

A catalog whose file still has the stat it had when it was last read (`_signature`: size,
times, inode) is not even read again: the cache's index (`signatures.index`) gives its digest,
and its text is read only if a position in it is asked for (load.UnreadSource). In the preview
(`serve`), the entries stay in memory too, with their sources.

A build that finds many catalogs missing from the cache (the first build, or after the code
changed) has them parsed and checked first by one process per CPU (`prefill`: it and forked
ones): each keeps the catalogs it found valid, as `settle` would, and the build then reads them
from the cache. A catalog with an error is left to the build, which reports it as usual.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import itertools
import marshal
import mmap
import os
import pickle
import struct
import time
import typing
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from . import project_files, sealed, workers
from .assemble import build_tenant
from .audit import CatalogFacts, catalog_facts
from .fingerprint import (
    CACHE_DIR,
    CatalogDigests,
    catalog_digests,
    code_digest,
    digest_of,
    keep_file,
    keep_out_of_git,
)
from .load import Content, Source, UnreadSource, catalog_paths, decode, load_yaml, relative
from .model import LIGHT_FIELDS, LazyService, Service, Tenant, Text, load_lazy
from .problems import Problems
from .references import check_alone

if typing.TYPE_CHECKING:
    from .ahead import Ahead
    from .config import Config
from .validate import CROSS_FIELDS, Checked, Item, check_schema

FOLDER = "catalogs"
INDEX = "signatures.index"  # catalog file -> (its signature, the digest of its bytes) when last read
FORMAT = 5  # bump when CatalogEntry's layout changes (the code digest changes then anyway)
QUIET_NS = 2 * 10**9  # a catalog unchanged this long when read is known again by its stat (preview)
Signature = tuple[int, int, int, int]  # size, mtime_ns, ctime_ns, inode
FileFacts = tuple[Signature, str, Source]  # a kept catalog's file when read: signature, digest, source
PREFILL_MIN_BYTES = 512 * 1024  # catalogs to parse below this size: forking would cost more than it saves


@dataclass
class CatalogEntry:
    """One valid catalog, as the build needs it."""

    tenant: Tenant  # assembled, with its services (their `category` is the id: see build_site)
    fields: list[dict[str, Any]]  # the tenant's, then each service's fields read by cross-checks
    raw: bytes | memoryview  # pickled list of the items as written, the tenant first
    facts: CatalogFacts
    # The page cache's digests of the items as written (cache.CatalogDigests): made where the
    # items are parsed, by the prefill's workers on a first build (0.4 s at 10,000 services).
    item_digests: CatalogDigests
    # Pickled list of each service's fields beyond LIGHT_FIELDS: an entry read from the cache
    # has LazyServices, which load them from here when first asked (most builds never do).
    model: bytes | memoryview = b""
    # Whether its checks within the catalog alone (references._check_tenant without the
    # categories, which live in another file) found nothing, when it was made: see checked_alone.
    alone_ok: bool = False

    @classmethod
    def make(cls, tenant: Item, services: list[Item], languages: tuple[str, ...],
             alone_ok: bool = False) -> CatalogEntry:
        items = [tenant, *services]
        assembled = build_tenant(tenant, services, languages)
        return cls(tenant=assembled,
                   fields=[_fields(item.raw) for item in items],
                   raw=_tree_dumps([item.raw for item in items]),
                   facts=catalog_facts(tenant, services, languages),
                   item_digests=catalog_digests(tenant, services),
                   # (with pickle's memo: services share objects, which stay shared when read)
                   model=pickle.dumps([_heavy(service) for service in assembled.services],
                                      protocol=pickle.HIGHEST_PROTOCOL),
                   alone_ok=alone_ok)

    def items(self, source: Source) -> tuple[Item, Sequence[Item]]:
        """The catalog's items for the cross-checks, each made when first asked for, its `raw`
        loaded on demand (a build often asks for none of the services').

        Their `value` is the model's Tenant or Service (the schema's values are not kept: the
        model is made from them, and what else reads `value` only needs the id). The preview
        gives the same source again while the file is unchanged: the same items then, too.
        """
        made = self._memo().get("items")
        if made is not None and made[0] is source:
            return made[1], made[2]
        raw = _Raw(self.raw)
        tenant = Item(self.tenant, source, ("tenant",), fields=self.fields[0], lazy=partial(raw.get, 0))
        values, fields = self.tenant.services, self.fields

        def item(index: int) -> Item:
            return Item(values[index], source, ("services", index), fields=fields[index + 1],
                        lazy=partial(raw.get, index + 1))
        services = _Items(item, len(values))
        self._memo()["items"] = (source, tenant, services)
        return tenant, services

    def references(self) -> tuple[list[Any], set[Any], list[int]]:
        """For the cross-checks: the services' ids, the categories they name, and which of
        them (by position) list forms. Worked out once per entry in this process."""
        memo = self._memo()
        if "references" not in memo:
            services = self.fields[1:]
            memo["references"] = ([fields.get("id") for fields in services],
                                  {fields.get("category") for fields in services},
                                  [index for index, fields in enumerate(services) if "forms" in fields])
        return memo["references"]

    @property
    def checked_alone(self) -> bool:
        """Whether the cross-checks within the catalog alone (its counters, its file name, its
        forms) found nothing, when the entry was made or since in this process."""
        return self.alone_ok or self._memo().get("checked_alone", False)

    def mark_checked_alone(self) -> None:
        self._memo()["checked_alone"] = True

    def _memo(self) -> dict[str, Any]:
        """What this process worked out about the entry: never pickled, never on disk."""
        return self.__dict__.setdefault("_here", {})

    def __getstate__(self) -> dict[str, Any]:
        """The entry as kept: its tenant's own fields and each service's light ones (the rest
        is in `model`)."""
        state = {name: value for name, value in self.__dict__.items() if name not in ("_here", "tenant")}
        state["raw"], state["model"] = pickle.PickleBuffer(self.raw), pickle.PickleBuffer(self.model)
        tenant = self.tenant
        state["tenant"] = {name: getattr(tenant, name) for name in _TENANT_FIELDS}
        # Plain strings and dicts only, in marshal's format: unpickling 10,000 names as Text
        # objects took 10 ms of every build.
        state["services"] = marshal.dumps([(service.id, service.name.values, service.name.default,
                                            _category_id(service), service.name_keys)
                                           for service in tenant.services])
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        light = state.pop("services")
        tenant = Tenant(**state.pop("tenant"))
        self.__dict__.update(state)
        self.tenant = tenant
        new, source = object.__new__, tenant.source
        loader = _Loader(self.model)
        services = tenant.services
        for ident, words, default, category, keys in marshal.loads(light):
            name = new(Text)
            name.__dict__.update(values=words, default=default)
            service = new(LazyService)
            service.__dict__.update(id=ident, name=name, category=category, tenant=tenant, name_keys=keys,
                                    source=source, _loader=loader)
            services.append(service)
        loader.services = services


_TENANT_FIELDS = tuple(f.name for f in dataclasses.fields(Tenant) if f.name != "services")
_HEAVY_FIELDS = tuple(f.name for f in dataclasses.fields(Service) if f.name not in LIGHT_FIELDS)


def _category_id(service: Service) -> str:
    """A service's category id: the model's Category once build_site has put it in."""
    category = service.category
    return category if isinstance(category, str) else category.id


def _tree_dumps(tree: Any) -> bytes:
    """Pickled without the memo of objects already written (pickle's "fast" mode): a catalog's
    items as written refer to nothing twice (the loader refuses YAML aliases) and never to
    themselves. The raw items of 1,000 services: 12 -> 4 ms. (Not the services' fields: objects
    they share were read back as copies, 20 MB more at 10,000 services.)"""
    stream = io.BytesIO()
    pickler = pickle.Pickler(stream, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True
    pickler.dump(tree)
    return stream.getvalue()


def _heavy(service: Service) -> dict[str, Any]:
    return {name: getattr(service, name) for name in _HEAVY_FIELDS}


class _Loader:
    """The fields of a kept catalog's services beyond the light ones, put into them all at once
    on the first question for one (LazyService)."""

    def __init__(self, blob: bytes | memoryview):
        self.blob = blob
        self.services: list[LazyService] | None = None

    def __call__(self) -> None:
        services, self.services = self.services, None
        if services is None:
            return
        for service, fields in zip(services, pickle.loads(self.blob), strict=True):
            found = service.__dict__
            found.update(fields)
            del found["_loader"]


def _fields(raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict):
        return {}
    return {name: value for name, value in raw.items() if name in CROSS_FIELDS}


class _Items(Sequence[Item]):
    """A kept catalog's service items, each made on the first question for it."""

    def __init__(self, make: Callable[[int], Item], count: int):
        self._make = make
        self._made: list[Item | None] = [None] * count

    def __len__(self) -> int:
        return len(self._made)

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            return [self[at] for at in range(*index.indices(len(self._made)))]
        item = self._made[index]
        if item is None:
            item = self._made[index] = self._make(range(len(self._made))[index])
        return item


class _Raw:
    """A catalog's items as written, unpickled on the first request."""

    def __init__(self, blob: bytes | memoryview):
        self.blob, self.items = blob, None

    def get(self, index: int) -> Any:
        if self.items is None:
            self.items = pickle.loads(self.blob)
        return self.items[index]


class CatalogCache:
    """The kept catalogs of one project, for one set of languages."""

    def __init__(self, root: Path, languages: tuple[str, ...],
                 memory: dict[str, tuple[str, CatalogEntry, FileFacts | None]] | None = None):
        """`memory`: entries kept in this process from one build to the next (`serve`), by file
        name, with their key and their catalog's file as read; a hit there is not read from disk."""
        self.base = root / CACHE_DIR
        self.folder = self.base / FOLDER
        self.languages = tuple(languages)
        self.seen: set[str] = set()  # the file names of the catalogs read by this build
        self.memory = memory
        # Bytes, digest and signature read by `prefill`, or the source `_unchanged` gave.
        self._ahead: dict[Path, tuple[bytes, str, Signature | None] | Source] = {}
        self._signatures: dict[str, Signature | None] = {}  # of the catalogs read, by rel
        self._index: dict[str, tuple[Signature, str]] | None = None  # INDEX, read on first use
        # Work for this process while `prefill`'s workers parse (the build compiles templates).
        self.meanwhile: Callable[[], None] | None = None
        self.ahead: Ahead | None = None  # the process checking the catalogs ahead, if any
        self._pending: set[Path] = set()  # catalogs the cache lacked before it ended
        # In the process ahead: told the name of each catalog kept by `prefill` (the build reads
        # each as soon as it is, while the others are parsed: ahead.Ahead.wait_for).
        self.on_kept: Callable[[str], object] | None = None
        # Whether the build will read every service's fields (a first build renders every
        # page): each kept catalog's then given them as it is read (model.load_lazy), while
        # the process ahead still parses others.
        self.eager = False
        self._read_entries: list[CatalogEntry] = []  # the kept catalogs read by this build

    def _key(self, rel: str, digest: str) -> str:
        return digest_of(repr((FORMAT, code_digest(), self.languages, rel, digest)).encode())

    def _file(self, rel: str) -> Path:
        return self.folder / (digest_of(rel.encode()) + ".pickle")

    def settle_meanwhile(self) -> None:
        """Run `meanwhile` now if it has not run yet (`load_content` calls this last)."""
        meanwhile, self.meanwhile = self.meanwhile, None
        if meanwhile is not None:
            meanwhile()

    def kept_facts(self) -> list[CatalogFacts]:
        """The audit's facts of the kept catalogs read so far."""
        return [entry.facts for entry in self._read_entries]

    def pending(self, path: Path) -> bool:
        """Whether the catalog is being checked by the process started with the command."""
        return path in self._pending

    def load(self, path: Path, root: Path, problems: Problems) -> Source | None:
        """Read one catalog: from the cache when its bytes are those of a kept entry, else parsed."""
        rel = relative(path, root)
        if path in self._pending and self.ahead is not None:
            self.settle_meanwhile()  # while the process ahead may still be at it
            self.ahead.wait_for(rel)  # kept if it found it valid: read as any other catalog
        ahead = self._ahead.pop(path, None) or self._unchanged(path, rel)
        if isinstance(ahead, Source):
            return ahead
        if ahead is None:
            signature = _signature(path)
            ahead = self._known(rel, signature) or _read_file(path, root, signature)
        if ahead is None:
            return load_yaml(path, root, problems)  # unreadable: it reports why
        data, digest, signature = ahead
        self.seen.add(self._file(rel).name)
        entry = self._read(rel, digest)
        if entry is not None and data is None:
            source: Source | None = UnreadSource.of(path, root, rel, digest, entry)
        elif entry is not None and (text := decode(data, rel, Problems())) is not None:
            source = Source(path=path, rel=rel, text=text, yaml_text=text, parsed=True, digest=digest,
                            cached=entry)
        else:
            source = None
        if source is not None:
            self._signatures[rel] = signature
            self._note(rel, (signature, digest, source) if signature is not None else None)
            self._read_entries.append(entry)
            if self.eager:
                load_lazy(entry.tenant.services)
            return source
        if data is None:  # known by its stat, but its entry is gone: read it after all
            read = _read_file(path, root, _signature(path))
            if read is None:
                return load_yaml(path, root, problems)  # unreadable: it reports why
            data, digest, signature = read
        source = load_yaml(path, root, problems, data)
        if source is not None:
            source.digest = digest
            self._signatures[rel] = signature
        return source

    def _known(self, rel: str, signature: Signature | None) -> tuple[None, str, Signature] | None:
        """(None, digest, signature) of a catalog whose file has now (`signature`) the stat
        recorded in the index when it was last read: its bytes are those of that digest, and are
        not read again.

        A change to a file changes its change time, which no program can set back (only the
        system clock), and `_signature` trusts no stat taken within QUIET_NS of a change.
        """
        known = self._indexed().get(rel) if signature is not None else None
        return (None, known[1], signature) if known is not None and known[0] == signature else None

    def _kept_unread(self, rel: str, signature: Signature | None) -> tuple[None, str, Signature] | None:
        """`_known`, when the cache also holds the entry of those bytes (`prefill`)."""
        known = self._known(rel, signature)
        return known if known is not None and self._holds(rel, known[1]) else None

    def _indexed(self) -> dict[str, tuple[Signature, str]]:
        if self._index is None:
            try:
                payload = sealed.read(self.folder / INDEX)
                found = pickle.loads(payload) if payload is not None else None
                same = isinstance(found, dict) and found.get("key") == self._key("", "")
                self._index = found if same else {}
            except Exception:  # missing, unreadable, corrupt: nothing known
                self._index = {}
            self._index.pop("key", None)
        return self._index

    def _unchanged(self, path: Path, rel: str) -> Source | None:
        """In the preview, a catalog kept in memory whose file's stat is as when it was read:
        not read, hashed and decoded again (15 MB at 10,000 services). See `_signature`."""
        if self.memory is None:
            return None
        name = self._file(rel).name
        kept = self.memory.get(name)
        if kept is None or kept[2] is None:
            return None
        signature, digest, source = kept[2]
        if _signature(path, trusted_only=False) != signature or kept[0] != self._key(rel, digest):
            return None
        self.seen.add(name)
        self._signatures[rel] = signature
        return source

    def _note(self, rel: str, file: FileFacts | None) -> None:
        """Record (or forget) how a kept catalog's file looked when read, for `_unchanged`."""
        if self.memory is not None:
            name = self._file(rel).name
            kept = self.memory.get(name)
            if kept is not None:
                self.memory[name] = (kept[0], kept[1], file)

    def prefill(self, paths: list[Path], root: Path, every: bool = False) -> None:
        """Parse and check, here and in forked processes, the catalogs of `paths` the cache
        lacks, when there are enough of them to pay for the processes; keep those found valid.

        With `ahead` set (a process started with the command is doing just that, see ahead.py),
        the catalogs it may still be at are only noted (`pending`): `load` waits for it, running
        `meanwhile` first. `every`: in that process, parse and check here whatever the cache
        lacks, however little it is.
        """
        if self.ahead is not None:  # what the cache holds now is read first, the rest after it
            for path in paths:
                known = self._kept_unread(relative(path, root), _signature(path))
                if known is not None:
                    self._ahead[path] = known
                else:
                    self._pending.add(path)
            return
        processes = workers.count()
        if processes < 2 and not every:
            return
        missing: list[tuple[int, Path]] = []
        for path in paths:
            rel = relative(path, root)
            known = self._unchanged(path, rel)
            if known is not None:
                self._ahead[path] = known
                continue
            signature = _signature(path)
            known = self._kept_unread(rel, signature)
            if known is not None:
                self._ahead[path] = known
                continue
            read = _read_file(path, root, signature)
            if read is None:
                continue
            self._ahead[path] = read  # `load` takes them from here: read once
            if not self._holds(rel, read[1]):
                missing.append((len(read[0]), path))
        few = len(missing) < 2 or sum(size for size, _ in missing) < PREFILL_MIN_BYTES
        if every and missing:  # (once, before any worker is forked)
            from . import schema_compiled

            if not schema_compiled.ready():
                from . import schema_check  # noqa: F401
        if every and (few or processes < 2):
            for _, path in missing:
                self._prefill_one(path, root)
            return
        if few:
            return
        # Largest first; this process takes its share once `meanwhile` is done (workers.share:
        # a pool of one process a CPU left this one idle, and took 15 ms to start).
        paths = [path for _, path in sorted(missing, key=lambda item: (-item[0], item[1]))]
        _, failed = workers.share(paths, partial(self._prefill_one, root=root),
                                  min(processes, len(paths)) - 1, self.settle_meanwhile)
        if failed is not None:
            raise failed

    def _prefill_one(self, path: Path, root: Path) -> None:
        """In a worker: parse and check one catalog alone; keep it when it has no error."""
        problems = Problems()
        try:
            data = project_files.read(path, root)
        except (OSError, project_files.Refused):
            return
        source = load_yaml(path, root, problems, data)
        if source is None or problems.errors:
            return
        checked = check_schema(Content(catalogs=[source]), problems, self.languages)
        if problems.errors or len(checked.tenants) != 1:
            return
        tenant, services = checked.tenants[0]
        if tenant.value is None or any(item.value is None for item in services):
            return
        check_alone(root, problems, tenant, services)
        self._write(source.rel, digest_of(data),
                    CatalogEntry.make(tenant, services, self.languages, alone_ok=not problems.items))
        if self.on_kept is not None:
            self.on_kept(source.rel)

    def _holds(self, rel: str, digest: str) -> bool:
        """Whether the cache has an entry for these bytes (in memory, or only its key read)."""
        key = self._key(rel, digest)
        if self.memory is not None:
            kept = self.memory.get(self._file(rel).name)
            if kept is not None and kept[0] == key:
                return True
        try:  # (only compared: the file is vouched for when it is read)
            with open(self._file(rel), "rb") as stream:
                return stream.read(sealed.HEAD + len(key))[sealed.HEAD:] == key.encode()
        except OSError:
            return False

    def _read(self, rel: str, digest: str) -> CatalogEntry | None:
        key = self._key(rel, digest)
        if self.memory is not None:
            kept = self.memory.get(self._file(rel).name)
            if kept is not None and kept[0] == key:
                return kept[1]
        try:
            with open(self._file(rel), "rb") as stream:
                # The key comes first: an entry of other bytes or other code is never unpickled.
                if stream.read(sealed.HEAD + len(key))[sealed.HEAD:] != key.encode():
                    return None
                stream.seek(0)
                if os.name == "nt":  # (Windows cannot replace a file that is mapped)
                    view = memoryview(stream.read())
                else:
                    view = memoryview(mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ))
            # Unpickled only once vouched for (sealed.py). The items as written and the services'
            # fields stay views of the mapped file, unpickled only if asked for.
            payload = sealed.opened(view)
            if payload is None:
                return None
            (count,) = struct.unpack_from("<I", payload, len(key))
            start = len(key) + 4 + 8 * count
            ends = list(itertools.accumulate(struct.unpack_from(f"<{count}Q", payload, len(key) + 4),
                                             initial=start))
            parts = [payload[begin:end] for begin, end in itertools.pairwise(ends)]
            entry = pickle.loads(parts[0], buffers=parts[1:])
        except Exception:  # missing, unreadable, truncated, corrupt: a miss
            return None
        if not isinstance(entry, CatalogEntry) or entry.facts.rel != rel:
            return None
        self._remember(rel, key, entry)
        return entry

    def _remember(self, rel: str, key: str, entry: CatalogEntry, file: FileFacts | None = None) -> None:
        if self.memory is not None:
            self.memory[self._file(rel).name] = (key, entry, file)

    def settle(self, checked: Checked, problems: Problems) -> None:
        """Keep every catalog read afresh that has no error; forget the files of removed catalogs.

        Run after the schema and cross-checks, so that a catalog with any error is not kept.
        The entries are attached to their sources too (the audit reads their facts).
        """
        bad = {problem.file for problem in problems.errors}
        for tenant, services in checked.tenants:
            source = tenant.source
            if (source.cached is not None or not source.digest or source.rel in bad
                    or tenant.value is None or any(item.value is None for item in services)):
                continue
            # No error in its file after every check: those within it found nothing.
            source.cached = CatalogEntry.make(tenant, services, self.languages, alone_ok=True)
            self._write(source.rel, source.digest, source.cached)
            signature = self._signatures.get(source.rel)
            self._remember(source.rel, self._key(source.rel, source.digest), source.cached,
                           (signature, source.digest, source) if signature is not None else None)
        if self.memory is not None:
            for name in set(self.memory) - self.seen:
                del self.memory[name]
        self._prune()
        index = {tenant.source.rel: (signature, tenant.source.digest) for tenant, _ in checked.tenants
                 if tenant.source.cached is not None
                 and (signature := self._signatures.get(tenant.source.rel)) is not None}
        if index != self._indexed():
            self._save_index(index)

    def _save_index(self, index: dict[str, tuple[Signature, str]]) -> None:
        """Write INDEX atomically; an index that cannot be written is skipped (all is read again)."""
        self._index = index
        keep_out_of_git(self.base)
        keep_file(self.folder / INDEX,
                  sealed.seal([pickle.dumps({**index, "key": self._key("", "")},
                                            protocol=pickle.HIGHEST_PROTOCOL)]))

    def _write(self, rel: str, digest: str, entry: CatalogEntry) -> None:
        """Keep an entry (fingerprint.keep_file): its key, the sizes of what follows, the entry,
        then its blobs (see `_read`). An entry that cannot be written is skipped."""
        buffers: list[pickle.PickleBuffer] = []
        try:
            body = pickle.dumps(entry, protocol=5, buffer_callback=buffers.append)
        except pickle.PicklingError:
            return
        blobs = [buffer.raw() for buffer in buffers]
        sizes = [len(body), *map(len, blobs)]
        head = self._key(rel, digest).encode() + struct.pack(f"<I{len(sizes)}Q", len(sizes), *sizes)
        keep_out_of_git(self.base)
        keep_file(self._file(rel), sealed.seal([head, body, *blobs]))

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


def _signature(path: Path, trusted_only: bool = True) -> Signature | None:
    """A file's size, modification and change times and inode, read before its bytes are.

    A later write changes the change time, which no program can set back. A write within the
    clock tick of this look would not, so with `trusted_only` a file changed in the last
    QUIET_NS gets None: it will be read again next time.
    """
    try:
        stat = os.stat(path)
    except OSError:
        return None
    if trusted_only and stat.st_ctime_ns > time.time_ns() - QUIET_NS:
        return None
    return (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)


def _read_file(path: Path, root: Path,
               signature: Signature | None) -> tuple[bytes, str, Signature | None] | None:
    """A catalog's bytes, their digest and its `signature` taken before they were read; None
    when it cannot be read (load_yaml then reports why)."""
    try:
        data = project_files.read(path, root)
    except (OSError, project_files.Refused):
        return None
    return data, digest_of(data), signature


def check_ahead(root: Path, settled: Callable[[], object],
                kept: Callable[[str], object] | None = None) -> Config | None:
    """In the process ahead.py starts: check the settings and the small files as the build
    checks them, and keep what is valid in the memo of valid items (validate.Memo), then call
    `settled`; then parse and check every catalog the cache lacks, and keep those found valid
    (as `prefill` does), calling `kept` with the file name of each as soon as it is kept. The
    settings, or None when they are unusable."""
    from . import project_files
    from .config import load_config
    from .load import load_small
    from .validate import Memo

    if not project_files.scan(root, Problems()):  # the build reports it, reading nothing
        settled()
        return None
    memo = Memo(root)
    config = load_config(root, Problems(), memo)
    if config is not None:
        check_schema(load_small(root, Problems()), Problems(), config.languages, memo)
        memo.save()
    settled()
    if config is not None:
        catalogs = CatalogCache(root, config.languages)
        catalogs.on_kept = kept
        catalogs.prefill(catalog_paths(root), root, every=True)
    return config
