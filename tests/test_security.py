"""What content and settings can never do, tried as an attacker or a careless editor would.

Each row of CASES changes a copy of the small fixture project (after a first good build), runs the
real command line in a process of its own (a hang would otherwise stop the suite), and checks its
exit code, its message and, for every refusal, that output/ is byte for byte what it was.
docs/security.md says the same in words.
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import MINI, ROOT, edit, soup, tree_digest

CACHE = ".mppsite-cache"
SECONDS = 30  # a command on the small project; about 1 s each here, the slowest Markdown 3 s
MARKER = "pwned-by-cache"


@dataclass
class Case:
    name: str
    setup: Callable[[Path, Path], None]  # (project, a folder outside it)
    code: int = 1  # what `check` and `build` exit with
    says: str = ""  # part of what they print (in English)
    refused: bool = True  # output/ must stay as it was
    after: Callable[[Path, Path, str], None] | None = None  # more checks: (project, outside, output)
    commands: tuple[str, ...] = ("check", "build")
    extra: dict = field(default_factory=dict)


def cli(project: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "--project", str(project),
                           "--lang", "en", *args], capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL)


def write(path: Path, text: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")


def link(path: Path, target: str | Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() or path.is_symlink():
        shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()
    path.symlink_to(target)


def setting(project: Path, name: str, value: str) -> None:
    path = project / "site_config.yaml"
    lines = [line for line in path.read_text(encoding="utf-8").splitlines()
             if not line.startswith(name + ":")]
    path.write_text("\n".join([*lines, f"{name}: {value}"]) + "\n", encoding="utf-8")


def nothing_outside(project: Path, outside: Path, output: str) -> None:
    assert not (project / "output" / "files" / "secret.txt").exists()
    pages = (project / "output").rglob("*.html")
    assert "TOP SECRET" not in "".join(page.read_text(errors="ignore") for page in pages)


class Evil:
    """A pickle that leaves a marker file when unpickled: what a crafted cache file would do."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def plant_caches(project: Path, outside: Path) -> None:
    """Every cache file the last build kept, replaced by code that would run when read."""
    evil = pickle.dumps(Evil(outside / MARKER))
    found = [path for path in (project / CACHE).rglob("*") if path.is_file() and path.name != ".gitignore"]
    assert len(found) >= 4, found  # pages.marshal, two catalogs, fragments
    for path in found:
        path.write_bytes(evil)
    write(project / CACHE / "templates" / "0123456789abcdef-x.cache", evil)


def no_marker(project: Path, outside: Path, output: str) -> None:
    assert not (outside / MARKER).exists(), "a cache file was unpickled as found"


def cache_links_gone(project: Path, outside: Path, output: str) -> None:
    assert (outside / "keep.txt").read_text() == "mine"  # the link's target is untouched
    assert not any(path.is_symlink() for path in (project / CACHE).rglob("*"))


def attachments_published(project: Path, outside: Path, output: str) -> None:
    files = project / "output" / "files"
    assert not (files / "evil.html").exists() and not (files / "evil.svg").exists()
    assert not (files / ".hidden.pdf").exists() and not (files / ".dir" / "a.pdf").exists()


def no_writes_outside(project: Path, outside: Path, output: str) -> None:
    assert not list(outside.rglob("index.html")), "the search step wrote outside the project"


def folders_kept(project: Path, outside: Path, output: str) -> None:
    assert (project / ".venv-new-keep" / "notes.txt").read_text() == "keep me"
    assert (project / ".config-old-notes" / "x.txt").read_text() == "keep me too"


def form_link_encoded(project: Path, outside: Path, output: str) -> None:
    page = soup(project / "output" / "layanan" / "skck" / "index.html")
    hrefs = [a["href"] for a in page.find_all("a") if "formulir" in a["href"]]
    assert hrefs == ["/mpp/files/formulir-skck%231.pdf"], hrefs
    assert (project / "output" / "files" / "formulir-skck#1.pdf").is_file()


def json_ld_intact(project: Path, outside: Path, output: str) -> None:
    page = soup(project / "output" / "layanan" / "skck" / "index.html")
    data = [json.loads(tag.string) for tag in page.find_all("script", type="application/ld+json")]
    service = next(item for item in data if item.get("@type") == "GovernmentService")
    assert service["description"] == 'Summary with "\\u00000" and \\0 in it.'
    assert service["provider"]["@type"] == "GovernmentOrganization"
    assert service["availableChannel"][0]["serviceLocation"]["@type"] == "GovernmentOffice"


