"""Every class of content error in the contract: exact words, file, line and column."""

from __future__ import annotations

import re

import pytest
from conftest import edit, run

POLRES = "content/services/polres.yaml"
DUKCAPIL = "content/services/disdukcapil.yaml"
LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<rest>.*)$")


def errors_of(project) -> list[str]:
    result = run(project, "check")
    assert result.code == 1, result.err
    lines = [line for line in result.lines if not line.startswith(("Build stopped", ))]
    assert re.match(r"^\d+ error\(s\), \d+ warning\(s\)$", lines[-1])
    return lines[:-1]


def only_error(project) -> str:
    errors = errors_of(project)
    assert len(errors) == 1, errors
    return errors[0]


def test_unknown_field_with_did_you_mean(project):
    edit(project, POLRES, "    requirements:\n      - {id: Fotokopi KTP-el",
         "    requirement:\n      - {id: Fotokopi KTP-el")
    errors = errors_of(project)
    assert ("content/services/polres.yaml:12:5: services[0]: unknown field 'requirement' "
            "(did you mean 'requirements'?)") in errors
    assert "content/services/polres.yaml:8:5: services[0]: required field 'requirements' is missing" in errors


def test_missing_required_field_points_at_the_item(project):
    edit(project, POLRES, "    product: SIM A baru\n", "")
    assert only_error(project) == (
        "content/services/polres.yaml:29:5: services[1]: required field 'product' is missing")


def test_wrong_type(project):
    edit(project, POLRES, "    requirements: [KTP-el asli, SIM A lama]", "    requirements: KTP-el asli")
    assert only_error(project) == (
        "content/services/polres.yaml:33:19: services[1].requirements: "
        "expected a list (lines starting with '- '), got text")


def test_yaml_syntax_error_gives_line(project):
    edit(project, POLRES, "    summary: Perpanjangan SIM A", "   summary: Perpanjangan SIM A")
    error = only_error(project)
    match = LINE.match(error)
    assert match and match["file"] == POLRES and match["line"] in ("32", "33")
    assert "wrong indentation" in error


def test_tab_indentation_is_named(project):
    edit(project, POLRES, "    fee: {amount: 80000}", "\tfee: {amount: 80000}")
    error = only_error(project)
    assert error.startswith("content/services/polres.yaml:36:")
    assert "there is a Tab character; indent with spaces" in error


def test_duplicate_key(project):
    edit(project, POLRES, "    fee: {amount: 80000}", "    fee: {amount: 80000}\n    fee: {amount: 90000}")
    assert only_error(project) == "content/services/polres.yaml:37:5: field 'fee' is written twice"


def test_duplicate_id_across_files_names_the_first(project):
    edit(project, DUKCAPIL, "  - id: ktp-el", "  - id: skck")
    assert only_error(project) == (
        "content/services/polres.yaml:8:9: services[0].id: service id 'skck' is already used "
        "at content/services/disdukcapil.yaml:8")


def test_unknown_category_with_hint(project):
    edit(project, POLRES, "category: hukum\n    summary: Perpanjangan",
         "category: hukm\n    summary: Perpanjangan")
    assert only_error(project) == (
        "content/services/polres.yaml:31:15: services[1].category: category 'hukm' is not in "
        "content/categories.yaml (did you mean 'hukum'?)")


@pytest.mark.parametrize("built_before", [False, True], ids=["cold", "catalogs kept"])
def test_an_empty_list_of_categories_leaves_every_service_without_its_category(project, built_before):
    """`[]` is a list, so the file was read: each service is told, not the build crashing."""
    if built_before:
        assert run(project, "build").code == 0
    (project / "content" / "categories.yaml").write_text("[]\n", encoding="utf-8")
    assert errors_of(project) == [
        f"{DUKCAPIL}:10:15: services[0].category: category 'kependudukan' is not in content/categories.yaml",
        f"{POLRES}:10:15: services[0].category: category 'hukum' is not in content/categories.yaml",
        f"{POLRES}:31:15: services[1].category: category 'hukum' is not in content/categories.yaml",
    ]
    result = run(project, "build")
    assert result.code == 1 and "Traceback" not in result.err, result.err


