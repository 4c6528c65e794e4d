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
DURATION_FIELDS = ("value", "unit", "note")
FEE_FIELDS = ("amount", "note")
OLD_NOTE_SHOWN = 40  # characters of each language's words shown in the old-form message


def old_note(value: Any, info: ValidationInfo) -> str | None:
    """A Text written where the old format allowed one (a text fee, a text duration), as the new
    form's `{note: ...}` would hold it, each language's words cut short; None if it is no Text."""
    try:
        text = check_text(value, info)
    except PydanticCustomError:
        return None
    inner = ", ".join(f"{lang}: {yaml_slips.quoted(yaml_slips.cut(words, OLD_NOTE_SHOWN))}"
                      for lang, words in text.items())
    return "{note: {" + inner + "}}"


def _note(value: dict[str, Any], info: ValidationInfo) -> dict[str, str] | None:
    """The `note:` of a fee or duration, a Text; an error in it points inside `note:`."""
    if value.get("note") is None:
        return None
    try:
        return check_text(value["note"], info)
    except PydanticCustomError as error:
        context = dict(error.context or {})
        subkey = context.get("subkey")
        context["subkey"] = ("note",) if subkey is None else ("note", subkey)
        raise PydanticCustomError(error.type, error.message_template, context) from None


def _known_fields(value: dict[str, Any], allowed: tuple[str, ...], error: str) -> None:
    for key in value:
        if key not in allowed:
            raise PydanticCustomError(error, "unknown field", {
                "subkey": key, "name": key, "hint": hint(str(key), list(allowed))})


def check_duration(value: Any, info: ValidationInfo) -> dict[str, Any]:
    """Jangka waktu: {value, unit} and/or {note}; the old bare Text is explained in the new form."""
    if not isinstance(value, dict) or not any(key in value for key in DURATION_FIELDS):
        if value == {}:
            raise PydanticCustomError("duration_empty", "empty duration")
        if (written := old_note(value, info)) is not None:
            raise PydanticCustomError("duration_old_text", "old form", {"new": written})
        raise PydanticCustomError("duration_type", "bad duration")
    _known_fields(value, DURATION_FIELDS, "duration_field")
    amount, unit, note = value.get("value"), value.get("unit"), _note(value, info)
    if amount is None and unit is None:
        if note is None:
            raise PydanticCustomError("duration_empty", "empty duration")
        return {"value": None, "unit": None, "note": note}
    if amount is None or unit is None:
        missing = "value" if amount is None else "unit"
        raise PydanticCustomError("duration_missing", "missing", {"name": missing})
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0 or amount > DURATION_MAX:
        raise PydanticCustomError("duration_value", "bad value", {"subkey": "value"})
    if unit not in DURATION_UNITS:
        raise PydanticCustomError("duration_unit", "bad unit",
                                  {"subkey": "unit", "unit": unit, "units": ", ".join(DURATION_UNITS)})
    return {"value": amount, "unit": unit, "note": note}


FEE_MAX = 10**12  # Rp1 triliun: far above any public service fee, and well inside what formatting handles
# A single amount written as words ("Rp30.000", "30.000", "Rp 30,000"): it belongs in `amount`.
FEE_AS_TEXT = re.compile(r"\s*(?:Rp\.?\s*)?\d{1,3}(?:[.,]\d{3})*(?:,-|,00)?\s*|\s*Rp\.?\s*\d+\s*", re.I)


def check_fee(value: Any, info: ValidationInfo) -> dict[str, Any]:
    """Biaya/tarif: {amount} (whole rupiah, 0 = free) and/or {note} (a Text for tiered or
    conditional fees); the old bare number or Text is explained in the new form."""
    if not isinstance(value, dict) or not any(key in value for key in FEE_FIELDS):
        _old_fee(value, info)
    _known_fields(value, FEE_FIELDS, "fee_field")
    amount, note = value.get("amount"), _note(value, info)
    if amount is None and note is None:
        raise PydanticCustomError("fee_empty", "empty fee")
    if amount is not None:
        _check_amount(amount)
    elif note is not None and (words := next((w for w in note.values() if FEE_AS_TEXT.fullmatch(w)), None)):
        # "Rp30.000" as the whole note: the site would show it as it is, unformatted
        raise PydanticCustomError("fee_note_amount", "amount as note", {
            "subkey": "note", "amount": words.strip(), "number": re.sub(r"\D", "", words)})
    return {"amount": amount, "note": note}


def _old_fee(value: Any, info: ValidationInfo) -> None:
    """The error for a fee that is no {amount, note} mapping: the old forms rewritten."""
    if isinstance(value, int) and not isinstance(value, bool):
        raise PydanticCustomError("fee_old_form", "old form", {"new": f"{{amount: {value}}}"})
    words = [value] if isinstance(value, str) else list(value.values()) if isinstance(value, dict) else []
    if words and isinstance(words[0], str) and FEE_AS_TEXT.fullmatch(words[0]):  # fee: Rp30.000
        digits = re.sub(r"\D", "", words[0])
        raise PydanticCustomError("fee_old_form", "old form", {"new": f"{{amount: {digits}}}"})
    if value == {}:
        raise PydanticCustomError("fee_empty", "empty fee")
    if isinstance(value, (str, dict)) and (written := old_note(value, info)) is not None:
        raise PydanticCustomError("fee_old_form", "old form", {"new": written})
    if isinstance(value, dict):
        _known_fields(value, FEE_FIELDS, "fee_field")
    raise PydanticCustomError("fee_type", "bad fee")


def _check_amount(amount: Any) -> None:
    if isinstance(amount, str) and FEE_AS_TEXT.fullmatch(amount):
        raise PydanticCustomError("fee_amount_text", "amount as text", {
            "subkey": "amount", "amount": amount.strip(), "number": re.sub(r"\D", "", amount)})
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise PydanticCustomError("fee_amount_type", "bad amount", {"subkey": "amount"})
    if amount < 0:
        raise PydanticCustomError("fee_negative", "negative fee", {"subkey": "amount"})
    if amount > FEE_MAX:
        limit = f"{FEE_MAX:,}".replace(",", ".")
        raise PydanticCustomError("fee_too_large", "fee too large", {"subkey": "amount", "limit": limit})


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
