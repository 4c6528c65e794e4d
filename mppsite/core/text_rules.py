"""Characters no content may hold, found where staff can fix them.

Control characters never belong in a citizen's page: a NUL or an ESC, written in YAML as
`"\\x00"` or pasted from another program, reaches the HTML, the CSV and the JSON-LD as it is, and
a bidirectional override (U+202E) makes a name read backwards. Tab and newline are fine; so are
the invisible marks that shape text (U+200E, U+200F). Lone surrogates (`"\\ud800"` in YAML) are
not text at all: no file could be written with them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Any

from mppsite.core.problems import Problems

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
    """Report the forbidden characters in the values and keys of a parsed YAML file (written as
    escapes such as `"\\x1b"`, or pasted). Looked for only when the text could hold one: a
    backslash (an escape) or such a character itself. YAML's reader refuses the ASCII ones as
    they are written, so only text beyond ASCII is searched (the overrides get through it)."""
    text = source.yaml_text
    if "\\" not in text and (text.isascii() or not FORBIDDEN.search(text)):
        return
    for number, (where, value) in enumerate(_strings(source.data, ())):
        if number == MAX_REPORTED:
            break
        line, column = source.position(where)
        found = FORBIDDEN.search(value)
        assert found is not None
        problems.add(source.rel, line, column, _field(where), "text_control_character",
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


def _field(where: tuple[str | int, ...]) -> str:
    out = ""
    for step in where:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out