def rename_catalog(name: str) -> Callable[[Path, Path], None]:
    def setup(project: Path, outside: Path) -> None:
        (project / "content/services/polres.yaml").rename(project / "content/services" / name)
    return setup


def fifo(rel: str) -> Callable[[Path, Path], None]:
    def setup(project: Path, outside: Path) -> None:
        (project / rel).unlink(missing_ok=True)
        os.mkfifo(project / rel)
    return setup


def forms_file(name: str) -> Callable[[Path, Path], None]:
    def setup(project: Path, outside: Path) -> None:
        (project / "content/files/formulir-skck.pdf").rename(project / "content/files" / name)
        edit(project, POLRES, "file: files/formulir-skck.pdf", f'file: "files/{name}"')
    return setup


def page_body(body: str) -> Callable[[Path, Path], None]:
    """content/pages/tentang.md with this body (its first line is line 4)."""
    def setup(project: Path, outside: Path) -> None:
        path = project / "content/pages/tentang.md"
        front = path.read_text(encoding="utf-8").split("---\n")[1]
        path.write_text(f"---\n{front}---\n{body}\n", encoding="utf-8")
    return setup


def svg(body: str) -> str:
    return f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">{body}</svg>'


POLRES = "content/services/polres.yaml"
SUMMARY = "Surat keterangan catatan kepolisian untuk melamar kerja."


def polres(old: str, new: str) -> Callable[[Path, Path], None]:
    return lambda project, outside: edit(project, POLRES, old, new)


def both(*steps: Callable[[Path, Path], object]) -> Callable[[Path, Path], None]:
    def setup(project: Path, outside: Path) -> None:
        for step in steps:
            step(project, outside)
    return setup


def published(rel: str) -> Callable[[Path, Path, str], None]:
    def after(project: Path, outside: Path, output: str) -> None:
        assert (project / "output" / rel).is_file(), f"{rel} not published"
    return after


LINKED = "this is a link (symlink) to"
INVISIBLE = "there is an invisible character here that is not allowed"
CLEAN_SVG = svg('<rect width="5" height="5"/>')
COMMANDS_IN_A_NAME = "x\n::error file=site_config.yaml,line=1::PWNED\n::add-mask::Situs\n.yaml"

