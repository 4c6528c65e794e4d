"""Locale formatting with Babel: numbers, rupiah, dates, plurals.

Each result is kept by its arguments: pages format the same few numbers and dates again, and
Babel takes tens of microseconds a call.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable
from decimal import Decimal
from typing import Any


@functools.cache
def _locale(lang: str) -> Any:
    from babel import Locale

    return Locale.parse(lang)


def _remembered(make: Callable[..., str]) -> Callable[..., str]:
    """`make`, its results kept by the repr of its arguments (so 1, 1.0 and True stay apart)."""
    known: dict[str, str] = {}

    @functools.wraps(make)
    def remembered(*args: Any) -> str:
        key = repr(args)
        found = known.get(key)
        if found is None:
            found = known[key] = make(*args)
        return found
    return remembered


@_remembered
def number(value: float | Decimal | int, lang: str, decimals: int = 0) -> str:
    """4,62 / 4.62; 187.450 / 187,450."""
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


@_remembered
def date(value: datetime.date, lang: str) -> str:
    """21 Januari 2025 / 21 January 2025."""
    from babel.dates import format_date

    return format_date(value, format="d MMMM y", locale=_locale(lang))


@_remembered
def time_of_day(value: str, lang: str) -> str:
    """A clock time written "HH:MM" as the language writes it: 08.00 / 08:00 (CLDR's separator)."""
    separator = _locale(lang).number_symbols.get("latn", {}).get("timeSeparator", ":")
    return value.replace(":", separator)


def month_names(lang: str) -> tuple[str, ...]:
    """January … December in `lang`, for the page's script ("Buka lagi Rabu, 25 Maret")."""
    wide = _locale(lang).months["format"]["wide"]
    return tuple(wide[month] for month in range(1, 13))


@_remembered
def plural_form(count: int, lang: str) -> str:
    """CLDR plural category of `count` in `lang`: 'one', 'other', ..."""
    return _locale(lang).plural_form(count)


@_remembered
def likely_subtags(code: str) -> str:
    """CLDR's likely subtags of a language code: id -> id_Latn_ID."""
    from babel.core import get_global

    return get_global("likely_subtags").get(code, code)
