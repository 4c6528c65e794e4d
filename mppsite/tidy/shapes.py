"""What each content file holds, read from the schema's models (check/schema.py): the order of
each mapping's keys and which values are a Text, a time, a date, a counter label, a fee, a
duration or a requirement. Read once from the type hints, so that a field added to the schema
is formatted without a change here."""

from __future__ import annotations

import functools
import types
import typing
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from mppsite.check import schema
from mppsite.check.fields import REQUIREMENT_FIELDS

# The kinds of value the formatter treats apart from plain data.
TEXT, TIME, DATE, LABEL, ANY = "text", "time", "date", "label", "any"
MAPPING, LIST = "mapping", "list"


@dataclass(frozen=True)
class Shape:
    """One value's kind; a mapping's fields in the schema's order, a list's item."""

    kind: str
    fields: tuple[tuple[str, Shape], ...] = ()
    item: Shape | None = None
    # A mapping that may also be written as a Text (a requirement): given as a Text when it has
    # none of its own keys.
    or_text: bool = False

    @property
    def order(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.fields)

    def field(self, name: str) -> Shape:
        return next((shape for key, shape in self.fields if key == name), ANY_SHAPE)


ANY_SHAPE = Shape(ANY)
TEXT_SHAPE = Shape(TEXT)

# The values written in several shapes (check/fields.py); their canonical one, keys in order.
# fee and duration as the form editor holds them (issue 30): one mapping each, the words in a
# Text `note` (migrate.py turns the older shapes into these).
FEE_SHAPE = Shape(MAPPING, (("amount", ANY_SHAPE), ("note", TEXT_SHAPE)))
DURATION_SHAPE = Shape(MAPPING, (("value", ANY_SHAPE), ("unit", ANY_SHAPE), ("note", TEXT_SHAPE)))
REQUIREMENT_SHAPE = Shape(MAPPING, tuple((name, TEXT_SHAPE if name == "text" else ANY_SHAPE)
                                         for name in REQUIREMENT_FIELDS), or_text=True)

# The schema's named types, by name: one the schema comes to declare as a model instead is read
# from that model like any other.
_NAMED = tuple((found, shape) for name, shape in (
    ("Text", TEXT_SHAPE), ("Time", Shape(TIME)), ("Date", Shape(DATE)), ("Label", Shape(LABEL)),
    ("Fee", FEE_SHAPE), ("Duration", DURATION_SHAPE), ("Requirement", REQUIREMENT_SHAPE))
    if (found := getattr(schema, name, None)) is not None)


def shape_of(hint: Any) -> Shape:
    """The shape of a value of the type `hint` (a model's type hint, with its Annotated parts)."""
    for named, shape in _NAMED:
        if hint is named or hint == named:
            return shape
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        kept = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        return shape_of(kept[0]) if len(kept) == 1 else ANY_SHAPE
    if origin is list:
        return Shape(LIST, item=shape_of(typing.get_args(hint)[0]))
    if isinstance(hint, type) and issubclass(hint, BaseModel):
        return model_shape(hint)
    return ANY_SHAPE


@functools.cache
def model_shape(model: type[BaseModel]) -> Shape:
    """A model's fields in the order the schema declares them."""
    hints = typing.get_type_hints(model, include_extras=True)
    return Shape(MAPPING, tuple((name, shape_of(hints[name])) for name in model.model_fields))


def file_shape(rel: str) -> Shape | None:
    """The shape of the content file at `rel` (relative to the project), or None when fmt leaves
    the file alone (site_config.yaml, attachments, anything unknown)."""
    parts = rel.split("/")
    if len(parts) < 2 or parts[0] != "content":
        return None
    if len(parts) == 2:
        return {"mpp.yaml": model_shape(schema.Mall),
                "categories.yaml": Shape(LIST, item=model_shape(schema.Category)),
                "indicators.yaml": Shape(LIST, item=model_shape(schema.Indicator))}.get(parts[1])
    if len(parts) == 3 and parts[1] == "services" and parts[2].endswith((".yaml", ".yml")):
        return model_shape(schema.Catalog)
    if len(parts) == 3 and parts[1] in ("circulars", "news", "pages") and parts[2].endswith(".md"):
        return model_shape(schema.DocumentMeta)
    return None
