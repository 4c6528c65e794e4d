"""Property: however broken the content, the build exits 1 with file:line messages, never a traceback.

Valid catalogs and documents are mutated at random, both as text (deleted or duplicated lines,
bad indentation, tabs, stray quotes, odd Unicode, truncation) and as data (deleted keys, wrong
types, huge values), and `check` must answer with a clean exit 0 or 1; what it accepts must build.
Three fast paths are checked against the library code they stand in for: the YAML constructor,
the templates' escaping and the compact JSON.
"""

from __future__ import annotations

import copy
import datetime
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import MINI, run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from mppsite.render.structured import compact_json_bytes

CATALOG = "content/services/polres.yaml"
DOCUMENT = "content/circulars/agenda-2024.md"
MALL = "content/mpp.yaml"
MESSAGE = re.compile(r"^(?P<file>[^:\n]+?)(?::(?P<line>\d+):(?P<col>\d+))?: \S.*$")
SUMMARY = re.compile(r"^\d+ error\(s\), \d+ warning\(s\)$")
SETTINGS = settings(max_examples=1500, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow, HealthCheck.data_too_large])

ODD = ["\t", "'", '"', ":", ": ", "- ", "[", "]", "{", "}", "#", "&a ", "*a", "!!binary ", "%",
       "@", "`", "|", ">", "\u200b", "\u00a0", "\ufeff", "\U0001f600", "\u202e", "é", "\x00",
       "\x85", "\u2028", "\r", "<<: ", "? ", "---", "...", "!!python/object/apply:os.system ",
       "~", "null", "0x1F", "1e999", ".nan", "2024-02-30", "24:00", "-1", "9" * 40]


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dest = tmp_path_factory.mktemp("fuzz") / "site"
    shutil.copytree(MINI, dest, ignore=shutil.ignore_patterns("output"))
    return dest


def assert_clean(project: Path, mutated: str, text: str) -> None:
    """`check` exits 0 or 1; on 1, every line is 'file[:line:col]: message' and nothing else.

    Content that `check` accepts must also build: a failure then (a number too large to format,
    say) would reach staff as a template error instead of naming their file and line.
    """
    result = run(project, "check")
    assert result.code in (0, 1), result.err
    if result.code == 0:
        built = run(project, "build")
        assert built.code == 0, built.err
        return
    lines = result.lines
    assert lines and SUMMARY.match(lines[-1]), lines
    problems = lines[:-1]
    assert problems, "exit 1 without any message"
    line_count = text.count("\n") + 2
    for line in problems:
        match = MESSAGE.match(line)
        assert match, f"not a file:line message: {line!r}"
        assert "Traceback" not in line
        assert match["file"] == mutated, line
        if match["line"]:
            assert 1 <= int(match["line"]) <= line_count, line


# --- mutations of the text ---------------------------------------------------------------------

@st.composite
def mutated_text(draw: st.DrawFn, original: str) -> str:
    lines = original.split("\n")
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            lines = [""]
        index = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["delete", "duplicate", "indent", "insert", "truncate", "tab",
                                   "value", "swap", "deep", "huge"]))
        line = lines[index]
        if op == "delete":
            del lines[index]
        elif op == "duplicate":
            lines.insert(index, line)
        elif op == "indent":
            lines[index] = " " * draw(st.integers(0, 7)) + line.lstrip()
        elif op == "insert":
            at = draw(st.integers(0, len(line)))
            extra = draw(st.one_of(st.sampled_from(ODD), st.text(max_size=6)))
            lines[index] = line[:at] + extra + line[at:]
        elif op == "truncate":
            lines = [*lines[:index], line[:draw(st.integers(0, len(line)))]]
        elif op == "tab":
            lines[index] = "\t" + line
        elif op == "value" and ": " in line:
            key = line.split(": ", 1)[0]
            lines[index] = key + ": " + draw(st.one_of(st.sampled_from(ODD), st.text(max_size=12)))
        elif op == "swap" and len(lines) > 1:
            other = draw(st.integers(0, len(lines) - 1))
            lines[index], lines[other] = lines[other], lines[index]
        elif op == "deep":
            depth = draw(st.integers(50, 3000))
            lines[index] = line + " " + "[" * depth + "]" * depth
        elif op == "huge":
            lines[index] = line + "x" * draw(st.integers(10_000, 200_000))
    return "\n".join(lines)


