"""One YAML document in the canonical form, which is what the form editor writes for the same
data (docs/fmt.md): keys in the schema's order (unknown ones after, in their place), block style
throughout, every Text a mapping by language, every requirement a mapping, each value written
as the editor's YAML writer writes it (scalars.py), and the comments written by hand kept.

ruamel's round trip keeps the comments and writes the structure; each value is written by
scalars.py: ruamel is given a placeholder word for it, replaced by the value's text once the
lines are laid out (its indentation is known then). `canonical_yaml` is the whole of it, text
in, text out."""

from __future__ import annotations

import datetime
import io
import re
import typing
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.scalarstring import PlainScalarString

from mppsite.load.source import Loader
from mppsite.tidy import layout
from mppsite.tidy.comments import carry_comment, lines_after_blocks, reorder
from mppsite.tidy.migrate import migrate_catalog
from mppsite.tidy.scalars import written
from mppsite.tidy.shapes import ANY_SHAPE, DATE, LABEL, LIST, MAPPING, TEXT, Shape

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_PLACEHOLDER = re.compile("\ue000([0-9]+)\ue001")  # private-use characters: never in a file's text
_ITEM_DASHES = re.compile(r" *(?:- +)*")
YAML_WHITE = " \t\r\n"  # what YAML trims around values (str.strip would take Unicode spaces too)
WIDTH = 1_000_000  # ruamel's own wrapping never comes into play (the editor never folds)


class ProjectResolver(VersionedResolver):
    """The implicit types of the project's own loader (load/source.py: YAML 1.2's, and dates), so
    that ruamel reads `0E0` or `1_000` as the words the build reads, not as numbers, and writes
    plain only what the build reads as it was meant."""

    project_types: typing.ClassVar[dict] = {
        first: list(found) for first, found in Loader.yaml_implicit_resolvers.items()}

    @property
    def versioned_resolver(self) -> dict:
        return self.project_types


class ProjectRepresenter(RoundTripRepresenter):
    """ruamel's round-trip representer, writing a float the way every YAML reader takes for one."""


def _represent_float(representer: RoundTripRepresenter, value: float) -> Any:
    """Python's shortest repr, with the '.0' YAML 1.2's core schema needs before an exponent
    (`1.0e+20`, not `1e+20`, which the build's loader would read as words)."""
    if value != value:
        text = ".nan"
    elif value in (float("inf"), float("-inf")):
        text = ".inf" if value > 0 else "-.inf"
    else:
        text = repr(value)
        if "e" in text and "." not in text:
            text = text.replace("e", ".0e", 1)
    return representer.represent_scalar("tag:yaml.org,2002:float", text)


ProjectRepresenter.add_representer(float, _represent_float)


def new_yaml() -> YAML:
    """ruamel set up for the project's files: indent 2, list items indented under their key."""
    handler = YAML()  # round trip: comments and key order kept
    handler.Resolver = ProjectResolver
    handler.Representer = ProjectRepresenter
    handler.indent(mapping=2, sequence=4, offset=2)
    handler.width = WIDTH
    handler.allow_unicode = True
    return handler


def canonical_yaml(text: str, shape: Shape, languages: tuple[str, ...], catalog: bool = False) -> str:
    """`text` (one YAML document) in the canonical form; ruamel's YAMLError when it cannot be read.
    `catalog`: a tenant's catalog (fee and duration migrated)."""
    handler = new_yaml()
    data = handler.load(text)
    if data is None:
        return layout.tidy_lines(text) if text.strip() else ""
    lines_after_blocks(data)
    if catalog:
        migrate_catalog(data)
    data = canonical(data, shape, languages)
    values: list[Any] = []
    data = _placeholders(data, values)
    out = io.StringIO()
    handler.dump(data, out)
    lines = layout.tidy_lines(out.getvalue(), top_list=isinstance(data, list))
    return _with_values(lines, values)


def _placeholders(node: Any, values: list[Any]) -> Any:
    """`node` with each scalar value replaced by a placeholder word naming its place in `values`
    (mappings and lists changed in place, so their comments stay)."""
    if isinstance(node, (dict, list)):
        for key in list(node) if isinstance(node, dict) else range(len(node)):
            node[key] = _placeholders(node[key], values)
        return node
    values.append(node)
    return PlainScalarString(f"\ue000{len(values) - 1}\ue001")  # (a str would take the old one's style)


