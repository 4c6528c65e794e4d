"""Open data, feeds, sitemap, robots.txt, JSON-LD and sharing tags: parsed and checked by content."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import edit, languages, run, site_pages

BASE = "https://example.github.io/mpp/"
ATOM = "{http://www.w3.org/2005/Atom}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


class Head(HTMLParser):
    """The <head> of a page: meta tags, links and the JSON-LD scripts (raw text)."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, list[str]] = {}
        self.links: list[dict[str, str]] = []
        self.scripts: list[str] = []
        self._in_ld = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attributes = {k: v or "" for k, v in attrs}
        if tag == "meta" and ("name" in attributes or "property" in attributes):
            key = attributes.get("property") or attributes["name"]
            self.meta.setdefault(key, []).append(attributes["content"])
        elif tag == "link":
            self.links.append(attributes)
        elif tag == "script" and attributes.get("type") == "application/ld+json":
            self._in_ld = True
            self.scripts.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_ld = False

    def handle_data(self, data):
        if self._in_ld:
            self.scripts[-1] += data

    def one(self, key: str) -> str:
        assert len(self.meta.get(key, [])) == 1, (key, self.meta.get(key))
        return self.meta[key][0]

    def link(self, **match: str) -> list[str]:
        return [link["href"] for link in self.links if all(link.get(k) == v for k, v in match.items())]

    @property
    def json_ld(self) -> list[dict]:
        return [json.loads(script) for script in self.scripts]


def head(output: Path, rel: str) -> Head:
    return Head((output / rel / "index.html").read_text(encoding="utf-8"))


def ld_of_type(page: Head, kind: str) -> dict:
    found = [item for item in page.json_ld if item["@type"] == kind]
    assert len(found) == 1, [item["@type"] for item in page.json_ld]
    assert found[0]["@context"] == "https://schema.org"
    return found[0]


def url_to_file(output: Path, url: str) -> Path:
    assert url.startswith(BASE), url
    rel = url[len(BASE):].split("#")[0]
    return output / rel / "index.html" if rel.endswith("/") or not rel else output / rel


# --- services.json and its schema -------------------------------------------------------------

def services_json(output: Path) -> dict:
    return json.loads((output / "data" / "services.json").read_text(encoding="utf-8"))


def test_services_json_has_every_field_in_both_languages(built_mini):
    data = services_json(built_mini)
    assert data["languages"] == ["id", "en"] and data["default_language"] == "id"
    assert data["count"] == 3
    assert [s["id"] for s in data["services"]] == ["ktp-el", "sim-a-perpanjangan", "skck"]
    assert data["mall"]["name"] == {"id": "Mal Pelayanan Publik Contoh", "en": "Example Public Service Mall"}
    skck = next(s for s in data["services"] if s["id"] == "skck")
    assert skck["name"] == {"id": "Surat Keterangan Catatan Kepolisian (SKCK)",
                            "en": "Police clearance certificate (SKCK)"}
    assert skck["requirements"][1] == {"text": {"id": "Pas foto 4x6 latar merah",
                                                "en": "Passport photo 4x6, red background"},
                                       "form": None, "count": None}
    assert skck["eligibility"] == [] and skck["if_refused"] is None and skck["related"] == []
    assert [step["en"] for step in skck["procedure"]] == ["Take a queue number.",
                                                          "Hand in your documents at the counter."]
    assert skck["duration"] == {"value": 1, "unit": "working_days", "iso8601": "P1D",
                                "text": {"id": "1 hari kerja", "en": "1 working day"}, "note": None}
    assert skck["fee"] == {"rupiah": 30000, "text": {"id": "Rp30.000", "en": "Rp30,000"}, "note": None}
    assert skck["tenant"]["id"] == "polres" and skck["tenant"]["name"]["en"] == "City Police"
    assert skck["tenant"]["url"] == {"id": BASE + "instansi/polres/", "en": BASE + "en/agencies/polres/"}
    assert skck["category"] == {"id": "hukum",
                                "name": {"id": "Hukum dan Kepolisian", "en": "Legal matters and police"},
                                "url": {"id": BASE + "kategori/hukum/", "en": BASE + "en/categories/hukum/"}}
    assert skck["counter"] == "4"
    assert skck["product"] == {"id": "SKCK", "en": "Police clearance certificate"}
    assert skck["legal_basis"] == ["Peraturan Pemerintah Nomor 76 Tahun 2020"]
    assert skck["forms"] == [{"title": {"id": "Formulir SKCK", "en": "SKCK form"},
                              "url": BASE + "files/formulir-skck.pdf"}]
    assert (built_mini / "files" / "formulir-skck.pdf").is_file()
    assert skck["keywords"] == ["SKCK", "surat kelakuan baik"]
    assert skck["notes"]["en"] == "See also [ID card](/layanan/ktp-el/)."
    assert skck["reviewed_on"] == "2025-01-10"
    assert skck["url"] == {"id": BASE + "layanan/skck/", "en": BASE + "en/services/skck/"}
    for url in skck["url"].values():
        assert url_to_file(built_mini, url).is_file()


