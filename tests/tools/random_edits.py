"""Random edits to a copy of a project, each followed by a build that must give what a build from
nothing gives: the same bytes, or a failure too, with output/ left as it was.

For whoever changes a cache (docs/architecture.md lists them) or the preview's memory:

    .venv/bin/python tests/tools/random_edits.py --seeds 1-40 --steps 40 [--preview] [--project DIR]

Edits: texts in YAML changed, list items swapped, copied or deleted, one value put in another's
place (ids into references), Markdown lines added, documents copied or removed, attachments,
settings (languages, search), templates and static files the project adds over the built-in ones,
a project's own UI strings, the cache folder removed. After a failed build the content goes back
to the last that built, mostly, so that most steps build. tests/write/test_random_edits.py runs a
few seeds of it.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import random
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from mppsite.core.problems import ContentError  # noqa: E402
from mppsite.pipeline import build  # noqa: E402
from mppsite.write.cache import CACHE_DIR  # noqa: E402

WORDS = ["baru", "KTP", "Rp50.000", "x", "[tautan](/layanan/)", "**tebal**", "08:00", "A-Z"]
TEMPLATES = ["service.html", "home.html", "base.html", "partials/contact.html", "tenant.html", "macros.html"]
STATIC = ["site.css", "search.js", "extra.css"]
REVERT = 0.85  # how often a failed build's content goes back to the last that built
IGNORED = ("output", CACHE_DIR)


def tree(folder: Path) -> dict[str, str]:
    """Every file under `folder` with the digest of its bytes."""
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def sources(project: Path) -> dict[Path, bytes]:
    """The project's files besides what builds write."""
    return {path: path.read_bytes() for path in project.rglob("*")
            if path.is_file() and not any(part in IGNORED or part.startswith(".output-")
                                          for part in path.relative_to(project).parts)}


def restore(project: Path, files: dict[Path, bytes]) -> None:
    for path in set(sources(project)) - set(files):
        path.unlink()
    for path, data in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)


def attempt(project: Path, warm: Any = None) -> str:
    try:
        build(project, warm)
    except ContentError as err:
        return "error: " + "; ".join(f"{p.file}:{p.line}: {p.key}" for p in err.problems.errors[:3])
    return "ok"


def _leaves(data: Any, path: tuple = ()) -> list[tuple[tuple, Any]]:
    """(path, value) of every string and every non-empty list in `data`."""
    found = [(path, data)] if isinstance(data, str) or (isinstance(data, list) and data) else []
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else []
    for key, value in items:
        found += _leaves(value, (*path, key))
    return found


def _at(data: Any, path: tuple) -> Any:
    for step in path:
        data = data[step]
    return data


class Edits:
    """One random edit of the project at a time, described in a few words."""

    def __init__(self, project: Path, rng: random.Random):
        self.project, self.rng = project, rng

    def one(self) -> str:
        kind = self.rng.choice(["yaml"] * 6 + ["markdown"] * 2 + ["document", "attachment", "settings",
                                "template", "template", "static", "strings", "cache"])
        return getattr(self, kind)()

    def yaml(self) -> str:
        path = self.rng.choice(sorted((self.project / "content").rglob("*.yaml")))
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        leaves = _leaves(data)
        texts = [(where, value) for where, value in leaves if isinstance(value, str)]
        lists = [(where, value) for where, value in leaves if isinstance(value, list)]
        how = self.rng.choice(["text", "text", "other value", "swap", "copy", "delete"])
        if how in ("text", "other value") and texts:
            where, value = self.rng.choice(texts)
            new = value + " " + self.rng.choice(WORDS) if how == "text" else self.rng.choice(texts)[1]
            _at(data, where[:-1])[where[-1]] = new
        elif lists:
            where, items = self.rng.choice(lists)
            i, j = self.rng.randrange(len(items)), self.rng.randrange(len(items))
            if how == "swap":
                items[i], items[j] = items[j], items[i]
            elif how == "delete":
                del items[i]
            else:
                item = copy.deepcopy(items[i])
                if isinstance(item, dict) and isinstance(item.get("id"), str):
                    item["id"] += "-dua"
                items.insert(j, item)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return f"{how} in {path.name}"

    def markdown(self) -> str:
        path = self.rng.choice(sorted((self.project / "content").rglob("*.md")))
        lines = path.read_text(encoding="utf-8").split("\n")
        at = self.rng.randrange(len(lines))
        lines.insert(at, self.rng.choice([*WORDS, "", "## Judul", "- butir", "title: Baru"]))
        path.write_text("\n".join(lines), encoding="utf-8")
        return f"line {at + 1} added to {path.name}"

    def document(self) -> str:
        documents = sorted((self.project / "content").rglob("*.md"))
        path = self.rng.choice(documents)
        if self.rng.random() < 0.5 and len(documents) > 2:
            path.unlink()
            return f"{path.name} removed"
        shutil.copy(path, path.with_name("salin-" + path.name))
        return f"{path.name} copied"

    def attachment(self) -> str:
        folder = self.project / "content" / "files"
        folder.mkdir(exist_ok=True)
        present = sorted(folder.iterdir())
        if present and self.rng.random() < 0.5:
            gone = self.rng.choice(present)
            gone.unlink()
            return f"files/{gone.name} removed"
        name = f"lampiran-{self.rng.randrange(3)}.pdf"
        (folder / name).write_bytes(b"%PDF-1.4\n" + self.rng.randbytes(20))
        return f"files/{name} written"

    def settings(self) -> str:
        path = self.project / "site_config.yaml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if self.rng.random() < 0.5:
            data["search"] = not data.get("search", False)
        else:
            data["languages"] = ["id"] if len(data.get("languages") or []) > 1 else ["id", "en"]
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return f"settings: search {data.get('search')}, languages {data['languages']}"

    def template(self) -> str:
        name = self.rng.choice(TEMPLATES)
        path = self.project / "templates" / name
        if path.exists() and self.rng.random() < 0.3:
            path.unlink()
            return f"templates/{name} removed"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(ROOT / "templates" / name, path)
        text = path.read_text(encoding="utf-8")
        at = text.find("</main>") if "</main>" in text else len(text)
        added = self.rng.choice(["<p>tambahan</p>", "<p>{{ L.t('not_found_text') }}</p>", "<!-- c -->"])
        path.write_text(text[:at] + added + text[at:], encoding="utf-8")
        return f"templates/{name} edited"

    def static(self) -> str:
        folder = self.project / "templates" / "static"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / self.rng.choice(STATIC)
        if path.exists() and self.rng.random() < 0.4:
            path.unlink()
            return f"static/{path.name} removed"
        built_in = ROOT / "templates" / "static" / path.name
        path.write_bytes((built_in.read_bytes() if built_in.exists() else b"") + b"\n/* x */\n")
        return f"static/{path.name} written"

    def strings(self) -> str:
        path = self.project / "strings" / "id.yaml"
        if path.exists() and self.rng.random() < 0.4:
            path.unlink()
            return "strings/id.yaml removed"
        path.parent.mkdir(exist_ok=True)
        data = yaml.safe_load((ROOT / "data" / "strings" / "id.yaml").read_text(encoding="utf-8"))
        key = self.rng.choice([key for key, value in data.items() if isinstance(value, str)])
        data[key] += " ubah"
        routes = yaml.safe_load((ROOT / "data" / "routes.yaml").read_text(encoding="utf-8"))
        data["url_segments"] = routes["id"]
        if self.rng.random() < 0.3:
            data["url_segments"]["services"] = "layanan-kami"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return f"strings/id.yaml: {key}"

    def cache(self) -> str:
        shutil.rmtree(self.project / CACHE_DIR, ignore_errors=True)
        return f"{CACHE_DIR}/ removed"


