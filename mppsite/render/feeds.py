"""Atom feeds of circulars and news, one per language, at the language's root (feed.xml, en/feed.xml).

Entry ids are the entry's absolute URL, so they stay the same from build to build; every date
comes from the documents (the feed's `updated` is its newest entry), never from the clock.
"""

from __future__ import annotations

import datetime
import re
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

from mppsite.model.routes import DOCUMENT_PAGE, Router
from mppsite.model.site import Document, Site, Text

if TYPE_CHECKING:
    from mppsite.render.templates import Lang

ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "xml:lang"  # names are written as they are: ElementTree only serialises here
FEED_NAME = "feed.xml"
FEED_KINDS = ("circulars", "news")
MAX_ENTRIES = 50
EPOCH = datetime.date(1970, 1, 1)  # `updated` of a feed with no entries: fixed, never the build time
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ROOT_LINK = re.compile(r'(\s(?:href|src)=")/(?!/)')


def feed_path(router: Router, lang: str) -> str:
    """Output path of a language's feed: 'feed.xml', 'en/feed.xml'."""
    return router.path(lang, "home") + FEED_NAME


def feed_url(router: Router, lang: str) -> str:
    return router.url(lang, "home") + FEED_NAME


def entries(site: Site) -> list[Document]:
    """Circulars and news, newest first (ties by kind and slug), at most MAX_ENTRIES."""
    docs = [doc for kind in FEED_KINDS for doc in site.documents.get(kind, []) if doc.date]
    docs.sort(key=lambda d: (-d.date.toordinal() if d.date else 0, d.kind, d.slug))
    return docs[:MAX_ENTRIES]


def timestamp(date: datetime.date) -> str:
    """RFC 3339 for a calendar date: midnight UTC."""
    return date.isoformat() + "T00:00:00Z"


def atom_feed(site: Site, L: Lang) -> bytes:
    """The feed of one language as UTF-8 XML."""
    docs = entries(site)
    home = L.absolute(L.url("home"))
    mall = L.plain(site.mall.name)
    feed = ET.Element("feed", {"xmlns": ATOM, XML_LANG: L.code})
    _sub(feed, "id", L.absolute(feed_url(L.router, L.code)))
    _text(feed, "title", L.t("feed_title", mall=mall), site.mall.name, L)
    _sub(feed, "link", rel="self", type="application/atom+xml", href=L.absolute(feed_url(L.router, L.code)))
    _sub(feed, "link", rel="alternate", type="text/html", hreflang=L.code, href=home)
    _sub(feed, "updated", timestamp(max((d.date for d in docs if d.date), default=EPOCH)))
    author = _sub(feed, "author")
    _sub(author, "name", mall)
    _sub(author, "uri", home)
    _sub(feed, "generator", "mppsite")
    for doc in docs:
        feed.append(_entry(doc, L))
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


def _entry(doc: Document, L: Lang) -> ET.Element:
    url = L.absolute(L.url(DOCUMENT_PAGE[doc.kind], doc.slug))
    entry = ET.Element("entry")
    _sub(entry, "id", url)
    _text(entry, "title", L.plain(doc.title), doc.title, L)
    _sub(entry, "link", rel="alternate", type="text/html", href=url)
    assert doc.date is not None
    _sub(entry, "published", timestamp(doc.date))
    _sub(entry, "updated", timestamp(doc.date))
    label = L.t("nav_circulars" if doc.kind == "circulars" else "nav_news")
    _sub(entry, "category", term=doc.kind, label=label)
    if doc.summary:
        _text(entry, "summary", L.plain(doc.summary), doc.summary, L)
    shown = L.code if doc.has(L.code) else L.default
    origin = L.absolute("/")[:-1]
    body = _ROOT_LINK.sub(lambda m: m.group(1) + origin + "/", str(L.markdown(doc.body[shown])))
    content = _sub(entry, "content", body, type="html")
    if shown != L.code:
        content.set(XML_LANG, shown)
    return entry


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: _clean(v) for k, v in attributes.items()})
    if text is not None:
        element.text = _clean(text)
    return element


def _text(parent: ET.Element, tag: str, words: str, source: Text, L: Lang) -> ET.Element:
    """A text element, marked with xml:lang when the words fell back to another language."""
    element = _sub(parent, tag, words)
    if source.language(L.code) != L.code:
        element.set(XML_LANG, source.language(L.code))
    return element


def _clean(text: str) -> str:
    """Characters XML 1.0 cannot hold are dropped (ElementTree would write them as they are)."""
    return _NOT_XML.sub("", text)
