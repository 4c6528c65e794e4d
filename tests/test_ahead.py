"""What a plain rebuild does without: the schema for unchanged small files (validate.Memo), and,
in the build's own process, the schema for a changed catalog (checked ahead, ahead.py).

Run as staff run it, in a fresh process each time; the process says whether it imported pydantic
(0.1 s of every rebuild before), and the site it wrote is compared with a cold build's.
"""

from __future__ import annotations

import importlib.metadata
import os
import pickle
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from conftest import MINI, ROOT, edit, tree_digest

import mppsite.fingerprint
from mppsite import sealed
from mppsite.ahead import Ahead
from mppsite.fingerprint import LIBRARIES, library_version

REPORT = ("import sys; sys.path.insert(0, sys.argv[1]); from mppsite.cli import main; "
          "code = main(sys.argv[2:]); print('pydantic' in sys.modules); sys.exit(code)")


def build(project: Path, *args: str) -> tuple[int, bool, str]:
    """Exit code, whether pydantic was imported, and what was printed on stderr."""
    done = subprocess.run([sys.executable, "-c", REPORT, str(ROOT), "--project", str(project),
                           "--lang", "en", *args], capture_output=True, text=True, timeout=300)
    return done.returncode, done.stdout.strip().endswith("True"), done.stderr


def copy(tmp_path: Path, name: str) -> Path:
    dest = tmp_path / name
    shutil.copytree(MINI, dest, ignore=shutil.ignore_patterns("output", ".mppsite-*"))
    return dest


def test_a_rebuild_after_editing_a_catalog_needs_no_schema_in_its_own_process(tmp_path):
    project = copy(tmp_path, "site")
    code, imported, err = build(project)
    assert code == 0 and not imported, err  # a first build: everything checked by the process ahead
    memo = pickle.loads(sealed.read(project / ".mppsite-cache" / "checked.pickle"))
    assert len(memo["values"]) == 1 + 1 + 2 + 2 + 5  # settings, mall, categories, indicators, documents
    code, imported, err = build(project)
    assert code == 0 and not imported, err  # nothing changed: nothing to check
    edit(project, "content/services/polres.yaml", "untuk melamar kerja.", "untuk melamar pekerjaan.")
    code, imported, err = build(project)
    assert code == 0 and not imported, err  # checked ahead, read from the catalog cache
    page = (project / "output" / "layanan" / "skck" / "index.html").read_text(encoding="utf-8")
    assert "untuk melamar pekerjaan." in page
    cold = copy(tmp_path, "cold")
    edit(cold, "content/services/polres.yaml", "untuk melamar kerja.", "untuk melamar pekerjaan.")
    assert build(cold)[0] == 0
    assert tree_digest(project / "output") == tree_digest(cold / "output")


def test_a_page_edited_by_hand_is_found_by_the_process_ahead_and_rendered_again(tmp_path, monkeypatch):
    """That process also answers whether output/ is as the last build left it (intact.check),
    for a manifest as big as a big site's; an answer about another manifest is not taken."""
    project = copy(tmp_path, "site")
    assert build(project)[0] == 0
    page = project / "output" / "layanan" / "ktp-el" / "index.html"  # of the catalog not edited
    made = page.read_bytes()
    page.write_bytes(made.replace(b"</main>", b"<p>edited by hand</p></main>"))
    edit(project, "content/services/polres.yaml", "untuk melamar kerja.", "untuk melamar pekerjaan.")
    sitecustomize = tmp_path / "hook" / "sitecustomize.py"  # the threshold of a big site, lowered
    sitecustomize.parent.mkdir()
    sitecustomize.write_text("import mppsite.cache\nmppsite.cache.BACKGROUND_CHECK_MIN = 0\n")
    monkeypatch.setenv("PYTHONPATH", f"{sitecustomize.parent}:{ROOT}")
    code, imported, err = build(project)
    assert code == 0 and not imported, err
    assert b"edited by hand" not in page.read_bytes()
    cold = copy(tmp_path, "cold")
    edit(cold, "content/services/polres.yaml", "untuk melamar kerja.", "untuk melamar pekerjaan.")
    assert build(cold)[0] == 0
    assert tree_digest(project / "output") == tree_digest(cold / "output")


def test_errors_are_found_and_worded_as_always_with_a_catalog_checked_ahead(tmp_path):
    project = copy(tmp_path, "site")
    assert build(project)[0] == 0
    edit(project, "content/services/polres.yaml", "    fee: 30000", "    fees: 30000")
    code, imported, err = build(project)
    assert code == 1 and imported  # kept by nobody: the build checks it itself and says what is wrong
    assert "content/services/polres.yaml:19:5: services[0]: unknown field 'fees' (did you mean 'fee'?)" in err
    assert build(project, "check")[0] == 1
    edit(project, "content/services/polres.yaml", "    fees: 30000", "    fee: 30000")
    assert build(project)[0] == 0


