"""/admin/ in the built site: the form editor's page and config, and nothing of it elsewhere."""

from __future__ import annotations

import gzip

import yaml
from conftest import ROOT, soup

from mppsite.check import cms_config


def test_the_admin_page_loads_the_pinned_script_with_its_digest(built_bundled):
    page = soup(built_bundled / "admin" / "index.html")
    assert page.html["lang"] == "id"
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex, nofollow"
    scripts = page.find_all("script")
    assert [script.get("src") for script in scripts] == [cms_config.SVELTIA_URL]
    assert "@sveltia/cms@0.221.1/" in scripts[0]["src"]
    assert scripts[0]["integrity"] == cms_config.SVELTIA_INTEGRITY
    assert scripts[0]["integrity"].startswith("sha384-")
    assert scripts[0]["crossorigin"] == "anonymous"
    assert page.title.string == "Penyunting konten · MPP Kota Sukabumi"


def test_the_admin_config_is_the_committed_one(built_bundled):
    written = (built_bundled / "admin" / "config.yml").read_text(encoding="utf-8")
    assert written == (ROOT / "schema" / cms_config.CONFIG_NAME).read_text(encoding="utf-8")
    assert yaml.safe_load(written)["backend"]["repo"] == "mpp-sukabumi/mppsite"


def test_admin_stays_out_of_the_sitemap_search_and_citizens_pages(built_bundled):
    assert "admin" not in (built_bundled / "sitemap.xml").read_text(encoding="utf-8")
    folder = built_bundled / "pagefind" / "fragment"
    fragments = [gzip.decompress(path.read_bytes()) for path in folder.iterdir()]
    assert any(b"/mppsite/layanan/" in fragment for fragment in fragments)  # the search index's page URLs
    assert not any(b"/admin/" in fragment for fragment in fragments)
    for page in [built_bundled / "index.html", *(built_bundled / "layanan").glob("*/index.html")][:20]:
        text = page.read_text(encoding="utf-8")
        assert "sveltia" not in text.lower() and "/admin/" not in text, page