def test_a_key_of_spaces_is_shown_in_quotes_in_the_field_path(project):
    """A key `' '` gave the message `polres.yaml:36:31: services[1].fee. : ...`, the key lost among spaces."""
    edit(project, POLRES, "    fee: {amount: 80000}", "    fee: {amount: 80000, ' ': \"\\x1F\"}")
    assert errors_of(project) == [
        f"{POLRES}:36:26: services[1].fee: unknown field ' ' in the fee; use amount and/or note",
        f'{POLRES}:36:31: services[1].fee." ": there is an invisible character here that is not allowed'
        " (U+001F); delete it (type the text again if needed)"]


def test_unknown_counter(project):
    edit(project, POLRES, '    counter: "5"', '    counter: "9"')
    assert only_error(project) == (
        "content/services/polres.yaml:39:14: services[1].counter: counter '9' is not one of this "
        "tenant's counters (tenant.counters: 4, 5)")


def test_missing_file(project):
    edit(project, POLRES, "files/formulir-skck.pdf", "files/formulir-sckc.pdf")
    assert only_error(project) == (
        "content/services/polres.yaml:25:59: services[0].forms[0].file: file "
        "'files/formulir-sckc.pdf' does not exist (looked for content/files/formulir-sckc.pdf)")


@pytest.mark.parametrize("value", ["files/../../../etc/passwd", "files/../site_config.yaml"])
def test_path_escape_is_refused(project, value):
    edit(project, POLRES, "files/formulir-skck.pdf", value)
    error = only_error(project)
    assert error.startswith("content/services/polres.yaml:25:59: services[0].forms[0].file: ")
    assert "points outside content/files/" in error


def test_absolute_path_is_refused(project):
    edit(project, POLRES, "file: files/formulir-skck.pdf", "file: /etc/passwd")
    error = only_error(project)
    assert "'/etc/passwd' is not a valid file: give its path inside content/files/" in error


def test_symlink_out_of_files_is_refused(project):
    (project / "content" / "files" / "secret.txt").symlink_to("/etc/hostname")
    error = only_error(project)
    assert error == ("content/files/secret.txt: this is a link (symlink) to '/etc/hostname', outside "
                     "content/ and templates/; replace the link with the file itself")


def test_path_escape_does_not_copy_the_file(project):
    (project / "content" / "files" / "secret.txt").symlink_to("/etc/hostname")
    assert run(project).code == 1
    assert not (project / "output").exists()


def test_bad_date(project):
    edit(project, POLRES, "reviewed_on: 2025-01-10", "reviewed_on: 2025-02-30")
    assert only_error(project) == (
        "content/services/polres.yaml:28:18: services[0].reviewed_on: '2025-02-30' is not a valid "
        "date: write YYYY-MM-DD, e.g. 2024-11-01")


def test_bad_url(project):
    edit(project, "content/mpp.yaml", "url: https://www.lapor.go.id", "url: www.lapor.go.id")
    assert only_error(project) == (
        "content/mpp.yaml:12:30: complaints[0].url: 'www.lapor.go.id' is not a valid web address: "
        "it must start with https:// (or http://)")


SPACE = "there is a space in it; remove the space (a space inside an address is written %20)"


@pytest.mark.parametrize(("written", "reason"), [
    ("https://www.lapor.go.id ", SPACE), ("https://www.lapor.go.id/pengaduan baru", SPACE),
    ("https://lapor", "after https:// comes the site's name, such as www.lapor.go.id"),
])
def test_an_address_that_starts_right_is_told_what_else_is_wrong(project, written, reason):
    """It starts with https://, so "it must start with https://" sent staff looking in the wrong place."""
    edit(project, "content/mpp.yaml", "url: https://www.lapor.go.id", f'url: "{written}"')
    assert only_error(project) == (
        f"content/mpp.yaml:12:30: complaints[0].url: '{written}' is not a valid web address: {reason}")


def test_bad_slug(project):
    edit(project, POLRES, "  - id: sim-a-perpanjangan", "  - id: SIM A")
    assert only_error(project) == (
        "content/services/polres.yaml:29:9: services[1].id: 'SIM A' is not a valid id: use "
        "lowercase a-z, 0-9 and '-' (e.g. ktp-el)")


def test_text_with_unknown_language_and_empty_text(project):
    edit(project, DUKCAPIL, "product: {id: KTP-el, en: Electronic identity card}",
         "product: {id: KTP-el, jerman: Personalausweis}")
    edit(project, POLRES, "    product: SIM A baru", '    product: ""')
    errors = errors_of(project)
    assert errors == [
        "content/services/disdukcapil.yaml:19:27: services[0].product: 'jerman' is not one of the "
        "site's languages (id, en) (did you mean 'de'?)",
        "content/services/polres.yaml:37:14: services[1].product: the text must not be empty",
    ]


