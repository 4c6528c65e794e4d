#!/usr/bin/env python3
"""Write a synthetic, buildable MPP project of N services (and optionally the same site for Hugo).

usage: gen.py N OUT_PROJECT_DIR [--hugo HUGO_DIR] [--seed S] [--search] [--force]

OUT_PROJECT_DIR gets a complete project in our content format (see CONTENT_FORMAT.md):
site_config.yaml, content/ (mall, categories, one indicator, N services spread over
max(3, min(60, N // 5)) tenant catalogs, empty circulars/news/pages) and a copy of the
project's templates/. Build it with `python build.py --project OUT_PROJECT_DIR`.

HUGO_DIR gets a Hugo site with the same services in both languages: one page per service per
language, taxonomies for categories and tenant agencies (list and term pages), a home page and
a 404 page, with URLs laid out like ours (/layanan/<id>/, /en/services/<id>/, /kategori/<id>/ ...).

The same N and seed always give the same files. Only PyYAML is needed.
"""

from __future__ import annotations

import argparse
import datetime
import random
import shutil
import sys
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
TEMPLATES = PROJECT / "templates"
MARKER = ".bench-generated"  # written into every folder this script creates; --force needs it
BASE_URL = "https://example.github.io/mpp/"
LANGS = ("id", "en")

try:  # libyaml makes writing 10 000 services several times faster; pure Python works too
    Dumper = yaml.CSafeDumper
except AttributeError:  # pragma: no cover
    Dumper = yaml.SafeDumper

# Service categories (life events): id, Indonesian name, English name.
CATEGORIES = [
    ("kependudukan", "Kependudukan dan Identitas", "Population and identity"),
    ("usaha-perizinan", "Usaha dan Perizinan", "Business and licences"),
    ("pajak-retribusi", "Pajak dan Retribusi", "Taxes and levies"),
    ("kendaraan-sim", "Kendaraan dan SIM", "Vehicles and driving licences"),
    ("tanah-bangunan", "Tanah dan Bangunan", "Land and buildings"),
    ("kesehatan", "Kesehatan dan Jaminan Sosial", "Health and social security"),
    ("ketenagakerjaan", "Ketenagakerjaan", "Employment"),
    ("keagamaan", "Keagamaan", "Religious affairs"),
    ("hukum", "Hukum dan Peradilan", "Law and courts"),
    ("keuangan", "Keuangan dan Perbankan", "Finance and banking"),
    ("utilitas", "Air, Listrik dan Pos", "Water, power and post"),
]

