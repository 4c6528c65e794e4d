"""Validate step: check every file against the schema, each item (a service, a category) on its
own, so that one broken service does not hide the problems of the others."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from mppsite.check.schema_check import run
from mppsite.core.problems import Msg, Problems, describe, field_path
from mppsite.load.content import Content
from mppsite.load.source import Path_, Source

validate_item = run  # one item against its schema, errors worded


def _file_level(source: Source, expected: str, problems: Problems) -> None:
    problems.add(source.rel, 1 + source.line_offset, 1, "", "wrong_type" if source.data is not None
                 else "file_empty", expected=Msg(expected), got=describe(source.data), what=Msg(expected))


# The top-level fields of tenants and services that cross-checks (references.py) read.
CROSS_FIELDS = frozenset({"id", "category", "counter", "counters", "forms"})


class Item:
    """An item as written (`raw`), its validated form (`value`, None if invalid) and its place.

    An item of a cached catalog (catalog_cache.py) has `fields`, the top-level fields the
    cross-checks read, and unpickles `raw` only when asked (`lazy`).
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
    """What passed the schema, each item with its source, for the cross-reference checks."""

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
        tally: dict[str, Any] = {}
        tenant = validate_item(source, "tenant", shape.tenant, ("tenant",), problems, languages,
                               tally=tally)
        services = [Item(validate_item(source, "service", data, ("services", index), problems,
                                       languages, tally=tally), source, ("services", index), data)
                    for index, data in enumerate(shape.services)]
        source.translated = not tally.get("untranslated")
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
