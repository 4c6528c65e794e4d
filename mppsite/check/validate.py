"""Validate step: check every file against the schema, each item (a service, a category) on its
own, so that one broken service does not hide the problems of the others."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from mppsite.check.languages import is_language_code
from mppsite.check.schema_check import validate_item
from mppsite.core.problems import Msg, Problems, describe, field_path
from mppsite.load.content import Content
from mppsite.load.source import Path_, Source


def _holds(source: Source | None, shape: type, problems: Problems) -> bool:
    """Whether a file was read and holds a mapping (dict) or a list, as it should; reported if not."""
    if source is None or not source.parsed:
        return False
    if isinstance(source.data, shape):
        return True
    expected = Msg("what_list" if shape is list else "what_mapping")
    problems.add(source.rel, 1 + source.line_offset, 1, "", "wrong_type" if source.data is not None
                 else "file_empty", expected=expected, got=describe(source.data), what=expected)
    return False


# The top-level fields of tenants and services that cross-checks (references.py) read.
CROSS_FIELDS = frozenset({"id", "category", "counter", "counters", "forms", "logo", "related"})


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
    categories_listed: bool = False  # categories.yaml holds a list (an empty one too)
    indicators: list[Item] = field(default_factory=list)
    tenants: list[tuple[Item, list[Item]]] = field(default_factory=list)  # (tenant, services)
    documents: dict[str, list[Item]] = field(default_factory=dict)
    unpublished: set[str] = field(default_factory=set)  # languages of document twins left out


def _item(source: Source, kind: str, data: Any, loc: Path_, problems: Problems,
          languages: tuple[str, ...], tally: dict[str, Any] | None = None) -> Item:
    """One item validated (its value None when invalid), kept with what was written."""
    return Item(validate_item(source, kind, data, loc, problems, languages, tally), source, loc, data)


def _list_items(source: Source | None, kind: str, problems: Problems,
                languages: tuple[str, ...]) -> list[Item]:
    if not _holds(source, list, problems):
        return []
    return [_item(source, kind, data, (index,), problems, languages)
            for index, data in enumerate(source.data)]


def check_catalog(source: Source, problems: Problems,
                  languages: tuple[str, ...]) -> tuple[Item, list[Item]] | None:
    """A service catalog's tenant and services, checked against the schema (the file alone)."""
    shape = validate_item(source, "catalog_shape", source.data, (), problems, languages)
    if shape is None:
        return None
    tally: dict[str, Any] = {}
    tenant = _item(source, "tenant", shape.tenant, ("tenant",), problems, languages, tally)
    services = [_item(source, "service", data, ("services", index), problems, languages, tally)
                for index, data in enumerate(shape.services)]
    source.translated = not tally.get("untranslated")
    return tenant, services


def _document(source: Source, problems: Problems, languages: tuple[str, ...]) -> Item | None:
    if not source.parsed:
        return None
    if source.data is None and not source.yaml_text.strip():
        problems.add(source.rel, 2, 1, "", "missing", name="title")
        return None
    if not isinstance(source.data, dict):
        if source.body or source.data is not None:
            _holds(source, dict, problems)
        return None
    parts = source.path.name.split(".")  # 'slug.en.md' is English; 'slug.md' the default language
    if len(parts) == 3 and parts[1] in languages[1:]:
        languages = (parts[1],)
    return _item(source, "document", source.data, (), problems, languages)


def _unpublished_twin(source: Source, languages: tuple[str, ...]) -> str | None:
    """The language of `<slug>.<lang>.md` when the site does not publish it (a twin written for an
    MPP with more languages: left out, noted once); else None."""
    parts = source.path.name.split(".")
    if len(parts) == 3 and parts[1] not in languages and is_language_code(parts[1]):
        return parts[1]
    return None


def check_schema(content: Content, problems: Problems, languages: tuple[str, ...]) -> Checked:
    """Run the schema over every file and item."""
    checked = Checked()
    mall = content.mall
    if _holds(mall, dict, problems):
        checked.mall = _item(mall, "mall", mall.data, (), problems, languages)
    checked.categories = _list_items(content.categories, "category", problems, languages)
    checked.categories_listed = content.categories is not None and isinstance(content.categories.data, list)
    checked.indicators = _list_items(content.indicators, "indicator", problems, languages)
    for source in content.catalogs:
        if source.cached is not None:
            checked.tenants.append(source.cached.items(source))
        elif _holds(source, dict, problems) and (catalog := check_catalog(source, problems, languages)):
            checked.tenants.append(catalog)
    for kind, sources in content.documents.items():
        twins = {source.rel: lang for source in sources if (lang := _unpublished_twin(source, languages))}
        checked.unpublished.update(twins.values())
        checked.documents[kind] = [item for source in sources if source.rel not in twins
                                   and (item := _document(source, problems, languages)) is not None]
    return checked
