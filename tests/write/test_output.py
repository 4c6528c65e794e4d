"""Nothing lost: atomic swap, refused output_dir values, reproducible output."""

from __future__ import annotations

import shutil

import pytest
from conftest import edit, run, tree_digest

import mppsite.render.schedule


def test_failed_build_leaves_previous_output_byte_for_byte(project):
    assert run(project).code == 0
    before = tree_digest(project / "output")
    edit(project, "content/services/polres.yaml", "category: hukum", "category: hukm")
    result = run(project)
    assert result.code == 1
    assert "Build stopped; the previous site in output/ is unchanged." in result.err
    assert tree_digest(project / "output") == before
    assert not [p for p in project.iterdir() if p.name.startswith(".output-")]


def test_error_in_the_middle_of_rendering_leaves_output_unchanged(project, monkeypatch):
    assert run(project).code == 0
    before = tree_digest(project / "output")
    real = mppsite.render.schedule.Renderer.render
    calls = {"n": 0}

    def failing(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 12:
            raise RuntimeError("disk on fire")
        return real(*args, **kwargs)

    monkeypatch.setattr(mppsite.render.schedule.Renderer, "render", failing)
    edit(project, "content/services/polres.yaml", "SIM A sebelum", "SIM A baru sebelum")
    with pytest.raises(RuntimeError):
        run(project)
    assert calls["n"] == 12
    assert tree_digest(project / "output") == before
    assert not [p for p in project.iterdir() if p.name.startswith(".output-")]


def test_template_error_is_reported_and_output_kept(project):
    assert run(project).code == 0
    before = tree_digest(project / "output")
    (project / "templates").mkdir()
    (project / "templates" / "service.html").write_text(
        '{% extends "base.html" %}{% block main %}{{ service.nonexistent_field }}{% endblock %}')
    result = run(project)
    assert result.code == 1
    assert result.lines[0].startswith(
        "templates/service.html:1:1: template service.html failed for /mpp/layanan/")
    assert tree_digest(project / "output") == before


def test_successful_build_replaces_output_whole(project):
    assert run(project).code == 0
    stale = project / "output" / "stale.html"
    stale.write_text("old")
    assert run(project).code == 0
    assert not stale.exists()
    assert (project / "output" / ".mppsite-output").is_file()


def _snapshot(project):
    return {p.relative_to(project).as_posix() for p in project.rglob("*")}


@pytest.mark.parametrize("value, reason", [
    (".", "that is the project folder itself"),
    ("./", "that is the project folder itself"),
    ("..", "that folder is outside the project"),
    ("../elsewhere", "that folder is outside the project"),
    ("/tmp/mpp-output", "absolute paths are not allowed"),
    ("content", "that folder holds project files (content)"),
    ("content/out", "that folder holds project files (content)"),
    ("templates", "that folder holds project files (templates)"),
    ("tests", "that folder holds project files (tests)"),
    ("site_config.yaml", "that folder holds project files (site_config.yaml)"),
    ("output/..", "that is the project folder itself"),
])
def test_unsafe_output_dir_is_refused_before_anything_is_touched(project, value, reason):
    (project / "templates").mkdir()
    (project / "templates" / "keep.txt").write_text("keep")
    (project / "tests").mkdir()
    edit(project, "site_config.yaml", "output_dir: output", f'output_dir: "{value}"')
    before = _snapshot(project)
    digest = tree_digest(project)
    result = run(project)
    assert result.code == 1
    assert result.lines[0] == (f"site_config.yaml:3:13: output_dir: output_dir '{value}' is refused: "
                               f"{reason}. Use a new folder inside the project, such as 'output'")
    assert result.lines[-1] == "Build stopped; nothing was written or removed."
    assert _snapshot(project) == before
    assert tree_digest(project) == digest


def test_project_root_by_absolute_path_is_refused(project):
    edit(project, "site_config.yaml", "output_dir: output", f'output_dir: "{project}"')
    result = run(project)
    assert result.code == 1
    assert "absolute paths are not allowed" in result.err


def test_folder_with_foreign_files_is_refused(project):
    (project / "docs").mkdir()
    (project / "notes").mkdir()
    (project / "notes" / "mine.txt").write_text("precious")
    edit(project, "site_config.yaml", "output_dir: output", "output_dir: notes")
    result = run(project)
    assert result.code == 1
    assert "that folder already holds files this build did not make" in result.err
    assert (project / "notes" / "mine.txt").read_text() == "precious"


def test_symlinked_output_dir_pointing_outside_is_refused(project, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x.txt").write_text("x")
    (project / "public").symlink_to(outside)
    edit(project, "site_config.yaml", "output_dir: output", "output_dir: public")
    result = run(project)
    assert result.code == 1
    assert "outside the project" in result.err
    assert (outside / "x.txt").is_file()


def test_other_output_dir_inside_project_works(project):
    edit(project, "site_config.yaml", "output_dir: output", "output_dir: public/site")
    assert run(project).code == 0
    assert (project / "public" / "site" / "index.html").is_file()


def test_same_input_gives_identical_output(project, tmp_path):
    assert run(project).code == 0
    first = tree_digest(project / "output")
    assert run(project).code == 0
    assert tree_digest(project / "output") == first
    # A copy elsewhere, files touched in another order, builds the same bytes.
    other = tmp_path / "elsewhere" / "copy"
    shutil.copytree(project, other, ignore=shutil.ignore_patterns("output"))
    for path in sorted(other.rglob("*.yaml"), reverse=True):
        path.touch()
    assert run(other).code == 0
    assert tree_digest(other / "output") == first
