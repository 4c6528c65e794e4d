"""The YAML slips staff make most: each written into a copy of the fixture, and the message `check`
prints for it, word for word, in Indonesian and in English."""

from __future__ import annotations

import pytest
from conftest import edit, run

from mppsite.load import yaml_slips

POLRES = "content/services/polres.yaml"
SKCK_SUMMARY = ("    summary: {id: Surat keterangan catatan kepolisian untuk melamar kerja., "
                "en: A police record certificate for job applications.}")


def only_error(project, lang: str) -> str:
    """The one error `check` reports, in `lang`."""
    result = run(project, "check", lang=lang)
    assert result.code == 1, result.err
    errors = [line for line in result.lines[:-1]
              if ": warning: " not in line and ": peringatan: " not in line]
    assert len(errors) == 1, result.err
    return errors[0]


def both(project) -> tuple[str, str]:
    return only_error(project, "id"), only_error(project, "en")


def test_a_comma_inside_braces_is_one_message_with_the_quoted_form(project):
    edit(project, POLRES, SKCK_SUMMARY,
         '    summary: {id: KTP-el, kartu keluarga, akta dan dokumen lain., en: "Your ID card."}')
    quoted = '{id: "KTP-el, kartu keluarga, akta dan dokumen lain.", en: "…"}'
    assert both(project) == (
        f"{POLRES}:11:14: services[0].summary: koma di dalam {{…}} memotong teks ini: YAML membaca "
        f"'kartu keluarga' sebagai nama kolom, bukan bagian dari teks; beri tanda kutip pada teks yang "
        f"berisi koma: {quoted}",
        f"{POLRES}:11:14: services[0].summary: a comma inside {{…}} cuts this text apart: YAML reads "
        f"'kartu keluarga' as a field name, not as part of the text; put text that contains commas "
        f"in quotes: {quoted}")


def test_a_comma_in_the_english_text_is_quoted_there(project):
    edit(project, POLRES, '{id: Pas foto 4x6 latar merah, en: "Passport photo 4x6, red background"}',
         "{id: Pas foto 4x6 latar merah, en: Passport photo 4x6, red background}")
    assert only_error(project, "en").endswith(
        "services[0].requirements[1]: a comma inside {…} cuts this text apart: YAML reads 'red background' "
        "as a field name, not as part of the text; put text that contains commas in quotes: "
        '{id: "…", en: "Passport photo 4x6, red background"}')


def test_an_unknown_language_is_not_taken_for_a_comma(project):
    edit(project, POLRES, "en: A police record certificate for job applications.}",
         "prancis: Un certificat.}")  # a name, not a code: a real code (fr) would be left out
    assert "'prancis' is not one of the site's languages" in only_error(project, "en")


def test_a_colon_and_space_in_unquoted_text(project):
    edit(project, POLRES, "    summary: Perpanjangan SIM A sebelum masa berlaku habis.",
         "    summary: Syarat: KTP-el")
    assert both(project) == (
        f"{POLRES}:32:14: teks ini berisi ': ' (titik dua lalu spasi), yang dibaca YAML sebagai awal "
        "kolom baru; beri tanda kutip pada teksnya: summary: \"Syarat: KTP-el\"",
        f"{POLRES}:32:14: this text contains ': ' (a colon then a space), which YAML reads as the start "
        "of a new field; put the text in quotes: summary: \"Syarat: KTP-el\"")


def test_a_colon_inside_braces_is_shown_quoted_too(project):
    edit(project, POLRES, SKCK_SUMMARY, '    summary: {id: Syarat: KTP-el, en: "Bring: your ID card"}')
    assert only_error(project, "en") == (
        f"{POLRES}:11:19: this text contains ': ' (a colon then a space), which YAML reads as the start "
        "of a new field; put the text in quotes: id: \"Syarat: KTP-el\"")


