"""Validate step: check every file against the schema, then every cross-reference.

Errors from pydantic are reworded here into plain messages that name the field, what was
expected and, for typos, the likely intended name. Each item (a service, a category) is checked
on its own, so one broken service does not hide the problems of the others.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from . import schema
from .load import Content, Path_, Source
from .problems import Msg, Problems

_ADAPTERS: dict[str, TypeAdapter] = {}
_PATTERN_MESSAGES = {
    schema.SLUG_PATTERN: "slug", schema.TIME_PATTERN: "time", schema.URL_PATTERN: "url",
    schema.FILE_PATTERN: "file_pattern", schema.LANGUAGE_PATTERN: "language_code",
}
_WHAT = {  # pydantic error type -> what was expected
    "string_type": "what_text", "list_type": "what_list", "dict_type": "what_mapping",
    "model_type": "what_mapping", "model_attributes_type": "what_mapping",
    "int_type": "what_whole_number", "int_parsing": "what_whole_number",
    "int_from_float": "what_whole_number", "float_type": "what_number",
    "float_parsing": "what_number", "bool_type": "what_bool", "bool_parsing": "what_bool",
    "date_type": "what_date",
}
KINDS: dict[str, Any] = {
    "config": schema.SiteConfig, "mall": schema.Mall, "category": schema.Category,
    "tenant": schema.Tenant, "service": schema.Service, "indicator": schema.Indicator,
    "document": schema.DocumentMeta, "catalog_shape": None,
}


class _CatalogShape(schema.Model):
    tenant: Any
    services: list[Any]


def _adapter(kind: str) -> TypeAdapter:
    if kind not in _ADAPTERS:
        _ADAPTERS[kind] = TypeAdapter(_CatalogShape if kind == "catalog_shape" else KINDS[kind])
    return _ADAPTERS[kind]


def field_path(loc: Path_) -> str:
    """('services', 0, 'fee') -> 'services[0].fee', as staff see it in the file."""
    text = ""
    for step in loc:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text


def _describe(value: Any) -> Msg:
    if value is None:
        return Msg("what_nothing")
    if isinstance(value, bool):
        return Msg("what_bool")
    if isinstance(value, int):
        return Msg("what_whole_number")
    if isinstance(value, float):
        return Msg("what_number")
    if isinstance(value, str):
        return Msg("what_text")
    if isinstance(value, list):
        return Msg("what_list")
    if isinstance(value, dict):
        return Msg("what_mapping")
    return Msg("what_date")


def _unwrap(annotation: Any) -> Any:
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0]
        else:
            return annotation


def _fields_at(model: Any, loc: Path_) -> list[str]:
    """The field names allowed in the mapping at `loc`, for 'did you mean' hints."""
    current = model
    for step in loc:
        current = _unwrap(current)
        if isinstance(step, int) and typing.get_origin(current) is list:
            current = typing.get_args(current)[0]
        elif isinstance(step, str) and isinstance(current, type) and issubclass(current, BaseModel):
            info = current.model_fields.get(step)
            if info is None:
                return []
            current = info.annotation
        else:
            return []
    current = _unwrap(current)
    return list(current.model_fields) if isinstance(current, type) and issubclass(current, BaseModel) else []


def _hint(value: Any, choices: list[str], cutoff: float = 0.6) -> Msg | str:
    close = difflib.get_close_matches(str(value), choices, n=1, cutoff=cutoff)
    return Msg("did_you_mean", (("name", close[0]),)) if close else ""


def _reword(error: dict, kind: str) -> tuple[str, dict[str, Any], Path_, Path_, bool]:
    """(message key, params, field path shown, path located, point at the key?)."""
    kind_type, loc, ctx = error["type"], tuple(error["loc"]), error.get("ctx") or {}
    value = error.get("input")
    if kind_type == "missing":
        return "missing", {"name": loc[-1]}, loc[:-1], loc[:-1], False
    if kind_type == "extra_forbidden":
        model = KINDS[kind] or _CatalogShape
        return ("unknown_field", {"name": loc[-1], "hint": _hint(loc[-1], _fields_at(model, loc[:-1]))},
                loc[:-1], loc, True)
    if kind_type == "string_pattern_mismatch":
        return _PATTERN_MESSAGES.get(ctx.get("pattern"), "invalid_value"), {
            "value": value, "detail": error["msg"]}, loc, loc, False
    if kind_type in ("date_type", "date_parsing", "date_from_datetime_parsing",
                     "date_from_datetime_inexact") and isinstance(value, str):
        return "date", {"value": value}, loc, loc, False
    if kind_type in ("int_parsing", "int_from_float") and isinstance(value, (str, float)):
        return "number_whole", {"value": value}, loc, loc, False
    if kind_type in _WHAT:
        return "wrong_type", {"expected": Msg(_WHAT[kind_type]), "got": _describe(value)}, loc, loc, False
    if kind_type == "too_short":
        return "list_too_short", {"min": ctx.get("min_length", 1)}, loc, loc, False
    if kind_type == "string_too_short":
        return "text_empty", {}, loc, loc, False
    if kind_type == "string_too_long":
        return "text_too_long", {"max": ctx.get("max_length")}, loc, loc, False
    if kind_type == "literal_error":
        choices = [c.strip(" '") for c in str(ctx.get("expected", "")).replace(" or ", ",").split(",")]
        choices = [c for c in choices if c]
        return "choice", {"value": value, "choices": ", ".join(choices),
                          "hint": _hint(value, choices)}, loc, loc, False
    if kind_type in ("greater_than_equal", "greater_than"):
        return "number_min", {"value": value, "min": ctx.get("ge", ctx.get("gt"))}, loc, loc, False
    if kind_type in ("less_than_equal", "less_than"):
        return "number_max", {"value": value, "max": ctx.get("le", ctx.get("lt"))}, loc, loc, False
    if kind_type in _CUSTOM:
        subkey = ctx.get("subkey")
        params = {k: v for k, v in ctx.items() if k != "subkey"}
        if kind_type == "duration_unit":
            params["unit"] = "" if params.get("unit") is None else params["unit"]
        where = (*loc, subkey) if subkey is not None else loc
        return kind_type, params, loc, where, kind_type in ("text_language", "duration_field")
    return "invalid_value", {"detail": error["msg"]}, loc, loc, False


_CUSTOM = {"text_empty", "text_language", "text_type", "text_default_missing", "duration_field",
           "duration_missing", "duration_value", "duration_unit", "fee_type", "fee_negative", "fee_too_large",
           "fee_amount_text", "hours_order", "form_target"}


def validate_item(source: Source, kind: str, data: Any, prefix: Path_, problems: Problems,
                  languages: tuple[str, ...]) -> Any | None:
    """Check one item against its schema; the validated object, or None with problems recorded."""
    try:
        return _adapter(kind).validate_python(data, context={"languages": languages})
    except ValidationError as err:
        for error in err.errors(include_url=False):
            key, params, shown, where, at_key = _reword(error, kind)
            line, col = source.position(prefix + where, key=at_key)
            problems.add(source.rel, line, col, field_path(prefix + shown), key, **params)
        return None


def _file_level(source: Source, expected: str, problems: Problems) -> None:
    problems.add(source.rel, 1 + source.line_offset, 1, "", "wrong_type" if source.data is not None
                 else "file_empty", expected=Msg(expected), got=_describe(source.data), what=Msg(expected))


# The top-level fields of tenants and services that cross-checks (references.py) read.
CROSS_FIELDS = frozenset({"id", "category", "counter", "counters", "forms"})


class Item:
    """An item as written (`raw`), its validated form (`value`, None if invalid) and its place.

    An item of a cached catalog (catalog_cache.py) has `fields`, the few top-level fields the
    cross-checks read, and gets `raw` only when asked (`lazy`), so a build that does not need
    it does not pay for unpickling it; its `value` is its model object (Tenant or Service),
    which has the same `id`.
    """

    __slots__ = ("_lazy", "_raw", "fields", "loc", "source", "value")

    def __init__(self, value: Any, source: Source, loc: Path_, raw: Any = None,
                 fields: dict[str, Any] | None = None, lazy: Callable[[], Any] | None = None):
        self.value, self.source, self.loc = value, source, loc
        self._raw, self._lazy, self.fields = raw, lazy, fields

    @property
    def raw(self) -> Any:
        if self._lazy is not None:
            self._raw, self._lazy = self._lazy(), None
        return self._raw

    def __repr__(self) -> str:
        return f"Item({self.source.rel}, {field_path(self.loc) or '.'})"

    def get(self, name: str, kind: type | tuple[type, ...] = str) -> Any:
        """A field of the raw item when it has the expected type, else None (for cross-checks)."""
        fields = self.fields if self.fields is not None and name in CROSS_FIELDS else self.raw
        value = fields.get(name) if isinstance(fields, dict) else None
        return value if isinstance(value, kind) and not isinstance(value, bool) else None

    def position(self, *more: str | int, key: bool = False) -> tuple[int, int]:
        return self.source.position(self.loc + more, key=key)


@dataclass
class Checked:
    """What passed the schema, each item with its source, ready for cross-reference checks."""

    mall: Item | None = None
    categories: list[Item] = field(default_factory=list)
    indicators: list[Item] = field(default_factory=list)
    tenants: list[tuple[Item, list[Item]]] = field(default_factory=list)  # (tenant, services)
    documents: dict[str, list[Item]] = field(default_factory=dict)


def _list_items(source: Source | None, kind: str, problems: Problems,
                languages: tuple[str, ...]) -> list[Item]:
    if source is None or not source.parsed:
        return []
    if not isinstance(source.data, list):
        _file_level(source, "what_list", problems)
        return []
    return [Item(validate_item(source, kind, data, (index,), problems, languages), source, (index,), data)
            for index, data in enumerate(source.data)]


def check_schema(content: Content, problems: Problems, languages: tuple[str, ...]) -> Checked:
    """Run the schema over every file and item."""
    checked = Checked()
    if content.mall is not None and content.mall.parsed:
        if isinstance(content.mall.data, dict):
            mall = validate_item(content.mall, "mall", content.mall.data, (), problems, languages)
            checked.mall = Item(mall, content.mall, (), content.mall.data)
        else:
            _file_level(content.mall, "what_mapping", problems)
    checked.categories = _list_items(content.categories, "category", problems, languages)
    checked.indicators = _list_items(content.indicators, "indicator", problems, languages)
    for source in content.catalogs:
        if source.cached is not None:
            checked.tenants.append(source.cached.items(source))
            continue
        if not source.parsed:
            continue
        if not isinstance(source.data, dict):
            _file_level(source, "what_mapping", problems)
            continue
        shape = validate_item(source, "catalog_shape", source.data, (), problems, languages)
        if shape is None:
            continue
        tenant = validate_item(source, "tenant", shape.tenant, ("tenant",), problems, languages)
        services = [Item(validate_item(source, "service", data, ("services", index), problems,
                                       languages), source, ("services", index), data)
                    for index, data in enumerate(shape.services)]
        checked.tenants.append((Item(tenant, source, ("tenant",), shape.tenant), services))
    for kind, sources in content.documents.items():
        checked.documents[kind] = []
        for source in sources:
            if not source.parsed:
                continue
            if source.data is None and not source.yaml_text.strip():
                problems.add(source.rel, 2, 1, "", "missing", name="title")
                continue
            if not isinstance(source.data, dict):
                if source.body or source.data is not None:
                    _file_level(source, "what_mapping", problems)
                continue
            language = _document_language(source, languages)
            meta = validate_item(source, "document", source.data, (), problems, (language,)
                                 if language != languages[0] else languages)
            checked.documents[kind].append(Item(meta, source, (), source.data))
    return checked


def _document_language(source: Source, languages: tuple[str, ...]) -> str:
    """'slug.en.md' is English; 'slug.md' is the default language."""
    parts = source.path.name.split(".")
    return parts[-2] if len(parts) == 3 and parts[-2] in languages else languages[0]
