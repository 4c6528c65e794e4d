"""The mall's yearly lists of holidays (mpp.yaml `closures`) and its time zone: the messages staff
get, by their exact words, and the warning that the coming year's list is missing."""

from __future__ import annotations

import datetime

import pytest
from conftest import edit, run

from mppsite.pipeline import prepare

CLOSURES = """closures:
  - year: 2026
    source: SKB Nomor 1497 Tahun 2025
    dates:
      - {date: 2026-03-20, reason: Cuti bersama Idulfitri}
      - {date: 2026-12-25, reason: Hari Raya Natal}
closed_on:
"""


def _with_closures(project, text: str = CLOSURES) -> None:
    edit(project, "content/mpp.yaml", "closed_on:\n", text)


def _stale(project, today: datetime.date) -> list[str]:
    built = prepare(project, today=today)
    return [problem.format("en") for problem in built.problems.warnings if problem.key == "closures_stale"]


STALE_2027 = ("content/mpp.yaml:9:1: warning: closures: the list of holidays for 2027 is missing. As soon "
              "as the government publishes the SKB on national holidays and cuti bersama for 2027, add "
              "under 'closures' a new block 'year: 2027' with its source and its dates; until then the "
              "site cannot say 'closed today' on a holiday in 2027")


@pytest.mark.parametrize(("today", "expected"), [
    (datetime.date(2026, 11, 30), []),
    (datetime.date(2026, 12, 1), [STALE_2027]),
    (datetime.date(2027, 1, 15), [STALE_2027]),
], ids=["november", "december", "january-after"])
def test_the_coming_years_list_is_asked_for_from_december_on(project, today, expected):
    _with_closures(project)
    assert _stale(project, today) == expected


def test_the_warning_may_wait_it_does_not_block_publishing(project):
    _with_closures(project)
    built = prepare(project, today=datetime.date(2026, 12, 1))
    stale = [problem for problem in built.problems.warnings if problem.key == "closures_stale"]
    assert stale and not stale[0].blocks_publishing


def test_a_mall_without_yearly_lists_is_not_asked_for_one(project):
    """closed_on alone (one-off days) says nothing of years to come."""
    assert _stale(project, datetime.date(2026, 12, 1)) == []


def test_the_warning_in_indonesian(project):
    _with_closures(project)
    built = prepare(project, today=datetime.date(2026, 12, 1))
    [problem] = [p for p in built.problems.warnings if p.key == "closures_stale"]
    assert problem.format("id") == (
        "content/mpp.yaml:9:1: peringatan: closures: daftar hari libur tahun 2027 belum ada. Begitu "
        "pemerintah menerbitkan SKB hari libur nasional dan cuti bersama 2027, tambahkan di bawah "
        "'closures' blok baru 'year: 2027' dengan sumbernya dan tanggal-tanggalnya; sampai saat itu "
        "situs tidak dapat mengatakan 'hari ini tutup' pada hari libur 2027")


def test_a_date_outside_its_years_list_is_an_error(project):
    _with_closures(project, CLOSURES.replace("2026-12-25", "2025-12-25"))
    result = run(project, "check")
    assert result.code == 1
    assert ("content/mpp.yaml:14:16: closures[0].dates[1].date: the date 2025-12-25 is not in this "
            "list's year 2026; check the year's digits, or move the date to its own year's list"
            ) in result.lines
    indonesian = run(project, "check", lang="id")
    assert ("content/mpp.yaml:14:16: closures[0].dates[1].date: tanggal 2025-12-25 tidak berada di tahun "
            "2026 daftar ini; periksa angka tahunnya, atau pindahkan tanggal itu ke daftar tahunnya "
            "sendiri") in indonesian.lines


def test_a_year_listed_twice_is_an_error(project):
    twice = CLOSURES.replace("closed_on:\n", "  - year: 2026\n    source: SKB lain\n    dates: "
                                             "[{date: 2026-01-01}]\nclosed_on:\n")
    _with_closures(project, twice)
    result = run(project, "check")
    assert result.code == 1
    assert "content/mpp.yaml:15:11: closures[1].year: year 2026 is listed twice" in result.lines


def test_a_list_needs_its_source_and_dates(project):
    _with_closures(project, "closures:\n  - year: 2026\nclosed_on:\n")
    result = run(project, "check")
    assert "content/mpp.yaml:10:5: closures[0]: required field 'source' is missing" in result.lines
    assert "content/mpp.yaml:10:5: closures[0]: required field 'dates' is missing" in result.lines


def test_a_day_in_both_lists_is_shown_once_with_the_yearly_words(project):
    _with_closures(project, CLOSURES + "  - {date: 2026-03-20, reason: Tutup}\n")
    closed = prepare(project).site.mall.closed_on
    assert [(c.date.isoformat(), c.reason.get("id")) for c in closed] == [
        ("2025-03-31", "Idulfitri"), ("2026-03-20", "Cuti bersama Idulfitri"),
        ("2026-12-25", "Hari Raya Natal")]


@pytest.mark.parametrize(("value", "hint"), [
    ("Asia/jakarta", " (did you mean 'Asia/Jakarta'?)"),
    ("WIB", ""),
], ids=["case", "abbreviation"])
def test_an_unknown_time_zone_is_named_with_the_indonesian_ones(project, value, hint):
    (project / "site_config.yaml").write_text(
        (project / "site_config.yaml").read_text(encoding="utf-8") + f"timezone: {value}\n", encoding="utf-8")
    result = run(project, "check")
    assert result.code == 1
    assert (f"site_config.yaml:5:11: timezone: '{value}' is not a known time zone{hint}; write Asia/Jakarta "
            "(WIB), Asia/Pontianak (WIB), Asia/Makassar (WITA) or Asia/Jayapura (WIT)") in result.lines


def test_the_time_zone_reaches_the_page(project):
    (project / "site_config.yaml").write_text(
        (project / "site_config.yaml").read_text(encoding="utf-8") + "timezone: Asia/Makassar\n",
        encoding="utf-8")
    assert run(project).code == 0
    assert 'data-tz="Asia/Makassar"' in (project / "output" / "index.html").read_text(encoding="utf-8")
