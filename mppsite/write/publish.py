"""Files besides the pages: open data, search index, feeds, sitemap, robots.txt, the service
worker (after the pages).

Each kind is a group of files with one input digest (see cache.Outputs): when the inputs did not
change since the last build the files are kept as they are, otherwise written again.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import stat
from pathlib import Path
from xml.sax.saxutils import escape

from mppsite.check.config import Config
from mppsite.core import sealed
from mppsite.core.fingerprint import CACHE_DIR, hash_of, keep_file, keep_out_of_git
from mppsite.model.routes import Router
from mppsite.model.site import Service, Site
from mppsite.render.feeds import atom_feed, feed_path
from mppsite.render.opendata import CSV_NAME, DATA_DIR, JSON_NAME, Row, open_data_files
from mppsite.render.templates import Lang
from mppsite.write.cache import Digests, Outputs
from mppsite.write.offline import write_worker
from mppsite.write.output import Stat
from mppsite.write.search import BUNDLE_DIR, bundle_files

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"
SITEMAP_NAME = "sitemap.xml"
# What ElementTree escapes in an attribute value besides &, < and >.
ATTRIBUTE = {'"': "&quot;", "\r": "&#13;", "\n": "&#10;", "\t": "&#09;"}


class OpenDataRows:
    """Each service's open data rows, taken from the last build's files when the inputs of the
    service's page did not change: a rebuild after one edit formats one service (at 10,000
    services, 1.0 s instead of 1.9 s). The cache holds where each row lies in those files and
    their size, mtime and inode as written, as the page cache does for pages: files not exactly
    the last build's are not used."""

    def __init__(self, root: Path, output: Path, digests: Digests):
        self.path, self.digests = root / CACHE_DIR / "opendata.marshal", digests
        self.kept: dict[str, Row] = {}
        self.order: list[tuple[str | None, Row]] = []
        try:
            layout = marshal.loads(sealed.read(self.path) or b"")
            (json_data, json_stat), (csv_data, csv_stat) = (_our_file(output / DATA_DIR / name)
                                                            for name in (JSON_NAME, CSV_NAME))
            if [json_stat, csv_stat] != layout["stats"]:
                return
            json_at, csv_at = layout["starts"]
            for key, json_size, csv_size in layout["rows"]:
                self.kept[key] = (json_data[json_at:json_at + json_size], csv_data[csv_at:csv_at + csv_size])
                json_at, csv_at = json_at + json_size + 2, csv_at + csv_size  # (",\n" between JSON rows)
        except (OSError, EOFError, ValueError, TypeError, KeyError, IndexError):
            self.kept = {}

    def _key(self, service: Service) -> str | None:
        digests = self.digests
        own = digests.services.get(service.id)
        return hash_of("opendata", digests.site, own, digests.owners.get(service.id)) if own else None

    def get(self, service: Service) -> Row | None:
        key = self._key(service)
        return self.kept.get(key) if key is not None else None

    def put(self, service: Service, row: Row) -> None:
        self.order.append((self._key(service), row))

    def save(self, files: dict[str, bytes], stats: list[Stat | None]) -> None:
        """Record where this build's rows lie in its files, and the stats of those files as written."""
        json_data, csv_data = files[DATA_DIR + JSON_NAME], files[DATA_DIR + CSV_NAME]
        rows = [(key, len(row[0]), len(row[1])) for key, row in self.order]
        if not rows or any(key is None for key, _, _ in rows) or None in stats:
            return
        json_rows = sum(size for _, size, _ in rows) + 2 * (len(rows) - 1)
        json_start = len(json_data) - len(b"\n]\n}\n") - json_rows
        csv_start = len(csv_data) - sum(size for _, _, size in rows)
        layout = {"stats": stats, "starts": [json_start, csv_start], "rows": rows}
        with contextlib.suppress(OSError):
            keep_out_of_git(self.path.parent)
            keep_file(self.path, sealed.seal([marshal.dumps(layout)]))