def test_comma_in_flow_mapping_is_caught(project):
    # {id: A, B, en: C} silently makes a key "B"; the Text type catches it.
    edit(project, "content/categories.yaml", "name: {id: Hukum dan Kepolisian, en:",
         "name: {id: Hukum, Kepolisian, en:")
    assert "YAML reads 'Kepolisian' as a field name" in only_error(project)


def test_negative_fee(project):
    edit(project, POLRES, "    fee: {amount: 80000}", "    fee: {amount: -5}")
    assert only_error(project).endswith("services[1].fee: the fee must not be negative")


@pytest.mark.parametrize(("written", "amount"), [("Rp30.000", "Rp30.000"), ('"30.000"', "30.000"),
                                                 ('"Rp 30,000"', "Rp 30,000")])
def test_fee_with_dots_and_rp(project, written, amount):
    edit(project, POLRES, "    fee: {amount: 30000}", f"    fee: {{amount: {written}}}")
    number = "30000"
    assert only_error(project) == (f"{POLRES}:19:19: services[0].fee: write the fee '{amount}' as a whole "
                                   f"number without dots or 'Rp': {number}")


def test_tiered_fee_as_text_is_fine(project):
    edit(project, POLRES, "    fee: {amount: 30000}",
         '    fee: {note: {id: Rp30.000 per lembar, en: "Rp30,000 a sheet"}}')
    assert run(project, "check").code == 0


def test_numbers_too_large_to_show_are_refused_by_check(project):
    edit(project, POLRES, "    fee: {amount: 30000}", "    fee: {amount: 10000000000000000000000000000}")
    edit(project, POLRES, "{value: 1, unit:", "{value: 1000000000000000000000, unit:")
    edit(project, "content/indicators.yaml", "score: 4.62", "score: 46.2")
    assert errors_of(project) == [
        "content/indicators.yaml:6:27: [0].results[0].score: the score 46.2 is outside the scale "
        "'pekppp' (0 to 5)",
        f"{POLRES}:18:23: services[0].duration: 'value' must be a whole number from 1 to 100000",
        f"{POLRES}:19:19: services[0].fee: the fee is too large; at most Rp1.000.000.000.000",
    ]


def test_an_id_too_long_for_a_folder_name(project):
    edit(project, POLRES, "  - id: skck\n", "  - id: skck" + "-x" * 60 + "\n")
    assert only_error(project).endswith("services[0].id: too long (at most 80 characters)")


def test_duration_unit(project):
    edit(project, POLRES, "{value: 60, unit: minutes}", "{value: 60, unit: minute}")
    assert only_error(project).endswith(
        "services[1].duration: unknown unit 'minute'; choose one of: minutes, hours, days, working_days")


def test_translation_without_original(project):
    (project / "content" / "news" / "baru.en.md").write_text("---\ntitle: New\n---\nText\n")
    assert only_error(project) == (
        "content/news/baru.en.md: this translation has no original: 'content/news/baru.md' does not exist")


def test_front_matter_error_gives_line_in_md(project):
    edit(project, "content/news/evaluasi-2025.md", "date: 2025-01-21", "date: 2025-01-21\ntitel: x")
    assert only_error(project) == ("content/news/evaluasi-2025.md:4:1: unknown field 'titel' "
                                   "(did you mean 'title'?)")


def test_front_matter_syntax_error_line(project):
    edit(project, "content/news/evaluasi-2025.md", "date: 2025-01-21", "date: [2025-01-21")
    error = only_error(project)
    assert error.startswith("content/news/evaluasi-2025.md:")
    assert int(LINE.match(error)["line"]) >= 3


def test_circular_needs_a_date(project):
    edit(project, "content/circulars/agenda-2024.md", "date: 2024-01-15\n", "")
    assert only_error(project) == ("content/circulars/agenda-2024.md:1:1: required field 'date' is "
                                   "missing (circulars and news need one)")


def test_missing_front_matter(project):
    (project / "content" / "pages" / "kosong.md").write_text("Just text\n")
    assert "must start with front matter" in only_error(project)


