"""Markdown from untrusted staff renders in bounded time, and `check` reports what it would not
render faithfully (mppsite/load/markdown_limits.py, mppsite/model/markup.py)."""

from __future__ import annotations

import contextlib
import random
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import markdown
import pytest
import yaml
from bs4 import BeautifulSoup
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.tables import TableExtension

from mppsite.core.problems import messages
from mppsite.load import markdown_limits as limits
from mppsite.load.markdown_limits import markdown_errors, markdown_findings
from mppsite.model.markup import MarkdownRenderer

ROOT = Path(__file__).resolve().parents[2]
DOCUMENT_LIMIT, TEXT_LIMIT, BLOCK_CHARS, BLOCK_LINES = (limits.DOCUMENT_LIMIT, limits.TEXT_LIMIT,
                                                        limits.BLOCK_CHARS, limits.BLOCK_LINES)
DEPTH_LIMIT, HTML_DEPTH_LIMIT = limits.DEPTH_LIMIT, limits.HTML_DEPTH_LIMIT
SECONDS = 10  # generous: where these were written, the slowest took 1.9 s (a block of "[a]:" lines)


class Router:
    """Just enough of routes.Router: two pages, in two languages."""

    base_path = "/mppsite/"
    resolve = staticmethod({"/layanan/": ("services", None), "/kunjungi/": ("page", "kunjungi")}.get)

    def url(self, lang: str, kind: str, slug: str | None) -> str:
        return f"/mppsite/{'' if lang == 'id' else lang + '/'}{slug or kind}/"


def renderer() -> MarkdownRenderer:
    return MarkdownRenderer(Router(), {"files/formulir.pdf", "files/foto.jpg"})


def stock_renderer() -> MarkdownRenderer:
    """The same renderer with Python-Markdown's own link processors, not the bounded ones (raw HTML
    taken inline only, as the site takes it): what the bounds must not change."""
    stock = renderer()
    stock._md = markdown.Markdown(extensions=[TableExtension(), SaneListExtension()], output_format="html")
    stock._md.preprocessors.deregister("html_block")
    return stock


# --- pathological inputs at the limit ------------------------------------------------------------

