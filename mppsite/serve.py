"""`python build.py serve`: build, serve output/ under base_url's path, rebuild on every change.

Pages are served under the same path as in production, so preview links equal real links.
When content is broken, every page shows the list of problems instead of a stale site, and the
site comes back by itself once the file is fixed. The server never stops on bad input.
"""

from __future__ import annotations

import html
import mimetypes
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from livereload import Server

from . import pipeline
from .config import Config, load_config
from .problems import ContentError, Problems, say

WATCHED = ("content", "templates", "site_config.yaml", "data")


class Preview:
    """The last build's outcome, and a WSGI app that serves it."""

    def __init__(self, root: Path, lang: str):
        self.root = root
        self.lang = lang
        self.errors: list[str] = []
        self.config: Config | None = None

    def rebuild(self) -> None:
        started = time.perf_counter()
        try:
            built = pipeline.build(self.root)
        except ContentError as err:
            self.errors = [problem.format(self.lang) for problem in err.problems.sorted()]
            for line in self.errors:
                print(line, file=sys.stderr)
            return
        except Exception as err:  # a bug must not stop the preview; show it instead
            self.errors = [f"{type(err).__name__}: {err}"]
            print(self.errors[0], file=sys.stderr)
            return
        self.config = built.config
        self.errors = []
        print(say("build_done", self.lang, path=built.config.output_dir, pages=built.pages,
                  files=built.files, seconds=f"{time.perf_counter() - started:.2f}"))

    def _error_page(self) -> bytes:
        items = "\n".join(f"<li><code>{html.escape(line)}</code></li>" for line in self.errors)
        title = say("build_failed", self.lang, path=self.config.output_dir if self.config else "output")
        return (f'<!doctype html><html lang="{self.lang}"><head><meta charset="utf-8">'
                f'<title>mppsite: {len(self.errors)}</title></head><body>'
                f'<main><h1>{html.escape(title)}</h1><ol class="problems">{items}</ol></main>'
                f'</body></html>').encode()

    def app(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if self.errors or self.config is None:
            start_response("500 Content Error", [("Content-Type", "text/html; charset=utf-8")])
            return [self._error_page()]
        base = self.config.base_path
        path = environ.get("PATH_INFO", "/")
        if not path.startswith(base):
            if base.startswith(path.rstrip("/") + "/") or path == "/":
                start_response("302 Found", [("Location", base)])
                return [b""]
            return self._file(self.config.output_path / "404.html", start_response, "404 Not Found")
        output = self.config.output_path
        target = (output / path[len(base):]).resolve()
        if target.is_dir():
            if not path.endswith("/"):
                start_response("301 Moved Permanently", [("Location", path + "/")])
                return [b""]
            target = target / "index.html"
        if output not in target.parents or not target.is_file():
            return self._file(output / "404.html", start_response, "404 Not Found")
        return self._file(target, start_response, "200 OK")

    @staticmethod
    def _file(path: Path, start_response: Callable, status: str) -> Iterable[bytes]:
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind in ("application/javascript", "application/json"):
            kind += "; charset=utf-8"
        data = path.read_bytes() if path.is_file() else b"Not found"
        start_response(status, [("Content-Type", kind), ("Cache-Control", "no-store")])
        return [data]


def serve(root: Path, host: str, port: int, lang: str) -> int:
    problems = Problems()
    if load_config(root, problems) is None:
        for problem in problems.sorted():
            print(problem.format(lang), file=sys.stderr)
    preview = Preview(root, lang)
    preview.rebuild()
    server = Server(app=preview.app)
    for name in WATCHED:
        if (root / name).exists():
            server.watch(str(root / name), preview.rebuild, delay=0.2)
    base = preview.config.base_path if preview.config else "/"
    print(f"http://{host}:{port}{base}", flush=True)
    server.serve(host=host, port=port, debug=False, restart_delay=0)
    return 0
