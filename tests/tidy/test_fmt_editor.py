"""fmt writes what the form editor writes (issue 30): for the same data, fmt's output without its
comment lines equals, byte for byte, what the npm package `yaml` 2.9.1 writes with Sveltia CMS's
options (tests/cms/stringify.mjs, one node process for many documents). Over every bundled
content file and front matter, the tirtamaya fixture's, and generated strings."""

from __future__ import annotations

import datetime
import json
import re
import shutil
import subprocess

import pytest
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mppsite.core.problems import Problems
from mppsite.load.source import Source, parse_yaml
from mppsite.tidy.files import content_files, document_languages, format_text
from mppsite.tidy.scalars import written

CMS = ROOT / "tests" / "cms"
PROJECTS = {"bundled": ROOT, "tirtamaya": ROOT / "tests" / "fixtures" / "tirtamaya"}
LANGUAGES = ("id", "en")
_FRONT_MATTER = re.compile(r"\A---\n(.*?\n)---\n", re.S)
DATE_LIKE = re.compile(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt ]|\Z)")
UNSAFE = re.compile("[\t\x7f-\x9f\u2028\u2029\ufeff]")
_COMMENT_LINE = re.compile(r"[ \t]*#")
_SPECIAL = re.compile("[\x7f-\x9f\u2028\u2029]")  # escaped in the JSON that fmt reads as YAML


def editor_writes(documents: list[object]) -> list[str]:
    """What the form editor's YAML writer writes for each document (node, one process)."""
    if shutil.which("node") is None or not (CMS / "node_modules" / "yaml").is_dir():
        pytest.fail("node or tests/cms/node_modules is missing: `make test` installs it (npm ci, tests/cms)")
    done = subprocess.run(["node", str(CMS / "stringify.mjs")], input=json.dumps(documents),
                          capture_output=True, text=True, encoding="utf-8", cwd=CMS, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def as_form_holds(data: object) -> object:
    """The data as the form holds it: dates as YYYY-MM-DD strings (JSON has no dates)."""
    if isinstance(data, dict):
        return {key: as_form_holds(value) for key, value in data.items()}
    if isinstance(data, list):
        return [as_form_holds(value) for value in data]
    if isinstance(data, datetime.date):
        return data.isoformat()
    return data


def loaded(rel: str, text: str) -> object:
    """`text` read as the build's loader reads it."""
    problems = Problems()
    source = Source(path=ROOT / rel, rel=rel, text=text)
    parse_yaml(source, text, problems)
    assert source.parsed, [problem.format() for problem in problems.items]
    return source.data


def formatted_documents() -> dict[str, str]:
    """fmt's output for every content YAML file and front matter of both projects, by name."""
    found = {}
    for name, project in PROJECTS.items():
        for path in content_files(project):
            rel = path.relative_to(project).as_posix()
            text = format_text(rel, path.read_text(encoding="utf-8"), LANGUAGES)
            if rel.endswith(".md"):
                match = _FRONT_MATTER.match(text)
                assert match is not None, rel
                text = match.group(1)
            found[f"{name}:{rel}"] = text
    return found


def without_comments(text: str) -> str:
    return "".join(line for line in text.splitlines(keepends=True) if not _COMMENT_LINE.match(line))


def test_every_bundled_file_is_written_as_the_form_editor_writes_it() -> None:
    documents = formatted_documents()
    names = sorted(documents)
    data = [as_form_holds(loaded(name.split(":", 1)[1], documents[name])) for name in names]
    written = editor_writes(data)
    assert len(names) >= 50  # both projects' catalogs, front matters and lists
    for name, editor in zip(names, written, strict=True):
        assert without_comments(documents[name]) == editor, name


def test_a_saved_form_is_already_canonical() -> None:
    """The editor's own output (no comments) goes through fmt unchanged."""
    documents = formatted_documents()
    names = sorted(name for name in documents if "/services/" in name)
    written = editor_writes([as_form_holds(loaded(name.split(":", 1)[1], documents[name])) for name in names])
    for name, editor in zip(names, written, strict=True):
        assert format_text(name.split(":", 1)[1], editor, LANGUAGES) == editor, name


# Strings of the kinds YAML writers disagree on: words that read as numbers or booleans, times,
# ': ', '#', quotes, leading indicators, long lines, line breaks, spaces at a line's end.
_PIECES = st.sampled_from([
    "yes", "no", "on", "true", "False", "null", "~", "08:00", "1:30", "12", "0777", "0x1F", "0o17",
    "1e3", "1.5", ".inf", "-", "?", ":", ": ", " #", "#", "# x", "'", '"', "''", "@", "`", "%", "!",
    "&a", "*a", "|", ">", "[", "]", "{", "}", ",", "-x", "- x", "? x", "\n", "\n\n", " \n", "\n ",
    "\t", "  ", " ", "---", "...", "Kartu Keluarga", "KTP-el", "Rp 30.000", "2025-01-21", "x" * 120,
    "é", "—", "→", "\u00a0", "\x1b", "\x85", "\u2028", "😀",
])


def _written_alike(value: str) -> bool:
    """Not one of the texts fmt writes otherwise, on purpose (the tests after the next one)."""
    only_spaces = not value.strip() and value.strip("\n")
    return not (DATE_LIKE.match(value) or UNSAFE.search(value) or only_spaces)


_STRINGS = st.lists(_PIECES | st.text(max_size=6), max_size=6).map("".join).filter(_written_alike)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_STRINGS, min_size=1, max_size=50))
def test_any_text_is_written_as_the_form_editor_writes_it(values: list[str]) -> None:
    """Each string as a Text, a list item, a value in a list's mapping and a top-level item:
    fmt (on a page's front matter) against the editor, 50 values per node process."""
    page = "content/pages/x.md"
    documents, fmt_out = [], []
    for value in values:
        data = {"title": {"id": value}, "tags": [value, {"k": value}], "end": 1}  # not last: below
        source = _SPECIAL.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(data, ensure_ascii=False))
        documents.append(data)
        text = format_text(page, f"---\n{source}\n---\nbody\n", document_languages(page, LANGUAGES))
        fmt_out.append(_FRONT_MATTER.match(text).group(1))
    for value, fmt_text, editor in zip(values, fmt_out, editor_writes(documents), strict=True):
        assert fmt_text == editor, repr(value)


