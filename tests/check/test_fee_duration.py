"""The one shape of a fee ({amount, note}) and of a service time ({value, unit, note}): what
`check` says, word for word in Indonesian and English, when staff write the old forms or get the
new one wrong."""

from __future__ import annotations

import pytest
from conftest import edit, run

POLRES = "content/services/polres.yaml"
FEE = "    fee: {amount: 30000}"  # services[0], line 19
DURATION = "    duration: {value: 1, unit: working_days}"  # services[0], line 18
FMT_ID = "; `python build.py fmt` menulis ulang berkas lama untuk Anda"
FMT_EN = "; `python build.py fmt` rewrites old files for you"


def errors(project, lang: str) -> list[str]:
    result = run(project, "check", lang=lang)
    assert result.code == 1, result.err
    return [line for line in result.lines[:-1] if ": warning: " not in line and ": peringatan: " not in line]


def both(project) -> tuple[str, str]:
    """The one error, in Indonesian and in English."""
    found = errors(project, "id"), errors(project, "en")
    assert len(found[0]) == 1 and len(found[1]) == 1, found
    return found[0][0], found[1][0]


@pytest.mark.parametrize(("written", "new"), [
    ("30000", "{amount: 30000}"),
    ("0", "{amount: 0}"),
    ("30.000", "{amount: 30000}"),  # YAML reads 30.0: the digits as written
    ("Rp30.000", "{amount: 30000}"),
    ("{id: Rp30.000, en: Rp30,000}", "{amount: 30000}"),
    ("Sesuai tarif PNBP", '{note: {id: "Sesuai tarif PNBP"}}'),
    ('{id: Sesuai tarif PNBP, en: "As the PNBP tariff, \\"per sheet\\""}',
     '{note: {id: "Sesuai tarif PNBP", en: "As the PNBP tariff, \\"per sheet\\""}}'),
], ids=["number", "free", "dots", "rp", "amount-as-text", "plain-text", "text-by-language"])
def test_an_old_fee_is_explained_in_the_new_form(project, written, new):
    edit(project, POLRES, FEE, f"    fee: {written}")
    assert both(project) == (
        f"{POLRES}:19:10: services[0].fee: tulis biaya dalam bentuk baru: `fee: {new}`{FMT_ID}",
        f"{POLRES}:19:10: services[0].fee: write the fee in the new form: `fee: {new}`{FMT_EN}")


def test_an_old_text_duration_is_explained_in_the_new_form(project):
    edit(project, POLRES, DURATION, "    duration: {id: Hari yang sama, en: The same day}")
    new = '{note: {id: "Hari yang sama", en: "The same day"}}'
    assert both(project) == (
        f"{POLRES}:18:15: services[0].duration: tulis jangka waktu dalam bentuk baru: `duration: {new}`"
        f"{FMT_ID}",
        f"{POLRES}:18:15: services[0].duration: write the service time in the new form: `duration: {new}`"
        f"{FMT_EN}")


def test_a_long_old_text_is_cut_in_the_message(project):
    words = "Tergantung jadwal pemeriksaan lapangan dan kelengkapan berkas permohonan yang diajukan"
    edit(project, POLRES, DURATION, f"    duration: {words}")
    english = both(project)[1]
    assert '`duration: {note: {id: "Tergantung jadwal p…honan yang diajukan"}}`' in english


@pytest.mark.parametrize(("field", "written", "id_words", "en_words"), [
    ("fee", "{}",
     "biaya perlu 'amount' (rupiah dalam bilangan bulat, 0 = gratis), 'note' (teks), atau keduanya",
     "the fee needs 'amount' (whole rupiah, 0 = free), a 'note' (a text), or both"),
    ("fee", "{amount: null}",
     "biaya perlu 'amount' (rupiah dalam bilangan bulat, 0 = gratis), 'note' (teks), atau keduanya",
     "the fee needs 'amount' (whole rupiah, 0 = free), a 'note' (a text), or both"),
    ("duration", "{}",
     "jangka waktu perlu 'value' dan 'unit' (misalnya {value: 14, unit: working_days}), 'note' (teks), "
     "atau keduanya",
     "the duration needs 'value' and 'unit' (e.g. {value: 14, unit: working_days}), a 'note' (a text), "
     "or both"),
    ("fee", "[30000]",
     "biaya harus berupa pemetaan: {amount: 30000} (rupiah dalam bilangan bulat, 0 = gratis) dan/atau "
     "{note: ...} untuk tarif bertingkat atau bersyarat",
     "the fee must be a mapping: {amount: 30000} (whole rupiah, 0 = free) and/or {note: ...} for tiered "
     "or conditional fees"),
    ("duration", "14",
     "jangka waktu harus berupa pemetaan: {value: 14, unit: working_days} dan/atau {note: ...}",
     "the duration must be a mapping: {value: 14, unit: working_days} and/or {note: ...}"),
], ids=["empty-fee", "null-amount", "empty-duration", "fee-list", "duration-number"])
def test_an_empty_or_shapeless_value(project, field, written, id_words, en_words):
    old = FEE if field == "fee" else DURATION
    edit(project, POLRES, old, f"    {field}: {written}")
    line, col = (19, 10) if field == "fee" else (18, 15)
    assert both(project) == (f"{POLRES}:{line}:{col}: services[0].{field}: {id_words}",
                             f"{POLRES}:{line}:{col}: services[0].{field}: {en_words}")