def run(source: Path, seed: int, steps: int, preview: bool, work: Path) -> dict[str, int]:
    """Edit a copy of `source` `steps` times; raise AssertionError, with the edits so far, at the
    first build that differs from a cold one. Returns how many builds succeeded and failed."""
    from mppsite.preview.serve import Warm

    project, cold = work / "site", work / "cold"
    for name in ("content", "templates", "strings", "site_config.yaml"):  # not a repository's .venv
        if (source / name).is_dir():
            shutil.copytree(source / name, project / name)
        elif (source / name).is_file():
            shutil.copy(source / name, project / name)
    warm = Warm() if preview else None
    rng, done, tally = random.Random(seed), [], {"ok": 0, "error": 0}
    assert attempt(project, warm) == "ok", "the project does not build as it is"
    good = sources(project)
    edits = Edits(project, rng)
    for _ in range(steps):
        done.append(edits.one())
        before = tree(project / "output")
        result = attempt(project, warm)
        shutil.rmtree(cold, ignore_errors=True)
        shutil.copytree(project, cold, ignore=shutil.ignore_patterns(*IGNORED, ".output-*"))
        expected = attempt(cold)
        where = f"seed {seed}{' (preview)' if preview else ''}, after: {'; '.join(done)}"
        assert (result == "ok") == (expected == "ok"), f"{where}\nbuilt: {result}\nfrom nothing: {expected}"
        if result == "ok":
            tally["ok"] += 1
            built, fresh = tree(project / "output"), tree(cold / "output")
            differ = sorted(rel for rel in built.keys() | fresh.keys() if built.get(rel) != fresh.get(rel))
            assert not differ, f"{where}\nfiles not as a build from nothing writes them: {differ[:10]}"
            good = sources(project)
        else:
            tally["error"] += 1
            assert tree(project / "output") == before, f"{where}\na failed build changed output/"
            if rng.random() < REVERT:
                restore(project, good)
                done.append("back to the last that built")
    return tally


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--project", type=Path, default=ROOT / "tests" / "fixtures" / "mini")
    parser.add_argument("--seeds", default="1-10", help="a range, such as 1-40")
    parser.add_argument("--steps", type=int, default=40)
    parser.add_argument("--preview", action="store_true", help="build in one process, as `serve` does")
    args = parser.parse_args()
    first, _, last = args.seeds.partition("-")
    failed = 0
    for seed in range(int(first), int(last or first) + 1):
        with tempfile.TemporaryDirectory() as work:
            try:
                tally = run(args.project, seed, args.steps, args.preview, Path(work))
                print(f"seed {seed}: {tally['ok']} builds, {tally['error']} failed as they should")
            except AssertionError as err:
                failed += 1
                print(f"FAILED {err}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
