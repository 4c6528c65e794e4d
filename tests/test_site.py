"""The built pages: two languages done right, locale formatting, grades, structure."""

from __future__ import annotations

import datetime
import gzip
import re
import shutil
import sys
import types
from decimal import Decimal

import pytest
import yaml
from conftest import MINI, ROOT, run, site_pages, soup, tree_digest

from mppsite.check.config import Config
from mppsite.model.assemble import load_scales
from mppsite.model.site import Duration, Fee
from mppsite.render.templates import Lang


def test_every_page_has_lang_alternates_and_switcher(built_mini):
    pages = site_pages(built_mini)
    assert len(pages) >= 30
    for path in pages:
        page = soup(path)
        rel = path.relative_to(built_mini).as_posix()
        lang = "en" if rel.startswith("en/") else "id"
        assert page.html["lang"] == lang, rel
        links = {link["hreflang"]: link["href"] for link in page.find_all("link", rel="alternate")
                 if link.get("hreflang") and not link.get("type")}  # feeds have a type
        assert set(links) == {"id", "en", "x-default"}, rel
        assert all(href.startswith("https://example.github.io/mpp/") for href in links.values())
        assert links["x-default"] == links["id"]
        own = "https://example.github.io/mpp/" + rel.removesuffix("index.html")
        assert links[lang] == own, rel
        other = "en" if lang == "id" else "id"
        switch = page.select_one("nav.lang a")
        assert switch["hreflang"] == other and switch["lang"] == other
        assert "https://example.github.io" + switch["href"] == links[other], rel


def test_switcher_lands_on_the_same_service(built_mini):
    page = soup(built_mini / "layanan" / "skck" / "index.html")
    assert page.select_one("nav.lang a")["href"] == "/mpp/en/services/skck/"
    page = soup(built_mini / "en" / "services" / "skck" / "index.html")
    assert page.select_one("nav.lang a")["href"] == "/mpp/layanan/skck/"


def test_missing_english_shows_indonesian_marked_as_such(built_mini):
    page = soup(built_mini / "en" / "services" / "sim-a-perpanjangan" / "index.html")
    lead = page.select_one("p.lead")
    span = lead.find("span", lang="id")
    assert span is not None and span.get_text() == "Perpanjangan SIM A sebelum masa berlaku habis."
    assert page.h1.get_text(strip=True) == "Renewing a car driving licence (SIM A)"


def test_document_without_english_shows_notice(built_mini):
    page = soup(built_mini / "en" / "news" / "evaluasi-2025" / "index.html")
    assert "not yet available in English" in page.select_one(".notice").get_text()
    assert page.select_one(".prose")["lang"] == "id"
    assert page.h1.find("span", lang="id").get_text() == "Evaluasi pelayanan publik Januari 2025"


def test_locale_formatting_of_fee_duration_and_dates(built_mini):
    def facts(*parts: str) -> str:
        page = soup(built_mini.joinpath(*parts, "index.html"))
        return page.select_one("dl.facts").get_text(" ", strip=True)

    skck_id = facts("layanan", "skck")
    skck_en = facts("en", "services", "skck")
    assert "Rp30.000" in skck_id and "1 hari kerja" in skck_id
    assert "Rp30,000" in skck_en and "1 working day" in skck_en and "working days" not in skck_en
    sim_id = soup(built_mini / "layanan" / "sim-a-perpanjangan" / "index.html").get_text(" ")
    sim_en = soup(built_mini / "en" / "services" / "sim-a-perpanjangan" / "index.html").get_text(" ")
    assert "60 menit" in sim_id and "60 minutes" in sim_en and "Rp80,000" in sim_en
    ktp_en = soup(built_mini / "en" / "services" / "ktp-el" / "index.html").select_one("dl.facts").get_text()
    assert "Free" in ktp_en
    circular_id = soup(built_mini / "surat-edaran" / "agenda-2024" / "index.html")
    circular_en = soup(built_mini / "en" / "circulars" / "agenda-2024" / "index.html")
    assert circular_id.find("time").get_text() == "15 Januari 2024"
    assert circular_en.find("time").get_text() == "15 January 2024"
    assert circular_en.find("time")["datetime"] == "2024-01-15"