# Word pairs (Indonesian, English) so that both languages say roughly the same thing.
NOUNS = [
    ("surat keterangan", "certificate"), ("izin usaha", "business licence"),
    ("akta kelahiran", "birth certificate"), ("kartu keluarga", "family card"),
    ("pajak kendaraan", "vehicle tax"), ("sertipikat tanah", "land title"),
    ("nomor induk berusaha", "business number"), ("paspor", "passport"),
    ("rekomendasi", "recommendation"), ("data kependudukan", "population record"),
    ("legalisasi dokumen", "document legalisation"), ("salinan putusan", "copy of a ruling"),
    ("kartu identitas anak", "child identity card"), ("surat pindah", "moving certificate"),
    ("persetujuan bangunan", "building approval"), ("kartu pencari kerja", "job seeker card"),
    ("sambungan air", "water connection"), ("tagihan listrik", "power bill"),
    ("rekening tabungan", "savings account"), ("akta perkawinan", "marriage certificate"),
]
VERBS = [
    ("penerbitan", "issuing"), ("perubahan", "changing"), ("pendaftaran", "registering"),
    ("perpanjangan", "renewing"), ("penggantian", "replacing"), ("pengesahan", "approving"),
    ("pencetakan ulang", "reprinting"), ("pembetulan", "correcting"), ("pencabutan", "cancelling"),
]
THINGS = [
    ("fotokopi KTP-el", "a copy of the identity card"), ("kartu keluarga asli", "the original family card"),
    ("pas foto berwarna", "a colour photo"), ("formulir permohonan", "the application form"),
    ("surat pengantar RT/RW", "a letter from the neighbourhood head"), ("bukti pembayaran", "proof of payment"),
    ("surat kuasa bermeterai", "a stamped power of attorney"), ("dokumen asli", "the original document"),
    ("NPWP", "the tax number"), ("akta pendirian", "the deed of establishment"),
]
STEPS = [
    ("Ambil nomor antrean di mesin antrean", "Take a queue number from the queue machine"),
    ("Serahkan berkas persyaratan ke petugas loket", "Hand the documents to the counter officer"),
    ("Petugas memeriksa kelengkapan berkas", "The officer checks the documents are complete"),
    ("Isi formulir permohonan", "Fill in the application form"),
    ("Bayar biaya di loket bank", "Pay the fee at the bank counter"),
    ("Lakukan perekaman foto dan sidik jari", "Have your photo and fingerprints taken"),
    ("Tunggu verifikasi data", "Wait while your data is verified"),
    ("Terima tanda bukti pengambilan", "Receive the collection receipt"),
    ("Ambil dokumen sesuai jadwal", "Collect the document on the date given"),
]
QUALIFIERS = [
    ("bagi warga kota", "for city residents"), ("untuk badan usaha", "for businesses"),
    ("bagi pemohon baru", "for new applicants"), ("karena hilang atau rusak", "when lost or damaged"),
    ("untuk keperluan sekolah", "for school"), ("bagi pekerja", "for workers"),
    ("secara kolektif", "for groups"), ("untuk keperluan perbankan", "for banking"),
]
AGENCY_KINDS = [
    ("Dinas", "Office of"), ("Badan", "Agency for"), ("Kantor", "Bureau of"), ("Unit", "Unit for"),
]
TENANT_TYPES = ["perangkat-daerah", "instansi-vertikal", "bumn", "bumd", "bank", "lainnya"]
UNITS = ["working_days"] * 5 + ["days", "hours", "minutes"]
LAWS = [
    "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik",
    "Undang-Undang Nomor 24 Tahun 2013 tentang Administrasi Kependudukan",
    "Peraturan Pemerintah Nomor 5 Tahun 2021 tentang Perizinan Berusaha Berbasis Risiko",
    "Peraturan Presiden Nomor 89 Tahun 2021 tentang Penyelenggaraan Mal Pelayanan Publik",
]


def _pair(rng: random.Random, pairs: list[tuple[str, str]]) -> tuple[str, str]:
    return pairs[rng.randrange(len(pairs))]


def _first_upper(words: str) -> str:
    return words[:1].upper() + words[1:]


def _text(idn: str, en: str) -> dict[str, str]:
    return {"id": idn, "en": en}


