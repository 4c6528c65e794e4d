"""The form editor end to end, offline: /admin/ of a built copy of the project, Sveltia CMS served
from the npm package where the page asks the CDN for it, its local-repository mode on a folder
the test fills (the browser's private file system, given when Sveltia asks for a folder), a
catalog edited in the form and saved, the files written back into the copy and checked."""

from __future__ import annotations

import base64
import datetime
import difflib
import hashlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from chromium import launched
from conftest import ROOT
from playwright.sync_api import expect
from webserver import serve

from mppsite.check import cms_config

MODULES = ROOT / "tests" / "cms" / "node_modules"
SCRIPT = MODULES / "@sveltia" / "cms" / cms_config.SVELTIA_FILE
# What Sveltia fetches besides its script, served from the npm packages of the same fonts.
FONTS = {
    "https://cdn.jsdelivr.net/fontsource/fonts/source-sans-3:vf@5.3.0/latin-wght-normal.woff2":
        MODULES / "@fontsource-variable/source-sans-3/files/source-sans-3-latin-wght-normal.woff2",
    "https://cdn.jsdelivr.net/fontsource/fonts/material-symbols-outlined:vf@5.3.7/latin-wght-normal.woff2":
        MODULES / "@fontsource-variable/material-symbols-outlined/files/"
                  "material-symbols-outlined-latin-wght-normal.woff2",
}
# Asked for and refused (never leaving the machine): the newest version's number, GitHub's status.
REFUSED = {"https://unpkg.com/@sveltia/cms/package.json", "https://www.githubstatus.com/api/v2/status.json"}
TENANT = "dinsos"  # a bundled catalog, as the repository holds it (in fmt's canonical form)
CATALOG_FILE = f"content/services/{TENANT}.yaml"
SUMMARY_EN = ("      en: Low-income residents who are not yet listed can ask to be considered for the data "
              "used to target social assistance. Since 2025 this data is part of the National Single "
              "Socio-Economic Data (DTSEN).\n")
NEW_SERVICE = """\
  - id: surat-keterangan-uji
    name:
      id: Surat Keterangan Uji
    category: kesehatan-jaminan-sosial
    summary:
      id: Surat keterangan untuk menguji penyunting formulir.
    requirements:
      - text:
          id: KTP-el asli
    procedure:
      - id: Ambil nomor antrean.
    duration:
      value: 2
      unit: working_days
    fee:
      amount: 0
    product:
      id: Surat keterangan
    legal_basis:
      - Peraturan Wali Kota Nomor 1 Tahun 2024
    counter: '22'
    reviewed_on: 2026-12-01
"""
FILL = """async (files) => {
  const root = await navigator.storage.getDirectory();
  const project = await root.getDirectoryHandle('project', {create: true});
  await project.getDirectoryHandle('.git', {create: true});
  for (const [path, text] of Object.entries(files)) {
    const parts = path.split('/');
    let folder = project;
    for (const part of parts.slice(0, -1)) folder = await folder.getDirectoryHandle(part, {create: true});
    const writable = await (await folder.getFileHandle(parts.at(-1), {create: true})).createWritable();
    await writable.write(text);
    await writable.close();
  }
}"""
READ = """async () => {
  const found = {};
  const walk = async (folder, prefix) => {
    for await (const [name, handle] of folder.entries()) {
      if (handle.kind === 'directory') await walk(handle, prefix + name + '/');
      else found[prefix + name] = await (await handle.getFile()).text();
    }
  };
  await walk(await (await navigator.storage.getDirectory()).getDirectoryHandle('project'), '');
  return found;
}"""
PICKER = ("window.showDirectoryPicker = async () => "
          "(await navigator.storage.getDirectory()).getDirectoryHandle('project');")


@pytest.fixture(autouse=True)
def _installed():
    """The npm packages are test tools like Chromium: missing is a failure that says what to run."""
    if not SCRIPT.exists():
        pytest.fail("tests/cms/node_modules is missing: `make test` installs it (npm ci in tests/cms)")


