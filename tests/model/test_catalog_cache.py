"""The catalog cache: an unchanged catalog is not parsed again, and nothing it gives differs.

Each build or check that uses the cache is compared with the same one on a fresh copy of the
project (no cache at all): the same model, the same problems, the same bytes in output/.
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
from conftest import edit, run, tree_digest

import mppsite.check.schema_check
import mppsite.core.fingerprint
import mppsite.core.project_files
import mppsite.load.source
import mppsite.model.catalog_cache
import mppsite.write.cache
from mppsite.core.problems import ContentError
from mppsite.model.catalog_cache import FOLDER
from mppsite.pipeline import build, prepare
from mppsite.write.cache import CACHE_DIR

CATALOGS = ("content/services/disdukcapil.yaml", "content/services/polres.yaml")


@pytest.fixture
def parsed(monkeypatch) -> list[str]:
    """The catalogs parse_yaml is asked to parse, in order."""
    seen: list[str] = []
    original = mppsite.load.source.parse_yaml

    def spy(source, text, problems):
        if source.rel.startswith("content/services/"):
            seen.append(source.rel)
        return original(source, text, problems)

    monkeypatch.setattr(mppsite.load.source, "parse_yaml", spy)
    return seen


def fresh_copy(project: Path, tmp_path: Path, name: str = "fresh") -> Path:
    """The project's input without any cache or output."""
    dest = tmp_path / name
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(project, dest, ignore=shutil.ignore_patterns("output", CACHE_DIR, ".output-*"))
    return dest


def model(built) -> list[tuple]:
    """Everything the model says about tenants and services, references shown by id."""
    site = built.site
    rows = []
    for tenant in site.tenants:
        rows.append(("tenant", *((k, v) for k, v in vars(tenant).items() if k != "services"),
                     [s.id for s in tenant.services]))
    for service in site.services:  # every field, asked for (a kept catalog's are read then)
        rows.append(("service", *((f.name, getattr(service, f.name).id if f.name in ("tenant", "category")
                                   else getattr(service, f.name)) for f in dataclasses.fields(service))))
    rows.append(("categories", [(c.id, [s.id for s in c.services]) for c in site.categories]))
    return rows


def items(built) -> list[tuple]:
    """The checked catalog items as the page cache sees them (place, id, as written)."""
    return [(item.source.rel, item.loc, item.value.id, item.raw)
            for tenant, services in built.checked.tenants for item in (tenant, *services)]


def lines(problems) -> list[str]:
    return [problem.format("en") for problem in problems.sorted()]


def errors_of(root: Path) -> list[str]:
    with pytest.raises(ContentError) as raised:
        prepare(root)
    return lines(raised.value.problems)


def test_a_cache_hit_gives_the_same_model_problems_and_bytes_as_a_cold_build(project, tmp_path, parsed):
    first = build(project)
    assert parsed == list(CATALOGS)
    assert len(list((project / CACHE_DIR / FOLDER).glob("*.pickle"))) == 2
    parsed.clear()
    again = build(project)
    assert parsed == []  # both catalogs came from the cache
    assert all(tenant.source.cached is not None for tenant, _ in again.checked.tenants)
    assert model(again) == model(first)
    assert items(again) == items(first)
    assert lines(again.problems) == lines(first.problems) and again.problems.warnings
    shutil.rmtree(project / "output")  # every page rendered from the cached model
    build(project)
    cold = fresh_copy(project, tmp_path)
    build(cold)
    assert tree_digest(project / "output") == tree_digest(cold / "output")


def test_a_rebuild_with_nothing_changed_reads_no_service_in_full(project, tmp_path):
    """Kept catalogs' services keep only their light fields (LazyService) until a page to render
    or the open data (written again whenever the content changed) reads them; still every page
    is the one a cold build makes."""
    build(project)
    again = build(project)
    unread = {service.id: "_loader" in vars(service) for service in again.site.services}
    assert set(unread.values()) == {True}
    cold = fresh_copy(project, tmp_path)
    build(cold)
    assert tree_digest(project / "output") == tree_digest(cold / "output")
    assert again.site.services[0].summary.get("id")  # asked for, a field is read at once
    assert "_loader" not in vars(again.site.services[0])


def test_check_prints_the_same_with_and_without_the_cache(project, tmp_path):
    edit(project, "content/services/polres.yaml", "reviewed_on: 2025-01-10", "reviewed_on: 2020-01-10")
    edit(project, "content/services/polres.yaml", "(/layanan/ktp-el/).\", en",
         "(/layanan/ktp-lama/).\", en")
    without = run(fresh_copy(project, tmp_path), "check")
    first, second = run(project, "check"), run(project, "check")
    assert (project / CACHE_DIR / FOLDER).is_dir()
    assert second == first == without
    assert "content/services/polres.yaml:28:18: warning: services[0].reviewed_on:" in second.err
    assert "/layanan/ktp-lama/" in second.err and second.code == 0