def test_a_changed_small_file_is_checked_again_and_a_broken_memo_is_no_memo(tmp_path):
    project = copy(tmp_path, "site")
    assert build(project)[0] == 0
    edit(project, "content/categories.yaml", "- id: hukum\n", "- id: hukum\n  nama: x\n")
    code, imported, err = build(project)
    assert code == 1 and imported
    assert "content/categories.yaml:4:3: [1]: unknown field 'nama' (did you mean 'name'?)" in err
    edit(project, "content/categories.yaml", "  nama: x\n", "")
    (project / ".mppsite-cache" / "checked.pickle").write_bytes(b"not a pickle")
    code, imported, err = build(project)
    assert code == 0 and not imported, err  # checked again by the process ahead, and kept again
    assert pickle.loads(sealed.read(project / ".mppsite-cache" / "checked.pickle"))["values"]
    assert build(project)[:2] == (0, False)


def test_a_first_build_with_a_broken_small_file_reports_it_as_always(tmp_path):
    """The process ahead keeps only what is valid; the build checks the rest itself."""
    project = copy(tmp_path, "site")
    edit(project, "content/categories.yaml", "- id: hukum\n", "- id: hukum\n  nama: x\n")
    code, imported, err = build(project)
    assert code == 1 and imported
    assert "content/categories.yaml:4:3: [1]: unknown field 'nama' (did you mean 'name'?)" in err
    assert not (project / "output").exists()
    edit(project, "site_config.yaml", "languages:", "language:")
    code, imported, err = build(project)
    assert code == 1 and imported
    assert "site_config.yaml:" in err and "unknown field 'language'" in err


def test_library_versions_are_those_importlib_metadata_reads(monkeypatch):
    monkeypatch.setattr(mppsite.fingerprint, "_INSTALLED", None)
    monkeypatch.setattr(importlib.metadata, "version", None)  # read from the folders' names alone
    found = [library_version(name) for name in LIBRARIES]
    monkeypatch.undo()
    assert found == [importlib.metadata.version(name) for name in LIBRARIES]


def test_the_build_hears_of_each_catalog_as_soon_as_it_is_kept(tmp_path):
    """What the process ahead says on its pipe, in whatever pieces it arrives: a catalog kept
    is known at once, not when all are; one never kept (it has an error) once all are done;
    the answer about output/ follows. A process that ends without a word stops no wait."""
    read_end, write_end = os.pipe()
    os.set_blocking(read_end, False)  # a wait that must read what is not said yet raises
    ahead = Ahead(None, tmp_path, read_end)

    def returns(wait: Callable[[], object]) -> bool:
        try:
            wait()
        except BlockingIOError:
            return False
        return True

    assert not returns(ahead.wait_settings)
    os.write(write_end, b"s")
    os.write(write_end, b"kcontent/services/a.yaml\nkcontent/serv")
    assert returns(ahead.wait_settings)
    assert returns(lambda: ahead.wait_for("content/services/a.yaml"))
    assert not returns(lambda: ahead.wait_for("content/services/b.yaml"))  # half of its name so far
    os.write(write_end, b"ices/b.yaml\n")
    assert returns(lambda: ahead.wait_for("content/services/b.yaml"))
    assert not returns(lambda: ahead.wait_for("content/services/broken.yaml"))
    os.write(write_end, b"kcontent/services/c.yaml\nc12 34")
    assert returns(lambda: ahead.wait_for("content/services/broken.yaml"))  # all are done
    os.write(write_end, b" 56 1")
    os.close(write_end)
    assert ahead.intact((12, 34, 56)) is True

    read_end, write_end = os.pipe()
    ahead = Ahead(None, tmp_path, read_end)
    os.write(write_end, b"s")
    os.close(write_end)  # it ended, having kept nothing
    assert returns(lambda: ahead.wait_for("content/services/a.yaml")) and returns(ahead.wait)
    assert ahead.intact((12, 34, 56)) is None


def test_a_first_build_checks_everything_without_pydantic_when_all_is_valid(tmp_path):
    """The process ahead checks the settings, the small files and every catalog of a first
    build with the schema compiled with the package (pydantic-core alone, schema_compiled.py),
    as `make` leaves it; pydantic is imported only to word an error."""
    from mppsite import schema_compiled

    schema_compiled.compile_builtin()  # what `make` does
    project = copy(tmp_path, "site")
    script = ("import sys; sys.path.insert(0, sys.argv[1]); from pathlib import Path; "
              "from mppsite.catalog_cache import check_ahead; "
              "config = check_ahead(Path(sys.argv[2]), settled=lambda: None); "
              "print(config is not None, 'pydantic' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", script, str(ROOT), str(project)], capture_output=True,
                          text=True, timeout=300)
    assert done.stdout.split() == ["True", "False"], done.stderr
    assert len(list((project / ".mppsite-cache" / "catalogs").glob("*.pickle"))) == 2  # both kept
    edit(project, "content/services/polres.yaml", "    fee: 30000", "    fees: 30000")
    done = subprocess.run([sys.executable, "-c", script, str(ROOT), str(project)], capture_output=True,
                          text=True, timeout=300)
    assert done.stdout.split() == ["True", "True"], done.stderr  # an error: pydantic words it
    code, _, err = build(project)
    assert code == 1 and "services[0]: unknown field 'fees' (did you mean 'fee'?)" in err