def test_the_pinned_digest_is_the_npm_files():
    """The SRI digest /admin/ pins is the one of the file the tests serve (npm ci installed it)."""
    digest = base64.b64encode(hashlib.sha384(SCRIPT.read_bytes()).digest()).decode()
    assert f"sha384-{digest}" == cms_config.SVELTIA_INTEGRITY


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A copy of the project (its tracked files), built, with the English of the first summary of
    one catalog taken out (the form adds it back)."""
    copy = tmp_path_factory.mktemp("cms") / "project"
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for rel in filter(None, listed.decode().split("\0")):
        if (ROOT / rel).is_file() and not rel.startswith("tests/"):
            (copy / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / rel, copy / rel)
    catalog = (ROOT / CATALOG_FILE).read_text(encoding="utf-8")
    assert catalog.count(SUMMARY_EN) == 1
    (copy / CATALOG_FILE).write_text(catalog.replace(SUMMARY_EN, ""), encoding="utf-8")
    subprocess.run([sys.executable, "build.py"], cwd=copy, check=True, capture_output=True)
    return copy


class Editor:
    """Chromium on /admin/ with every request outside this machine refused and listed."""

    def __init__(self, browser, url: str, content: dict[str, str]):
        self.refused: list[str] = []
        self.context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
        self.context.route("**/*", self._route)
        self.context.add_init_script(PICKER)
        self.page = self.context.new_page()
        self.url = url
        self.page.goto(url)
        self.page.evaluate(FILL, content)
        self.page.goto(url + "admin/")
        self.page.get_by_role("button", name="Work with Local Repository").click()
        self.page.get_by_role("checkbox", name=f"Select \u2068{TENANT}\u2069").wait_for()

    def _route(self, route) -> None:
        url = route.request.url
        if url == cms_config.SVELTIA_URL:
            route.fulfill(body=SCRIPT.read_bytes(), content_type="text/javascript",
                          headers={"Access-Control-Allow-Origin": "*"})
        elif url in FONTS:
            route.fulfill(body=FONTS[url].read_bytes(), content_type="font/woff2",
                          headers={"Access-Control-Allow-Origin": "*"})
        elif url.startswith("http://127.0.0.1:"):
            route.continue_()
        else:
            self.refused.append(url)
            route.abort()

    def open(self, entry: str) -> None:
        self.page.goto(f"{self.url}admin/#/collections/catalogs/entries/{entry}")
        self.field("tenant.id").locator("input").wait_for()

    def expand(self, key_path: str) -> None:
        """Open a list's items (a catalog's services are shown closed)."""
        group = self.page.locator(f'[data-key-path="{key_path}"]').first
        every = group.get_by_role("button", name="Expand All", exact=True)
        if every.count():  # shown for two items or more
            every.click()
        else:
            group.get_by_role("button", name="Expand", exact=True).first.click()

    def field(self, key_path: str):
        """The form's field for a key path (services.0.fee), not the preview's."""
        inputs = "input, textarea, [role=combobox], [role=radio]"
        return self._drawn(key_path, f'[data-key-path="{key_path}"]:has({inputs})')

    def _drawn(self, key_path: str, selector: str):
        """The first element `selector` finds; the form draws fields as they scroll into view (at
        its own pace), so it scrolls down (then up) until the element is there."""
        found = self.page.locator(selector).first
        self.page.mouse.move(300, 500)
        for step in [800] * 40 + [-800] * 80:
            if found.count():
                found.scroll_into_view_if_needed()
                return found
            self.page.mouse.wheel(0, step)
            self.page.wait_for_timeout(50)
        raise AssertionError(f"no field {key_path} in the form")

    def type(self, key_path: str, words: str) -> None:
        self.field(key_path).locator("input, textarea").first.fill(words)

    def choose(self, key_path: str, option: str) -> None:
        """Pick an option: radio buttons for up to five, a drop-down list for more."""
        field = self.field(key_path)
        if field.get_by_role("radio").count():
            field.get_by_role("radio", name=option, exact=True).click()
            return
        field.get_by_role("combobox").first.click()
        self.page.get_by_role("option", name=option, exact=True).first.click()

    def add(self, key_path: str) -> None:
        """Add an item to a list field (drawn when scrolled to, as any field)."""
        self._drawn(key_path, f'[data-key-path="{key_path}"]').get_by_role(
            "button", name="Add", exact=False).last.click()

    def screenshot(self, name: str) -> None:
        """The staff guide's pictures (docs/img/), taken when CMS_SCREENSHOTS=1 asks for them."""
        if os.environ.get("CMS_SCREENSHOTS") == "1":
            self.page.screenshot(path=str(ROOT / "docs" / "img" / name))

    def files(self) -> dict[str, str]:
        return self.page.evaluate(READ)


def _content(project: Path) -> dict[str, str]:
    return {path.relative_to(project).as_posix(): path.read_text(encoding="utf-8")
            for path in sorted((project / "content").rglob("*")) if path.is_file()}