def test_an_edited_catalog_is_read_again_with_its_new_content_and_errors(project, tmp_path, parsed):
    build(project)
    edit(project, "content/services/polres.yaml", "untuk melamar kerja.", "untuk melamar kerja baru.")
    parsed.clear()
    built = prepare(project)
    assert parsed == ["content/services/polres.yaml"]
    skck = next(s for s in built.site.services if s.id == "skck")
    assert skck.summary.get("id").endswith("untuk melamar kerja baru.")
    edit(project, "content/services/polres.yaml", "    fee: {amount: 30000}", "    fees: {amount: 30000}")
    found = errors_of(project)
    unknown = "content/services/polres.yaml:19:5: services[0]: unknown field 'fees' (did you mean 'fee'?)"
    assert unknown in found
    assert found == errors_of(fresh_copy(project, tmp_path))
    parsed.clear()
    assert errors_of(project) == found
    assert "content/services/polres.yaml" in parsed  # a catalog with errors is never kept


def test_errors_in_other_files_are_reported_in_cached_catalogs_with_their_positions(project, tmp_path,
                                                                                     parsed):
    """Ids, categories and attachments are checked again over cached items, positions and all."""
    build(project)
    edit(project, "content/services/disdukcapil.yaml", "  - id: ktp-el\n", "  - id: skck\n")
    edit(project, "content/categories.yaml", "- id: hukum\n", "- id: hukum-keamanan\n")
    (project / "content/files/formulir-skck.pdf").unlink()
    parsed.clear()
    found = errors_of(project)
    assert "content/services/polres.yaml" not in parsed  # polres.yaml came from the cache
    assert found == errors_of(fresh_copy(project, tmp_path))
    polres = [line for line in found if line.startswith("content/services/polres.yaml")]
    assert any(": services[0].id: " in line for line in polres)  # the id used twice, its second use
    assert any(": services[0].category: category 'hukum'" in line for line in polres)
    assert any(": services[0].forms[0].file: " in line for line in polres)
    assert polres[0].startswith("content/services/polres.yaml:")
    assert all(line.split(":")[1] != "0" for line in polres)  # every one has its line


def test_a_corrupt_or_truncated_cache_file_is_a_miss(project, tmp_path, parsed):
    first = build(project)
    entries = sorted((project / CACHE_DIR / FOLDER).glob("*.pickle"))
    entries[0].write_bytes(b"not a pickle at all")
    entries[1].write_bytes(entries[1].read_bytes()[:200])
    parsed.clear()
    again = build(project)
    assert set(CATALOGS) <= set(parsed)
    assert model(again) == model(first) and lines(again.problems) == lines(first.problems)
    parsed.clear()
    prepare(project)  # rewritten whole: hits again
    assert not set(parsed) & set(CATALOGS)
    cold = fresh_copy(project, tmp_path)
    build(cold)
    assert tree_digest(project / "output") == tree_digest(cold / "output")


def test_another_code_digest_or_other_languages_invalidate_the_cache(project, monkeypatch, parsed):
    prepare(project)
    monkeypatch.setattr(mppsite.core.fingerprint, "_CODE", "other code")
    parsed.clear()
    prepare(project)
    assert set(CATALOGS) <= set(parsed)
    parsed.clear()
    prepare(project)
    assert not set(CATALOGS) & set(parsed)
    edit(project, "site_config.yaml", "languages: [id, en]", "languages: [id]")  # 'en' words left out now
    parsed.clear()
    found = lines(prepare(project).problems)
    assert set(CATALOGS) <= set(parsed)
    assert [line for line in found if ": note: " in line] == [
        "site_config.yaml: note: languages: the content has text in en, which is not published because "
        "that language is not in 'languages'. Nothing needs doing; add the language to 'languages' to "
        "publish it"]


def test_a_removed_catalog_loses_its_cache_file(project):
    prepare(project)
    assert len(list((project / CACHE_DIR / FOLDER).glob("*.pickle"))) == 2
    text = (project / "content/services/polres.yaml").read_text(encoding="utf-8")
    (project / "content/services/polres.yaml").unlink()
    prepare(project)
    assert len(list((project / CACHE_DIR / FOLDER).glob("*.pickle"))) == 1
    (project / "content/services/polres.yaml").write_text(text, encoding="utf-8")
    prepare(project)


