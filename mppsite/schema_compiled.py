"""The schema compiled with the package: pydantic's own validation of each item, without pydantic.

pydantic takes 0.08 s to import and to make the models' validators (schema.py), and the process
ahead (ahead.py) paid it before it could check the settings and read the first catalog: every
first build waited for it. But each model hands pydantic-core a plain description of what it
accepts (its "core schema"), and pydantic-core, a compiled library that imports in a few
milliseconds, validates from that description alone. `compile_builtin`, which `make` runs once
mppsite is installed or changed (as for the templates), keeps each kind's description beside the
package's compiled code, made independent of pydantic: each model's class replaced by
validate.Validated (its fields as attributes), the checks of the schema's own types those of
checks.py, and what serves only JSON Schema and serialisation left out. A build validates with
those (`check`), importing pydantic-core only.

Only an item found valid is taken from here: the same validation, so the same value (tested on
random items against pydantic's). An item with an error is checked again by pydantic
(schema_check.run), which words the errors with their places, as without this module; and where
no compiled schema of this code is found, pydantic checks everything.
"""

from __future__ import annotations

import functools
import os
import pickle
from pathlib import Path
from typing import Any

from . import sealed
from .fingerprint import code_digest

FOLDER = Path(__file__).resolve().parent / "__pycache__" / "schemas"
UNSURE = object()  # what `check` gives for an item it does not vouch for

_validators: dict[str, Any] = {}  # by kind: pydantic-core's validator, made on first use
_schemas: dict[str, Any] | None = None  # by kind: the compiled core schema (read once a process)


def check(kind: str, data: Any, context: dict[str, Any]) -> Any:
    """The validated value of one item of this kind (schema_check.KINDS), as pydantic gives it but
    with validate.Validated for its models; UNSURE when it has an error, or where nothing compiled
    for this code is found (the caller asks pydantic). `context` as pydantic's validation's."""
    validator = _validator(kind)
    if validator is None:
        return UNSURE
    from pydantic_core import ValidationError

    try:
        return validator.validate_python(data, context=context)
    except ValidationError:
        return UNSURE


def ready() -> bool:
    """Read the compiled schemas and make every kind's validator now (a process about to fork the
    ones that check catalogs: they inherit them); whether they are there."""
    schemas = _read()
    return schemas is not None and all(_validator(kind) is not None for kind in schemas)


def _validator(kind: str) -> Any:
    found = _validators.get(kind)
    if found is None:
        schemas = _read()
        if schemas is None or kind not in schemas:
            return None
        from pydantic_core import SchemaValidator

        found = _validators[kind] = SchemaValidator(schemas[kind])
    return found


def _read() -> dict[str, Any] | None:
    global _schemas
    if _schemas is None:
        try:
            payload = sealed.read(FOLDER / _file_name())
            found = pickle.loads(payload) if payload is not None else None
            _schemas = found if isinstance(found, dict) else {}
        except Exception:  # missing, unreadable, of another pydantic-core: pydantic checks all
            _schemas = {}
    return _schemas or None


def _file_name() -> str:
    return f"{code_digest()[:16]}.pickle"


def compile_builtin(folder: Path = FOLDER) -> int:
    """Keep every kind's compiled schema in `folder`, named by mppsite's code digest (pydantic's
    and pydantic-core's versions in it), and remove those of other code; how many kinds."""
    from . import schema_check

    schemas = {kind: _portable(schema_check._adapter(kind).core_schema) for kind in schema_check.KINDS}
    folder.mkdir(parents=True, exist_ok=True)
    name = _file_name()
    for entry in os.listdir(folder):
        if entry != name:
            os.unlink(folder / entry)
    scratch = folder / f".{name}.{os.getpid()}"
    scratch.write_bytes(b"".join(sealed.seal([pickle.dumps(schemas, protocol=pickle.HIGHEST_PROTOCOL)])))
    os.replace(scratch, folder / name)
    return len(schemas)


class NotPortable(Exception):
    """A core schema refers to code that would need pydantic to run (nothing is compiled then)."""


def _portable(node: Any, parent: dict[str, Any] | None = None) -> Any:
    """A copy of a core schema that pydantic-core alone can validate with, and pickle can keep."""
    from pydantic._internal import _validators

    from . import checks
    from .validate import Validated

    if isinstance(node, dict):
        made = {}
        for key, value in node.items():
            if key in ("metadata", "serialization"):  # JSON Schema and dumping: pydantic's own
                continue
            made[key] = Validated if key == "cls" and node.get("type") == "model" else _portable(value, node)
        return made
    if isinstance(node, (list, tuple)):
        return type(node)(_portable(value, parent) for value in node)
    if isinstance(node, functools.partial):  # a length pydantic checks after a BeforeValidator
        limits = {_validators.min_length_validator: (checks.at_least, "min_length"),
                  _validators.max_length_validator: (checks.at_most, "max_length")}
        if node.func not in limits or node.args or set(node.keywords) != {limits[node.func][1]}:
            raise NotPortable(repr(node))
        check, name = limits[node.func]
        return functools.partial(check, length=node.keywords[name])
    if callable(node):
        if node is list or getattr(node, "__module__", None) == checks.__name__:
            return node
        raise NotPortable(f"{getattr(node, '__module__', '?')}.{getattr(node, '__qualname__', node)}")
    return node
