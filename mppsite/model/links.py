"""Links and images in Markdown, found with their place and judged against the site's pages and files.

`check` reports what markup.py would publish broken or leave out: an image without alt text, or
whose target is not an image in content/files/; a link to a file or page that does not exist; a
relative address (`peta.png` works, if at all, from one page's folder only); an address of a kind
the site removes (`javascript:`, `file:`, `C:\\...`). Markdown syntax and raw HTML alike. Links to
http:// and images from other sites are markdown_limits.py's warnings. Code spans are not told
apart (as there): an example written in backticks is judged as a link.
"""

from __future__ import annotations

import difflib
import html
import re
from bisect import bisect_right
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from mppsite.core.problems import Msg, hint
from mppsite.model.markup import MarkdownRenderer, is_image_path


class Target(NamedTuple):
    """One link or image in a Markdown text; line and column (1-based, within the text) of its
    address, or of the tag when it has none."""

    line: int
    column: int
    kind: str  # "link" or "image"
    url: str
    alt: str | None = None  # an image's alt text as written; None when its HTML has no alt
    raw: bool = False  # written as an HTML tag


_URL_AFTER = r"[ \t]*+(?:\n[ \t]*+)?<?[ \t]*+"
_TEXT = r"((?:[^\[\]]++|\[[^\[\]]*+\])*+)"  # a link's text, brackets nested once: [a [b] c]
_IMAGE = re.compile(r"!\[" + _TEXT + r"\]\(" + _URL_AFTER + r"([^\s)>]*+)")
_LINK = re.compile(r"(?<![!\\])\[" + _TEXT + r"\]\(" + _URL_AFTER + r"([^\s)>]*+)")
_DEFINITION = re.compile(r"^[ ]{0,3}\[([^\[\]]*+)\]:[ \t]*+(?:\n[ \t]*+)?<?([^\s>]++)", re.M)
_IMAGE_REFERENCE = re.compile(r"!\[([^\[\]]*+)\](?:[ ]?\[([^\[\]]*+)\])?(?!\()")
_TAG = re.compile(r"<(a|img)\b([^<>]*+)>", re.I)
_ATTRIBUTE = re.compile(r"""([^\s=/>"']++)(?:\s*+=\s*+("[^"]*+"|'[^']*+'|[^\s"'=<>`]++))?""")
_EXTERNAL = re.compile(r"(?:https?:)?//", re.I)
_SAFE_SCHEMES = ("mailto", "tel")


def targets(text: str) -> list[Target]:
    """Every link and image of a Markdown text, in text order."""
    starts = [0, *(m.end() for m in re.finditer("\n", text))]

    def at(offset: int) -> tuple[int, int]:
        line = bisect_right(starts, offset)
        return line, offset - starts[line - 1] + 1

    found = [Target(*at(m.start(2)), "image", m.group(2), m.group(1)) for m in _IMAGE.finditer(text)]
    found += [Target(*at(m.start(2)), "link", m.group(2)) for m in _LINK.finditer(text)]
    definitions = {}
    for m in _DEFINITION.finditer(text):
        definitions.setdefault(_label(m.group(1)), (m.start(2), m.group(2)))
    as_images = set()
    for m in _IMAGE_REFERENCE.finditer(text):
        label = _label(m.group(2) or m.group(1))
        if label in definitions:
            as_images.add(label)
            found.append(Target(*at(m.start()), "image", definitions[label][1], m.group(1)))
    found += [Target(*at(offset), "link", url) for label, (offset, url) in definitions.items()
              if label not in as_images]
    for m in _TAG.finditer(text):
        found.extend(_tag_target(m, at))
    return sorted(found)


def _label(text: str) -> str:
    return " ".join(text.lower().split())


