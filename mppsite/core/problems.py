"""Problems found in content, with the file, line and column staff need to fix them.

Every step adds to one `Problems` list instead of raising, so one run reports everything.
The words of each message live in `data/messages.yaml`, in Indonesian and English.
"""

from __future__ import annotations

import datetime
import difflib
import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

import yaml

ERROR = "error"
WARNING = "warning"
NOTE = "note"  # for information only: never fails a check, not even --strict

# Warnings about what must not be published: a pull request with one fails its check
# (`check --strict=publish`), and each is printed as "warning (fix before merging)". The others
# (a missing translation, a service not yet reviewed) may wait.
PUBLISH_BLOCKING = frozenset({
    "markdown_http_link", "markdown_external_image",  # unencrypted, or tells another site who reads
    "broken_link", "link_file_missing", "link_relative", "link_scheme_unsupported",  # lead nowhere
    "image_without_alt", "image_missing", "image_not_an_image", "image_relative",  # left out of the page
    "markdown_tag_left_out",  # so is an embedded video or map, or a form
})

_MESSAGES_FILE = Path(__file__).resolve().parents[2] / "data" / "messages.yaml"


@cache
def messages() -> dict[str, dict[str, str]]:
    """The message catalogue, read once."""
    with open(_MESSAGES_FILE, encoding="utf-8") as stream:
        return yaml.load(stream, Loader=yaml.CSafeLoader)


class Msg(NamedTuple):
    """A message used as a parameter of another (a reason, a kind), worded in the same language."""

    key: str
    params: tuple[tuple[str, Any], ...] = ()


def say(key: str, lang: str, /, **params: Any) -> str:
    """One message from the catalogue in `lang` (English when that language has no entry)."""
    entry = messages()[key]
    template = entry.get(lang) or entry["en"]
    words = {name: say(value.key, lang, **dict(value.params)) if isinstance(value, Msg)
             else one_line(value) if isinstance(value, str) else value for name, value in params.items()}
    return template.format(**words)


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth a look) in one place of one file."""

    file: str  # relative to the project, with forward slashes
    line: int  # 1-based; 0 when the problem concerns the whole file
    column: int  # 1-based
    field: str  # e.g. "services[0].requirements"; "" for the whole file
    key: str  # message key in data/messages.yaml
    params: tuple[tuple[str, Any], ...] = ()
    severity: str = ERROR

    def message(self, lang: str = "en") -> str:
        return say(self.key, lang, **dict(self.params))

    @property
    def blocks_publishing(self) -> bool:
        """A warning about something that must not be published (see PUBLISH_BLOCKING)."""
        return self.severity == WARNING and self.key in PUBLISH_BLOCKING

    def format(self, lang: str = "en") -> str:
        where = f"{one_line(self.file)}:{self.line}:{self.column}" if self.line else one_line(self.file)
        label = "" if self.severity == ERROR else say(
            "warning_blocking_label" if self.blocks_publishing else f"{self.severity}_label", lang) + ": "
        field_part = f"{one_line(self.field)}: " if self.field else ""
        return f"{where}: {label}{field_part}{self.message(lang)}"

    def sort_key(self) -> tuple[str, int, int, str, str, str]:
        """By place, then by what it says: the same input always lists its problems in one order."""
        return (self.file, self.line, self.column, self.key, self.field, repr(self.params))


@dataclass
class Problems:
    """Everything found so far; errors stop the build, warnings only inform."""

    items: list[Problem] = field(default_factory=list)

    def add(self, file: str, line: int, column: int, fld: str, msg: str,
            severity: str = ERROR, **params: Any) -> None:
        """Record message `msg` (a key of data/messages.yaml) with its parameters."""
        shown = tuple((name, _printable(value)) for name, value in params.items())
        self.items.append(Problem(file, line, column, _printable(fld), msg, shown, severity))

    def extend(self, other: Problems) -> None:
        self.items.extend(other.items)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == WARNING]

    def sorted(self) -> list[Problem]:
        return sorted(set(self.items), key=Problem.sort_key)

    def count(self) -> int:
        """How many `sorted` lists."""
        return len(set(self.items))


MAX_SHOWN = 80


def one_line(text: str) -> str:
    """`text` with what is not printable escaped (\\n, \\x1b): a value from content can neither
    start a line of its own (GitHub reads "::" there as a command) nor steer the terminal."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _printable(value: Any) -> Any:
    """A value as it may appear inside a one-line message: short, no control characters."""
    if isinstance(value, (Msg, int, float)) and not isinstance(value, bool):
        return value
    text = str(value)
    if len(text) > MAX_SHOWN:
        text = text[: MAX_SHOWN - 1] + "…"
    return one_line(text)


_PLAIN_KEY = re.compile(r"[\w-]+")


def field_path(loc: tuple[str | int, ...]) -> str:
    """('services', 0, 'fee') -> 'services[0].fee', as staff see it in the file; a key of
    spaces, dots or other marks in quotes (`" "`), so that it cannot be taken for the path's own."""
    text = ""
    for step in loc:
        if isinstance(step, int):
            text += f"[{step}]"
            continue
        key = str(step) if _PLAIN_KEY.fullmatch(str(step)) else json.dumps(str(step), ensure_ascii=False)
        text += f".{key}" if text else key
    return text


def describe(value: Any) -> Msg:
    """What a value written in YAML is, in words ("text", "a list", "a date with a time")."""
    if value is None:
        return Msg("what_nothing")
    for kind, key in ((bool, "what_bool"), (int, "what_whole_number"), (float, "what_number"),
                      (str, "what_text"), (list, "what_list"), (dict, "what_mapping"),
                      (datetime.datetime, "what_date_time")):
        if isinstance(value, kind):
            return Msg(key)
    return Msg("what_date")


def hint(value: Any, choices: list[str], cutoff: float = 0.6) -> Msg | str:
    """" (did you mean 'x'?)" for a name close to one of `choices`, else nothing."""
    close = difflib.get_close_matches(str(value), choices, n=1, cutoff=cutoff)
    return Msg("did_you_mean", (("name", close[0]),)) if close else ""


class ContentError(Exception):
    """Raised once, after loading and validation, when the content has errors."""

    def __init__(self, problems: Problems):
        super().__init__(f"{len(problems.errors)} problem(s) in the content")
        self.problems = problems