# --- mutations of the data ---------------------------------------------------------------------

values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-10**30, 10**30), st.floats(allow_nan=True),
              st.text(max_size=30), st.sampled_from(ODD), st.dates(),
              st.datetimes(min_value=datetime.datetime(1, 1, 2))),
    lambda children: st.one_of(st.lists(children, max_size=4),
                               st.dictionaries(st.text(max_size=8), children, max_size=4)),
    max_leaves=12)


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, (*prefix, index))


@st.composite
def mutated_data(draw: st.DrawFn, original) -> str:
    data = copy.deepcopy(original)
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(data) if p]
        if not paths:
            data = draw(values)
            break
        path = draw(st.sampled_from(paths))
        parent = data
        for step in path[:-1]:
            parent = parent[step]
        op = draw(st.sampled_from(["delete", "replace", "rename"]))
        if op == "delete":
            del parent[path[-1]]
        elif op == "replace":
            parent[path[-1]] = draw(values)
        elif isinstance(parent, dict):
            parent[draw(st.text(min_size=1, max_size=12))] = parent.pop(path[-1])
    return yaml.safe_dump(data, allow_unicode=draw(st.booleans()), sort_keys=False)


def _write(project: Path, rel: str, text: str) -> None:
    (project / rel).write_text(text, encoding="utf-8", errors="surrogatepass")


def _restore(project: Path, rel: str) -> None:
    shutil.copyfile(MINI / rel, project / rel)


CATALOG_TEXT = (MINI / CATALOG).read_text(encoding="utf-8")
MALL_TEXT = (MINI / MALL).read_text(encoding="utf-8")
DOCUMENT_TEXT = (MINI / DOCUMENT).read_text(encoding="utf-8")


@SETTINGS
@given(text=mutated_text(CATALOG_TEXT))
def test_catalog_text_mutations(scratch, text):
    try:
        _write(scratch, CATALOG, text)
    except UnicodeEncodeError:
        return
    try:
        assert_clean(scratch, CATALOG, text)
    finally:
        _restore(scratch, CATALOG)


@SETTINGS
@given(text=mutated_data(yaml.safe_load(CATALOG_TEXT)))
def test_catalog_data_mutations(scratch, text):
    _write(scratch, CATALOG, text)
    try:
        assert_clean(scratch, CATALOG, text)
    finally:
        _restore(scratch, CATALOG)


@settings(SETTINGS, max_examples=600)
@given(text=mutated_data(yaml.safe_load(MALL_TEXT)))
def test_mall_data_mutations(scratch, text):
    _write(scratch, MALL, text)
    try:
        assert_clean(scratch, MALL, text)
    finally:
        _restore(scratch, MALL)


@settings(SETTINGS, max_examples=800)
@given(text=mutated_text(DOCUMENT_TEXT))
def test_markdown_mutations(scratch, text):
    try:
        _write(scratch, DOCUMENT, text)
    except UnicodeEncodeError:
        return
    try:
        assert_clean(scratch, DOCUMENT, text)
    finally:
        _restore(scratch, DOCUMENT)


@settings(SETTINGS, max_examples=200)
@given(raw=st.binary(max_size=300))
def test_arbitrary_bytes(scratch, raw):
    (scratch / CATALOG).write_bytes(raw)
    try:
        assert_clean(scratch, CATALOG, raw.decode("utf-8", "replace"))
    finally:
        _restore(scratch, CATALOG)


_JSON_TEXT = st.text(alphabet=st.characters(codec="utf-8"))  # any code point but lone surrogates
_JSON_DATA = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70), _JSON_TEXT,
              _JSON_TEXT.map(Markup)),
    lambda children: st.one_of(st.lists(children, max_size=4), st.tuples(children, children),
                               st.dictionaries(_JSON_TEXT, children, max_size=4)),
    max_leaves=30)


@settings(max_examples=1500, deadline=None, derandomize=True)
@given(_JSON_DATA)
def test_the_compact_json_gives_what_json_gives(data):
    """structured.compact_json_bytes (orjson, for JSON-LD and the open data) is json.dumps with sorted
    keys, no ASCII escapes and no spaces, for what the site's data is made of: control
    characters, U+2028, characters past the BMP, whole numbers past 64 bits, text as Markup."""
    expected = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert compact_json_bytes(data) == expected.encode("utf-8")
