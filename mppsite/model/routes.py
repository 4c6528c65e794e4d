"""One table maps every page and language to its URL and output file; nothing else builds URLs.

A page is named by a key: ("service", "ktp-el"), ("home", None), ... Segments per language come
from check/languages.py (data/routes.yaml, or a project's strings/<code>.yaml). Registering the
same output path twice is an error, not an overwrite.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from mppsite.check.languages import ROUTES_FILE

# kind -> (segment name, has a slug?, segment name after the slug: /instansi/<id>/cetak/)
KINDS: dict[str, tuple[str | None, bool, str | None]] = {
    "home": (None, False, None),
    "services": ("services", False, None),
    "service": ("services", True, None),
    "category": ("categories", True, None),
    "tenants": ("tenants", False, None),
    "tenant": ("tenants", True, None),
    "achievements": ("achievements", False, None),
    "circulars": ("circulars", False, None),
    "circular": ("circulars", True, None),
    "news_index": ("news", False, None),
    "news": ("news", True, None),
    "page": (None, True, None),
    "search": ("search", False, None),
    "tenant_print": ("tenants", True, "print"),
    "pledge_print": (None, True, "print"),
}
DOCUMENT_PAGE = {"circulars": "circular", "news": "news", "pages": "page"}
PLEDGE_SLUG = "maklumat"  # the free page holding the Maklumat Pelayanan; it gets a print page

PageKey = tuple[str, str | None]


def load_segments() -> dict[str, dict[str, str]]:
    """mppsite's own segments (Indonesian and English)."""
    with open(ROUTES_FILE, encoding="utf-8") as stream:
        return yaml.load(stream, Loader=yaml.CSafeLoader)


class DuplicateRoute(Exception):
    pass


@dataclass
class Router:
    languages: tuple[str, ...]
    segments: dict[str, dict[str, str]]
    base_path: str  # "/" or "/REPO/"

    def __post_init__(self) -> None:
        self._pages: dict[PageKey, dict[str, str]] = {}
        self._by_default_path: dict[str, PageKey] = {}
        self._owner: dict[str, PageKey] = {}
        # (language, kind) -> what comes before the slug, whether there is one, what comes after
        self._affixes: dict[tuple[str, str], tuple[str, bool, str]] = {}
        self._keys: list[PageKey] = []  # the pages registered, in order

    def reserved(self) -> set[str]:
        """First path segments a free page may not take."""
        names = {seg for lang in self.languages for seg in self.segments[lang].values()}
        return names | set(self.languages) | {"data", "files", "static", "feed.xml", "404.html",
                                              "sitemap.xml", "robots.txt", "pagefind", "admin"}

    def path(self, lang: str, kind: str, slug: str | None = None) -> str:
        """Site-relative path of a page, without the base path: '', 'en/', 'layanan/ktp-el/'."""
        affix = self._affixes.get((lang, kind))
        if affix is None:
            affix = self._affixes[(lang, kind)] = self._affix(lang, kind)
        before, has_slug, after = affix
        return f"{before}{slug}/{after}" if has_slug else before

    def _affix(self, lang: str, kind: str) -> tuple[str, bool, str]:
        segment_name, has_slug, suffix = KINDS[kind]
        before = [] if lang == self.languages[0] else [lang]
        if segment_name:
            before.append(self.segments[lang][segment_name])
        after = self.segments[lang][suffix] + "/" if suffix else ""
        return "".join(part + "/" for part in before), has_slug, after

    def url(self, lang: str, kind: str, slug: str | None = None) -> str:
        paths = self._pages.get((kind, slug))
        return self.base_path + (paths[lang] if paths is not None else self.path(lang, kind, slug))

    def register(self, kind: str, slug: str | None = None) -> dict[str, str]:
        """Claim a page's path in every language; raises DuplicateRoute on a clash."""
        key = (kind, slug)
        paths = {lang: self.path(lang, kind, slug) for lang in self.languages}
        for path in paths.values():
            owner = self._owner.get(path)
            if owner is not None and owner != key:
                raise DuplicateRoute(f"/{path} ({owner[0]} {owner[1] or ''} and {kind} {slug or ''})")
            self._owner[path] = key
        self._pages[key] = paths
        self._by_default_path[paths[self.languages[0]]] = key
        self._keys.append(key)
        return paths

    def register_all(self, keys: list[PageKey]) -> bool:
        """`register` every page of `keys` at once (faster), or none and False when two would
        claim one path (`register` them one by one then, to find each clash)."""
        pages = {key: {lang: self.path(lang, *key) for lang in self.languages} for key in keys}
        owner = {path: key for key, paths in pages.items() for path in paths.values()}
        if (len(pages) != len(keys) or len(owner) != len(pages) * len(self.languages)
                or not self._owner.keys().isdisjoint(owner)):
            return False
        self._pages.update(pages)
        self._owner.update(owner)
        self._by_default_path.update({paths[self.languages[0]]: key for key, paths in pages.items()})
        self._keys.extend(keys)
        return True

    def adopt(self, kept: Router | None, keys: list[PageKey]) -> bool:
        """Take the paths of `kept` (the preview's router of its last build) when it registered
        exactly `keys` with the same languages, segments and base path; else False, nothing taken."""
        same = kept is not None and (kept.languages, kept.segments, kept.base_path) == (
            self.languages, self.segments, self.base_path)
        if kept is None or not same or self._keys or kept._keys != keys:
            return False
        self._pages, self._by_default_path, self._owner = kept._pages, kept._by_default_path, kept._owner
        self._keys = kept._keys
        return True

    def pages(self) -> dict[PageKey, dict[str, str]]:
        return self._pages

    def resolve(self, site_path: str) -> PageKey | None:
        """The page a default-language site path ('/layanan/ktp-el/') names, if any."""
        path = site_path.lstrip("/")
        if path and not path.endswith("/"):
            path += "/"
        return self._by_default_path.get(path)