@pytest.mark.parametrize(("written", "col", "id_words", "en_words"), [
    ("{value: 14}", 15, "jangka waktu perlu 'unit' juga", "the duration needs 'unit' as well"),
    ("{unit: days, note: Kira-kira dua minggu}", 15, "jangka waktu perlu 'value' juga",
     "the duration needs 'value' as well"),
], ids=["value-alone", "unit-alone"])
def test_value_and_unit_go_together(project, written, col, id_words, en_words):
    edit(project, POLRES, DURATION, f"    duration: {written}")
    assert both(project) == (
        f"{POLRES}:18:{col}: services[0].duration: {id_words}: 'value' (bilangan bulat) dan 'unit' ditulis "
        "bersama, misalnya {value: 14, unit: working_days}; atau tulis note saja",
        f"{POLRES}:18:{col}: services[0].duration: {en_words}: 'value' (a whole number) and 'unit' go "
        "together, e.g. {value: 14, unit: working_days}; or write a note only")


def test_a_note_that_is_not_a_text_is_pointed_at(project):
    edit(project, POLRES, FEE, "    fee: {amount: 30000, note: [per lembar]}")
    assert both(project) == (
        f"{POLRES}:19:32: services[0].fee: harus berupa teks, atau pemetaan bahasa seperti "
        "{id: ..., en: ...}",
        f"{POLRES}:19:32: services[0].fee: expected text, or a mapping by language such as "
        "{id: ..., en: ...}")


def test_a_note_in_an_unknown_language_is_pointed_at(project):
    edit(project, POLRES, DURATION, "    duration: {note: {id: Sehari, inggris: One day}}")
    english = both(project)[1]
    assert english == (f"{POLRES}:18:35: services[0].duration: 'inggris' is not one of the site's languages "
                       "(id, en) (did you mean 'en'?)")


def test_a_note_that_is_one_amount_belongs_in_amount(project):
    edit(project, POLRES, FEE, "    fee: {note: Rp30.000}")
    assert both(project) == (
        f"{POLRES}:19:17: services[0].fee: catatan 'Rp30.000' hanyalah satu jumlah: tulis sebagai "
        "`amount: 30000` (rupiah dalam bilangan bulat, tanpa titik atau 'Rp')",
        f"{POLRES}:19:17: services[0].fee: the note 'Rp30.000' is just one amount: write it as "
        "`amount: 30000` (whole rupiah, without dots or 'Rp')")


def test_an_unknown_field_in_a_fee_gets_a_hint(project):
    edit(project, POLRES, FEE, "    fee: {amout: 30000}")
    assert both(project) == (
        f"{POLRES}:19:11: services[0].fee: kolom 'amout' tidak dikenal dalam biaya (maksudnya 'amount'?); "
        "gunakan amount dan/atau note",
        f"{POLRES}:19:11: services[0].fee: unknown field 'amout' in the fee (did you mean 'amount'?); "
        "use amount and/or note")


def test_an_amount_in_words_is_refused(project):
    edit(project, POLRES, FEE, "    fee: {amount: gratis}")
    assert both(project) == (
        f"{POLRES}:19:19: services[0].fee: 'amount' harus rupiah dalam bilangan bulat (0 = gratis), tanpa "
        "titik atau 'Rp'",
        f"{POLRES}:19:19: services[0].fee: 'amount' must be whole rupiah (0 = free), without dots or 'Rp'")


@pytest.mark.parametrize(("fee", "duration"), [
    ("{amount: 0}", "{note: Hari yang sama}"),
    ('{note: {id: Rp10.000 per lembar, en: "Rp10,000 a sheet"}}',
     "{value: 2, unit: days, note: Bila berkas lengkap}"),
    ("{amount: 30000, note: {id: Per lembar., en: A sheet.}}", "{note: {id: Sehari, en: One day}}"),
], ids=["amount-and-note-only", "note-and-both", "both-and-note"])
def test_the_new_shape_passes(project, fee, duration):
    edit(project, POLRES, FEE, f"    fee: {fee}")
    edit(project, POLRES, DURATION, f"    duration: {duration}")
    result = run(project, "check")
    assert result.code == 0, result.err