@pytest.mark.parametrize(("old", "new", "line"), [
    ("    fee: {amount: 80000}", "\tfee: {amount: 80000}", 36),
    ("      - {id: Ambil nomor antrean., en: Take a queue number.}",
     "\t  - {id: Ambil nomor antrean., en: Take a queue number.}", 16),
], ids=["before-a-key", "before-a-list-item"])
def test_a_tab_used_for_indentation(project, old, new, line):
    edit(project, POLRES, old, new)
    assert both(project) == (
        f"{POLRES}:{line}:1: ada karakter Tab; gunakan spasi untuk indentasi: hapus Tab di awal baris "
        "ini dan ketik spasi sebagai gantinya, sejajar dengan baris lain di tingkat yang sama",
        f"{POLRES}:{line}:1: there is a Tab character; indent with spaces: delete the Tab at the start "
        "of this line and type spaces instead, lined up with the other lines at the same level")


def test_a_hidden_line_break_pasted_into_text(project):
    """U+2028, copied with text from a web page, ends a line to YAML though the editor shows none."""
    edit(project, POLRES, "Nomor 76 Tahun 2020", "Nomor 76\u2028Tahun 2020")
    assert both(project) == (
        f"{POLRES}:22:38: ada pemisah baris tersembunyi (U+2028 LINE SEPARATOR), biasanya ikut tersalin "
        "bersama teks, yang dibaca YAML sebagai akhir baris; hapus karakter itu atau ganti dengan spasi",
        f"{POLRES}:22:38: there is a hidden line break (U+2028 LINE SEPARATOR), usually copied along with "
        "pasted text, which YAML reads as the end of the line; delete it or replace it with a space")


@pytest.mark.parametrize("hidden", ["\u2028", "\u2029", "\x85"])
def test_lines_are_counted_as_the_editor_counts_them_after_a_hidden_line_break(project, hidden):
    """libyaml counts U+0085, U+2028 and U+2029 as line ends: an error below one was reported a
    line too low, and past the file's end when it was on the last line."""
    edit(project, POLRES, '"Passport photo 4x6, red background"',
         f'"Passport photo 4x6,{hidden}red background"')
    edit(project, POLRES, "    fee: {amount: 30000}", "    fee: {amount: 30.5}")
    assert only_error(project, "en") == (
        f"{POLRES}:19:19: services[0].fee: 'amount' must be whole rupiah (0 = free), without dots or 'Rp'")
    edit(project, POLRES, "    fee: {amount: 30.5}", "    fee: {amount: 30000")
    assert only_error(project, "en").startswith(f"{POLRES}:20:")


def test_a_list_item_not_lined_up_with_the_one_above(project):
    edit(project, POLRES, "      - {id: Pas foto", "  - {id: Pas foto")
    assert both(project) == (
        f"{POLRES}:14:3: butir daftar ini tidak sejajar dengan butir di atasnya (baris 13); letakkan '-' "
        "di kolom 7, tepat di bawah '-' butir lain dari 'requirements'",
        f"{POLRES}:14:3: this list item does not line up with the item above it (line 13); put its '-' in "
        "column 7, right under the '-' of the other items of 'requirements'")


def test_a_list_item_at_the_level_of_the_keys(project):
    edit(project, POLRES, "      - {id: Serahkan berkas", "    - {id: Serahkan berkas")
    assert only_error(project, "en") == (
        f"{POLRES}:17:5: this list item does not line up with the item above it (line 16); put its '-' in "
        "column 7, right under the '-' of the other items of 'procedure'")


def test_a_list_item_left_of_its_key(project):
    edit(project, POLRES, "    requirements:\n      - {id: Fotokopi KTP-el",
         "    requirements:\n  - {id: Fotokopi KTP-el")
    assert both(project) == (
        f"{POLRES}:13:3: butir daftar ini milik 'requirements' (baris 12) tetapi kurang menjorok; geser "
        "'-' ke kanan, misalnya ke kolom 7, lebih dalam dari 'requirements'",
        f"{POLRES}:13:3: this list item belongs under 'requirements' (line 12) but is not indented enough; "
        "move its '-' to the right, for example to column 7, further in than 'requirements'")


