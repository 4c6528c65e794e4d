"""Files besides the pages: open data, search index, feeds, sitemap, robots.txt (after the pages).

Each kind is a group of files with one input digest (see cache.Outputs): when the inputs did not
change since the last build the files are kept as they are, otherwise written again.
"""

from __future__ import annotations

import os
from pathlib import Path

from mppsite.check.config import Config
from mppsite.core.fingerprint import hash_of
from mppsite.model.routes import Router
from mppsite.model.site import Site
from mppsite.render.feeds import atom_feed, feed_path
from mppsite.render.opendata import open_data_files
from mppsite.render.templates import Lang
from mppsite.write.cache import Digests, Outputs
from mppsite.write.search import BUNDLE_DIR, bundle_files

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"
SITEMAP_NAME = "sitemap.xml"


def write_extras(site: Site, router: Router, config: Config, langs: dict[str, Lang], out: Outputs,
                 digests: Digests) -> None:
    """Write every non-page file of the site; keep those whose inputs did not change."""
    content = hash_of("content", digests.site, digests.everything)
    if not out.keep_group("opendata", content):
        for rel, data in open_data_files(site, router, langs).items():
            out.write("opendata", content, rel, data)
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
    """Every page in every language, each listing all its language versions and x-default.

    Written as text, line by line, in the layout ElementTree gives with `ET.indent` (a test
    compares the two): building 120,000 elements and serialising them took 0.9 s at 10,000
    services. A page's alternate links are the same in each of its languages: formatted once.
    """
    default = next(iter(langs))
    lines = ["<?xml version='1.0' encoding='utf-8'?>"]
    head = f'<urlset xmlns="{SITEMAP}" xmlns:xhtml="{XHTML}"'
    for key in router.pages():
        absolute = {code: lang.absolute(router.url(code, *key)) for code, lang in langs.items()}
        links = "".join(f'\n    <xhtml:link rel="alternate" hreflang="{_attribute(other)}" '
                        f'href="{_attribute(href)}" />'
                        for other, href in [*absolute.items(), ("x-default", absolute[default])])
        for code in langs:
            lines.append(f"  <url>\n    <loc>{_text(absolute[code])}</loc>{links}\n  </url>")
    if len(lines) == 1:
        return ("\n".join([*lines, head + " />"]) + "\n").encode()
    lines.insert(1, head + ">")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode()


def _text(value: str) -> str:
    """XML character data, escaped as ElementTree does."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attribute(value: str) -> str:
    """An XML attribute value in double quotes, escaped as ElementTree does."""
    return (_text(value).replace('"', "&quot;").replace("\r", "&#13;").replace("\n", "&#10;")
            .replace("\t", "&#09;"))


def robots(router: Router, lang: Lang) -> str:
    """Allow everything and name the sitemap by its absolute URL."""
    lines = ["User-agent: *", "Allow: /", "", f"Sitemap: {lang.absolute(router.base_path + SITEMAP_NAME)}"]
    if router.base_path != "/":
        lines[:0] = ["# Crawlers read robots.txt only at the root of a host; copy these lines there",
                     f"# if this site is served under {router.base_path}.", ""]
    return "\n".join(lines) + "\n"
