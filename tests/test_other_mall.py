"""Another MPP's content builds a site of its own: nothing of the bundled city, numbers as meant.

tests/fixtures/tirtamaya is a fictional mall (another city, five tenants, a circular, a page, news,
and among its indicators a plain count of visitors).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import ROOT, edit, run, soup

TIRTAMAYA = ROOT / "tests" / "fixtures" / "tirtamaya"
INDICATORS = "content/indicators.yaml"


@pytest.fixture
def other_mall(tmp_path: Path) -> Path:
    dest = tmp_path / "site"
    shutil.copytree(TIRTAMAYA, dest, ignore=shutil.ignore_patterns("output", ".mppsite-cache"))
    return dest


def test_no_word_of_the_bundled_city_in_another_malls_site(other_mall: Path):
    assert run(other_mall).code == 0
    files = [path for path in (other_mall / "output").rglob("*") if path.is_file()]
    assert len([path for path in files if path.suffix == ".html"]) > 50
    found = [path.relative_to(other_mall).as_posix() for path in files
             if b"sukabumi" in path.read_bytes().lower()]
    assert found == []
    intro = soup(other_mall / "output" / "capaian" / "index.html").select_one("p.lead").get_text()
    assert intro.startswith("Hasil penilaian resmi atas pelayanan publik di Kota Tirtamaya.")
    intro = soup(other_mall / "output" / "en" / "achievements" / "index.html").select_one("p.lead").get_text()
    assert intro.startswith("Results of the official assessments of public services in Tirtamaya City.")


def test_without_a_region_the_malls_name_stands_in(other_mall: Path):
    edit(other_mall, "content/mpp.yaml", "region:\n  id: Kota Tirtamaya\n  en: Tirtamaya City\n", "")
    assert run(other_mall).code == 0
    intro = soup(other_mall / "output" / "capaian" / "index.html").select_one("p.lead").get_text()
    assert intro.startswith("Hasil penilaian resmi atas pelayanan publik di "
                            "Mal Pelayanan Publik Kota Tirtamaya.")


def _figures(page: Path) -> list[str]:
    return [figure.get_text() for figure in soup(page).select(".figure")]


def test_a_count_is_a_whole_number_and_a_score_keeps_its_scales_precision(other_mall: Path):
    assert run(other_mall).code == 0
    output = other_mall / "output"
    assert _figures(output / "index.html") == ["4,10", "82,50", "187.450"]
    assert _figures(output / "en" / "index.html") == ["4.10", "82.50", "187,450"]
    changes = [dd.get_text() for dd in soup(output / "capaian" / "index.html").select("dl dd")
               if dd.get_text()[:1] in "+\u2212\u00b1"]
    assert changes == ["+0,24", "+36.250"]
    table = soup(output / "en" / "achievements" / "index.html").get_text()
    assert "151,200" in table and "187,450.00" not in table


def test_check_refuses_a_fractional_count(other_mall: Path):
    edit(other_mall, INDICATORS, "score: 187450\n", "score: 187450.5\n")
    result = run(other_mall, "check", "--lang", "id")
    assert result.code == 1
    assert ("content/indicators.yaml:34:5: [2].results: hasil tahun 2025 adalah hitungan ('unit: count'), "
            "jadi harus bilangan bulat, bukan 187450.5; tulis tanpa koma atau titik desimal") in result.err
    result = run(other_mall, "check", "--lang", "en")
    assert ("the result for 2025 is a count ('unit: count'), so it must be a whole number, not 187450.5; "
            "write it without a decimal point") in result.err


def test_check_refuses_a_count_on_a_grading_scale(other_mall: Path):
    edit(other_mall, INDICATORS, "  scale: none\n  unit: count", "  scale: ikm\n  unit: count")
    result = run(other_mall, "check")
    assert result.code == 1
    assert ("an indicator with 'unit: count' is a count (visitors, applications) and has no grading "
            "scale; write 'scale: none', or remove 'unit: count' if this is a score on the 'ikm' scale"
            ) in result.err
