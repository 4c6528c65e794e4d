"""Validate step, the schema's part: run pydantic over one item and reword its errors into plain
messages that name the field, what was expected and, for typos, the likely intended name."""

from __future__ import annotations

import datetime
import re
import typing
from typing import Any

from babel import Locale
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from mppsite.check import fields, schema
from mppsite.check.languages import MESSAGE_LANGUAGES
from mppsite.core import formats
from mppsite.core.problems import Msg, Problems, describe, field_path, hint
from mppsite.load.source import Path_, Source

_PATTERN_MESSAGES = {
    formats.SLUG_PATTERN: "slug", formats.TIME_PATTERN: "time", formats.URL_PATTERN: "url",
    formats.FILE_PATTERN: "file_pattern", formats.LANGUAGE_PATTERN: "language_code",
}
_WHAT = {  # pydantic error type -> what was expected
    "string_type": "what_text", "list_type": "what_list", "dict_type": "what_mapping",
    "model_type": "what_mapping", "model_attributes_type": "what_mapping",
    "int_type": "what_whole_number", "int_parsing": "what_whole_number",
    "int_from_float": "what_whole_number", "float_type": "what_number",
    "float_parsing": "what_number", "bool_type": "what_bool", "bool_parsing": "what_bool",
    "date_type": "what_date",
}


class _CatalogShape(schema.Model):
    tenant: Any
    services: list[Any]


KINDS: dict[str, type[BaseModel]] = {
    "config": schema.SiteConfig, "mall": schema.Mall, "category": schema.Category,
    "tenant": schema.Tenant, "service": schema.Service, "indicator": schema.Indicator,
    "document": schema.DocumentMeta, "catalog_shape": _CatalogShape,
}


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The model an annotation holds (`Contact | None`, `list[Form]`), if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        if (model := _model_in(arg)) is not None:
            return model
    return None


def _walk(model: type[BaseModel] | None, loc: Path_) -> tuple[type[BaseModel] | None, FieldInfo | None]:
    """The model of the mapping at `loc`, and the field `loc` ends with."""
    info = None
    for step in loc:
        if isinstance(step, str):  # (a list index leads to the same model)
            info = model.model_fields.get(step) if model is not None else None
            model = _model_in(info.annotation) if info is not None else None
    return model, info


def _fields_at(model: type[BaseModel] | None, loc: Path_) -> list[str]:
    """The field names allowed in the mapping at `loc`, for 'did you mean' hints."""
    found, _ = _walk(model, loc)
    return list(found.model_fields) if found is not None else []


def _is_time(kind: str, loc: Path_) -> bool:
    """Whether the field at `loc` holds a time of day (HH:MM)."""
    _, info = _walk(KINDS[kind], loc)
    return info is not None and any(getattr(rule, "pattern", None) == formats.TIME_PATTERN
                                    for rule in info.metadata)


def _reword(error: dict, kind: str) -> tuple[str, dict[str, Any], Path_, Path_, bool]:
    """(message key, params, field path shown, path located, point at the key?)."""
    kind_type, loc, ctx = error["type"], tuple(error["loc"]), error.get("ctx") or {}
    if kind_type == "missing":
        return "missing", {"name": loc[-1]}, loc[:-1], loc[:-1], False
    if kind_type == "extra_forbidden":
        return ("unknown_field", {"name": loc[-1], "hint": hint(loc[-1], _fields_at(KINDS[kind], loc[:-1]))},
                loc[:-1], loc, True)
    if kind_type in _CUSTOM:  # raised by schema.py's checks
        subkey = ctx.get("subkey")
        params = {k: v for k, v in ctx.items() if k != "subkey"}
        # (a requirement's `text:` adds its own step: a tuple)
        where = (*loc, *(subkey if isinstance(subkey, tuple) else (subkey,))) if subkey is not None else loc
        return kind_type, params, loc, where, kind_type in ("text_language", "duration_field",
                                                            "requirement_field", "fee_field")
    if kind_type == "string_type" and isinstance(error.get("input"), (int, float)) and _is_time(kind, loc):
        return "time_number", {}, loc, loc, False  # `opens: 08.00`, read as the number 8.0
    key, params = _message(error)
    return key, params, loc, loc, False


