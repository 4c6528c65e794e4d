"""The checks of the schema's own types (Text, Duration, Fee, counter labels) and of two models
(opening hours, forms), apart from the models themselves (schema.py) so that they need no
pydantic: pydantic-core alone runs them in the schema compiled with the package
(schema_compiled.py), and pydantic through the models when words for an error are needed.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from pydantic_core import PydanticCustomError

from mppsite.core.formats import DEFAULT_LANGUAGES, DURATION_UNITS

if TYPE_CHECKING:
    from pydantic_core.core_schema import ValidationInfo


def _languages(info: ValidationInfo) -> tuple[str, ...]:
    return tuple((info.context or {}).get("languages", DEFAULT_LANGUAGES))


def check_text(value: Any, info: ValidationInfo) -> dict[str, str]:
    """A Text: a plain string (default language) or a mapping keyed by language codes.

    A text that lacks a language is noted in the validation's context ("untranslated"), so that
    the audit looks for missing translations only in catalogs that have some (audit.catalog_facts).
    """
    languages = _languages(info)
    if isinstance(value, str):
        if not value.strip():
            raise PydanticCustomError("text_empty", "empty text")
        if len(languages) > 1 and info.context is not None:
            info.context["untranslated"] = True
        return {languages[0]: value}
    if isinstance(value, dict):
        if not value:
            raise PydanticCustomError("text_empty", "empty text")
        for lang, words in value.items():
            if lang not in languages:
                raise PydanticCustomError("text_language", "unknown language",
                                          {"subkey": lang, "language": lang,
                                           "languages": ", ".join(languages)})
            if not isinstance(words, str):
                raise PydanticCustomError("text_type", "expected text", {"subkey": lang})
            if not words.strip():
                raise PydanticCustomError("text_empty", "empty text", {"subkey": lang})
        if languages[0] not in value:
            raise PydanticCustomError("text_default_missing", "default language missing",
                                      {"language": languages[0]})
        if len(value) < len(languages) and info.context is not None:
            info.context["untranslated"] = True
        return dict(value)
    raise PydanticCustomError("text_type", "expected text")


DURATION_MAX = 100_000  # more than any service standard; keeps numbers within what formatting handles


def check_duration(value: Any, info: ValidationInfo) -> dict[str, Any]:
    """Jangka waktu: {value, unit} or a Text."""
    if isinstance(value, dict) and ("value" in value or "unit" in value):
        for key in value:
            if key not in ("value", "unit"):
                raise PydanticCustomError("duration_field", "unknown field", {"subkey": key, "name": key})
        amount = value.get("value")
        if amount is None:
            raise PydanticCustomError("duration_missing", "missing", {"name": "value"})
        if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0 or amount > DURATION_MAX:
            raise PydanticCustomError("duration_value", "bad value", {"subkey": "value"})
        unit = value.get("unit")
        if unit not in DURATION_UNITS:
            raise PydanticCustomError("duration_unit", "bad unit",
                                      {"subkey": "unit" if "unit" in value else None,
                                       "unit": unit, "units": ", ".join(DURATION_UNITS)})
        return {"value": amount, "unit": unit}
    return {"text": check_text(value, info)}


FEE_MAX = 10**12  # Rp1 triliun: far above any public service fee, and well inside what formatting handles
# A single amount written as words ("Rp30.000", "30.000", "Rp 30,000"): it belongs in the number form.
FEE_AS_TEXT = re.compile(r"\s*(?:Rp\.?\s*)?\d{1,3}(?:[.,]\d{3})*(?:,-|,00)?\s*|\s*Rp\.?\s*\d+\s*", re.I)


def check_fee(value: Any, info: ValidationInfo) -> int | dict[str, str]:
    """Biaya/tarif: whole rupiah (0 = free) or a Text for tiered fees."""
    if isinstance(value, (bool, float)):
        raise PydanticCustomError("fee_type", "bad fee")
    if isinstance(value, int):
        if value < 0:
            raise PydanticCustomError("fee_negative", "negative fee")
        if value > FEE_MAX:
            limit = f"{FEE_MAX:,}".replace(",", ".")
            raise PydanticCustomError("fee_too_large", "fee too large", {"limit": limit})
        return value
    if isinstance(value, (str, dict)):
        text = check_text(value, info)
        amount = next((words for words in text.values() if FEE_AS_TEXT.fullmatch(words)), None)
        if amount is not None:  # "Rp30.000" typed as text: the site would show it as it is, unformatted
            raise PydanticCustomError("fee_amount_text", "amount as text",
                                      {"amount": amount, "number": re.sub(r"\D", "", amount)})
        return text
    raise PydanticCustomError("fee_type", "bad fee")


def label(value: Any) -> Any:
    """Counter labels may be typed as numbers (`counter: 2`); they are labels all the same."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def closes_after_opens(hours: Any) -> Any:
    """Opening hours: a day's closing time after its opening time (schema.OpeningHours)."""
    if hours.closes <= hours.opens:
        raise PydanticCustomError("hours_order", "closes before opens",
                                  {"opens": hours.opens, "closes": hours.closes})
    return hours


def file_or_url(form: Any) -> Any:
    """A form: a file or a web address, one of the two (schema.Form)."""
    if (form.file is None) == (form.url is None):
        raise PydanticCustomError("form_target", "file or url")
    return form


def at_least(value: Any, length: int) -> Any:
    """What pydantic's min_length check does after a BeforeValidator (a counter label), for the
    compiled schema: an error of its own when too short (pydantic words it, see schema_compiled)."""
    if len(value) < length:
        raise PydanticCustomError("too_short", "too short")
    return value


def at_most(value: Any, length: int) -> Any:
    """pydantic's max_length check, likewise."""
    if len(value) > length:
        raise PydanticCustomError("too_long", "too long")
    return value
