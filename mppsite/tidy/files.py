"""fmt over a project: which files, read as the build reads them, formatted, and written back
safely. A file the loader cannot read is reported as `check` reports it and left untouched; a
link is never written through; a file is replaced whole (a temporary file, then a rename), so an
interrupted run leaves each file old or new, never half written."""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml.error import MarkedYAMLError, YAMLError

from mppsite.check.languages import is_language_code
from mppsite.core import project_files
from mppsite.core.problems import ERROR, Msg, Problems
from mppsite.load.content import DOCUMENT_KINDS, TOP_FILES, load_markdown
from mppsite.load.source import Source, load_yaml, parse_yaml, relative
from mppsite.tidy.canonical import canonical_yaml
from mppsite.tidy.shapes import file_shape

_FRONT_MATTER = re.compile(r"\A(---[ \t]*\r?\n)(.*?\r?\n)?(---[ \t]*(?:\r?\n|\Z))", re.S)


@dataclass
class Outcome:
    changed: list[str] = field(default_factory=list)  # not in the canonical form (rewritten unless checking)
    links: list[str] = field(default_factory=list)  # files reached through a link: left alone
    problems: Problems = field(default_factory=Problems)  # files that could not be read


def content_files(root: Path) -> list[Path]:
    """The files fmt formats, in the order the loader reads them (load/content.py)."""
    base = root / "content"
    found = [base / name for name in TOP_FILES]
    for kind in DOCUMENT_KINDS:
        found += sorted((base / kind).glob("*.md"))
    services = base / "services"
    found += sorted(services.glob("*.yaml")) + sorted(services.glob("*.yml"))
    return [path for path in found if not project_files.skipped(path.name) and os.path.lexists(path)]


def format_project(root: Path, languages: tuple[str, ...], write: bool) -> Outcome:
    """Format every content file of `root` (only list the changes when not `write`)."""
    outcome = Outcome()
    for path in content_files(root):
        rel = relative(path, root)
        if os.path.realpath(path) != os.path.abspath(path):
            outcome.links.append(rel)
            continue
        source = _read(path, root, outcome.problems)
        if source is None:
            continue
        written = project_files.read(path, root).decode("utf-8")  # (the loader found it is text)
        try:
            formatted = format_text(rel, written.removeprefix("\ufeff"), languages)
        except YAMLError as err:  # libyaml read it, ruamel not: reported all the same
            mark = err.problem_mark if isinstance(err, MarkedYAMLError) else None
            line = mark.line + 1 + source.line_offset if mark else 0
            outcome.problems.add(rel, line, mark.column + 1 if mark else 0, "", "yaml_syntax",
                                 detail=" ".join(str(err).split()))
            continue
        if not reads_back(source, formatted, outcome.problems):
            continue
        if formatted != written:
            outcome.changed.append(rel)
            if write:
                try:
                    replace_file(path, formatted)
                except OSError as err:  # a full disk, a read-only folder: the file stays as it was
                    outcome.problems.add(rel, 0, 0, "", "fmt_write_failed", reason=err.strerror or str(err))
    return outcome


def _read(path: Path, root: Path, problems: Problems) -> Source | None:
    """The file as the build reads it; None, with the loader's errors in its YAML added to
    `problems` (as `check` words them), when it cannot be read. Errors in a Markdown body are
    check's business: the front matter is formatted all the same."""
    found = Problems()
    source = load_markdown(path, root, found) if path.suffix == ".md" else load_yaml(path, root, found)
    errors = [problem for problem in found.items if problem.severity == ERROR
              and not (source and source.body_line and problem.line >= source.body_line)]
    if source is None or errors or not source.parsed:
        problems.items.extend(errors)
        return None
    return source


def reads_back(source: Source, formatted: str, problems: Problems) -> bool:
    """Whether the build's loader reads the formatted text without an error (a safety net: a
    file fmt would spoil is reported, not written)."""
    found = Problems()
    if source.rel.endswith(".md"):
        match = _FRONT_MATTER.match(formatted)
        text = (match.group(2) or "") if match else ""
    else:
        text = formatted
    check = Source(path=source.path, rel=source.rel, text=formatted, line_offset=source.line_offset)
    parse_yaml(check, text, found)
    errors = [problem for problem in found.items if problem.severity == ERROR]
    if errors or not check.parsed:
        first = errors[0] if errors else None
        problems.add(source.rel, 0, 0, "", "fmt_failed",
                     detail=Msg(first.key, first.params) if first else "")
        return False
    return True


def format_text(rel: str, text: str, languages: tuple[str, ...]) -> str:
    """The canonical form of the file at `rel` whose text is `text` (a Markdown file: its front
    matter; the body is kept as it is)."""
    shape = file_shape(rel)
    if shape is None:
        return text
    if not rel.endswith(".md"):
        return canonical_yaml(text, shape, languages, catalog=rel.startswith("content/services/"))
    match = _FRONT_MATTER.match(text)
    if match is None:
        return text
    front = canonical_yaml(match.group(2) or "", shape, document_languages(rel, languages))
    return "---\n" + front + "---\n" + text[match.end():]


def document_languages(rel: str, languages: tuple[str, ...]) -> tuple[str, ...]:
    """The languages of a document's words: `slug.en.md` is written in English, so its texts
    are {en: ...} (as check reads them: check/validate.py); `slug.md` in the site's languages."""
    parts = rel.rsplit("/", 1)[-1].split(".")
    if len(parts) == 3 and parts[1] != languages[0] and (parts[1] in languages or is_language_code(parts[1])):
        return (parts[1],)
    return languages


def replace_file(path: Path, text: str) -> None:
    """Write `text` to `path` whole or not at all, keeping its permissions. The temporary file's
    name starts with a dot: the build never reads it."""
    mode = stat.S_IMODE(os.stat(path).st_mode)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
