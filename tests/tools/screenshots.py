"""Screenshots of the built site as citizens see it: phone (390 px) and desktop (1280 px).

Run after `make build` (or use `make screenshots`). Serves output/ under the path of base_url,
opens each page in Debian's Chromium and writes full-page PNGs into output-screenshots/.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from webserver import serve  # noqa: E402

from mppsite.check.config import load_config  # noqa: E402
from mppsite.core.problems import Problems  # noqa: E402

WIDTHS = {390: 844, 1280: 900}


def main() -> int:
    config = load_config(ROOT, Problems())
    if config is None or not (config.output_path / "index.html").is_file():
        print("Build the site first: make build", file=sys.stderr)
        return 1
    service = sys.argv[1] if len(sys.argv) > 1 else "skck-baru"
    pages = {"home-id": "", "home-en": "en/", "service-id": f"layanan/{service}/",
             "service-en": f"en/services/{service}/", "achievements-id": "capaian/",
             "achievements-en": "en/achievements/"}
    target = ROOT / "output-screenshots"
    target.mkdir(exist_ok=True)
    with serve(config.output_path, config.base_path) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
        for width, height in WIDTHS.items():
            page = browser.new_page(viewport={"width": width, "height": height})
            for name, path in pages.items():
                page.goto(url + path)
                page.screenshot(path=str(target / f"{name}-{width}.png"), full_page=True)
            page.close()
        browser.close()
    print(f"{len(pages) * len(WIDTHS)} screenshots in {target.relative_to(ROOT)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
