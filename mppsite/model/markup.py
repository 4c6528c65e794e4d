"""Markdown to safe HTML: rendered by Python-Markdown, sanitised by nh3 (ammonia).

Site links written as default-language paths ('/layanan/ktp-el/') point at the same page in the
page's language. Markdown comes from the staff of many agencies, so a text renders in bounded
time: a text beyond markdown_limits.py's limits, or one the parser fails on, is shown as plain
paragraphs (`check` refuses it too); links are looked for within a window (`_BoundedLinks`); raw
HTML is taken inline only, as the block preprocessor scanned to the end from every unclosed '<'.

An image is published only with alt text and a target that exists (a file in content/files/, or
another site's, which `check` reports): otherwise it is left out, as `check` says (links.py). An
empty alt written in HTML (`alt=""`) marks a decoration and is kept; `![](...)` in Markdown is an
image whose description was forgotten, so it is left out too.
"""

from __future__ import annotations

import html as html_escape
import re
import typing
from urllib.parse import quote, unquote, urlsplit

import nh3
from markupsafe import Markup

from mppsite.load.markdown_limits import DOCUMENT_LIMIT, markdown_errors
from mppsite.model.routes import Router

if typing.TYPE_CHECKING:
    import markdown

TAGS = {"a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em", "h2", "h3",
        "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "strong", "sub", "sup",
        "table", "tbody", "td", "th", "thead", "tr", "ul"}
ATTRIBUTES = {"a": {"href", "title", "hreflang"}, "abbr": {"title"}, "img": {"src", "alt"},
              "th": {"scope"}, "ol": {"start"}}
SCHEMES = {"http", "https", "mailto", "tel"}

LINK_TEXT_DEPTH = 8  # brackets inside a link's text: [a [b] c](/x) is one
LINK_TARGET_CHARS = 4_096  # a link's (address "title"), brackets included
LINK_TARGET_MARKS = 32  # ( ) ' and " in it, the opening bracket included
# Shorter texts are not measured against the limits first: the bounded parser is fast on them.
SHORT = 4_096


class MarkdownRenderer:
    """One per build: a reusable Markdown parser and the link table."""

    def __init__(self, router: Router, files: set[str]):
        self.router = router
        self.files = files  # attachment paths relative to content/ ("files/x.pdf")
        self._md: markdown.Markdown | None = None  # made on the first render: see `_parser`

    def _parser(self) -> markdown.Markdown:
        """Made on first use (a rebuild often renders no Markdown). Extensions as objects: by name,
        Markdown searches every package's entry points."""
        if self._md is None:
            import markdown
            from markdown import inlinepatterns as ip
            from markdown.extensions.sane_lists import SaneListExtension
            from markdown.extensions.tables import TableExtension

            md = markdown.Markdown(extensions=[TableExtension(), SaneListExtension()], output_format="html")
            for name, base, pattern, priority in (
                    ("reference", ip.ReferenceInlineProcessor, ip.REFERENCE_RE, 170),
                    ("link", ip.LinkInlineProcessor, ip.LINK_RE, 160),
                    ("image_link", ip.ImageInlineProcessor, ip.IMAGE_LINK_RE, 150),
                    ("image_reference", ip.ImageReferenceInlineProcessor, ip.IMAGE_REFERENCE_RE, 140),
                    ("short_reference", ip.ShortReferenceInlineProcessor, ip.REFERENCE_RE, 130),
                    ("short_image_ref", ip.ShortImageReferenceInlineProcessor, ip.IMAGE_REFERENCE_RE, 125)):
                image = name.startswith(("image", "short_image"))
                mixins = (_BoundedLinks, _NoEmptyAlt) if image else (_BoundedLinks,)
                md.inlinePatterns.register(type(base.__name__, (*mixins, base), {})(pattern, md),
                                           name, priority)
            md.preprocessors.deregister("html_block")
            self._md = md
        return self._md

    def link(self, href: str, lang: str) -> str | None:
        """Where a site path written in Markdown points, in `lang`; None when nowhere. A file's
        name is percent-encoded ("a#b.pdf" would end at "#")."""
        parts = urlsplit(href)
        tail = ("?" + parts.query if parts.query else "") + ("#" + parts.fragment if parts.fragment else "")
        path = parts.path
        if path.startswith("/files/") and unquote(path[1:]) in self.files:
            return self.router.base_path + quote(unquote(path[1:])) + tail
        key = self.router.resolve(path)
        if key is None:
            return None
        return self.router.url(lang, *key) + tail

    def render(self, source: str, lang: str) -> Markup:
        # The page's title is its one h1: a '# Heading' in the text is a section of it.
        html = _TOP_HEADING.sub(r"<\1h2", self._convert(source))

        def rewrite(tag: str, attribute: str, value: str) -> str | None:
            if attribute == "src":  # an image shows a file of content/files/, or another site's
                if _EXTERNAL.match(value):
                    return value
                return self.link(value, lang) if is_image_path(value) else None
            if attribute == "href" and value.startswith("/") and not value.startswith("//"):
                target = self.link(value, lang)
                return self.router.base_path + value.lstrip("/") if target is None else target
            return value

        clean = nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes=SCHEMES,
                          attribute_filter=rewrite, link_rel=None,
                          clean_content_tags={"script", "style"})
        if "<img" in clean:
            clean = _drop_images(clean)
        # nh3 closes the paragraph around a raw HTML block: its empty remains are dropped.
        return Markup(_EMPTY_PARAGRAPH.sub("", clean) if "<p></p>" in clean else clean)

    def _convert(self, source: str) -> str:
        """The Markdown as HTML, or as plain paragraphs when beyond the limits or the parser fails."""
        if not source.isascii() and _SURROGATE.search(source):  # nh3 cannot take them
            source = source.encode("utf-8", "replace").decode("utf-8")
        if len(source) > SHORT and markdown_errors(source, DOCUMENT_LIMIT):
            return plain_paragraphs(source)
        try:
            return self._parser().reset().convert(source)
        except Exception:  # RecursionError (lists nested deeper than the stack) or the like
            self._md = None  # its block parser may be left in a list's state: make another
            return plain_paragraphs(source)


IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".svg")  # the images attachments.py publishes


def is_image_path(href: str) -> bool:
    """Whether a site path names an image of content/files/ (whether it exists is `link`'s answer)."""
    path = href.split("#", 1)[0].split("?", 1)[0]
    return path.startswith("/files/") and path.lower().endswith(IMAGE_SUFFIXES)


_SURROGATE = re.compile("[\ud800-\udfff]")
_EXTERNAL = re.compile(r"(?:https?:)?//", re.I)
_TOP_HEADING = re.compile(r"<(/?)h1(?=[\s/>])", re.I)
# nh3's output: attributes double-quoted, '<', '>' and '"' in them escaped.
_IMAGE = re.compile(r"<img\b[^>]*+>")
_EMPTY_LINK = re.compile(r"<a\b[^>]*+></a>")


def _drop_images(html: str) -> str:
    """The HTML without the images that have no alt text or lost their source in `rewrite`, and
    without a link left empty by that (a link with no text has no name for a screen reader)."""
    kept = _IMAGE.sub(lambda m: m.group() if ' alt="' in m.group() and ' src="' in m.group() else "", html)
    return _EMPTY_LINK.sub("", kept) if kept != html else kept
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_EMPTY_PARAGRAPH = re.compile(r"<p></p>\n?")


def plain_paragraphs(source: str) -> str:
    """The text as it is, escaped, a paragraph for each part between empty lines."""
    text = source.replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(f"<p>{html_escape.escape(part.strip(), quote=False)}</p>"
                     for part in _BLANK_LINE.split(text) if part.strip())


def _text_pattern(depth: int) -> re.Pattern[str]:
    """A link's text up to its closing ']', with brackets nested at most `depth` deep in it."""
    inner = r"[^\[\]]*+"
    for _ in range(depth):
        inner = rf"(?:[^\[\]]++|\[{inner}\])*+"
    return re.compile(inner + r"\]")


_LINK_TEXT = _text_pattern(LINK_TEXT_DEPTH)
_LINK_TARGET = re.compile(rf"(?:[^()'\"]*+[()'\"]){{1,{LINK_TARGET_MARKS}}}")
_LINK_MARK = re.compile(r"[()'\"]")


class _NoEmptyAlt:
    """For the image processors: `![](x)` gives an image without alt, which `render` leaves out,
    instead of alt="" (a decoration, which staff mark in HTML)."""

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[typing.Any, int | None, int | None]:
        el, start, end = super().handleMatch(m, data)  # type: ignore[misc]
        if el is not None and not isinstance(el, str) and not el.get("alt", "").strip():
            el.attrib.pop("alt", None)
        return el, start, end


class _BoundedLinks:
    """For the link, image and reference processors, whose own scan from every '[' to the
    paragraph's end took a paragraph of '[' its length squared. The text is one possessive
    pattern, stopping at the first bracket nested too deep; the address is looked for in a window
    ending with its LINK_TARGET_MARKS-th bracket or quote, when a ')' is in it. When the rest of
    the paragraph fits the window, the answer is the original's exactly."""

    def getText(self, data: str, index: int) -> tuple[str, int, bool]:
        m = _LINK_TEXT.match(data, index)
        if m is None:
            return "", index, False
        return data[index:m.end() - 1], m.end(), True

    def getLink(self, data: str, index: int) -> tuple[str, str | None, int, bool]:
        m = _LINK_TARGET.match(data, index, index + LINK_TARGET_CHARS)
        end = m.end() if m else index
        whole = len(data) - index <= LINK_TARGET_CHARS and not _LINK_MARK.search(data, end)
        if whole:
            end = len(data)
        elif data.find(")", index, end) < 0:
            return "", None, index, False
        href, title, stop, handled = super().getLink(data[index:end], 0)  # type: ignore[misc]
        if stop < 0:  # 'the end of the paragraph'
            return (href, title, stop, handled) if whole else ("", None, index, False)
        return href, title, index + stop, handled
