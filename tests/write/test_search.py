"""Full-text search (mppsite/write/search.py, templates/search.html, static/search.js): the Pagefind index
per language, its determinism, `search: false`, and real queries in Chromium under a subpath and
at a domain root."""

from __future__ import annotations

import json
import re
import shutil

import cbor2
import pytest
from chromium import AXE, TAGS
from conftest import edit, languages, run, soup, tree_digest
from playwright.sync_api import Page
from webserver import serve

from mppsite.core.problems import ContentError
from mppsite.write import search

SERVICES_IN_BUNDLED = 107


# --- the index, without a browser ---------------------------------------------------------------

def test_one_index_per_language_with_indonesian_stemming(built_bundled):
    bundle = built_bundled / "pagefind"
    entry = json.loads((bundle / "pagefind-entry.json").read_text())
    assert sorted(entry["languages"]) == ["en", "id"]
    for code, info in entry["languages"].items():
        assert info["wasm"] == code  # Indonesian gets its own stemmer, not the "unknown" one
        assert info["page_count"] > SERVICES_IN_BUNDLED  # every service, plus categories, agencies, pages
        assert (bundle / f"pagefind.{info['hash']}.pf_meta").is_file()
        assert (bundle / f"wasm.{code}.pagefind").is_file()
    assert (bundle / "pagefind.js").is_file()
    assert not (bundle / "pagefind-ui.js").exists()  # the site has its own interface


def test_search_page_loads_its_script_and_nothing_else_does(built_bundled):
    page = soup(built_bundled / "cari" / "index.html")
    assert page.find("script", src="/mppsite/static/search.js")["type"] == "module"
    assert page.find("form", id="search-form")["data-bundle"] == "/mppsite/pagefind/"
    for other in ("index.html", "layanan/index.html", "en/services/skck-baru/index.html"):
        html = (built_bundled / other).read_text(encoding="utf-8")
        assert "search.js" not in html and "search.css" not in html and "pagefind" not in html


def test_service_record_carries_keywords_filters_and_the_base_path(built_bundled, tmp_path):
    from mppsite.pipeline import prepare

    built = prepare(built_bundled.parent)
    langs = languages(built)
    by_url = {record.url: record for record in search.records(built.site, built.router, langs)}
    record = by_url["/mppsite/en/services/ktp-el-baru/"]
    assert record.lang == "en" and "e-KTP" in record.keywords
    assert record.filters == {"category": "Population and identity",
                              "tenant": "Population and Civil Registration Office of Sukabumi City"}
    page = soup_text(search.record_html(record))
    assert page.html["lang"] == "en"
    keywords = page.find_all("p", attrs={"data-pagefind-weight": str(search.KEYWORD_WEIGHT)})
    assert keywords[0].get_text() == "e-KTP"
    tenant = page.find("meta", attrs={"data-pagefind-filter": "tenant[content]"})
    assert tenant["content"] == "Population and Civil Registration Office of Sukabumi City"


def soup_text(html: str):
    from bs4 import BeautifulSoup
    return BeautifulSoup(html, "html.parser")


def test_one_pagefind_run_per_language_gives_the_bundle_of_one_run_over_all(built_bundled, tmp_path):
    """The bundle is merged from one run per language (half Pagefind's memory); nothing differs."""
    from mppsite.pipeline import prepare

    built = prepare(built_bundled.parent)
    langs = languages(built)
    records = list(search.records(built.site, built.router, langs))
    merged = search.build_bundle(iter(records), tmp_path / "merged")
    together = search.canonical_filters(search._language_bundle(records, tmp_path / "together"))
    assert sorted(json.loads(merged["pagefind-entry.json"])["languages"]) == ["en", "id"]
    assert merged == together


def test_search_false_writes_no_index_and_the_page_links_to_a_to_z(built_mini):
    assert not (built_mini / "pagefind").exists()
    for path, a_to_z in (("cari/index.html", "/mpp/layanan/"), ("en/search/index.html", "/mpp/en/services/")):
        page = soup(built_mini / path)
        assert page.find("script", src=re.compile("search.js")) is None
        assert page.find("form", id="search-form") is None
        assert page.select_one("main .notice a")["href"] == a_to_z


