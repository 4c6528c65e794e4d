"""Files besides the pages: open data, search index, feeds, sitemap, robots.txt (after the pages)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from .config import Config
from .feeds import atom_feed, feed_path
from .model import Site
from .opendata import write_open_data
from .render import Lang
from .routes import Router
from .search import write_search_index
from .write import OutputWriter

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"
SITEMAP_NAME = "sitemap.xml"


def write_extras(site: Site, router: Router, config: Config, langs: dict[str, Lang],
                 writer: OutputWriter) -> None:
    """Write every non-page file of the site into `writer`."""
    write_open_data(site, router, langs, writer.write)
    write_search_index(site, router, config, langs, writer)
    for code, lang in langs.items():
        writer.write(feed_path(router, code), atom_feed(site, lang))
    writer.write(SITEMAP_NAME, sitemap(router, langs))
    writer.write("robots.txt", robots(router, langs[config.default_language]))


def sitemap(router: Router, langs: dict[str, Lang]) -> bytes:
    """Every page in every language, each listing all its language versions and x-default."""
    urlset = ET.Element("urlset", {"xmlns": SITEMAP, "xmlns:xhtml": XHTML})
    default = next(iter(langs))
    for key in router.pages():
        absolute = {code: lang.absolute(router.url(code, *key)) for code, lang in langs.items()}
        for code in langs:
            url = ET.SubElement(urlset, "url")
            ET.SubElement(url, "loc").text = absolute[code]
            for other, href in [*absolute.items(), ("x-default", absolute[default])]:
                ET.SubElement(url, "xhtml:link", rel="alternate", hreflang=other, href=href)
    ET.indent(urlset)
    return ET.tostring(urlset, encoding="utf-8", xml_declaration=True) + b"\n"


def robots(router: Router, lang: Lang) -> str:
    """Allow everything and name the sitemap by its absolute URL."""
    lines = ["User-agent: *", "Allow: /", "", f"Sitemap: {lang.absolute(router.base_path + SITEMAP_NAME)}"]
    if router.base_path != "/":
        lines[:0] = ["# Crawlers read robots.txt only at the root of a host; copy these lines there",
                     f"# if this site is served under {router.base_path}.", ""]
    return "\n".join(lines) + "\n"
