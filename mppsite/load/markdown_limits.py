"""What Markdown the site renders faithfully, found by a linear scan without rendering it.

Python-Markdown takes super-linear time on some inputs (Python-Markdown/markdown#798) and recurses
once per level of lists and quotes; nh3 takes time quadratic in the nesting of raw HTML. markup.py
shows a text beyond these limits as plain paragraphs, and `check` reports it as an error (and
links to http:// and images from other sites as warnings).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import cached_property
from typing import Any, NamedTuple

from mppsite.core.problems import ERROR, WARNING

DOCUMENT_LIMIT = 100_000  # characters in a document's body; a long circular is 30-60 KB
TEXT_LIMIT = 10_000  # characters in a Markdown Text field (a service's notes: a few hundred)
DEPTH_LIMIT = 16  # lists and quotes in one another, as written on one line (see _depth)
HTML_DEPTH_LIMIT = 64  # raw HTML elements in one another
BLOCK_CHARS = 16_000  # characters of text without an empty line (a paragraph, a table, a list)
BLOCK_LINES = 1_000  # lines of text without an empty line


class Finding(NamedTuple):
    """One thing found in a Markdown text; line and column are 1-based, within the text."""

    line: int
    column: int
    key: str  # message key in data/messages.yaml
    params: tuple[tuple[str, Any], ...] = ()
    severity: str = ERROR


def markdown_findings(text: str, limit: int) -> list[Finding]:
    """What `check` reports of one Markdown text allowed `limit` characters, in text order."""
    found = markdown_errors(text, limit) + _warnings(text)
    return sorted(found, key=lambda f: (f.line, f.column, f.key))


def markdown_errors(text: str, limit: int) -> list[Finding]:
    """What makes markup.py show `text` as plain paragraphs (with `limit` = DOCUMENT_LIMIT)."""
    where = _Lines(text)
    too_long = len(text) > limit
    found = [Finding(1, 1, "markdown_too_long", (("length", len(text)), ("max", limit)))] if too_long else []
    return found + _blocks(text, where) + _depth(text, where) + _html_depth(text, where)


class _Lines:
    """1-based line and column of an offset (line starts found when first needed)."""

    def __init__(self, text: str):
        self.text = text

    @cached_property
    def starts(self) -> list[int]:
        return [0, *(m.end() for m in re.finditer("\n", self.text))]

    def __call__(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1


# --- blocks: Python-Markdown's block processors test the rest of the block again at each line,
# its inline processors copy the rest of a paragraph at each match.

_BLANK_LINES = re.compile(r"(?:\n[ \t\r]*+)+\n|(?:\n[ \t\r]*+)*+\Z")


def _blocks(text: str, where: _Lines) -> list[Finding]:
    found = []
    start = 0
    while start <= len(text):
        gap = _BLANK_LINES.search(text, start)
        chars, lines = gap.start() - start, text.count("\n", start, gap.start()) + 1
        if text[start:gap.start()].strip(" \t\r\n"):
            if chars > BLOCK_CHARS:
                found.append(Finding(*where(start), "markdown_block_too_long",
                                     (("length", chars), ("max", BLOCK_CHARS))))
            elif lines > BLOCK_LINES:
                found.append(Finding(*where(start), "markdown_block_too_many_lines",
                                     (("lines", lines), ("max", BLOCK_LINES))))
        if gap.end() == len(text):
            break
        start = gap.end()
    return found


# --- nesting of lists and quotes: each level is a recursion of Python-Markdown's block parser.
# A level is a '>' or a list marker starting a line (after other markers), or four columns of
# indentation before them (a list marker takes the spaces after it); '- - -' is a rule, not a list.
# Continuation lines nest about three times deeper than any one line: at DEPTH_LIMIT some 200
# frames of Python's 1,000.

_MARKER = re.compile(r"[ \t]*+(?:>|[*+-](?=[ \t])|\d++[.)](?=[ \t]))")
_SPACE = re.compile(r"[ \t]*+")
_RULE_BACKWARDS = {c: re.compile(rf"{re.escape(c)}++(?: {{0,2}}+{re.escape(c)}++)*+") for c in "-*_"}


def _depth(text: str, where: _Lines) -> list[Finding]:
    offset = 0
    for line in text.split("\n"):
        depth, column = _line_depth(line)
        if depth > DEPTH_LIMIT:
            return [Finding(*where(offset + column), "markdown_too_deep",
                            (("depth", depth), ("max", DEPTH_LIMIT)))]
        offset += len(line) + 1
    return []


def _line_depth(line: str) -> tuple[int, int]:
    """How deep one line nests at most, and where its last counted marker starts."""
    rule = _rule_start(line)
    markers = pos = at = columns = 0
    indenting = True  # spaces before the first marker, or after a '>', indent what follows
    while markers <= DEPTH_LIMIT and (m := _MARKER.match(line, pos)):
        at = _SPACE.match(line, pos).end()
        if rule is not None and at >= rule[0]:
            if line.count(rule[1], at) >= 3:
                break
            rule = None
        if indenting:
            gap = line[pos:at]
            width = gap.count(" ") + 4 * gap.count("\t")
            columns += max(width - 1, 0) if markers else width
        indenting = line[at] == ">"
        markers, pos = markers + 1, m.end()
    return (markers + columns // 4, at) if markers else (0, 0)


def _rule_start(line: str) -> tuple[int, str] | None:
    """Where a horizontal rule ending the line starts ('- - -' after a '>' or a list marker)."""
    body = line.rstrip(" \t\r")
    if not body or body[-1] not in "-*_":
        return None
    rule = _RULE_BACKWARDS[body[-1]].match(body[::-1])
    return len(body) - rule.end(), body[-1]


# --- nesting of raw HTML: an open-element stack as html5ever keeps it, roughly. Void elements
# and those another closes (p, li, td...) do not nest; an end tag closes its element and all
# opened inside it. A name not ended by a space, '/' or '>' is no tag ('<https://...>' is a link).

_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*+)(?=[\s/>])")
_FLAT = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta",
                   "param", "source", "track", "wbr",  # void
                   "p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "colgroup", "option"})


def _html_depth(text: str, where: _Lines) -> list[Finding]:
    stack: list[str] = []
    for m in _TAG.finditer(text):
        name = m.group(2).lower()
        if name in _FLAT:
            continue
        if not m.group(1):
            stack.append(name)
            if len(stack) > HTML_DEPTH_LIMIT:
                return [Finding(*where(m.start()), "markdown_html_too_deep",
                                (("tag", name), ("max", HTML_DEPTH_LIMIT)))]
        elif name in stack:
            del stack[len(stack) - 1 - stack[::-1].index(name):]
    return []


# --- warnings: links to http:// (not encrypted), images from other sites (they can track
# visitors), and HTML tags that markup.py's sanitiser leaves out with what they show (an embedded
# video or map, a form; a script shows nothing). Code spans are not told apart.

_URL_AFTER = r"[ \t]*+(?:\n[ \t]*+)?<?[ \t]*+"
_IMAGE = re.compile(r"!\[(?:[^\[\]]++|\[[^\[\]]*+\])*+(\]\()" + _URL_AFTER + r"([^\s)>]++)")
_LINK = re.compile(r"\]\(" + _URL_AFTER + r"(http://[^\s)>]*+)", re.I)
_AUTOLINK = re.compile(r"<(http://[^<>\s]*+)>", re.I)
_RAW_LINK = re.compile(r"<a\s[^<>]*?\bhref\s*+=\s*+[\"']?\s*+(http://[^\"'\s<>]*+)", re.I)
_RAW_IMAGE = re.compile(r"<img\s[^<>]*?\bsrc\s*+=\s*+[\"']?\s*+((?:https?:)?//[^\"'\s<>]*+)", re.I)
_DEFINITION = re.compile(r"^[ ]{0,3}\[([^\[\]]*+)\]:[ \t]*+(?:\n[ \t]*+)?<?([^\s>]++)", re.M)
_IMAGE_REFERENCE = re.compile(r"!\[([^\[\]]*+)\](?:[ ]?\[([^\[\]]*+)\])?")
_EXTERNAL = re.compile(r"(?:https?:)?//", re.I)
_HTTP = re.compile(r"http://", re.I)
_LEFT_OUT_TAG = re.compile(r"<(iframe|object|embed|video|audio|canvas|svg|form|input|button|select"
                           r"|textarea)\b", re.I)


def _warnings(text: str) -> list[Finding]:
    where = _Lines(text)
    found = []

    def warn(key: str, m: re.Match[str], group: int) -> None:
        found.append(Finding(*where(m.start(group)), key, (("url", m.group(group)),), WARNING))

    images = set()
    for m in _IMAGE.finditer(text):
        images.add(m.start(1))
        if _EXTERNAL.match(m.group(2)):
            warn("markdown_external_image", m, 2)
    for m in _LINK.finditer(text):
        if m.start() not in images:
            warn("markdown_http_link", m, 1)
    for pattern, key in ((_AUTOLINK, "markdown_http_link"), (_RAW_LINK, "markdown_http_link"),
                         (_RAW_IMAGE, "markdown_external_image")):
        for m in pattern.finditer(text):
            warn(key, m, 1)
    references = {}
    for m in _DEFINITION.finditer(text):
        references.setdefault(" ".join(m.group(1).lower().split()), m.group(2))
        if _HTTP.match(m.group(2)):
            warn("markdown_http_link", m, 2)
    for m in _IMAGE_REFERENCE.finditer(text):
        url = references.get(" ".join((m.group(2) or m.group(1)).lower().split()), "")
        if _EXTERNAL.match(url):
            found.append(Finding(*where(m.start()), "markdown_external_image", (("url", url),), WARNING))
    for m in _LEFT_OUT_TAG.finditer(text):
        tag = (("tag", m.group(1).lower()),)
        found.append(Finding(*where(m.start()), "markdown_tag_left_out", tag, WARNING))
    return found
