"""Fragments: parts of pages rendered once and re-used, in the same build and in the next one.

A tenant's print page holds the same "Standar Pelayanan" sheet of each service as the service
page itself (partials/sheet.html, called with the same arguments), and drawing a sheet, with its
QR code, is the costliest part of rendering; the A–Z list holds an entry for every service, and
is rendered again whenever any service changes. A template asks for such a part with

    {{ fragment(L, "sheet", service, sheet, L, site, service) }}

and gets the macro's output, rendered at most once per language for the same inputs; a list asks
for all its entries at once with `fragment_each(L, "service_item", services, service_item)`. The key is
the fragment's name, the language and the input digest of the service's own page (cache.Digests:
the service, its tenant, and the site-wide inputs, templates, UI strings and code among them), so
a fragment is re-used exactly when rendering it again would give the same bytes.

Two places keep fragments:
- this process, for this build: a service page is rendered just before its tenant's print page
  (pipeline._chunks keeps them together), which then takes its sheets from memory;
- a page's own bin in `.mppsite-cache/fragments/`, for the next build: a print page or a list
  rendered again after one service changed takes the other services' parts from its last
  rendering. A bin holds the fragments its page used last time, nothing else.
A missing or unreadable bin is a miss, never an error.
"""

from __future__ import annotations

import contextlib
import marshal
import os
from collections import OrderedDict
from collections.abc import Callable, Container, Iterable
from operator import attrgetter
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from markupsafe import Markup

from mppsite.core import sealed
from mppsite.model.site import LazyService, Service

FOLDER = "fragments"
BIN_SUFFIX = ".marshal"  # marshal: strings and tuples of them, read and written fastest
RECENT_MAX = 4000  # fragments kept in memory in one process (a tenant's print page needs its own)

Key = tuple[str, str, str]  # name, language, digest of the owner's inputs
_ID = attrgetter("id")
_SERVICES = frozenset({Service, LazyService})


class Fragments:
    """The fragment store of one build (one per process; forked workers inherit it)."""

    def __init__(self, folder: Path | None, digests: dict[str, str]):
        self.folder = folder  # None: keep nothing across builds
        # The bins the last build left, listed once: on a first build every service page misses
        # its sheet, and looking for a bin that is not there cost 20,000 failed opens at 10,000.
        self.bins: set[str] = _listing(folder) if folder is not None else set()
        self.digests = digests  # owner id (a service id) -> its page's input digest
        self.recent: OrderedDict[Key, str] = OrderedDict()
        self.page: str | None = None  # the page being rendered (its output path)
        self.bin: dict[Key, str] | None = None  # its fragments from the last build, read on first use
        self.used: dict[Key, str] = {}
        self.drawn: list[tuple[str, str, str]] = []  # (name, language, owner id) rendered anew

    def has_bin(self, rel: str) -> bool:
        """Whether the last build kept the fragments of page `rel`."""
        return _name(rel) in self.bins

    def begin(self, rel: str) -> None:
        self.page, self.bin, self.used = rel, None, {}

    def end(self) -> None:
        """Keep the fragments the page used for its next rendering (when they changed).

        Only a page that shows fragments of several owners (a tenant's print page) keeps a bin:
        a service page's own sheet changes exactly when the page does, so a bin would never help.
        """
        keys = iter(self.used)
        first = next(keys, None)
        several = first is not None and any(key[2] != first[2] for key in keys)  # owners' digests
        if self.folder is not None and several and self.used != self.bin:
            _write(self.folder / _name(self.page or ""), self.used)
        self.page, self.bin, self.used = None, None, {}

    def get(self, L: Any, name: str, owner: Any, macro: Callable[..., Any], *args: Any) -> Markup:
        """The fragment `name` of `owner` in L's language: kept, or rendered by `macro(*args)` now."""
        digest = self.digests.get(owner.id) if isinstance(owner, Service) else None
        if digest is None:  # not a service known to the page cache: render it, keep nothing
            return Markup(macro(*args))
        key = (name, L.code, digest)
        html = self._find(key)
        if html is None:
            html = str(macro(*args))
            self.drawn.append((name, L.code, owner.id))
        self._keep_recent(key, html)
        if self.page is not None:
            self.used[key] = html
        return Markup(html)

    def _find(self, key: Key) -> str | None:
        """A fragment drawn earlier in this process, or kept in the page's bin by the last build."""
        html = self.recent.get(key)
        return self._bin().get(key) if html is None else html

    def _bin(self) -> dict[Key, str]:
        """The page's fragments from the last build, read on first use."""
        if self.bin is None:
            name = _name(self.page) if self.page else ""
            self.bin = _read(self.folder / name) if self.folder and name in self.bins else {}
        return self.bin

    def _keep_recent(self, key: Key, html: str) -> None:
        self.recent[key] = html
        self.recent.move_to_end(key)
        while len(self.recent) > RECENT_MAX:
            self.recent.popitem(last=False)

    def get_each(self, L: Any, name: str, owners: Iterable[Any], macro: Callable[..., Any]) -> Markup:
        """The fragment `name` of every owner, `macro(L, owner)` each, one after the other.

        As `get`, but only entries drawn anew join the recent fragments: a list of 10,000 would
        push out the sheets a tenant's print page is about to take from there. A list of
        services all known to the page cache (the A–Z list of 10,000 after an edit) is looked
        up in bulk, by C loops (map) rather than one Python step per entry: 3 ms instead of 15.
        """
        owners = list(owners)
        code, digests = L.code, self.digests
        if set(map(type, owners)) <= _SERVICES:
            found = list(map(digests.get, map(_ID, owners)))
            if None not in found:
                keys = [(name, code, digest) for digest in found]
                htmls = list(map(self._bin().get, keys))
                if None in htmls:  # not in the page's last bin: from this build, or drawn now
                    recent = self.recent
                    for index in [index for index, html in enumerate(htmls) if html is None]:
                        key = keys[index]
                        html = recent.get(key)
                        htmls[index] = self._draw(key, L, owners[index], macro) if html is None else html
                if self.page is not None:
                    self.used.update(zip(keys, htmls, strict=True))
                return Markup("".join(htmls))
        parts = []
        recent, kept, used = self.recent, self._bin(), self.used if self.page is not None else None
        for owner in owners:
            digest = digests.get(owner.id) if isinstance(owner, Service) else None
            if digest is None:  # not a service known to the page cache: rendered, kept nowhere
                parts.append(str(macro(L, owner)))
                continue
            key = (name, code, digest)
            html = recent.get(key)
            if html is None:
                html = kept.get(key)
            if html is None:
                html = self._draw(key, L, owner, macro)
            if used is not None:
                used[key] = html
            parts.append(html)
        return Markup("".join(parts))

    def _draw(self, key: Key, L: Any, owner: Any, macro: Callable[..., Any]) -> str:
        """A list entry found nowhere: rendered now, and kept among the recent fragments (the
        other lists of this build show it too)."""
        html = str(macro(L, owner))
        self.drawn.append((key[0], key[1], owner.id))
        self._keep_recent(key, html)
        return html

    def prune(self, pages: Container[str]) -> None:
        """Remove the bins of pages this site no longer has (`pages`: every output path).

        A bin's name gives back its page's path, so this looks at the few bins there are, not at
        the 20,000 pages of a 10,000-service site.
        """
        if self.folder is None:
            return
        try:
            entries = os.listdir(self.folder)
        except OSError:
            return
        for entry in entries:  # (a file that is no bin, left by an older version, goes too)
            if _page_of(entry) not in pages:
                with contextlib.suppress(OSError):
                    os.unlink(self.folder / entry)