def test_index_is_byte_identical_across_builds(project, tmp_path):
    edit(project, "site_config.yaml", "search: false", "search: true")
    digests = []
    for _ in range(3):  # Pagefind's own filter order changes from run to run
        assert run(project).code == 0
        digests.append(tree_digest(project / "output"))
    assert any(path.startswith("pagefind/filter/") for path in digests[0])
    assert digests[0] == digests[1] == digests[2]


def test_canonical_filters_undoes_any_value_order(built_bundled):
    bundle = built_bundled / "pagefind"
    files = {p.relative_to(bundle).as_posix(): p.read_bytes() for p in bundle.rglob("*") if p.is_file()}
    assert search.canonical_filters(files) == dict(sorted(files.items()))  # the build's output is canonical
    shuffled = dict(files)
    for name in [name for name in files if name.startswith("filter/")]:
        raw = search._unpack(files[name])
        values = cbor2.loads(raw)
        assert cbor2.dumps(values) == raw  # read and written back exactly
        values[1].reverse()
        shuffled[name] = search._pack(search.SIGNATURE + cbor2.dumps(values))
    assert shuffled != files
    assert search.canonical_filters(shuffled) == search.canonical_filters(files)


def test_a_failing_indexer_stops_the_build_with_a_message_and_keeps_output(project, monkeypatch):
    edit(project, "site_config.yaml", "search: false", "search: true")
    assert run(project).code == 0
    before = tree_digest(project / "output")
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(project / "no-such-pagefind"))
    result = run(project)
    assert result.code == 1
    assert "site_config.yaml: search: the search index (Pagefind) could not be built: FileNotFoundError" \
        in result.err
    assert "Traceback" not in result.err
    assert tree_digest(project / "output") == before
    # A Pagefind that fails: its last words are in the message.
    failing = project / "failing-pagefind"
    failing.write_text("#!/bin/sh\necho 'Error: no room left' >&2\nexit 3\n", encoding="utf-8")
    failing.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(failing))
    result = run(project)
    assert result.code == 1
    assert ("the search index (Pagefind) could not be built: RuntimeError: pagefind exited with status 3: "
            "Error: no room left") in result.err
    assert tree_digest(project / "output") == before


def test_an_entry_file_read_back_empty_is_indexed_again(project, tmp_path, monkeypatch):
    """Pagefind's service once answered that it had written its files and the entry file was
    empty; the command line cannot, but an unreadable entry file is still indexed again once."""
    from mppsite.pipeline import build

    edit(project, "site_config.yaml", "search: false", "search: true")
    build(project)
    good = tree_digest(project / "output")
    shutil.rmtree(project / "output")
    original, calls = search._index, []

    def flaky(site_dir, out_dir, always=False):
        original(site_dir, out_dir)
        calls.append(out_dir)
        if always or len(calls) == 1:
            (out_dir / "pagefind-entry.json").write_bytes(b"")

    monkeypatch.setattr(search, "_index", flaky)
    build(project)
    # Pagefind runs once per language; the first run is done again, in the same folder.
    assert len(calls) == 3 and calls[0] == calls[1] != calls[2]
    assert tree_digest(project / "output") == good
    monkeypatch.setattr(search, "_index", lambda site_dir, out_dir: flaky(site_dir, out_dir, always=True))
    edit(project, "content/services/polres.yaml", "untuk melamar kerja.", "untuk melamar kerja baru.")
    with pytest.raises(ContentError) as raised:
        build(project)
    message = raised.value.problems.errors[0].format("en")
    assert "search index (Pagefind) could not be built: JSONDecodeError" in message
    assert tree_digest(project / "output") == good  # the last site stays


def test_a_full_memory_folder_falls_back_to_the_temporary_folder(project, tmp_path, monkeypatch):
    """Pagefind's input goes to a RAM folder when there is one; when that is full, to disk."""
    import errno

    from mppsite.pipeline import build

    edit(project, "site_config.yaml", "search: false", "search: true")
    build(project)
    good = tree_digest(project / "output")
    shutil.rmtree(project / "output")
    ram = tmp_path / "ram"
    ram.mkdir()
    monkeypatch.setattr(search, "RAM_FOLDERS", (str(ram),))
    original, places = search._language_bundle, []

    def full(records, scratch):
        places.append(scratch)
        if ram in scratch.parents:
            raise OSError(errno.ENOSPC, "No space left on device")
        return original(records, scratch)

    monkeypatch.setattr(search, "_language_bundle", full)
    build(project)
    assert ram in places[0].parents and all(ram not in place.parents for place in places[1:])
    after = tree_digest(project / "output")
    outside = {rel: digest for rel, digest in after.items() if not rel.startswith("pagefind/")}
    assert outside == {rel: digest for rel, digest in good.items() if not rel.startswith("pagefind/")}
    # Pagefind numbers pages in the order it finds their files, which differs between a RAM folder
    # and a disk: the same index, other page numbers.
    entries = [json.loads((project / "output/pagefind/pagefind-entry.json").read_text())]
    assert [{lang: info["page_count"] for lang, info in entry["languages"].items()} for entry in entries] \
        == [{"en": 10, "id": 10}]
    assert len([rel for rel in after if rel.startswith("pagefind/")]) == len(
        [rel for rel in good if rel.startswith("pagefind/")])
    assert list(ram.iterdir()) == []  # nothing left behind


