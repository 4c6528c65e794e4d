"""The form editor's config.yml: made from the models, committed up to date, valid for Sveltia."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from conftest import ROOT, run

from mppsite.check import cms_config

SVELTIA_SCHEMA = ROOT / "tests" / "cms" / "node_modules" / "@sveltia" / "cms" / "schema" / "sveltia-cms.json"


def _fields(config: dict, collection: str) -> dict:
    """A collection's fields by key path (services.fee), nested ones included."""
    found: dict = {}

    def walk(fields: list, prefix: str) -> None:
        for field in fields:
            found[prefix + field["name"]] = field
            walk(field.get("fields", []), f"{prefix}{field['name']}.")
    chosen = next(item for item in config["collections"] if item["name"] == collection)
    walk(chosen["fields"], "")
    return found


def test_the_committed_config_is_what_schema_writes(tmp_path: Path):
    """`python build.py schema` was run after the models last changed (else run it and commit)."""
    (tmp_path / "schema").mkdir()
    (tmp_path / "site_config.yaml").write_bytes((ROOT / "site_config.yaml").read_bytes())
    assert run(tmp_path, "schema").code == 0
    written = (tmp_path / "schema" / cms_config.CONFIG_NAME).read_text(encoding="utf-8")
    assert written == (ROOT / "schema" / cms_config.CONFIG_NAME).read_text(encoding="utf-8"), \
        "schema/admin-config.yml is stale: run `python build.py schema` and commit it"


def test_the_config_is_valid_for_sveltia():
    if not SVELTIA_SCHEMA.exists():
        pytest.fail("tests/cms/node_modules is missing: `make test` runs npm ci in tests/cms")
    config = yaml.safe_load(cms_config.admin_config_text())
    jsonschema.validate(config, json.loads(SVELTIA_SCHEMA.read_text(encoding="utf-8")))


def test_fields_follow_the_models():
    config = cms_config.admin_config(("id", "en"), "mpp-sukabumi/mppsite")
    assert config["publish_mode"] == "editorial_workflow"
    assert config["output"] == {"omit_empty_optional_fields": True}
    fields = _fields(config, "catalogs")
    services = [field["name"] for field in fields["services"]["fields"]]
    assert services[:5] == ["id", "name", "category", "summary", "eligibility"]
    assert fields["services.summary"]["widget"] == "object"
    assert fields["services.summary.id"].get("required", True) is True
    assert fields["services.summary.en"]["required"] is False
    assert fields["services.notes"]["required"] is False
    assert fields["services.notes"]["widget"] == "object"  # an optional Text is a Text all the same
    assert [field["name"] for field in fields["services.notes"]["fields"]] == ["id", "en"]
    assert fields["tenant.description"]["widget"] == "object"
    assert fields["services.category"]["widget"] == "relation"
    assert fields["services.counter"]["value_field"] == "tenant.counters.*"
    assert fields["services.reviewed_on"]["format"] == "YYYY-MM-DD"
    assert fields["tenant.type"]["options"][0] == "perangkat-daerah"
    assert fields["services.name"]["label"] == "Nama layanan / Service name"


def test_the_repository_comes_from_a_github_pages_address():
    assert cms_config.repository("https://mpp-sukabumi.github.io/mppsite/") == "mpp-sukabumi/mppsite"
    assert cms_config.repository("https://mpp.example.go.id/") == cms_config.REPO_PLACEHOLDER
    assert cms_config.repository("https://mpp.example.go.id/", "pemkot/mpp") == "pemkot/mpp"


def test_schema_takes_the_repository_from_site_config(tmp_path: Path):
    """A site on its own domain names its repository in site_config.yaml (`repository:`)."""
    (tmp_path / "schema").mkdir()
    (tmp_path / "site_config.yaml").write_text(
        "base_url: https://mpp.example.go.id/\nrepository: pemkot-contoh/situs-mpp\n", encoding="utf-8")
    assert run(tmp_path, "schema").code == 0
    written = yaml.safe_load((tmp_path / "schema" / cms_config.CONFIG_NAME).read_text(encoding="utf-8"))
    assert written["backend"] == {"name": "github", "repo": "pemkot-contoh/situs-mpp", "branch": "main",
                                  "auth_methods": ["token"]}