def test_a_text_the_build_would_read_as_a_date_is_quoted_though_the_editor_does_not() -> None:
    """The first difference: the editor writes the text `2025-01-21` plain, which the build
    reads as a date; fmt quotes it, so that formatting never changes what the build reads."""
    assert editor_writes([{"title": "2025-01-21"}]) == ["title: 2025-01-21\n"]
    assert written("2025-01-21", "  ") == "'2025-01-21'"
    assert written("2025-1-2 10:00:00", "  ") == "'2025-1-2 10:00:00'"
    assert written("2025-01-21 ada", "  ") == "2025-01-21 ada"


def test_line_break_lookalikes_are_escaped_though_the_editor_writes_them_as_they_are() -> None:
    """The second: U+2028 written plain by the editor is a line break to YAML readers, U+007F in
    quotes is refused by the build's loader; fmt escapes them, so they read back as written."""
    assert editor_writes([{"a": "x\u2028y", "b": "\x7f"}]) == ['a: x\u2028y\nb: "\x7f"\n']
    formatted = format_text("content/pages/x.md", '---\ntitle: "x\\Ly\\x7f"\n---\n', LANGUAGES)
    assert formatted == '---\ntitle:\n  id: "x\\Ly\\x7f"\n---\n'
    assert loaded("x.yaml", formatted.split("---\n")[1])["title"] == {"id": "x\u2028y\x7f"}


def test_blank_lines_ending_the_last_value_are_kept_though_the_editor_trims_them() -> None:
    """The third: the editor trims the end of the file, blank lines of a last `|+` block too."""
    assert editor_writes([{"a": "x\n\n"}]) == ["a: |+\n  x\n"]
    formatted = format_text("content/pages/x.md", '---\ntitle: "x\\n\\n"\n---\n', LANGUAGES)
    assert formatted == "---\ntitle:\n  id: |+\n    x\n\n---\n"


def test_spaces_and_line_breaks_alone_are_quoted_though_the_editor_writes_a_block() -> None:
    """The fourth: ' \n' as the editor writes it (a `|+` block of one blank line) reads back as
    '\n'; fmt writes it in quotes."""
    assert editor_writes([{"a": " \n", "b": 1}]) == ["a: |+\n   \nb: 1\n"]
    assert written(" \n", "  ") == '"\\ \\n"'
    assert loaded("x.yaml", 'a: "\\ \\n"\n')["a"] == " \n"