def _message(error: dict) -> tuple[str, dict[str, Any]]:
    """The message key and params of one of pydantic's own errors."""
    kind_type, ctx, value = error["type"], error.get("ctx") or {}, error.get("input")
    if (kind_type == "string_pattern_mismatch" and ctx.get("pattern") == formats.URL_PATTERN
            and isinstance(value, str) and re.match(r"https?://", value)):  # (so not "must start with")
        return ("url_space" if re.search(r"\s", value) else "url_host"), {"value": value}
    if kind_type == "string_pattern_mismatch":
        return _PATTERN_MESSAGES.get(ctx.get("pattern"), "invalid_value"), {
            "value": value, "detail": error["msg"]}
    if kind_type == "date_type" and isinstance(value, str):  # (dates are strict: no other date error)
        rewritten = _day_first(value)
        return ("date", {"value": value}) if rewritten is None else (
            "date_rewrite", {"value": value, "date": rewritten})
    if kind_type == "float_parsing" and isinstance(value, str) and re.fullmatch(r"\s*-?\d+,\d+\s*", value):
        return "number_comma", {"written": value.strip(), "number": value.strip().replace(",", ".")}
    if kind_type in ("int_parsing", "int_from_float") and isinstance(value, (str, float)):
        return "number_whole", {"value": value}
    if kind_type in _WHAT:
        return "wrong_type", {"expected": Msg(_WHAT[kind_type]), "got": describe(value)}
    if kind_type == "too_short":
        return "list_too_short", {"min": ctx.get("min_length", 1)}
    if kind_type == "string_too_short":
        return "text_empty", {}
    if kind_type == "string_too_long":
        return "text_too_long", {"max": ctx.get("max_length")}
    if kind_type == "literal_error":
        choices = [c.strip(" '") for c in str(ctx.get("expected", "")).replace(" or ", ",").split(",")]
        choices = [c for c in choices if c]
        index = _named("days", str(value)) if choices == list(formats.WEEKDAYS) else None
        day = formats.WEEKDAYS[index] if index is not None else None
        return "choice", {"value": value, "choices": ", ".join(choices),
                          "hint": hint(day, [day]) if day else hint(value, choices)}
    if kind_type == "greater_than_equal":  # (the schema sets ge and le only)
        return "number_min", {"value": value, "min": ctx["ge"]}
    if kind_type == "less_than_equal":
        return "number_max", {"value": value, "max": ctx["le"]}
    return "invalid_value", {"detail": error["msg"]}


def _named(calendar: str, name: str) -> int | None:
    """The key of a day or month (`calendar`: "days", "months") written by its name or its short
    name in a language of the messages (`jumat`, `Jum'at`, `Senin`, `Januari`, `Jan.`), as Babel
    knows them: 0 for Monday, 1 for January."""
    name = name.strip().replace("'", "").rstrip(".").casefold()
    for code in MESSAGE_LANGUAGES:
        names = getattr(Locale.parse(code), calendar)["format"]
        for width in ("wide", "abbreviated"):
            for key, known in names[width].items():
                if known.casefold().rstrip(".") == name:
                    return key
    return None


_DAY_FIRST = re.compile(r"\s*(\d{1,2})([/.-])(\d{1,2})\2(\d{4})\s*")  # 21/01/2025, 21-01-2025, 21.01.2025
_YEAR_FIRST = re.compile(r"\s*(\d{4})([/.])(\d{1,2})\2(\d{1,2})\s*")  # 2025/01/21
_DAY_NAMED = re.compile(r"\s*(\d{1,2})\s+([^\W\d_]+)\.?\s+(\d{4})\s*")  # 21 Januari 2025, 21 Jan 2025
_NAMED_DAY = re.compile(r"\s*([^\W\d_]+)\.?\s+(\d{1,2}),?\s+(\d{4})\s*")  # January 21, 2025


