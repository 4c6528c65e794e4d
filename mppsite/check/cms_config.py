"""The form editor's configuration (/admin/config.yml, read by Sveltia CMS), made from the same
models as the JSON Schema files, so that the form asks for what `check` accepts and follows every
change of the models without a hand-kept copy."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import TypeAdapter

from mppsite.check import schema
from mppsite.check.schema_export import text_languages
from mppsite.core import formats
from mppsite.core.formats import DEFAULT_LANGUAGES

SVELTIA_VERSION = "0.221.1"  # tests/cms/package.json pins the same; templates/admin.html loads it
REPO_PLACEHOLDER = "OWNER/REPO"  # staff write their repository here (docs/staff-guide.md, "Form editor")
_GITHUB_PAGES = re.compile(r"^https://([A-Za-z0-9-]+)\.github\.io/([A-Za-z0-9._-]+)/")
_DOCUMENTS = {"circulars": "Surat edaran / Circulars", "news": "Berita / News",
              "pages": "Halaman / Pages"}
# The fields whose values are other entries' ids: a select filled from the content when the form
# opens (Sveltia's relation widget), so that the committed file does not change with the content.
_FROM_CONTENT = {
    "category": {"widget": "relation", "collection": "site", "file": "categories",
                 "value_field": "categories.*.id", "search_fields": ["categories.*.id"],
                 "display_fields": ["categories.*.id"]},
    "counter": {"widget": "relation", "collection": "catalogs",
                "value_field": "tenant.counters.*", "search_fields": ["tenant.counters.*"],
                "display_fields": ["tenant.counters.*"]},
    "related": {"widget": "relation", "collection": "catalogs", "multiple": True,
                "value_field": "services.*.id", "search_fields": ["services.*.id"],
                "display_fields": ["services.*.id"]},
}


def repository(base_url: str, given: str | None = None) -> str:
    """site_config.yaml's `repository`, else OWNER/REPO from a GitHub Pages address
    (https://OWNER.github.io/REPO/), else the placeholder (the staff guide says where to fill it)."""
    found = _GITHUB_PAGES.match(base_url)
    return given or (f"{found[1]}/{found[2]}" if found else REPO_PLACEHOLDER)


def admin_config(languages: tuple[str, ...] = DEFAULT_LANGUAGES,
                 repo: str = REPO_PLACEHOLDER) -> dict[str, Any]:
    """The whole configuration: GitHub with a token, every change a pull request
    (editorial workflow), empty optional fields left out of the files (check rejects `''`)."""
    return {
        # A token only: GitHub's OAuth sign-in needs a server, which GitHub Pages cannot run.
        "backend": {"name": "github", "repo": repo, "branch": "main", "auth_methods": ["token"]},
        "publish_mode": "editorial_workflow",
        "media_folder": "content/files",
        "public_folder": "files",
        "output": {"omit_empty_optional_fields": True},
        "i18n": {"structure": "multiple_files", "locales": list(languages),
                 "default_locale": languages[0], "omit_default_locale_from_file_path": True},
        "collections": [_catalogs(languages), _single_files(languages),
                        *(_documents(name, label, languages) for name, label in _DOCUMENTS.items())],
    }


def admin_config_text(languages: tuple[str, ...] = DEFAULT_LANGUAGES,
                      repo: str = REPO_PLACEHOLDER) -> str:
    """config.yml's text: deterministic, in the schema's order, with a header saying its source."""
    # libyaml's emitter (the same bytes as PyYAML's own, five times faster): built on every build
    body = yaml.dump(admin_config(languages, repo), Dumper=yaml.CSafeDumper, sort_keys=False,
                     allow_unicode=True, width=100, default_flow_style=False)
    return ("# Made by `python build.py schema` from mppsite/check/schema.py: do not edit by hand.\n"
            f"# The form editor at /admin/ (Sveltia CMS {SVELTIA_VERSION}) reads it.\n" + body)


def _catalogs(languages: tuple[str, ...]) -> dict[str, Any]:
    return {"name": "catalogs", "label": "Katalog layanan / Service catalogs",
            "label_singular": "Katalog / Catalog", "folder": "content/services",
            "extension": "yaml", "format": "yaml", "create": True,
            "identifier_field": "tenant.id", "slug": "{{tenant.id}}",
            "summary": "{{tenant.short_name}} ({{tenant.id}})",
            "fields": _fields(schema.Catalog, languages)}


def _single_files(languages: tuple[str, ...]) -> dict[str, Any]:
    """The mall, its categories and its indicators: one file each, the last two a list at the top."""
    def listed(name: str, label: str, model: type, path: str) -> dict[str, Any]:
        item = _resolved(TypeAdapter(model).json_schema(), languages)
        return {"name": name, "label": label, "file": path,
                "fields": [{"name": name, "label": label, "widget": "list", "root": True,
                            "fields": _object_fields(item, languages)}]}

    return {"name": "site", "label": "MPP, kategori, indikator / Mall, categories, indicators",
            "files": [
                {"name": "mpp", "label": "MPP / The mall", "file": "content/mpp.yaml",
                 "fields": _fields(schema.Mall, languages)},
                listed("categories", "Kategori / Categories", schema.Category, "content/categories.yaml"),
                listed("indicators", "Indikator / Indicators", schema.Indicator, "content/indicators.yaml"),
            ]}


def _documents(name: str, label: str, languages: tuple[str, ...]) -> dict[str, Any]:
    """Markdown with front matter, one file per language (x.md, x.en.md): a Text is one string."""
    fields = _fields(schema.DocumentMeta, languages, per_language=True)
    return {"name": name, "label": label, "folder": f"content/{name}", "extension": "md",
            "format": "frontmatter", "create": True, "i18n": True,
            "fields": [*fields, {"name": "body", "label": "Isi / Body", "widget": "markdown",
                                 "i18n": True}]}


def _fields(model: type, languages: tuple[str, ...], per_language: bool = False) -> list[dict]:
    return _object_fields(_resolved(TypeAdapter(model).json_schema(), languages),
                          languages, per_language)


def _resolved(document: dict[str, Any], languages: tuple[str, ...]) -> dict[str, Any]:
    """The model's JSON Schema with every $ref replaced by its definition, Text with `languages`."""
    text_languages(document, languages)
    definitions = document.pop("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, list):
            return [walk(item) for item in node]
        if not isinstance(node, dict):
            return node
        if "$ref" in node:
            target = definitions[node["$ref"].rsplit("/", 1)[-1]]
            return walk({**target, **{k: v for k, v in node.items() if k != "$ref"}})
        return {key: walk(value) for key, value in node.items()}

    return walk(document)


def _object_fields(node: dict[str, Any], languages: tuple[str, ...],
                   per_language: bool = False) -> list[dict[str, Any]]:
    """One form field per property, in the schema's order; the optional ones `required: false`."""
    required = set(node.get("required", ()))
    fields = []
    for name, prop in node.get("properties", {}).items():
        field = {"name": name, **_labels(prop.get("description"), name),
                 **_widget(name, prop, languages, per_language)}
        if name not in required:
            field["required"] = False
        if per_language:
            field.setdefault("i18n", False)
        fields.append(field)
    return fields


def _labels(description: str | None, name: str) -> dict[str, str]:
    """'Kode layanan / Service id, unique ...': the label up to the English words' first pause,
    the whole description as the hint when it says more."""
    if not description:
        return {"label": name}
    head, slash, tail = description.partition(" / ")
    cut = re.search(r"[:;,.(]\s|[:;,.]$|\s\(", tail) if slash else None
    label = f"{head}{slash}{tail[:cut.start()] if cut else tail}".rstrip(" .")
    return {"label": label, "hint": description} if description.rstrip(" .") != label else {"label": label}


def _widget(name: str, prop: dict[str, Any], languages: tuple[str, ...],
            per_language: bool) -> dict[str, Any]:
    """The widget for one property: Text, a reference filled from the content, or by its type."""
    if name in _FROM_CONTENT:
        return dict(_FROM_CONTENT[name])
    branch = _one_branch(prop, languages)
    if _is_text(branch, languages):
        return {"widget": "string", "i18n": True} if per_language else _text(languages)
    return _typed(branch, languages, per_language)


def _one_branch(prop: dict[str, Any], languages: tuple[str, ...]) -> dict[str, Any]:
    """A value's one form: `X | None` is X; a Text stays whole; of 'a structure or a Text' a form
    can hold only one, the structure (`check` explains the other to whom writes it by hand)."""
    if "properties" in prop:  # one structure whose anyOf only says which of its keys are required
        return prop
    options = [option for option in prop.get("anyOf", ()) if option.get("type") != "null"]
    if not options or _is_text(prop, languages):
        return prop
    if _is_text({"anyOf": options}, languages):  # `Text | None`: pydantic lists the three side by side
        return {**prop, "anyOf": options}
    if len(options) == 1:
        return {**prop, **options[0]} if "anyOf" not in options[0] else _one_branch(options[0], languages)
    structured = [option for option in options if not _is_text(option, languages)]
    return _one_branch(structured[0], languages) if structured else options[0]


def _is_text(node: dict[str, Any], languages: tuple[str, ...]) -> bool:
    objects = [option for option in node.get("anyOf", ()) if option.get("type") == "object"]
    return (len(node.get("anyOf", ())) == 2 and len(objects) == 1
            and tuple(objects[0].get("properties", ())) == languages
            and any(option.get("type") == "string" for option in node["anyOf"]))


def _text(languages: tuple[str, ...]) -> dict[str, Any]:
    """Text: one multi-line field per site language, the first required."""
    names = {"id": "Bahasa Indonesia / Indonesian", "en": "Bahasa Inggris / English"}
    return {"widget": "object", "collapsed": False, "fields": [
        {"name": lang, "label": names.get(lang, lang), "widget": "text",
         **({} if index == 0 else {"required": False})}
        for index, lang in enumerate(languages)]}


def _typed(node: dict[str, Any], languages: tuple[str, ...], per_language: bool) -> dict[str, Any]:
    """A widget by JSON Schema type: select, date, number, list, object, file, string."""
    kind = node.get("type")
    if "enum" in node or "const" in node:
        return {"widget": "select", "options": list(node.get("enum", [node.get("const")]))}
    if kind == "string" and node.get("format") == "date":
        return {"widget": "datetime", "format": "YYYY-MM-DD", "date_format": "YYYY-MM-DD",
                "time_format": False, "picker_utc": True}
    if kind in ("integer", "number"):
        bounds = {key: node[limit] for key, limit in (("min", "minimum"), ("max", "maximum"))
                  if limit in node}
        return {"widget": "number", "value_type": "int" if kind == "integer" else "float", **bounds}
    if kind == "boolean":
        return {"widget": "boolean", **({"default": node["default"]} if "default" in node else {})}
    if kind == "array":
        return _list(node, languages, per_language)
    if kind == "object" or "properties" in node:
        return {"widget": "object", "collapsed": False,
                "fields": _object_fields(node, languages, per_language)}
    if node.get("pattern") == formats.FILE_PATTERN:
        return {"widget": "file"}
    return {"widget": "string", **({"pattern": [node["pattern"], _pattern_hint(node["pattern"])]}
                                   if "pattern" in node else {})}


def _list(node: dict[str, Any], languages: tuple[str, ...], per_language: bool) -> dict[str, Any]:
    item = _one_branch(node.get("items", {}), languages)
    widget: dict[str, Any] = {"widget": "list"}
    if "minItems" in node:
        widget["min"] = node["minItems"]
    if _is_text(item, languages):
        return {**widget, "field": {"name": "item", "label": "Teks / Text", **_text(languages)}}
    inner = _typed(item, languages, per_language)
    if inner["widget"] == "object":
        return {**widget, "collapsed": True, "fields": inner["fields"]}
    return {**widget, "field": {"name": "item", "label": "Isi / Item", **inner}}


def _pattern_hint(pattern: str) -> str:
    """The message beside a pattern the value does not match."""
    return {formats.SLUG_PATTERN: "Huruf kecil a-z, angka dan '-' / lowercase a-z, digits and '-'",
            formats.TIME_PATTERN: "JJ:MM, mis. 08:00 / HH:MM, e.g. 08:00",
            formats.URL_PATTERN: "Alamat web https://... / a web address https://..."}.get(
        pattern, "Bentuk tidak sah / Not in the expected form")


# The script /admin/ loads: the npm package's own file through jsDelivr, pinned by its digest
# (Subresource Integrity): tests/cms checks the digest against the installed package's file.
SVELTIA_FILE = "dist/sveltia-cms.js"
SVELTIA_URL = f"https://cdn.jsdelivr.net/npm/@sveltia/cms@{SVELTIA_VERSION}/{SVELTIA_FILE}"
SVELTIA_INTEGRITY = "sha384-JQ+XsKx/UzwdTiNnFStza3XtqqQoVtyNPApkfvwlzZDfhe7giE9CnfQrpHqgv3k6"
CONFIG_NAME = "admin-config.yml"


def export(folder: Path, languages: tuple[str, ...], repo: str) -> Path:
    """Write schema/admin-config.yml (committed, so that a change of the form is reviewed)."""
    path = folder / CONFIG_NAME
    path.write_text(admin_config_text(languages, repo), encoding="utf-8")
    return path
