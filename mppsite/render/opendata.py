"""Open data: the service catalog as JSON (with its JSON Schema) and as CSV for spreadsheets.

Both hold every service in every language, sorted by id, with no timestamps. In the JSON a text
is keyed by language, holding only the languages written (readers fall back to `default_language`,
as the site does); the CSV has a column per language, filled the way that language's pages show it.
"""

from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING, Any, Protocol

from mppsite.model.routes import Router
from mppsite.model.site import Requirement, Service, Site, Text
from mppsite.render.structured import compact_json_bytes, iso_duration

if TYPE_CHECKING:
    from mppsite.render.templates import Lang

DATA_DIR = "data/"
JSON_NAME, SCHEMA_NAME, CSV_NAME = "services.json", "services.schema.json", "services.csv"
JOIN = " | "
# A cell starting with one of these would be run as a formula by spreadsheets; it gets a leading '.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
Row = tuple[bytes, bytes]  # a service's line of services.json and its row of services.csv


class Rows(Protocol):
    """The rows of the last build, for services whose inputs did not change (write/publish.py)."""

    def get(self, service: Service) -> Row | None: ...

    def put(self, service: Service, row: Row) -> None: ...


def open_data_files(site: Site, router: Router, langs: dict[str, Lang], rows: Rows) -> dict[str, bytes]:
    """services.json, its JSON Schema and services.csv: every service in every language, in
    order of id; each service's row is taken from `rows` when kept there, and given to it."""
    languages = tuple(langs)
    default = langs[languages[0]]
    schema_url = default.absolute(router.base_path + DATA_DIR + SCHEMA_NAME)
    services = sorted(site.services, key=lambda s: s.id)
    catalog = {
        "$schema": schema_url,
        "languages": list(languages), "default_language": languages[0],
        "mall": {"name": _text(site.mall.name), "short_name": site.mall.short_name,
                 "url": _urls(langs, "home")},
        "count": len(services),
        "services": [],
    }
    empty = _json(catalog).encode()
    json_rows, csv_rows = [], []
    for service in services:
        row = rows.get(service)
        if row is None:
            record, cells = _service_row(service, langs)
            row = (compact_json_bytes(record), _csv_line(cells))  # compact: json's indenting is slow
        rows.put(service, row)
        json_rows.append(row[0])
        csv_rows.append(row[1])
    data = empty[: -len(b"[]\n}\n")] + b"[\n" + b",\n".join(json_rows) + b"\n]\n}\n" if services else empty
    return {DATA_DIR + JSON_NAME: data,
            DATA_DIR + SCHEMA_NAME: _json(json_schema(languages, schema_url)).encode(),
            DATA_DIR + CSV_NAME: b"".join(["\ufeff".encode(), _csv_line(csv_columns(languages)), *csv_rows])}


