"""How one value is written: exactly as the form editor writes it (Sveltia CMS, which writes YAML
with the npm package `yaml` 2.9.1: `stringify(data, {indent: 2, indentSeq: true, lineWidth: 0,
defaultStringType: 'PLAIN', defaultKeyType: 'PLAIN', singleQuote: true})`), so that a file saved
from the form is already in the canonical form. This is that package's stringifyString and
stringifyNumber (dist/stringify/) in Python, for those options:

- plain wherever YAML 1.2's core schema reads the word back as the same text (`08:00`, `yes`
  are plain; `'1'`, `'true'`, `'null'`, `''` are quoted). The one place fmt writes otherwise:
  a text that the build's loader would read as a date (`'2025-01-01'` as a whole text) is
  quoted, so that fmt never changes what the build reads (the editor writes it plain, and the
  build then reads a date where a text belongs, which check reports); and so are texts with
  characters YAML readers take for line breaks or the build refuses (_UNSAFE), or of nothing
  but spaces and line breaks (_BLANK_WITH_SPACES);
- single quotes where it needs quotes (`': '`, a leading `@`, `- `, ` #`...), double quotes
  when the text holds a single quote and no double one, or control characters;
- never folded (lineWidth 0): one line however long;
- text with line breaks as a literal block (`|-`, `|`, `|+`, with an indentation indicator when
  it starts with a space), quoted when it ends in a line of spaces.

`indent` is the column, as spaces, of the lines after the first (a block's body): the column of
the value's key, or of its list item's dash, plus 2 (tests/tidy/test_fmt_editor.py compares
the two writers byte for byte)."""

from __future__ import annotations

import datetime
import json
import math
import re
from typing import Any

from mppsite.load.source import Loader

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_NOT_PLAIN = re.compile(r"\A[\n\t ,\[\]{}#&*!|>'\"%@`]|\A[?-]\Z|\A[?-][ \t]|[\n:][ \t]|[ \t]\n"
                        r"|[\n\t ]#|[\n\t :]\Z")
_CORE_TYPES = re.compile(  # YAML 1.2 core schema's null, bool, int and float (not str)
    r"(?:~|[Nn]ull|NULL)?|[Tt]rue|TRUE|[Ff]alse|FALSE|0o[0-7]+|[-+]?[0-9]+|0x[0-9a-fA-F]+"
    r"|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+"
    r"|[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)")
# Characters the editor writes as they are, but that YAML readers take as line breaks (U+0085,
# U+2028, U+2029) or that the build's loader refuses (U+007F-U+009F, U+FEFF, Tab): fmt writes them
# escaped, in double quotes, so that the text reads back as it was.
_UNSAFE = re.compile("[\t\x7f-\x9f\u2028\u2029\ufeff]")  # (a Tab too: the loader refuses it at a
# line's start, ruamel in a plain word; in double quotes it is `\t`)
_UNSAFE_ESCAPES = {"\x85": "\\N", "\u2028": "\\L", "\u2029": "\\P", "\ufeff": "\\uFEFF"}
# Only line breaks and spaces, with a space or tab (` \n`): the editor writes a block whose
# spaces a reader drops; fmt writes it in quotes (one more difference, for the same reason).
_BLANK_WITH_SPACES = re.compile(r"[\n]*[ \t][\n \t]*")
_BLOCK_END_NEWLINES = re.compile(r"(?:\A|(?<!\n))\n+(?!\n|\Z)")
_ESCAPES = {"0000": "\\0", "0007": "\\a", "000b": "\\v", "001b": "\\e", "0085": "\\N",
            "00a0": "\\_", "2028": "\\L", "2029": "\\P"}
DOUBLE_QUOTED_MIN_MULTI_LINE = 40  # `yaml`'s doubleQuotedMinMultiLineLength


