"""Markdown to safe HTML: rendered by python-markdown, sanitised by nh3 (ammonia).

Site links written as default-language paths ('/layanan/ktp-el/') are pointed at the same page
in the page's language, under base_url's path. Links that lead nowhere are remembered for `check`.
"""

from __future__ import annotations

import typing
from urllib.parse import urlsplit

import nh3
from markupsafe import Markup

from .routes import Router

if typing.TYPE_CHECKING:
    import markdown

TAGS = {"a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em", "h2", "h3",
        "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "strong", "sub", "sup",
        "table", "tbody", "td", "th", "thead", "tr", "ul"}
ATTRIBUTES = {"a": {"href", "title", "hreflang"}, "abbr": {"title"}, "img": {"src", "alt"},
              "th": {"scope"}, "ol": {"start"}}
SCHEMES = {"http", "https", "mailto", "tel"}


class MarkdownRenderer:
    """One per build: a reusable Markdown parser and the link table."""

    def __init__(self, router: Router, files: set[str]):
        self.router = router
        self.files = files  # attachment paths relative to content/ ("files/x.pdf")
        self._md: markdown.Markdown | None = None  # made on the first render: see `_parser`
        self.broken: list[tuple[str, str]] = []  # (href, lang)

    def _parser(self) -> markdown.Markdown:
        """The parser, made when first needed: a rebuild often renders no Markdown, and the audit's
        renderer only resolves links. Its extensions are given as objects: by name, Markdown
        looked them up among every installed package's entry points (16 ms a parser). Markdown
        itself is imported here too (11 ms that a rebuild rendering no Markdown does without)."""
        if self._md is None:
            import markdown
            from markdown.extensions.sane_lists import SaneListExtension
            from markdown.extensions.tables import TableExtension

            self._md = markdown.Markdown(extensions=[TableExtension(), SaneListExtension()],
                                         output_format="html")
        return self._md

    def link(self, href: str, lang: str) -> str | None:
        """Where a site path written in Markdown points, in `lang`; None when nowhere."""
        parts = urlsplit(href)
        tail = ("?" + parts.query if parts.query else "") + ("#" + parts.fragment if parts.fragment else "")
        path = parts.path
        if path.startswith("/files/") and path[1:] in self.files:
            return self.router.base_path + path[1:] + tail
        key = self.router.resolve(path)
        if key is None:
            return None
        return self.router.url(lang, *key) + tail

    def render(self, source: str, lang: str) -> Markup:
        html = self._parser().reset().convert(source)

        def rewrite(tag: str, attribute: str, value: str) -> str | None:
            if attribute in ("href", "src") and value.startswith("/") and not value.startswith("//"):
                target = self.link(value, lang)
                if target is None:
                    self.broken.append((value, lang))
                    return self.router.base_path + value.lstrip("/")
                return target
            return value

        clean = nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes=SCHEMES,
                          attribute_filter=rewrite, link_rel=None,
                          clean_content_tags={"script", "style"})
        return Markup(clean)