def _our_file(path: Path) -> tuple[bytes, Stat]:
    """A file the last build wrote, and its stat: read only as a regular file, never through a link."""
    if path.parent.is_symlink():
        raise OSError("a link")
    handle = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(handle, "rb") as stream:
        found = os.fstat(handle)
        if not stat.S_ISREG(found.st_mode):
            raise OSError("not a file")
        return stream.read(), (found.st_size, found.st_mtime_ns, found.st_ino)


def write_extras(site: Site, router: Router, config: Config, langs: dict[str, Lang], out: Outputs,
                 digests: Digests, root: Path) -> None:
    """Write every non-page file of the site; keep those whose inputs did not change."""
    content = hash_of("content", digests.site, digests.everything)
    if not out.keep_group("opendata", content):
        rows = OpenDataRows(root, config.output_path, digests)
        files = open_data_files(site, router, langs, rows)
        for rel, data in files.items():
            out.write("opendata", content, rel, data)
        rows.save(files, [out.entries[DATA_DIR + name][1] for name in (JSON_NAME, CSV_NAME)])
    if config.search:
        # Which Pagefind runs is an input too (its version is in the code digest).
        search = hash_of("search", content, os.environ.get("PAGEFIND_BINARY_PATH"))
        if not out.keep_group("search", search):
            for rel, data in bundle_files(site, router, langs).items():
                out.write("search", search, f"{BUNDLE_DIR}/{rel}", data)
    feeds = hash_of("feeds", digests.site)
    if not out.keep_group("feeds", feeds):
        for code, lang in langs.items():
            out.write("feeds", feeds, feed_path(router, code), atom_feed(site, lang))
    pages = hash_of("sitemap", digests.site)
    if not out.keep_group("sitemap", pages):
        out.write("sitemap", pages, SITEMAP_NAME, sitemap(router, langs))
        out.write("sitemap", pages, "robots.txt", robots(router, langs[config.default_language]))
    write_worker(out, digests, router.base_path)


def write_assets(out: Outputs, sources: list[tuple[Path, str]]) -> None:
    """Attachments and the theme's static files, copied; kept when none of them changed."""
    stats = []
    for source, rel in sources:
        stat = source.stat()
        stats.append((rel, str(source), stat.st_size, stat.st_mtime_ns))
    digest = hash_of("assets", stats)
    if not out.keep_group("assets", digest):
        for source, rel in sources:
            out.copy("assets", digest, source, rel)
        out.write("assets", digest, ".nojekyll", "")


def sitemap(router: Router, langs: dict[str, Lang]) -> bytes:
    """Every page in every language, each listing all its language versions and x-default (none
    for a site of one language: no alternate to name).

    Written as text, line by line, in the layout ElementTree gives with `ET.indent` (a test
    compares the two): much faster than building the elements. A page's alternate links are the
    same in each of its languages: formatted once.
    """
    default = next(iter(langs))
    lines = ["<?xml version='1.0' encoding='utf-8'?>", f'<urlset xmlns="{SITEMAP}" xmlns:xhtml="{XHTML}">']
    for key in router.pages():
        absolute = {code: lang.absolute(router.url(code, *key)) for code, lang in langs.items()}
        links = "".join(f'\n    <xhtml:link rel="alternate" hreflang="{escape(other, ATTRIBUTE)}" '
                        f'href="{escape(href, ATTRIBUTE)}" />'
                        for other, href in [*absolute.items(), ("x-default", absolute[default])]
                        ) if len(langs) > 1 else ""
        for code in langs:
            lines.append(f"  <url>\n    <loc>{escape(absolute[code])}</loc>{links}\n  </url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode()


def robots(router: Router, lang: Lang) -> str:
    """Allow everything and name the sitemap by its absolute URL."""
    lines = ["User-agent: *", "Allow: /", "", f"Sitemap: {lang.absolute(router.base_path + SITEMAP_NAME)}"]
    if router.base_path != "/":
        lines[:0] = ["# Crawlers read robots.txt only at the root of a host; copy these lines there",
                     f"# if this site is served under {router.base_path}.", ""]
    return "\n".join(lines) + "\n"