def _day_first(value: str) -> str | None:
    """A date written day first (as Indonesians write it), with slashes, or with the month's name
    (`21 Januari 2025`, `January 21, 2025`), as YYYY-MM-DD; None when it is no real date so."""
    if match := _DAY_FIRST.fullmatch(value):
        year, month, day = match[4], match[3], match[1]
    elif match := _YEAR_FIRST.fullmatch(value):
        year, month, day = match[1], match[3], match[4]
    elif match := _DAY_NAMED.fullmatch(value):
        year, month, day = match[3], _named("months", match[2]) or 0, match[1]
    elif match := _NAMED_DAY.fullmatch(value):
        year, month, day = match[3], _named("months", match[1]) or 0, match[2]
    else:
        return None
    try:
        return datetime.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def _comma_split(kind: str, where: Path_, field: str,
                 written: str) -> tuple[str, dict[str, Any], Path_, Path_]:
    """The message for `{score: 4,62}` or `{amount: 30,000}` (see Source.comma_split), at the field
    before the comma, with the number as it is written here."""
    at = (*where[:-1], field)
    _, info = _walk(KINDS[kind], at)
    decimal = info is not None and info.annotation is float
    number = written.replace(",", ".") if decimal else written.replace(",", "")
    return "number_comma_flow", {"written": written, "number": number}, at, at


def _fee_with_dots(source: Source, where: Path_, key: str) -> tuple[str, dict[str, Any]] | None:
    """`fee: {amount: 30.000}` is read by YAML as the number 30.0: the message for an amount
    written with dots, from the digits as written (and for the old `fee: 30.000`, the new form)."""
    written = source.written(where)
    if written is None or not fields.FEE_AS_TEXT.fullmatch(written):
        return None
    number = re.sub(r"\D", "", written)
    if key == "fee_type":
        return "fee_old_form", {"new": f"{{amount: {number}}}"}
    return "fee_amount_text", {"amount": written, "number": number}


_CUSTOM = {"text_comma", "text_empty", "text_language", "text_type", "text_default_missing", "duration_field",
           "duration_missing", "duration_value", "duration_unit", "fee_type", "fee_negative", "fee_too_large",
           "fee_amount_text", "hours_order",
           # the one shape of a fee and a duration (fields.py)
           "fee_old_form", "fee_empty", "fee_field", "fee_amount_type", "fee_note_amount",
           "duration_old_text", "duration_empty", "duration_type",
           "form_target", "count_scale", "count_fraction",
           "yaml_colon_in_text", "requirement_field", "requirement_text_missing", "requirement_form",
           "requirement_count",
           # contact and online channels (contact_fields.py)
           "phone_chars", "phone_length", "whatsapp_form", "whatsapp_length", "email_form", "instagram_form",
           "logo_not_image", "queue_name_alone", "online_duplicate"}


def validate_item(source: Source, kind: str, data: Any, prefix: Path_, problems: Problems,
                  languages: tuple[str, ...], tally: dict[str, Any] | None = None) -> Any | None:
    """Check one item against its schema; the validated object, or None with problems recorded.
    `tally`: the validation's context, where fields.check_text notes "untranslated"."""
    context = {} if tally is None else tally
    context["languages"] = languages
    try:
        return KINDS[kind].model_validate(data, context=context)
    except ValidationError as err:
        for error in err.errors(include_url=False):
            key, params, shown, where, at_key = _reword(error, kind)
            if key in ("fee_type", "fee_amount_type"):
                key, params = _fee_with_dots(source, prefix + where, key) or (key, params)
            elif key in ("unknown_field", "fee_field") and (split := source.comma_split(prefix + where)):
                key, params, shown, where = _comma_split(kind, where, *split)
                at_key = False
            line, col = source.position(prefix + where, key=at_key)
            problems.add(source.rel, line, col, field_path(prefix + shown), key, **params)
        return None
