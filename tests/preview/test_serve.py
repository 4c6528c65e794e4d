"""The live preview, run as staff run it: `python build.py serve` in a subprocess on a free port.

A page changes after an edit; broken YAML gives the error page naming file:line:col on every URL;
fixing the file brings the site back; one save is one rebuild and one browser reload; Ctrl-C
and a busy port end cleanly. `Watch` (the save detector) is also checked on its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import types
from pathlib import Path

import pytest
from conftest import ROOT, edit, soup  # noqa: F401  (soup parses pages)

from mppsite.core.project_files import skipped
from mppsite.preview.watch import Watch

CATALOG = "content/services/polres.yaml"
SKCK = "/mpp/layanan/skck/"
OLD_NAME = "Surat Keterangan Catatan Kepolisian (SKCK)"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Served:
    """`build.py serve` in a subprocess, with what it printed so far and a small HTTP client."""

    def __init__(self, project: Path, *args: str):
        self.port = free_port()
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "build.py"), "--project", str(project), "serve",
             "--port", str(self.port), *args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
        self.out: list[str] = []
        self.err: list[str] = []
        self.changed = threading.Condition()
        for stream, lines in ((self.process.stdout, self.out), (self.process.stderr, self.err)):
            threading.Thread(target=self._read, args=(stream, lines), daemon=True).start()

    def _read(self, stream, lines: list[str]) -> None:
        for line in stream:
            with self.changed:
                lines.append(line.rstrip("\n"))
                self.changed.notify_all()

    def wait_line(self, pattern: str, timeout: float = 90, after: int = 0) -> str:
        """The first stdout line from index `after` on that matches `pattern` (a regex)."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while True:
                for line in self.out[after:]:
                    if re.search(pattern, line):
                        return line
                left = deadline - time.monotonic()
                assert left > 0 and self.process.poll() is None, (
                    f"no line matching {pattern!r}; stdout={self.out} stderr={self.err}")
                self.changed.wait(min(left, 0.5))

    def get(self, path: str) -> tuple[int, dict[str, str], str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read().decode("utf-8")
        finally:
            connection.close()

    def get_until(self, path: str, check, timeout: float = 15) -> tuple[int, str]:
        """Poll `path` until `check(status, body)` holds (the rebuild follows a save by a moment)."""
        deadline = time.monotonic() + timeout
        while True:
            status, _, body = self.get(path)
            if check(status, body):
                return status, body
            assert time.monotonic() < deadline, f"{path} never matched; last status {status}: {body[:800]}"
            time.sleep(0.1)

    def stop(self, signum: int = signal.SIGINT) -> tuple[int, str, str]:
        self.process.send_signal(signum)
        code = self.process.wait(timeout=30)
        time.sleep(0.1)  # let the readers take the last lines
        return code, "\n".join(self.out), "\n".join(self.err)


@pytest.fixture
def served(project: Path):
    """The preview of a fresh copy of the fixture project, ready to answer, messages in English."""
    preview = Served(project, "--lang", "en")
    preview.wait_line(r"Press Ctrl-C to stop")
    yield preview
    if preview.process.poll() is None:
        preview.process.kill()
        preview.process.wait(timeout=30)


def h1(body: str) -> str:
    from bs4 import BeautifulSoup
    return BeautifulSoup(body, "html.parser").h1.get_text(" ", strip=True)


def problems_listed(body: str) -> list[str]:
    from bs4 import BeautifulSoup
    page = BeautifulSoup(body, "html.parser")
    return [item.get_text() for item in page.select("ol.problems li")]


def test_serves_the_site_under_the_base_path_with_the_reload_script(served: Served):
    assert f"Preview ready: open http://127.0.0.1:{served.port}/mpp/ in your browser." in served.out
    status, headers, body = served.get(SKCK)
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert h1(body) == OLD_NAME
    assert re.search(r'\+ *"/livereload\.js\?port=" *\+ *port', body), "livereload script not injected"
    assert body.index("livereload.js") < body.index("</head>")
    assert served.get("/livereload.js")[0] == 200
    for path in ("/", "/mpp"):
        status, headers, _ = served.get(path)
        assert (status, headers["Location"]) == (302, "/mpp/")
    status, _, body = served.get("/mpp/en/services/skck/")
    assert status == 200 and h1(body) == "Police clearance certificate (SKCK)"
    status, _, body = served.get("/mpp/layanan/no-such-service/")
    assert status == 404 and "livereload.js" in body
    assert served.get("/mpp/../site_config.yaml")[0] == 404
    assert served.get("/mpp/layanan/skck")[0] == 301


def test_an_edit_shows_on_the_page(served: Served, project: Path):
    edit(project, CATALOG, f"name: {{id: {OLD_NAME}", "name: {id: SKCK untuk melamar kerja")
    served.get_until(SKCK, lambda status, body: status == 200 and h1(body) == "SKCK untuk melamar kerja")
    line = served.wait_line(r"rebuilt in")
    assert re.fullmatch(r"content/services/polres\.yaml: rebuilt in \d+ ms \(\d+ pages\)", line), line


def test_the_preview_records_its_output_for_the_next_build(served: Served, project: Path):
    """A plain build after the preview's rebuilds finds nothing to do."""
    from mppsite.core import lock
    from mppsite.pipeline import build

    def save(old: str, new: str) -> None:
        before = len(served.out)
        edit(project, CATALOG, f"name: {{id: {old}", f"name: {{id: {new}")
        served.wait_line(r"rebuilt in", after=before)

    save(OLD_NAME, "SKCK baru")
    save("SKCK baru", OLD_NAME)
    with lock.held(project):  # as `python build.py` does: after any rebuild the preview still runs
        assert build(project).rendered == 0


FIRST = "    category: hukum\n    summary: {id: Surat"  # lines 10-11 of the catalog, first service


@pytest.mark.parametrize(("old", "new", "where", "words"), [
    pytest.param(FIRST, FIRST.replace("    summary", "     summary"), f"{CATALOG}:11:13: ",
                 "wrong indentation", id="indentation"),
    pytest.param(FIRST, FIRST.replace("category", "categori"), f"{CATALOG}:10:5: services[0]: ",
                 "unknown field 'categori' (did you mean 'category'?)", id="unknown-field"),
])
def test_broken_yaml_shows_the_error_page_until_fixed(served: Served, project: Path, old, new, where, words):
    edit(project, CATALOG, old, new)
    _, body = served.get_until(SKCK, lambda status, body: status == 500)
    listed = problems_listed(body)
    assert any(line.startswith(where) and words in line for line in listed), listed
    assert all(re.match(r"content/services/polres\.yaml:\d+:\d+: ", line) for line in listed), listed
    assert "Fix the file and save it; this page reloads by itself." in body
    assert "livereload.js" in body and '<html lang="en">' in body
    for other in ("/mpp/", "/mpp/en/", "/mpp/static/site.css", "/mpp/no-such-page/"):
        assert served.get(other)[2] == body, f"{other} does not show the error page"
    assert served.process.poll() is None
    assert any(line.startswith(where) for line in served.err)
    edit(project, CATALOG, new, old)
    served.get_until(SKCK, lambda status, body: status == 200 and h1(body) == OLD_NAME)


async def _reloads_after(served: Served, save, seconds: float) -> list[dict]:
    """Connect as the browser's livereload script does, run `save`, and collect the reload messages."""
    from tornado.websocket import websocket_connect

    socket_ = await websocket_connect(f"ws://127.0.0.1:{served.port}/livereload")
    hello = {"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]}
    await socket_.write_message(json.dumps(hello))
    await socket_.read_message()
    await socket_.write_message(json.dumps({"command": "info", "url": f"http://127.0.0.1:{served.port}{SKCK}"}))
    await socket_.write_message(json.dumps(hello))  # answered only after `info` is handled
    await socket_.read_message()
    save()
    messages = []
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        try:
            message = await asyncio.wait_for(socket_.read_message(), left)
        except TimeoutError:
            break
        messages.append(json.loads(message))
    socket_.close()
    return [message for message in messages if message.get("command") == "reload"]


def test_one_save_is_one_rebuild_and_one_reload(served: Served, project: Path):
    folder = project / "content" / "services"
    catalog = folder / "polres.yaml"
    fixed = catalog.read_text(encoding="utf-8").replace(OLD_NAME, "SKCK (disimpan sekali)")

    def save_like_an_editor() -> None:  # vim: probe file, swap file, backup, write; then saved again
        (folder / "4913").write_text("")
        (folder / "4913").unlink()
        (folder / ".polres.yaml.swp").write_bytes(b"\0swap")
        (folder / ".#polres.yaml").write_text("lock")
        catalog.rename(folder / "polres.yaml~")
        catalog.write_text(fixed, encoding="utf-8")
        (folder / "polres.yaml~").unlink()
        catalog.write_text(fixed, encoding="utf-8")
        (folder / ".#polres.yaml").unlink()

    before = len(served.out)
    reloads = asyncio.run(_reloads_after(served, save_like_an_editor, 4.0))
    assert len(reloads) == 1 and reloads[0]["path"] == "*", reloads
    assert len([line for line in served.out[before:] if "rebuilt in" in line]) == 1, served.out[before:]
    assert h1(served.get(SKCK)[2]) == "SKCK (disimpan sekali)"

    before = len(served.out)
    reloads = asyncio.run(_reloads_after(served, lambda: os.utime(catalog), 1.5))  # touched, not changed
    assert reloads == [] and served.out[before:] == []



def test_the_search_index_is_new_at_the_reload_and_the_site_equals_a_fresh_build(project: Path,
                                                                                 tmp_path: Path):
    from conftest import tree_digest

    from mppsite.pipeline import build

    edit(project, "site_config.yaml", "search: false", "search: true")
    preview = Served(project, "--lang", "en")
    try:
        preview.wait_line(r"Press Ctrl-C to stop")
        entry = project / "output" / "pagefind" / "pagefind-entry.json"
        first = entry.read_bytes()
        reloads = asyncio.run(_reloads_after(
            preview, lambda: edit(project, CATALOG, f"name: {{id: {OLD_NAME}", "name: {id: Zebrakuda"), 0.5))
        assert len(reloads) == 1
        assert h1(preview.get(SKCK)[2]) == "Zebrakuda"  # the page is new at the reload ...
        assert entry.read_bytes() != first  # ... and so is the index
        cold = tmp_path / "cold"
        shutil.copytree(project, cold, ignore=shutil.ignore_patterns("output", ".mppsite-cache", ".output-*"))
        build(cold)
        assert tree_digest(project / "output") == tree_digest(cold / "output")
    finally:
        preview.process.kill()
        preview.process.wait(timeout=30)


def test_indonesian_by_default_and_ctrl_c_stops_cleanly(project: Path):
    edit(project, CATALOG, FIRST, FIRST.replace("category", "categori"))
    preview = Served(project)
    try:
        preview.wait_line(r"Tekan Ctrl-C untuk berhenti")
        assert f"Pratinjau siap: buka http://127.0.0.1:{preview.port}/mpp/ di peramban." in preview.out
        status, _, body = preview.get(SKCK)
        assert status == 500 and '<html lang="id">' in body
        assert "<title>Situs belum dapat dibangun</title>" in body
        assert "Perbaiki berkasnya lalu simpan; halaman ini dimuat ulang dengan sendirinya." in body
        assert (f"{CATALOG}:10:5: services[0]: kolom 'categori' tidak dikenal (maksudnya 'category'?)"
                in problems_listed(body))
        code, out, err = preview.stop(signal.SIGINT)
    finally:
        if preview.process.poll() is None:
            preview.process.kill()
    assert code == 0, err
    assert out.splitlines()[-1] == "Pratinjau dihentikan."
    assert "Traceback" not in err and "Traceback" not in out


def _children(pid: int) -> list[int]:
    try:
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.parametrize("presses", [1, 2])
def test_ctrl_c_in_the_terminal_during_a_parallel_build(tmp_path: Path, presses: int):
    """The terminal sends Ctrl-C to every process of the group, render workers included. The
    first press stops the preview once the build is done, a second one stops the build too."""
    big = tmp_path / "big"
    subprocess.run([sys.executable, str(ROOT / "bench" / "gen.py"), "600", str(big)], check=True,
                   capture_output=True, timeout=120)
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "--project", str(big), "--lang", "en", "serve",
         "--port", str(free_port())], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while not _children(process.pid) and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)  # until the build forks its render workers
        forked = _children(process.pid)
        assert forked, "the build did not fork render workers: this test needs a bigger site"
        for _ in range(presses):
            os.killpg(process.pid, signal.SIGINT)
            time.sleep(0.2)
        out, err = process.communicate(timeout=60)
        time.sleep(0.5)
        left = [pid for pid in forked if _running(pid)]
    finally:
        with contextlib.suppress(ProcessLookupError):  # whatever is left of its process group
            os.killpg(process.pid, signal.SIGKILL)
    assert not left, "render workers left running"
    assert process.returncode == 0, err
    lines = out.splitlines()
    assert lines[-1] == "Preview stopped.", out
    assert "The preview stops once this build is done (press Ctrl-C again to stop now)." in lines
    if presses == 1:
        assert "Traceback" not in err, err
        assert [line for line in lines if line.startswith("Site built in output/ (1")], out  # finished
    assert not [path.name for path in big.iterdir() if path.name.startswith(".output-")]


