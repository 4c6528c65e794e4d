"""The catalog cache's prefill: on a cold build the catalogs are parsed and kept by forked
processes first, and the build then reads every valid one from its entry. Nothing it gives may
differ from a build that parses them itself: the same model, problems and bytes.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from conftest import edit, tree_digest
from test_catalog_cache import CATALOGS, errors_of, fresh_copy, items, lines, model

import mppsite.core.workers
import mppsite.load.source
import mppsite.model.catalog_cache
from mppsite.model.catalog_cache import FOLDER
from mppsite.pipeline import build, prepare
from mppsite.write.cache import CACHE_DIR


@pytest.fixture
def parses(monkeypatch, tmp_path) -> Path:
    """A log of the catalogs parse_yaml parses, `pid rel` a line, written by every process."""
    log = tmp_path / "parses.log"
    log.touch()
    original = mppsite.load.source.parse_yaml

    def spy(source, text, problems):
        if source.rel.startswith("content/services/"):
            with open(log, "a", encoding="utf-8") as stream:
                stream.write(f"{os.getpid()} {source.rel}\n")
        return original(source, text, problems)

    monkeypatch.setattr(mppsite.load.source, "parse_yaml", spy)
    return log


def parsed_by(log: Path) -> list[tuple[int, str]]:
    found = [line.split(" ", 1) for line in log.read_text(encoding="utf-8").splitlines()]
    log.write_text("", encoding="utf-8")
    return [(int(pid), rel) for pid, rel in found]


def prefill(monkeypatch, on: bool) -> None:
    """Prefill however small the project is (two processes: a forked one and this one), or never."""
    monkeypatch.setattr(mppsite.model.catalog_cache, "PREFILL_MIN_BYTES", 0 if on else 10**12)
    monkeypatch.setattr(mppsite.core.workers, "count", lambda: 2)


def test_a_cold_build_keeps_every_catalog_first_and_gives_what_parsing_them_in_the_build_gives(
        project, tmp_path, monkeypatch, parses):
    plain = fresh_copy(project, tmp_path)
    prefill(monkeypatch, on=False)
    without = build(plain)
    assert sorted(rel for _, rel in parsed_by(parses)) == list(CATALOGS)
    prefill(monkeypatch, on=True)
    calls = []
    share = mppsite.core.workers.share
    monkeypatch.setattr(mppsite.core.workers, "share", lambda *args: calls.append(args[0]) or share(*args))
    built = build(project)
    largest_first = sorted(CATALOGS, key=lambda rel: -(project / rel).stat().st_size)
    assert calls == [[project / rel for rel in largest_first]]
    assert sorted(rel for _, rel in parsed_by(parses)) == list(CATALOGS)  # once each, by the prefill
    assert len(list((project / CACHE_DIR / FOLDER).glob("*.pickle"))) == 2
    assert all(tenant.source.cached is not None for tenant, _ in built.checked.tenants)
    assert model(built) == model(without) and items(built) == items(without)
    assert lines(built.problems) == lines(without.problems) and built.problems.warnings
    assert tree_digest(project / "output") == tree_digest(plain / "output")
    build(project)  # warm: nothing left to keep, no process forked
    assert len(calls) == 1 and parsed_by(parses) == []


def test_a_forked_process_does_part_of_the_work(project, monkeypatch, parses):
    """Four catalogs; this process slowed down: the forked one takes some meanwhile."""
    for copy in ("a", "b"):
        (project / f"content/services/z-{copy}.yaml").write_text(
            (project / CATALOGS[0]).read_text(encoding="utf-8").replace("id: disdukcapil", f"id: z-{copy}"),
            encoding="utf-8")
    prefill(monkeypatch, on=True)
    parent, original = os.getpid(), mppsite.model.catalog_cache.CatalogCache._keep_new

    def slow_here(self, path):
        if os.getpid() == parent:
            time.sleep(0.5)
        return original(self, path)

    monkeypatch.setattr(mppsite.model.catalog_cache.CatalogCache, "_keep_new", slow_here)
    ran: list[int] = []
    mppsite.model.catalog_cache.CatalogCache(project, ("id", "en")).prefill(
        sorted((project / "content/services").glob("*.yaml")), lambda: ran.append(os.getpid()))
    assert ran == [parent]  # `meanwhile`, once, here
    found = parsed_by(parses)
    assert sorted(rel for _, rel in found) == sorted(
        [*CATALOGS, "content/services/z-a.yaml", "content/services/z-b.yaml"])
    assert parent in {pid for pid, _ in found}
    assert {pid for pid, _ in found} - {parent}, "no forked process parsed a catalog"
    assert len(list((project / CACHE_DIR / FOLDER).glob("*.pickle"))) == 4


def test_a_catalog_with_errors_is_not_kept_and_the_build_reports_them_as_before(
        project, tmp_path, monkeypatch, parses):
    edit(project, "content/services/polres.yaml", "id: skck", "id: SKCK jadi")
    edit(project, "content/services/disdukcapil.yaml", "fee: {amount: 0}", "fee: {amount: gratis}")
    prefill(monkeypatch, on=False)
    found = errors_of(fresh_copy(project, tmp_path))
    parsed_by(parses)
    prefill(monkeypatch, on=True)
    assert errors_of(project) == found
    assert any(line.startswith("content/services/polres.yaml:") for line in found)
    assert any(line.startswith("content/services/disdukcapil.yaml:") for line in found)
    assert list((project / CACHE_DIR / FOLDER).glob("*.pickle")) == []
    # each parsed twice: by the prefill, then by the build
    assert sorted(rel for _, rel in parsed_by(parses)) == sorted(CATALOGS * 2)


def test_a_small_project_or_one_cpu_forks_nothing(project, monkeypatch):
    def refused(*args):
        raise AssertionError("forked")

    monkeypatch.setattr(mppsite.core.workers, "share", refused)
    ran: list[str] = []
    prepare(project, meanwhile=lambda: ran.append("ran"))  # the fixture's catalogs are a few kilobytes
    assert ran == ["ran"]  # `meanwhile` still runs, once
    monkeypatch.setattr(mppsite.model.catalog_cache, "PREFILL_MIN_BYTES", 0)
    monkeypatch.setattr(mppsite.core.workers, "count", lambda: 1)
    for entry in (project / CACHE_DIR / FOLDER).glob("*.pickle"):
        entry.unlink()
    prepare(project)
    assert len(list((project / CACHE_DIR / FOLDER).glob("*.pickle"))) == 2
