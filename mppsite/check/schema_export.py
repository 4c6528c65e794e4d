"""Export the schema as JSON Schema files (schema/*.json) for editor completion and checking."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import TypeAdapter

from mppsite.check import schema
from mppsite.core.formats import DEFAULT_LANGUAGES

FILES = {
    "site_config.schema.json": (schema.SiteConfig, "site_config.yaml: build settings"),
    "mpp.schema.json": (schema.Mall, "content/mpp.yaml: the public service mall"),
    "categories.schema.json": (list[schema.Category], "content/categories.yaml: service categories"),
    "catalog.schema.json": (schema.Catalog, "content/services/<tenant>.yaml: one tenant's service catalog"),
    "indicators.schema.json": (list[schema.Indicator], "content/indicators.yaml: achievement figures"),
    "document.schema.json": (schema.DocumentMeta, "Front matter of circulars, news and pages"),
}


def export(folder: Path, languages: tuple[str, ...] = DEFAULT_LANGUAGES) -> list[Path]:
    """Write one JSON Schema file per format into `folder`, deterministic (sorted keys), with the
    site's languages as the keys of a Text (an editor then accepts `su:` on a site that has it)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, (model, title) in FILES.items():
        document = {"$schema": "https://json-schema.org/draft/2020-12/schema",
                    "$id": name, "title": title, **TypeAdapter(model).json_schema()}
        text_languages(document, languages)
        text = json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        (folder / name).write_text(text, encoding="utf-8")
    return [folder / name for name in FILES]


def text_languages(node: object, languages: tuple[str, ...]) -> None:
    """Give every Text's object form (made for DEFAULT_LANGUAGES) the keys of `languages`."""
    if isinstance(node, list):
        for item in node:
            text_languages(item, languages)
    if not isinstance(node, dict):
        return
    keys = node.get("properties")
    if node.get("additionalProperties") is False and isinstance(keys, dict) \
            and tuple(keys) == DEFAULT_LANGUAGES and node.get("required") == [DEFAULT_LANGUAGES[0]]:
        node["properties"] = {lang: keys.get(lang, {"type": "string", "minLength": 1,
                                                    "description": _language_name(lang)})
                              for lang in languages}
        node["required"] = [languages[0]]
    for value in node.values():
        text_languages(value, languages)


def _language_name(code: str) -> str:
    """'Bahasa Sunda / Sundanese', as Babel names a language (the code when it knows none)."""
    from babel import Locale, UnknownLocaleError

    try:
        locale = Locale.parse(code)
    except (ValueError, UnknownLocaleError):
        return code
    return f"Bahasa {locale.get_display_name('id').title()} / {locale.get_display_name('en')}"
