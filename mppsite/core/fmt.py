"""Locale formatting with Babel: numbers, rupiah, dates, plurals.

Each result is kept by value and language: pages format the same few numbers and dates again,
and Babel takes tens of microseconds a call.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from functools import cache
from typing import Any

_KNOWN: dict[str, str] = {}  # what was formatted, by a key of what and how


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