def written(value: Any, indent: str) -> str:
    """`value` (a scalar as the build's loader reads it) as the form editor writes it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _number(value)
    if isinstance(value, datetime.date):
        return value.isoformat()  # the form's date fields: YYYY-MM-DD strings, written plain
    return _string(str(value), indent)


def _number(value: float) -> str:
    """A float as JavaScript writes it (the form holds it as a JS number: 2.0 is 2)."""
    if math.isnan(value):
        return ".nan"
    if math.isinf(value):
        return ".inf" if value > 0 else "-.inf"
    if value.is_integer() and abs(value) < 1e21:
        return str(int(value))
    text = repr(value)
    if "e" in text:
        mantissa, exponent = text.split("e")
        sign = "-" if exponent.startswith("-") else "+"
        text = f"{mantissa}e{sign}{int(exponent.lstrip('+-'))}"
    return text


def _string(value: str, indent: str) -> str:
    if _CONTROL.search(value) or _UNSAFE.search(value):
        return _double_quoted(value, indent)
    if _NOT_PLAIN.search(value):
        return _block(value, indent) if "\n" in value else _quoted(value, indent)
    if "\n" in value:
        return _block(value, indent)
    if _CORE_TYPES.fullmatch(value) or _read_as_date(value):
        return _quoted(value, indent)
    return value


def _read_as_date(value: str) -> bool:
    """Whether the build's loader (load/source.py: YAML 1.2 and dates) reads the plain word as
    something else than this text: a date or a time stamp."""
    return any(pattern.match(value) for _, pattern in Loader.yaml_implicit_resolvers.get(value[:1], []))


def _quoted(value: str, indent: str) -> str:
    """Single quotes, but double ones for a text with a single quote and no double one."""
    if "'" in value and '"' not in value:
        return _double_quoted(value, indent)
    return _single_quoted(value, indent)


def _single_quoted(value: str, indent: str) -> str:
    if re.search(r"[ \t]\n|\n[ \t]", value):
        return _double_quoted(value, indent)
    return "'" + re.sub(r"\n+", lambda m: m.group(0) + "\n" + indent, value.replace("'", "''")) + "'"


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _double_quoted(value: str, indent: str) -> str:
    """JSON's escapes, some made YAML's (`\\e`, `\\x85`...), line breaks written as lines."""
    text = json.dumps(value, ensure_ascii=False)
    multi_line = _utf16_length(text) >= DOUBLE_QUOTED_MIN_MULTI_LINE
    out, start, i = [], 0, 0
    while i < len(text):
        char = text[i]
        if char == " " and text[i + 1:i + 3] == "\\n":
            out.append(text[start:i] + "\\ ")
            i += 1
            start = i
            char = "\\"
        if char == "\\":
            following = text[i + 1:i + 2]
            if following == "u":
                out.append(text[start:i])
                code = text[i + 2:i + 6]
                short = "\\x" + code[2:] if code.startswith("00") else text[i:i + 6]
                out.append(_ESCAPES.get(code) or short)
                i += 5
                start = i + 1
            elif following == "n" and multi_line and text[i + 2:i + 3] != '"':
                out.append(text[start:i] + "\n\n")
                while text[i + 2:i + 4] == "\\n" and text[i + 4:i + 5] != '"':
                    out.append("\n")
                    i += 2
                out.append(indent)
                if text[i + 2:i + 3] == " ":
                    out.append("\\")
                i += 1
                start = i + 1
            else:
                i += 1
        i += 1
    done = "".join(out) + text[start:] if start else text
    return _UNSAFE.sub(lambda m: _UNSAFE_ESCAPES.get(m.group(), f"\\x{ord(m.group()):02x}"), done)


def _block(value: str, indent: str) -> str:
    """A literal block: chomping from the line breaks at the end, an indentation indicator when
    the first line starts with a space."""
    if re.search(r"\n[\t ]+\Z", value) or _BLANK_WITH_SPACES.fullmatch(value):
        return _quoted(value, indent)
    end_start = len(value)
    while end_start > 0 and value[end_start - 1] in "\n\t ":
        end_start -= 1
    end = value[end_start:]
    newline_at = end.find("\n")
    if newline_at == -1:
        chomp = "-"
    elif value == end or newline_at != len(end) - 1:
        chomp = "+"
    else:
        chomp = ""
    if end:
        value = value[:-len(end)]
        if end.endswith("\n"):
            end = end[:-1]
        end = _BLOCK_END_NEWLINES.sub(lambda m: m.group(0) + indent, end)
    starts_with_space, start_end, newline_at = False, 0, -1
    while start_end < len(value):
        char = value[start_end]
        if char == " ":
            starts_with_space = True
        elif char == "\n":
            newline_at = start_end
        else:
            break
        start_end += 1
    start = value[:newline_at + 1 if newline_at < start_end else start_end]
    if start:
        value = value[len(start):]
        start = re.sub(r"\n+", lambda m: m.group(0) + indent, start)
    header = ("2" if starts_with_space else "") + chomp
    body = re.sub(r"\n+", lambda m: m.group(0) + indent, value)
    return f"|{header}\n{indent}{start}{body}{end}"
