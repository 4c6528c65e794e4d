"""fmt over the bundled content and the second mall's (tests/fixtures/tirtamaya), on copies: it
changes form only (the build's loader reads the same data), keeps every Markdown body byte for
byte, and a second run changes nothing."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, run
from pydantic import TypeAdapter

from mppsite.check import schema
from mppsite.core.problems import Problems
from mppsite.load.content import load_markdown
from mppsite.load.source import load_yaml
from mppsite.tidy.files import content_files

PROJECTS = {"bundled": ROOT, "tirtamaya": ROOT / "tests" / "fixtures" / "tirtamaya"}
_BODY = re.compile(r"\A---[ \t]*\n.*?\n---[ \t]*\n", re.S)


@pytest.fixture(params=sorted(PROJECTS))
def copy(request, tmp_path: Path) -> Path:
    """A copy of one project's content/ and site_config.yaml."""
    source = PROJECTS[request.param]
    shutil.copytree(source / "content", tmp_path / "content")
    shutil.copy(source / "site_config.yaml", tmp_path / "site_config.yaml")
    return tmp_path


def read_all(project: Path) -> dict[str, tuple[object, bytes]]:
    """Each content file's data as the build's loader reads it, with the file's bytes."""
    found = {}
    for path in content_files(project):
        problems = Problems()
        source = (load_markdown if path.suffix == ".md" else load_yaml)(path, project, problems)
        assert source is not None and source.parsed, [p.format() for p in problems.items]
        found[source.rel] = (source.data, path.read_bytes())
    return found


def validated(rel: str, data: object) -> object:
    """The data as check reads it (a Text written as a string is {id: ...} there too, {en: ...}
    in `slug.en.md`: check/validate.py)."""
    context = {"languages": ("en",) if rel.endswith(".en.md") else ("id", "en")}
    if rel.startswith("content/services/"):
        model = schema.Catalog
    elif rel.endswith(".md"):
        model = schema.DocumentMeta
    else:
        model = {"content/mpp.yaml": schema.Mall, "content/categories.yaml": list[schema.Category],
                 "content/indicators.yaml": list[schema.Indicator]}[rel]
    adapter = TypeAdapter(model)
    return _given(adapter.dump_python(adapter.validate_python(data, context=context)))


def _given(data: object) -> object:
    """The values given: a requirement written as a Text has no `form` or `count`, written as
    {text: ...} (as fmt writes every requirement) it has them as None."""
    if isinstance(data, dict):
        return {key: _given(value) for key, value in data.items() if value is not None}
    if isinstance(data, list):
        return [_given(value) for value in data]
    return data


def test_fmt_changes_form_only_and_a_second_run_nothing(copy: Path) -> None:
    before = read_all(copy)
    first = run(copy, "fmt")
    assert first.code == 0, first.err
    assert set(first.out.split()) <= set(before)
    assert "fmt finished:" in first.err
    after = read_all(copy)
    assert set(after) == set(before)
    for rel, (data, written) in before.items():
        new_data, new_bytes = after[rel]
        assert validated(rel, new_data) == validated(rel, data), rel
        if rel.endswith(".md"):
            assert new_bytes[_BODY.match(new_bytes.decode()).end():] == written[_BODY.match(
                written.decode()).end():], rel
    checked = run(copy, "check", "--lang", "en")
    assert checked.code == 0, checked.err
    again = run(copy, "fmt", "--check")
    assert (again.code, again.out) == (0, ""), again.err
    assert "Every content file is in the canonical form." in again.err
    assert not [path for path in (copy / "content").rglob(".*")], "a temporary file was left behind"


def test_the_bundled_comments_are_all_kept(copy: Path) -> None:
    def comments(project: Path) -> list[str]:
        lines = [line.strip() for path in content_files(project)
                 for line in path.read_text(encoding="utf-8").splitlines()]
        return sorted(line for line in lines if line.startswith("#"))

    before = comments(copy)
    assert run(copy, "fmt").code == 0
    assert comments(copy) == before
