"""The service worker (service_worker.js), written at the root of the site as sw.js.

A service worker's scope is its own folder and below: at base_url's path it covers every page,
also when the site lives under /mppsite/. It carries the build's identity: a new build is a new
sw.js, which browsers install in place of the old one, with a cache of its own.
"""

from __future__ import annotations

import json
from pathlib import Path

from mppsite.core.fingerprint import hash_of
from mppsite.write.cache import Digests, Outputs

SOURCE = Path(__file__).with_name("service_worker.js")
WORKER_NAME = "sw.js"
SCRIPT_NAME = "offline.js"  # templates/static/: registers the worker, shows the saved-copy line
ASSETS = ("site.css", SCRIPT_NAME)  # saved at install, beside the pages a citizen opens


def build_id(digests: Digests, source: str) -> str:
    """Short, and the same for the same input: every page's inputs and the worker's own code."""
    return hash_of("offline", digests.site, digests.everything, source)[:8]


def service_worker(base_path: str, build: str, source: str) -> str:
    """The worker's text for this site and build."""
    assets = [base_path + "static/" + name for name in ASSETS]
    return source.replace('"__BUILD__"', json.dumps(build)).replace("__ASSETS__", json.dumps(assets))


def write_worker(out: Outputs, digests: Digests, base_path: str) -> None:
    """Write sw.js; kept as it is when no input of the site changed."""
    source = SOURCE.read_text(encoding="utf-8")
    build = build_id(digests, source)
    if not out.keep_group("offline", build):
        out.write("offline", build, WORKER_NAME, service_worker(base_path, build, source))
