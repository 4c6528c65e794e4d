"""In a real Chromium (Debian's, driven by Playwright): axe-core finds no WCAG 2.2 AA violation on
any page kind in either language; no word breaks across lines at 320 px; the skip link, focus and
JavaScript-off reading work."""

from __future__ import annotations

import pytest
from chromium import ARGS, AXE, CHROMIUM, TAGS  # noqa: F401 (ARGS, CHROMIUM: used by test_serve)

PAGE_KINDS = {
    "home": ("", "en/"),
    "services": ("layanan/", "en/services/"),
    "service": ("layanan/skck-baru/", "en/services/skck-baru/"),
    "category": ("kategori/kependudukan/", "en/categories/kependudukan/"),
    "tenants": ("instansi/", "en/agencies/"),
    "tenant": ("instansi/disdukcapil/", "en/agencies/disdukcapil/"),
    "tenant print": ("instansi/disdukcapil/cetak/", "en/agencies/disdukcapil/print/"),
    "pledge print": ("maklumat/cetak/", "en/maklumat/print/"),
    "achievements": ("capaian/", "en/achievements/"),
    "circulars": ("surat-edaran/", "en/circulars/"),
    "circular": ("surat-edaran/agenda-akselerasi-pelayanan-publik-2024/",
                 "en/circulars/agenda-akselerasi-pelayanan-publik-2024/"),
    "news index": ("berita/", "en/news/"),
    "news": ("berita/evaluasi-pelayanan-publik-januari-2025/",
             "en/news/evaluasi-pelayanan-publik-januari-2025/"),
    "page": ("tentang/", "en/tentang/"),
    "search": ("cari/", "en/search/"),
    "404": ("tidak-ada/", "en/nothing-here/"),
}


@pytest.mark.parametrize("kind", sorted(PAGE_KINDS))
@pytest.mark.parametrize("lang", [0, 1], ids=["id", "en"])
@pytest.mark.parametrize("width", [390, 1280])
def test_no_axe_violations(browser, site, kind, lang, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        page.goto(site + PAGE_KINDS[kind][lang])
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS)
    finally:
        page.close()
    violations = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]
    assert violations == []
    assert len(result["passes"]) > 20  # axe really ran


# Words of main's text (an address or a path, which may break anywhere, left out) drawn across two
# lines: what a table squeezing a column to one letter, or a heading beside a QR code, does.
SPLIT_WORDS = r"""() => {
  const split = [];
  const walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
  for (let node; (node = walker.nextNode());) {
    for (const chunk of node.data.matchAll(/\S+/g)) {
      if (/[\/@]/.test(chunk[0])) continue;
      for (const word of chunk[0].matchAll(/[\p{L}\p{N}]+(?:[.,'’][\p{L}\p{N}]+)*/gu)) {
        if (word[0].length < 2 || word[0].length > 15) continue;
        const range = document.createRange();
        range.setStart(node, chunk.index + word.index);
        range.setEnd(node, chunk.index + word.index + word[0].length);
        const boxes = [...range.getClientRects()].filter(r => r.width > 0);
        const lines = new Set(boxes.map(r => Math.round(r.top)));
        if (lines.size > 1) split.push(word[0]);
      }
    }
  }
  return split;
}"""


@pytest.mark.parametrize("lang", [0, 1], ids=["id", "en"])
def test_no_word_is_broken_across_lines_on_a_320px_screen(browser, site, lang):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 320, "height": 800})
    page = context.new_page()
    split = {}
    for kind, urls in PAGE_KINDS.items():
        page.goto(site + urls[lang])
        split[kind] = page.evaluate(SPLIT_WORDS)
    context.close()
    assert len(split) == len(PAGE_KINDS)
    assert {kind: words for kind, words in split.items() if words} == {}


def test_skip_link_is_first_and_moves_focus_to_main(browser, site):
    page = browser.new_page(viewport={"width": 390, "height": 800})
    page.goto(site + "layanan/skck-baru/")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => [document.activeElement.className, document.activeElement.textContent]")
    assert focused == ["skip", "Langsung ke isi"]
    box = page.locator("a.skip").bounding_box()
    assert box["x"] >= 0 and box["y"] >= 0 and box["height"] >= 24  # visible when focused
    page.keyboard.press("Enter")
    assert page.evaluate("() => location.hash") == "#main"
    page.keyboard.press("Tab")
    inside_main = page.evaluate("() => !!document.activeElement.closest('main')")
    assert inside_main
    page.close()


def test_focus_is_visible(browser, site):
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(site)
    for _ in range(3):
        page.keyboard.press("Tab")
    style = page.evaluate("() => { const s = getComputedStyle(document.activeElement);"
                          " return [s.outlineStyle, s.outlineWidth, s.boxShadow]; }")
    assert style[0] != "none" and style[1] != "0px"
    page.close()


def test_pages_read_fully_with_javascript_off(browser, site):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 800})
    page = context.new_page()
    page.goto(site + "en/services/skck-baru/")
    text = page.inner_text("main")
    for heading in ("Requirements", "Steps", "Service time", "Fee", "What you receive", "Complaints"):
        assert heading in text
    page.goto(site + "layanan/")
    assert page.locator("main a[href*='/layanan/']").count() >= 107  # A-Z reachable without JS
    context.close()


def test_home_search_form_is_a_plain_get_to_the_search_page(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site)
    page.fill("#q", "paspor")
    page.press("#q", "Enter")
    page.wait_for_load_state()
    assert page.url.endswith("/mppsite/cari/?q=paspor")
    context.close()


def test_axe_would_catch_a_violation(browser, site):
    page = browser.new_page()
    page.goto(site)
    page.evaluate("() => { const i = document.createElement('img'); i.src = 'x.png';"
                  " document.querySelector('main').appendChild(i); }")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS)
    page.close()
    assert "image-alt" in [v["id"] for v in result["violations"]]
