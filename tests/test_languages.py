"""Languages are data: the set in site_config.yaml decides the pages, links, hreflang, search and
warnings; a project may bring a language of its own in strings/<code>.yaml."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from conftest import edit, run

from mppsite.check.languages import ROUTES_FILE, STRINGS_DIR
from mppsite.cli import _message_language

# A TEST FIXTURE, not a translation to publish: the Basa Sunda words the tests look at (the
# language's name, the menu, the URL segments); every other key keeps its Indonesian words.
SUNDA = {"language_name": "Basa Sunda", "language_switch": "Basa", "nav_home": "Kaca hareup",
         "nav_services": "Palayanan", "nav_news": "Warta", "nav_search": "Milarian"}
SUNDA_SEGMENTS = {"services": "palayanan", "categories": "kategori", "tenants": "instansi",
                  "achievements": "prestasi", "circulars": "surat-edaran", "news": "warta",
                  "search": "milarian", "print": "citak"}


def _languages(project: Path, codes: str) -> None:
    edit(project, "site_config.yaml", "languages: [id, en]", f"languages: {codes}")


def _bring_sunda(project: Path) -> Path:
    """strings/su.yaml as a project brings it: every key of data/strings/id.yaml, url_segments."""
    words = yaml.safe_load((STRINGS_DIR / "id.yaml").read_text(encoding="utf-8"))
    words.update(SUNDA)
    words["url_segments"] = SUNDA_SEGMENTS
    path = project / "strings" / "su.yaml"
    path.parent.mkdir()
    path.write_text(yaml.safe_dump(words, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _pages(project: Path) -> dict[str, str]:
    output = project / "output"
    return {path.relative_to(output).as_posix(): path.read_text(encoding="utf-8")
            for path in output.rglob("*.html")}


def test_one_language_site_from_bilingual_content(project):
    _languages(project, "[id]")
    checked = run(project, "check", "--strict")
    # The review dates and the fixture's javascript: link count; the note does not.
    assert "with --strict, the 4 warning(s) count as errors" in checked.out
    assert [line for line in checked.lines if "reviewed_on" not in line and "javascript:" not in line] == [
        "site_config.yaml: note: languages: the content has text in en, which is not published "
        "because that language is not in 'languages'. Nothing needs doing; add the language to "
        "'languages' to publish it"]
    assert run(project, "build").code == 0
    pages = _pages(project)
    assert "index.html" in pages and not (project / "output" / "en").exists()
    for rel, html in pages.items():
        assert '<link rel="alternate" hreflang' not in html and 'class="lang"' not in html, rel
    assert "hreflang" not in (project / "output" / "sitemap.xml").read_text(encoding="utf-8")
    assert "Population registration" not in "".join(pages.values())


def test_one_language_site_says_so_in_indonesian(project):
    _languages(project, "[id]")
    lines = run(project, "check", lang="id").lines
    assert [line for line in lines if "reviewed_on" not in line and "javascript:" not in line] == [
        "site_config.yaml: catatan: languages: konten berisi teks dalam bahasa en yang tidak "
        "diterbitkan, karena bahasa itu tidak ada di 'languages'. Tidak perlu berbuat apa-apa; "
        "tambahkan bahasanya ke 'languages' bila ingin menerbitkannya"]


def test_a_key_that_is_no_language_stays_an_error(project):
    _languages(project, "[id]")
    edit(project, "content/categories.yaml", "en: Population registration}",
         "inggris: Population registration}")
    result = run(project, "check")
    assert result.code == 1
    assert result.lines[0] == ("content/categories.yaml:2:28: [0].name: 'inggris' is not one of the "
                               "site's languages (id) (did you mean 'en'?)")


def test_three_languages_with_a_language_the_project_brings(project):
    _languages(project, "[id, en, su]")
    _bring_sunda(project)
    edit(project, "site_config.yaml", "search: false", "search: true")
    result = run(project, "build")
    assert result.code == 0, result.err
    pages = _pages(project)
    assert "su/palayanan/index.html" in pages and "su/warta/index.html" in pages
    home = pages["index.html"]
    for code, href in (("id", "/mpp/"), ("en", "/mpp/en/"), ("su", "/mpp/su/")):
        assert f'hreflang="{code}" href="https://example.github.io{href}"' in home
    assert '<a href="/mpp/su/" hreflang="su" lang="su">Basa Sunda</a>' in home
    assert '<a href="/mpp/en/" hreflang="en" lang="en">' in home
    sunda = pages["su/index.html"]
    assert '<html lang="su">' in sunda and ">Palayanan</a>" in sunda
    assert '<a href="/mpp/" hreflang="id" lang="id">Bahasa Indonesia</a>' in sunda
    achievements = pages["su/prestasi/index.html"]
    assert "4,62" in achievements
    entry = yaml.safe_load((project / "output" / "pagefind" / "pagefind-entry.json").read_text())
    assert set(entry["languages"]) == {"id", "en", "su"}
    sitemap = (project / "output" / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://example.github.io/mpp/su/palayanan/</loc>" in sitemap


def test_a_key_missing_from_a_strings_file(project):
    _languages(project, "[id, su]")
    path = _bring_sunda(project)
    words = yaml.safe_load(path.read_text(encoding="utf-8"))
    del words["nav_news"], words["url_segments"]["search"]
    words["nav_newz"] = "Warta"
    words["home_counts"] = "{layanan} palayanan"
    path.write_text(yaml.safe_dump(words, allow_unicode=True, sort_keys=False), encoding="utf-8")
    # Lines counted in the file as written (data/strings/id.yaml grows as the site gains words).
    lines = path.read_text(encoding="utf-8").splitlines()
    segments = lines.index("url_segments:") + 2  # its first key: the mapping that lacks 'search'
    stray = lines.index("nav_newz: Warta") + 1
    result = run(project, "check")
    assert result.code == 1
    assert [line for line in result.lines if line.startswith("strings/")] == [
        "strings/su.yaml:1:1: nav_news: the key 'nav_news' is missing from strings/su.yaml; copy it "
        "from data/strings/id.yaml and translate its text",
        "strings/su.yaml:16:14: home_counts: the placeholder '{layanan}' is unknown in this text; "
        "you may use: {counters}, {services}, {tenants}",
        f"strings/su.yaml:{segments}:3: url_segments.search: the key 'url_segments.search' is missing from "
        "strings/su.yaml; copy it from data/routes.yaml (id:) and translate its text",
        f"strings/su.yaml:{stray}:1: nav_newz: unknown key 'nav_newz' (did you mean 'nav_news'?); the "
        "keys must be those of data/strings/id.yaml",
    ]


def test_a_language_without_strings(project):
    _languages(project, "[id, su]")
    result = run(project, "check")
    assert result.lines[0] == (
        "site_config.yaml:2:17: languages[1]: language 'su' has no interface strings; create "
        "strings/su.yaml: copy data/strings/id.yaml, translate every text, then add url_segments "
        "(see the staff guide, 'Languages of the site')")


def test_a_strings_file_no_language_reads_is_named(project):
    """strings/su.yaml while su is not in site_config.yaml, or an override saved as id.yml: its words
    would not show, so the check says which file and what is read."""
    _bring_sunda(project)
    (project / "strings" / "id.yml").write_text("nav_home: Beranda Mal\n", encoding="utf-8")
    (project / "strings" / "su.yaml~").write_text("an editor's backup\n", encoding="utf-8")
    result = run(project, "check")
    assert result.code == 0, result.err
    unused = "this file is not used: of strings/, only <code>.yaml for each language in site_config.yaml " \
             "(id, en) is read; rename it or delete it"
    assert [line for line in result.lines if line.startswith("strings/")] == [
        f"strings/id.yml: warning: {unused}", f"strings/su.yaml: warning: {unused}"]
    _languages(project, "[id, en, su]")
    assert [line for line in run(project, "check").lines if line.startswith("strings/")] == [
        f"strings/id.yml: warning: {unused}".replace("(id, en)", "(id, en, su)")]


def test_a_language_code_babel_does_not_know(project):
    _languages(project, "[id, inggris]")
    assert run(project, "check").code == 1
    _languages_again = project / "site_config.yaml"
    _languages_again.write_text(_languages_again.read_text().replace("[id, inggris]", "[id, xq]"))
    assert run(project, "check").lines[0] == (
        "site_config.yaml:2:17: languages[1]: 'xq' is not a language code; write the two-letter "
        "ISO 639 code, such as id, en, su")


def test_messages_fall_back_to_indonesian(project):
    _languages(project, "[su, id]")
    assert _message_language(project, None) == "id"
    assert _message_language(project, "en") == "en"


def test_bundled_segments_and_strings_agree():
    """Every bundled language has its strings and its segments (a project's are checked alike)."""
    segments = yaml.safe_load(ROUTES_FILE.read_text(encoding="utf-8"))
    assert sorted(segments) == sorted(path.stem for path in STRINGS_DIR.glob("*.yaml"))


def test_the_editors_schema_takes_the_sites_languages(project):
    _languages(project, "[id, en, su]")
    _bring_sunda(project)
    assert run(project, "schema").code == 0
    schema = json.loads((project / "schema" / "mpp.schema.json").read_text(encoding="utf-8"))
    name = schema["properties"]["name"]["anyOf"][1]  # a Text: plain words, or words by language
    assert sorted(name["properties"]) == ["en", "id", "su"] and name["required"] == ["id"]
    assert name["properties"]["su"]["description"] == "Bahasa Sunda / Sundanese"
