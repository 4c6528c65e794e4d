"""Editor support: .vscode/ maps the JSON Schema files in schema/ onto the content files, and the
content that ships really is valid against those schemas (so an editor shows no false alarms)."""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from mppsite.load.source import Loader

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
MAPPING: dict[str, list[str]] = SETTINGS["yaml.schemas"]


def _schema(path: str) -> dict:
    return json.loads((ROOT / path.removeprefix("./")).read_text(encoding="utf-8"))


def _as_editor_sees_it(value: Any) -> Any:
    """YAML data as JSON: dates become their text, like an editor's YAML 1.2 reading of them."""
    if isinstance(value, dict):
        return {key: _as_editor_sees_it(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_editor_sees_it(item) for item in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _load(path: Path) -> Any:
    return _as_editor_sees_it(yaml.load(path.read_text(encoding="utf-8"), Loader=Loader))


def _errors(schema: dict, data: Any) -> list[str]:
    validator = jsonschema.Draft202012Validator(schema)
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
            for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.path)))]


def test_extensions_recommend_the_yaml_extension():
    extensions = json.loads((ROOT / ".vscode" / "extensions.json").read_text(encoding="utf-8"))
    assert "redhat.vscode-yaml" in extensions["recommendations"]


def test_every_yaml_schema_is_mapped():
    mapped = {path.removeprefix("./") for path in MAPPING}
    yaml_schemas = {f"schema/{p.name}" for p in (ROOT / "schema").glob("*.schema.json")}
    # document.schema.json describes Markdown front matter, which the YAML extension does not open
    assert mapped == yaml_schemas - {"schema/document.schema.json"}
    assert MAPPING["./schema/catalog.schema.json"] == ["content/services/*.yaml"]


@pytest.mark.parametrize("schema_path", sorted(MAPPING))
def test_mapped_schema_exists_is_valid_and_each_glob_matches(schema_path):
    assert schema_path.startswith("./schema/")
    schema = _schema(schema_path)
    jsonschema.Draft202012Validator.check_schema(schema)
    for pattern in MAPPING[schema_path]:
        assert sorted(ROOT.glob(pattern)), f"{pattern} matches no file"


@pytest.mark.parametrize("schema_path", sorted(MAPPING))
def test_bundled_content_validates_against_its_schema(schema_path):
    schema = _schema(schema_path)
    for pattern in MAPPING[schema_path]:
        for path in sorted(ROOT.glob(pattern)):
            assert _errors(schema, _load(path)) == [], path.relative_to(ROOT)


def test_every_catalog_validates_against_the_catalog_schema():
    schema = _schema("schema/catalog.schema.json")
    catalogs = sorted((ROOT / "content" / "services").glob("*.yaml"))
    assert len(catalogs) >= 20
    problems = {str(p.relative_to(ROOT)): _errors(schema, _load(p)) for p in catalogs}
    assert {path: errors for path, errors in problems.items() if errors} == {}


def test_the_catalog_schema_catches_a_typo():
    schema = _schema("schema/catalog.schema.json")
    data = _load(ROOT / "content" / "services" / "polres.yaml")
    service = data["services"][0]
    service["requirement"] = service.pop("requirements")
    errors = _errors(schema, data)
    assert any("requirement" in error for error in errors), errors


def test_the_modeline_in_the_docs_points_at_the_schema():
    # `# yaml-language-server: $schema=../../schema/catalog.schema.json`, written in a catalog
    assert (ROOT / "content" / "services" / "../../schema/catalog.schema.json").resolve().is_file()
    for guide in ("docs/panduan-staf.md", "docs/staff-guide.md"):
        text = (ROOT / guide).read_text(encoding="utf-8")
        assert "# yaml-language-server: $schema=../../schema/catalog.schema.json" in text, guide


@pytest.mark.parametrize("guide", ["docs/panduan-staf.md", "docs/staff-guide.md"])
def test_the_catalog_example_in_the_guide_is_valid(guide):
    text = (ROOT / guide).read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(tenant:\n.*?)```", text, flags=re.S)
    assert example, f"{guide} has no complete catalog example"
    data = _as_editor_sees_it(yaml.load(example.group(1), Loader=Loader))
    assert _errors(_schema("schema/catalog.schema.json"), data) == []
    assert data["services"][0]["id"] == "skck-baru"