def repeated(unit: str, size: int = DOCUMENT_LIMIT) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def blocks(block: str, size: int = DOCUMENT_LIMIT) -> str:
    """`block` again and again, between empty lines, up to `size` characters."""
    return "\n\n".join([block] * ((size + 2) // (len(block) + 2)))


def in_blocks(unit: str, size: int = DOCUMENT_LIMIT) -> str:
    """`unit` repeated, in the longest blocks the static check allows."""
    units = (BLOCK_CHARS - 2) // len(unit)
    if "\n" in unit:
        units = min(units, (BLOCK_LINES - 2) // unit.count("\n"))
    return blocks(unit * units, size)


def chain(levels: int) -> str:
    """Lines each inside the list item or quote of the line before: three times as deep as any line."""
    return "\n".join(f"{'> ' * k}{marker}" for k in range(levels) for marker in ("- ", "1. "))


UNITS = {  # repeated in blocks as long as the check allows: rendered by the bounded parser
    "brackets": "[", "link-openers": "[a](", "link-openers-with-parens": "[a](()", "nested-brackets": "[[]",
    "empty-brackets": "[]", "image-brackets": "![", "image-openers": "![a](", "reference-openers": "[a][",
    "image-reference-openers": "![a][", "definitions": "[a]: ", "definition-lines": "[a]:\n",
    "cdata": "<![CDATA[", "cdata-at-line-starts": "\n<![CDATA[", "img-src": "<img src=", "a-tags": "<a",
    "autolink-openers": "<http://", "autolinks": "<https://example.go.id/> <mpp@example.go.id> ",
    "open-attribute-quotes": "<p a='", "unclosed-p-tags": "<p", "unclosed-end-tags": "</a",
    "processing-instructions": "<?", "processing-instructions-at-line-starts": "\n<?", "declarations": "<!",
    "comment-openers": "<!--", "backticks": "`", "code-spans": "`a` ", "emphasis": "*a* ",
    "underscore-emphasis": "_a_ ", "escapes": "\\*", "escaped-brackets": "\\[", "line-breaks": "<br>",
    "character-references": "&#1;", "headings": "# a\n", "setext-dashes": "-\n", "setext-headings": "a\n=\n",
    "rules": "---\n", "star-rules": "***\n", "table-rows": "a|b\n-|-\n", "one-column-table": "|\n|",
    "list-items": "- a\n", "quotes-at-the-depth-limit": "> " * DEPTH_LIMIT + "a\n",
    "lists-at-the-depth-limit": "+ " * (DEPTH_LIMIT - 1) + "- a\n",
    "divs-at-the-depth-limit": "<div>" * HTML_DEPTH_LIMIT + "a" + "</div>" * HTML_DEPTH_LIMIT,
}
ALLOWED = {name: in_blocks(unit) for name, unit in UNITS.items()} | {
    "paragraphs": repeated("a\n\n"),
    "long-p-tags": blocks("<p" * 1000 + ">"),
    "indented-lists-at-the-depth-limit": blocks("\n".join("    " * k + "- a" for k in range(DEPTH_LIMIT))),
    "chain-at-the-depth-limit": blocks(chain(DEPTH_LIMIT)),
    "comments-in-open-inline-tags": blocks("<b>" * (HTML_DEPTH_LIMIT - 1) + "<!---->" * 2000 + "\n\n"
                                           + "</b>" * (HTML_DEPTH_LIMIT - 1)),
    "end-tags-in-a-raw-block-of-paragraphs": blocks("<div>" + "<p>a" * 1500 + "</b>" * 1500 + "</div>"),
    "end-tags-in-a-raw-block-across-paragraphs": "<div>\n\n" + blocks("<br>" * 3900, 50_000) + "\n\n"
                                                 + blocks("</i>" * 3900, 49_000) + "\n\n</div>",
}

REFUSED = {  # beyond the limits: shown as plain paragraphs
    "brackets": (repeated("["), "markdown_block_too_long"),
    "link-openers": (repeated("[a]("), "markdown_block_too_long"),
    "a-tags": (repeated("<a"), "markdown_block_too_long"),
    "autolink-openers": (repeated("<http://"), "markdown_block_too_long"),
    "plus-lists": (repeated("+ "), "markdown_too_deep"),
    "numbered-lists": (repeated("1. "), "markdown_too_deep"),
    "quotes": (repeated("> "), "markdown_too_deep"),
    "lists-in-quotes": (in_blocks("- > "), "markdown_too_deep"),
    "open-a-tags": (in_blocks("<a "), "markdown_html_too_deep"),
    "a-title": (repeated('<a title="x" '), "markdown_html_too_deep"),
    "divs": (repeated("<div>"), "markdown_html_too_deep"),
    "bold-tags-with-attributes": (in_blocks("<b x=1>a"), "markdown_html_too_deep"),
    "lines": (repeated("a\n", 2 * BLOCK_LINES + 2), "markdown_block_too_many_lines"),
    "size": (repeated("a\n\n", DOCUMENT_LIMIT + 1), "markdown_too_long"),
}


@pytest.mark.parametrize("name", ALLOWED)
def test_renders_at_the_limit_in_bounded_time(name: str) -> None:
    text = ALLOWED[name]
    assert len(text) <= DOCUMENT_LIMIT and markdown_errors(text, DOCUMENT_LIMIT) == []
    start = time.perf_counter()
    renderer().render(text, "id")
    assert time.perf_counter() - start < SECONDS


@pytest.mark.parametrize("name", REFUSED)
def test_beyond_the_limits_is_refused_and_shown_plainly(name: str) -> None:
    text, key = REFUSED[name]
    assert key in {f.key for f in markdown_errors(text, DOCUMENT_LIMIT)}
    start = time.perf_counter()
    html = renderer().render(text, "id")
    assert time.perf_counter() - start < SECONDS
    soup = BeautifulSoup(str(html), "html.parser")
    assert {tag.name for tag in soup.find_all(True)} == {"p"}
    assert " ".join(soup.get_text().split())[:80] == " ".join(text.split())[:80]


def test_the_static_check_is_fast_on_a_megabyte() -> None:
    for unit in ("[", "<a", "+ ", "- - ", "![a](", "[a]: http://", "<div>", "> ", "a\n", "\n\n"):
        text = repeated(unit, 1_000_000)
        start = time.perf_counter()
        markdown_findings(text, DOCUMENT_LIMIT)
        assert time.perf_counter() - start < SECONDS, unit


# --- the fallback ---------------------------------------------------------------------------------

@contextlib.contextmanager
def stack_left(frames: int) -> Iterator[None]:
    """Python's recursion limit set `frames` above where the caller is, for a while."""
    frame, depth = sys._getframe(), 0
    while frame:
        frame, depth = frame.f_back, depth + 1
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(depth + frames)
    try:
        yield
    finally:
        sys.setrecursionlimit(limit)


def test_a_parser_failure_falls_back_and_the_next_text_renders_as_before() -> None:
    nested = "\n".join("    " * k + "- item" for k in range(DEPTH_LIMIT))
    assert markdown_errors(nested, DOCUMENT_LIMIT) == []
    r = renderer()
    with stack_left(30):  # deep in a template, say: the parser runs out of stack
        html = r.render(nested, "id")
    assert {tag.name for tag in BeautifulSoup(str(html), "html.parser").find_all(True)} == {"p"}
    normal = "- a\n    - b\n\n[kunjungi](/kunjungi/)"
    assert r.render(normal, "en") == stock_renderer().render(normal, "en")
    assert r.render(nested, "id") == stock_renderer().render(nested, "id")


@pytest.mark.parametrize("text", ["a\ud800b *c*", "\x00\x01\x02\x03 <b>\x02wzxhzdk:0\x03</b>",
                                  "[x](\x00)", "\u2028\u2029 - a\r- b\r\r> c", "&#1114112; &#x110000; &#0;"])
def test_odd_characters_never_raise(text: str) -> None:
    assert isinstance(str(renderer().render(text, "id")), str)


# --- the same output for normal Markdown ------------------------------------------------------

NORMAL = """Bawa **KTP-el** asli dan *fotokopi* KK. Lihat [jam buka](/kunjungi/#jam "Jam buka") atau
[daftar layanan](/layanan/). Formulir: [unduh](/files/formulir.pdf). Situs resmi:
<https://example.go.id/a?b=1>, surel <mpp@example.go.id>. Kode `NIK` 16 digit; H<sub>2</sub>O.
Pakai <abbr title="Kartu Tanda Penduduk elektronik">KTP-el</abbr> & tanda tangan.

| Jenis | Biaya |
|:------|------:|
| KTP   | Gratis |
| Paspor [online](https://example.go.id/(paspor)) | Rp350.000 |

1. Ambil antrean
2. Serahkan berkas
    - asli
    - fotokopi
3. Tunggu dipanggil

> Catatan: bawa pulpen.

<table>
<tr><th scope="col">Hari</th><td>Senin</td></tr>
</table>

![Denah](/files/foto.jpg) [ref link][r] dan [r]

[r]: /layanan/ "Daftar"
"""


EDGES = [  # what the bounded parts of the parser see, written as staff would
    "| Loket |\n| --- |\n| 1 |\n| 2 |\n\n| a\n| -\nb",
    "[teks [dalam] kurung](/layanan/) [a [b [c]]](/x \"judul (x)\") ![alt [x]](/files/foto.jpg 'foto')",
    "[wiki](https://id.wikipedia.org/wiki/Pajak_(ekonomi)) [q](</a b/> \"t\") [r]( /layanan/ ) [s](/a(b)c)",
    "[ref]: /layanan/ 'Judul'\n[Ref 2]: </kunjungi/> (Kunjungi)\n\n[ref] [x][ref 2] ![y][ref] [z][]",
    "<b>tebal <!-- catatan --> teks</b> dan <i>miring\n<!-- baris -->\n</i>",
    "<div>\n<!-- di dalam -->\n<p>para</p>\n</div>\n\n<!--\nbanyak\n\nbaris\n-->\n\nsesudah",
    "<?php echo 1; ?>\n\n<![CDATA[ data ]]>\n\n<!DOCTYPE html>\n\nteks <? bukan ?> <!x>",
    "&amp; &#169; &copy; &#x41; &bogus; 5 < 6 > 4, a<b dan c>d",
    "<script>alert(1)</script>\n\n<style>p{}</style>\n\n<div onclick=\"x\">*md* di div</div>",
    "<https://example.go.id/a?b=1&c=2> <mpp@example.go.id> <ftp://x.y/z>",
    "a  \nb\n\nJudul\n=====\n\nSub\n---\n\n* * *\n\n    kode\n\n> kutip\n> - daftar\n>     1. dalam",
    '<a href="/layanan/" title="x">a</a> <img src="/files/foto.jpg" alt="f"> <a href="https://e.id">e</a>',
    "<table>\n<tr><td>a</td>\n<td>b<br>c</td></tr>\n</table>\n\n<p>x<p>y",
    "`kode [a](b)` ``a ` b`` \\[bukan](tautan) *a **b** c* _x_ __y__",
]


def generated(count: int, seed: int = 798) -> list[str]:
    """Ordinary documents: what staff write, assembled at random."""
    rng = random.Random(seed)
    words = ("layanan", "pajak", "KTP-el", "kartu", "loket", "antrean", "berkas", "formulir", "Senin", "08")
    inline = ["**{w}**", "*{w}*", "`{w}`", "[{w}](/layanan/)", '[{w}](https://example.go.id/{w} "t")', "{w}",
              "[{w}](/tidak-ada/)", '<abbr title="{w}">{w}</abbr>', "<sub>{w}</sub>", "{w} & {w}", "[{w}][r]",
              "![{w}](/files/foto.jpg)", "<https://example.go.id/{w}>", "[{w} [x]]({w})", "\\*{w}\\*"]

    def line() -> str:
        return " ".join(rng.choice(inline).format(w=rng.choice(words)) for _ in range(rng.randint(3, 12)))

    shapes = [lambda: line() + "\n" + line(), lambda: "#" * rng.randint(2, 4) + " " + line(),
              lambda: "\n".join(f"{rng.choice(['-', '*', '1.'])} {line()}" for _ in range(rng.randint(1, 4))),
              lambda: "| a | b |\n|---|:-:|\n" + "\n".join(f"| {line()} | {line()} |" for _ in range(3)),
              lambda: "- " + line() + "\n    - " + line() + "\n        1. " + line(),
              lambda: "> " + line() + "\n> " + line(), lambda: "    kode <b>\n    baris",
              lambda: "<div>\n<p>" + line() + "</p>\n</div>", lambda: "<!-- catatan -->\n\n" + line(),
              lambda: '[r]: /layanan/ "Daftar"', lambda: "***"]
    return ["\n\n".join(rng.choice(shapes)() for _ in range(rng.randint(2, 12))) for _ in range(count)]


def bundled() -> list[str]:
    """Every Markdown text of the bundled site: document bodies and services' notes."""
    texts = [re.sub(r"\A---\n.*?\n---\n", "", p.read_text(encoding="utf-8"), flags=re.S)
             for p in sorted((ROOT / "content").glob("*/*.md"))]
    for path in sorted((ROOT / "content" / "services").glob("*.yaml")):
        for service in yaml.safe_load(path.read_text(encoding="utf-8")).get("services", []):
            notes = service.get("notes")
            texts += list(notes.values()) if isinstance(notes, dict) else [notes] if notes else []
    return texts


def test_normal_markdown_renders_as_python_markdown_does() -> None:
    texts = [NORMAL, *EDGES, *bundled(), *generated(150)]
    ours, stock = renderer(), stock_renderer()
    for text in texts:
        assert markdown_errors(text, DOCUMENT_LIMIT) == []
        for lang in ("id", "en"):
            assert ours.render(text, lang) == stock.render(text, lang), text[:200]


def test_odd_markdown_within_the_limits_renders_as_python_markdown_does() -> None:
    """Text made of Markdown's and HTML's special characters at random, unfinished links, tags
    and declarations included: where the check finds nothing, nothing changed."""
    rng = random.Random(1)
    pieces = [*"[]()<>!*_`\\#-+=|:/ \n\"'&;?a.@~", "http://x", "<a ", "<div>", "</div>", "<b>", "</b>",
              "href=", "<!--", "-->", "1. ", "> ", "    ", "\t", "<img src=", "<![CDATA[", "]]>", "?>", "<?",
              "&#", "&amp;", "[a](b)", "![c](/d)", "[r]: /x", "| a | b |\n|---|---|\n"]
    ours, stock = renderer(), stock_renderer()
    compared = 0
    for _ in range(600):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 400)))
        if not markdown_errors(text, DOCUMENT_LIMIT):
            compared += 1
            assert ours.render(text, "id") == stock.render(text, "id"), text
    assert compared > 500


