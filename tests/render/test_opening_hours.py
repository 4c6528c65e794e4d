"""Is it open today? The hours table (seven days), the list of closed days, and the line the page's
script writes by the mall's clock, with the clock set in the test."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from conftest import edit, run, soup

# The mini fixture's mall (Mon-Thu 08:00-15:00, Fri 08:00-14:00) with the 2026 Idulfitri days of
# the SKB: a Wednesday-to-Tuesday stretch broken only by the weekend.
CLOSURES = """closures:
  - year: 2026
    source: SKB Nomor 1497 Tahun 2025
    url: https://www.kemenpan.go.id/
    dates:
      - {date: 2026-03-18, reason: {id: Cuti bersama Nyepi, en: Collective leave for Nyepi}}
      - {date: 2026-03-19, reason: {id: Hari Suci Nyepi, en: Nyepi}}
      - {date: 2026-03-20, reason: {id: Cuti bersama Idulfitri, en: Collective leave for Eid al-Fitr}}
      - {date: 2026-03-23, reason: {id: Cuti bersama Idulfitri, en: Collective leave for Eid al-Fitr}}
      - {date: 2026-03-24, reason: {id: Cuti bersama Idulfitri, en: Collective leave for Eid al-Fitr}}
closed_on:
"""
WIB = datetime.timezone(datetime.timedelta(hours=7))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini fixture with a year's closures and a page that shows the hours, built once."""
    import shutil

    from conftest import MINI

    dest = tmp_path_factory.mktemp("opening") / "site"
    shutil.copytree(MINI, dest, ignore=shutil.ignore_patterns("output"))
    edit(dest, "content/mpp.yaml", "closed_on:\n", CLOSURES)
    edit(dest, "content/pages/tentang.md", "\n---\n", "\nshow_hours: true\n---\n")
    result = run(dest)
    assert result.code == 0, result.err
    return dest / "output"


def test_the_hours_table_lists_all_seven_days_and_says_closed(built):
    for page, lang_days in [("index.html", ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]),
                            ("en/index.html", ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                                               "Saturday", "Sunday"])]:
        rows = soup(built / page).select("table.hours tbody tr")
        assert [row.th.get_text() for row in rows] == lang_days
        hours = [row.td.get_text() for row in rows]
        if page == "index.html":
            assert hours == ["08.00–15.00"] * 4 + ["08.00–14.00", "Tutup", "Tutup"]
        else:
            assert hours == ["08:00–15:00"] * 4 + ["08:00–14:00", "Closed", "Closed"]
        assert [row["data-day"] for row in rows] == ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def test_closures_are_listed_with_their_source_and_other_days(built):
    details = soup(built / "index.html").select_one("#jam details.closures")
    dates = [item["data-date"] for item in details.select("li[data-date]")]
    assert dates == ["2025-03-31", "2026-03-18", "2026-03-19", "2026-03-20", "2026-03-23", "2026-03-24"]
    source = details.select_one("p.small")
    assert source.get_text() == "Hari libur 2026 menurut SKB Nomor 1497 Tahun 2025"
    assert source.a["href"] == "https://www.kemenpan.go.id/"
    english = soup(built / "en" / "index.html").select_one("details.closures p.small").get_text()
    assert english == "Holidays of 2026 as set by SKB Nomor 1497 Tahun 2025"


def test_the_line_is_at_the_top_of_the_home_page_and_of_a_page_with_show_hours(built):
    home = soup(built / "index.html")
    line = home.select_one(".hero [data-today]")
    assert line.has_attr("hidden") and line.get_text() == ""  # the script's, not the build's
    assert line["data-tz"] == "Asia/Jakarta"
    assert home.select_one("script[src$='static/today.js']").has_attr("defer")
    page = soup(built / "tentang/" / "index.html")
    article = page.select_one("article")
    assert [child.name for child in article.find_all(recursive=False)][:4] == ["h1", "p", "script", "table"]
    assert len(article.select("table.hours tbody tr")) == 7
    others = [path for path in built.rglob("index.html") if soup(path).select("[data-today]")]
    assert len(others) == 4  # the home page and that page, in two languages


# --- in Chromium, with the clock set -------------------------------------------------------------

@pytest.fixture(scope="module")
def served(built: Path):
    from webserver import serve

    with serve(built, "/mpp/") as base:
        yield base


def _line(browser, served: str, path: str, when: datetime.datetime, zone: str = "Asia/Jakarta",
          script: bool = True) -> tuple[str, object]:
    context = browser.new_context(viewport={"width": 390, "height": 844}, timezone_id=zone,
                                  java_script_enabled=script)
    page = context.new_page()
    if script:
        page.clock.set_fixed_time(when)
    page.goto(served + path)
    if script:
        page.wait_for_selector("[data-today]:not([hidden])")
    text = page.locator("[data-today]").first.inner_text() if script else ""
    return text, (context, page)