@pytest.mark.parametrize(("lang", "expected"), [
    ("id", ["187.450", "Rp30.000", "Rp1.500.000", "1 hari kerja", "14 hari kerja", "60 menit", "2 jam",
            "1 menit", "21 Januari 2025", "+0,18", "\u22121,27", "4,62"]),
    ("en", ["187,450", "Rp30,000", "Rp1,500,000", "1 working day", "14 working days", "60 minutes",
            "2 hours", "1 minute", "21 January 2025", "+0.18", "\u22121.27", "4.62"]),
])
def test_locale_formats_and_plurals(lang, expected):
    """What the templates print, through the same Lang object (Babel and the UI strings' plurals)."""
    L = Lang(lang, Config(base_url="https://example.github.io/mpp/", languages=("id", "en"),
                          output_dir="output", search=False, root=MINI), None, None)
    shown = [L.number(187450), L.fee(Fee(30000)), L.fee(Fee(1500000)),
             L.duration(Duration(1, "working_days")), L.duration(Duration(14, "working_days")),
             L.duration(Duration(60, "minutes")), L.duration(Duration(2, "hours")),
             L.duration(Duration(1, "minutes")),
             L.date(datetime.date(2025, 1, 21)), L.signed(Decimal("0.18")), L.signed(Decimal("-1.27")),
             L.number(Decimal("4.62"), 2)]
    assert [str(value) for value in shown] == expected


def test_the_build_day_is_not_baked_into_any_page(tmp_path, monkeypatch):
    """Today's row and past closures are marked by the page's script, in the reader's day."""
    def build_on(day: datetime.date, name: str) -> dict[str, str]:
        class Fixed(datetime.date):
            @classmethod
            def today(cls):
                return cls(day.year, day.month, day.day)

        fake = types.SimpleNamespace(**{name: getattr(datetime, name) for name in dir(datetime)
                                        if not name.startswith("__")})
        fake.date = Fixed
        with monkeypatch.context() as patch:
            for module in list(sys.modules.values()):
                if (getattr(module, "__name__", "") or "").startswith("mppsite") and \
                        getattr(module, "datetime", None) is datetime:
                    patch.setattr(module, "datetime", fake)
            dest = tmp_path / name
            shutil.copytree(MINI, dest, ignore=shutil.ignore_patterns("output"))
            assert run(dest).code == 0
        return tree_digest(dest / "output")

    assert build_on(datetime.date(2024, 1, 1), "monday") == build_on(datetime.date(2031, 7, 4), "friday")
    home = soup(tmp_path / "friday" / "output" / "index.html")
    assert not home.select("tr.today, [aria-current=date]")
    rows = home.select("table.hours tr[data-day]")
    assert [row["data-day"] for row in rows] == ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def test_achievements_grade_and_signed_change(built_mini):
    page_id = soup(built_mini / "capaian" / "index.html").get_text(" ", strip=True)
    page_en = soup(built_mini / "en" / "achievements" / "index.html").get_text(" ", strip=True)
    assert "4,62" in page_id and "A Pelayanan Prima" in page_id and "+0,34" in page_id
    assert "4.62" in page_en and "A Excellent Service" in page_en and "+0.34" in page_en
    assert "87,02" in page_id and "B Baik" in page_id and "+1,27" in page_id
    assert "87.02" in page_en and "B Good" in page_en and "+1.27" in page_en


def test_chart_is_inline_svg_with_figures_also_in_a_table(built_mini):
    page = soup(built_mini / "capaian" / "index.html")
    section = page.find("section", class_="indicator")
    svg = section.find("svg")
    assert svg["role"] == "img" and svg.find("title").get_text()
    bars = svg.find_all("rect")
    assert len(bars) == 2
    assert float(bars[1]["height"]) > float(bars[0]["height"])  # 4.62 > 4.28, oldest first
    rows = [tr.get_text(" ", strip=True) for tr in section.find("table").find("tbody").find_all("tr")]
    assert rows == ["2024 4,62 A Pelayanan Prima", "2023 4,28 A- Sangat Baik"]


