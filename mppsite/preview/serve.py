"""`python build.py serve`: build, serve output/ under base_url's path, rebuild on every save.

Pages are served under the production path, so preview links equal real links. While content is
broken every page lists its problems; the site comes back once the file is fixed.

livereload gives the browser side (its script and the websocket that reloads the page). Its own
watcher is not used (it runs once per changed folder, drops close reloads and counts editor swap
files): `Watch` reports each save once, and each rebuild sends exactly one reload.
"""

from __future__ import annotations

import asyncio
import errno
import html
import logging
import mimetypes
import os
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from livereload import Server
from livereload.handlers import LiveReloadHandler
from tornado.ioloop import IOLoop, PeriodicCallback

from mppsite import pipeline
from mppsite.check.config import Config, load_config
from mppsite.core import lock, workers
from mppsite.core.problems import ContentError, Problem, Problems, say
from mppsite.model.routes import Router
from mppsite.preview.watch import POLL_SECONDS, Watch
from mppsite.write.cache import PageCache

if TYPE_CHECKING:
    import jinja2

EXIT_OK, EXIT_USAGE = 0, 2
TEXT, NO_STORE = ("Content-Type", "text/plain; charset=utf-8"), ("Cache-Control", "no-store")


@dataclass
class Warm:
    """What the preview keeps from one build to the next (pipeline.Warm)."""

    env: jinja2.Environment | None = None
    templates: list[tuple[Path, list[str]]] = field(default_factory=list)
    catalogs: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    page_cache: PageCache | None = None
    router: Router | None = None


