"""A service page's sections below the key facts (issue 29): who can apply before the
requirements, requirements that say original or copy and how many, what to do when refused,
related services both ways; and key facts that fit on a line."""

from __future__ import annotations

import csv
import io
import json

import pytest
from conftest import edit, run, soup

POLRES = "content/services/polres.yaml"
KTP = "content/services/disdukcapil.yaml"
LONG_FEE = ("Izin tidak dipungut biaya. Penyelenggara reklame wajib membayar Pajak Reklame menurut "
            "ukuran, jenis, lokasi dan lama pemasangan.")


@pytest.fixture
def site(project):
    """The mini project with the new fields: KTP-el names SKCK as related (SKCK lists it back)."""
    written = "    requirements:\n      - {id: Fotokopi Kartu Keluarga, en: Photocopy of the family card}\n"
    edit(project, KTP, written, (
        "    eligibility:\n"
        "      - {id: Berusia 17 tahun atau lebih, en: Aged 17 or over}\n"
        "      - {id: Datang sendiri untuk perekaman, en: You come in person to be recorded}\n"
        "    requirements:\n"
        "      - {text: {id: Kartu Keluarga, en: Family card}, form: copy, count: 2}\n"
        "      - {text: {id: Akta kelahiran, en: Birth certificate}, form: both}\n"
        "      - {id: Surat pengantar RT, en: Letter from the neighbourhood head}\n"))
    edit(project, KTP, "    counter: \"1\"\n", (
        "    counter: \"1\"\n    related: [skck]\n"
        "    if_refused: {id: Lengkapi berkas lalu datang lagi., en: Complete the file and come again.}\n"))
    edit(project, POLRES, "    fee: {amount: 80000}",
         f"    fee: {{note: {{id: \"{LONG_FEE}\", en: Free permit. Tax applies.}}}}")
    result = run(project)
    assert result.code == 0, result.err
    return project / "output"


def section(page, name):
    return page.find("section", attrs={"aria-labelledby": name})


def headings(page):
    return [h2.get_text(" ", strip=True) for h2 in page.select("article.service h2")]


def test_who_can_apply_comes_before_the_requirements_in_both_languages(site):
    page = soup(site / "layanan" / "ktp-el" / "index.html")
    titles = headings(page)
    assert titles[:2] == ["Siapa yang dapat mengajukan", "1 Persyaratan"]
    who = page.find("section", attrs={"aria-labelledby": "h-who"})
    assert [li.get_text() for li in who.find_all("li")] == ["Berusia 17 tahun atau lebih",
                                                           "Datang sendiri untuk perekaman"]
    english = soup(site / "en" / "services" / "ktp-el" / "index.html")
    assert headings(english)[:2] == ["Who can apply", "1 Requirements"]
    assert english.select_one("#h-who").find_next("p").get_text() == "You can apply for this service if:"


def test_requirements_say_original_or_copy_and_how_many(site):
    items = soup(site / "layanan" / "ktp-el" / "index.html").select("ul.checklist li")
    assert [li.get_text(" ", strip=True) for li in items] == [
        "Kartu Keluarga (fotokopi, 2 lembar)", "Akta kelahiran (asli dan fotokopi)", "Surat pengantar RT"]
    items = soup(site / "en" / "services" / "ktp-el" / "index.html").select("ul.checklist li")
    assert [li.get_text(" ", strip=True) for li in items] == [
        "Family card (photocopy, 2 copies)", "Birth certificate (original and photocopy)",
        "Letter from the neighbourhood head"]
    sheet = soup(site / "layanan" / "ktp-el" / "index.html").select(".sheet .sheet-req li")
    assert sheet[0].get_text(" ", strip=True) == "Kartu Keluarga (fotokopi, 2 lembar)"


def test_related_services_are_linked_both_ways_with_where_they_are(site):
    ktp = section(soup(site / "layanan" / "ktp-el" / "index.html"), "h-related")
    assert ktp.h2.get_text() == "Layanan terkait"
    assert [(li.a["href"], li.get_text(" ", strip=True)) for li in ktp.find_all("li")] == [
        ("/mpp/layanan/skck/", "Surat Keterangan Catatan Kepolisian (SKCK) Loket 4, Polres")]
    skck = soup(site / "en" / "services" / "skck" / "index.html").find(
        "section", attrs={"aria-labelledby": "h-related"})
    assert skck.h2.get_text() == "Related services"
    assert [li.get_text(" ", strip=True) for li in skck.find_all("li")] == [
        "Electronic identity card (KTP-el) Counter 1, Disdukcapil"]
    assert skck.a["href"] == "/mpp/en/services/ktp-el/"
    sim = soup(site / "layanan" / "sim-a-perpanjangan" / "index.html")
    assert sim.find("section", attrs={"aria-labelledby": "h-related"}) is None
    assert sim.find("section", attrs={"aria-labelledby": "h-who"}) is None


