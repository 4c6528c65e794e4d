"""`python build.py serve`: build, serve output/ under base_url's path, rebuild on every save.

Pages are served under the same path as in production, so preview links equal real links.
When content is broken, every page shows the list of problems instead of a stale site, and the
site comes back by itself once the file is fixed. The server never stops on bad input.

livereload gives the browser side (its script, injected before `</head>`, and the websocket
that tells the page to reload). Its own file watcher is not used: it calls the task once per
changed folder and per poll, drops a reload that follows another within three seconds, and
counts an editor's swap and backup files as changes. `Watch` below notices a save once the
burst of writes is over, ignores editor litter and saves that left the bytes as they were,
and each rebuild sends exactly one reload.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import errno
import html
import logging
import mimetypes
import os
import signal
import struct
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path

from livereload import Server
from livereload.handlers import LiveReloadHandler
from tornado.ioloop import IOLoop, PeriodicCallback

from mppsite import pipeline
from mppsite.check.config import Config, load_config
from mppsite.core import lock
from mppsite.core.fingerprint import digest_of
from mppsite.core.problems import ContentError, Problem, Problems, say
from mppsite.write.publish import SearchJob
from mppsite.write.search import bundle_files

EXIT_OK, EXIT_USAGE = 0, 2
WATCHED = ("content", "templates", "site_config.yaml")
POLL_SECONDS = 0.01  # how often the watcher asks (on Linux it looks only after inotify saw something)
# A save counts once no file has moved for this long. An editor's save is a burst of writes and
# renames a few milliseconds apart; a save caught half-way is only rebuilt once more when it ends.
QUIET_SECONDS = 0.025
# After a reload, the garbage of the builds is collected when the browser has had time to load
# the page (0.4 s at 10,000 services, during which the preview answers nothing).
RELEASE_SECONDS = 1.0

_PR_SET_PDEATHSIG = 1  # linux/prctl.h
_parent_pid = os.getpid()  # the preview's own process, set again when it starts

# Files editors write next to the one being edited: never content, never a reason to rebuild.
_JUNK_SUFFIXES = (".swp", ".swo", ".swn", ".swx", ".swpx", ".tmp", ".bak", ".orig", ".crdownload",
                  "___jb_tmp___", "___jb_old___")
_JUNK_NAMES = frozenset({"4913", ".DS_Store", "Thumbs.db", "desktop.ini"})
_JUNK_DIRS = frozenset({"__pycache__", "node_modules"})


def is_editor_junk(name: str) -> bool:
    """Swap, backup, lock and temporary files of editors and file managers (vim, emacs, JetBrains)."""
    return (name in _JUNK_NAMES or name.endswith("~") or name.startswith((".#", "#", ".goutputstream-"))
            or name.endswith(_JUNK_SUFFIXES))


class Watch:
    """Notices saved changes in content/, templates/ and site_config.yaml, once per save.

    `poll()` is called every POLL_SECONDS. A change is reported only after QUIET_SECONDS without
    further writes (an editor's save is several writes and renames), and only for files whose
    bytes differ from the last report (saving twice, or touching a file, rebuilds nothing).
    """

    def __init__(self, root: Path, names: Iterable[str] = WATCHED, quiet: float = QUIET_SECONDS):
        self.root = root
        self.names = tuple(names)
        self.quiet = quiet
        self.folders: set[str] = set()
        self.notifier = _Notifier.open()  # None: every poll scans (not Linux, or no inotify)
        self.stats = self._scan()
        self.digests = {rel: _digest(root / rel) for rel in self.stats}
        self.moved: set[str] = set()
        self.last_move = 0.0

    def _scan(self) -> dict[str, tuple[int, int]]:
        """Every watched file (relative, forward slashes) with its modification time and size."""
        found: dict[str, tuple[int, int]] = {}
        folders = {str(self.root)}  # site_config.yaml is watched through its folder
        for name in self.names:
            top = self.root / name
            if top.is_file():
                _stat_into(found, top, name)
                continue
            for folder, dirs, files in os.walk(top):
                folders.add(folder)
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in _JUNK_DIRS)
                prefix = Path(folder).relative_to(self.root).as_posix()
                for file in files:
                    if not is_editor_junk(file):
                        _stat_into(found, Path(folder) / file, f"{prefix}/{file}")
        if self.notifier is not None and folders != self.folders:
            self.notifier.watch(folders)
        self.folders = folders
        return found

    def poll(self, now: float | None = None) -> list[str] | None:
        """The files changed by a finished save (sorted), or None while nothing is due."""
        now = time.monotonic() if now is None else now
        if self.notifier is not None and not self.moved and not self.notifier.pending():
            return None  # nothing happened in the watched folders: no need to look (idle costs nothing)
        current = self._scan()
        if current != self.stats:
            self.moved |= {rel for rel in current.keys() | self.stats.keys()
                           if current.get(rel) != self.stats.get(rel)}
            self.stats = current
            self.last_move = now
            return None
        if not self.moved or now - self.last_move < self.quiet:
            return None
        changed = []
        for rel in sorted(self.moved):
            digest = _digest(self.root / rel) if rel in current else None
            if digest != self.digests.get(rel):
                changed.append(rel)
            if digest is None:
                self.digests.pop(rel, None)
            else:
                self.digests[rel] = digest
        self.moved.clear()
        return changed or None


class _Notifier:
    """Linux inotify on the watched folders: says whether anything happened in them since last asked.

    The watcher still finds out what changed by looking (`Watch._scan`); this only spares it the
    look while nothing happens, so an idle preview uses no CPU. Folders that appear are watched
    from the next look on; a folder removed and made again is watched again.
    """

    MASK = (0x2 | 0x4 | 0x8 | 0x40 | 0x80 | 0x100 | 0x200 | 0x400 | 0x800  # modify, attrib, close_write,
            | 0x1000000)  # moved_from/to, create, delete, delete_self, move_self; only folders
    IGNORED = 0x8000  # the kernel dropped a watch (its folder is gone)

    def __init__(self, libc: ctypes.CDLL, fd: int):
        self.libc, self.fd = libc, fd
        self.watched: dict[int, str] = {}  # watch descriptor -> folder

    @classmethod
    def open(cls) -> _Notifier | None:
        if not sys.platform.startswith("linux"):
            return None
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            fd = libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        except (OSError, AttributeError):
            return None
        return cls(libc, fd) if fd >= 0 else None

    def watch(self, folders: set[str]) -> None:
        known = set(self.watched.values())
        for folder in sorted(folders - known):
            descriptor = self.libc.inotify_add_watch(self.fd, os.fsencode(folder), self.MASK)
            if descriptor >= 0:
                self.watched[descriptor] = folder

    def pending(self) -> bool:
        """True when any event arrived since the last call (all of them are read)."""
        seen = False
        while True:
            try:
                data = os.read(self.fd, 65536)
            except BlockingIOError:
                return seen
            except OSError:
                return True  # cannot tell: look
            if not data:
                return seen
            seen = True
            offset = 0
            while offset + 16 <= len(data):
                descriptor, mask, _, size = struct.unpack_from("iIII", data, offset)
                if mask & self.IGNORED:
                    self.watched.pop(descriptor, None)
                offset += 16 + size


def _stat_into(found: dict[str, tuple[int, int]], path: Path, rel: str) -> None:
    try:
        info = path.stat()
    except OSError:  # removed between listing and looking: it is simply gone
        return
    found[rel] = (info.st_mtime_ns, info.st_size)


def _digest(path: Path) -> str | None:
    try:
        return digest_of(path.read_bytes())
    except OSError:
        return None


class Preview:
    """The last build's outcome, and a WSGI app that serves it (or the problems that stop it)."""

    def __init__(self, root: Path, lang: str):
        self.root = root
        self.lang = lang
        self.errors: list[str] = []
        self.config: Config | None = None
        self.building = False
        # Kept between builds: compiled templates; the search index is built after the reload.
        self.warm = pipeline.Warm()
        self.lock = threading.Lock()  # a build and putting a new search index in place never overlap
        self.search = _SearchRefresh(self)

    def rebuild(self, changed: list[str] | None = None) -> bool:
        """Build the site; on problems keep them for the error page. Never raises on bad input."""
        started = time.perf_counter()
        self.building = True
        try:
            with self.locked():
                built = pipeline.build(self.root, self.warm, frozen=True)  # _Session.release
                self.warm.after_reload = True  # from the second build on
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

    def locked(self) -> contextlib.AbstractContextManager[None]:
        """This preview's lock, then the project's (lock.py): a `python build.py` meanwhile waits,
        and this waits for one, saying so."""
        stack = contextlib.ExitStack()
        stack.enter_context(self.lock)
        try:
            stack.enter_context(lock.held(self.root, waiting=lambda: _out(say("build_waiting", self.lang))))
        except BaseException:
            stack.close()
            raise
        return stack

    def finish(self) -> None:
        """What the last build left for after the reload (pipeline.Warm.finish)."""
        with self.locked():
            self.warm.finish()

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
            start_response("405 Method Not Allowed", [("Allow", "GET, HEAD"),
                                                      ("Content-Type", "text/plain; charset=utf-8")])
            return [b"405 Method Not Allowed"]
        try:
            body = self._respond(environ, start_response)
        except Exception:  # a request must never take the server down
            traceback.print_exc()
            start_response("500 Internal Server Error", [("Content-Type", "text/plain; charset=utf-8")])
            body = [b"500"]
        return [] if method == "HEAD" else body

    def _respond(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "/").encode("latin-1").decode("utf-8", "replace")
        if not path.isprintable():  # "%00" and the like: no file of a site has such a name
            start_response("400 Bad Request", [("Content-Type", "text/plain; charset=utf-8")])
            return [b"400 Bad Request"]
        base = self.config.base_path if self.config else "/"
        if not path.startswith(base) and (path == "/" or base.startswith(path.rstrip("/") + "/")):
            start_response("302 Found", [("Location", base), ("Content-Type", "text/plain; charset=utf-8"),
                                          ("Cache-Control", "no-store")])
            return [b""]
        if self.errors or self.config is None:
            start_response("500 Content Error", [("Content-Type", "text/html; charset=utf-8"),
                                                 ("Cache-Control", "no-store")])
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


class _SearchRefresh:
    """Builds the search index of the latest build in a thread, after the browser has reloaded.

    Pagefind takes most of a second even for the bundled site; the pages must not wait for it.
    Until the new index is in place the previous one answers (a few seconds stale at most). Only
    the newest job is built: a job overtaken by another save while waiting is dropped.
    """

    def __init__(self, preview: Preview):
        self.preview = preview
        self.pending: SearchJob | None = None
        self.wake = threading.Condition()
        self.thread: threading.Thread | None = None

    def submit(self, job: SearchJob) -> None:
        with self.wake:
            self.pending = job
            self.wake.notify()
        if self.thread is None:
            self.thread = threading.Thread(target=self._run, name="search-index", daemon=True)
            self.thread.start()

    def _run(self) -> None:
        while True:
            with self.wake:
                while self.pending is None:
                    self.wake.wait()
                job, self.pending = self.pending, None
            try:
                files = bundle_files(job.site, job.router, job.langs)
            except ContentError as err:
                for problem in err.problems.sorted():
                    print(problem.format(self.preview.lang), file=sys.stderr, flush=True)
                continue
            except Exception:  # a bug must not stop the preview
                traceback.print_exc()
                continue
            with self.wake:
                if self.pending is not None:  # a newer save is waiting: build that one instead
                    continue
            with self.preview.locked():
                try:
                    self.preview.warm.finish()  # the manifest the index is recorded in
                    pipeline.install_search(self.preview.root, job.config, job.digest, files)
                except OSError:
                    traceback.print_exc()


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
    start_response(status, [("Content-Type", kind), ("Cache-Control", "no-store")])
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
        self.release_due: object | None = None  # the IOLoop timeout of the next `release`

    def start_watching(self) -> None:
        """Poll while something happens; with inotify, sleep until the folders move (no idle CPU)."""
        notifier = self.watch.notifier
        if notifier is None:
            self.poller.start()
            return
        self.loop.add_handler(notifier.fd, self._woken, IOLoop.READ)

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
        if self.watch.notifier is not None and not self.watch.moved and not changed:
            self.poller.stop()  # settled: inotify wakes the poller at the next event
        if changed:
            self.preview.rebuild(changed)
            if self.stopping:  # Ctrl-C came during the build
                self.loop.stop()
                return
            self.show_url()
            LiveReloadHandler.reload_waiters("*")  # one full reload per rebuild, the error page too
            # The manifest and the open data are written beside the pages served after the reload.
            threading.Thread(target=self.preview.finish, name="manifest", daemon=True).start()
            if self.preview.warm.search is not None:  # then the search index, the old one meanwhile
                self.preview.search.submit(self.preview.warm.search)
                self.preview.warm.search = None
            self.release_later()

    def release_later(self) -> None:
        """Free the builds' garbage once the browser has loaded the page (pipeline.release)."""
        if self.release_due is not None:
            self.loop.remove_timeout(self.release_due)
        self.release_due = self.loop.call_later(RELEASE_SECONDS, self.release)

    def release(self) -> None:
        self.release_due = None
        if not self.preview.building:
            pipeline.release()

    def interrupt(self, signum: int, frame: object) -> None:
        """Ctrl-C: stop between requests; during a build, once it is done; a second one, at once.

        An exception raised at an arbitrary point of a build can be swallowed (inside an at-fork
        hook, say) or leave workers half forked, so the first Ctrl-C only asks to stop.
        """
        if self.preview.building and not self.stopping:
            self.stopping = True
            # os.write: print() here could re-enter a print the build is in the middle of
            os.write(sys.stdout.fileno(), (say("serve_stopping", self.preview.lang) + "\n").encode())
            return
        self.stopping = True
        if self.preview.building:
            raise KeyboardInterrupt  # the build's writer removes its unfinished folder
        self.loop.asyncio_loop.call_soon_threadsafe(self.loop.stop)  # type: ignore[attr-defined]


def _child_signals() -> None:
    """In a process forked by the build (render workers): Ctrl-C is the preview's to handle, the
    build's own SIGTERM must still end it, and it must not outlive the preview.

    When Ctrl-C lands while the build is forking its workers, one could be left behind; it
    would keep the port and the terminal's output open. On Linux the kernel ends it when the
    preview ends.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):  # no prctl: workers end as the build ends them (workers.share)
            return
        if os.getppid() != _parent_pid:  # the preview ended between fork and prctl
            os._exit(1)


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
    signal.signal(signal.SIGINT, session.interrupt)
    signal.signal(signal.SIGTERM, session.interrupt)
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, session.interrupt)
    global _parent_pid
    _parent_pid = os.getpid()
    os.register_at_fork(after_in_child=_child_signals)
    try:
        preview.rebuild()
        if not session.stopping:
            session.show_url()
            _out(say("serve_stop_hint", lang))
            session.start_watching()
            session.release_later()
            session.loop.start()
    except KeyboardInterrupt:
        pass
    preview.finish()  # the last build's manifest, if its thread has not written it yet
    _out(say("serve_bye", lang))
    return EXIT_OK
