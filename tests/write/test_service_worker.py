"""The service worker as built: sw.js at the root of base_url's path with the build's id, and its
registration and saved-copy line on every page (the behaviour in Chromium: tests/test_offline.py)."""

from __future__ import annotations

import re

from conftest import edit, run, site_pages, soup

BUILD = re.compile(r'^const BUILD = "([0-9a-f]{8})";$', re.M)


def build_of(output) -> str:
    found = BUILD.search((output / "sw.js").read_text(encoding="utf-8"))
    assert found, "sw.js names no build"
    return found.group(1)


def page_versions(output) -> dict[str, str]:
    return {path.relative_to(output).as_posix(): soup(path).select_one("#saved-copy")["data-version"]
            for path in site_pages(output)}


def test_worker_is_at_the_root_of_the_base_path_with_its_assets(built_mini):
    text = (built_mini / "sw.js").read_text(encoding="utf-8")
    assert 'const ASSETS = ["/mpp/static/site.css", "/mpp/static/offline.js"];' in text
    assert "__BUILD__" not in text and "__ASSETS__" not in text
    assert (built_mini / "static" / "offline.js").is_file()
    assert not (built_mini / "static" / "sw.js").exists()  # there its scope would be /mpp/static/ only
    assert len(text.encode()) < 6 * 1024  # a few KB, no framework


def test_every_page_registers_it_and_has_the_saved_copy_line_in_its_language(built_mini):
    pages = site_pages(built_mini)  # 404.html is served at unknown addresses: not saved
    assert len(pages) > 20
    for path in pages:
        page = soup(path)
        english = path.relative_to(built_mini).parts[0] == "en"
        scripts = page.select("script[src$='/offline.js']")
        assert len(scripts) == 1, path
        assert scripts[0].has_attr("defer") and scripts[0]["data-worker"] == "/mpp/sw.js", path
        assert scripts[0]["data-home"] == ("/mpp/en/" if english else "/mpp/"), path
        line = page.select_one("#saved-copy")
        assert line is not None and line.has_attr("hidden") and line.get_text() == "", path
        words = ("Saved copy from {date} (version {version}), opened without internet: the latest "
                 "information may differ." if english else
                 "Salinan tersimpan dari {date} (versi {version}), dibuka tanpa internet: informasi "
                 "terbaru bisa berbeda.")
        assert line["data-words"] == words, path
        assert re.fullmatch("[0-9a-f]{8}", line["data-version"]), path


def test_same_input_same_worker_and_a_changed_page_a_new_build(project):
    assert run(project).code == 0
    first = (project / "output" / "sw.js").read_bytes()
    assert run(project).code == 0
    assert (project / "output" / "sw.js").read_bytes() == first
    before, versions = build_of(project / "output"), page_versions(project / "output")
    edit(project, "content/services/polres.yaml", "Perpanjangan SIM A", "Perpanjangan SIM A (Umum)")
    assert run(project).code == 0
    after = build_of(project / "output")
    assert after != before
    # Only the worker's id changed: a new build is a new cache, the same code.
    assert (project / "output" / "sw.js").read_bytes() == first.replace(before.encode(), after.encode())
    # A saved copy's version is its page's: new for the pages that show the changed service only.
    changed = {rel for rel, version in page_versions(project / "output").items() if version != versions[rel]}
    assert {"layanan/sim-a-perpanjangan/index.html", "en/services/sim-a-perpanjangan/index.html",
            "layanan/index.html", "instansi/polres/index.html"} <= changed
    assert "layanan/skck/index.html" not in changed and "tentang/index.html" not in changed


def test_the_worker_follows_base_url(project):
    edit(project, "site_config.yaml", "https://example.github.io/mpp/", "https://mpp.example.go.id/")
    assert run(project).code == 0
    text = (project / "output" / "sw.js").read_text(encoding="utf-8")
    assert 'const ASSETS = ["/static/site.css", "/static/offline.js"];' in text
    script = soup(project / "output" / "index.html").select_one("script[src='/static/offline.js']")
    assert script["data-worker"] == "/sw.js"
