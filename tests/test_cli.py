"""The command line: commands, help, exit codes, message language."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import time

from conftest import ROOT, edit, run, run_cli, tree_digest

import mppsite.write.output


def test_help_explains_each_command():
    result = run_cli("--help")
    assert result.returncode == 0
    for command in ("build", "check", "serve", "schema"):
        assert command in result.stdout
    assert "Exit codes: 0 success, 1 content errors" in " ".join(result.stdout.split())
    serve_help = run_cli("serve", "--help")
    assert "--host" in serve_help.stdout and "--port" in serve_help.stdout
    assert "--strict" in run_cli("check", "--help").stdout
    for command, words in (("build", "previous site stays"), ("check", "Writes nothing"),
                           ("serve", "Ctrl-C stops it"), ("schema", "editors")):
        assert words in " ".join(run_cli(command, "--help").stdout.split()), command


def test_wrong_usage_exits_2():
    result = run_cli("bulid")
    assert result.returncode == 2
    assert "invalid choice" in result.stderr


def test_a_project_folder_that_does_not_exist_is_wrong_usage(tmp_path):
    result = run_cli("--project", str(tmp_path / "nowhere"), "check")
    assert result.returncode == 2
    assert f"--project: {tmp_path / 'nowhere'} is not a folder" in result.stderr


def test_a_disk_that_refuses_the_write_is_one_plain_line(project, monkeypatch):
    run(project)
    before = tree_digest(project / "output")
    edit(project, "content/services/polres.yaml", "untuk melamar kerja.", "untuk melamar kerja baru.")

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", "/disk/page.html")

    monkeypatch.setattr(mppsite.write.output.OutputWriter, "write", full)
    result = run(project)
    assert result.code == 1
    assert result.lines == ["The site could not be written: No space left on device (/disk/page.html). "
                            "The previous site in output/ is unchanged."]
    assert tree_digest(project / "output") == before


def test_build_writes_site_and_exits_0(project):
    result = run(project)
    assert result.code == 0, result.err
    assert (project / "output" / "index.html").is_file()
    assert (project / "output" / "en" / "services" / "skck" / "index.html").is_file()
    assert "Site built in output/" in result.out


def test_check_validates_without_writing(project):
    result = run(project, "check")
    assert result.code == 0, result.err
    assert not (project / "output").exists()
    assert "0 error(s)" in result.out


def test_check_reports_errors_with_exit_1(project):
    edit(project, "content/services/polres.yaml", "category: hukum", "category: hukm")
    result = run(project, "check")
    assert result.code == 1
    assert not (project / "output").exists()
    assert "did you mean 'hukum'?" in result.err


def test_messages_follow_the_default_language(project):
    edit(project, "content/services/polres.yaml", "    requirements:", "    requirement:")
    result = run(project, "check", lang="id")
    assert "kolom 'requirement' tidak dikenal (maksudnya 'requirements'?)" in result.err
    # Without --lang, the site's default language (id) is used.
    sub = run_cli("--project", str(project), "check")
    assert sub.returncode == 1
    assert "tidak dikenal" in sub.stderr


def test_build_from_another_folder_uses_the_project_of_build_py(tmp_path):
    result = run_cli("check", "--lang", "en", cwd=tmp_path)
    assert result.returncode == 0, result.stderr


def test_ctrl_c_during_build_leaves_the_previous_site_and_no_traceback(tmp_path):
    """A staff member pressing Ctrl-C mid-build: one plain line, exit 130, nothing half-written."""
    sys.path.insert(0, str(ROOT / "bench"))
    import gen  # the benchmark's generator: a site big enough to take a few seconds

    project = tmp_path / "big"
    catalogs, categories = gen.make_catalog(600, seed=3)
    gen.write_project(catalogs, categories, project, search=False)
    first = subprocess.run([sys.executable, str(ROOT / "build.py"), "--project", str(project)],
                           capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    before = tree_digest(project / "output")
    shutil.rmtree(project / ".mppsite-cache", ignore_errors=True)  # so every page renders again
    edited = project / "content" / "mpp.yaml"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n", encoding="utf-8")

    # As from a terminal: Ctrl-C not ignored, even when these tests run in the background (a shell
    # starts background commands with SIGINT ignored, and Python then leaves it ignored).
    process = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--project", str(project)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 120
    while not any(project.glob(".output-new-*/*/*/index.html")):
        assert process.poll() is None and time.monotonic() < deadline, "the build ended before Ctrl-C"
        time.sleep(0.01)
    running = process.poll() is None
    os.killpg(process.pid, signal.SIGINT)  # a terminal sends it to the whole group
    out, err = process.communicate(timeout=60)

    assert process.returncode == 130, f"running when signalled: {running}; stdout: {out!r}; stderr: {err!r}"
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert "Build dihentikan (Ctrl-C); situs sebelumnya di output/ tidak diubah." in err
    assert tree_digest(project / "output") == before
    assert not list(project.glob(".output-*"))


def test_editor_lock_and_hidden_files_are_not_content(project):
    """Emacs leaves `.#name.yaml` (a dangling link) while a catalog is open; it is not a catalog."""
    services = project / "content" / "services"
    (services / ".#polres.yaml").symlink_to("staff@pc.1234:1700000000")
    (services / ".draft.yaml").write_text("services: [oops\n", encoding="utf-8")
    (project / "content" / "news" / ".#berita.md").symlink_to("staff@pc.1234:1700000000")
    result = run(project, "check")
    assert result.code == 0, result.err
    assert ".#" not in result.out + result.err and ".draft" not in result.out + result.err