def test_services_json_keeps_untranslated_fields_and_free_text(built_mini):
    services = {s["id"]: s for s in services_json(built_mini)["services"]}
    sim = services["sim-a-perpanjangan"]
    assert sim["summary"] == {"id": "Perpanjangan SIM A sebelum masa berlaku habis."}  # no English
    assert sim["name"]["en"] == "Renewing a car driving licence (SIM A)"
    assert sim["duration"]["iso8601"] == "PT60M" and sim["duration"]["text"]["en"] == "60 minutes"
    assert sim["online_url"] is None and sim["reviewed_on"] is None and sim["notes"] is None
    ktp = services["ktp-el"]
    note = {"id": "Hari yang sama bila blangko tersedia", "en": "The same day when blank cards are available"}
    assert ktp["duration"] == {"value": None, "unit": None, "iso8601": None, "text": note, "note": note}
    assert ktp["fee"] == {"rupiah": 0, "text": {"id": "Gratis", "en": "Free"}, "note": None}


def check(value, schema: dict, root: dict, path: str = "$") -> list[str]:
    """A small JSON Schema (2020-12) checker for the keywords services.schema.json uses."""
    if "$ref" in schema:
        target = root
        for part in schema["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        return check(value, target, root, path)
    if "anyOf" in schema:
        results = [check(value, option, root, path) for option in schema["anyOf"]]
        return [] if any(not r for r in results) else [f"{path}: matches no option"]
    errors: list[str] = []
    types = {"object": dict, "array": list, "string": str, "null": type(None), "boolean": bool}
    kind = schema.get("type")
    if kind == "integer":
        if not isinstance(value, int) or isinstance(value, bool):
            return [f"{path}: not an integer"]
    elif kind is not None and not isinstance(value, types[kind]):
        return [f"{path}: not {kind}"]
    if "const" in schema and value != schema["const"]:
        errors.append(f"{path}: not {schema['const']!r}")
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{path}: {value!r} not in enum")
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0):
            errors.append(f"{path}: too short")
        if "pattern" in schema and not re.search(schema["pattern"], value):
            errors.append(f"{path}: does not match {schema['pattern']}")
        if schema.get("format") == "uri" and not re.match(r"^https?://\S+$", value):
            errors.append(f"{path}: not a URL")
    if isinstance(value, int) and "minimum" in schema and value < schema["minimum"]:
        errors.append(f"{path}: below minimum")
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            errors.append(f"{path}: too few items")
        for index, item in enumerate(value):
            errors += check(item, schema.get("items", {}), root, f"{path}[{index}]")
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        errors += [f"{path}: missing {name}" for name in schema.get("required", []) if name not in value]
        if len(value) < schema.get("minProperties", 0):
            errors.append(f"{path}: too few properties")
        for key, item in value.items():
            if key in properties:
                errors += check(item, properties[key], root, f"{path}.{key}")
            elif schema.get("additionalProperties") is False:
                errors.append(f"{path}: unexpected {key}")
    return errors


