"""The YAML slips staff make most, told in words that say what to do.

libyaml reports where it got lost ("mapping values are not allowed here"), which is rarely where
the slip is nor what to change. These functions look at the lines around that place and name the
slip: a colon and space inside unquoted text, a Tab in the indentation, a list item out of line,
a comma inside `{…}` cutting a Text apart, a line break the editor does not show. Each returns
None when the slip is not the one found, so that the general message is kept.
"""

from __future__ import annotations

import re
from typing import Any

from mppsite.core.text_rules import describe

Found = tuple[int, int, str, dict[str, Any]]  # 1-based line, column, message key, params

SHOWN = 60  # longest piece of staff text shown inside a suggestion; the rest is cut with "…"
_ITEM = re.compile(r"^( *)-(?: |$)")
_OPENING_KEY = re.compile(r"^( *)(?:- +)?([^\s#'\"{\[-][^:#]*?): *(?:#.*)?$")  # `key:` and nothing after
# Line breaks to YAML that editors show inside a line (or not at all), pasted with copied text.
HIDDEN_BREAK = re.compile("[\x85\u2028\u2029]")
_KEY_BEFORE = re.compile(r"(?:^|[\s{,])([^\s{},:#'\"-][^{},:#]*?): +(?=\S)")  # `key: ` before a value


def cut(text: str, limit: int = SHOWN) -> str:
    """`text`, its middle left out when longer than `limit`."""
    if len(text) <= limit:
        return text
    half = (limit - 1) // 2
    return text[:half].rstrip() + "…" + text[-half:].lstrip()


def quoted(text: str) -> str:
    """`text` as a YAML double-quoted scalar."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def tab_indented(lines: list[str], upto: int) -> int | None:
    """0-based index of the last line up to `upto` whose indentation holds a Tab."""
    for index in range(min(upto, len(lines) - 1), -1, -1):
        line = lines[index]
        if "\t" in line[: len(line) - len(line.lstrip(" \t"))]:
            return index
    return None


def hidden_break(lines: list[str], line: int, column: int) -> Found | None:
    """A hidden line break before the place libyaml got lost ((0-based) `line`, `column`), on
    that line or the one above: YAML ended the line there, and what followed fell out of place."""
    for index in (line, line - 1):
        text = lines[index] if 0 <= index < len(lines) else ""
        for found in HIDDEN_BREAK.finditer(text, 0, column if index == line else len(text)):
            # One at a line's start or end leaves a blank line, which YAML does not mind.
            if text[: found.start()].strip() and text[found.end():].strip():
                return index + 1, found.start() + 1, "yaml_hidden_break", {"code": describe(found.group())}
    return None


def colon_in_text(line: str, column: int, in_flow: bool) -> tuple[int, dict[str, Any]] | None:
    """(0-based column of the value, params) when the ':' at `column` of `line` is inside text
    written after `key: ` on the same line: the text needs quotes."""
    if not line[column:].startswith(":"):
        return None
    before = list(_KEY_BEFORE.finditer(line[:column]))
    if not before:
        return None
    key, start = before[-1].group(1).strip(), before[-1].end()
    rest = line[start:]
    if in_flow:
        end = re.search(r"[,}]", rest[column - start:])
        value = rest[: column - start + end.start()] if end else rest
    else:
        value = re.split(r" #", rest, maxsplit=1)[0]
    value = value.strip()
    if not value or value[0] in "'\"":
        return None
    return start, {"quoted": f"{key}: {quoted(cut(value))}"}


def _content_lines(lines: list[str], before: int) -> list[int]:
    """0-based indexes of the lines before `before` that hold more than blanks or a comment,
    nearest first."""
    return [i for i in range(min(before, len(lines)) - 1, -1, -1)
            if lines[i].strip() and not lines[i].lstrip().startswith("#")]


def _parent_key(lines: list[str], index: int, column: int) -> tuple[int, str] | None:
    """(0-based line, name) of the `key:` above line `index` whose list has its '-' at `column`
    (items may stand at their key's own column)."""
    for i in _content_lines(lines, index):
        indent = len(lines[i]) - len(lines[i].lstrip(" "))
        if indent < column or (indent == column and not _ITEM.match(lines[i])):
            match = _OPENING_KEY.match(lines[i])
            return (i, match.group(2).strip()) if match else None
    return None


def list_item_out_of_line(lines: list[str], line: int) -> Found | None:
    """A list item libyaml could not place, found at 0-based `line` or on the line before it:
    what it should line up with, and under which key, when that can be told."""
    if line < len(lines) and _ITEM.match(lines[line]):
        index = line
    else:  # an item followed by `key: value` lines indented further, which libyaml trips over
        above = _content_lines(lines, line)[:1]
        if not above or not _ITEM.match(lines[above[0]]) or line >= len(lines):
            return None
        index = above[0]
        if len(lines[line]) - len(lines[line].lstrip(" ")) <= len(_ITEM.match(lines[index]).group(1)):
            return None
    column = len(_ITEM.match(lines[index]).group(1))
    above = _content_lines(lines, index)[:1]
    if above and (item := _ITEM.match(lines[above[0]])) and len(item.group(1)) != column:
        sibling = len(item.group(1))
        # The item above may be the one out of place, left of its key; this one then is right.
        left = _left_of_key(lines, above[0], sibling)
        if left is not None:
            return left
        parent = _parent_key(lines, above[0], sibling)
        if parent is not None:
            return index + 1, column + 1, "yaml_item_align", {
                "above": above[0] + 1, "to_column": sibling + 1, "key": cut(parent[1])}
    elif (left := _left_of_key(lines, index, column)) is not None:
        return left
    return (index + 1, column + 1, "yaml_item_misplaced", {}) if index == line else None


def _left_of_key(lines: list[str], index: int, column: int) -> Found | None:
    """The message for the item on line `index` (its '-' at `column`) when it follows `key:` but
    stands left of it, so that YAML does not give it to that key."""
    above = _content_lines(lines, index)[:1]
    opening = _OPENING_KEY.match(lines[above[0]]) if above else None
    if opening is None:
        return None
    key_column = lines[above[0]].index(opening.group(2), len(opening.group(1)))
    if column >= key_column:
        return None
    return index + 1, column + 1, "yaml_item_under_key", {
        "above": above[0] + 1, "to_column": key_column + 3, "key": cut(opening.group(2).strip())}


def comma_split(value: dict, languages: tuple[str, ...]) -> dict[str, Any] | None:
    """Params of the message `text_comma` when a comma inside `{…}` cut a Text apart.

    `{id: KTP-el, kartu keluarga, en: ...}` is read as the keys `kartu keluarga` (with no value)
    after `id`: the words after each comma become keys. The suggestion joins them back to the
    language they follow and puts that text in quotes."""
    fixed: dict[str, str] = {}
    strays: list[str] = []
    current: str | None = None
    for key, words in value.items():
        if key in languages and isinstance(words, str):
            current, fixed[key] = key, words
        elif words is None and current is not None and key not in languages:
            fixed[current] += f", {key}"
            strays.append(str(key))
        else:
            return None  # another slip (an unknown language, a misplaced value): not this one
    if not strays:
        return None
    split = {lang for lang, words in fixed.items() if words != value[lang]}
    budget = max(20, (SHOWN - 4) // len(split))
    parts = [f"{lang}: {quoted(cut(words, budget)) if lang in split else quoted('…')}"
             for lang, words in fixed.items()]
    return {"stray": cut(strays[0], 30), "quoted": "{" + ", ".join(parts) + "}"}
