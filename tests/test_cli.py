"""The command line: commands, help, exit codes, message language."""

from __future__ import annotations

from conftest import edit, run, run_cli


def test_help_explains_each_command():
    result = run_cli("--help")
    assert result.returncode == 0
    for command in ("build", "check", "serve", "schema"):
        assert command in result.stdout
    assert "Exit codes: 0 success, 1 content errors" in " ".join(result.stdout.split())
    serve_help = run_cli("serve", "--help")
    assert "--host" in serve_help.stdout and "--port" in serve_help.stdout
    assert "--strict" in run_cli("check", "--help").stdout


def test_wrong_usage_exits_2():
    result = run_cli("bulid")
    assert result.returncode == 2
    assert "invalid choice" in result.stderr


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