def test_grades_are_computed_from_the_official_scales():
    scales = load_scales("id")
    pekppp, ikm, ombudsman = scales["pekppp"], scales["ikm"], scales["ombudsman"]
    band = pekppp.band(4.05)
    assert (band.grade, band.label.get("id"), band.label.get("en")) == ("A-", "Sangat Baik", "Very Good")
    assert pekppp.band(4.50).grade == "A-" and pekppp.band(4.51).grade == "A"
    assert pekppp.band(4.505).grade == "A"  # rounded half up at two decimals
    assert pekppp.band(1.0).grade == "F" and pekppp.band(0).grade == "F"
    assert ikm.band(88.30).grade == "B" and ikm.band(88.31).grade == "A"
    assert ikm.band(87.02).label.get("en") == "Good"
    assert ombudsman.band(93.54).label.get("id") == "Kualitas Tertinggi"
    assert ombudsman.confirmed is False and pekppp.confirmed is True
    assert pekppp.rounded(4.62) == Decimal("4.62")


def test_ui_strings_have_the_same_keys_in_both_languages():
    strings = {lang: yaml.safe_load((ROOT / "data" / "strings" / f"{lang}.yaml").read_text())
               for lang in ("id", "en")}
    assert set(strings["id"]) == set(strings["en"])
    for key, value in strings["en"].items():
        if isinstance(value, dict):  # plural forms: English needs one and other
            assert set(value) == {"one", "other"}, key
            assert "other" in strings["id"][key], key


def test_service_page_shows_six_components_first_in_order(built_mini):
    page = soup(built_mini / "en" / "services" / "skck" / "index.html")
    headings = [h.get_text(" ", strip=True) for h in page.find("article").find_all("h2")]
    assert headings[:6] == ["1 Requirements", "2 Steps", "3 Service time", "4 Fee", "5 What you receive",
                            "6 Complaints, suggestions and feedback"]
    assert headings[6:8] == ["Notes", "Legal basis"]
    assert page.select("ul.checklist li")[0].get_text() == "Photocopy of your electronic ID card"
    assert len(page.select("ol.steps li")) == 2
    facts = [dt.get_text() for dt in page.select_one("dl.facts").find_all("dt")]
    assert facts[:3] == ["Service time", "Fee", "Where"]


def test_share_link_and_no_javascript_on_service_page(built_mini):
    page = soup(built_mini / "layanan" / "skck" / "index.html")
    share = page.find("a", href=re.compile(r"^https://wa\.me/\?text="))
    assert share is not None
    assert "https%3A%2F%2Fexample.github.io%2Fmpp%2Flayanan%2Fskck%2F" in share["href"]
    runnable = [s for s in page.find_all("script") if s.get("type") != "application/ld+json"]
    # Structured data, and one small deferred script that keeps the page for reading offline (the
    # page is complete without it): no inline JavaScript, nothing that blocks reading.
    assert [(s.get("src"), s.has_attr("defer"), s.string) for s in runnable] == [
        ("/mpp/static/offline.js", True, None)]
    assert len(page.find_all("link", rel="stylesheet")) == 1


def test_markdown_is_sanitised(built_mini):
    html = (built_mini / "berita" / "evaluasi-2025" / "index.html").read_text()
    assert "<script>alert" not in html and "javascript:" not in html and "onclick" not in html


def test_site_links_in_markdown_are_localised(built_mini):
    page = soup(built_mini / "en" / "circulars" / "agenda-2024" / "index.html")
    hrefs = [a["href"] for a in page.select(".prose a")]
    assert hrefs == ["/mpp/en/services/", "/mpp/en/services/skck/#syarat"]


