"""The file formats staff write, declared once, and the checks of their own types.

pydantic validates (reporting every error in one pass, with its path) and exports the same
declarations as JSON Schema for editors (`schema/`). Field descriptions give the regulation's
Indonesian term and English, because editors show them when staff hover a key.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    Strict,
    StringConstraints,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from mppsite.check.contact_fields import Email, ImageRef, Instagram, Phone, WhatsApp
from mppsite.check.fields import (
    DURATION_MAX,
    FEE_MAX,
    REQUIREMENT_COUNT_MAX,
    REQUIREMENT_FORMS,
    check_duration,
    check_fee,
    check_requirement,
    check_text,
    label,
)
from mppsite.core import formats
from mppsite.core.formats import DEFAULT_LANGUAGES, DURATION_UNITS

if TYPE_CHECKING:
    from pydantic_core.core_schema import ValidationInfo


# --- the types -------------------------------------------------------------------------------

_LANGUAGE_NAMES = {"id": "Bahasa Indonesia / Indonesian", "en": "Bahasa Inggris / English"}
_TEXT_JSON = {"anyOf": [
    {"type": "string", "minLength": 1,
     "description": "Teks dalam bahasa utama / Text in the default language."},
    {"type": "object", "properties": {lang: {"type": "string", "minLength": 1,
                                             "description": _LANGUAGE_NAMES.get(lang, lang)}
                                      for lang in DEFAULT_LANGUAGES},
     "required": [DEFAULT_LANGUAGES[0]], "additionalProperties": False},
]}
Text = Annotated[dict[str, str], PlainValidator(check_text), WithJsonSchema(_TEXT_JSON)]
_NOTE_JSON = {**_TEXT_JSON, "description": (
    "Catatan / Note: in words, for what a number cannot say (tiered or conditional).")}
Duration = Annotated[dict[str, Any], PlainValidator(check_duration), WithJsonSchema({
    "type": "object", "properties": {
        "value": {"type": "integer", "minimum": 1, "maximum": DURATION_MAX,
                  "description": "Jumlah / Amount: a whole number, together with unit."},
        "unit": {"enum": list(DURATION_UNITS), "description": "Satuan / Unit: minutes, hours, days or "
                                                               "working_days (hari kerja)."},
        "note": _NOTE_JSON},
    "anyOf": [{"required": ["value", "unit"]}, {"required": ["note"]}],
    "dependentRequired": {"value": ["unit"], "unit": ["value"]}, "additionalProperties": False})]
Fee = Annotated[dict[str, Any], PlainValidator(check_fee), WithJsonSchema({
    "type": "object", "properties": {
        "amount": {"type": "integer", "minimum": 0, "maximum": FEE_MAX,
                   "description": "Jumlah / Amount: whole rupiah, without dots or 'Rp'; 0 = free (gratis)."},
        "note": _NOTE_JSON},
    "anyOf": [{"required": ["amount"]}, {"required": ["note"]}], "additionalProperties": False})]
Requirement = Annotated[dict[str, Any], PlainValidator(check_requirement), WithJsonSchema({"anyOf": [
    _TEXT_JSON,
    {"type": "object", "properties": {
        "text": {**_TEXT_JSON, "description": "Dokumen / The document, in words."},
        "form": {"enum": list(REQUIREMENT_FORMS), "description": (
            "Bentuk / original (asli), copy (fotokopi) or both (asli dan fotokopi).")},
        "count": {"type": "integer", "minimum": 1, "maximum": REQUIREMENT_COUNT_MAX,
                  "description": "Jumlah / How many: a whole number, e.g. 2 (lembar)."}},
     "required": ["text"], "additionalProperties": False}]})]
Slug = Annotated[str, StringConstraints(pattern=formats.SLUG_PATTERN, max_length=formats.SLUG_MAX)]
Time = Annotated[str, StringConstraints(pattern=formats.TIME_PATTERN)]
Url = Annotated[str, StringConstraints(pattern=formats.URL_PATTERN)]
FileRef = Annotated[str, StringConstraints(pattern=formats.FILE_PATTERN)]
Label = Annotated[str, BeforeValidator(label), StringConstraints(min_length=1, max_length=20),
                  WithJsonSchema({"type": ["string", "integer"]})]
Date = Annotated[datetime.date, Strict(), WithJsonSchema({"type": "string", "format": "date"})]
Plain = Annotated[str, StringConstraints(min_length=1)]



class Model(BaseModel):
    """Every mapping staff write: unknown fields are errors (typos must not pass silently)."""

    model_config = ConfigDict(extra="forbid", hide_input_in_errors=False)


# --- site_config.yaml -------------------------------------------------------------------------

class SiteConfig(Model):
    base_url: Url = Field(description="Alamat situs / Where the site is served, e.g. "
                          "https://OWNER.github.io/REPO/. Its path prefixes every link.")
    languages: list[Annotated[str, StringConstraints(pattern=formats.LANGUAGE_PATTERN)]] = Field(
        default=list(DEFAULT_LANGUAGES), min_length=1,
        description="Bahasa / Languages: the first is served at the site root, others under /<code>/.")
    output_dir: Plain = Field(default="output", description=(
        "Folder hasil / Output folder, inside the project; never the project root, content/ "
        "or templates/."))
    search: bool = Field(default=True, description="Pencarian / Build the full-text search index.")
    timezone: Plain = Field(default="Asia/Jakarta", description=(
        "Zona waktu MPP / The mall's time zone, by its IANA name: Asia/Jakarta (WIB), "
        "Asia/Pontianak (WIB), Asia/Makassar (WITA) or Asia/Jayapura (WIT). The line 'Hari ini: "
        "buka ...' tells today's day and hour in this zone, not the visitor's phone's."))
    repository: Annotated[str, StringConstraints(pattern=formats.REPOSITORY_PATTERN)] | None = Field(
        default=None, description=(
            "Repositori GitHub / The GitHub repository the form editor (/admin/) saves to, as "
            "OWNER/REPO. Needed only where base_url is not https://OWNER.github.io/REPO/."))


# --- content/mpp.yaml -------------------------------------------------------------------------

class OpeningHours(Model):
    days: list[Literal[formats.WEEKDAYS]] = Field(  # type: ignore[valid-type]
        min_length=1, description="Hari / Days: mon … sun.")
    opens: Time = Field(description="Jam buka / Opens, as HH:MM (quote it: \"08:00\").")
    closes: Time = Field(description="Jam tutup / Closes, as HH:MM.")

    @model_validator(mode="after")
    def _closes_after_opens(self) -> OpeningHours:
        if self.closes <= self.opens:
            raise PydanticCustomError("hours_order", "closes before opens",
                                      {"opens": self.opens, "closes": self.closes})
        return self


class Closure(Model):
    date: Date = Field(description="Tanggal tutup / Date the mall is closed (YYYY-MM-DD).")
    reason: Text | None = Field(default=None, description="Alasan / Reason, e.g. a public holiday.")


class ClosureYear(Model):
    """One year's official list of national holidays and cuti bersama, with the decision it comes
    from: a new list is added each year, and `check` tells when the coming year's is missing
    (references.py checks that each date lies in its year, and one list per year)."""

    year: Annotated[int, Field(ge=2000, le=2100)] = Field(description="Tahun / The year the list covers.")
    source: Plain = Field(description=(
        "Sumber / The decision the dates come from, e.g. the SKB of three ministers on national "
        "holidays and cuti bersama of that year, with its numbers (not translated)."))
    url: Url | None = Field(default=None, description="Tautan sumber / Web address of the source.")
    dates: list[Closure] = Field(min_length=1, description=(
        "Tanggal / The days the mall is closed that year: national holidays and cuti bersama."))


class Contact(Model):
    phone: Phone | None = Field(default=None, description=(
        "Telepon / Phone, in quotes: digits, spaces, '-', brackets, '+' at the start, "
        "e.g. \"(0266) 123456\". Shown as a tel: link in the footer of every page."))
    whatsapp: WhatsApp | None = Field(default=None, description=(
        "Nomor WhatsApp / WhatsApp number, in quotes, starting 08… or +62…, e.g. \"0812-3456-7890\". "
        "Shown as a wa.me link."))
    email: Email | None = Field(default=None, description="Surel / Email address, e.g. mpp@contoh.go.id.")
    instagram: Instagram | None = Field(default=None, description=(
        "Akun Instagram / Instagram account: @name or https://www.instagram.com/name/."))


class ComplaintChannel(Model):
    name: Text = Field(description="Nama saluran pengaduan / Complaint channel name.")
    url: Url | None = Field(default=None, description="Alamat web / Web address.")
    phone: Phone | None = Field(default=None, description="Telepon / Phone, in quotes.")
    email: Plain | None = Field(default=None, description="Surel / Email.")


class Mall(Model):
    name: Text = Field(description="Nama MPP / Name of the public service mall.")
    short_name: Plain = Field(description="Nama singkat / Short name.")
    description: Text | None = Field(default=None, description="Deskripsi / What the mall is.")
    logo: FileRef | None = Field(default=None, description="Logo / Logo: a file under content/files/.")
    address: Text = Field(description="Alamat / Address.")
    map_url: Url | None = Field(default=None, description="Tautan peta / Link to a map.")
    opening_hours: list[OpeningHours] = Field(min_length=1, description="Jam layanan / Opening hours.")
    closed_on: list[Closure] = Field(default_factory=list, description=(
        "Hari tutup lainnya / Other days the mall is closed, one by one (a local holiday, an event)."))
    closures: list[ClosureYear] = Field(default_factory=list, description=(
        "Hari libur nasional dan cuti bersama / National holidays and collective leave, one list per "
        "year with its source (the SKB). From December on, check warns when the coming year's is missing."))
    contact: Contact | None = Field(default=None, description="Kontak / Contacts.")
    complaints: list[ComplaintChannel] = Field(min_length=1, description=(
        "Penanganan pengaduan, saran dan masukan / Complaints, suggestions and feedback channels."))
    region: Text | None = Field(default=None, description=(
        "Wilayah / The city or regency the mall serves, as the site names it: "
        "{id: Kota Contoh, en: Example City}. Without it, the mall's name stands in."))
    queue_url: Url | None = Field(default=None, description=(
        "Antrean daring / Online queue: where citizens take a queue number before they come. "
        "Shown as the first button on the home page and on every service page."))
    queue_name: Text | None = Field(default=None, description=(
        "Nama antrean daring / The queue link's words, e.g. {id: Antrean daring MPP, en: MPP online "
        "queue}. Without it the button reads 'Ambil nomor antrean daring'. Needs queue_url."))

    @model_validator(mode="after")
    def _queue_name_with_url(self) -> Mall:
        if self.queue_name is not None and self.queue_url is None:
            raise PydanticCustomError("queue_name_alone", "queue_name without queue_url",
                                      {"subkey": "queue_name"})
        return self


# --- content/categories.yaml ------------------------------------------------------------------

class Category(Model):
    id: Slug = Field(description="Kode kategori / Category id: lowercase a-z, 0-9 and '-'.")
    name: Text = Field(description="Nama kategori / Category name.")
    description: Text | None = Field(default=None, description="Deskripsi / Description.")


# --- content/services/<tenant>.yaml -----------------------------------------------------------

class Tenant(Model):
    id: Slug = Field(description="Kode instansi / Tenant id; equals the file name.")
    name: Text = Field(description="Nama instansi / Tenant agency name.")
    short_name: Plain = Field(description="Nama singkat / Short name, e.g. Disdukcapil.")
    type: Literal[formats.TENANT_TYPES] = Field(  # type: ignore[valid-type]
        description="Jenis instansi / Kind of agency.")
    counters: list[Label] = Field(min_length=1, description="Loket / The tenant's counter labels.")
    website: Url | None = Field(default=None, description="Situs web / Website.")
    phone: Phone | None = Field(default=None, description=(
        "Telepon / Phone of the agency, in quotes, e.g. \"(0266) 123456\". Shown on its page."))
    description: Text | None = Field(default=None, description=(
        "Deskripsi / One or two sentences on what the agency does, shown on its page."))
    logo: ImageRef | None = Field(default=None, description=(
        "Logo / The agency's logo: a PNG, JPEG, WebP or SVG file under content/files/."))


class Form(Model):
    title: Text = Field(description="Judul formulir / Form title.")
    file: FileRef | None = Field(default=None, description="Berkas / A file under content/files/.")
    url: Url | None = Field(default=None, description="Tautan / Web address of the form.")

    @model_validator(mode="after")
    def _file_or_url(self) -> Form:
        if (self.file is None) == (self.url is None):
            raise PydanticCustomError("form_target", "file or url")
        return self


class OnlineChannel(Model):
    name: Text = Field(description="Nama situs atau aplikasi / Name of the site or app, e.g. Mobile JKN.")
    url: Url = Field(description="Alamat / Its official web address (or app store page).")


class Service(Model):
    id: Slug = Field(description="Kode layanan / Service id, unique across the site; used in its URL.")
    name: Text = Field(description="Nama layanan / Service name.")
    category: Slug = Field(description="Kategori / An id from content/categories.yaml.")
    summary: Text = Field(description="Ringkasan / One or two plain sentences.")
    eligibility: list[Text] = Field(default_factory=list, description=(
        "Siapa yang dapat mengajukan / Who can apply: conditions the applicant meets (age, "
        "residence, coming in person), one each; shown before the requirements. Not documents."))
    requirements: list[Requirement] = Field(min_length=1, description=(
        "Persyaratan / Requirements: the documents the citizen brings, one item each: a text, or "
        "{text: ..., form: original|copy|both, count: 2} to say original or photocopy and how many."))
    procedure: list[Text] = Field(min_length=1, description=(
        "Sistem, mekanisme dan prosedur / Procedure: the steps, in order."))
    duration: Duration = Field(description=(
        "Jangka waktu pelayanan / Service time: {value: 14, unit: working_days}, a note in words, "
        "or both."))
    fee: Fee = Field(description=(
        "Biaya/tarif / Fee: {amount: 30000} in whole rupiah (0 = free), a note for tiered or "
        "conditional fees, or both."))
    product: Text = Field(description="Produk pelayanan / What the citizen receives.")
    legal_basis: list[Plain] = Field(min_length=1, description="Dasar hukum / Legal basis (not translated).")
    counter: Label | None = Field(default=None, description="Loket / One of the tenant's counters.")
    online_url: Url | None = Field(default=None, description=(
        "Layanan daring / One web address where it can also be done online (older form: "
        "prefer 'online', which names the site or app)."))
    online: list[OnlineChannel] = Field(default_factory=list, description=(
        "Saluran daring / The sites and apps where it can also be done, each with its name: "
        "[{name: M-Paspor, url: https://...}]. Shown as buttons near the top of the service page."))
    forms: list[Form] = Field(default_factory=list, description="Formulir / Downloadable forms.")
    keywords: list[Plain] = Field(default_factory=list, description=(
        "Kata kunci: kata yang diketik warga (singkatan, nama lama); sinonim umum ada di data/search.yaml / "
        "Extra search words: what citizens type (abbreviations, old names); common synonyms are in "
        "data/search.yaml."))
    notes: Text | None = Field(default=None, description="Catatan / Notes (Markdown allowed).")
    if_refused: Text | None = Field(default=None, description=(
        "Bila ditolak atau belum lengkap / If the application is refused or incomplete: what the "
        "citizen can do next (complete the file, ask for the reason in writing, object)."))
    related: list[Slug] = Field(default_factory=list, description=(
        "Layanan terkait / Related services: ids of other services (of any agency). Each is linked "
        "both ways: the other service lists this one too."))
    reviewed_on: Date | None = Field(default=None, description=(
        "Tanggal diperiksa / When the tenant last checked this entry (YYYY-MM-DD)."))

    @field_validator("online")
    @classmethod
    def _online_once(cls, online: list[OnlineChannel], info: ValidationInfo) -> list[OnlineChannel]:
        """online_url and online together: the same address twice would show two buttons."""
        for index, channel in enumerate(online):
            if channel.url == info.data.get("online_url"):
                raise PydanticCustomError("online_duplicate", "online_url repeated",
                                          {"subkey": index, "url": channel.url})
        return online


class Catalog(Model):
    tenant: Tenant = Field(description="Instansi / The tenant agency.")
    services: list[Service] = Field(description="Layanan / The tenant's services.")


# --- content/indicators.yaml ------------------------------------------------------------------

class Result(Model):
    year: Annotated[int, Field(ge=1900, le=2100)] = Field(description="Tahun / Year.")
    score: Annotated[float, Field(ge=0, le=1_000_000_000)] = Field(description="Nilai / Score.")
    note: Text | None = Field(default=None, description="Catatan / Note.")


class Indicator(Model):
    id: Slug = Field(description="Kode indikator / Indicator id.")
    name: Text = Field(description="Nama indikator / Indicator name.")
    assessor: Text = Field(description="Penilai / Who assessed it.")
    scale: Slug = Field(description="Skala penilaian / Grading scale: pekppp, ombudsman, ikm or none.")
    unit: Literal["score", "count"] = Field(default="score", description=(
        "Jenis angka / What the number is: score (a grade's score, shown with its scale's decimals) "
        "or count (visitors, applications: a whole number, scale none)."))
    results: list[Result] = Field(min_length=1, description="Hasil per tahun / Results by year.")

    @field_validator("unit")
    @classmethod
    def _count_without_scale(cls, unit: str, info: ValidationInfo) -> str:
        """A count (visitors, applications) is graded on no scale."""
        scale = info.data.get("scale", "none")
        if unit == "count" and scale != "none":
            raise PydanticCustomError("count_scale", "a count has no scale", {"scale": scale})
        return unit

    @field_validator("results")
    @classmethod
    def _whole_counts(cls, results: list[Result], info: ValidationInfo) -> list[Result]:
        """A count has no fraction: 187450.5 visitors is a typing slip."""
        for result in results if info.data.get("unit") == "count" else []:
            if result.score != int(result.score):
                raise PydanticCustomError("count_fraction", "a count is a whole number",
                                          {"year": result.year, "value": result.score})
        return results


# --- Markdown front matter --------------------------------------------------------------------

class DocumentMeta(Model):
    title: Text = Field(description="Judul / Title.")
    date: Date | None = Field(default=None, description="Tanggal / Date (required for circulars and news).")
    number: Plain | None = Field(default=None, description="Nomor surat / Circular number.")
    signed_by: Text | None = Field(default=None, description="Penanda tangan / Signatory.")
    attachment: FileRef | None = Field(default=None, description="Lampiran / A file under content/files/.")
    summary: Text | None = Field(default=None, description="Ringkasan / One-line summary.")
    show_hours: bool = Field(default=False, description=(
        "Tampilkan jam buka / true: the page starts with the line 'Hari ini: buka ...', the hours "
        "table and the days the mall is closed (for the visiting page)."))
