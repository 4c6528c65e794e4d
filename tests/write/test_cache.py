"""The page cache: a rebuild renders only pages whose inputs changed, and never serves a stale page.

Every incremental build here is compared byte for byte with a cold build (no cache, no previous
output) of the same input, in a copy of the project.
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, edit, soup, tree_digest

import mppsite.check.config
import mppsite.core.problems
import mppsite.core.workers
import mppsite.model.pages
import mppsite.pipeline
import mppsite.render.fragments
import mppsite.render.opendata
import mppsite.render.schedule
import mppsite.render.sheet
import mppsite.render.templates
import mppsite.write.cache
import mppsite.write.output
import mppsite.write.publish
from mppsite.check.languages import ROUTES_FILE, STRINGS_DIR
from mppsite.core.problems import ContentError
from mppsite.pipeline import build
from mppsite.write.cache import CACHE_DIR


def cold(project: Path, tmp_path: Path) -> dict[str, str]:
    """The output of a build of `project`'s input from nothing."""
    fresh = tmp_path / "cold"
    shutil.rmtree(fresh, ignore_errors=True)
    shutil.copytree(project, fresh, ignore=shutil.ignore_patterns("output", CACHE_DIR, ".output-*"))
    built = build(fresh)
    assert built.rendered == built.pages - 2  # every page but 404.html and admin/index.html, written apart
    return tree_digest(fresh / "output")


def inodes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_ino for p in folder.rglob("*.html")}


def changed(before: dict[str, str], after: dict[str, str]) -> set[str]:
    return {rel for rel in before.keys() | after.keys() if before.get(rel) != after.get(rel)}


def test_rebuild_without_change_renders_nothing_and_keeps_every_byte(project):
    first = build(project)
    assert first.rendered == first.pages - 2
    before = tree_digest(project / "output")
    again = build(project)
    assert again.rendered == 0
    assert again.pages == first.pages and again.files == first.files
    assert tree_digest(project / "output") == before


def test_editing_one_catalog_renders_its_pages_and_the_lists_only(project, tmp_path):
    build(project)
    before, ids = tree_digest(project / "output"), inodes(project / "output")
    edit(project, "content/services/polres.yaml", "untuk melamar kerja.", "untuk melamar kerja baru.")
    edit(project, "content/services/polres.yaml", "for job applications.", "for a new job.")
    built = build(project)
    after = tree_digest(project / "output")
    assert after == cold(project, tmp_path)
    assert "layanan/skck/index.html" in changed(before, after)
    assert "en/services/skck/index.html" in changed(before, after)
    # The other tenant's pages and the other services were not rendered: the same files, linked.
    untouched = [rel for rel in ids if "ktp-el" in rel or "disdukcapil" in rel or "sim-a" in rel]
    assert untouched and all(inodes(project / "output")[rel] == ids[rel] for rel in untouched)
    # In both languages: the service, the tenant's page and print page, the category, and the
    # seven pages that list or count every service (home, A-Z, tenants, achievements, circulars,
    # news, search).
    assert built.rendered == 2 * (1 + 2 + 1 + 7)


def _template(project: Path) -> str:
    target = project / "templates" / "partials" / "footer.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    source = mppsite.model.pages.BUILTIN_TEMPLATES / "partials" / "footer.html"
    target.write_text(source.read_text(encoding="utf-8").replace("</footer>", "<p>Versi uji</p></footer>", 1),
                      encoding="utf-8")
    return "Versi uji"


def _ui_string(project: Path, strings: Path) -> str:
    path = strings / "en.yaml"
    text = path.read_text(encoding="utf-8")
    assert "\nnav_services: Services\n" in text
    path.write_text(text.replace("\nnav_services: Services\n", "\nnav_services: All services\n"),
                    encoding="utf-8")
    return "All services"


def _category(project: Path) -> str:
    edit(project, "content/categories.yaml", "en: Legal matters and police", "en: Law and order")
    return "Law and order"


def _tenant(project: Path) -> str:
    edit(project, "content/services/polres.yaml", "en: City Police}", "en: Municipal Police}")
    return "Municipal Police"