def test_a_catalog_edited_in_the_form_changes_only_what_was_edited(project):
    """A bundled catalog: a fee changed, the English of a summary added, a service added with its
    required fields; saved, the file differs from the repository's by exactly those edits."""
    before = _content(project)
    original = (ROOT / CATALOG_FILE).read_text(encoding="utf-8")
    services = len(yaml.safe_load(original)["services"])
    started = time.perf_counter()
    with serve(project / "output", "/mppsite/") as url, launched() as browser:
        editor = Editor(browser, url, before)
        editor.screenshot("editor-catalogs.png")
        editor.open(TENANT)
        editor.expand("services")
        editor.type("services.0.fee.amount", "5000")
        editor.field("services.0.duration").evaluate("element => element.scrollIntoView({block: 'start'})")
        editor.screenshot("editor-service.png")
        editor.type("services.0.summary.en", SUMMARY_EN.split(": ", 1)[1].rstrip("\n"))
        editor.add("services")
        new = f"services.{services}"
        editor.type(f"{new}.id", "surat-keterangan-uji")
        editor.type(f"{new}.name.id", "Surat Keterangan Uji")
        editor.choose(f"{new}.category", "kesehatan-jaminan-sosial")
        editor.type(f"{new}.summary.id", "Surat keterangan untuk menguji penyunting formulir.")
        editor.add(f"{new}.requirements")
        editor.type(f"{new}.requirements.0.text.id", "KTP-el asli")
        editor.add(f"{new}.procedure")
        editor.type(f"{new}.procedure.0.id", "Ambil nomor antrean.")
        editor.type(f"{new}.duration.value", "2")
        editor.choose(f"{new}.duration.unit", "working_days")
        editor.type(f"{new}.fee.amount", "0")
        editor.type(f"{new}.product.id", "Surat keterangan")
        editor.add(f"{new}.legal_basis")
        editor.type(f"{new}.legal_basis.0", "Peraturan Wali Kota Nomor 1 Tahun 2024")
        editor.choose(f"{new}.counter", "22")  # a select filled from the catalogs' counters
        editor.type(f"{new}.reviewed_on", "2026-12-01")
        editor.page.get_by_role("button", name="Save", exact=True).click()
        editor.page.wait_for_timeout(2000)
        after = editor.files()
        refused = editor.refused
    seconds = time.perf_counter() - started
    print(f"form editor round trip: {seconds:.1f} s")
    changed = {path for path in after if after[path] != before.get(path)}
    assert changed == {CATALOG_FILE}, changed
    saved = after[CATALOG_FILE]
    print("".join(difflib.unified_diff(original.splitlines(True), saved.splitlines(True),
                                       "repository", "saved from the form")))
    (project / CATALOG_FILE).write_text(saved, encoding="utf-8")
    data, old = yaml.safe_load(saved), yaml.safe_load(original)
    old["services"][0]["fee"] = {"amount": 5000}
    assert data["tenant"] == old["tenant"] and data["services"][:services] == old["services"]
    assert data["services"][services] == {
        "id": "surat-keterangan-uji", "name": {"id": "Surat Keterangan Uji"},
        "category": "kesehatan-jaminan-sosial",
        "summary": {"id": "Surat keterangan untuk menguji penyunting formulir."},
        "requirements": [{"text": {"id": "KTP-el asli"}}], "procedure": [{"id": "Ambil nomor antrean."}],
        "duration": {"value": 2, "unit": "working_days"}, "fee": {"amount": 0},
        "product": {"id": "Surat keterangan"},
        "legal_basis": ["Peraturan Wali Kota Nomor 1 Tahun 2024"], "counter": "22",
        "reviewed_on": datetime.date(2026, 12, 1)}
    # Byte for byte: the repository's file (in fmt's canonical form) with the edits and nothing
    # else; and what the form wrote is in that form too (fmt --check passes on it).
    fee = "    fee:\n      amount: 0\n"
    assert saved == original.replace(fee, "    fee:\n      amount: 5000\n", 1) + NEW_SERVICE
    tidy = subprocess.run([sys.executable, "build.py", "fmt", "--check"], cwd=project,
                          capture_output=True, text=True)
    assert (tidy.returncode, tidy.stdout) == (0, ""), tidy.stdout + tidy.stderr
    checked = subprocess.run([sys.executable, "build.py", "check"], cwd=project,
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    assert set(refused) <= REFUSED, refused


def test_a_required_field_left_empty_is_shown_and_nothing_is_written(project):
    before = _content(project)
    new = f"services.{len(yaml.safe_load(before[CATALOG_FILE])['services'])}"
    with serve(project / "output", "/mppsite/") as url, launched() as browser:
        editor = Editor(browser, url, before)
        editor.open(TENANT)
        editor.add("services")
        editor.type(f"{new}.id", "layanan-tanpa-nama")
        editor.page.get_by_role("button", name="Save", exact=True).click()
        editor.page.wait_for_timeout(1000)
        name = editor.field(f"{new}.name.id")
        expect(name.get_by_text("This field is required.")).to_be_visible()
        assert editor.files() == before
