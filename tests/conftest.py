"""Shared fixtures: a small valid project copied per test, and ways to run the real command."""

from __future__ import annotations

import contextlib
import hashlib
import io
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"
sys.path.insert(0, str(ROOT))

from mppsite.cli import main  # noqa: E402


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return self.err.splitlines()


def run(project: Path, *args: str, lang: str = "en") -> Run:
    """Run the command line in this process (fast), capturing what it prints."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--project", str(project), "--lang", lang, *args])
    return Run(code, out.getvalue(), err.getvalue())


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """Run `python build.py ...` as staff do, in a subprocess."""
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


def languages(built) -> dict:
    """The templates' `L` objects of a prepared site, one per language, as the build makes them."""
    from mppsite.model.markup import MarkdownRenderer
    from mppsite.render.templates import Lang

    markdown = MarkdownRenderer(built.router, set(built.site.files))
    return {code: Lang(code, built.config, built.router, markdown) for code in built.config.languages}


def edit(project: Path, rel: str, old: str, new: str) -> None:
    """Replace text in a content file; fails loudly if `old` is not there."""
    path = project / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file under `folder` with the hash of its bytes."""
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh copy of the small valid fixture project."""
    dest = tmp_path / "site"
    shutil.copytree(MINI, dest, ignore=shutil.ignore_patterns("output", ".mppsite-cache"))
    return dest


@pytest.fixture(scope="session")
def built_mini(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture project, built once for tests that only read its pages."""
    dest = tmp_path_factory.mktemp("built") / "site"
    shutil.copytree(MINI, dest, ignore=shutil.ignore_patterns("output", ".mppsite-cache"))
    result = run(dest)
    assert result.code == 0, result.err
    return dest / "output"


def soup(path: Path):
    """A built page, parsed."""
    from bs4 import BeautifulSoup
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def site_pages(output: Path) -> list[Path]:
    """Every page of a built site that citizens read: its index.html files but the form editor's
    (admin/index.html, a page for staff that loads the editor and nothing of the site)."""
    return sorted(path for path in output.rglob("index.html") if path.relative_to(output).parts[0] != "admin")


@pytest.fixture(scope="session")
def built_bundled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled Sukabumi site (content/ and site_config.yaml of the repository), built once."""
    dest = tmp_path_factory.mktemp("bundled") / "site"
    dest.mkdir()
    shutil.copytree(ROOT / "content", dest / "content")
    shutil.copy(ROOT / "site_config.yaml", dest / "site_config.yaml")
    result = run(dest)
    assert result.code == 0, result.err
    return dest / "output"


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, one per test module."""
    from chromium import launched

    with launched() as instance:
        yield instance


@pytest.fixture(scope="module")
def site(built_bundled: Path):
    """The bundled site served under its base path: the URL of its home page."""
    from webserver import serve

    with serve(built_bundled, "/mppsite/") as base:
        yield base