@pytest.mark.parametrize("change", ["template", "ui_string", "category", "tenant"])
def test_a_change_reaches_every_page_it_affects(project, tmp_path, monkeypatch, change):
    strings = project / "strings"  # the project's own English (check/languages.py), to edit
    strings.mkdir()
    english = (STRINGS_DIR / "en.yaml").read_text(encoding="utf-8")
    segments = yaml.safe_load(ROUTES_FILE.read_text(encoding="utf-8"))["en"]
    (strings / "en.yaml").write_text(english + yaml.safe_dump({"url_segments": segments}), encoding="utf-8")
    build(project)
    before = tree_digest(project / "output")
    texts = {rel: (project / "output" / rel).read_text(encoding="utf-8")
             for rel in before if rel.endswith(".html")}
    words = {"template": lambda: _template(project), "ui_string": lambda: _ui_string(project, strings),
             "category": lambda: _category(project), "tenant": lambda: _tenant(project)}[change]()
    built = build(project)
    after = tree_digest(project / "output")
    assert after == cold(project, tmp_path)
    assert built.rendered > 0
    # Every page that shows the new words was rewritten (it could not have shown them before).
    showing = {rel for rel in after if rel.endswith(".html") and words not in texts.get(rel, "")
               and words in (project / "output" / rel).read_text(encoding="utf-8")}
    assert showing and showing <= changed(before, after)
    if change in ("template", "ui_string", "category"):  # in every page's header, footer or menu
        assert built.rendered == built.pages - 2
    else:
        assert "en/agencies/polres/index.html" in showing


def test_new_code_renders_everything(project, monkeypatch):
    build(project)
    monkeypatch.setattr(mppsite.write.cache, "code_digest", lambda: "another version")
    built = build(project)
    assert built.rendered == built.pages - 2


def test_page_edited_by_hand_in_output_is_rendered_again(project):
    build(project)
    page = project / "output" / "layanan" / "skck" / "index.html"
    original = page.read_bytes()
    page.write_bytes(original.replace(b"SKCK", b"XXXX"))
    built = build(project)
    assert built.rendered >= 1
    assert page.read_bytes() == original


def test_failed_rebuild_keeps_output_and_cache_usable(project):
    build(project)
    before = tree_digest(project / "output")
    edit(project, "content/services/polres.yaml", "category: hukum", "category: hukm")
    with pytest.raises(ContentError):
        build(project)
    assert tree_digest(project / "output") == before
    edit(project, "content/services/polres.yaml", "category: hukm", "category: hukum")
    assert build(project).rendered == 0
    assert tree_digest(project / "output") == before


def test_parallel_rendering_gives_the_same_bytes_and_the_same_error(project, tmp_path, monkeypatch):
    serial = build(project)
    expected = tree_digest(project / "output")
    monkeypatch.setattr(mppsite.render.schedule, "PARALLEL_MIN_COST", 400)
    shutil.rmtree(project / CACHE_DIR)
    parallel = build(project)
    if len(os.sched_getaffinity(0)) > 1:
        assert parallel.rendered == serial.rendered
    assert tree_digest(project / "output") == expected
    (project / "templates").mkdir()
    (project / "templates" / "tenant.html").write_text(
        '{% extends "base.html" %}{% block main %}{{ tenant.nonexistent_field }}{% endblock %}')
    with pytest.raises(ContentError) as raised:
        build(project)
    first = raised.value.problems.sorted()[0]
    assert (first.file, first.line, first.key) == ("templates/tenant.html", 1, "render_failed")
    assert dict(first.params)["url"] == "/mpp/instansi/disdukcapil/"  # the first tenant, in plan order
    assert tree_digest(project / "output") == expected


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="pages are rendered by workers on 2 CPUs")
def test_while_workers_render_the_extras_are_written_and_a_pages_error_still_comes_first(
        project, monkeypatch):
    """The open data, feeds, sitemap and search index are written while the workers render."""
    monkeypatch.setattr(mppsite.render.schedule, "PARALLEL_MIN_COST", 400)
    edit(project, "site_config.yaml", "search: false", "search: true")
    build(project)
    before = tree_digest(project / "output")
    assert "pagefind/pagefind-entry.json" in before and "data/services.json" in before
    edit(project, "content/services/polres.yaml", "untuk melamar kerja.", "untuk melamar kerja baru.")
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(project / "no-such-pagefind"))
    (project / "templates").mkdir()
    (project / "templates" / "tenant.html").write_text(  # fails in a worker: not the first tenant
        '{% extends "base.html" %}{% block main %}{% if tenant.id == "polres" %}'
        '{{ tenant.nonexistent_field }}{% endif %}{% endblock %}')
    with pytest.raises(ContentError) as raised:
        build(project)
    assert [problem.key for problem in raised.value.problems.errors] == ["render_failed"]
    assert dict(raised.value.problems.errors[0].params)["url"] == "/mpp/instansi/polres/"
    shutil.rmtree(project / "templates")
    with pytest.raises(ContentError) as raised:
        build(project)
    assert [problem.key for problem in raised.value.problems.errors] == ["search_failed"]
    assert tree_digest(project / "output") == before


