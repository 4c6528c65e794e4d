"""Lighthouse (mobile) scores of the built site: the yardstick the pages are measured with.

Run with `make lighthouse` (builds first). Installs the pinned Lighthouse from
tests/tools/lighthouse/ into .tools/lighthouse/ with `npm ci` when missing (needs node, npm and
the network once), serves output/ under the path of base_url, audits a page of each main kind in
both languages with Debian's Chromium, prints each category's score and every audit below full
marks, and exits 1 when any category is under 100. Not part of `make test`: a score is a
measurement, and Lighthouse needs a download the test suite must not make.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from webserver import serve  # noqa: E402

from mppsite.check.config import load_config  # noqa: E402
from mppsite.core.problems import Problems  # noqa: E402

PINNED = Path(__file__).resolve().parent / "lighthouse"
TOOLS = ROOT / ".tools" / "lighthouse"
BINARY = TOOLS / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = "performance,accessibility,best-practices,seo"
PAGES = ["", "en/", "layanan/skck-baru/", "en/services/skck-baru/", "layanan/", "capaian/",
         "en/achievements/", "instansi/polres/", "surat-edaran/agenda-akselerasi-pelayanan-publik-2024/",
         "cari/", "cari/?q=e-ktp", "en/search/?q=passport", "instansi/polres/cetak/"]


def install() -> None:
    """`npm ci` from the committed lock file: the same Lighthouse, integrity-checked, every time."""
    lock = PINNED / "package-lock.json"
    if BINARY.exists() and (TOOLS / "package-lock.json").read_bytes() == lock.read_bytes():
        return
    TOOLS.mkdir(parents=True, exist_ok=True)
    for name in ("package.json", "package-lock.json"):
        (TOOLS / name).write_bytes((PINNED / name).read_bytes())
    subprocess.run(["npm", "ci", "--prefix", str(TOOLS), "--no-audit", "--no-fund", "--loglevel=error"],
                   check=True)


def audit(url: str, report: Path) -> dict:
    subprocess.run([str(BINARY), url, "--quiet", f"--only-categories={CATEGORIES}", "--output=json",
                    f"--output-path={report}", "--chrome-flags=--headless=new --no-sandbox"],
                   check=True, env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"})
    return json.loads(report.read_text(encoding="utf-8"))


def main() -> int:
    config = load_config(ROOT, Problems())
    if config is None or not (config.output_path / "index.html").is_file():
        print("Build the site first: make build", file=sys.stderr)
        return 1
    install()
    below = 0
    with serve(config.output_path, config.base_path) as url, tempfile.TemporaryDirectory() as tmp:
        print(f"| page | {' | '.join(CATEGORIES.split(','))} |")
        print("| --- |" + " --- |" * len(CATEGORIES.split(",")))
        for path in PAGES:
            result = audit(url + path, Path(tmp) / "report.json")
            scores = {key: round(value["score"] * 100) for key, value in result["categories"].items()}
            print(f"| /{path} | " + " | ".join(str(scores[key]) for key in CATEGORIES.split(",")) + " |")
            for key, category in result["categories"].items():
                for ref in category["auditRefs"]:
                    found = result["audits"][ref["id"]]
                    if ref["weight"] > 0 and found["score"] is not None and found["score"] < 1:
                        print(f"|   {key}: {ref['id']} {found['score']} {found.get('displayValue', '')} |",
                              file=sys.stderr)
            below += sum(score < 100 for score in scores.values())
    return 1 if below else 0


if __name__ == "__main__":
    sys.exit(main())
