"""Validate step: check every file against the schema, then every cross-reference.

Each item (a service, a category) is checked on its own, so one broken service does not hide the
problems of the others; schema_compiled.py runs the schema compiled with the package (pydantic-core
alone) and gives what it finds valid, schema_check.py runs it through pydantic's models for the
rest and words their errors. The items of the small files (settings, mall, categories,
indicators, documents) found valid are kept by what they were made from (`Memo`): a build whose
small files did not change needs no schema for them.
"""

from __future__ import annotations

import datetime
import difflib
import pickle
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import sealed
from .fingerprint import CACHE_DIR, code_digest, hash_of, keep_file, keep_out_of_git
from .load import Content, Path_, Source
from .problems import Msg, Problems


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
    if isinstance(value, datetime.datetime):
        return Msg("what_date_time")
    return Msg("what_date")


def _hint(value: Any, choices: list[str], cutoff: float = 0.6) -> Msg | str:
    close = difflib.get_close_matches(str(value), choices, n=1, cutoff=cutoff)
    return Msg("did_you_mean", (("name", close[0]),)) if close else ""


# The kinds of items the memo keeps: those of the small files, each checked at every build.
# (A catalog's items are kept whole by catalog_cache.py.)
MEMO_KINDS = frozenset({"config", "mall", "category", "indicator", "document"})
MEMO_FILE = "checked.pickle"


class Plain:
    """A value the schema found valid, as the memo keeps it: the model's fields as attributes.

    Reading it needs no pydantic; `model_dump` gives the fields as a pydantic model does.
    """

    def __init__(self, **fields: Any):
        self.__dict__.update(fields)

    def model_dump(self) -> dict[str, Any]:
        return {name: _dumped(value) for name, value in vars(self).items()}

    def __eq__(self, other: object) -> bool:
        return type(other) is Plain and vars(self) == vars(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Plain({vars(self)!r})"


class Validated(Plain):
    """A model's value as the compiled schema gives it (schema_compiled.py): a Plain, but for the
    three attributes pydantic-core also sets on what it makes, kept out of its fields."""

    __slots__ = ("__pydantic_extra__", "__pydantic_fields_set__", "__pydantic_private__")


def plain(value: Any) -> Any:
    """A validated value with each pydantic model (or Validated) in it made a Plain (field by
    field, in order)."""
    if isinstance(value, Validated):
        return Plain(**{name: plain(item) for name, item in vars(value).items()})
    fields = getattr(type(value), "model_fields", None)
    if fields is not None:
        return Plain(**{name: plain(getattr(value, name)) for name in fields})
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    return value


def _dumped(value: Any) -> Any:
    if isinstance(value, Plain):
        return value.model_dump()
    if isinstance(value, list):
        return [_dumped(item) for item in value]
    if isinstance(value, dict):
        return {key: _dumped(item) for key, item in value.items()}
    return value


class Memo:
    """The small files' items found valid, by what they were made from (kind, languages, data),
    kept in the project's cache for the next build. A missing, unreadable or outdated file is
    an empty memo, never an error; an item with errors is never kept."""

    def __init__(self, root: Path):
        self.path = root / CACHE_DIR / MEMO_FILE
        self.values: dict[str, Plain] = {}
        self.used: set[str] = set()
        self.changed = False
        try:
            payload = sealed.read(self.path)
            found = pickle.loads(payload) if payload is not None else None
            if isinstance(found, dict) and found.get("code") == code_digest():
                self.values = found["values"]
        except Exception:  # missing, unreadable, corrupt: nothing kept
            pass

    def key(self, kind: str, data: Any, languages: tuple[str, ...]) -> str:
        return hash_of(kind, languages, data)

    def get(self, key: str) -> Any | None:
        found = self.values.get(key)
        if found is not None:
            self.used.add(key)
        return found

    def put(self, key: str, value: Any) -> None:
        self.values[key] = value
        self.used.add(key)
        self.changed = True

    def save(self) -> None:
        """Keep what this build used, when that differs from what was read (atomic rename)."""
        if not self.changed and self.used == set(self.values):
            return
        values = {key: self.values[key] for key in sorted(self.used)}
        try:
            data = pickle.dumps({"code": code_digest(), "values": values}, protocol=pickle.HIGHEST_PROTOCOL)
        except pickle.PicklingError:
            return
        keep_out_of_git(self.path.parent)
        keep_file(self.path, sealed.seal([data]))


def validate_item(source: Source, kind: str, data: Any, prefix: Path_, problems: Problems,
                  languages: tuple[str, ...], memo: Memo | None = None,
                  tally: dict[str, Any] | None = None) -> Any | None:
    """Check one item against its schema; the validated value, or None with problems recorded.

    With `memo`, an item of a small file (MEMO_KINDS) is checked only when it is not kept there
    as it is now, and what is given back is a Plain either way (see Memo). `tally`: see
    schema_check.run.
    """
    key = memo.key(kind, data, languages) if memo is not None and kind in MEMO_KINDS else None
    if key is not None:
        found = memo.get(key)  # type: ignore[union-attr]
        if found is not None:
            return found
    from .schema_compiled import UNSURE, check

    context: dict[str, Any] = {"languages": languages}
    value = check(kind, data, context)  # pydantic-core alone, when it finds the item valid
    if value is not UNSURE:
        if tally is not None:
            tally.update(context)
    else:
        from .schema_check import run

        value = run(source, kind, data, prefix, problems, languages, tally)
    if key is not None and value is not None:
        value = plain(value)
        memo.put(key, value)  # type: ignore[union-attr]
    return value


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
                languages: tuple[str, ...], memo: Memo | None) -> list[Item]:
    if source is None or not source.parsed:
        return []
    if not isinstance(source.data, list):
        _file_level(source, "what_list", problems)
        return []
    return [Item(validate_item(source, kind, data, (index,), problems, languages, memo), source, (index,),
                 data) for index, data in enumerate(source.data)]


def check_schema(content: Content, problems: Problems, languages: tuple[str, ...],
                 memo: Memo | None = None) -> Checked:
    """Run the schema over every file and item (the small files' through `memo`, if given)."""
    checked = Checked()
    if content.mall is not None and content.mall.parsed:
        if isinstance(content.mall.data, dict):
            mall = validate_item(content.mall, "mall", content.mall.data, (), problems, languages, memo)
            checked.mall = Item(mall, content.mall, (), content.mall.data)
        else:
            _file_level(content.mall, "what_mapping", problems)
    checked.categories = _list_items(content.categories, "category", problems, languages, memo)
    checked.indicators = _list_items(content.indicators, "indicator", problems, languages, memo)
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
                                 if language != languages[0] else languages, memo)
            checked.documents[kind].append(Item(meta, source, (), source.data))
    return checked


def _document_language(source: Source, languages: tuple[str, ...]) -> str:
    """'slug.en.md' is English; 'slug.md' is the default language."""
    parts = source.path.name.split(".")
    return parts[-2] if len(parts) == 3 and parts[-2] in languages else languages[0]