def test_a_list_item_under_no_key(project):
    edit(project, POLRES, "    product: SIM A baru\n", "    product: SIM A baru\n    - SIM A baru\n")
    assert both(project) == (
        f"{POLRES}:38:5: butir daftar ('- ') ini tidak berada di bawah kolom mana pun; tulis butir daftar "
        "di bawah kolom yang diakhiri ':' tanpa nilai, lebih menjorok dari nama kolom itu, dengan semua "
        "'-' satu daftar di kolom yang sama",
        f"{POLRES}:38:5: this list item ('- ') does not sit under any field; write list items under a "
        "field that ends with ':' and nothing after it, further in than that field's name, with every "
        "'-' of one list in the same column")


@pytest.mark.parametrize(("rel", "old", "new", "where", "written", "date"), [
    (POLRES, "reviewed_on: 2025-01-10", "reviewed_on: 21/01/2025", "28:18: services[0].reviewed_on",
     "21/01/2025", "2025-01-21"),
    ("content/mpp.yaml", "date: 2025-03-31", "date: 21-01-2025", "10:12: closed_on[0].date",
     "21-01-2025", "2025-01-21"),
    ("content/circulars/agenda-2024.md", "date: 2024-01-15", "date: 5.1.2024", "3:7: date",
     "5.1.2024", "2024-01-05"),
    ("content/circulars/agenda-2024.md", "date: 2024-01-15", "date: 15 Januari 2024", "3:7: date",
     "15 Januari 2024", "2024-01-15"),
    ("content/mpp.yaml", "date: 2025-03-31", "date: 31 Mar 2025", "10:12: closed_on[0].date",
     "31 Mar 2025", "2025-03-31"),
    (POLRES, "reviewed_on: 2025-01-10", "reviewed_on: 'January 10, 2025'", "28:18: services[0].reviewed_on",
     "January 10, 2025", "2025-01-10"),
], ids=["reviewed_on", "closure", "document", "month named", "month abbreviated", "month first"])
def test_a_date_written_day_first_is_shown_rewritten(project, rel, old, new, where, written, date):
    edit(project, rel, old, new)
    assert both(project) == (
        f"{rel}:{where}: '{written}' bukan bentuk tanggal yang dipakai: tulis TTTT-BB-HH "
        f"(tahun-bulan-hari), yaitu {date}",
        f"{rel}:{where}: '{written}' is not the date form used here: write YYYY-MM-DD "
        f"(year-month-day), that is {date}")


def test_a_date_that_is_no_date_keeps_the_general_message(project):
    edit(project, POLRES, "reviewed_on: 2025-01-10", "reviewed_on: 31/02/2025")
    assert only_error(project, "en") == (
        f"{POLRES}:28:18: services[0].reviewed_on: '31/02/2025' is not a valid date: write YYYY-MM-DD, "
        "e.g. 2024-11-01")


@pytest.mark.parametrize(("written", "amount"), [("Rp 30.000", "Rp 30.000"), ("30.000", "30.000")])
def test_a_fee_with_dots_or_rp(project, written, amount):
    edit(project, POLRES, "    fee: {amount: 30000}", f"    fee: {{amount: {written}}}")
    assert both(project) == (
        f"{POLRES}:19:19: services[0].fee: tulis biaya '{amount}' sebagai bilangan bulat tanpa titik atau "
        "'Rp': 30000",
        f"{POLRES}:19:19: services[0].fee: write the fee '{amount}' as a whole number without dots or "
        "'Rp': 30000")


def test_a_fee_with_a_decimal_point_keeps_the_general_message(project):
    edit(project, POLRES, "    fee: {amount: 30000}", "    fee: {amount: 30.5}")
    assert only_error(project, "en") == (
        f"{POLRES}:19:19: services[0].fee: 'amount' must be whole rupiah (0 = free), without dots or 'Rp'")


def test_what_is_echoed_stays_short():
    words = "kata " * 40
    found = yaml_slips.comma_split({"id": words, "lain": None}, ("id", "en"))
    assert found is not None and len(found["quoted"]) < 80 and "…" in found["quoted"]
    colon = yaml_slips.colon_in_text(f"summary: Syarat: {words}", 15, in_flow=False)
    assert colon is not None and len(colon[1]["quoted"]) < 80