def test_the_preview_reads_the_manifest_again_only_when_another_build_rewrote_it(
        project, tmp_path, monkeypatch):
    from mppsite.preview.serve import Warm

    reads: list[Path] = []
    real_load = mppsite.write.cache.PageCache._load
    monkeypatch.setattr(mppsite.write.cache.PageCache, "_load",
                        lambda self: reads.append(self.path) or real_load(self))
    warm = Warm()
    build(project, warm)
    reads.clear()
    edit(project, "content/services/polres.yaml", "untuk melamar kerja.", "untuk melamar kerja baru.")
    rebuilt = build(project, warm)
    assert 0 < rebuilt.rendered < rebuilt.pages and reads == []  # the last build's, kept
    assert tree_digest(project / "output") == cold(project, tmp_path)
    build(project)  # another build (`python build.py` beside the preview) writes a new manifest
    edit(project, "content/services/polres.yaml", "untuk melamar kerja baru.", "untuk melamar kerja.")
    reads.clear()
    rebuilt = build(project, warm)
    assert 0 < rebuilt.rendered < rebuilt.pages and len(reads) == 1
    assert tree_digest(project / "output") == cold(project, tmp_path)


# --- updating output/ in place ------------------------------------------------------------------

def _search_on(project: Path) -> None:
    edit(project, "site_config.yaml", "search: false", "search: true")


def test_an_edit_updates_output_in_place_and_moves_only_changed_files(project, tmp_path):
    build(project)
    output = project / "output"
    folder, before = output.stat().st_ino, tree_digest(output)
    ids = {p.relative_to(output).as_posix(): p.stat().st_ino for p in output.rglob("*") if p.is_file()}
    edit(project, "content/services/polres.yaml", "untuk melamar kerja.", "untuk melamar kerja baru.")
    build(project)
    after = tree_digest(output)
    assert output.stat().st_ino == folder  # the same folder, updated, not swapped
    assert after == cold(project, tmp_path)
    same = {rel for rel, ino in ids.items()
            if (output / rel).exists() and (output / rel).stat().st_ino == ino}
    assert "layanan/ktp-el/index.html" in same and "sitemap.xml" in same  # not written again
    assert not same & changed(before, after)
    assert "layanan/skck/index.html" not in same and "data/services.json" not in same
    assert not [p for p in project.iterdir() if p.name.startswith(".output-")]


def test_a_removed_service_leaves_no_page_and_no_empty_folder(project, tmp_path):
    build(project)
    text = (project / "content/services/polres.yaml").read_text(encoding="utf-8")
    start = text.index("  - id: sim-a-perpanjangan")
    end = text.find("\n  - id:", start + 1)
    (project / "content/services/polres.yaml").write_text(
        text[:start] + (text[end + 1:] if end != -1 else ""), encoding="utf-8")
    build(project)
    assert not (project / "output" / "layanan" / "sim-a-perpanjangan").exists()
    assert not (project / "output" / "en" / "services" / "sim-a-perpanjangan").exists()
    assert tree_digest(project / "output") == cold(project, tmp_path)
    assert build(project).rendered == 0  # the manifest matches what is on disk


