"""Characters no content may hold, found where staff can fix them.

A NUL or an ESC (written `"\\x00"` in YAML, or pasted) would reach the HTML, CSV and JSON-LD as it
is; a bidirectional override (U+202E) makes a name read backwards; a lone surrogate is no text a
file could hold. Tab, newline and the marks that shape text (U+200E, U+200F) are fine.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Any

from mppsite.core.problems import Problems, field_path

FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
# In a file's name, tab and newline too: a name is one line.
FORBIDDEN_IN_NAMES = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
MAX_REPORTED = 5  # a file full of them is reported by its first few


def describe(char: str) -> str:
    """`U+202E RIGHT-TO-LEFT OVERRIDE`: what staff can look up or search for."""
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X} {name}".strip()


def check_body(rel: str, body: str, first_line: int, problems: Problems) -> None:
    """Report the forbidden characters of a Markdown body that starts at line `first_line`."""
    for number, match in enumerate(FORBIDDEN.finditer(body)):
        if number == MAX_REPORTED:
            break
        before = body[: match.start()]
        line = first_line + before.count("\n")
        column = match.start() - (before.rfind("\n") + 1) + 1
        problems.add(rel, line, column, "", "text_control_character", code=describe(match.group()))


def check_data(source: Any, problems: Problems) -> None:
    """Report the forbidden characters in the values and keys of a parsed YAML file. Only text
    with a backslash (an escape) or such a character can hold one (YAML's reader refuses the
    ASCII ones as written, so only text beyond ASCII is searched)."""
    text = source.yaml_text
    if "\\" not in text and (text.isascii() or not FORBIDDEN.search(text)):
        return
    for number, (where, value) in enumerate(_strings(source.data, ())):
        if number == MAX_REPORTED:
            break
        line, column = source.position(where)
        found = FORBIDDEN.search(value)
        assert found is not None
        problems.add(source.rel, line, column, field_path(where), "text_control_character",
                     code=describe(found.group()))


def _strings(value: Any, where: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Each string holding a forbidden character, keys included (at their mapping's place)."""
    if isinstance(value, str):
        if FORBIDDEN.search(value):
            yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and FORBIDDEN.search(key):
                yield where, key
            yield from _strings(item, (*where, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*where, index))