GUIDE_ROWS = [  # the staff guides' table of common slips: each message as the build words it
    ("text_comma", yaml_slips.comma_split(
        {"id": "KTP-el", "kartu keluarga": None, "akta.": None, "en": "..."}, ("id", "en"))),
    ("yaml_colon_in_text", yaml_slips.colon_in_text("summary: Syarat: KTP-el", 15, in_flow=False)[1]),
    ("yaml_tab", {}),
    ("yaml_item_align", {"above": 13, "to_column": 7, "key": "requirements"}),
    ("yaml_item_under_key", {"above": 12, "to_column": 7, "key": "requirements"}),
    ("yaml_item_misplaced", {}),
    ("date_rewrite", {"value": "21/01/2025", "date": "2025-01-21"}),
    ("fee_amount_text", {"amount": "30.000", "number": "30000"}),
    ("fee_old_form", {"new": "{amount: 30000}"}),
]


@pytest.mark.parametrize(("lang", "guide"), [("id", "docs/panduan-staf.md"), ("en", "docs/staff-guide.md")])
def test_the_staff_guides_table_quotes_the_messages(lang, guide):
    from conftest import ROOT

    from mppsite.core.problems import say

    text = (ROOT / guide).read_text(encoding="utf-8")
    for key, params in GUIDE_ROWS:
        assert f"| {say(key, lang, **params)} |" in text, key


def test_a_colon_in_a_list_item_is_shown_quoted(project):
    edit(project, POLRES, "      - {id: Ambil nomor antrean., en: Take a queue number.}",
         "      - Syarat: KTP-el")
    assert both(project) == (
        f"{POLRES}:16:9: services[0].procedure[0]: teks ini berisi ': ' (titik dua lalu spasi), yang dibaca "
        "YAML sebagai awal kolom baru; beri tanda kutip pada teksnya: \"Syarat: KTP-el\"",
        f"{POLRES}:16:9: services[0].procedure[0]: this text contains ': ' (a colon then a space), which "
        "YAML reads as the start of a new field; put the text in quotes: \"Syarat: KTP-el\"")


NUMBER_RULE = ("angka ditulis dengan titik untuk desimal, tanpa pemisah ribuan",
               "a number is written with a point for decimals and no separator for thousands")


@pytest.mark.parametrize(("rel", "old", "new", "where", "written", "number"), [
    ("content/indicators.yaml", "{year: 2024, score: 4.62}", "{year: 2024, score: 4,62}",
     "6:27: [0].results[0].score", "4,62", "4.62"),
    (POLRES, "fee: {amount: 30000}", "fee: {amount: 30,000}", "19:19: services[0].fee.amount",
     "30,000", "30000"),
], ids=["score", "fee"])
def test_a_number_with_a_comma_inside_braces_is_not_an_unknown_field(project, rel, old, new, where, written,
                                                                     number):
    """`{score: 4,62}`, the Indonesian decimal comma: YAML ends the field at the comma, and the
    message was "unknown field '62'"."""
    edit(project, rel, old, new)
    assert both(project) == (
        f"{rel}:{where}: di dalam {{ }} koma mengakhiri kolom, jadi '{written}' terbaca sebagai dua kolom; "
        f"tulis {number}: {NUMBER_RULE[0]}",
        f"{rel}:{where}: inside {{ }} a comma ends a field, so '{written}' was read as two; "
        f"write {number}: {NUMBER_RULE[1]}")


def test_a_decimal_comma_in_a_number_says_how_to_write_it(project):
    edit(project, "content/indicators.yaml", "    - {year: 2024, score: 4.62}",
         "    - year: 2024\n      score: 4,62")
    assert both(project) == (
        f"content/indicators.yaml:7:14: [0].results[0].score: tulis '4,62' sebagai 4.62: {NUMBER_RULE[0]}",
        f"content/indicators.yaml:7:14: [0].results[0].score: write '4,62' as 4.62: {NUMBER_RULE[1]}")
