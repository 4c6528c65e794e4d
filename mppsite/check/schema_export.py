"""Export the schema as JSON Schema files (schema/*.json) for editor completion and checking."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import TypeAdapter

from mppsite.check import schema

FILES = {
    "site_config.schema.json": (schema.SiteConfig, "site_config.yaml: build settings"),
    "mpp.schema.json": (schema.Mall, "content/mpp.yaml: the public service mall"),
    "categories.schema.json": (list[schema.Category], "content/categories.yaml: service categories"),
    "catalog.schema.json": (schema.Catalog, "content/services/<tenant>.yaml: one tenant's service catalog"),
    "indicators.schema.json": (list[schema.Indicator], "content/indicators.yaml: achievement figures"),
    "document.schema.json": (schema.DocumentMeta, "Front matter of circulars, news and pages"),
}


def export(folder: Path) -> list[Path]:
    """Write one JSON Schema file per format into `folder`, deterministic (sorted keys)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, (model, title) in FILES.items():
        document = {"$schema": "https://json-schema.org/draft/2020-12/schema",
                    "$id": name, "title": title, **TypeAdapter(model).json_schema()}
        text = json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        (folder / name).write_text(text, encoding="utf-8")
    return [folder / name for name in FILES]