def test_normal_markdown_comes_out_as_html() -> None:
    soup = BeautifulSoup(str(renderer().render(NORMAL, "en")), "html.parser")
    table = soup.find_all("table")[0]
    assert [th.get_text() for th in table.thead.find_all("th")] == ["Jenis", "Biaya"]
    assert len(table.tbody.find_all("tr")) == 2
    assert table.tbody.find("a")["href"] == "https://example.go.id/(paspor)"
    steps = soup.find("ol")
    assert len(steps.find_all("li", recursive=False)) == 3
    assert [li.get_text() for li in steps.find("ul").find_all("li")] == ["asli", "fotokopi"]
    hrefs = [a["href"] for a in soup.find_all("a")]
    assert "/mppsite/en/kunjungi/#jam" in hrefs and "/mppsite/en/services/" in hrefs
    assert "/mppsite/files/formulir.pdf" in hrefs and "https://example.go.id/a?b=1" in hrefs
    assert soup.find("a", title="Jam buka").get_text() == "jam buka"
    assert soup.find("abbr")["title"] == "Kartu Tanda Penduduk elektronik"
    assert soup.find("sub").get_text() == "2" and soup.find("code").get_text() == "NIK"
    assert soup.find("blockquote").get_text().strip() == "Catatan: bawa pulpen."
    assert soup.find("th", scope="col").get_text() == "Hari"
    assert soup.find("img")["src"] == "/mppsite/files/foto.jpg"
    assert soup.find("a", string="ref link")["href"] == "/mppsite/en/services/"