CASES = [
    # 1. Links (symlinks) that lead out of the project, or to what is no file.
    Case("files folder linked outside", lambda p, o: link(p / "content/files", o),
         says=f"content/files: {LINKED}", after=nothing_outside),
    Case("pages folder linked outside", lambda p, o: link(p / "content/pages", o),
         says=f"content/pages: {LINKED}", after=nothing_outside),
    Case("document linked to a file outside",
         lambda p, o: link(p / "content/pages/rahasia.md", o / "secret.md"),
         says=f"content/pages/rahasia.md: {LINKED}", after=nothing_outside),
    Case("catalog linked to /dev/zero", lambda p, o: link(p / "content/services/zero.yaml", "/dev/zero"),
         says=f"content/services/zero.yaml: {LINKED} '/dev/zero'"),
    Case("catalog linked into .git",
         both(lambda p, o: write(p / ".git/config", "x: 1\n"),
              lambda p, o: link(p / "content/services/g.yaml", p / ".git/config")),
         says="outside content/ and templates/"),
    Case("template linked outside", lambda p, o: link(p / "templates/static/secret.txt", o / "secret.txt"),
         says=f"templates/static/secret.txt: {LINKED}", after=nothing_outside),
    Case("settings linked outside", lambda p, o: link(p / "site_config.yaml", o / "site_config.yaml"),
         says=f"site_config.yaml: {LINKED}"),
    Case("link loop in files", lambda p, o: link(p / "content/files/loop", "loop"),
         says="content/files/loop: this link (symlink) goes round in a loop"),
    Case("two links in a loop", both(lambda p, o: link(p / "content/files/a", "b"),
                                     lambda p, o: link(p / "content/files/b", "a")),
         says="goes round in a loop"),
    Case("catalog is a pipe", fifo("content/services/pipa.yaml"),
         says="content/services/pipa.yaml: this is not a plain file"),
    Case("document is a pipe", fifo("content/news/pipa.md"), says="this is not a plain file"),
    Case("link inside content is fine", lambda p, o: link(p / "content/files/copy.pdf", "formulir-skck.pdf"),
         code=0, refused=False, after=published("files/copy.pdf")),
    # 2. base_url and output_dir that would lead writes elsewhere.
    Case("base_url climbs out",
         both(lambda p, o: setting(p, "base_url", f'"https://x.org{"/.." * 12}{o}/p/"'),
              lambda p, o: setting(p, "search", "true")),
         says="the path of base_url", after=no_writes_outside),
    Case("base_url with a dot segment", lambda p, o: setting(p, "base_url", '"https://example.com/a/./b/"'),
         says="the path of base_url"),
    Case("base_url with an encoded dot", lambda p, o: setting(p, "base_url", '"https://x.org/%2e%2e/x/"'),
         says="the path of base_url"),
    Case("base_url with an empty segment", lambda p, o: setting(p, "base_url", '"https://example.com/a//b/"'),
         says="the path of base_url"),
    Case("base_url without a scheme", lambda p, o: setting(p, "base_url", '"example.com/mpp/"'),
         says="'example.com/mpp/' is not a valid web address"),
    Case("output_dir a glob", both(lambda p, o: write(p / ".venv-new-keep/notes.txt", "keep me"),
                                   lambda p, o: write(p / ".config-old-notes/x.txt", "keep me too"),
                                   lambda p, o: setting(p, "output_dir", '"*"')),
         says="output_dir '*' is refused", after=folders_kept),
    Case("output_dir with a double star", lambda p, o: setting(p, "output_dir", '"a**b"'),
         says="output_dir 'a**b' is refused"),
    Case("output_dir with a NUL", lambda p, o: setting(p, "output_dir", '"out\\0put"'),
         says=f"site_config.yaml:4:13: output_dir: {INVISIBLE} (U+0000)"),
    Case("output_dir climbing", lambda p, o: setting(p, "output_dir", '"x/../../out"'), says="is refused"),
    # 3. Caches: data this user's builds wrote, never code.
    Case("crafted cache files", plant_caches, code=0, refused=False, after=no_marker),
    Case("links in the cache", both(lambda p, o: write(o / "keep.txt", "mine"),
                                    lambda p, o: shutil.rmtree(p / CACHE / "catalogs"),
                                    lambda p, o: link(p / CACHE / "catalogs", o)),
         code=0, refused=False, after=cache_links_gone),
    # 4. Attachments are documents, not pages.
    Case("html attachment", lambda p, o: write(p / "content/files/evil.html", "<script>alert(1)</script>"),
         says="content/files/evil.html: .html files cannot be attached", after=attachments_published),
    Case("svg with a script", lambda p, o: write(p / "content/files/evil.svg", svg("<script>x()</script>")),
         says="content/files/evil.svg: the SVG drawing 'evil.svg' contains the element <script>"),
    Case("svg with onload",
         lambda p, o: write(p / "content/files/evil.svg", svg("").replace("<svg ", '<svg onload="x()" ')),
         says="has the attribute 'onload'"),
    Case("pdf that is a web page", lambda p, o: write(p / "content/files/page.pdf", "<html><script>x()"),
         says="are not a real .pdf file"),
    Case("hidden files are not published",
         both(lambda p, o: write(p / "content/files/.hidden.pdf", b"%PDF-1"),
              lambda p, o: write(p / "content/files/.dir/a.pdf", b"%PDF-1")),
         code=0, refused=False, after=attachments_published),
    Case("clean svg is published", lambda p, o: write(p / "content/files/peta.svg", CLEAN_SVG),
         code=0, refused=False, after=published("files/peta.svg")),
    # 6. Markdown: a bounded render, and limits that check enforces (markdown_limits.py).
    Case("32 KB of '[a](' in one paragraph", page_body("[a](" * 8_000),
         says="content/pages/tentang.md:4:1: this paragraph, table or list is too long without an empty"),
    Case("200 KB of '[a]('", page_body("[a](" * 50_000),
         says="content/pages/tentang.md:4:1: this text is too long (200001 characters; at most 100000)"),
    Case("100,000 '<a'", page_body("<a" * 100_000), says="this text is too long"),
    Case("50,000 '['", page_body("[" * 50_000), says="this paragraph, table or list is too long"),
    Case("100,000 nested <div>", page_body("<div>" * 100_000), says="this text is too long"),
    Case("nested <div> within the size limit", page_body("<div>" * 19_000),
         says="HTML tags are nested too deeply"),
    Case("lists nested 4,000 deep", page_body("+ " * 4_000), says="lists or quotes are nested too deeply"),
    Case("95 KB of '[' in paragraphs renders", page_body("\n\n".join(["[" * 15_000] * 6)),
         code=0, refused=False, after=published("tentang/index.html")),
    Case("95 KB of '[a](' in paragraphs renders", page_body("\n\n".join(["[a](" * 3_750] * 6)),
         code=0, refused=False, after=published("tentang/index.html")),
    Case("notes over the limit", polres('notes: {id: "Lihat', 'notes: {id: "' + "x" * 10_001 + ' Lihat'),
         says="services[0].notes.id: this text is too long (10040 characters; at most 10000)"),
    Case("http link warned", page_body("Lihat [situs](http://example.com/)."), code=0, refused=False,
         says="tentang.md:4:15: warning (fix before merging): the link 'http://example.com/' uses"),
    Case("http link fails the pull-request check", page_body("Lihat [situs](http://example.com/)."),
         commands=("check --strict=security",), says="warning(s) must be fixed before merging"),
    Case("image from another site warned",
         polres('notes: {id: "Lihat', 'notes: {id: "![a](https://t.co/p.gif) Lihat'), code=0, refused=False,
         says="27:17: warning (fix before merging): services[0].notes.id: the image 'https://t.co/p.gif' is"),
    # 7. Names that would be read as GitHub workflow commands.
    Case("file name with workflow commands", rename_catalog(COMMANDS_IN_A_NAME),
         says="the name of this file holds an invisible character (U+000A)", extra={"github": True}),
    # 9. Text is clean.
    Case("NUL written as an escape", polres(SUMMARY, '"\\x001 Surat keterangan catatan kepolisian."'),
         says=f"{POLRES}:11:19: services[0].summary.id: {INVISIBLE} (U+0000)"),
    Case("right-to-left override in a name", polres("Kepolisian Resor Kota", "Kepolisian \u202eResor Kota"),
         says="(U+202E RIGHT-TO-LEFT OVERRIDE)"),
    Case("escape character in Markdown",
         lambda p, o: edit(p, "content/pages/tentang.md", "MPP adalah", "MPP \x1b[31m adalah"),
         says=f"content/pages/tentang.md:4:5: {INVISIBLE} (U+001B)"),
    Case("lone surrogate", polres(SUMMARY, '"\\ud800 Surat keterangan catatan kepolisian."'),
         says=f"{POLRES}:11:22: this escape (a code after a backslash"),
    Case("JSON-LD of text that looks like a stand-in",
         polres(SUMMARY, "'Summary with \"\\u00000\" and \\0 in it.'"),
         code=0, refused=False, after=json_ld_intact),
    # 10. Plain messages, never a traceback or a hang.
    Case("integer of 5,000 digits", polres("fee: {amount: 30000}", "fee: {amount: " + "9" * 5000 + "}"),
         says=f"{POLRES}:19:19: this number is far too long"),
    Case("date with a time", polres("reviewed_on: 2025-01-10", "reviewed_on: 2025-01-10 09:30:00"),
         says="expected a date, got a date with a time (write the date alone, such as 2025-01-31)"),
    # 12. Smaller points.
    Case("form file with #", forms_file("formulir-skck#1.pdf"), code=0, refused=False,
         after=form_link_encoded),
]