def test_a_busy_port_is_a_plain_message(project: Path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, str(ROOT / "build.py"), "--project", str(project), "--lang", "en", "serve",
             "--port", str(port)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert result.stderr.startswith(f"Port {port} on 127.0.0.1 is already in use by another program")
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_a_broken_site_config_is_shown_then_the_site_returns_under_its_path(project: Path):
    config = project / "site_config.yaml"
    good = config.read_text(encoding="utf-8")
    config.write_text(good.replace("languages: [id, en]", "languages: [id, en"), encoding="utf-8")
    preview = Served(project, "--lang", "en")
    try:
        preview.wait_line(r"Press Ctrl-C to stop")
        assert f"Preview ready: open http://127.0.0.1:{preview.port}/ in your browser." in preview.out
        for path in ("/", SKCK):
            status, _, body = preview.get(path)
            assert status == 500
            assert [line for line in problems_listed(body) if line.startswith("site_config.yaml:")], body
        config.write_text(good, encoding="utf-8")
        preview.wait_line(rf"Preview ready: open http://127\.0\.0\.1:{preview.port}/mpp/ in your browser\.")
        preview.get_until(SKCK, lambda status, body: status == 200 and h1(body) == OLD_NAME)
        assert preview.get("/")[1]["Location"] == "/mpp/"
    finally:
        preview.process.kill()
        preview.process.wait(timeout=30)


def test_build_and_check_speak_the_default_language_first(project: Path, capsys):
    from mppsite.cli import main

    assert main(["--project", str(project), "check"]) == 0
    assert "Pemeriksaan selesai: konten siap dibangun." in capsys.readouterr().out
    assert main(["--project", str(project)]) == 0
    assert capsys.readouterr().out.startswith("Situs selesai dibangun di output/ (")
    assert main(["--project", str(project), "--lang", "en"]) == 0
    assert capsys.readouterr().out.startswith("Site built in output/ (")
    with pytest.raises(SystemExit) as exit_:
        main(["--project", str(project), "serve", "--port", "70000"])
    assert exit_.value.code == 2 and "'70000' is not a port number" in capsys.readouterr().err


# --- the save detector on its own, in this process ---

def test_editor_litter_is_not_content():
    for name in ("4913", ".polres.yaml.swp", ".polres.yaml.swx", "polres.yaml~", ".#polres.yaml",
                 "#polres.yaml#", "polres.yaml___jb_tmp___", ".goutputstream-ABC123", ".DS_Store",
                 "Thumbs.db", "desktop.ini", "formulir.pdf.bak", "polres.yaml.orig",
                 "formulir.pdf.crdownload"):
        assert skipped(name), name
    for name in ("polres.yaml", "ktp-el.md", "ktp-el.en.md", "formulir-skck.pdf", "site.css"):
        assert not skipped(name), name


def test_watch_reports_a_burst_once_after_it_settles(project: Path):
    watch = Watch(project, quiet=0.1)
    catalog = project / CATALOG
    assert watch.poll(now=1.0) is None
    catalog.write_text(catalog.read_text(encoding="utf-8") + "# one\n", encoding="utf-8")
    assert watch.poll(now=2.0) is None  # just moved: wait for the burst to end
    (project / "content" / "services" / ".polres.yaml.swp").write_text("swap")
    os.utime(catalog, ns=(1, 1))
    assert watch.poll(now=2.05) is None  # moved again
    assert watch.poll(now=2.1) is None  # still inside the quiet time
    assert watch.poll(now=2.2) == [CATALOG]
    assert watch.poll(now=3.0) is None

    text = catalog.read_text(encoding="utf-8")
    catalog.write_text(text, encoding="utf-8")  # saved again with the same bytes
    assert watch.poll(now=4.0) is None and watch.poll(now=4.5) is None

    new = project / "content" / "news" / "kabar.md"
    new.write_text("---\ntitle: Kabar\ndate: 2025-01-01\n---\nIsi.\n", encoding="utf-8")
    (project / "content" / "pages" / "tentang.md").unlink()
    (project / "site_config.yaml").write_text(
        (project / "site_config.yaml").read_text(encoding="utf-8") + "# note\n", encoding="utf-8")
    (project / "output").mkdir()
    (project / "output" / "index.html").write_text("not watched")
    assert watch.poll(now=5.0) is None
    assert watch.poll(now=5.5) == ["content/news/kabar.md", "content/pages/tentang.md", "site_config.yaml"]


def test_the_open_page_follows_every_save_in_chromium(served: Served, project: Path):
    """In a real browser, with no reload pressed: an edit shows, the error page comes, the site returns."""
    from playwright.sync_api import expect, sync_playwright
    from test_browser import ARGS, CHROMIUM

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page()
            page.add_init_script("document.addEventListener('LiveReloadConnect',"
                                 " () => { window.reloadReady = true; })")
            page.goto(f"http://127.0.0.1:{served.port}{SKCK}")
            page.wait_for_function("() => window.reloadReady === true")  # livereload.js's socket is open
            edit(project, CATALOG, f"name: {{id: {OLD_NAME}", "name: {id: SKCK dari peramban")
            expect(page.locator("h1")).to_have_text("SKCK dari peramban", timeout=15000)
            page.wait_for_function("() => window.reloadReady === true")
            edit(project, CATALOG, FIRST, FIRST.replace("category", "categori"))
            expect(page).to_have_title("The site cannot be built", timeout=15000)
            expect(page.locator("ol.problems")).to_contain_text(f"{CATALOG}:10:5: services[0]: unknown field")
            page.wait_for_function("() => window.reloadReady === true")
            edit(project, CATALOG, FIRST.replace("category", "categori"), FIRST)
            expect(page.locator("h1")).to_have_text("SKCK dari peramban", timeout=15000)
        finally:
            browser.close()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="inotify is Linux's")