def test_if_refused_has_its_own_section(site):
    page = soup(site / "en" / "services" / "ktp-el" / "index.html")
    section = page.find("section", attrs={"aria-labelledby": "h-refused"})
    assert section.h2.get_text() == "If your application is refused or incomplete"
    assert section.p.get_text() == "Complete the file and come again."


def test_a_long_text_fee_shows_its_first_sentence_and_points_to_section_4(site):
    page = soup(site / "layanan" / "sim-a-perpanjangan" / "index.html")
    fee = next(div for div in page.select("dl.facts")[0].find_all("div") if div.dt.get_text() == "Biaya")
    assert fee.dd.get_text(" ", strip=True) == "Izin tidak dipungut biaya. Rincian di bagian 4"
    assert fee.dd.a["href"] == "#h-fee"
    assert page.select_one("#h-fee").find_next("p").get_text() == LONG_FEE  # the whole text stays there
    english = soup(site / "en" / "services" / "sim-a-perpanjangan" / "index.html")
    fee = english.select("dl.facts")[0].find_all("div")[1]
    assert fee.dd.get_text(" ", strip=True) == "Free permit. Details in section 4"
    short = soup(site / "layanan" / "skck" / "index.html").select("dl.facts")[0].find_all("div")[1]
    assert short.dd.get_text() == "Rp30.000" and short.dd.a is None


def test_open_data_and_json_ld_carry_the_new_fields(site):
    services = {s["id"]: s for s in json.loads((site / "data" / "services.json").read_text())["services"]}
    ktp = services["ktp-el"]
    assert ktp["eligibility"][0] == {"id": "Berusia 17 tahun atau lebih", "en": "Aged 17 or over"}
    assert ktp["requirements"][0] == {"text": {"id": "Kartu Keluarga", "en": "Family card"},
                                      "form": "copy", "count": 2}
    assert ktp["related"] == ["skck"] and services["skck"]["related"] == ["ktp-el"]
    assert ktp["if_refused"] == {"id": "Lengkapi berkas lalu datang lagi.",
                                 "en": "Complete the file and come again."}
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(
        (site / "data" / "services.csv").read_bytes().decode("utf-8-sig"), newline=""))}
    assert rows["ktp-el"]["requirements_en"].startswith("Family card (photocopy, 2 copies) | ")
    assert rows["ktp-el"]["eligibility_id"] == "Berusia 17 tahun atau lebih | Datang sendiri untuk perekaman"
    assert rows["skck"]["related"] == "ktp-el"
    page = soup(site / "en" / "services" / "skck" / "index.html")
    data = [json.loads(tag.string) for tag in page.find_all("script", type="application/ld+json")]
    service = next(item for item in data if item.get("@type") == "GovernmentService")
    assert service["isRelatedTo"] == [{"@type": "GovernmentService",
                                       "name": "Electronic identity card (KTP-el)",
                                       "@id": "https://example.github.io/mpp/en/services/ktp-el/#service"}]


def test_a_related_service_renamed_or_newly_linking_renders_the_other_page_again(site):
    project = site.parent
    edit(project, POLRES, "en: Police clearance certificate (SKCK)}", "en: Police certificate (SKCK)}")
    assert run(project).code == 0
    ktp = soup(site / "en" / "services" / "ktp-el" / "index.html")
    assert ktp.select_one("ul.related a").get_text() == "Police certificate (SKCK)"
    # a link written only in the police catalog appears on the KTP-el page (the other way)
    edit(project, POLRES, "    counter: \"5\"", "    counter: \"5\"\n    related: [ktp-el]")
    assert run(project).code == 0
    ktp = soup(site / "layanan" / "ktp-el" / "index.html")
    assert [a["href"] for a in ktp.select("ul.related a")] == ["/mpp/layanan/skck/",
                                                               "/mpp/layanan/sim-a-perpanjangan/"]