def make_catalog(n: int, seed: int) -> tuple[list[dict], list[dict]]:
    """(tenant catalogs, categories): plain data in our content format."""
    rng = random.Random(seed)
    n_tenants = max(3, min(60, n // 5))
    catalogs = []
    for t in range(n_tenants):
        kind_id, kind_en = _pair(rng, AGENCY_KINDS)
        noun_id, noun_en = _pair(rng, NOUNS)
        tenant = {
            "id": f"instansi-{t + 1:03d}",
            "name": _text(f"{kind_id} {noun_id.title()} {t + 1}", f"{kind_en} {noun_en.title()} {t + 1}"),
            "short_name": f"Instansi {t + 1}",
            "type": TENANT_TYPES[rng.randrange(len(TENANT_TYPES))],
            "counters": [str(2 * t + 1), str(2 * t + 2)],
        }
        if rng.random() < 0.5:
            tenant["website"] = f"https://instansi-{t + 1:03d}.example.go.id/"
        if rng.random() < 0.5:
            tenant["phone"] = f"0266 {rng.randrange(200000, 999999)}"
        catalogs.append({"tenant": tenant, "services": []})

    for i in range(n):
        catalog = catalogs[i % n_tenants]
        verb_id, verb_en = _pair(rng, VERBS)
        noun_id, noun_en = _pair(rng, NOUNS)
        qual_id, qual_en = _pair(rng, QUALIFIERS)
        things = rng.sample(THINGS, rng.randint(2, 6))
        steps = sorted(rng.sample(range(len(STEPS)), rng.randint(3, 7)))  # keep the steps in order
        fee_roll = rng.random()
        if fee_roll < 0.6:
            fee: dict[str, Any] = {"amount": 0}
        elif fee_roll < 0.95:
            fee = {"amount": rng.choice([10000, 25000, 50000, 150000, 350000, 1250000])}
        else:
            fee = {"note": _text("Rp50.000 untuk perorangan, Rp150.000 untuk badan usaha",
                                 "Rp50,000 for individuals, Rp150,000 for businesses")}
        service = {
            "id": f"layanan-{i + 1:05d}",
            "name": _text(f"{verb_id.capitalize()} {noun_id} {qual_id} {i + 1}",
                          f"{verb_en.capitalize()} a {noun_en} {qual_en} {i + 1}"),
            "category": CATEGORIES[i % len(CATEGORIES)][0],
            "summary": _text(
                f"Layanan {verb_id} {noun_id} {qual_id}. Bawa persyaratan lengkap ke loket "
                f"{catalog['tenant']['short_name']}.",
                f"The service for {verb_en} a {noun_en} {qual_en}. Bring every requirement to the "
                f"{catalog['tenant']['short_name']} counter."),
            "requirements": [_text(_first_upper(a), _first_upper(b)) for a, b in things],
            "procedure": [_text(*STEPS[k]) for k in steps],
            "duration": {"value": rng.randint(1, 14), "unit": UNITS[rng.randrange(len(UNITS))]},
            "fee": fee,
            "product": _text(noun_id.capitalize(), noun_en.capitalize()),
            "legal_basis": rng.sample(LAWS, rng.randint(1, 3)),
            "counter": catalog["tenant"]["counters"][i % 2],
            "keywords": sorted({noun_id, verb_id, noun_en}),
        }
        if rng.random() < 0.5:
            service["reviewed_on"] = datetime.date(2024, 1, 1) + datetime.timedelta(days=rng.randrange(600))
        catalog["services"].append(service)

    categories = [{"id": cid, "name": _text(idn, en),
                   "description": _text(f"Layanan {idn.lower()}.", f"{en} services.")}
                  for cid, idn, en in CATEGORIES]
    return catalogs, categories


MALL = {
    "name": _text("Mal Pelayanan Publik Kota Contoh", "Example City Public Service Mall"),
    "short_name": "MPP Kota Contoh",
    "description": _text("Satu tempat untuk layanan publik dari banyak instansi (data uji).",
                         "One place for public services of many agencies (benchmark data)."),
    "address": _text("Jalan Contoh No. 1, Kota Contoh", "1 Example Street, Example City"),
    "map_url": "https://www.openstreetmap.org/",
    "opening_hours": [
        {"days": ["mon", "tue", "wed", "thu"], "opens": "08:00", "closes": "15:00"},
        {"days": ["fri"], "opens": "08:00", "closes": "14:00"},
    ],
    "closed_on": [{"date": datetime.date(2026, 8, 17),
                   "reason": _text("Hari Kemerdekaan", "Independence Day")}],
    "contact": {"phone": "0266 000000", "email": "mpp@example.go.id"},
    "complaints": [
        {"name": _text("SP4N-LAPOR!", "SP4N-LAPOR! (national complaints service)"),
         "url": "https://www.lapor.go.id"},
        {"name": _text("Meja pengaduan di MPP", "Complaints desk at the MPP"), "phone": "0266 000001"},
    ],
}
INDICATORS = [{
    "id": "pekppp",
    "name": _text("Indeks Pelayanan Publik (PEKPPP)", "Public Service Index (PEKPPP)"),
    "assessor": _text("Kementerian PANRB", "Ministry of Administrative and Bureaucratic Reform"),
    "scale": "pekppp",
    "results": [{"year": 2023, "score": 4.28}, {"year": 2024, "score": 4.62}],
}]


def _dump(data, path: Path) -> None:
    with open(path, "w", encoding="utf-8") as stream:
        yaml.dump(data, stream, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=1000)


def _fresh_dir(path: Path, force: bool) -> None:
    """Create `path` empty. An existing non-empty folder is replaced only with --force, and only
    when this script made it (it holds MARKER), so a typo cannot delete someone's work."""
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        if not force:
            sys.exit(f"gen.py: {path} exists and is not empty (use --force to replace a generated one)")
        if not (path / MARKER).is_file():
            sys.exit(f"gen.py: refusing to replace {path}: it was not made by gen.py (no {MARKER})")
        shutil.rmtree(path)
    path.mkdir(parents=True, exist_ok=True)
    (path / MARKER).write_text("made by bench/gen.py; safe to delete\n", encoding="utf-8")


def write_project(catalogs: list[dict], categories: list[dict], out: Path, search: bool) -> None:
    content = out / "content"
    for sub in ("services", "circulars", "news", "pages", "files"):
        (content / sub).mkdir(parents=True, exist_ok=True)
    (out / "site_config.yaml").write_text(
        "# Generated by bench/gen.py (benchmark data).\n"
        f'base_url: "{BASE_URL}"\n'
        "languages: [id, en]\n"
        "output_dir: output\n"
        f"search: {'true' if search else 'false'}\n", encoding="utf-8")
    _dump(MALL, content / "mpp.yaml")
    _dump(categories, content / "categories.yaml")
    _dump(INDICATORS, content / "indicators.yaml")
    for catalog in catalogs:
        _dump(catalog, content / "services" / f"{catalog['tenant']['id']}.yaml")
    # templates/ is read from the project; data/ (strings, routes, scales) from the package.
    shutil.copytree(TEMPLATES, out / "templates")


# --- Hugo -------------------------------------------------------------------------------------

# Per language: content folder, section and taxonomy names, so URLs match ours.
HUGO_LANGS = {
    "id": {"name": "Bahasa Indonesia", "section": "layanan", "category": "kategori", "tenant": "instansi"},
    "en": {"name": "English", "section": "services", "category": "categories", "tenant": "agencies"},
}

HUGO_I18N = {
    "id": {"skip_link": "Langsung ke isi", "services": "Layanan", "agencies": "Instansi",
           "categories": "Kategori", "requirements": "Persyaratan", "procedure": "Prosedur",
           "duration": "Jangka waktu", "fee": "Biaya", "free": "Gratis", "product": "Produk layanan",
           "complaints": "Pengaduan", "legal_basis": "Dasar hukum", "tenant": "Instansi",
           "counter": "Loket", "opening_hours": "Jam layanan", "reviewed_on": "Diperiksa",
           "not_reviewed": "Belum diperiksa", "service_count": "{{ .Count }} layanan",
           "not_found": "Halaman tidak ditemukan", "minutes": "menit", "hours": "jam",
           "days": "hari", "working_days": "hari kerja", "contact": "Kontak", "home": "Beranda"},
    "en": {"skip_link": "Skip to content", "services": "Services", "agencies": "Agencies",
           "categories": "Categories", "requirements": "Requirements", "procedure": "Procedure",
           "duration": "Service time", "fee": "Fee", "free": "Free", "product": "What you get",
           "complaints": "Complaints", "legal_basis": "Legal basis", "tenant": "Agency",
           "counter": "Counter", "opening_hours": "Opening hours", "reviewed_on": "Checked",
           "not_reviewed": "Not checked yet", "service_count": "{{ .Count }} services",
           "not_found": "Page not found", "minutes": "minutes", "hours": "hours",
           "days": "days", "working_days": "working days", "contact": "Contact", "home": "Home"},
}

HUGO_BASEOF = """<!doctype html>
<html lang="{{ site.Language.Lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if not .IsHome }}{{ .Title }} · {{ end }}{{ site.Title }}</title>
<link rel="canonical" href="{{ .Permalink }}">
{{ range .AllTranslations }}<link rel="alternate" hreflang="{{ .Language.Lang }}" href="{{ .Permalink }}">
{{ end }}<link rel="stylesheet" href="{{ "static/site.css" | relURL }}">
</head>
<body>
<a class="skip" href="#main">{{ i18n "skip_link" }}</a>
{{ partial "header.html" . }}
<main id="main" tabindex="-1">
{{ block "main" . }}{{ end }}
</main>
{{ partial "footer.html" . }}
</body>
</html>
"""
HUGO_HEADER = """<header class="masthead"><div class="wrap masthead-row">
<a class="brand" href="{{ site.Home.RelPermalink }}">{{ site.Params.short_name }}</a>
<nav class="lang"><ul>{{ range .Translations }}<li><a href="{{ .RelPermalink }}" hreflang="{{ .Language.Lang }}" lang="{{ .Language.Lang }}">{{ .Language.Label }}</a></li>{{ end }}</ul></nav>
</div>
<nav class="menu"><ul class="wrap">{{ $here := . }}{{ range site.Menus.main }}<li><a href="{{ .URL }}"{{ if $here.IsMenuCurrent "main" . }} aria-current="page"{{ end }}>{{ .Name }}</a></li>{{ end }}</ul></nav>
</header>
"""
HUGO_FOOTER = """{{ $mall := hugo.Data.mall }}{{ $l := site.Language.Lang }}<footer class="footer"><div class="wrap">
<h2>{{ i18n "contact" }}</h2>
<p>{{ index $mall.name $l }}<br>{{ index $mall.address $l }}</p>
<p><a href="{{ $mall.map_url }}">Map</a></p>
</div></footer>
"""
HUGO_HOME = """{{ define "main" }}{{ $mall := hugo.Data.mall }}{{ $l := site.Language.Lang }}
<div class="hero"><div class="wrap"><h1>{{ index $mall.name $l }}</h1>
<p class="lead">{{ index $mall.description $l }}</p>
<p>{{ len (where site.RegularPages "Section" site.Params.section) }} {{ i18n "services" }}</p></div></div>
<div class="wrap"><h2>{{ i18n "categories" }}</h2><ul class="cards">
{{ range (index site.Taxonomies site.Params.tax_category).Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> <span class="muted">{{ i18n "service_count" .Count }}</span></li>
{{ end }}</ul>
<h2>{{ i18n "opening_hours" }}</h2><ul>{{ range $mall.opening_hours }}<li>{{ delimit .days ", " }} {{ .opens }}–{{ .closes }}</li>{{ end }}</ul>
</div>
{{ end }}
"""
HUGO_SINGLE = """{{ define "main" }}{{ $mall := hugo.Data.mall }}{{ $l := site.Language.Lang }}
<div class="wrap narrow">
<nav class="breadcrumbs"><a href="{{ site.Home.RelPermalink }}">{{ i18n "home" }}</a> › <a href="{{ .CurrentSection.RelPermalink }}">{{ .CurrentSection.Title }}</a>{{ range .GetTerms site.Params.tax_category }} › <a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ end }}</nav>
<article class="service">
<h1>{{ .Title }}</h1>
<p class="lead">{{ .Params.summary }}</p>
{{ $duration := printf "%d %s" .Params.duration.value (i18n .Params.duration.unit) }}
{{ $fee := "" }}{{ if reflect.IsMap .Params.fee }}{{ $fee = index .Params.fee $l }}{{ else if eq .Params.fee 0 }}{{ $fee = i18n "free" }}{{ else }}{{ $fee = printf "Rp%s" (lang.FormatNumber 0 .Params.fee) }}{{ end }}
<dl class="facts"><div><dt>{{ i18n "duration" }}</dt><dd>{{ $duration }}</dd></div>
<div><dt>{{ i18n "fee" }}</dt><dd>{{ $fee }}</dd></div>
<div><dt>{{ i18n "counter" }}</dt><dd>{{ .Params.counter }}</dd></div></dl>
<section><h2>1 {{ i18n "requirements" }}</h2><ul class="checklist">{{ range .Params.requirements }}<li>{{ . }}</li>{{ end }}</ul></section>
<section><h2>2 {{ i18n "procedure" }}</h2><ol class="steps">{{ range .Params.procedure }}<li>{{ . }}</li>{{ end }}</ol></section>
<section><h2>3 {{ i18n "duration" }}</h2><p>{{ $duration }}</p></section>
<section><h2>4 {{ i18n "fee" }}</h2><p>{{ $fee }}</p></section>
<section><h2>5 {{ i18n "product" }}</h2><p>{{ .Params.product }}</p></section>
<section><h2>6 {{ i18n "complaints" }}</h2><ul>{{ range $mall.complaints }}<li>{{ with .url }}<a href="{{ . }}">{{ end }}{{ index .name $l }}{{ with .url }}</a>{{ end }}{{ with .phone }}, {{ . }}{{ end }}</li>{{ end }}</ul></section>
<section><h2>{{ i18n "legal_basis" }}</h2><ul lang="id">{{ range .Params.legal_basis }}<li>{{ . }}</li>{{ end }}</ul></section>
<section><h2>{{ i18n "tenant" }}</h2><dl class="facts">
<div><dt>{{ i18n "tenant" }}</dt><dd>{{ range .GetTerms site.Params.tax_tenant }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ end }}</dd></div>
<div><dt>{{ i18n "opening_hours" }}</dt><dd>{{ range $mall.opening_hours }}{{ delimit .days ", " }} {{ .opens }}–{{ .closes }}<br>{{ end }}</dd></div></dl></section>
<p class="muted">{{ with .Params.reviewed_on }}{{ i18n "reviewed_on" }}: <time datetime="{{ . }}">{{ . | time.Format ":date_long" }}</time>{{ else }}{{ i18n "not_reviewed" }}{{ end }}</p>
</article></div>
{{ end }}
"""
# Section list (all services A to Z) and term pages (one category / one agency).
HUGO_LIST = """{{ define "main" }}<div class="wrap">
<h1>{{ .Title }}</h1>
<p>{{ i18n "service_count" (len .Pages) }}</p>
<ul class="services">{{ range .Pages.ByTitle }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a><br><span class="muted">{{ .Params.summary }}</span></li>
{{ end }}</ul>
</div>{{ end }}
"""
HUGO_TAXONOMY = """{{ define "main" }}<div class="wrap">
<h1>{{ .Title }}</h1>
<ul class="cards">{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> <span class="muted">{{ i18n "service_count" .Count }}</span></li>
{{ end }}</ul>
</div>{{ end }}
"""
HUGO_404 = """{{ define "main" }}<div class="wrap"><h1>{{ i18n "not_found" }}</h1>
<p><a href="{{ site.Home.RelPermalink }}">{{ i18n "home" }}</a></p></div>{{ end }}
"""


def _front_matter(data: dict, body: str = "") -> str:
    return "---\n" + yaml.dump(data, Dumper=Dumper, allow_unicode=True, sort_keys=False,
                               width=1000) + "---\n" + body


def _hugo_config() -> str:
    lines = [
        f'baseURL = "{BASE_URL}"',
        'defaultContentLanguage = "id"',
        "defaultContentLanguageInSubdir = false",
        'disableKinds = ["rss"]',
        "enableRobotsTXT = false",
        "",
    ]
    for weight, (lang, names) in enumerate(HUGO_LANGS.items(), start=1):
        lines += [
            f"[languages.{lang}]",
            f'  label = "{names["name"]}"',
            f'  title = "{MALL["name"][lang]}"',
            f"  weight = {weight}",
            f'  contentDir = "content/{lang}"',
            f"[languages.{lang}.params]",
            f'  short_name = "{MALL["short_name"]}"',
            f'  section = "{names["section"]}"',
            f'  tax_category = "{names["category"]}"',
            f'  tax_tenant = "{names["tenant"]}"',
            f"[languages.{lang}.taxonomies]",
            f'  category = "{names["category"]}"',
            f'  tenant = "{names["tenant"]}"',
        ]
        for i, (key, page) in enumerate((("services", names["section"]),
                                         ("agencies", names["tenant"]),
                                         ("categories", names["category"])), start=1):
            lines += [f"[[languages.{lang}.menus.main]]",
                      f'  name = "{HUGO_I18N[lang][key]}"',
                      f'  pageRef = "/{page}"',
                      f"  weight = {i}"]
        lines.append("")
    return "\n".join(lines)


def write_hugo(catalogs: list[dict], categories: list[dict], out: Path) -> None:
    layouts = out / "layouts"
    (layouts / "_partials").mkdir(parents=True, exist_ok=True)
    for sub in ("i18n", "data", "static/static"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    (out / "hugo.toml").write_text(_hugo_config(), encoding="utf-8")
    for name, text in (("baseof.html", HUGO_BASEOF), ("home.html", HUGO_HOME),
                       ("single.html", HUGO_SINGLE), ("list.html", HUGO_LIST),
                       ("term.html", HUGO_LIST), ("taxonomy.html", HUGO_TAXONOMY),
                       ("404.html", HUGO_404), ("_partials/header.html", HUGO_HEADER),
                       ("_partials/footer.html", HUGO_FOOTER)):
        (layouts / name).write_text(text, encoding="utf-8")
    shutil.copy(TEMPLATES / "static" / "site.css", out / "static" / "static" / "site.css")
    _dump(MALL, out / "data" / "mall.yaml")
    for lang, strings in HUGO_I18N.items():
        _dump(strings, out / "i18n" / f"{lang}.yaml")

    for lang, names in HUGO_LANGS.items():
        base = out / "content" / lang
        section = base / names["section"]
        section.mkdir(parents=True, exist_ok=True)
        (base / "_index.md").write_text(_front_matter({"title": MALL["name"][lang]}), encoding="utf-8")
        (section / "_index.md").write_text(
            _front_matter({"title": HUGO_I18N[lang]["services"], "translationKey": "services"}),
            encoding="utf-8")
        for taxonomy, key, items in ((names["category"], "categories", categories),
                                     (names["tenant"], "agencies", [c["tenant"] for c in catalogs])):
            folder = base / taxonomy
            folder.mkdir(exist_ok=True)
            (folder / "_index.md").write_text(
                _front_matter({"title": HUGO_I18N[lang][key], "translationKey": key}), encoding="utf-8")
            for item in items:
                (folder / item["id"]).mkdir(exist_ok=True)
                (folder / item["id"] / "_index.md").write_text(
                    _front_matter({"title": item["name"][lang], "translationKey": f"{key}-{item['id']}"}),
                    encoding="utf-8")
        for catalog in catalogs:
            tenant = catalog["tenant"]["id"]
            for s in catalog["services"]:
                fm = {
                    "title": s["name"][lang],
                    "slug": s["id"],
                    "translationKey": s["id"],
                    "summary": s["summary"][lang],
                    "requirements": [r[lang] for r in s["requirements"]],
                    "procedure": [p[lang] for p in s["procedure"]],
                    "duration": s["duration"],
                    "fee": s["fee"].get("amount", s["fee"].get("note")),  # the template's number or text
                    "product": s["product"][lang],
                    "legal_basis": s["legal_basis"],
                    "counter": s["counter"],
                    "keywords": s["keywords"],
                    names["category"]: [s["category"]],
                    names["tenant"]: [tenant],
                }
                if "reviewed_on" in s:
                    fm["reviewed_on"] = s["reviewed_on"].isoformat()
                (section / f"{s['id']}.md").write_text(_front_matter(fm), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("n", type=int, help="number of services")
    parser.add_argument("out", type=Path, help="project folder to write")
    parser.add_argument("--hugo", type=Path, help="also write the same site for Hugo here")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--search", action="store_true", help="set search: true in site_config.yaml")
    parser.add_argument("--force", action="store_true",
                        help="replace OUT/HUGO folders if gen.py made them before")
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("N must be at least 1")
    catalogs, categories = make_catalog(args.n, args.seed)
    _fresh_dir(args.out, args.force)
    write_project(catalogs, categories, args.out, args.search)
    if args.hugo:
        _fresh_dir(args.hugo, args.force)
        write_hugo(catalogs, categories, args.hugo)
    return 0


if __name__ == "__main__":
    sys.exit(main())
