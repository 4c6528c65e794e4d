"""The older shapes of a service's fee and duration, turned into the one shape each that a form
editor can hold (issue 30, point 2):

    fee: 30000                    ->  fee: {amount: 30000}
    fee: Gratis / {id: ..., ...}  ->  fee: {note: ...}       (no amount is read out of the words)
    duration: {value, unit}       ->  stays
    duration: Text                ->  duration: {note: ...}

A value already in the new shape, or one that is neither (an error `check` reports), is left as
it is. Works on plain data and on ruamel's round-trip data alike (comments travel with the words).
"""

from __future__ import annotations

from typing import Any

from ruamel.yaml.comments import CommentedMap

from mppsite.tidy.comments import carry_comment

FEE_KEYS = ("amount", "note")
DURATION_KEYS = ("value", "unit", "note")


def _is_text(value: Any, own_keys: tuple[str, ...]) -> bool:
    """Words: a string, or a mapping none of whose keys is one of the new shape's."""
    if isinstance(value, str):
        return True
    return isinstance(value, dict) and bool(value) and not any(key in value for key in own_keys)


def migrate_fee(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        return CommentedMap([("amount", value)])
    if _is_text(value, FEE_KEYS):
        return CommentedMap([("note", value)])
    return value


def migrate_duration(value: Any) -> Any:
    if _is_text(value, DURATION_KEYS):
        return CommentedMap([("note", value)])
    return value


def migrate_catalog(data: Any) -> Any:
    """A catalog's data with every service's fee and duration in the new shape (in place)."""
    services = data.get("services") if isinstance(data, dict) else None
    for service in services if isinstance(services, list) else []:
        if not isinstance(service, dict):
            continue
        for key, migrate in (("fee", migrate_fee), ("duration", migrate_duration)):
            if key in service:
                old = service[key]
                service[key] = new = migrate(old)
                if new is not old and not isinstance(old, (dict, list)):
                    carry_comment(service, key, new)
    return data