def _csv_line(cells: list[Any]) -> bytes:
    """One row of services.csv as UTF-8; text a spreadsheet would run as a formula gets a leading '."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(
        ["'" + cell if isinstance(cell, str) and cell.startswith(FORMULA_START) else cell for cell in cells])
    return out.getvalue().encode()


def _json(data: Any) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, indent=2) + "\n"


def _text(value: Text | None) -> dict[str, str] | None:
    return value.values if value is not None else None  # (encoded, never changed)


def _urls(langs: dict[str, Lang], kind: str, slug: str | None = None) -> dict[str, str]:
    return {code: lang.absolute(lang.url(kind, slug)) for code, lang in langs.items()}


def _service_row(service: Service, langs: dict[str, Lang]) -> tuple[dict[str, Any], list[Any]]:
    """A service's record in services.json (every field, in every language it was written in) and
    its cells in services.csv (in `csv_columns`' order, each language's as its pages show them)."""
    duration, fee, tenant, category = service.duration, service.fee, service.tenant, service.category
    iso = iso_duration(duration)
    urls = _urls(langs, "service", service.id)
    duration_text = {code: lang.duration_words(duration) for code, lang in langs.items()}
    fee_text = {code: lang.fee_words(fee) for code, lang in langs.items()}
    record = {
        "id": service.id,
        "url": urls,
        "name": _text(service.name),
        "summary": _text(service.summary),
        "category": {"id": category.id, "name": _text(category.name),
                     "url": _urls(langs, "category", category.id)},
        "tenant": {"id": tenant.id, "name": _text(tenant.name), "short_name": tenant.short_name,
                   "type": tenant.type, "website": tenant.website, "phone": tenant.phone,
                   "url": _urls(langs, "tenant", tenant.id)},
        "counter": service.counter,
        "eligibility": [_text(item) for item in service.eligibility],
        "requirements": [{"text": _text(item), "form": item.form, "count": item.count}
                         for item in service.requirements],
        "procedure": [_text(item) for item in service.procedure],
        "duration": {
            "value": duration.value, "unit": duration.unit, "iso8601": iso,
            "text": duration_text,  # as the pages show it: the number, then the note
            "note": _text(duration.note),
        },
        "fee": {"rupiah": fee.amount, "text": fee_text, "note": _text(fee.note)},
        "product": _text(service.product),
        "legal_basis": list(service.legal_basis),
        **_online(service),
        "forms": [{"title": _text(form.title),
                   "url": _file_url(langs, form.file) if form.file else form.url}
                  for form in service.forms],
        "keywords": list(service.keywords),
        "notes": _text(service.notes),
        "if_refused": _text(service.if_refused),
        "related": [other.id for other in service.related],
        "reviewed_on": service.reviewed_on.isoformat() if service.reviewed_on else None,
    }
    return record, _service_cells(service, langs, duration_text, fee_text, iso, urls)


def _service_cells(service: Service, langs: dict[str, Lang], duration_text: dict[str, str],
                   fee_text: dict[str, str], iso: str | None, urls: dict[str, str]) -> list[Any]:
    """A service's cells in services.csv, in `csv_columns`' order."""
    duration, fee, tenant, category = service.duration, service.fee, service.tenant, service.category
    each = langs.values()
    return [
        service.id, *(lang.plain(service.name) for lang in each),
        *(lang.plain(service.summary) for lang in each),
        category.id, *(lang.plain(category.name) for lang in each),
        tenant.id, *(lang.plain(tenant.name) for lang in each), tenant.short_name, tenant.type,
        service.counter or "",
        *(JOIN.join(lang.plain(item) for item in service.eligibility) for lang in each),
        *(JOIN.join(_requirement(item, lang) for item in service.requirements) for lang in each),
        *(JOIN.join(lang.plain(step) for step in service.procedure) for lang in each),
        "" if duration.value is None else duration.value, duration.unit or "", iso or "",
        *duration_text.values(), *(lang.plain(duration.note) for lang in each),
        "" if fee.amount is None else fee.amount, *fee_text.values(),
        *(lang.plain(fee.note) for lang in each),
        *(lang.plain(service.product) for lang in each),
        JOIN.join(service.legal_basis), JOIN.join(channel.url for channel in service.online),
        JOIN.join(_file_url(langs, form.file) if form.file else form.url or "" for form in service.forms),
        JOIN.join(service.keywords), *(lang.plain(service.notes) for lang in each),
        *(lang.plain(service.if_refused) for lang in each), JOIN.join(other.id for other in service.related),
        service.reviewed_on.isoformat() if service.reviewed_on else "", *urls.values(),
    ]


def _requirement(item: Requirement, lang: Lang) -> str:
    """A requirement as its page shows it: 'KTP-el (fotokopi, 2 lembar)'."""
    note = lang.requirement_note(item)
    return f"{lang.plain(item)} ({note})" if note else lang.plain(item)


def _online(service: Service) -> dict[str, Any]:
    """Where it can also be done: every site and app, and the first alone as `online_url` (the
    field of the files published before services named them)."""
    return {"online_url": service.online[0].url if service.online else None,
            "online": [{"name": _text(channel.name), "url": channel.url} for channel in service.online]}


def _file_url(langs: dict[str, Lang], rel: str) -> str:
    lang = next(iter(langs.values()))
    return lang.absolute(lang.file(rel))


# --- JSON Schema ----------------------------------------------------------------------------

def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/$defs/{name}"}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


def _obj(description: str, **properties: Any) -> dict[str, Any]:
    return {"type": "object", "description": description, "properties": properties,
            "required": sorted(properties), "additionalProperties": False}


_STRING = {"type": "string", "minLength": 1}


def _service_schema() -> dict[str, Any]:
    """The schema of one service in services.json."""
    ref, nullable, obj, string = _ref, _nullable, _obj, _STRING
    return obj(
        "One service and its service standard (UU 25/2009 Pasal 21).",
        id={"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$", "description": "Unique slug."},
        url=ref("urls"), name=ref("text"), summary=ref("text"),
        category=obj("Kategori / category.", id=string, name=ref("text"), url=ref("urls")),
        tenant=obj("Instansi / tenant agency providing the service.", id=string, name=ref("text"),
                   short_name=string, url=ref("urls"), website=nullable(ref("uri")),
                   phone=nullable(string),
                   type={"enum": ["perangkat-daerah", "instansi-vertikal", "bumn", "bumd", "bank",
                                  "lainnya"]}),
        counter=nullable({"type": "string", "description": "Loket / counter label in the mall."}),
        eligibility={"type": "array", "items": ref("text"), "description": (
            "Siapa yang dapat mengajukan / who can apply: conditions, not documents.")},
        requirements={"type": "array", "minItems": 1, "description": "Persyaratan / requirements.",
                      "items": obj("A document to bring.", text=ref("text"),
                                   form=nullable({"enum": ["original", "copy", "both"],
                                                  "description": "Asli, fotokopi, or both."}),
                                   count=nullable({"type": "integer", "minimum": 1,
                                                   "description": "How many."}))},
        procedure={"type": "array", "minItems": 1, "items": ref("text"),
                   "description": "Sistem, mekanisme dan prosedur / steps, in order."},
        duration=obj("Jangka waktu pelayanan / service time: a value and unit, a note in words, or both.",
                     value=nullable({"type": "integer", "minimum": 0}),
                     unit=nullable({"enum": ["minutes", "hours", "days", "working_days"]}),
                     iso8601=nullable({"type": "string", "pattern": "^PT?[0-9]+[MHD]$",
                                       "description": "ISO 8601 duration; working days as days."}),
                     text={**ref("text"), "description": "As the pages show it: the value, then the note."},
                     note=nullable({**ref("text"), "description": "The note as written."})),
        fee=obj("Biaya/tarif / fee: whole rupiah (0 = free), a note for tiered or conditional fees, or both.",
                rupiah=nullable({"type": "integer", "minimum": 0}),
                text={**ref("text"), "description": "As the pages show it: the amount, then the note."},
                note=nullable({**ref("text"), "description": "The note as written."})),
        product={**ref("text"), "description": "Produk pelayanan / what the citizen receives."},
        legal_basis={"type": "array", "items": string, "description": "Dasar hukum (not translated)."},
        online_url=nullable({**ref("uri"), "description": "The first of 'online' (kept for older readers)."}),
        online={"type": "array", "description": "Saluran daring / sites and apps where it can also be done.",
                "items": obj("A site or app.", name=nullable(ref("text")), url=ref("uri"))},
        forms={"type": "array", "items": obj("A form to download.", title=ref("text"), url=ref("uri"))},
        keywords={"type": "array", "items": string, "description": "Extra search words."},
        notes=nullable({**ref("text"), "description": "Catatan / notes, in Markdown."}),
        if_refused=nullable({**ref("text"), "description": "What to do if the application is refused "
                                                           "or incomplete."}),
        related={"type": "array", "items": string,
                 "description": "Ids of related services, both ways (each lists the other)."},
        reviewed_on=nullable({"type": "string", "format": "date",
                              "description": "When the agency last checked the entry."}),
    )


def json_schema(languages: tuple[str, ...], schema_url: str) -> dict[str, Any]:
    """JSON Schema (2020-12) of services.json for the site's languages."""
    default = languages[0]
    ref, obj, string = _ref, _obj, _STRING
    schema = obj(
        "Service catalog of a public service mall (Mal Pelayanan Publik), published by mppsite.",
        **{"$schema": {"type": "string", "format": "uri"}},
        languages={"type": "array", "items": {"enum": list(languages)}, "minItems": 1},
        default_language={"const": default},
        mall=obj("The mall.", name=ref("text"), short_name=string, url=ref("urls")),
        count={"type": "integer", "minimum": 0},
        services={"type": "array", "items": ref("service")},
    )
    schema.update({
        "$schema": "https://json-schema.org/draft/2020-12/schema", "$id": schema_url,
        "title": "services.json",
        "$defs": {
            "uri": {"type": "string", "format": "uri"},
            "urls": obj("Absolute URL of the page in each language.",
                        **{code: ref("uri") for code in languages}),
            "text": {"type": "object", "minProperties": 1, "required": [default],
                     "additionalProperties": False,
                     "properties": {code: string for code in languages},
                     "description": (f"Words keyed by language, only the languages written; where a "
                                     f"language is missing the site shows the '{default}' words.")},
            "service": _service_schema(),
        },
    })
    return schema


# --- CSV ------------------------------------------------------------------------------------

def csv_columns(languages: tuple[str, ...]) -> list[str]:
    def each(name: str) -> list[str]:
        return [f"{name}_{code}" for code in languages]

    return ["id", *each("name"), *each("summary"), "category_id", *each("category_name"),
            "tenant_id", *each("tenant_name"), "tenant_short_name", "tenant_type", "counter",
            *each("eligibility"), *each("requirements"), *each("procedure"), "duration_value",
            "duration_unit",
            "duration_iso8601", *each("duration_text"), *each("duration_note"), "fee_rupiah",
            *each("fee_text"), *each("fee_note"),
            *each("product"), "legal_basis", "online_url", "forms", "keywords", *each("notes"),
            *each("if_refused"), "related", "reviewed_on", *each("url")]
