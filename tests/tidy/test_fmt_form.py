"""The canonical form, file by file (format_text): what each rule of docs/fmt.md turns a hand-
written file into, and that the result is what the project's own loader reads the same way."""

from __future__ import annotations

from pathlib import Path

import pytest

from mppsite.core.problems import Problems
from mppsite.load.source import Source, parse_yaml
from mppsite.tidy.files import format_text

DATA = Path(__file__).parent / "data"
LANGUAGES = ("id", "en")


def loaded(text: str):
    """The data the build reads from `text` (load/source.py), and the problems it found."""
    problems = Problems()
    source = Source(path=Path("x.yaml"), rel="x.yaml", text=text)
    parse_yaml(source, text, problems)
    assert source.parsed, [p.format() for p in problems.items]
    return source.data


def test_a_messy_catalog_becomes_the_canonical_one() -> None:
    """Schema order, unknown keys after, block style, Text as mappings in the site's language
    order, every requirement a mapping, counters and YAML 1.2 lookalike words single-quoted,
    fee and duration migrated, a quoted date unquoted, a long line on one line, line breaks as
    a literal block, comments kept with their key, no blank lines."""
    messy = (DATA / "messy-catalog.yaml").read_text(encoding="utf-8")
    expected = (DATA / "messy-catalog.formatted.yaml").read_text(encoding="utf-8")
    assert format_text("content/services/contoh.yaml", messy, LANGUAGES) == expected
    assert format_text("content/services/contoh.yaml", expected, LANGUAGES) == expected


def test_what_the_formatter_writes_reads_back_as_the_same_values() -> None:
    formatted = loaded((DATA / "messy-catalog.formatted.yaml").read_text(encoding="utf-8"))
    service = formatted["services"][0]
    assert formatted["tenant"]["counters"] == ["1", "A"]
    assert service["keywords"] == ["@mpp", "08:00", "null", "on", "1e3", "- dash", "2025-01-01"]
    assert service["product"] == {"id": "yes"}
    assert str(service["reviewed_on"]) == "2025-01-02"
    assert formatted["services"][1]["notes"] == {"id": "Baris satu\nBaris dua\n"}
    assert formatted["services"][1]["if_refused"]["id"].startswith("Sebuah kalimat")
    assert "\n" not in formatted["services"][1]["if_refused"]["id"]


def test_key_order_follows_the_schema_and_comments_follow_their_keys() -> None:
    text = format_text("content/services/contoh.yaml", (DATA / "messy-catalog.yaml").read_text(), LANGUAGES)
    lines = text.splitlines()
    first = lines.index("  - id: satu")
    keys = [line.strip().split(":")[0] for line in lines[first:lines.index("  - id: dua")]
            if line.startswith("    ") and not line.startswith("     ") and not line.strip().startswith("#")]
    assert keys == ["name", "category", "summary", "requirements", "procedure", "duration", "fee", "product",
                    "legal_basis", "counter", "keywords", "notes", "reviewed_on"]
    assert lines[lines.index("    requirements:") - 1] == "    # persyaratan di bawah"
    assert "      id: Layanan Satu  # nama resmi" in lines
    assert lines[0] == "# Katalog contoh"


def test_times_of_the_opening_hours_are_written_plain_as_the_editor_writes_them() -> None:
    """YAML 1.2 (the build's loader, the editor) reads 08:00 as text: quoted or not, it is
    written plain."""
    text = ("name: MPP\nshort_name: MPP\naddress: Jl. Contoh\n\n"
            "opening_hours:\n  - {days: [mon], opens: 08:00, closes: '15:00'}\n"
            "complaints: [{name: Meja pengaduan}]\n")
    formatted = format_text("content/mpp.yaml", text, LANGUAGES)
    assert "    opens: 08:00\n    closes: 15:00\n" in formatted
    assert "complaints:\n  - name:\n      id: Meja pengaduan\n" in formatted
    assert "\n\n" not in formatted  # no blank lines
    assert loaded(formatted)["opening_hours"][0]["opens"] == "08:00"


