"""A fee and a service time as citizens see them, in every place that shows them: the key facts,
sections 3 and 4, the printed sheet, JSON-LD and the open data. An amount is formatted as before
("Gratis", "Rp30.000"), a note follows it; a note alone is shown as written."""

from __future__ import annotations

import csv
import io
import json
import shutil

import pytest
from conftest import MINI, edit, run, soup

POLRES = "content/services/polres.yaml"
KTP = "content/services/disdukcapil.yaml"
SKCK_FEE = "{amount: 30000, note: {id: Dibayar per lembar SKCK., en: Paid per SKCK sheet.}}"
SKCK_TIME = "{value: 1, unit: working_days, note: {id: Bila berkas lengkap., en: If your file is complete.}}"
SIM_FEE = ('{note: {id: "Sesuai PNBP menurut golongan SIM. Besarnya diumumkan di loket.", '
           'en: "As the state fee for the licence class. The amount is posted at the counter."}}')
KTP_FEE = "{amount: 0, note: {id: Tanpa biaya apa pun., en: No charge of any kind.}}"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The mini project with an amount and a note (SKCK), a note alone (SIM A) and a free fee with a
    note (KTP-el), built once."""
    project = tmp_path_factory.mktemp("shapes") / "site"
    shutil.copytree(MINI, project, ignore=shutil.ignore_patterns("output"))
    edit(project, POLRES, "    fee: {amount: 30000}", f"    fee: {SKCK_FEE}")
    edit(project, POLRES, "    duration: {value: 1, unit: working_days}", f"    duration: {SKCK_TIME}")
    edit(project, POLRES, "    fee: {amount: 80000}", f"    fee: {SIM_FEE}")
    edit(project, KTP, "    fee: {amount: 0}", f"    fee: {KTP_FEE}")
    result = run(project)
    assert result.code == 0, result.err
    return project / "output"


def page(site, lang, service):
    return soup(site / ("layanan" if lang == "id" else "en/services") / service / "index.html")


def fact(parsed, index):
    """The words of the key facts' row `index` (0: service time, 1: fee) and its link, if any."""
    dd = parsed.select("dl.facts")[0].find_all("div")[index].dd
    return dd.get_text(" ", strip=True), dd.a["href"] if dd.a else None


def section_words(parsed, heading):
    return parsed.select_one(f"#{heading}").find_next("p").get_text()


def sheet_row(parsed, number):
    rows = parsed.select("article.sheet .sheet-row")
    return next(row for row in rows if row.select_one(".num").get_text() == number).p.get_text()


@pytest.mark.parametrize(("lang", "fee", "more", "time"), [
    ("id", "Rp30.000 \u2014 Dibayar per lembar SKCK.", "Rincian di bagian 4",
     "1 hari kerja \u2014 Bila berkas lengkap."),
    ("en", "Rp30,000 \u2014 Paid per SKCK sheet.", "Details in section 4",
     "1 working day \u2014 If your file is complete."),
])
def test_an_amount_then_its_note(site, lang, fee, more, time):
    parsed = page(site, lang, "skck")
    amount = fee.split(" ")[0]
    assert fact(parsed, 1) == (f"{amount} {more}", "#h-fee")  # the amount, and where the note is
    assert section_words(parsed, "h-fee") == fee
    assert section_words(parsed, "h-time") == time
    assert sheet_row(parsed, "4") == fee and sheet_row(parsed, "3") == time


@pytest.mark.parametrize(("lang", "free", "note"), [("id", "Gratis", "Tanpa biaya apa pun."),
                                                    ("en", "Free", "No charge of any kind.")])
def test_free_with_a_note(site, lang, free, note):
    parsed = page(site, lang, "ktp-el")
    assert fact(parsed, 1)[0].startswith(free + " ")
    assert section_words(parsed, "h-fee") == f"{free} \u2014 {note}"


def test_a_note_alone_shows_its_first_sentence_in_the_facts_and_all_of_it_in_section_4(site):
    parsed = page(site, "id", "sim-a-perpanjangan")
    assert fact(parsed, 1) == ("Sesuai PNBP menurut golongan SIM. Rincian di bagian 4", "#h-fee")
    assert section_words(parsed, "h-fee") == "Sesuai PNBP menurut golongan SIM. Besarnya diumumkan di loket."
    assert "Rp" not in sheet_row(parsed, "4")
    unchanged = page(site, "en", "sim-a-perpanjangan")
    assert fact(unchanged, 0) == ("60 minutes", None)  # a number alone: nothing more to read


def json_ld(parsed) -> dict:
    items = [json.loads(tag.string) for tag in parsed.find_all("script", type="application/ld+json")]
    return next(item for item in items if item.get("@type") == "GovernmentService")


def test_json_ld_states_a_price_only_from_an_amount(site):
    skck = json_ld(page(site, "id", "skck"))
    assert skck["offers"] == {"@type": "Offer", "priceCurrency": "IDR", "price": 30000,
                              "description": "Rp30.000 \u2014 Dibayar per lembar SKCK."}
    assert skck["availableChannel"][0]["processingTime"] == "P1D"
    sim = json_ld(page(site, "en", "sim-a-perpanjangan"))
    assert "price" not in sim["offers"]
    assert sim["offers"]["description"] == ("As the state fee for the licence class. The amount is posted "
                                            "at the counter.")
    assert json_ld(page(site, "en", "ktp-el"))["offers"]["price"] == 0
    assert "processingTime" not in json_ld(page(site, "en", "ktp-el"))["availableChannel"][0]  # a note alone


def test_open_data_keeps_the_amount_the_shown_words_and_the_note_apart(site):
    services = {s["id"]: s for s in json.loads((site / "data" / "services.json").read_text())["services"]}
    assert services["skck"]["fee"] == {"rupiah": 30000,
                                       "text": {"id": "Rp30.000 \u2014 Dibayar per lembar SKCK.",
                                                "en": "Rp30,000 \u2014 Paid per SKCK sheet."},
                                       "note": {"id": "Dibayar per lembar SKCK.",
                                                "en": "Paid per SKCK sheet."}}
    assert services["skck"]["duration"]["note"] == {"id": "Bila berkas lengkap.",
                                                    "en": "If your file is complete."}
    assert services["sim-a-perpanjangan"]["fee"]["rupiah"] is None
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(
        (site / "data" / "services.csv").read_text(encoding="utf-8-sig")))}
    skck, sim = rows["skck"], rows["sim-a-perpanjangan"]
    assert (skck["fee_rupiah"], skck["fee_text_id"], skck["fee_note_id"]) == (
        "30000", "Rp30.000 \u2014 Dibayar per lembar SKCK.", "Dibayar per lembar SKCK.")
    assert (skck["duration_value"], skck["duration_unit"], skck["duration_note_en"]) == (
        "1", "working_days", "If your file is complete.")
    assert sim["fee_rupiah"] == "" and sim["fee_text_en"] == sim["fee_note_en"]
    assert sim["duration_note_en"] == ""