def test_the_preview_keeps_catalogs_in_memory_and_still_sees_every_edit(project, tmp_path, parsed):
    from mppsite.preview.serve import Warm

    warm = Warm()
    first = build(project, warm)
    assert parsed == list(CATALOGS) and len(warm.catalogs) == 2
    for path in (project / CACHE_DIR / FOLDER).glob("*.pickle"):
        path.write_bytes(b"corrupt")  # the disk cache is not read again by this process
    parsed.clear()
    again = build(project, warm)
    assert parsed == []
    assert [t.source.cached.tenant for t, _ in again.checked.tenants] == first.site.tenants
    edit(project, "content/services/polres.yaml", "untuk melamar kerja.", "untuk melamar kerja baru.")
    parsed.clear()
    edited = build(project, warm)
    assert parsed == ["content/services/polres.yaml"]
    skck = next(s for s in edited.site.services if s.id == "skck")
    assert skck.summary.get("id").endswith("untuk melamar kerja baru.")
    assert all(service.category in edited.site.categories for service in edited.site.services)
    cold = fresh_copy(project, tmp_path)
    build(cold)
    assert tree_digest(project / "output") == tree_digest(cold / "output")
    (project / "content/services/disdukcapil.yaml").unlink()
    build(project, warm)
    assert len(warm.catalogs) == 1  # a removed catalog is forgotten


def test_the_preview_still_finds_every_cross_reference_error_of_a_kept_catalog(project, tmp_path,
                                                                              monkeypatch):
    """Kept catalogs take a short road through the cross-checks from the second build of a
    preview on; what involves other files is still checked, with the same messages."""
    from mppsite.preview.serve import Warm

    def errors(warm: Warm | None = None) -> list[str]:
        with pytest.raises(ContentError) as raised:
            build(project, warm) if warm is not None else prepare(fresh_copy(project, tmp_path))
        return [problem.format("en") for problem in raised.value.problems.sorted()
                if problem.severity == "error"]

    warm = Warm()
    build(project, warm)
    build(project, warm)
    edit(project, "content/categories.yaml", "- id: hukum", "- id: hukum-pidana")  # polres names it
    found = errors(warm)
    assert any("content/services/polres.yaml" in line and "hukum" in line for line in found)
    assert found == errors()
    edit(project, "content/categories.yaml", "- id: hukum-pidana", "- id: hukum")
    form = project / "content/files/formulir-skck.pdf"
    kept = form.read_bytes()
    form.unlink()
    found = errors(warm)
    assert any("files/formulir-skck.pdf" in line for line in found) and found == errors()
    form.write_bytes(kept)
    edit(project, "content/services/disdukcapil.yaml", "  - id: ktp-el", "  - id: skck")  # polres has one
    found = errors(warm)
    assert any("skck" in line and "polres.yaml" in line for line in found) and found == errors()
    edit(project, "content/services/disdukcapil.yaml", "  - id: skck", "  - id: ktp-el")
    build(project, warm)


def test_a_counter_error_is_reported_at_every_build(project):
    """A catalog with an error is never kept: the second build of a preview reports it again."""
    from mppsite.preview.serve import Warm

    edit(project, "content/services/polres.yaml", '    counter: "5"', '    counter: "6"')
    warm = Warm()
    for _ in range(2):
        with pytest.raises(ContentError) as raised:
            build(project, warm)
        assert [problem.key for problem in raised.value.problems.errors] == ["unknown_counter"]


def test_review_warnings_of_kept_catalogs_follow_the_date(project):
    """The preview keeps a catalog's facts between builds; an old review is judged on each day."""
    import datetime

    from mppsite.model.audit import REVIEW_MAX_AGE

    memory: dict = {}

    def reviews(today: datetime.date) -> list[str]:
        found = prepare(project, today=today, catalogs_kept=memory).problems.items
        return sorted(f"{problem.file}:{problem.line} {problem.key}" for problem in found
                      if problem.key in ("unreviewed", "review_old"))

    reviewed = datetime.date(2025, 1, 10)  # skck's reviewed_on in the fixture
    fresh = reviews(reviewed)
    assert reviews(reviewed) == fresh and memory  # the second time from the kept facts
    assert not any(line.endswith("review_old") for line in fresh)
    later = reviews(reviewed + REVIEW_MAX_AGE + datetime.timedelta(days=1))
    assert [line for line in later if line not in fresh] == ["content/services/polres.yaml:28 review_old"]
    assert reviews(reviewed) == fresh


def test_templates_compiled_before_rendering_still_report_their_own_mistakes(project, tmp_path,
                                                                              monkeypatch):
    """Every template is compiled before the pages are rendered (the workers inherit them)."""
    import mppsite.pipeline

    compiled: list[str] = []
    original = mppsite.pipeline._compile_all
    monkeypatch.setattr(mppsite.pipeline, "_compile_all",
                        lambda env: (original(env), compiled.extend(sorted(env.cache or {}))))
    build(project)
    assert compiled  # it ran, and compiled templates
    broken = fresh_copy(project, tmp_path, "broken")
    (broken / "templates").mkdir()
    (broken / "templates" / "tenant.html").write_text(
        '{% extends "base.html" %}\n{% block main %}\n{% for x in %}{% endblock %}\n', encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        build(broken)
    message = raised.value.problems.errors[0].format("en")
    assert message.startswith("templates/tenant.html:3:1: template tenant.html failed"), message
    assert not (broken / "output").exists()


