"""Search in the words people use (issue 29): real queries on the bundled site, in Chromium, each
with the service a citizen expects first; and the rules of data/search.yaml behind them."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from test_search import result_links, settled

from mppsite.model import search_words
from mppsite.write import search

# (language, what a citizen types, the service expected first). The first eight are the queries
# measured in the issue.
QUERIES = [
    ("id", "buat ktp", "ktp-el-baru"),  # "buat" is noise: was 13 results without KTP-el Baru
    ("id", "bikin ktp", "ktp-el-baru"),  # was no result at all
    ("id", "skck online", "skck-baru"),  # was no result at all
    ("id", "siup", "nib-oss-pendampingan"),  # the licence NIB replaced: was no result at all
    ("id", "aktta", "akta-kematian"),  # a typo: was the AK/1 card; now the akta services
    ("id", "ktp", "ktp-el-baru"),  # was third of 94
    ("id", "kk hilang", "kartu-keluarga-perubahan"),  # was no family card answer
    ("id", "akte kelahiran", "akta-kelahiran"),
    ("id", "cara buat akte kelahiran", "akta-kelahiran"),
    ("id", "imb", "pbg-persetujuan-bangunan-gedung"),
    ("id", "e-ktp", "ktp-el-baru"),
    ("id", "syarat paspor", "paspor-baru"),
    ("id", "ktp hilang", "ktp-el-hilang-rusak"),
    ("id", "urus npwp", "npwp-orang-pribadi"),
    ("id", "bayar pajak motor", "pkb-tahunan"),
    ("id", "kartu kuning", "kartu-pencari-kerja-ak1"),
    ("id", "pirt", "sertifikat-spp-irt"),
    ("id", "skkb", "skck-baru"),
    ("id", "surat pindah", "surat-keterangan-pindah"),
    ("id", "jht", "bpjstk-klaim-jht"),
    ("id", "cerai", "gugatan-cerai"),
    ("en", "how to get a passport", "paspor-baru"),
    ("en", "id card", "ktp-el-baru"),
    ("en", "ktp", "ktp-el-baru"),
    ("en", "lost id card", "ktp-el-hilang-rusak"),
    ("en", "police certificate", "skck-baru"),
    ("en", "skck", "skck-baru"),
    ("en", "family card", "kartu-keluarga-baru"),
    ("en", "lost family card", "kartu-keluarga-perubahan"),
    ("en", "birth certificate", "akta-kelahiran"),
    ("en", "water bill", "air-minum-pembayaran-rekening"),
    ("en", "business licence", "nib-oss-pendampingan"),
    ("en", "building permit", "pbg-persetujuan-bangunan-gedung"),
    ("en", "tax number", "npwp-orang-pribadi"),
]


@pytest.mark.parametrize(("lang", "query", "expected"), QUERIES, ids=[f"{q[0]}:{q[1]}" for q in QUERIES])
def test_a_real_query_gives_the_expected_service_first(browser, site, lang, query, expected):
    page = browser.new_page(viewport={"width": 390, "height": 900})
    page.goto(site + ("cari/" if lang == "id" else "en/search/") + "?q=" + quote(query))
    settled(page)
    first = result_links(page)[0]
    page.close()
    assert first == ("/mppsite/layanan/" if lang == "id" else "/mppsite/en/services/") + expected + "/"


def test_antrean_no_longer_returns_every_service(browser, site):
    """Every service's first step is "Ambil nomor antrean": the steps are not indexed, so the word
    finds the pages that are about the queue, not all 107 services."""
    page = browser.new_page()
    page.goto(site + "cari/?q=antrean")
    settled(page)
    links = result_links(page)
    page.close()
    assert 0 < len(links) < 10
    assert "/mppsite/kunjungi/" in links


def test_the_search_page_carries_its_language_rules(built_bundled):
    import json

    from conftest import soup
    for path, code in (("cari/index.html", "id"), ("en/search/index.html", "en")):
        data = json.loads(soup(built_bundled / path).find("script", id="search-words").string)
        assert data == search_words.rules(code).for_page()
        assert ["siup", "nib"] in data["synonyms"] or code == "en"
        assert ("buat" in data["noise"]) == (code == "id")


# --- the rules, without a browser ---------------------------------------------------------------

def test_query_words_drop_noise_unless_nothing_else_is_left():
    rules = search_words.rules("id")
    assert rules.query_words("Cara BUAT KTP-el?") == ["ktp-el"]
    assert rules.query_words("syarat") == ["syarat"]  # a query of noise only is searched as typed
    assert search_words.rules("en").query_words("How to get a passport") == ["passport"]


def test_canonical_form_replaces_synonyms_longest_first():
    rules = search_words.rules("id")
    assert rules.canonical("akte kelahiran") == "akta kelahiran"
    assert rules.canonical("KK hilang") == "kartu keluarga hilang"
    assert rules.canonical("e-KTP") == rules.canonical("KTP") == "ktp-el"
    assert rules.canonical("surat kelakuan baik") == "skck"  # several words to one
    assert search_words.rules("en").canonical("ID card") == "ktp-el"
    assert search_words.rules("su").canonical("KTP") == "ktp"  # a language with no rules: as typed


def test_a_record_is_found_by_the_synonyms_of_its_names():
    nib = search.with_synonyms(search.Record(url="/nib/", lang="id", title="Pendampingan NIB",
                                             kind="service", keywords=["NIB", "OSS"]))
    assert "siup" in nib.keywords and "izin usaha" in nib.keywords
    assert nib.exact == ["pendampingan nib", "nib", "oss"]
    assert 'data-pagefind-meta="names[content]" content="pendampingan nib|nib|oss"' in search.record_html(nib)
    plain = search.with_synonyms(search.Record(url="/x/", lang="id", title="Kirim Paket", kind="service"))
    assert plain.keywords == []  # no synonym stands for its words