def test_home_counts_are_computed(built_mini):
    assert "3 layanan · 2 instansi · 3 loket" in soup(built_mini / "index.html").get_text()
    assert "3 services · 2 agencies · 3 counters" in soup(built_mini / "en" / "index.html").get_text()


def test_bilingual_404(built_mini):
    page = soup(built_mini / "404.html")
    sections = page.find_all("section")
    assert [s["lang"] for s in sections] == ["id", "en"]
    assert page.h1.get_text() == "Halaman tidak ditemukan"
    assert sections[1].h2.get_text() == "Page not found"
    assert next(a["href"] for a in sections[1].find_all("a")) == "/mpp/en/"


def test_bundled_counts_and_figures_in_both_languages(built_bundled):
    home_id = soup(built_bundled / "index.html").get_text(" ", strip=True)
    home_en = soup(built_bundled / "en" / "index.html").get_text(" ", strip=True)
    assert "107 layanan · 23 instansi · 23 loket" in home_id
    assert "107 services · 23 agencies · 23 counters" in home_en
    ach_id = soup(built_bundled / "capaian" / "index.html").get_text(" ", strip=True)
    ach_en = soup(built_bundled / "en" / "achievements" / "index.html").get_text(" ", strip=True)
    for words in ("4,62", "A Pelayanan Prima", "+0,34", "93,54", "A Kualitas Tertinggi", "+0,19",
                  "87,02", "B Baik", "+1,27"):
        assert words in ach_id, words
    for words in ("4.62", "A Excellent Service", "+0.34", "93.54", "A Highest Quality", "+0.19",
                  "87.02", "B Good", "+1.27"):
        assert words in ach_en, words


def test_service_page_first_view_fits_in_14_kb(built_bundled):
    css = (built_bundled / "static" / "site.css").read_bytes()
    sizes = {}
    for path in [*(built_bundled / "layanan").glob("*/index.html"),
                 *(built_bundled / "en" / "services").glob("*/index.html")]:
        rel = path.relative_to(built_bundled).as_posix()
        sizes[rel] = len(gzip.compress(path.read_bytes(), 9)) + len(gzip.compress(css, 9))
    assert len(sizes) == 2 * 107
    largest = max(sizes, key=sizes.get)
    assert sizes[largest] <= 14 * 1024, (largest, sizes[largest])


def test_each_figure_shows_where_it_comes_from(built_bundled):
    """The 2023 figures are derived from the stated increases: the page says so beside each."""
    for rel, derived, stated in (("capaian", "Dihitung dari kenaikan 0,34", "Disampaikan Pemerintah Kota"),
                                 ("en/achievements", "Derived from the 0.34 increase", "Stated by the")):
        table = soup(built_bundled / rel / "index.html").select_one("section.indicator table")
        rows = {row.th.get_text(): row.get_text(" ", strip=True) for row in table.tbody.find_all("tr")}
        assert derived in rows["2023"] and stated in rows["2024"], rows


def test_service_lists_are_alphabetical_by_the_name_shown_in_each_language(built_bundled):
    """The A–Z list and a category's list, in each language, by the name shown there (ignoring case)."""
    orders = {}
    for rel in ("layanan/index.html", "en/services/index.html"):
        links = soup(built_bundled / rel).select("main ul.links li > a")
        names = [link.get_text(" ", strip=True) for link in links]
        assert len(names) >= 40 and names == sorted(names, key=str.casefold), rel
        orders[rel] = [link["href"].rstrip("/").rsplit("/", 1)[-1] for link in links]
    assert sorted(orders["layanan/index.html"]) == sorted(orders["en/services/index.html"])
    assert orders["layanan/index.html"] != orders["en/services/index.html"]  # each language its own
    for category in sorted((built_bundled / "kategori").iterdir())[:3]:
        names = [link.get_text(" ", strip=True)
                 for link in soup(category / "index.html").select("main ul.links li > a")]
        assert names and names == sorted(names, key=str.casefold), category.name