@pytest.fixture(scope="module")
def first_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture project after one good build (output/ and the caches in place)."""
    project = tmp_path_factory.mktemp("secure") / "site"
    shutil.copytree(MINI, project, ignore=shutil.ignore_patterns("output", CACHE))
    result = cli(project)
    assert result.returncode == 0, result.stderr
    return project


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_content_cannot_reach_outside_the_project(case: Case, first_build: Path, tmp_path: Path) -> None:
    project, outside = tmp_path / "site", tmp_path / "outside"
    shutil.copytree(first_build, project, symlinks=True)
    write(outside / "secret.txt", "TOP SECRET")
    write(outside / "secret.md", "---\ntitle: Rahasia\n---\nTOP SECRET\n")
    write(outside / "site_config.yaml", (project / "site_config.yaml").read_text(encoding="utf-8"))
    before = tree_digest(project / "output")
    case.setup(project, outside)
    env = dict(os.environ, GITHUB_ACTIONS="true") if case.extra.get("github") else None
    for command in case.commands:
        started = time.monotonic()
        result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--project", str(project),
                                 "--lang", "en", *command.split()], capture_output=True, text=True,
                                timeout=120, env=env, stdin=subprocess.DEVNULL)
        assert time.monotonic() - started < SECONDS, f"{command} took {time.monotonic() - started:.1f} s"
        said = result.stdout + result.stderr
        assert result.returncode == case.code, f"{command}: {said}"
        assert "Traceback" not in said, said
        if case.code or command.startswith("check"):  # (a build names its warnings' number only)
            assert case.says in said, f"{command}: {said}"
        for line in said.splitlines():  # nothing but the build's own annotations starts a line with "::"
            assert not line.startswith("::") or line.startswith(("::error file=content/",
                                                                  "::warning file=content/"))
        if case.refused:
            assert tree_digest(project / "output") == before, f"{command} changed output/"
        if case.after is not None and command == case.commands[-1]:
            case.after(project, outside, said)
    assert not list(project.glob(".output*")), "a temporary folder was left behind"


def test_two_builds_at_once_publish_one_whole_site(first_build: Path, tmp_path: Path) -> None:
    """Started together, one waits for the other (lock.py); each leaves a whole site."""
    project = tmp_path / "site"
    shutil.copytree(first_build, project, symlinks=True)
    shutil.rmtree(project / CACHE)  # so each renders every page: long enough to overlap
    expected = tree_digest(project / "output")
    for _ in range(3):
        processes = [subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--project", str(project),
                                       "--lang", "en"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                      text=True, stdin=subprocess.DEVNULL) for _ in range(2)]
        results = [(process.wait(timeout=120), *process.communicate()) for process in processes]
        assert [code for code, _, _ in results] == [0, 0], results
        assert tree_digest(project / "output") == expected
        assert not list(project.glob(".output-*"))


def test_a_second_build_waits_and_says_so(first_build: Path, tmp_path: Path) -> None:
    from mppsite.core import lock

    project = tmp_path / "site"
    shutil.copytree(first_build, project, symlinks=True)
    before = tree_digest(project / "output")
    assert lock.acquire(project)
    try:
        process = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--project", str(project),
                                    "--lang", "en"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   text=True, stdin=subprocess.DEVNULL)
        time.sleep(3)
        assert process.poll() is None, process.communicate()
        assert tree_digest(project / "output") == before
    finally:
        lock.release(project)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    assert "Another build of this project is running; waiting for it to finish" in err


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_a_signal_stops_the_build_and_leaves_nothing_behind(signum: int, tmp_path: Path) -> None:
    """Sent to the build's process alone (a CI job cancelled, a terminal closed): its workers end,
    its temporary folders go, Pagefind's scratch folder too, and the last site stays."""
    sys.path.insert(0, str(ROOT / "bench"))
    import gen

    project = tmp_path / "big"
    catalogs, categories = gen.make_catalog(600, seed=5)
    gen.write_project(catalogs, categories, project, search=True)
    first = cli(project, timeout=300)
    assert first.returncode == 0, first.stderr
    before = tree_digest(project / "output")
    shutil.rmtree(project / CACHE)  # so every page renders again
    scratch_before = set(Path("/dev/shm").glob("mppsite-search-*")) if Path("/dev/shm").is_dir() else set()
    process = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--project", str(project),
                                "--lang", "en"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               stdin=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 120
    while not any(project.glob(".output-new-*/*/*/index.html")):
        assert process.poll() is None and time.monotonic() < deadline, "the build ended before the signal"
        time.sleep(0.01)
    process.send_signal(signum)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 128 + signum, err
    assert f"Build stopped ({signal.Signals(signum).name}); the previous site in output/ is unchanged." in err
    assert "Traceback" not in err
    time.sleep(0.5)
    with pytest.raises(ProcessLookupError):  # no worker of the build is left in its session
        os.killpg(process.pid, 0)
    assert not list(project.glob(".output-*"))
    assert tree_digest(project / "output") == before
    if Path("/dev/shm").is_dir():
        assert set(Path("/dev/shm").glob("mppsite-search-*")) <= scratch_before


def test_a_very_long_word_does_not_widen_the_page(first_build: Path, tmp_path: Path, browser) -> None:
    """5,000 letters without a space (pasted by mistake) wrap at 390 px instead of making the page
    154,440 px wide."""
    from webserver import serve

    project = tmp_path / "site"
    shutil.copytree(first_build, project, symlinks=True)
    edit(project, POLRES, SUMMARY, "A" * 5000)
    result = cli(project)
    assert result.returncode == 0, result.stderr
    with serve(project / "output", "/mpp/") as base:
        page = browser.new_page(viewport={"width": 390, "height": 800})
        try:
            for path in ("layanan/skck/", "en/services/skck/", "layanan/"):
                page.goto(base + path)
                assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
        finally:
            page.close()
