"""Command line: `python build.py [build|check|serve|schema|fmt]`. Exit 0 ok, 1 content errors, 2 usage."""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

import yaml

from mppsite.core import lock, project_files
from mppsite.core.formats import DEFAULT_LANGUAGES
from mppsite.core.problems import NOTE, ContentError, Problem, one_line, say

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130  # the shell's own code for a Ctrl-C
SETTINGS_MAX_BYTES = 64 * 1024


def _parser(default_project: Path) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build.py",
        description="Build the MPP public information site from content/ and site_config.yaml.",
        epilog="Exit codes: 0 success, 1 content errors (the previous site is left as it was), "
               "2 wrong usage.")
    common = argparse.ArgumentParser(add_help=False)  # the same options after the command
    _options(common, argparse.SUPPRESS, argparse.SUPPRESS)
    _options(parser, default_project, None)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("build", parents=[common],
                        help="build the site into output_dir (the default command)",
                        description="Build the whole site into output_dir. The new site is written "
                                    "beside it and put in place only when complete: on any error the "
                                    "previous site stays as it was.")
    check = commands.add_parser("check", parents=[common],
                                help="validate all content without writing anything",
                                description="Check all content as a build would, and warn about missing "
                                            "translations, links and images that lead nowhere or lack "
                                            "alt text, entries not reviewed in 12 months and unused "
                                            "counters. Writes nothing.")
    check.add_argument("--strict", nargs="?", const="all", choices=("all", "publish", "security"),
                       help="treat warnings as errors: all of them, or with --strict=publish only those "
                            "about what must not be published: links and images that lead nowhere, "
                            "images without alt text, links to http://, images from other sites (the "
                            "pull-request check; 'security' is its older name)")
    serve = commands.add_parser("serve", parents=[common],
                                help="build, serve locally and rebuild on every change",
                                description="Build, then serve the site on this computer under the path "
                                            "of base_url, rebuild on every saved change and reload the "
                                            "browser. Broken content shows its errors in the browser. "
                                            "Ctrl-C stops it.")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=_port, default=8000, help="port, 1 to 65535 (default 8000)")
    commands.add_parser("schema", parents=[common],
                        help="write the JSON Schema files for editors into schema/",
                        description="Write the JSON Schema files that editors use to complete and "
                                    "check the content files into schema/.")
    fmt = commands.add_parser("fmt", parents=[common],
                              help="rewrite content/ in its one canonical form (what the form editor writes)",
                              description="Rewrite every content file in the canonical form: keys in the "
                                          "schema's order, block style, every text as {id: ...}, quotes only "
                                          "where YAML needs them; comments kept. Files that cannot be read "
                                          "are reported and left as they are.")
    fmt.add_argument("--check", action="store_true",
                     help="write nothing: list the files not in the canonical form and exit 1 if any")
    return parser


def _options(parser: argparse.ArgumentParser, project: Any, lang: Any) -> None:
    parser.add_argument("--project", type=Path, default=project,
                        help="project folder (default: the folder of build.py)")
    parser.add_argument("--lang", choices=("id", "en"), default=lang,
                        help="language of messages (default: the site's default language)")


def _port(value: str) -> int:
    """A TCP port; the resolver would quietly wrap 70000 round to 4464."""
    if not value.isdigit() or not 1 <= int(value) <= 65535:
        raise argparse.ArgumentTypeError(f"{value!r} is not a port number (1 to 65535)")
    return int(value)


def _message_language(root: Path, requested: str | None) -> str:
    """Staff read the site's default language first, when messages exist in it (id, en);
    Indonesian otherwise."""
    if requested:
        return requested
    try:
        first = (_settings(root) or {}).get("languages", ["id"])[0]
        return first if first in ("id", "en") else "id"
    except Exception:  # an unreadable config is reported by the build itself
        return "id"


def _site_languages(root: Path) -> tuple[str, ...]:
    """site_config.yaml's languages, for the editors' schema; the bundled pair when unreadable."""
    try:
        found = (_settings(root) or {}).get("languages")
    except Exception:  # the build reports what is wrong with the settings
        found = None
    if isinstance(found, list) and found and all(isinstance(code, str) for code in found):
        return tuple(found)
    return DEFAULT_LANGUAGES


