"""`python build.py fmt [--check]` as staff and CI run it: what it lists, writes, refuses and
says, in Indonesian and English."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from conftest import ROOT, edit, run, run_cli, tree_digest

CATALOG = "content/services/polres.yaml"


def test_check_lists_the_files_it_would_change_writes_nothing_and_fails(project: Path) -> None:
    before = tree_digest(project)
    result = run(project, "fmt", "--check")
    assert result.code == 1
    assert CATALOG in result.out.splitlines()
    assert all((project / rel).is_file() for rel in result.out.splitlines())
    assert "file(s) above are not in the canonical form; run 'python build.py fmt'" in result.err
    assert tree_digest(project) == before


def test_fmt_writes_the_files_and_then_check_passes(project: Path) -> None:
    listed = run(project, "fmt", "--check").out.splitlines()
    mode = 0o640
    os.chmod(project / CATALOG, mode)
    result = run(project, "fmt", lang="id")
    assert result.code == 0, result.err
    assert result.out.splitlines() == listed
    assert f"fmt selesai: {len(listed)} berkas ditulis ulang dalam bentuk baku." in result.err
    assert stat.S_IMODE(os.stat(project / CATALOG).st_mode) == mode
    again = run(project, "fmt", "--check", lang="id")
    assert (again.code, again.out) == (0, "")
    assert "Semua berkas konten sudah dalam bentuk baku." in again.err


def test_a_file_that_does_not_parse_is_reported_as_check_does_and_left_untouched(project: Path) -> None:
    edit(project, CATALOG, "  id: polres\n", "  id: polres\n  id: polres-lagi\n")
    broken = (project / CATALOG).read_bytes()
    checked = run(project, "check")
    line = next(line for line in checked.lines if line.startswith(CATALOG))
    result = run(project, "fmt")
    assert result.code == 1
    assert line in result.lines  # the same file:line:column and words
    assert "1 file(s) could not be read and were left as they were" in result.err
    assert (project / CATALOG).read_bytes() == broken
    assert "content/services/disdukcapil.yaml" in result.out.splitlines()  # the others are formatted
    assert run(project, "fmt", "--check").code == 1


def test_a_link_is_never_written_through(project: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_bytes((project / CATALOG).read_bytes())
    (project / CATALOG).unlink()
    (project / CATALOG).symlink_to(outside)
    before = outside.read_bytes()
    result = run(project, "fmt")
    assert outside.read_bytes() == before
    assert (project / CATALOG).is_symlink()
    assert f"{CATALOG}: this file is a link (symlink); fmt does not write through links" in result.err


def test_a_link_inside_content_is_not_written_through_either(project: Path) -> None:
    real = project / "content" / "services" / "polres-asli.yaml.txt"
    (project / CATALOG).rename(real)
    (project / CATALOG).symlink_to(real.name)
    before = real.read_bytes()
    run(project, "fmt")
    assert real.read_bytes() == before and (project / CATALOG).is_symlink()


def test_the_command_line_names_fmt_in_its_help() -> None:
    result = run_cli("fmt", "--help")
    assert result.returncode == 0
    assert "--check" in result.stdout and "canonical form" in result.stdout


def test_an_error_in_a_markdown_body_leaves_the_front_matter_to_format(project: Path) -> None:
    """The body is check's business (and kept byte for byte); the front matter is still tidied."""
    page = project / "content" / "pages" / "tentang.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nBunyi \x1b aneh.\n", encoding="utf-8")
    assert any(line.startswith("content/pages/tentang.md:") for line in run(project, "check").lines)
    result = run(project, "fmt")
    assert "content/pages/tentang.md" in result.out.splitlines()
    assert page.read_text(encoding="utf-8").endswith("\nBunyi \x1b aneh.\n")


def test_a_result_the_loader_cannot_read_is_reported_and_not_written(project: Path) -> None:
    """The safety net under the formatter: what it would write is read back first."""
    from mppsite.core.problems import Problems
    from mppsite.load.source import load_yaml
    from mppsite.tidy.files import reads_back

    path = project / CATALOG
    source = load_yaml(path, project, Problems())
    problems = Problems()
    assert reads_back(source, path.read_text(encoding="utf-8"), problems)
    assert not reads_back(source, "tenant: {id: polres\n", problems)
    [problem] = problems.items
    assert problem.file == CATALOG
    assert problem.message("en").startswith(
        "fmt could not write this file in the canonical form (the YAML cannot be read: ")
    assert "laporkan ini kepada pengelola situs" in problem.message("id")


def test_a_file_that_cannot_be_written_is_reported_and_left_as_it_was(project: Path) -> None:
    """A disk that refuses (here: a file size limit of 100 bytes, as a full disk would) leaves
    each file as it was, and says which."""
    import resource
    import signal
    import subprocess
    import sys

    def small_files() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails, not the process
        resource.setrlimit(resource.RLIMIT_FSIZE, (100, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))

    before = tree_digest(project / "content")
    command = [sys.executable, str(ROOT / "build.py"), "--project", str(project), "--lang", "en", "fmt"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, preexec_fn=small_files,
                            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    assert result.returncode == 1
    refused = "this file could not be written (File too large); it is left as it was"
    assert f"{CATALOG}: {refused}" in result.stderr
    after = tree_digest(project / "content")
    for line in result.stderr.splitlines():
        if line.endswith(refused):  # (the few files under 100 bytes were written)
            rel = line.split(":")[0].removeprefix("content/")
            assert after[rel] == before[rel], rel
    assert set(after) == set(before)  # no temporary file left behind