@pytest.mark.parametrize("closing", ["", "----\n", "- - -\n"], ids=["none", "four", "spaced"])
def test_front_matter_never_closed(project, closing):
    edit(project, "content/news/evaluasi-2025.md", "date: 2025-01-21\n---\n", f"date: 2025-01-21\n{closing}")
    assert only_error(project) == (
        "content/news/evaluasi-2025.md:1:1: the front matter opened by '---' on line 1 is never closed: "
        "add a line holding only '---' (three dashes) after its last field, before the text of the document")


def test_tenant_id_must_match_file_name(project):
    edit(project, POLRES, "  id: polres", "  id: polri")
    assert only_error(project) == ("content/services/polres.yaml:2:7: tenant.id: tenant.id 'polri' "
                                   "must equal the file name ('polres')")


def test_unknown_scale(project):
    edit(project, "content/indicators.yaml", "scale: ikm", "scale: ikn")
    assert only_error(project).endswith(
        "[1].scale: unknown scale 'ikn'; choose one of: ikm, ombudsman, pekppp, none (did you mean 'ikm'?)")


def test_not_utf8(project):
    path = project / POLRES
    path.write_bytes(path.read_bytes().replace(b"Perpanjangan SIM A sebelum", b"Perpanjangan \xff SIM"))
    assert only_error(project).startswith("content/services/polres.yaml:32:1: the file is not UTF-8")


def test_empty_catalog_file(project):
    (project / "content/services/kosong.yaml").write_text("")
    assert only_error(project) == ("content/services/kosong.yaml:1:1: the file is empty; expected "
                                   "a mapping ('name: value' lines)")


def test_all_problems_in_one_run_sorted(project):
    edit(project, POLRES, "category: hukum\n    summary: Perpanjangan",
         "category: hukm\n    summary: Perpanjangan")
    edit(project, DUKCAPIL, "fee: {amount: 0}", "fee: {amount: -1}")
    edit(project, "content/mpp.yaml", 'opens: "08:00", closes: "14:00"', 'opens: "14:00", closes: "08:00"')
    edit(project, "content/categories.yaml", "- id: hukum", "- id: kependudukan")
    errors = errors_of(project)
    files = [LINE.match(e)["file"] if LINE.match(e) else e.split(":")[0] for e in errors]
    assert files == sorted(files)
    assert len(errors) == 5, errors  # the duplicate category also leaves 'hukum' unknown
    assert any("closing time (08:00) must be after the opening time (14:00)" in e for e in errors)


def test_yes_and_times_stay_text(project):
    # YAML 1.1 would read 15:00 as 900 and 'no' as false; staff mean text.
    edit(project, "content/mpp.yaml", "short_name: MPP Contoh", "short_name: no")
    edit(project, "content/mpp.yaml", 'closes: "15:00"', "closes: 15:00")
    assert run(project, "check").code == 0


def test_no_traceback_for_anchor_bomb(project):
    bomb = "a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\n"
    (project / POLRES).write_text(bomb)
    errors = errors_of(project)
    assert any("anchors and aliases (& and *) are not supported" in e for e in errors)


@pytest.mark.parametrize("written", ["08.00", "8", "8.30"])
def test_a_time_written_as_a_number_is_told_how_to_write_it(project, written):
    """`opens: 08.00`, unquoted, is the number 8.0 to YAML: "expected text, got a number" left staff
    guessing; the message says how a time is written."""
    edit(project, "content/mpp.yaml", 'opens: "08:00"', f"opens: {written}")
    assert only_error(project) == (
        "content/mpp.yaml:7:41: opening_hours[0].opens: expected a time, got a number: write HH:MM "
        'with a colon, e.g. "08:00" (with a dot, 08.00 is read as a number)')


@pytest.mark.parametrize(("written", "code"), [("jumat", "fri"), ("Jum'at", "fri"), ("Senin", "mon"),
                                               ("minggu", "sun"), ("Sabtu", "sat"), ("Thursday", "thu")])
def test_a_day_written_by_its_name_is_told_its_code(project, written, code):
    edit(project, "content/mpp.yaml", "days: [fri]", f'days: ["{written}"]')
    assert only_error(project) == (
        f"content/mpp.yaml:8:13: opening_hours[1].days[0]: '{written}' is not allowed; choose one of: "
        f"mon, tue, wed, thu, fri, sat, sun (did you mean '{code}'?)")