def test_a_long_line_stays_one_line_and_a_folded_one_is_joined() -> None:
    words = " ".join(f"kata{number}" for number in range(60))
    formatted = format_text("content/categories.yaml", f"- id: a\n  name: {words}\n", LANGUAGES)
    assert formatted == f"- id: a\n  name:\n    id: {words}\n"
    refolded = words.replace(" kata30 ", "\n    kata30 ")
    written_folded = f"- id: a\n  name: >-\n    {refolded}\n"
    assert format_text("content/categories.yaml", written_folded, LANGUAGES) == formatted


def test_a_documents_front_matter_is_formatted_and_its_body_kept_byte_for_byte() -> None:
    body = "Paragraf   satu.\r\n\r\n- daftar\n\n    kode\n---\nakhir tanpa baris baru"
    text = "---\nsummary: Ringkas\ntitle: \"Judul: Baru\"\n# tanggal contoh\ndate: 2025-01-21\n---\n" + body
    formatted = format_text("content/news/baru.md", text, LANGUAGES)
    assert formatted == ("---\ntitle:\n  id: 'Judul: Baru'\n# tanggal contoh\ndate: 2025-01-21\n"
                         "summary:\n  id: Ringkas\n---\n" + body)


@pytest.mark.parametrize("rel", ["site_config.yaml", "content/files/a.yaml", "content/services/notes.txt"])
def test_files_that_are_not_content_files_are_left_as_they_are(rel: str) -> None:
    assert format_text(rel, "b: {x: 1}\na: 2\n", LANGUAGES) == "b: {x: 1}\na: 2\n"


def test_a_text_in_another_site_language_order_puts_the_default_first() -> None:
    written = "- {id: a, name: {id: Nama, en: Name}}\n"
    formatted = format_text("content/categories.yaml", written, ("en", "id"))
    assert formatted == "- id: a\n  name:\n    en: Name\n    id: Nama\n"


def test_a_top_level_list_starts_at_column_0_and_its_comments_stay_in_line() -> None:
    written = ("# head\n- id: a\n  # about the name\n  name: {en: A, id: B}\n  description: |\n"
               "    # words, not a comment\n    more\n# the next one\n- id: b\n  name: C\n")
    assert format_text("content/categories.yaml", written, LANGUAGES) == (
        "# head\n- id: a\n  # about the name\n  name:\n    id: B\n    en: A\n  description:\n    id: |\n"
        "      # words, not a comment\n      more\n# the next one\n- id: b\n  name:\n    id: C\n")


def test_numbers_are_written_as_the_editor_writes_them_and_read_back_as_numbers() -> None:
    """The editor holds a number as JavaScript does: 93.350 is 93.35, 1.0e+20 a whole number."""
    written = ("- {id: a, name: A, assessor: B, scale: none, results: [{year: 2024, score: 1.0e+20},"
               " {year: 2023, score: 93.350}, {year: 0x7E7, score: 1_000}, {year: 2021, score: 1e-7}]}\n")
    formatted = format_text("content/indicators.yaml", written, LANGUAGES)
    assert "score: 100000000000000000000\n" in formatted and "score: 93.35\n" in formatted
    # What the build reads as words stays words (check says the score is no number).
    for words in ("year: '0x7E7'", "score: 1_000", "score: '1e-7'"):
        assert f"{words}\n" in formatted
    results = loaded(formatted)[0]["results"]
    assert [result["score"] for result in results] == [1e20, 93.35, "1_000", "1e-7"]


def test_a_document_in_another_language_has_its_texts_in_that_language() -> None:
    """`slug.en.md` is English: a plain title there is {en: ...}, as check reads it."""
    written = "---\ntitle: About\n---\nBody\n"
    for name, language in (("about.en.md", "en"), ("about.md", "id"), ("about.su.md", "su")):
        formatted = format_text(f"content/pages/{name}", written, LANGUAGES)
        assert formatted == f"---\ntitle:\n  {language}: About\n---\nBody\n"
