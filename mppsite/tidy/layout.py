"""Blank lines in the canonical form, set on the written text (ruamel keeps a blank line with the
key above it, so reordering keys would carry blank lines into the middle of a service):

- no blank line between two lines of data;
- one blank line before each top-level entry (and the comments just above it), but the first;
- in a catalog, one blank line between the services;
- a blank line next to a comment is kept (one, not more): it separates the comment's paragraphs;
- lines inside a block scalar (`|`, `>-`) are the value itself: kept as they are.
"""

from __future__ import annotations

import re

_BLOCK_HEADER = re.compile(r"(?:^|[\s:-])[|>][1-9]?[-+]?[1-9]?$")
_TOP_ENTRY = re.compile(r"[^\s#]")  # a line at column 0 that is data, not a comment
_SERVICE_ITEM = re.compile(r"  - ")  # an item of the catalog's top-level `services` list


def _is_comment(line: str) -> bool:
    return line.lstrip().startswith("#")


def _kinds(lines: list[str]) -> list[str]:
    """Each line's kind: 'block' (inside a block scalar), 'blank', 'comment' or 'data'."""
    kinds, block_indent = [], None
    for line in lines:
        indent = len(line) - len(line.lstrip(" "))
        if block_indent is not None and (not line.strip() or indent > block_indent):
            kinds.append("block")
            continue
        block_indent = None
        if not line.strip():
            kinds.append("blank")
        elif _is_comment(line):
            kinds.append("comment")
        else:
            kinds.append("data")
            if _BLOCK_HEADER.search(line.split(" #", 1)[0].rstrip()):
                block_indent = indent
    return _trailing_blanks_out_of_blocks(lines, kinds)


def _trailing_blanks_out_of_blocks(lines: list[str], kinds: list[str]) -> list[str]:
    """Blank lines at the end of a block scalar belong to the layout (with `-` chomping they are
    no part of the value; ruamel writes `|+` values' own ones as lines with their indentation)."""
    for index in range(len(lines) - 1, -1, -1):
        if kinds[index] == "block" and not lines[index] and (
                index + 1 == len(lines) or kinds[index + 1] != "block"):
            kinds[index] = "blank"
    return kinds


def tidy_lines(text: str, catalog: bool = False, entries: bool = True, top_list: bool = False) -> str:
    """`text` with the canonical blank lines (see the module's docstring); `entries` False for
    a Markdown file's front matter: no blank line between its keys. `top_list`: the document is
    a list, which ruamel indents like a nested one; its items are moved to column 0 (comments
    stay where they were written)."""
    lines = text.rstrip("\n").split("\n")
    kinds = _kinds(lines)
    if top_list:
        lines = [line[2:] if kind in ("data", "block") and line.startswith("  ") else line
                 for line, kind in zip(lines, kinds, strict=True)]
    kept: list[tuple[str, str]] = []
    for index, (line, kind) in enumerate(zip(lines, kinds, strict=True)):
        if kind == "blank":
            before = kept[-1][1] if kept else None
            after = next((k for k in kinds[index + 1:] if k != "blank"), None)
            if before in (None, "blank") or after is None or "comment" not in (before, after):
                continue
        kept.append((line, kind))
    return "\n".join(_with_separators(kept, catalog) if entries else [line for line, _ in kept]) + "\n"


def _with_separators(kept: list[tuple[str, str]], catalog: bool) -> list[str]:
    """The lines with one blank line before each top-level entry and each service."""
    out: list[str] = []
    in_services, first_service, seen_data = False, False, False
    for line, kind in kept:
        if kind == "data" and _TOP_ENTRY.match(line):
            in_services = first_service = catalog and line.startswith("services:")
            if seen_data:
                _blank_before_comments(out)
        elif kind == "data" and in_services and _SERVICE_ITEM.match(line):
            if not first_service:
                _blank_before_comments(out)
            first_service = False
        seen_data = seen_data or kind == "data"
        out.append(line)
    return out


def _blank_before_comments(out: list[str]) -> None:
    """A blank line above the comment lines at the end of `out` (or at its end), once."""
    at = len(out)
    while at and _is_comment(out[at - 1]) and out[at - 1].strip():
        at -= 1
    if at and out[at - 1].strip():
        out.insert(at, "")
