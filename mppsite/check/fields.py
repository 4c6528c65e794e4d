"""The values staff write in many places, each checked once: a Text (words by language), a
service time, a fee, a requirement and a counter label. schema.py builds its types from these."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from pydantic_core import PydanticCustomError

from mppsite.check.languages import is_language_code, language_hint
from mppsite.core.formats import DEFAULT_LANGUAGES, DURATION_UNITS
from mppsite.core.problems import hint
from mppsite.load import yaml_slips

if TYPE_CHECKING:
    from pydantic_core.core_schema import ValidationInfo


def check_text(value: Any, info: ValidationInfo) -> dict[str, str]:
    """A Text: a plain string (default language) or a mapping keyed by language codes. One that
    lacks a language is noted in the context ("untranslated") for the audit (audit.catalog_facts);
    words in a language the site does not publish are left out (the audit notes them once)."""
    languages = tuple((info.context or {}).get("languages", DEFAULT_LANGUAGES))
    if isinstance(value, str):
        value = {languages[0]: value}
    if not isinstance(value, dict):
        raise PydanticCustomError("text_type", "expected text")
    if not value:
        raise PydanticCustomError("text_empty", "empty text")
    if not set(value) <= set(languages):  # a catalog shared with an MPP of other languages
        value = {lang: words for lang, words in value.items()
                 if lang in languages or not is_language_code(lang)}  # (audit notes what was left out)
    for lang, words in value.items():
        if lang not in languages:
            if (split := yaml_slips.comma_split(value, languages)) is not None:  # {id: A, B, en: C}
                raise PydanticCustomError("text_comma", "comma inside braces", split)
            named = language_hint(str(lang), languages)
            if len(value) == 1 and isinstance(words, str) and not named:  # `- Syarat: KTP-el`
                raise PydanticCustomError("yaml_colon_in_text", "colon inside text", {
                    "quoted": yaml_slips.quoted(yaml_slips.cut(f"{lang}: {words}"))})
            raise PydanticCustomError("text_language", "unknown language",
                                      {"subkey": lang, "language": lang, "languages": ", ".join(languages),
                                       "hint": named})
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
                                       "unit": "" if unit is None else unit,
                                       "units": ", ".join(DURATION_UNITS)})
        return {"value": amount, "unit": unit}
    return {"text": check_text(value, info)}


FEE_MAX = 10**12  # Rp1 triliun: far above any public service fee, and well inside what formatting handles
# A single amount written as words ("Rp30.000", "30.000", "Rp 30,000"): it belongs in the number form.
FEE_AS_TEXT = re.compile(r"\s*(?:Rp\.?\s*)?\d{1,3}(?:[.,]\d{3})*(?:,-|,00)?\s*|\s*Rp\.?\s*\d+\s*", re.I)


def check_fee(value: Any, info: ValidationInfo) -> int | dict[str, str]:
    """Biaya/tarif: whole rupiah (0 = free) or a Text for tiered fees."""
    if isinstance(value, int) and not isinstance(value, bool):
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


REQUIREMENT_FORMS = ("original", "copy", "both")  # asli, fotokopi, asli dan fotokopi
REQUIREMENT_FIELDS = ("text", "form", "count")
REQUIREMENT_COUNT_MAX = 100  # more sheets than any counter asks for: a larger number is a slip


def check_requirement(value: Any, info: ValidationInfo) -> dict[str, Any]:
    """Persyaratan: a Text, or {text, form, count} saying original or copy and how many. A
    mapping with any of those keys is the second form (a Text's keys are languages)."""
    if not (isinstance(value, dict) and any(key in value for key in REQUIREMENT_FIELDS)):
        return {"text": check_text(value, info)}
    for key in value:
        if key not in REQUIREMENT_FIELDS:
            raise PydanticCustomError("requirement_field", "unknown field", {
                "subkey": key, "name": key, "hint": hint(key, list(REQUIREMENT_FIELDS))})
    if "text" not in value:
        raise PydanticCustomError("requirement_text_missing", "missing text")
    try:
        text = check_text(value["text"], info)
    except PydanticCustomError as error:  # pointed at the words inside `text:`
        context = dict(error.context or {})
        subkey = context.get("subkey")
        context["subkey"] = ("text",) if subkey is None else ("text", subkey)
        raise PydanticCustomError(error.type, error.message_template, context) from None
    form, count = value.get("form"), value.get("count")
    if form is not None and form not in REQUIREMENT_FORMS:
        raise PydanticCustomError("requirement_form", "bad form", {
            "subkey": "form", "value": form, "hint": hint(str(form), list(REQUIREMENT_FORMS))})
    if count is not None and (isinstance(count, bool) or not isinstance(count, int)
                              or not 1 <= count <= REQUIREMENT_COUNT_MAX):
        raise PydanticCustomError("requirement_count", "bad count", {
            "subkey": "count", "value": count, "max": REQUIREMENT_COUNT_MAX})
    return {"text": text, "form": form, "count": count}


def label(value: Any) -> Any:
    """Counter labels may be typed as numbers (`counter: 2`); they are labels all the same."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value