@pytest.mark.parametrize(("when", "path", "expected"), [
    (datetime.datetime(2026, 3, 10, 10, 0, tzinfo=WIB), "", "Hari ini (Selasa): buka 08.00–15.00"),
    (datetime.datetime(2026, 3, 14, 10, 0, tzinfo=WIB), "", "Hari ini (Sabtu): tutup\nBuka lagi Senin 08.00"),
    (datetime.datetime(2026, 3, 20, 9, 0, tzinfo=WIB), "",
     "Hari ini tutup (Cuti bersama Idulfitri)\nBuka lagi Rabu 08.00"),
    (datetime.datetime(2026, 3, 18, 9, 0, tzinfo=WIB), "",
     "Hari ini tutup (Cuti bersama Nyepi)\nBuka lagi Rabu, 25 Maret, pukul 08.00"),
    (datetime.datetime(2026, 3, 13, 14, 0, tzinfo=WIB), "",
     "Hari ini (Jumat): sudah tutup (buka 08.00–14.00)\nBuka lagi Senin 08.00"),
    (datetime.datetime(2026, 3, 13, 13, 59, tzinfo=WIB), "", "Hari ini (Jumat): buka 08.00–14.00"),
    (datetime.datetime(2026, 3, 20, 9, 0, tzinfo=WIB), "en/",
     "Closed today (Collective leave for Eid al-Fitr)\nOpens again Wednesday 08:00"),
    (datetime.datetime(2026, 3, 18, 9, 0, tzinfo=WIB), "en/",
     "Closed today (Collective leave for Nyepi)\nOpens again Wednesday 25 March at 08:00"),
    (datetime.datetime(2026, 3, 14, 10, 0, tzinfo=WIB), "en/",
     "Today (Saturday): closed\nOpens again Monday 08:00"),
], ids=["weekday", "saturday", "holiday", "closed-a-week", "friday-after-closing", "friday-before-closing",
        "holiday-en", "closed-a-week-en", "saturday-en"])
def test_the_script_says_whether_the_mall_is_open_today(browser, served, when, path, expected):
    text, (context, page) = _line(browser, served, path, when)
    assert text == expected
    today = page.locator("tr[aria-current=date] th").inner_text()
    assert today in expected or "tutup (" in expected or "Closed today" in expected
    context.close()


def test_today_is_the_malls_day_not_the_phones(browser, served):
    """Friday 20:00 in New York is Saturday 08:00 in Jakarta: the mall is closed."""
    when = datetime.datetime(2026, 3, 14, 1, 0, tzinfo=datetime.UTC)
    text, (context, page) = _line(browser, served, "", when, zone="America/New_York")
    assert text == "Hari ini (Sabtu): tutup\nBuka lagi Senin 08.00"
    assert page.locator("tr.today").get_attribute("data-day") == "sat"
    context.close()


def test_past_closures_are_hidden_and_the_page_with_show_hours_has_the_line(browser, served):
    when = datetime.datetime(2026, 3, 19, 9, 0, tzinfo=WIB)
    text, (context, page) = _line(browser, served, "tentang/", when)
    assert text == "Hari ini tutup (Hari Suci Nyepi)\nBuka lagi Rabu 08.00"
    shown = page.eval_on_selector_all("details.closures li", "items => items.filter(i => !i.hidden)"
                                      ".map(i => i.dataset.date)")
    assert shown == ["2026-03-19", "2026-03-20", "2026-03-23", "2026-03-24"]
    context.close()


def test_without_script_the_table_answers_and_no_line_shows(browser, served):
    _, (context, page) = _line(browser, served, "", datetime.datetime(2026, 3, 14, tzinfo=WIB), script=False)
    assert page.locator("[data-today]").is_hidden()
    rows = page.locator("table.hours tbody tr")
    assert rows.count() == 7
    assert rows.nth(5).inner_text() == "Sabtu\tTutup"
    assert page.locator("tr.today").count() == 0
    context.close()


@pytest.mark.parametrize(("lang", "guide", "day", "hours", "reason", "time"), [
    ("id", "docs/panduan-staf.md", "Senin", "08.00–15.00", "Idulfitri", "08.00"),
    ("en", "docs/staff-guide.md", "Monday", "08:00–15:00", "Eid al-Fitr", "08:00"),
])
def test_the_staff_guides_quote_the_line_as_the_page_writes_it(lang, guide, day, hours, reason, time):
    import yaml
    from conftest import ROOT

    strings = yaml.safe_load((ROOT / "data" / "strings" / f"{lang}.yaml").read_text(encoding="utf-8"))
    text = " ".join((ROOT / guide).read_text(encoding="utf-8").split())
    assert f'"{strings["today_open"].format(day=day, hours=hours)}"' in text
    assert f'"{strings["today_holiday"].format(reason=reason)}"' in text
    assert f'"{strings["today_next"].format(day=day, time=time)}"' in text