# The store the templates' `fragment()` global reads: set by the pipeline before rendering.
_current: Fragments = Fragments(None, {})


def use(store: Fragments) -> None:
    global _current
    _current = store


def current() -> Fragments:
    return _current


def fragment(L: Any, name: str, owner: Any, macro: Callable[..., Any], *args: Any) -> Markup:
    """Template global: see the module's docstring."""
    return _current.get(L, name, owner, macro, *args)


def fragment_each(L: Any, name: str, owners: Iterable[Any], macro: Callable[..., Any]) -> Markup:
    """Template global: the fragments of a whole list in one call (the A–Z list has 10,000)."""
    return _current.get_each(L, name, owners, macro)


def _name(rel: str) -> str:
    """The file name of a page's bin: its output path, quoted ("layanan%2Fktp-el%2Findex.html")."""
    return quote(rel, safe="") + BIN_SUFFIX


def _page_of(name: str) -> str:
    """The output path a bin's file name stands for ("" for a file that is no bin)."""
    return unquote(name[: -len(BIN_SUFFIX)]) if name.endswith(BIN_SUFFIX) else ""


def _listing(folder: Path) -> set[str]:
    """The bins in `folder` (none when it cannot be read)."""
    try:
        return {entry for entry in os.listdir(folder) if entry.endswith(BIN_SUFFIX)}
    except OSError:
        return set()


def _read(path: Path) -> dict[Key, str]:
    payload = sealed.read(path)
    if payload is None:  # missing, unreadable, truncated, not written by this user's builds: a miss
        return {}
    try:
        data = marshal.loads(payload)
    except Exception:
        return {}
    return data if isinstance(data, dict) else {}


def _write(path: Path, fragments: dict[Key, str]) -> None:
    """The bin written anew in place of the last one; a bin that cannot be written is skipped.

    Not written beside it and renamed over it: ext4 then gives the new file its blocks at once
    (a few ms for the A–Z list's 1.4 MB). A bin left half written (the build stopped) is a miss
    next time, as marshal cannot read it."""
    try:
        data = b"".join(sealed.seal([marshal.dumps(fragments)]))
        path.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o644)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(handle, view):]
        finally:
            os.close(handle)
    except (OSError, ValueError):  # (ValueError: marshal refused a value: never kept)
        with contextlib.suppress(OSError):
            os.unlink(path)
