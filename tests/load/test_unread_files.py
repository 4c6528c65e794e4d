"""content/ holds what the contract lists and nothing else: a file the build would not read (a
catalog saved as `polres.YAML`, a page as `tentang.MD`, anything in a subfolder) is an error naming
it, never an agency's services gone from the site unseen; editors' leftovers are ignored."""

from __future__ import annotations

import shutil

from conftest import run

from mppsite.core.problems import Problems
from mppsite.load.content import report_unread

CATALOGS = ("the build does not read this: content/services/ holds only catalogs, one file per agency "
            "whose name ends in .yaml (lowercase), directly in that folder; rename it, move it, or delete it")


def test_a_catalog_with_a_capital_extension_is_an_error_not_a_missing_agency(project):
    (project / "content/services/polres.yaml").rename(project / "content/services/polres.YAML")
    result = run(project, "check")
    assert result.code == 1
    assert f"content/services/polres.YAML: {CATALOGS}" in result.lines
    assert run(project, "check", lang="id").lines[0] == (
        "content/services/polres.YAML: build tidak membaca ini: content/services/ hanya berisi katalog, "
        "satu berkas per instansi yang namanya berakhiran .yaml (huruf kecil), langsung di folder itu; "
        "ganti namanya, pindahkan, atau hapus")


def test_a_catalog_in_a_subfolder_is_an_error(project):
    (project / "content/services/arsip").mkdir()
    shutil.move(project / "content/services/polres.yaml", project / "content/services/arsip/polres.yaml")
    result = run(project, "check")
    assert result.code == 1
    assert f"content/services/arsip/: {CATALOGS}" in result.lines


def test_a_name_ending_in_txt_is_told_as_windows_hides_it(project):
    """Notepad saves `polres.yaml` as `polres.yaml.txt`, and Explorer shows it as `polres.yaml`."""
    (project / "content/services/polres.yaml").rename(project / "content/services/polres.yaml.txt")
    (project / "content/pages/tentang.md").rename(project / "content/pages/tentang.md.txt")
    result = run(project, "check")
    assert result.code == 1
    assert {line for line in result.lines if ".txt" in line} == {
        "content/pages/tentang.md.txt: the build does not read this file because its name ends in .txt "
        "(Windows may hide that ending, so that the name looks like tentang.md); rename it to tentang.md",
        "content/services/polres.yaml.txt: the build does not read this file because its name ends in .txt "
        "(Windows may hide that ending, so that the name looks like polres.yaml); rename it to polres.yaml"}


def test_a_catalog_named_yml_is_read_and_told_to_become_yaml(project):
    """The build reads it; the form editor would not list it."""
    (project / "content/services/polres.yaml").rename(project / "content/services/polres.yml")
    result = run(project, "check")
    assert result.code == 0, result.err
    assert ("content/services/polres.yml: warning: this catalog is read, but the form editor at /admin/ "
            "lists only catalogs whose names end in .yaml; rename it to polres.yaml") in result.lines


def test_documents_and_the_top_of_content(project):
    (project / "content/pages/tentang.md").rename(project / "content/pages/tentang.MD")
    (project / "content/news/kabar.markdown").write_text("---\ntitle: Kabar\n---\nIsi.\n", encoding="utf-8")
    (project / "content/servis").mkdir()
    (project / "content/catatan.txt").write_text("catatan\n", encoding="utf-8")
    problems = Problems()
    report_unread(project / "content", problems)
    documents = "holds only documents whose names end in .md (lowercase), directly in that folder"
    top = ("the build does not read this: content/ holds only mpp.yaml, categories.yaml, indicators.yaml "
           "and the folders services/, circulars/, news/, pages/ and files/; rename it, move it out of "
           "content/, or delete it")
    assert [problem.format("en") for problem in problems.sorted()] == [
        f"content/catatan.txt: {top}",
        f"content/news/kabar.markdown: the build does not read this: content/news/ {documents}; "
        "rename it, move it, or delete it",
        f"content/pages/tentang.MD: the build does not read this: content/pages/ {documents}; "
        "rename it, move it, or delete it",
        f"content/servis/: {top}",
    ]


def test_hidden_files_and_editors_leftovers_are_not_content(project):
    for rel in ("content/services/polres.yaml~", "content/services/polres.yaml.bak", "content/.DS_Store",
                "content/services/.polres.yaml.swp", "content/files/Thumbs.db", "content/files/desktop.ini",
                "content/pages/tentang.md.orig", "content/files/formulir.pdf.crdownload", "content/4913"):
        (project / rel).write_bytes(b"leftover")
    result = run(project)
    assert result.code == 0, result.err
    assert not list((project / "output").rglob("Thumbs.db"))
    assert not list((project / "output").rglob("*.crdownload"))