def _site_repository(root: Path) -> str:
    """The form editor's GitHub repository, from site_config.yaml (`repository`, else base_url)."""
    from mppsite.check.cms_config import repository
    try:
        found = _settings(root) or {}
    except Exception:  # the build reports what is wrong with the settings
        found = {}
    base_url, given = found.get("base_url"), found.get("repository")
    return repository(base_url if isinstance(base_url, str) else "",
                      given if isinstance(given, str) else None)


def _settings(root: Path) -> Any:
    """site_config.yaml as plain data, read as the build reads it (project_files.read); the build
    reports whatever is wrong with it."""
    return yaml.safe_load(project_files.read(root / "site_config.yaml", root, SETTINGS_MAX_BYTES))


def _escape_data(text: str) -> str:
    """A workflow command's message: %, CR and LF would end or garble it (GitHub's toolkit rules)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def report(problems: list[Problem], lang: str, stream=None, strict: bool | str | None = False) -> None:
    """Print each problem; on GitHub Actions also as a workflow command, shown on the PR's line
    (as an error when it fails the run under --strict)."""
    stream = stream or sys.stderr
    annotate = os.environ.get("GITHUB_ACTIONS") == "true"
    for problem in problems:
        print(problem.format(lang), file=stream)
        if annotate:
            level = "error" if problem.severity == "error" or failing(problem, strict) else "warning"
            where = f"file={_escape_property(one_line(problem.file))}"
            if problem.line:
                where += f",line={problem.line},col={problem.column}"
            field_part = f"{one_line(problem.field)}: " if problem.field else ""
            print(f"::{level} {where}::{_escape_data(field_part + problem.message(lang))}", file=stream)


def failing(problem: Problem, strict: bool | str | None) -> bool:
    """Whether a warning fails the run under this --strict (a note never does; 'security', the
    pull-request check's older name, is 'publish')."""
    if problem.severity == NOTE:
        return False
    return bool(strict) and (strict == "all" or strict is True or problem.blocks_publishing)


def main(argv: list[str] | None = None, default_project: Path | None = None) -> int:
    parser = _parser(default_project or Path.cwd())
    args = parser.parse_args(argv)
    root = args.project.resolve()
    if not root.is_dir():
        parser.error(f"--project: {args.project} is not a folder")
    command = args.command or "build"
    if command not in ("build", "check"):
        return _run(args, root, command)
    lang = _message_language(root, args.lang)
    try:  # one build of a project at a time (lock.py)
        locked = lock.acquire(root, waiting=lambda: print(say("build_waiting", lang), file=sys.stderr,
                                                          flush=True))
    except lock.Busy:
        print(say("build_busy", lang), file=sys.stderr)
        return EXIT_CONTENT
    try:
        with stopped_by_signals():
            return _run(args, root, command)
    finally:
        if locked:
            lock.release(root)


class Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP (a CI job cancelled, a terminal closed), handled as Ctrl-C is: the
    workers end and the unfinished folders are removed."""


@contextlib.contextmanager
def stopped_by_signals() -> Iterator[None]:
    """SIGTERM and SIGHUP raise Stopped in this (the main) thread while the build runs."""
    def stop(signum: int, frame: object) -> None:
        raise Stopped(signum)

    wanted = [number for number in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None))
              if number is not None]
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = {number: signal.signal(number, stop) for number in wanted}
    try:
        yield
    finally:
        for number, handler in before.items():
            signal.signal(number, handler)


def _write_schema(root: Path) -> int:
    """schema/: the JSON Schema files for editors and the form editor's config.yml."""
    from mppsite.check import cms_config
    from mppsite.check.schema_export import export

    languages = _site_languages(root)
    for path in [*export(root / "schema", languages),
                 cms_config.export(root / "schema", languages, _site_repository(root))]:
        print(path.relative_to(root).as_posix())
    return EXIT_OK


def _run(args: argparse.Namespace, root: Path, command: str) -> int:
    lang = _message_language(root, args.lang)
    from mppsite import pipeline

    if command == "schema":
        return _write_schema(root)
    if command == "fmt":
        return _fmt(root, lang, args.check)
    if command == "serve":
        from mppsite.preview.serve import serve
        return serve(root, args.host, args.port, lang)
    try:
        built = pipeline.prepare(root) if command == "check" else pipeline.build(root)
    except KeyboardInterrupt as err:
        # The writer has already removed its unfinished folder; the published site is untouched.
        if isinstance(err, Stopped):
            print(say("build_stopped", lang, signal=signal.Signals(err.args[0]).name,
                      path=_output_dir_name(root)), file=sys.stderr)
            return 128 + err.args[0]
        print(say("build_interrupted", lang, path=_output_dir_name(root)), file=sys.stderr)
        return EXIT_INTERRUPTED
    except ContentError as err:
        found = err.problems.sorted()
        report(found, lang)
        errors = sum(1 for p in found if p.severity == "error")
        print(say("summary_line", lang, errors=errors, warnings=len(found) - errors), file=sys.stderr)
        if command == "build":
            if any(p.key == "output_dir_unsafe" for p in found):  # nothing was, or will be, touched
                print(say("build_refused", lang), file=sys.stderr)
            else:
                print(say("build_failed", lang, path=_output_dir_name(root)), file=sys.stderr)
        return EXIT_CONTENT
    except OSError as err:  # the disk, not the content: full, read-only, a name the system refuses
        where = f" ({err.filename})" if err.filename else ""
        print(say("write_failed", lang, reason=(err.strerror or str(err)) + where,
                  path=_output_dir_name(root)), file=sys.stderr)
        return EXIT_CONTENT
    if command == "check":
        warnings = built.problems.sorted()
        report(warnings, lang, strict=args.strict)
        print(say("summary_line", lang, errors=0, warnings=len(warnings)))
        blocking = sum(problem.blocks_publishing for problem in warnings)
        if blocking and not args.strict:
            print(say("blocking_warnings_hint", lang, count=blocking))
        failed = [problem for problem in warnings if failing(problem, args.strict)]
        if failed:
            print(say("strict_failed" if args.strict == "all" else "strict_publish_failed", lang,
                      count=len(failed)))
            return EXIT_CONTENT
        print(say("check_ok", lang))
        return EXIT_OK
    print(say("build_done", lang, path=built.config.output_dir, pages=built.pages, files=built.files,
              seconds=f"{built.seconds:.2f}"))
    warned = built.problems.count()
    if warned:
        print(say("warnings_hint", lang, count=warned))
    return EXIT_OK


def _fmt(root: Path, lang: str, checking: bool) -> int:
    """`fmt`: the changed files one per line on stdout; unreadable ones reported as check does."""
    from mppsite.tidy.files import format_project

    outcome = format_project(root, _site_languages(root), write=not checking)
    for rel in outcome.links:
        print(say("fmt_link", lang, path=rel), file=sys.stderr)
    report(outcome.problems.sorted(), lang)
    for rel in outcome.changed:
        print(rel)
    unreadable = len({problem.file for problem in outcome.problems.items})
    if unreadable:
        print(say("fmt_unreadable", lang, count=unreadable), file=sys.stderr)
    if checking and outcome.changed:
        print(say("fmt_check_failed", lang, count=len(outcome.changed)), file=sys.stderr)
        return EXIT_CONTENT
    if not checking:
        print(say("fmt_done", lang, count=len(outcome.changed)), file=sys.stderr)
    elif not unreadable:
        print(say("fmt_check_ok", lang), file=sys.stderr)
    return EXIT_CONTENT if unreadable else EXIT_OK


def exit_now(status: int) -> NoReturn:
    """End the process with `status` without Python freeing the site's objects one by one (a
    rebuild after one edit at 10,000 services: 1.0 s, not 1.2 s). When `main` returns, files are
    closed and children reaped: only the standard streams need flushing. Profilers, coverage and
    debuggers get the usual exit."""
    if sys.getprofile() is not None or sys.gettrace() is not None:
        sys.exit(status)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe: nothing can reach it
            stream.flush()
    os._exit(status)


def _output_dir_name(root: Path) -> str:
    try:
        return str((_settings(root) or {}).get("output_dir", "output"))
    except Exception:
        return "output"
