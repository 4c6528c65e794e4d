"""Readable at the counter without signal, in a real Chromium: the pages a citizen opened, the home
page and the CSS come back offline with a line saying they are a saved copy, from when and which
build; online again after a rebuild, the new page shows, never the saved one."""

from __future__ import annotations

import re
import time

import pytest
from conftest import edit, run, soup
from webserver import serve

SERVICE, OTHER, UNOPENED = "layanan/skck/", "layanan/ktp-el/", "layanan/sim-a-perpanjangan/"
OLD_NAME = "Surat Keterangan Catatan Kepolisian (SKCK)"
NEW_NAME = "SKCK (Surat Keterangan Catatan Kepolisian)"
SAVED = """async ([paths, holding]) => {
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    let all = true;
    for (const path of paths) {
      const copy = await cache.match(new URL(path, location.href));
      all = all && !!copy && (await copy.text()).includes(holding);
    }
    if (all) return name;
  }
  return false;
}"""


def build_of(output) -> str:
    """The build's id, as sw.js carries it: its cache's name ends with it."""
    worker = (output / "sw.js").read_text(encoding="utf-8")
    return re.search(r'^const BUILD = "([0-9a-f]{8})";$', worker, re.M)[1]


def version_of(output, path: str) -> str:
    """The version a built page carries, shown on its saved copy."""
    return soup(output / path / "index.html").select_one("#saved-copy")["data-version"]


def wait_saved(page, *paths: str, holding: str = "") -> None:
    """Until the worker's cache holds these addresses (saved in the background), with these words."""
    page.wait_for_function(SAVED, arg=[list(paths), holding], timeout=15000)


def line(page) -> str | None:
    """The saved-copy line's words, or None when it is hidden."""
    return page.inner_text("#saved-copy") if page.is_visible("#saved-copy") else None


@pytest.fixture
def served(project):
    assert run(project).code == 0
    with serve(project / "output", "/mpp/") as base:
        yield project, base


def test_opened_pages_read_offline_with_the_saved_copy_line(browser, served):
    project, base = served
    output = project / "output"
    context = browser.new_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    page.goto(base + SERVICE)  # loaded before the worker: saved on the page's word, with its home
    wait_saved(page, "/mpp/" + SERVICE, "/mpp/", "/mpp/static/site.css")
    assert line(page) is None
    page.goto(base + OTHER)  # through the worker
    page.goto(base + "en/services/skck/")
    wait_saved(page, "/mpp/" + OTHER, "/mpp/en/services/skck/", "/mpp/en/")

    context.set_offline(True)
    page.reload()
    assert page.inner_text("h1") == "Police clearance certificate (SKCK)"
    assert re.fullmatch(r"Saved copy from \w+ \d+, 20\d\d at \d+:\d\d\s?[AP]M \(version "
                        + version_of(output, "en/services/skck") + r"\), "
                        r"opened without internet: the latest information may differ\.", line(page))
    for path, heading in ((SERVICE, OLD_NAME), (OTHER, "KTP Elektronik (KTP-el)"), ("", None)):
        page.goto(base + path)
        assert heading is None or page.inner_text("h1") == heading
        assert re.fullmatch(r"Salinan tersimpan dari \d+ \w+ 20\d\d pukul \d\d\.\d\d \(versi "
                            + version_of(output, path) + r"\), "
                            r"dibuka tanpa internet: informasi terbaru bisa berbeda\.", line(page))
        # The stylesheet came from the saved copy too.
        brand = page.eval_on_selector(".masthead", "e => getComputedStyle(e).backgroundColor")
        assert brand == "rgb(11, 94, 85)"
    with pytest.raises(Exception, match="net::ERR"):  # never another page's copy in its place
        page.goto(base + UNOPENED)
    context.close()


def test_online_after_a_rebuild_the_new_page_shows_and_replaces_the_copy(browser, served):
    project, base = served
    output = project / "output"
    old, other = build_of(output), version_of(output, OTHER)
    context = browser.new_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    page.goto(base + SERVICE)
    page.goto(base + OTHER)
    wait_saved(page, "/mpp/" + SERVICE, "/mpp/" + OTHER)

    # The test server's Last-Modified counts whole seconds: a rebuild within the second of the first
    # visit would be answered "not modified" to any cache, the browser's included.
    time.sleep(1.1)
    edit(project, "content/services/polres.yaml", OLD_NAME, NEW_NAME)
    assert run(project).code == 0
    new = build_of(output)
    assert new != old and version_of(output, OTHER) == other
    page.goto(base + SERVICE)
    assert page.inner_text("h1") == NEW_NAME and line(page) is None
    page.wait_for_function("async build => (await caches.keys()).some(name => name.endsWith(' ' + build))"
                           " && (await caches.keys()).length === 1", arg=new, timeout=15000)
    page.reload()
    wait_saved(page, "/mpp/" + SERVICE, holding=NEW_NAME)

    context.set_offline(True)
    page.reload()
    assert page.inner_text("h1") == NEW_NAME
    assert f"(versi {version_of(output, SERVICE)})" in line(page)
    page.goto(base + OTHER)  # saved under the old build, kept by the new one
    assert page.inner_text("h1") == "KTP Elektronik (KTP-el)" and f"(versi {other})" in line(page)
    context.close()


def test_without_javascript_the_line_stays_hidden_and_the_page_reads(browser, served):
    _, base = served
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 800})
    page = context.new_page()
    page.goto(base + SERVICE)
    assert page.inner_text("h1") == OLD_NAME and line(page) is None
    assert "Persyaratan" in page.inner_text("main")
    context.close()