def test_an_idle_watch_does_not_look_at_the_files(project: Path, monkeypatch):
    """While nothing is saved, a poll is one read of the inotify queue, not a walk over every file."""
    watch = Watch(project, quiet=0.0)
    assert watch.notifier is not None
    looks = []
    real = watch._scan
    monkeypatch.setattr(watch, "_scan", lambda: looks.append(1) or real())
    watch.notifier.pending()  # what creating the project left
    for _ in range(50):
        assert watch.poll() is None
    assert looks == []
    folder = project / "content" / "files" / "baru"
    folder.mkdir()
    assert watch.poll() is None  # a new folder: looked at, nothing to report yet, now watched
    (folder / "formulir.pdf").write_bytes(b"%PDF-1.4")
    deadline = time.monotonic() + 5
    while (changed := watch.poll()) is None:
        assert time.monotonic() < deadline, "a file in a new folder was not noticed"
        time.sleep(0.01)
    assert changed == ["content/files/baru/formulir.pdf"]


def _next_report(watch: Watch) -> list[str]:
    deadline = time.monotonic() + 5
    while (changed := watch.poll()) is None:
        assert time.monotonic() < deadline, "a saved file was not noticed"
        time.sleep(0.01)
    return changed


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="inotify is Linux's")
def test_a_folder_made_again_under_its_old_name_is_still_watched(project: Path):
    """Deleted and made again between two polls (a branch switched, a folder pasted over): inotify
    dropped the old folder's watch, so the new one is watched, and a file saved in it is noticed."""
    folder = project / "content" / "files" / "formulir"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a.pdf").write_bytes(b"%PDF-1.4 a")
    watch = Watch(project, quiet=0.0)
    watch.notifier.pending()
    shutil.rmtree(folder)
    folder.mkdir()
    (folder / "a.pdf").write_bytes(b"%PDF-1.4 a")
    assert watch.poll() is None and watch.poll() is None  # the same bytes again: nothing to report
    (folder / "b.pdf").write_bytes(b"%PDF-1.4 b")
    assert _next_report(watch) == ["content/files/formulir/b.pdf"]
    assert watch.sleeps


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="inotify is Linux's")
def test_past_the_systems_inotify_limit_the_watch_looks_on_every_poll(project: Path, monkeypatch):
    """A folder inotify refuses (fs.inotify.max_user_watches reached) would hide its saves from a
    watch that waits for inotify: the watch says it cannot sleep, and looks on every poll."""
    from mppsite.preview import watch as watch_module

    real_open = watch_module._Notifier.open

    def open_refusing(cls):
        notifier = real_open()
        notifier.libc = types.SimpleNamespace(inotify_add_watch=lambda fd, path, mask: -1)
        return notifier

    monkeypatch.setattr(watch_module._Notifier, "open", classmethod(open_refusing))
    watch = Watch(project, quiet=0.0)
    assert watch.notifier is not None and not watch.sleeps
    catalog = project / CATALOG
    catalog.write_text(catalog.read_text(encoding="utf-8") + "# saved\n", encoding="utf-8")
    assert _next_report(watch) == [CATALOG]


def test_head_and_odd_requests_get_answers_not_tracebacks(served):
    """HEAD gets the headers alone, a NUL in the path a 400, other methods a 405: never a traceback."""
    def ask(method: str, path: str) -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=60)
        try:
            connection.request(method, path)
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    status, headers, body = ask("HEAD", "/mpp/")
    assert (status, body) == (200, b"") and headers["Content-Type"].startswith("text/html")
    assert ask("GET", "/mpp/%00")[0] == 400
    assert ask("GET", "/mpp/..%2f..%2f..%2fetc/passwd")[0] == 404
    assert ask("POST", "/mpp/")[0] == 405
    assert ask("GET", "/mpp/")[0] == 200  # still serving
    code, _, err = served.stop()
    assert code == 0 and "Traceback" not in err, err