def test_services_json_is_valid_against_its_published_schema(built_mini):
    data = services_json(built_mini)
    schema = json.loads((built_mini / "data" / "services.schema.json").read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert data["$schema"] == schema["$id"] == BASE + "data/services.schema.json"
    assert check(data, schema, schema) == []
    service_schema = schema["$defs"]["service"]
    assert set(service_schema["required"]) == set(data["services"][0])  # every field documented
    # the checker is not vacuous: broken records are caught
    broken = json.loads(json.dumps(data))
    broken["services"][0]["fee"]["rupiah"] = "30000"
    broken["services"][1]["name"] = {"en": "English only"}
    broken["services"][2]["typo"] = 1
    del broken["services"][2]["url"]["en"]
    errors = check(broken, schema, schema)
    assert any("services[0].fee.rupiah" in e for e in errors)
    assert any("services[1].name: missing id" in e for e in errors)
    assert any("services[2]: unexpected typo" in e for e in errors)
    assert any("services[2].url: missing en" in e for e in errors)


# --- services.csv -----------------------------------------------------------------------------

def read_csv(output: Path) -> tuple[bytes, list[dict[str, str]]]:
    raw = (output / "data" / "services.csv").read_bytes()
    return raw, list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_services_csv_opens_in_a_spreadsheet(built_mini):
    raw, rows = read_csv(built_mini)
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.count(b"\r\n") == len(rows) + 1 and raw.count(b"\n") == raw.count(b"\r\n")
    assert len(rows) == len(services_json(built_mini)["services"]) == 3
    assert [row["id"] for row in rows] == ["ktp-el", "sim-a-perpanjangan", "skck"]
    skck = rows[2]
    assert skck["name_id"] == "Surat Keterangan Catatan Kepolisian (SKCK)"
    assert skck["name_en"] == "Police clearance certificate (SKCK)"
    assert skck["category_id"] == "hukum" and skck["category_name_en"] == "Legal matters and police"
    assert skck["tenant_id"] == "polres" and skck["tenant_name_id"] == "Kepolisian Resor Kota"
    assert skck["counter"] == "4"
    assert skck["requirements_en"] == \
        "Photocopy of your electronic ID card | Passport photo 4x6, red background"
    assert skck["fee_rupiah"] == "30000" and skck["fee_text_id"] == "Rp30.000"
    assert skck["fee_text_en"] == "Rp30,000"  # a comma: quoted, and read back whole
    assert (skck["duration_value"], skck["duration_unit"]) == ("1", "working_days")
    assert (skck["duration_text_id"], skck["duration_text_en"]) == ("1 hari kerja", "1 working day")
    assert skck["url_id"] == BASE + "layanan/skck/" and skck["url_en"] == BASE + "en/services/skck/"
    assert skck["forms"] == BASE + "files/formulir-skck.pdf"
    # untranslated text shows in the English column as the English page shows it
    assert rows[1]["summary_en"] == rows[1]["summary_id"] == "Perpanjangan SIM A sebelum masa berlaku habis."
    assert rows[0]["fee_rupiah"] == "0" and rows[0]["fee_text_en"] == "Free"
    assert rows[0]["duration_value"] == "" and rows[0]["duration_text_en"].startswith("The same day")
    assert rows[0]["duration_note_en"] == rows[0]["duration_text_en"] and rows[0]["fee_note_en"] == ""


def test_csv_quotes_round_trip_and_formulas_stay_text(project):
    edit(project, "content/services/polres.yaml", "en: A police record certificate for job applications.",
         'en: A "police record" certificate; for jobs.')
    edit(project, "content/services/polres.yaml", "requirements: [KTP-el asli, SIM A lama]",
         "requirements: ['=HYPERLINK(\"http://x\")', SIM A lama]")
    assert run(project).code == 0
    _, rows = read_csv(project / "output")
    by_id = {row["id"]: row for row in rows}
    assert by_id["skck"]["summary_en"] == 'A "police record" certificate; for jobs.'
    assert by_id["sim-a-perpanjangan"]["requirements_id"] == "'=HYPERLINK(\"http://x\") | SIM A lama"
    data = services_json(project / "output")
    assert data["services"][1]["requirements"][0] == {  # JSON keeps it
        "text": {"id": '=HYPERLINK("http://x")'}, "form": None, "count": None}


# --- Atom feeds -------------------------------------------------------------------------------

def parse_feed(path: Path) -> ET.Element:
    root = ET.parse(path).getroot()
    assert root.tag == ATOM + "feed"
    return root


def test_feeds_per_language(built_mini):
    news = "Evaluasi pelayanan publik Januari 2025"
    for lang, prefix, titles in (("id", "", [news, "Agenda Akselerasi Pelayanan Publik Tahun 2024"]),
                                 ("en", "en/", [news, "Public Service Acceleration Agenda 2024"])):
        feed = parse_feed(built_mini / prefix / "feed.xml")
        assert feed.get(XML_LANG) == lang
        assert feed.findtext(ATOM + "id") == BASE + prefix + "feed.xml"
        assert feed.find(ATOM + "link[@rel='self']").get("href") == BASE + prefix + "feed.xml"
        assert feed.find(ATOM + "link[@rel='alternate']").get("href") == BASE + prefix
        assert feed.findtext(ATOM + "updated") == "2025-01-21T00:00:00Z"  # newest entry, not the clock
        assert feed.findtext(f"{ATOM}author/{ATOM}name")
        entries = feed.findall(ATOM + "entry")
        assert [e.findtext(ATOM + "title") for e in entries] == titles
        for entry in entries:
            link = entry.find(ATOM + "link[@rel='alternate']").get("href")
            assert entry.findtext(ATOM + "id") == link
            assert url_to_file(built_mini, link).is_file()
            assert link.startswith(BASE + prefix + ("news/" if lang == "en" else "berita/")) or \
                link.startswith(BASE + prefix + ("circulars/" if lang == "en" else "surat-edaran/"))
        assert [e.findtext(ATOM + "updated") for e in entries] == ["2025-01-21T00:00:00Z",
                                                                  "2024-01-15T00:00:00Z"]
        circular = entries[1]
        assert circular.find(ATOM + "category").get("term") == "circulars"
        content = circular.find(ATOM + "content")
        assert content.get("type") == "html"
        assert f'href="{BASE}{prefix}{"services" if lang == "en" else "layanan"}/"' in content.text
        news = entries[0]
        assert "<script" not in news.find(ATOM + "content").text
    english_news = parse_feed(built_mini / "en" / "feed.xml").findall(ATOM + "entry")[0]
    assert english_news.find(ATOM + "title").get(XML_LANG) == "id"  # shown in Indonesian, marked
    assert english_news.find(ATOM + "content").get(XML_LANG) == "id"
    english_circular = parse_feed(built_mini / "en" / "feed.xml").findall(ATOM + "entry")[1]
    assert english_circular.findtext(ATOM + "summary") == "Integrating public service units into the mall."
    assert english_circular.find(ATOM + "title").get(XML_LANG) is None


def test_feed_escapes_and_entry_ids_are_stable(project):
    edit(project, "content/news/evaluasi-2025.md", "title: Evaluasi pelayanan publik Januari 2025",
         'title: "Evaluasi <b>pelayanan</b> & \\"antrean\\" ]]> Januari 2025"')
    assert run(project).code == 0
    first = {p: (project / "output" / p).read_bytes() for p in ("feed.xml", "en/feed.xml", "sitemap.xml",
                                                              "data/services.json", "data/services.csv")}
    feed = ET.fromstring(first["feed.xml"])
    entry = feed.findall(ATOM + "entry")[0]
    assert entry.findtext(ATOM + "title") == 'Evaluasi <b>pelayanan</b> & "antrean" ]]> Januari 2025'
    ids = [e.findtext(ATOM + "id") for e in feed.findall(ATOM + "entry")]
    edit(project, "content/news/evaluasi-2025.md", "Ada 107 layanan.", "Ada 108 layanan.")
    assert run(project).code == 0
    again = ET.parse(project / "output" / "feed.xml").getroot()
    assert [e.findtext(ATOM + "id") for e in again.findall(ATOM + "entry")] == ids
    assert again.findtext(ATOM + "updated") == feed.findtext(ATOM + "updated")
    edit(project, "content/news/evaluasi-2025.md", "Ada 108 layanan.", "Ada 107 layanan.")
    assert run(project).code == 0
    for rel, data in first.items():
        assert (project / "output" / rel).read_bytes() == data, rel  # byte-identical rebuild


# --- sitemap and robots.txt -------------------------------------------------------------------

def test_sitemap_lists_every_page_once_with_alternates(built_mini):
    root = ET.parse(built_mini / "sitemap.xml").getroot()
    assert root.tag == SM + "urlset"
    locs = [url.findtext(SM + "loc") for url in root.findall(SM + "url")]
    assert len(locs) == len(set(locs))
    pages = {BASE + p.parent.relative_to(built_mini).as_posix().removeprefix(".") + "/"
             for p in site_pages(built_mini)}
    pages = {page.replace(BASE + "/", BASE) for page in pages}
    assert set(locs) == pages
    assert BASE + "layanan/skck/" in pages and BASE + "en/services/skck/" in pages
    for url in root.findall(SM + "url"):
        loc = url.findtext(SM + "loc")
        alternates = {link.get("hreflang"): link.get("href") for link in url.findall(XHTML + "link")}
        assert set(alternates) == {"id", "en", "x-default"}
        assert all(link.get("rel") == "alternate" for link in url.findall(XHTML + "link"))
        assert alternates["x-default"] == alternates["id"]
        assert loc in (alternates["id"], alternates["en"])
        assert alternates["en"].startswith(BASE + "en/") and not alternates["id"].startswith(BASE + "en/")
        for href in alternates.values():
            assert href in pages
    skck = next(u for u in root.findall(SM + "url") if u.findtext(SM + "loc") == BASE + "en/services/skck/")
    assert {link.get("hreflang"): link.get("href") for link in skck.findall(XHTML + "link")}["id"] == \
        BASE + "layanan/skck/"


def test_robots_names_the_sitemap(built_mini):
    lines = (built_mini / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert "User-agent: *" in lines
    assert "Sitemap: " + BASE + "sitemap.xml" in lines
    assert not any(line.startswith("Disallow: /") and line != "Disallow:" for line in lines)


# --- JSON-LD ----------------------------------------------------------------------------------

def test_government_service_json_ld(built_mini):
    for rel, provider, place, price in (
            ("layanan/skck", "Kepolisian Resor Kota", "Loket 4, Polres", "Rp30.000"),
            ("en/services/skck", "City Police", "Counter 4, Polres", "Rp30,000")):
        agencies = "en/agencies" if rel.startswith("en/") else "instansi"
        page = head(built_mini, rel)
        service = ld_of_type(page, "GovernmentService")
        assert service["url"] == BASE + rel + "/"
        assert service["provider"] == {"@type": "GovernmentOrganization", "name": provider,
                                       "alternateName": "Polres",
                                       "url": f"{BASE}{agencies}/polres/"}
        assert service["areaServed"] == {"@type": "City", "name": "Contoh"}
        channel = service["availableChannel"][0]
        assert channel["@type"] == "ServiceChannel" and channel["name"] == place
        assert channel["processingTime"] == "P1D"
        location = channel["serviceLocation"]
        assert location["@type"] == "GovernmentOffice"
        assert location["@id"] == BASE + "#mpp"  # the same mall in every language and on the home page
        home = head(built_mini, "en" if rel.startswith("en/") else "")
        assert ld_of_type(home, "GovernmentOffice")["@id"] == location["@id"]
        assert location["address"]["@type"] == "PostalAddress"
        assert location["address"]["streetAddress"] in ("Jl. Contoh No. 1, Kota Contoh",
                                                        "1 Example Street, Example City")
        assert service["offers"] == {"@type": "Offer", "price": 30000, "priceCurrency": "IDR",
                                     "description": price}
    english = ld_of_type(head(built_mini, "en/services/skck"), "GovernmentService")
    assert english["name"] == "Police clearance certificate (SKCK)"
    assert english["description"] == "A police record certificate for job applications."
    sim = ld_of_type(head(built_mini, "layanan/sim-a-perpanjangan"), "GovernmentService")
    assert sim["availableChannel"][0]["processingTime"] == "PT60M" and sim["offers"]["price"] == 80000
    ktp = ld_of_type(head(built_mini, "en/services/ktp-el"), "GovernmentService")
    assert "processingTime" not in ktp["availableChannel"][0]  # free-text duration
    assert ktp["offers"]["price"] == 0 and ktp["offers"]["description"] == "Free"


def test_government_office_json_ld_with_opening_hours(built_mini):
    for rel, name in (("", "Mal Pelayanan Publik Contoh"), ("en", "Example Public Service Mall")):
        office = ld_of_type(head(built_mini, rel), "GovernmentOffice")
        assert office["name"] == name and office["url"] == BASE + (rel + "/" if rel else "")
        day = "https://schema.org/"
        assert office["openingHoursSpecification"] == [
            {"@type": "OpeningHoursSpecification", "opens": "08:00", "closes": "15:00",
             "dayOfWeek": [day + "Monday", day + "Tuesday", day + "Wednesday", day + "Thursday"]},
            {"@type": "OpeningHoursSpecification", "opens": "08:00", "closes": "14:00",
             "dayOfWeek": [day + "Friday"]}]
        closure = office["specialOpeningHoursSpecification"][0]
        assert (closure["validFrom"], closure["opens"], closure["closes"]) == ("2025-03-31", "00:00", "00:00")
        assert office["address"]["addressCountry"] == "ID"
    assert not head(built_mini, "layanan").scripts  # lists carry no JSON-LD of their own


def test_json_ld_cannot_break_out_of_its_script(project):
    edit(project, "content/services/polres.yaml",
         "en: A police record certificate for job applications.",
         "en: \"A </script><script>alert(1)</script> & <!-- certificate\"")
    assert run(project).code == 0
    text = (project / "output" / "en" / "services" / "skck" / "index.html").read_text(encoding="utf-8")
    block = text.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in block and ">" not in block and "&" not in block
    assert json.loads(block)["description"] == "A </script><script>alert(1)</script> & <!-- certificate"
    assert "<script>alert(1)" not in text


# --- meta description, Open Graph, feed links on every page ------------------------------------

PAGES = [  # (Indonesian, English, kind)
    ("", "en", "home"), ("layanan", "en/services", "services"),
    ("layanan/skck", "en/services/skck", "service"),
    ("kategori/hukum", "en/categories/hukum", "category"), ("instansi", "en/agencies", "tenants"),
    ("instansi/polres", "en/agencies/polres", "tenant"), ("capaian", "en/achievements", "achievements"),
    ("surat-edaran", "en/circulars", "circulars"),
    ("surat-edaran/agenda-2024", "en/circulars/agenda-2024", "circular"),
    ("berita", "en/news", "news_index"), ("berita/evaluasi-2025", "en/news/evaluasi-2025", "news"),
    ("tentang", "en/tentang", "page"), ("cari", "en/search", "search"),
]


@pytest.mark.parametrize(("rel_id", "rel_en", "kind"), PAGES, ids=[p[2] for p in PAGES])
def test_sharing_tags_on_every_page_kind(built_mini, rel_id, rel_en, kind):
    for lang, rel, other in (("id", rel_id, rel_en), ("en", rel_en, rel_id)):
        page = head(built_mini, rel)
        url = BASE + (rel + "/" if rel else "")
        assert page.link(rel="canonical") == [url]
        description = page.one("description")
        assert 20 <= len(description) <= 200 and "  " not in description and "<" not in description
        assert page.one("og:description") == description
        assert page.one("og:url") == url
        assert page.one("og:locale") == {"id": "id_ID", "en": "en_US"}[lang]
        assert page.one("og:locale:alternate") == {"id": "en_US", "en": "id_ID"}[lang]
        assert page.one("og:site_name") == {"id": "Mal Pelayanan Publik Contoh",
                                            "en": "Example Public Service Mall"}[lang]
        assert page.one("og:type") == ("article" if kind in ("circular", "news") else "website")
        title = page.one("og:title")
        assert title and title in (built_mini / rel / "index.html").read_text(encoding="utf-8").split(
            "<title>")[1].split("</title>")[0]
        feeds = page.link(rel="alternate", type="application/atom+xml")
        assert feeds == [BASE + ("en/" if lang == "en" else "") + "feed.xml"]
        assert (built_mini / feeds[0].removeprefix(BASE)).is_file()
        # Search engines ignore hreflang alternates with relative addresses.
        assert all(link["href"].startswith(BASE) for link in page.links if "hreflang" in link)
        # No request for /favicon.ico at the host root, outside the site's path.
        assert [href[:19] for href in page.link(rel="icon")] == ["data:image/svg+xml,"]
        assert page.link(rel="alternate", hreflang="x-default") == [BASE + (rel_id + "/" if rel_id else "")]
        other_lang = "en" if lang == "id" else "id"
        assert page.link(rel="alternate", hreflang=other_lang) == [BASE + (other + "/" if other else "")]


def test_descriptions_say_what_the_page_is(built_mini):
    assert head(built_mini, "layanan/skck").one("description") == \
        "Surat keterangan catatan kepolisian untuk melamar kerja."
    assert head(built_mini, "en/services/skck").one("og:title") == "Police clearance certificate (SKCK)"
    assert head(built_mini, "").one("description") == "Satu tempat untuk banyak layanan."
    assert head(built_mini, "en").one("description") == "One place for many services."
    assert head(built_mini, "en/circulars/agenda-2024").one("description") == \
        "Integrating public service units into the mall."
    assert head(built_mini, "en/circulars/agenda-2024").one("article:published_time") == "2024-01-15"
    # no summary: the start of the body, as plain text, without the stripped script
    assert head(built_mini, "berita/evaluasi-2025").one("description") == "Ada 107 layanan. klik"
    tenant = head(built_mini, "en/agencies/polres").one("description")
    assert tenant == ("City Police at Example Public Service Mall, counters 4, 5: Police clearance "
                      "certificate (SKCK), Renewing a car driving licence (SIM A).")
    category = head(built_mini, "kategori/kependudukan").one("description")
    assert category == "Layanan Kependudukan di Mal Pelayanan Publik Contoh: KTP Elektronik (KTP-el)."
    assert head(built_mini, "en/news").one("og:title") == "News"


def _sitemap_by_elementtree(router, langs) -> bytes:
    """The sitemap as ElementTree builds and indents it: what publish.sitemap writes as text."""
    urlset = ET.Element("urlset", {"xmlns": SM[1:-1], "xmlns:xhtml": XHTML[1:-1]})
    default = next(iter(langs))
    for key in router.pages():
        absolute = {code: lang.absolute(router.url(code, *key)) for code, lang in langs.items()}
        for code in langs:
            url = ET.SubElement(urlset, "url")
            ET.SubElement(url, "loc").text = absolute[code]
            for other, href in [*absolute.items(), ("x-default", absolute[default])]:
                ET.SubElement(url, "xhtml:link", rel="alternate", hreflang=other, href=href)
    ET.indent(urlset)
    return ET.tostring(urlset, encoding="utf-8", xml_declaration=True) + b"\n"


def test_sitemap_text_is_what_elementtree_writes(project, monkeypatch):
    from mppsite.pipeline import prepare
    from mppsite.render.templates import Lang
    from mppsite.write.publish import sitemap

    built = prepare(project)
    langs = languages(built)
    assert sitemap(built.router, langs) == _sitemap_by_elementtree(built.router, langs)
    # Characters XML escapes, in text and in attributes, escaped the same way.
    monkeypatch.setattr(Lang, "absolute", lambda self, url: f'https://x.test{url}?a=1&b=<"c">\t\r\n')
    odd = sitemap(built.router, langs)
    assert odd == _sitemap_by_elementtree(built.router, langs)
    assert b"&amp;b=&lt;&quot;c&quot;&gt;&#09;&#13;&#10;" in odd