# --- the static check -------------------------------------------------------------------------

def keys(found) -> list[tuple[int, int, str, str]]:
    return [(f.line, f.column, f.key, f.severity) for f in found]


def test_errors_where_the_renderer_would_not_render_faithfully() -> None:
    deep = "> " * (DEPTH_LIMIT + 1) + "x"
    divs = "<div>" * (HTML_DEPTH_LIMIT + 1)
    text = f"Judul\n\n{deep}\n\nteks {divs}\n"
    found = markdown_findings(text, TEXT_LIMIT)
    assert keys(found) == [(3, deep.rindex(">") + 1, "markdown_too_deep", "error"),
                           (5, len("teks ") + divs.rindex("<div>") + 1, "markdown_html_too_deep", "error")]
    assert dict(found[0].params) == {"depth": DEPTH_LIMIT + 1, "max": DEPTH_LIMIT}
    assert dict(found[1].params) == {"tag": "div", "max": HTML_DEPTH_LIMIT}

    assert keys(markdown_findings("a" * 11, 10)) == [(1, 1, "markdown_too_long", "error")]
    assert dict(markdown_findings("a" * 11, 10)[0].params) == {"length": 11, "max": 10}
    long = "intro\n\n" + "kata " * (BLOCK_CHARS // 5 + 1) + "\n\nakhir"
    assert keys(markdown_findings(long, DOCUMENT_LIMIT)) == [(3, 1, "markdown_block_too_long", "error")]
    lines = "intro\n  \n" + "baris\n" * (BLOCK_LINES + 1)
    found = markdown_findings(lines, DOCUMENT_LIMIT)
    assert keys(found) == [(3, 1, "markdown_block_too_many_lines", "error")]
    assert dict(found[0].params) == {"lines": BLOCK_LINES + 1, "max": BLOCK_LINES}
    ours = [key for key in messages() if key.startswith("markdown_")]  # words for staff, both languages
    assert len(ours) == 8 and all(set(messages()[key]) == {"id", "en"} for key in ours)


def test_no_errors_for_what_looks_deep_but_is_not() -> None:
    rule = "- " * 60 + "-"  # a horizontal rule, however long
    closed = "<div>" * HTML_DEPTH_LIMIT + "</div>" * HTML_DEPTH_LIMIT
    flat = "<p>a" * 100 + "<br>" * 100 + "<li>b" * 100  # these close themselves or are empty
    quoted_rule = "> " + "* " * 60 + "*"
    spaced = "-" + " " * 200 + "teks"  # the spaces after a list marker are not indentation
    links = "<https://example.go.id/a> <mpp@example.go.id> " * 100  # links, not tags
    text = "\n\n".join([rule, closed * 3, flat, quoted_rule, spaced, "+ " * DEPTH_LIMIT + "a", links])
    assert markdown_findings(text, DOCUMENT_LIMIT) == []


AT_THE_DEPTH_LIMIT = [chain(DEPTH_LIMIT), "+ " * DEPTH_LIMIT + "a", "> " * DEPTH_LIMIT + "a",
                      "\n".join("    " * k + "- " + "> " * (DEPTH_LIMIT - k - 1) for k in range(DEPTH_LIMIT))]


@pytest.mark.parametrize("text", AT_THE_DEPTH_LIMIT)
def test_nesting_at_the_limit_renders_the_same_with_little_stack_left(text: str) -> None:
    """Nested as deep as the check allows, a text renders from deep in templates as from the top
    (Python-Markdown shows quotes as text within 100 frames of Python's recursion limit)."""
    assert markdown_errors(text, DOCUMENT_LIMIT) == []
    assert markdown_errors("> " + text.replace("\n", "\n> "), DOCUMENT_LIMIT) != []
    expected = renderer().render(text, "id")
    assert "<li>" in expected or "<blockquote>" in expected
    with stack_left(400):
        assert renderer().render(text, "id") == expected


def test_warnings_for_http_links_and_images_from_other_sites() -> None:
    text = "\n".join([
        "Lihat [situs](http://a.example/x) dan [aman](https://b.example).",  # 1
        "Alamat <http://c.example/> atau <https://d.example/>.",  # 2
        '<a title="t" href="http://e.example/">e</a> <a href="/layanan/">f</a>',  # 3
        "![foto](https://f.example/t.png) ![denah](/files/foto.jpg) ![x](http://g.example/a.gif)",  # 4
        '<img alt="x" src="//h.example/p.gif"> <img src="/files/foto.jpg">',  # 5
        "![logo][gambar] [tautan][lama]",  # 6
        "",  # 7
        "[gambar]: https://i.example/logo.png",  # 8
        "[lama]: http://j.example/",  # 9
    ])
    found = markdown_findings(text, TEXT_LIMIT)

    def at(line: int, needle: str) -> int:
        return text.split("\n")[line - 1].index(needle) + 1

    assert keys(found) == [
        (1, at(1, "http://a"), "markdown_http_link", "warning"),
        (2, at(2, "http://c"), "markdown_http_link", "warning"),
        (3, at(3, "http://e"), "markdown_http_link", "warning"),
        (4, at(4, "https://f"), "markdown_external_image", "warning"),
        (4, at(4, "http://g"), "markdown_external_image", "warning"),
        (5, at(5, "//h"), "markdown_external_image", "warning"),
        (6, 1, "markdown_external_image", "warning"),
        (9, at(9, "http://j"), "markdown_http_link", "warning"),
    ]
    assert [dict(f.params)["url"] for f in found] == [
        "http://a.example/x", "http://c.example/", "http://e.example/", "https://f.example/t.png",
        "http://g.example/a.gif", "//h.example/p.gif", "https://i.example/logo.png", "http://j.example/"]


def test_warnings_for_what_the_page_leaves_out_an_embedded_map_video_or_form() -> None:
    text = "\n".join([
        '<iframe src="https://www.google.com/maps/embed?pb=x" width="600"></iframe>',  # 1
        "Video: <VIDEO src=/files/a.mp4></VIDEO> <embed src=a.swf>",  # 2
        '<form action="https://x.example"><input name=q><button>Kirim</button></form>',  # 3
        "<div><span>teks</span></div> <script>x()</script> <style>p{}</style>",  # 4: nothing visible lost
    ])
    found = markdown_findings(text, TEXT_LIMIT)
    assert [(f.line, f.column, dict(f.params)["tag"]) for f in found] == [
        (1, 1, "iframe"), (2, 8, "video"), (2, 41, "embed"),
        (3, 1, "form"), (3, 34, "input"), (3, 48, "button")]
    assert {(f.key, f.severity) for f in found} == {("markdown_tag_left_out", "warning")}
    html = str(renderer().render(text, "id")).lower()
    assert not any(f"<{tag}" in html for tag in ("iframe", "video", "embed", "form", "input", "button"))
    assert "teks" in html and "kirim" in html


def test_a_raw_html_block_comes_out_whole_without_empty_paragraphs() -> None:
    """Raw HTML is taken inline (markup.py): a raw table or definition list still comes out as one,
    and nothing of the paragraph nh3 closes around it is left."""
    html = str(renderer().render('<table>\n<tr><th scope="row">Senin</th><td>08.00</td></tr>\n</table>\n\n'
                                 "<dl>\n<dt>KK</dt>\n<dd>Kartu Keluarga</dd>\n</dl>\n\nSesudahnya.", "id"))
    soup = BeautifulSoup(html, "html.parser")
    assert [cell.get_text() for cell in soup.find("table").find_all(["th", "td"])] == ["Senin", "08.00"]
    assert [item.get_text() for item in soup.find("dl").find_all(["dt", "dd"])] == ["KK", "Kartu Keluarga"]
    assert [p.get_text() for p in soup.find_all("p")] == ["Sesudahnya."]
    assert "<p></p>" not in html