def _with_values(text: str, values: list[Any]) -> str:
    """The laid-out text with each placeholder replaced by its value as the editor writes it.
    A value of several lines (a block, a quoted text with line breaks) takes the lines below;
    a comment after it stays on the block's first line, or after a quoted text's last one.
    The end is trimmed as the editor trims it, but not when the file ends in a block: its
    blank lines or spaces at the end are the value's (the editor loses them; fmt never changes
    what the build reads)."""
    out, keeps_end = [], False
    for line in text.rstrip("\n").split("\n"):
        found = _PLACEHOLDER.search(line)
        keeps_end = False
        if found is None:
            out.append(line)
            continue
        before, after = line[:found.start()], line[found.end():]
        if after.strip():  # a comment on the value's line: two spaces after the value
            after = "  " + after.strip()
        if before.rstrip().endswith(":"):  # a mapping's value: indented under its key
            indent = _ITEM_DASHES.match(before).end() + 2
        else:  # a list item: under its dash
            indent = len(before)
        value = written(values[int(found.group(1))], " " * indent)
        if value.startswith("|") and "\n" in value:
            header, body = value.split("\n", 1)
            out.append(before + header + after)
            out.append(body)
            keeps_end = True
        else:
            out.append(before + value + after)
    joined = "\n".join(out)
    # Only YAML's white space: a no-break space ending the last value is the value's.
    return joined + "\n" if keeps_end else joined.strip(YAML_WHITE) + "\n"


def canonical(node: Any, shape: Shape, languages: tuple[str, ...]) -> Any:
    """`node` in the canonical form for `shape` (mappings and lists changed in place)."""
    kind = shape.kind
    if kind == TEXT:
        return _text(node, languages)
    if shape.or_text and _is_words(node, shape):  # a requirement as a Text: {text: {id: ...}}
        return _block(CommentedMap([(shape.order[0], _text(node, languages))]))
    if kind == LIST and isinstance(node, list):
        return _list(node, shape.item or ANY_SHAPE, languages)
    if kind == MAPPING and isinstance(node, dict):
        _reorder(node, shape.order)
        for key in list(node):
            _replace(node, key, canonical(node[key], shape.field(key), languages))
        return _block(node)
    if kind == LABEL and isinstance(node, int) and not isinstance(node, bool):
        return str(node)  # a counter label is words, though typed as a number
    if kind == DATE and isinstance(node, str) and _ISO_DATE.fullmatch(node):
        return _date(node)
    return _plain(node, languages)


def _is_words(node: Any, shape: Shape) -> bool:
    """A value of a Text-or-mapping field (a requirement) written as a Text: none of its keys."""
    return isinstance(node, str) or (isinstance(node, dict) and not any(key in node for key in shape.order))


def _text(node: Any, languages: tuple[str, ...]) -> Any:
    """A Text always as a mapping by language ({id: ...}): an editor's object widget cannot hold
    a plain string. The site's languages first, in their order."""
    if isinstance(node, str):
        return _block(CommentedMap([(languages[0], str(node))]))
    if isinstance(node, dict):
        _reorder(node, languages)
    return _plain(node, languages)


def _list(node: list, item: Shape, languages: tuple[str, ...]) -> CommentedSeq:
    found = node if isinstance(node, CommentedSeq) else CommentedSeq(node)
    for index, value in enumerate(found):
        _replace(found, index, canonical(value, item, languages))
    return _block(found)


def _replace(container: Any, key: Any, new: Any) -> None:
    """container[key] = new, the comment after a plain value kept after it (comments.py)."""
    if not isinstance(container[key], (dict, list)):
        carry_comment(container, key, new)
    container[key] = new


def _plain(node: Any, languages: tuple[str, ...]) -> Any:
    """Data the schema says nothing more of: block style, scalars styled by value, numbers and
    booleans as Python writes them (30000, not 30_000 or 0x7530)."""
    if isinstance(node, dict):
        for key in list(node):
            _replace(node, key, _plain(node[key], languages))
        return _block(node)
    if isinstance(node, list):
        return _list(node, ANY_SHAPE, languages)
    if isinstance(node, str):
        return str(node)
    if isinstance(node, bool):
        return bool(node)
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    return node


def _block(node: Any) -> Any:
    if not isinstance(node, (CommentedMap, CommentedSeq)):
        node = CommentedMap(node) if isinstance(node, dict) else CommentedSeq(node)
    node.fa.set_block_style()
    return node


def _reorder(node: dict, order: tuple[str, ...]) -> None:
    """Known keys in `order`, then the others where they were (comments stay with their key)."""
    known = [key for key in order if key in node]
    wanted = known + [key for key in node if key not in order]
    if list(node) != wanted and isinstance(node, CommentedMap):
        reorder(node, wanted)


def _date(value: str) -> Any:
    """A date written in quotes ("2025-01-21"): unquoted, as check wants it; left as it is when it
    is no real day (check says so)."""
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return str(value)