class Preview:
    """The last build's outcome, and a WSGI app that serves it (or the problems that stop it)."""

    def __init__(self, root: Path, lang: str):
        self.root = root
        self.lang = lang
        self.errors: list[str] = []
        self.config: Config | None = None
        self.building = False
        self.warm = Warm()
        self.lock = threading.Lock()

    def rebuild(self, changed: list[str] | None = None) -> bool:
        """Build the site; on problems keep them for the error page. Never raises on bad input."""
        started = time.perf_counter()
        self.building = True
        try:
            # this preview's lock, then the project's (lock.py): a `python build.py` waits for it
            with self.lock, lock.held(self.root, waiting=lambda: _out(say("build_waiting", self.lang))):
                built = pipeline.build(self.root, self.warm)
        except ContentError as err:
            self._broken([p for p in err.problems.sorted() if p.severity == "error"], changed)
            return False
        except Exception as err:  # a bug must not stop the preview: show it, keep serving
            traceback.print_exc()
            self._broken([], changed, internal=f"{type(err).__name__}: {err}")
            return False
        finally:
            self.building = False
        self.config = built.config
        self.errors = []
        milliseconds = round((time.perf_counter() - started) * 1000)
        if changed is None:
            _out(say("build_done", self.lang, path=built.config.output_dir, pages=built.pages,
                     files=built.files, seconds=f"{milliseconds / 1000:.2f}"))
        else:
            _out(say("serve_rebuilt", self.lang, changed=self._changed(changed), ms=milliseconds,
                     pages=built.pages))
        return True

    def _broken(self, problems: list[Problem], changed: list[str] | None, internal: str = "") -> None:
        self.errors = [problem.format(self.lang) for problem in problems]
        if internal:
            self.errors.append(say("serve_internal_error", self.lang, detail=internal))
        config = load_config(self.root, Problems())  # the base path, so links keep working
        if config is not None:
            self.config = config
        for line in self.errors:
            print(line, file=sys.stderr)
        line = say("serve_broken", self.lang, errors=len(self.errors))
        print(f"{self._changed(changed)}: {line}" if changed else line, file=sys.stderr, flush=True)

    def _changed(self, changed: list[str]) -> str:
        if len(changed) == 1:
            return changed[0]
        return say("serve_changed_more", self.lang, file=changed[0], count=len(changed) - 1)

    def error_page(self) -> bytes:
        """A small page listing every problem as file:line:col: message; reloads itself when fixed."""
        lang = html.escape(self.lang)
        title = html.escape(say("serve_error_title", self.lang))
        count = html.escape(say("serve_error_count", self.lang, errors=len(self.errors)))
        hint = html.escape(say("serve_error_hint", self.lang))
        items = "\n".join(f"<li><code>{html.escape(line)}</code></li>" for line in self.errors)
        return (
            f'<!doctype html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{title}</title>\n<style>{_ERROR_STYLE}</style>\n</head>\n<body>\n<main>\n"
            f"<h1>{title}</h1>\n<p>{count}</p>\n<ol class=\"problems\">\n{items}\n</ol>\n"
            f'<p class="hint">{hint}</p>\n</main>\n</body>\n</html>\n').encode()

    def app(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        """WSGI: the site under its base path; `/` redirects there; the error page while broken.
        GET and HEAD (the headers alone, as the server expects); anything else is refused."""
        method = environ.get("REQUEST_METHOD", "GET")
        if method not in ("GET", "HEAD"):
            start_response("405 Method Not Allowed", [("Allow", "GET, HEAD"), TEXT])
            return [b"405 Method Not Allowed"]
        try:
            body = self._respond(environ, start_response)
        except Exception:  # a request must never take the server down
            traceback.print_exc()
            start_response("500 Internal Server Error", [TEXT])
            body = [b"500"]
        return [] if method == "HEAD" else body

    def _respond(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "/").encode("latin-1").decode("utf-8", "replace")
        if not path.isprintable():  # "%00" and the like: no file of a site has such a name
            start_response("400 Bad Request", [TEXT])
            return [b"400 Bad Request"]
        base = self.config.base_path if self.config else "/"
        if not path.startswith(base) and (path == "/" or base.startswith(path.rstrip("/") + "/")):
            start_response("302 Found", [("Location", base), TEXT, NO_STORE])
            return [b""]
        if self.errors or self.config is None:
            start_response("500 Content Error", [("Content-Type", "text/html; charset=utf-8"), NO_STORE])
            return [self.error_page()]
        output = self.config.output_path
        if not path.startswith(base):
            return _file(output / "404.html", start_response, "404 Not Found")
        target = (output / path[len(base):]).resolve()
        if target.is_dir():
            if not path.endswith("/"):
                start_response("301 Moved Permanently", [("Location", environ.get("PATH_INFO", "/") + "/")])
                return [b""]
            target = target / "index.html"
        if (target != output and output not in target.parents) or not target.is_file():
            return _file(output / "404.html", start_response, "404 Not Found")
        return _file(target, start_response, "200 OK")


_ERROR_STYLE = ("body{font-family:system-ui,sans-serif;margin:0;padding:1rem;color:#0b0c0c;"
                "line-height:1.5}main{max-width:60rem;margin:auto}h1{color:#a4071e;font-size:1.5rem}"
                "ol{padding-left:1.5rem}li{margin:.5rem 0}code{white-space:pre-wrap;"
                "overflow-wrap:anywhere;font-size:1rem}.hint{border-left:4px solid #1d6b3e;"
                "padding-left:.75rem}")


def _file(path: Path, start_response: Callable, status: str) -> Iterable[bytes]:
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if kind.startswith("text/") or kind in ("application/javascript", "application/json"):
        kind += "; charset=utf-8"
    try:
        data = path.read_bytes()
    except OSError:
        kind, data = "text/plain; charset=utf-8", b"404 Not Found"
    start_response(status, [("Content-Type", kind), NO_STORE])
    return [data]


def _out(line: str) -> None:
    print(line, flush=True)


def _quiet_logs() -> None:
    """No English access log lines in the staff's terminal; our own lines say what happened."""
    for name in ("tornado.access", "livereload"):
        logger = logging.getLogger(name)
        logger.addHandler(logging.NullHandler())
        logger.propagate = False


class _Session:
    """The running preview: the watch loop, one rebuild and one browser reload per save."""

    def __init__(self, preview: Preview, watch: Watch, host: str, port: int):
        self.preview = preview
        self.watch = watch
        self.loop = IOLoop.current()
        self.stopping = False
        self.origin = f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"
        self.shown_base = ""
        self.poller = PeriodicCallback(self.tick, POLL_SECONDS * 1000)

    def start_watching(self) -> None:
        """Poll while something happens; with inotify, sleep until the folders move (no idle CPU)."""
        if self.watch.notifier is not None:
            self.loop.add_handler(self.watch.notifier.fd, self._woken, IOLoop.READ)
        if not self.watch.sleeps:
            self.poller.start()

    def _woken(self, fd: int, events: int) -> None:
        if not self.poller.is_running():
            self.poller.start()

    def show_url(self) -> None:
        """Print where to open the preview (again when site_config.yaml moved the base path)."""
        base = self.preview.config.base_path if self.preview.config else "/"
        if base != self.shown_base:
            self.shown_base = base
            _out(say("serve_open", self.preview.lang, url=self.origin + base))

    def tick(self) -> None:
        changed = self.watch.poll()
        if self.watch.sleeps and not self.watch.moved and not changed:
            self.poller.stop()  # settled: inotify wakes the poller at the next event
        if changed:
            self.preview.rebuild(changed)
            if self.stopping:  # Ctrl-C came during the build
                self.loop.stop()
                return
            self.show_url()
            LiveReloadHandler.reload_waiters("*")  # one full reload per rebuild, the error page too

    def interrupt(self, signum: int, frame: object) -> None:
        """Ctrl-C: stop between requests; during a build, once it is done (an exception at an
        arbitrary point could be swallowed or leave workers half forked); a second one, at once."""
        if self.preview.building and not self.stopping:
            self.stopping = True
            # os.write: print() here could re-enter a print the build is in the middle of
            os.write(sys.stdout.fileno(), (say("serve_stopping", self.preview.lang) + "\n").encode())
            return
        self.stopping = True
        if self.preview.building:
            raise KeyboardInterrupt  # the build's writer removes its unfinished folder
        self.loop.asyncio_loop.call_soon_threadsafe(self.loop.stop)  # type: ignore[attr-defined]


def serve(root: Path, host: str, port: int, lang: str) -> int:
    """Run the preview until Ctrl-C. Exit 0 when stopped, 2 when the address cannot be used."""
    asyncio.set_event_loop(asyncio.new_event_loop())
    _quiet_logs()
    preview = Preview(root, lang)
    preview.config = load_config(root, Problems())
    server = Server(app=preview.app)
    try:
        server.application(port, host, liveport=None, debug=False, live_css=False)
    except (OSError, OverflowError, ValueError) as err:
        if isinstance(err, OSError) and err.errno == errno.EADDRINUSE:
            print(say("serve_port_busy", lang, host=host, port=port, next=port + 1), file=sys.stderr)
        else:
            print(say("serve_cannot_listen", lang, host=host, port=port, reason=err), file=sys.stderr)
        return EXIT_USAGE
    session = _Session(preview, Watch(root), host, port)
    for number in workers.STOPPING:
        signal.signal(number, session.interrupt)
    try:
        preview.rebuild()
        if not session.stopping:
            session.show_url()
            _out(say("serve_stop_hint", lang))
            session.start_watching()
            session.loop.start()
    except KeyboardInterrupt:
        pass
    _out(say("serve_bye", lang))
    return EXIT_OK
