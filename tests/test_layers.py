"""The pipeline's layout holds: each step imports only the steps below it, no module imports,
through others, one that imports it (pyproject.toml's import-linter contracts), and each module
and function stays a size a newcomer can read."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=project, capture_output=True, text=True,
                          timeout=120, env={"PYTHONPATH": str(project), "PATH": "/usr/bin:/bin"})


def test_the_package_keeps_its_contracts() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 3 kept, 0 broken." in result.stdout


def copy_of_the_package(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "mppsite", tmp_path / "mppsite", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    return tmp_path


def test_an_import_of_a_later_step_breaks_the_layers(tmp_path: Path) -> None:
    """Even inside a function: the model may not call the renderer."""
    project = copy_of_the_package(tmp_path)
    with (project / "mppsite" / "model" / "routes.py").open("a") as module:
        module.write("\n\ndef later():\n    from mppsite.render import templates\n    return templates\n")
    result = lint_imports(project)
    assert result.returncode == 1
    assert "The pipeline's steps import downwards only BROKEN" in result.stdout
    assert "mppsite.model.routes -> mppsite.render.templates" in result.stdout


def test_a_cycle_inside_one_step_is_found(tmp_path: Path) -> None:
    project = copy_of_the_package(tmp_path)
    with (project / "mppsite" / "core" / "problems.py").open("a") as module:
        module.write("\n\ndef later():\n    from mppsite.core import text_rules\n    return text_rules\n")
    result = lint_imports(project)
    assert result.returncode == 1
    assert "No cycle: within each step, modules import one way too BROKEN" in result.stdout


PACKAGE = ROOT / "mppsite"


def test_no_module_over_400_lines_and_no_function_over_60() -> None:
    """A size a newcomer can read (docs/architecture.md)."""
    long_modules, long_functions = [], []
    for path in sorted(PACKAGE.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        name = path.relative_to(ROOT).as_posix()
        if len(text.splitlines()) > 400:
            long_modules.append(name)
        for node in ast.walk(ast.parse(text)):
            function = isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            if function and node.end_lineno - node.lineno + 1 > 60:
                long_functions.append(f"{name}:{node.lineno} {node.name}")
    assert long_modules == []
    assert long_functions == []
