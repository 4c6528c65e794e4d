"""Locale formatting with Babel: numbers, rupiah, dates, durations with correct plurals.

Reading a language's data from Babel takes 10 ms, and importing Babel 10 ms more, in every
process that formats something: what was formatted is kept for the next builds (`remember`,
`keep`), so that a rebuild formatting the numbers and dates it formatted before (nearly always)
reads neither. The key is the value as written and the language; mppsite's code digest, which
covers Babel's version, decides whether what is kept may be used.
"""

from __future__ import annotations

import datetime
import itertools
import marshal
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from . import sealed
from .fingerprint import keep_file

_KNOWN: dict[str, str] = {}  # what was formatted, by a key of what and how (see `number`, `date`)
_KEPT: dict[str, Any] = {"path": None, "read": 0}  # where `remember` read it, and how many it read


@cache
def _locale(lang: str) -> Any:
    from babel import Locale

    return Locale.parse(lang)


def _formatted(key: str, make: Any, *args: Any) -> str:
    found = _KNOWN.get(key)
    if found is None:
        found = _KNOWN[key] = make(*args)
    return found


def number(value: float | Decimal | int, lang: str, decimals: int = 0) -> str:
    """4,62 / 4.62; 187.450 / 187,450."""
    key = f"n\0{type(value).__name__}\0{value}\0{lang}\0{decimals}"
    return _formatted(key, _number, value, lang, decimals)


def _number(value: float | Decimal | int, lang: str, decimals: int) -> str:
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(Decimal(str(value)), format=pattern, locale=_locale(lang))


def signed(value: Decimal, lang: str, decimals: int = 2) -> str:
    """A change with its sign: +0,34 / -1.27 (a true minus sign for screen readers and print)."""
    text = number(abs(value), lang, decimals)
    if value > 0:
        return "+" + text
    if value < 0:
        return "\u2212" + text
    return "\u00b1" + text


def rupiah(value: int, lang: str) -> str:
    """Rp30.000 / Rp30,000."""
    return "Rp" + number(value, lang)


def date(value: datetime.date, lang: str) -> str:
    """21 Januari 2025 / 21 January 2025."""
    return _formatted(f"d\0{value.isoformat()}\0{lang}", _date, value, lang)


def _date(value: datetime.date, lang: str) -> str:
    from babel.dates import format_date

    return format_date(value, format="d MMMM y", locale=_locale(lang))


def plural_form(count: int, lang: str) -> str:
    """CLDR plural category of `count` in `lang`: 'one', 'other', ..."""
    return _formatted(f"p\0{count}\0{lang}", lambda: _locale(lang).plural_form(count))


def likely_subtags(code: str) -> str:
    """CLDR's likely subtags of a language code: id -> id_Latn_ID."""
    def read() -> str:
        from babel.core import get_global

        return get_global("likely_subtags").get(code, code)
    return _formatted(f"s\0{code}", read)


def ready(languages: tuple[str, ...]) -> None:
    """When nothing formatted was kept (a first build): import Babel and read the languages'
    data now (none given: only import), while the catalogs are checked. The build's process
    renders the first page of each template before it forks the rendering workers, with the
    other CPU idle: reading them there took 15 ms."""
    if _KEPT["read"]:
        return
    from babel import dates, numbers  # noqa: F401

    for lang in languages:
        likely_subtags(lang)
        _locale(lang).number_symbols  # noqa: B018  (reads the language's data)


def formatted_since(count: int) -> dict[str, str]:
    """What was formatted after the first `count` (len(_KNOWN) then): a rendering worker sends it
    to the build's process, which keeps it (`keep`). Without it, what only workers formatted (the
    second language's home page, say) was formatted anew in every build, Babel imported for it."""
    return dict(itertools.islice(_KNOWN.items(), count, None))


def learn(found: dict[str, str]) -> None:
    """Take what another process formatted (see `formatted_since`)."""
    _KNOWN.update(found)


def known_count() -> int:
    return len(_KNOWN)


def remember(path: Path, code: str) -> None:
    """Take what the last builds formatted, kept at `path` by code digest `code` (once a process)."""
    if _KEPT["path"] == path:
        return
    _KEPT["path"], _KEPT["read"] = path, 0
    try:
        payload = sealed.read(path)
        found = marshal.loads(payload) if payload is not None else None
        if isinstance(found, dict) and found.get("code") == code and isinstance(found.get("known"), dict):
            _KNOWN.update(found["known"])
            _KEPT["read"] = len(found["known"])
    except (OSError, EOFError, ValueError, TypeError):  # missing, unreadable: nothing kept
        pass
    _KEPT["code"] = code


def keep() -> None:
    """Keep what this process formatted for the next builds (when it formatted something new)."""
    path = _KEPT["path"]
    if path is None or len(_KNOWN) == _KEPT["read"]:
        return
    if keep_file(path, sealed.seal([marshal.dumps({"code": _KEPT["code"], "known": _KNOWN})])):
        _KEPT["read"] = len(_KNOWN)