# --- in Chromium -------------------------------------------------------------------------------

def settled(page: Page) -> str:
    """Wait for the search to finish; the text of the status line (the live region)."""
    page.wait_for_function("() => { const s = document.getElementById('search-status').textContent;"
                           " return s && !s.endsWith('\u2026'); }", timeout=15000)
    return page.inner_text("#search-status")


def result_links(page: Page) -> list[str]:
    return page.eval_on_selector_all("#search-list a", "links => links.map(a => a.getAttribute('href'))")


@pytest.mark.parametrize(("path", "query", "expected", "status"), [
    ("cari/", "akta kelahiran", "/mppsite/layanan/akta-kelahiran/", "hasil untuk “akta kelahiran”"),
    ("en/search/", "birth certificate", "/mppsite/en/services/akta-kelahiran/",
     "results for “birth certificate”"),
    ("en/search/", "driving licence", "/mppsite/en/services/sim-a-perpanjangan/",
     "results for “driving licence”"),
    ("cari/", "e-KTP", "/mppsite/layanan/ktp-el-baru/", "hasil untuk “e-KTP”"),  # a keyword only
    ("cari/", "SKKB", "/mppsite/layanan/skck-baru/", "hasil untuk “SKKB”"),  # a keyword only
], ids=["indonesian", "english", "english-licence", "keyword-e-KTP", "keyword-SKKB"])
def test_query_in_the_url_runs_and_links_to_the_service(browser, site, path, query, expected, status):
    page = browser.new_page(viewport={"width": 390, "height": 900})
    page.goto(site + path + "?q=" + query)
    assert status in settled(page)
    assert page.input_value("#q") == query
    links = result_links(page)
    assert expected in links[:5]
    language_root = "/mppsite/en/" if path.startswith("en/") else "/mppsite/"
    assert all(link.startswith(language_root) for link in links)
    if language_root == "/mppsite/":  # Indonesian results only on the Indonesian page
        assert not any(link.startswith("/mppsite/en/") for link in links)
    page.close()


def test_home_form_leads_to_results(browser, site):
    page = browser.new_page()
    page.goto(site)
    page.fill("#q", "paspor")
    page.press("#q", "Enter")
    page.wait_for_url(re.compile(r"/mppsite/cari/\?q=paspor$"))
    settled(page)
    assert any("/mppsite/layanan/paspor" in link for link in result_links(page))
    page.close()


def test_typing_and_a_filter_narrow_the_results_and_every_link_resolves(browser, site):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(site + "cari/")
    page.wait_for_selector(".search-filters:not([hidden])")
    assert page.locator("#search-nojs").is_hidden()
    page.fill("#q", "KTP")
    page.press("#q", "Enter")
    wide = int(settled(page).split()[0])
    page.select_option("#f-tenant", label="Kepolisian Resor Sukabumi Kota")
    narrow = int(settled(page).split()[0])
    assert 0 < narrow < wide
    assert page.url.endswith("?q=KTP&tenant=Kepolisian+Resor+Sukabumi+Kota")
    tenants = page.eval_on_selector_all("#search-list li p.small", "ps => ps.map(p => p.textContent)")
    assert tenants and all(t.endswith("Kepolisian Resor Sukabumi Kota") for t in tenants)
    for link in result_links(page):
        assert page.request.get(site.split("/mppsite/")[0] + link).status == 200
    page.close()


