"""Easier lists (issue 29): the A–Z list under letters with jump links, the agencies list with what
each offers, an agency's services without its own name repeated, and the 404 page's search."""

from __future__ import annotations

from conftest import soup


def test_a_to_z_groups_services_under_letters_with_links(built_bundled):
    for path in ("layanan/index.html", "en/services/index.html"):
        page = soup(built_bundled / path)
        links = page.select("nav.letters a")
        groups = page.select("section.letter-group")
        assert [a.get_text() for a in links] == [g.h3.get_text() for g in groups]
        assert [a["href"] for a in links] == ["#" + g.h3["id"] for g in groups]
        assert len(links) > 10
        for group in groups:
            names = [a.get_text() for a in group.select("ul.links > li > a")]
            assert names and all(name[0].upper() == group.h3.get_text() for name in names)
        assert sum(len(g.select("ul.links > li")) for g in groups) == 107  # every service, once


def test_agencies_list_shows_counters_and_services_count(built_bundled):
    page = soup(built_bundled / "en/agencies/index.html")
    first = page.select_one("ul.agencies > li")
    assert first.h2.a["href"] == "/mppsite/en/agencies/disdukcapil/"
    assert first.select_one("p.muted").get_text() == "Counter 1 · 14 services"
    assert page.find("table") is None


def test_an_agency_page_does_not_repeat_its_name_after_each_service(built_bundled):
    page = soup(built_bundled / "instansi/disdukcapil/index.html")
    items = page.select("main ul.links > li")
    assert len(items) == 14
    assert all(item.find("span") is None and "Disdukcapil" not in item.get_text() for item in items)
    # the A–Z list still names the agency
    assert "Disdukcapil" in soup(built_bundled / "layanan/index.html").select_one("ul.links > li").get_text()


def test_404_offers_search_and_a_to_z_with_absolute_addresses(built_bundled, built_mini):
    page = soup(built_bundled / "404.html")
    forms = page.select("form[role=search]")
    assert [f["action"] for f in forms] == ["/mppsite/cari/", "/mppsite/en/search/"]
    assert [f.input["name"] for f in forms] == ["q", "q"]
    hrefs = [a["href"] for a in page.select("main a")]
    assert "/mppsite/layanan/#a-z" in hrefs and "/mppsite/en/services/#a-z" in hrefs
    assert all(href.startswith("/mppsite/") for href in hrefs)
    # search: false: no search box, the A–Z link stays
    mini = soup(built_mini / "404.html")
    assert mini.select("form") == [] and "/mpp/layanan/#a-z" in [a["href"] for a in mini.select("main a")]