def test_an_error_during_a_rebuild_leaves_output_byte_for_byte(project, monkeypatch):
    build(project)
    before = tree_digest(project / "output")
    edit(project, "content/services/polres.yaml", "untuk melamar kerja.", "untuk melamar kerja lagi.")

    def broken(*args, **kwargs):
        raise OSError("disk full")

    with monkeypatch.context() as patch:  # after every page and extra file was written
        patch.setattr(mppsite.write.publish, "write_assets", broken)
        with pytest.raises(OSError):
            build(project)
    assert tree_digest(project / "output") == before
    assert not [p for p in project.iterdir() if p.name.startswith(".output-")]
    real, calls = mppsite.render.schedule.Renderer.render, {"n": 0}

    def failing(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise ContentError(mppsite.core.problems.Problems())
        return real(*args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(mppsite.render.schedule.Renderer, "render", failing)
        with pytest.raises(ContentError):
            build(project)
    assert tree_digest(project / "output") == before


def test_an_update_cut_short_while_moving_files_is_followed_by_a_full_build(project, tmp_path, monkeypatch):
    build(project)
    edit(project, "content/services/polres.yaml", "untuk melamar kerja.", "untuk melamar kerja lagi.")
    real, calls = os.replace, {"n": 0}

    def replace(source, target, *args, **kwargs):
        if Path(target).is_relative_to(project / "output"):  # the third file moved into output/
            calls["n"] += 1
            if calls["n"] == 3:
                raise KeyboardInterrupt
        return real(source, target, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(mppsite.write.output.os, "replace", replace)
        with pytest.raises(KeyboardInterrupt):
            build(project)
    assert not (project / CACHE_DIR / mppsite.write.cache.MANIFEST).exists()  # so the next build is whole
    built = build(project)
    assert built.rendered == built.pages - 2
    assert tree_digest(project / "output") == cold(project, tmp_path)


def test_files_added_or_edited_by_hand_in_output_are_undone(project, tmp_path):
    build(project)
    deep = project / "output" / "layanan" / "skck" / "extra.html"
    deep.write_text("mine")
    (project / "output" / "data" / "services.csv").write_text("edited")
    folder = (project / "output").stat().st_ino
    build(project)
    assert not deep.exists()
    assert tree_digest(project / "output") == cold(project, tmp_path)
    assert (project / "output").stat().st_ino != folder  # written afresh and swapped in


def test_the_preview_builds_on_after_its_cache_folder_was_removed(project):
    """Staff may remove .mppsite-cache while the preview runs: the next template compiled then
    has no folder to keep its bytecode in, and the build goes on without keeping it."""
    from mppsite.preview.serve import Warm

    (project / "templates").mkdir()
    shutil.copy(ROOT / "templates" / "404.html", project / "templates" / "404.html")
    warm = Warm()
    build(project, warm)
    shutil.rmtree(project / CACHE_DIR)
    edit(project, "templates/404.html", "<p>{{ lang.t('not_found_text') }}</p>",
         "<p>{{ lang.t('not_found_text') }} (baru)</p>")
    build(project, warm)
    assert (project / "output" / "404.html").read_text(encoding="utf-8").count(" (baru)</p>") == 2
    assert list((project / CACHE_DIR / "templates").iterdir())  # kept again from then on
    assert (project / CACHE_DIR / ".gitignore").read_text() == "*\n"


def test_the_preview_takes_a_template_the_project_adds_over_a_built_in_one(project, tmp_path):
    """Jinja reloads a template whose file changed, not one that a new file in the project's
    templates/ now hides: the preview makes its environment again when the files are others."""
    from mppsite.preview.serve import Warm

    (project / "templates").mkdir()
    shutil.copy(ROOT / "templates" / "404.html", project / "templates" / "404.html")
    warm = Warm()
    build(project, warm)
    home = (ROOT / "templates" / "home.html").read_text(encoding="utf-8")
    (project / "templates" / "home.html").write_text(
        home.replace("{% block main %}", "{% block main %}<p>Dari proyek</p>", 1), encoding="utf-8")
    build(project, warm)
    assert "<p>Dari proyek</p>" in (project / "output" / "index.html").read_text(encoding="utf-8")
    assert tree_digest(project / "output") == cold(project, tmp_path)
    (project / "templates" / "home.html").unlink()
    build(project, warm)
    assert "<p>Dari proyek</p>" not in (project / "output" / "index.html").read_text(encoding="utf-8")
    assert tree_digest(project / "output") == cold(project, tmp_path)


@pytest.mark.parametrize("preview", [False, True], ids=["build", "preview"])
def test_any_sequence_of_edits_gives_a_cold_builds_bytes(project, tmp_path, preview, monkeypatch):
    """With the search index: each step compared with a build from nothing; in the preview's
    process too (what it keeps from build to build: catalogs, manifest, router and templates),
    its pages rendered by forked processes."""
    from mppsite.preview.serve import Warm

    if preview:
        monkeypatch.setattr(mppsite.render.schedule, "PARALLEL_MIN_COST", 400)
    _search_on(project)
    warm = Warm() if preview else None
    catalog = "content/services/polres.yaml"
    steps = [
        lambda: None,
        lambda: edit(project, catalog, "untuk melamar kerja.", "untuk melamar kerja baru."),
        lambda: edit(project, catalog, "{id: Perpanjangan SIM A,", "{id: Aa SIM A,"),  # first in A–Z
        lambda: edit(project, catalog, "{id: Aa SIM A,", "{id: Perpanjangan SIM A,"),
        lambda: edit(project, catalog, "id: sim-a-perpanjangan", "id: sim-a-baru"),  # a renamed service
        lambda: edit(project, "content/categories.yaml", "en: Legal matters and police", "en: Law"),
        lambda: edit(project, catalog, "id: sim-a-baru", "id: sim-a-perpanjangan"),
        lambda: shutil.rmtree(project / CACHE_DIR),
        lambda: edit(project, catalog, "untuk melamar kerja baru.", "untuk melamar kerja."),
    ]
    for step in steps:
        step()
        build(project, warm)
        a_to_z = soup(project / "output" / "layanan" / "index.html")
        names = [link.get_text(" ", strip=True) for link in a_to_z.select("main ul.links li > a")]
        assert len(names) > 2 and names == sorted(names, key=str.casefold)
        assert tree_digest(project / "output") == cold(project, tmp_path)
    assert build(project, warm).rendered == 0


def test_each_sheet_is_drawn_once_per_language_and_kept_for_the_next_build(project, tmp_path, monkeypatch):
    """A tenant's print page takes its sheets from its service pages (this build) or its last rendering."""
    drawn: list[tuple[str, str]] = []
    real = mppsite.render.sheet.size_class  # called once each time a sheet is drawn
    monkeypatch.setattr(mppsite.render.sheet, "size_class",
                        lambda service, L: drawn.append((service.id, L.code)) or real(service, L))
    build(project)
    services = [s.id for s in build(project).site.services]
    assert sorted(drawn) == sorted((sid, code) for sid in services for code in ("id", "en"))
    drawn.clear()
    edit(project, "content/services/polres.yaml", "untuk melamar kerja.", "untuk melamar kerja baru.")
    build(project)
    assert sorted(drawn) == [("skck", "en"), ("skck", "id")]
    assert tree_digest(project / "output") == cold(project, tmp_path)
    shutil.rmtree(project / CACHE_DIR / "fragments")  # lost bins are misses, not errors
    edit(project, "content/services/polres.yaml", "untuk melamar kerja baru.", "untuk melamar kerja.")
    build(project)
    assert tree_digest(project / "output") == cold(project, tmp_path)


def test_bins_of_pages_the_site_no_longer_has_are_removed(project):
    build(project)
    folder = project / CACHE_DIR / "fragments"
    kept = sorted(entry.name for entry in folder.iterdir())
    assert "instansi%2Fpolres%2Fcetak%2Findex.html.marshal" in kept and "layanan%2Findex.html.marshal" in kept
    for stale in ("instansi%2Fgone%2Fcetak%2Findex.html.marshal", "0f3a9c.pickle",  # gone; old names
                  "layanan%2Findex.html.pickle"):
        (folder / stale).write_bytes(b"")
    build(project)
    assert sorted(entry.name for entry in folder.iterdir()) == kept


def test_after_one_edit_only_that_services_parts_are_drawn_again(project):
    """The A–Z, category and agency lists and the print page re-use every other service's parts."""
    build(project)
    edit(project, "content/services/polres.yaml", "untuk melamar kerja.", "untuk melamar kerja baru.")
    build(project)
    drawn = mppsite.render.fragments.current().drawn
    assert sorted(drawn) == [("service_item", "en", "skck"), ("service_item", "id", "skck"),
                             ("service_item_here", "en", "skck"), ("service_item_here", "id", "skck"),
                             ("sheet", "en", "skck"), ("sheet", "id", "skck")]  # _here: its agency's page


def test_the_writer_refuses_paths_outside_its_folder_and_reports_what_it_wrote(tmp_path):
    writer = mppsite.write.output.OutputWriter(tmp_path / "output")
    for rel in ("", "/etc/passwd", "../x/index.html", "a/../../index.html", "a//index.html",
                "./index.html", mppsite.check.config.OUTPUT_MARKER):
        with pytest.raises(mppsite.write.output.UnsafePath):
            writer.reserve(rel)
        with pytest.raises(mppsite.write.output.UnsafePath):
            writer.write(rel, "x")
    stat = writer.write("layanan/skck/index.html", "<p>é</p>")
    path = writer.tmp / "layanan" / "skck" / "index.html"
    found = os.stat(path)
    assert path.read_bytes() == "<p>é</p>".encode()
    assert stat == (found.st_size, found.st_mtime_ns, found.st_ino)
    with pytest.raises(mppsite.write.output.UnsafePath):  # twice is a bug
        writer.write("layanan/skck/index.html", "again")
    writer.abort()


def test_an_items_digest_tells_apart_what_its_page_could_show_differently():
    """fingerprint.item_digest (JSON by orjson, repr where JSON cannot hold the data): the same
    item gives the same digest, and any difference in what was written gives another, a date
    and the same words as text, true and 1, 1 and 1.0 and "1" among them."""
    from types import SimpleNamespace

    from mppsite.core.fingerprint import item_digest

    def digest(raw, rel="content/services/polres.yaml", loc=("services", 0)):
        return item_digest(SimpleNamespace(source=SimpleNamespace(rel=rel), loc=loc, raw=raw))

    written = {"id": "skck", "fee": {"amount": 30000}, "reviewed_on": datetime.date(2024, 1, 15),
               "requirements": [{"id": "KTP-el", "en": "ID card"}], "notes": None}
    assert digest(written) == digest(json.loads(json.dumps(written, default=str)) | {
        "reviewed_on": datetime.date(2024, 1, 15)})  # equal data, other objects
    others = [written | {"reviewed_on": "2024-01-15"},
              written | {"reviewed_on": datetime.datetime(2024, 1, 15)},
              written | {"fee": {"amount": 30000.0}}, written | {"fee": {"amount": "30000"}},
              written | {"fee": {"amount": True}}, written | {"notes": ""},
              written | {"fee": {"amount": 2**70}}, written | {"fee": 30000}, {1: "x"}, {"1": "x"},
              {"id": "a\ud800"}, {"id": "a"}, written | {"requirements": [{"en": "ID card", "id": "KTP-el"}]}]
    digests = [digest(written), *(digest(raw) for raw in others),
               digest(written, loc=("services", 1)), digest(written, rel="content/services/dukcapil.yaml")]
    assert len(set(digests)) == len(digests)


def test_open_data_formats_again_only_the_edited_service_and_trusts_only_its_own_files(
        project, tmp_path, monkeypatch):
    """Rows of services whose inputs did not change come from the last build's files, never from
    files changed since it wrote them (even to the same size)."""
    formatted: list[str] = []
    real = mppsite.render.opendata._service_row
    monkeypatch.setattr(mppsite.render.opendata, "_service_row",
                        lambda service, langs: formatted.append(service.id) or real(service, langs))
    build(project)
    everything = sorted(formatted)
    assert len(everything) == 3
    formatted.clear()
    edit(project, "content/services/polres.yaml", "untuk melamar kerja.", "untuk melamar kerja baru.")
    build(project)
    assert formatted == ["skck"]
    assert tree_digest(project / "output") == cold(project, tmp_path)

    formatted.clear()
    data = project / "output" / "data" / "services.json"
    data.write_bytes(data.read_bytes().replace(b"melamar kerja baru", b"melamar kerja BARU"))  # same size
    edit(project, "content/services/polres.yaml", "untuk melamar kerja baru.", "untuk melamar kerja.")
    build(project)
    assert sorted(formatted) == everything  # the file was not the last build's: all formatted again
    assert tree_digest(project / "output") == cold(project, tmp_path)