def test_a_filter_alone_lists_its_services_and_more_can_be_shown(browser, site):
    page = browser.new_page(viewport={"width": 390, "height": 900})
    page.goto(site + "en/search/")
    page.wait_for_selector(".search-filters:not([hidden])")
    page.select_option("#f-category", label="Population and identity")
    assert re.fullmatch(r"\d+ results", settled(page))
    assert page.locator("#search-list li").count() == 10
    page.click("#search-more")
    page.wait_for_function("document.querySelectorAll('#search-list li').length > 10")
    focused = page.evaluate("document.activeElement.closest('li') === document.querySelectorAll("
                            "'#search-list li')[10]")
    assert focused  # focus moves to the first new result
    page.close()


def test_no_result_says_so(browser, site):
    page = browser.new_page()
    page.goto(site + "cari/?q=zzxqv")
    assert settled(page).startswith("Tidak ada hasil untuk “zzxqv”")
    assert page.locator("#search-results").is_hidden()
    assert page.locator("#search-browse a").get_attribute("href") == "/mppsite/layanan/"
    page.close()


@pytest.mark.parametrize(("path", "width"), [("cari/?q=akta", 390), ("cari/?q=akta", 1280),
                                             ("en/search/?q=passport", 390), ("en/search/?q=passport", 1280)])
def test_no_axe_violations_with_results_shown(browser, site, path, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(site + path)
    settled(page)
    assert page.locator("#search-list li").count() > 0
    assert page.get_attribute("#search-status", "role") == "status"
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS)
    page.close()
    violations = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]
    assert violations == []


def test_without_javascript_the_page_points_to_a_to_z(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + "en/search/?q=passport")
    assert page.locator("#search-nojs").is_visible()
    assert page.locator("#search-nojs a").get_attribute("href") == "/mppsite/en/services/"
    assert page.locator(".search-filters").is_hidden()
    context.close()


def test_one_query_downloads_little(browser, site):
    page = browser.new_page()
    sizes: dict[str, int] = {}
    page.on("response", lambda response: sizes.__setitem__(response.url, len(response.body())))
    page.goto(site + "cari/?q=akta+kelahiran")
    settled(page)
    page.wait_for_load_state("networkidle")
    page.close()
    search_bytes = sum(size for url, size in sizes.items() if "/pagefind/" in url or "search." in url)
    assert search_bytes < 300_000, sizes


def test_results_link_under_a_domain_root_too(browser, project, tmp_path):
    edit(project, "site_config.yaml", "search: false", "search: true")
    edit(project, "site_config.yaml", "https://example.github.io/mpp/", "https://mpp.example.org/")
    assert run(project).code == 0
    with serve(project / "output", "/") as base:
        page = browser.new_page()
        page.goto(base + "en/search/?q=e-KTP")
        settled(page)
        links = result_links(page)
        assert "/en/services/ktp-el/" in links
        assert page.request.get(base.rstrip("/") + links[0]).status == 200
        # English summary missing: the Indonesian words are shown, marked for screen readers
        page.goto(base + "en/search/?q=driving+licence")
        settled(page)
        item = page.locator("#search-list li", has=page.locator("a[href='/en/services/sim-a-perpanjangan/']"))
        assert item.locator("p[lang=id]").inner_text() == "Perpanjangan SIM A sebelum masa berlaku habis."
        assert item.locator("a").get_attribute("lang") is None  # the name has its English
        page.close()


@pytest.mark.parametrize("query", ["", "?q=ktp"])
def test_nothing_on_screen_moves_when_the_script_runs(browser, site, query):
    """Cumulative layout shift, as Chromium measures it: the filters and results take their place
    without pushing what a citizen is reading (Lighthouse counted 0.21 before this was fixed)."""
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.add_init_script("""window.__shift = 0; new PerformanceObserver(list => { for (const e of
        list.getEntries()) if (!e.hadRecentInput) window.__shift += e.value; })
        .observe({type: 'layout-shift', buffered: true});""")
    page.goto(site + "cari/" + query)
    page.wait_for_selector(".search-filters:not([hidden])")
    if query:
        settled(page)
    page.wait_for_timeout(300)
    assert page.evaluate("window.__shift") < 0.01
    page.close()


def test_the_language_link_carries_the_words_across(browser, site):
    page = browser.new_page()
    page.goto(site + "cari/?q=paspor")
    settled(page)
    page.click("nav.lang a[hreflang=en]")
    page.wait_for_url(re.compile(r"/mppsite/en/search/\?q=paspor$"))
    assert "results for “paspor”" in settled(page)
    assert "/mppsite/en/services/paspor-baru/" in result_links(page)
    page.close()
