"""Locale formatting with Babel: numbers, rupiah, dates, durations with correct plurals."""

from __future__ import annotations

import datetime
from decimal import Decimal
from functools import cache, lru_cache

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal


@cache
def _locale(lang: str) -> Locale:
    return Locale.parse(lang)


@lru_cache(maxsize=8192)  # the same few numbers (fees, durations, scores) on thousands of pages
def number(value: float | Decimal | int, lang: str, decimals: int = 0) -> str:
    """4,62 / 4.62; 187.450 / 187,450."""
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


@lru_cache(maxsize=4096)
def date(value: datetime.date, lang: str) -> str:
    """21 Januari 2025 / 21 January 2025."""
    return format_date(value, format="d MMMM y", locale=_locale(lang))


def plural_form(count: int, lang: str) -> str:
    """CLDR plural category of `count` in `lang`: 'one', 'other', ..."""
    return _locale(lang).plural_form(count)


def load(lang: str) -> None:
    """Read the locale's data now (10 ms a language, on first use otherwise): a build does it
    while it has nothing else to do (see catalog_cache.CatalogCache.idle)."""
    number(1000, lang)
    plural_form(1, lang)
