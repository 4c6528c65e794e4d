"""Comments that stay where staff wrote them when keys move or a value changes shape.

ruamel keeps the comment after a value (on its line, and the lines below it up to the next key)
with the last plain value written before it, however deep. The canonical form reads it the way
staff do instead: a comment on a value's line belongs to that value, comment lines above a key
belong to that key. So when keys are reordered, the lines above each key move with it
(`reorder`); and when a plain value becomes a mapping (a Text written as a string becoming
{id: ...}, `fee: 30000` becoming {amount: 30000}), its comment moves into the new mapping
(`carry_comment`), rather than being written between the key and the mapping's first line.
"""

from __future__ import annotations

import itertools
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString
from ruamel.yaml.tokens import CommentToken

_AFTER_MAPPING_VALUE, _AFTER_LIST_ITEM = 2, 0  # where ruamel's comment lists keep that comment


def carry_comment(container: Any, key: Any, new: Any) -> None:
    """Move the comment after `container[key]` (a value replaced by the mapping `new`) into `new`."""
    if not isinstance(new, CommentedMap) or not new:
        return
    if isinstance(container, CommentedMap):
        slot = _AFTER_MAPPING_VALUE
    elif isinstance(container, CommentedSeq):
        slot = _AFTER_LIST_ITEM
    else:
        return
    entry = container.ca.items.get(key)
    if not entry or entry[slot] is None:
        return
    token, entry[slot] = entry[slot], None
    if not any(entry):
        del container.ca.items[key]
    new.ca.items[list(new)[-1]] = [None, None, token, None]


def reorder(node: CommentedMap, wanted: list[Any]) -> None:
    """Put the keys of `node` in the order `wanted`, each with the comment lines above it; the
    lines after the last value stay at the end."""
    keys = list(node)
    above = {key: _take_lines_below(node, previous) for previous, key in itertools.pairwise(keys)}
    end = _take_lines_below(node, keys[-1])
    for key in wanted:
        node.move_to_end(key)
    carried = above.get(wanted[0], "")  # lines above a key that is now first: below it instead
    for previous, key in itertools.pairwise(wanted):
        lines, carried = carried + above.get(key, ""), ""
        if lines:
            _put_lines_below(node, previous, lines)
    if carried + end:
        _put_lines_below(node, wanted[-1], carried + end)


def _tail(container: Any, key: Any) -> tuple[Any, Any, int]:
    """Where ruamel keeps the comment after container[key]: at its deepest last plain value."""
    value = container[key]
    if isinstance(value, CommentedMap) and value:
        return _tail(value, list(value)[-1])
    if isinstance(value, CommentedSeq) and value:
        return _tail(value, len(value) - 1)
    return container, key, _AFTER_MAPPING_VALUE if isinstance(container, CommentedMap) else _AFTER_LIST_ITEM


def _take_lines_below(container: Any, key: Any) -> str:
    """The comment lines (and blank lines) after container[key]'s value, removed from it; its
    comment on the value's own line stays."""
    owner, place, slot = _tail(container, key)
    if not isinstance(owner, (CommentedMap, CommentedSeq)):
        return ""
    entry = owner.ca.items.get(place)
    if not entry or entry[slot] is None:
        return ""
    text = entry[slot].value
    cut = text.find("\n") + 1
    if cut == 0 or cut == len(text):
        return ""
    if cut == 1:  # nothing on the value's line
        entry[slot] = None
    else:
        entry[slot].value = text[:cut]
    return text[cut:]


def _put_lines_below(container: Any, key: Any, lines: str) -> None:
    owner, place, slot = _tail(container, key)
    if not isinstance(owner, (CommentedMap, CommentedSeq)):
        return
    entry = owner.ca.items.setdefault(place, [None, None, None, None])
    if entry[slot] is None:
        entry[slot] = CommentToken("\n" + lines, CommentMark(0), None)
    else:
        entry[slot].value = entry[slot].value + lines


def lines_after_blocks(node: Any) -> None:
    """The comment lines after a block scalar (`|`, `>`) are kept by ruamel without the line end
    the block ended with: given it back, so that they stay on lines of their own when the value
    is written on one line, or moved (canonical.py). Throughout `node`, in place."""
    if isinstance(node, CommentedMap):
        keys, slot = list(node), _AFTER_MAPPING_VALUE
    elif isinstance(node, CommentedSeq):
        keys, slot = list(range(len(node))), _AFTER_LIST_ITEM
    else:
        return
    for key in keys:
        entry = node.ca.items.get(key)
        token = entry[slot] if entry else None
        if (isinstance(node[key], (LiteralScalarString, FoldedScalarString)) and token is not None
                and not token.value.startswith("\n")):
            token.value = "\n" + " " * token.column + token.value
        lines_after_blocks(node[key])