def _tag_target(m: re.Match[str], at: Any) -> list[Target]:
    """The target of a raw <a href> or <img>; the first of an attribute written twice counts, as in HTML."""
    attributes: dict[str, tuple[int, str]] = {}
    for a in _ATTRIBUTE.finditer(m.group(2)):
        value = a.group(2) or ""
        quoted = value[:1] in ("'", '"')
        where = m.start(2) + a.start(2) + quoted if a.group(2) else m.start()
        attributes.setdefault(a.group(1).lower(), (where, html.unescape(value[1:-1] if quoted else value)))
    if m.group(1).lower() == "a":
        if "href" not in attributes:
            return []
        return [Target(*at(attributes["href"][0]), "link", attributes["href"][1].strip(), raw=True)]
    where, src = attributes.get("src", (m.start(), ""))
    alt = attributes["alt"][1] if "alt" in attributes else None
    return [Target(*at(where), "image", src.strip(), alt, raw=True)]


def judge(target: Target, renderer: MarkdownRenderer, pages: list[str], lang: str) -> list[tuple[str, dict]]:
    """What is wrong with one target: message keys with their parameters (none when it is fine).
    `pages` are the site's paths in the default language, for hints."""
    url, image = target.url, target.kind == "image"
    found: list[tuple[str, dict]] = []
    if image and (target.alt is None or not (target.alt.strip() or target.raw)):  # alt="" in HTML: decoration
        found.append(("image_without_alt", {"url": url}))
    if image and not url:
        found.append(("image_missing", {"url": url, "hint": ""}))
    if _EXTERNAL.match(url) or url.startswith("#") or not url:
        return found  # another site's (http:// and images: markdown_limits.py), or this page
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:  # "http://[" and the like
        scheme = "?"
    if not url.startswith("/") and (scheme or "\\" in url):
        if not (scheme in _SAFE_SCHEMES and not image):
            found.append(("link_scheme_unsupported", {"url": url}))
    elif not url.startswith("/"):
        found.append(("image_relative" if image else "link_relative",
                      {"url": url, "suggestion": _from_root(url, image)}))
    elif image and not is_image_path(url):
        found.append(("image_not_an_image", {"url": url}))
    elif renderer.link(url, lang) is None:
        files = sorted("/" + name for name in renderer.files)
        if image:
            found.append(("image_missing", {"url": url, "hint": hint(url, files)}))
        elif url.startswith("/files/"):
            found.append(("link_file_missing", {"url": url, "hint": hint(url, files)}))
        else:
            found.append(("broken_link", {"href": url, "hint": link_hint(url, pages)}))
    return found


def _from_root(url: str, image: bool) -> str:
    """How a relative address is probably meant, from the site's root: 'peta.png' and
    '../files/peta.png' -> '/files/peta.png', 'layanan/ktp-el/' -> '/layanan/ktp-el/'."""
    path = url
    while path.startswith(("./", "../")):
        path = path.split("/", 1)[1]
    if path.startswith("files/") or (not image and "/" in path.rstrip("/")):
        return "/" + path
    return "/files/" + path.rpartition("/")[2] if image or "." in path else "/" + path


def link_hint(href: str, known: list[str]) -> Any:
    """The page a broken link probably meant: a close name in the same folder (`/layanan/ktp-el-bru/`
    -> `/layanan/ktp-el-baru/`). Whole paths are compared only as a last resort and strictly, since
    every service shares `/layanan/` and would look alike."""
    path = href.split("#", 1)[0].split("?", 1)[0]
    folder, _, name = path.rstrip("/").rpartition("/")
    siblings = {page.rstrip("/").rpartition("/")[2]: page for page in known
                if page.rstrip("/").rpartition("/")[0] == folder}
    close = difflib.get_close_matches(name, list(siblings), n=1, cutoff=0.75)
    longer = sorted((len(other), other) for other in siblings if name and other.startswith(name + "-"))
    if close or longer:  # a typo, or the start of a longer name (`/layanan/skck/` for `skck-baru`)
        return Msg("did_you_mean", (("name", siblings[close[0] if close else longer[0][1]]),))
    return hint(path, known, cutoff=0.9)
