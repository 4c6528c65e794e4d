"""The words of each language of a site: its UI strings and its URL segments.

A language is data. mppsite brings Indonesian and English (data/strings/<code>.yaml and their
blocks in data/routes.yaml); a project brings any other language, or its own wording of these,
in one file, strings/<code>.yaml: every key of data/strings/id.yaml, plus `url_segments:`. A
project's file is read like content (project_files: no link out) and checked key by key, so that
a page never fails to render for a word that is missing.
"""

from __future__ import annotations

import os
import re
import string
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from babel import Locale, localedata

from mppsite.core import formats, project_files
from mppsite.core.problems import WARNING, Msg, Problems, hint
from mppsite.load.source import Source, load_yaml

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
STRINGS_DIR = DATA_DIR / "strings"
ROUTES_FILE = DATA_DIR / "routes.yaml"
PROJECT_STRINGS = "strings"  # the project's folder of languages: strings/<code>.yaml
REFERENCE = "id"  # the bundled language every strings file is checked against
SEGMENTS_KEY = "url_segments"
PLURAL_FORMS = ("zero", "one", "two", "few", "many", "other")  # CLDR's categories
MESSAGE_LANGUAGES = ("id", "en")  # the languages data/messages.yaml speaks


@dataclass(frozen=True)
class Words:
    """One language of the site: its UI strings, its URL segments, and the file they came from."""

    code: str
    strings: dict[str, Any] = field(repr=False)
    segments: dict[str, str] = field(repr=False)
    source: str  # "data/strings/en.yaml", or the project's "strings/su.yaml"


@cache
def is_language_code(key: Any) -> bool:
    """Whether `key` names a language Babel can format ("su", "en"), written as a site would."""
    return (isinstance(key, str) and re.fullmatch(formats.LANGUAGE_PATTERN, key) is not None
            and localedata.exists(key))


def unpublished_in(value: Any, languages: tuple[str, ...], found: set[str]) -> None:
    """Add to `found` the language codes of Texts in `value` (content as written) that the site
    does not publish: the schema left them out, and `check` says so once (model/audit.py)."""
    if isinstance(value, list):
        for item in value:
            if isinstance(item, (list, dict)):
                unpublished_in(item, languages, found)
    elif isinstance(value, dict):
        if value and all(isinstance(words, str) for words in value.values()) and all(
                key in languages or is_language_code(key) for key in value):
            found.update(key for key in value if key not in languages)
            return
        for item in value.values():
            if isinstance(item, (list, dict)):
                unpublished_in(item, languages, found)


@cache
def _names(code: str) -> tuple[str, ...]:
    """What staff may write for a language instead of its code: 'Inggris', 'English', 'Sunda'."""
    names = set()
    for speaker in (*MESSAGE_LANGUAGES, code):
        if localedata.exists(speaker):
            name = Locale.parse(speaker).languages.get(code)
            if name:
                names.add(name.lower().removeprefix("bahasa ").removeprefix("basa "))
    return tuple(sorted(names))


@cache
def _codes_by_name() -> dict[str, str]:
    """Every language's name in Indonesian and English ('inggris', 'english') -> its code."""
    found: dict[str, str] = {}
    for speaker in reversed(MESSAGE_LANGUAGES):
        for code, name in Locale.parse(speaker).languages.items():
            if re.fullmatch(formats.LANGUAGE_PATTERN, code):
                found[name.lower().removeprefix("bahasa ")] = code
    return found


def language_hint(key: str, languages: tuple[str, ...]) -> Msg | str:
    """' (did you mean 'en'?)' for a language written by its name ('Inggris') or a near code of
    the site's ('ind'); else ''."""
    written = key.strip().lower().removeprefix("bahasa ").removeprefix("basa ")
    for code in languages:
        if written in _names(code):
            return Msg("did_you_mean", (("name", code),))
    if written in _codes_by_name():
        return Msg("did_you_mean", (("name", _codes_by_name()[written]),))
    return hint(written, list(languages), cutoff=0.75)


@cache
def _bundled_yaml(path: Path) -> Any:
    with open(path, encoding="utf-8") as stream:
        return yaml.load(stream, Loader=yaml.CSafeLoader)


def bundled(code: str) -> Words | None:
    """A language mppsite brings, or None."""
    segments = _bundled_yaml(ROUTES_FILE).get(code)
    path = STRINGS_DIR / f"{code}.yaml"
    if segments is None or not path.is_file():
        return None
    return Words(code, _bundled_yaml(path), dict(segments), f"data/strings/{code}.yaml")


def load_languages(root: Path, languages: tuple[str, ...], config: Source,
                   problems: Problems) -> dict[str, Words] | None:
    """The words of every language of the site (a project's own file first); None, with each
    problem recorded, when one is missing or incomplete."""
    found: dict[str, Words] = {}
    before = len(problems.errors)
    for index, code in enumerate(languages):
        line, col = config.position(("languages", index))
        if not is_language_code(code):
            problems.add(config.rel, line, col, f"languages[{index}]", "language_unknown", language=code,
                         hint=language_hint(code, tuple(sorted({*languages, *MESSAGE_LANGUAGES} - {code}))))
            continue
        path = root / PROJECT_STRINGS / f"{code}.yaml"
        words = _project(path, root, code, problems) if path.is_file() else bundled(code)
        if words is None and not path.is_file():
            problems.add(config.rel, line, col, f"languages[{index}]", "no_strings", language=code,
                         path=f"{PROJECT_STRINGS}/{code}.yaml")
        elif words is not None:
            found[code] = words
    _report_unused(root / PROJECT_STRINGS, languages, problems)
    return found if len(problems.errors) == before else None


def _report_unused(folder: Path, languages: tuple[str, ...], problems: Problems) -> None:
    """A warning for each file of strings/ no language of the site reads (`id.yml`, `ID.yaml`,
    `su.yaml` before su is in site_config.yaml): its words would not show, with no word why."""
    names = sorted(os.listdir(folder)) if folder.is_dir() else []
    for name in names:
        if name not in {f"{code}.yaml" for code in languages} and not project_files.skipped(name):
            problems.add(f"{PROJECT_STRINGS}/{name}", 0, 0, "", "strings_not_read", severity=WARNING,
                         languages=", ".join(languages))


def _project(path: Path, root: Path, code: str, problems: Problems) -> Words | None:
    """A project's strings/<code>.yaml, checked against data/strings/id.yaml."""
    source = load_yaml(path, root, problems)
    if source is None or not source.parsed:
        return None
    data = source.data
    if not isinstance(data, dict):
        problems.add(source.rel, 1, 1, "", "strings_not_mapping")
        return None
    before = len(problems.errors)
    reference: dict[str, Any] = _bundled_yaml(STRINGS_DIR / f"{REFERENCE}.yaml")
    strings = {key: value for key, value in data.items() if key != SEGMENTS_KEY}
    _check_keys(source, strings, reference, (), problems)
    for key, value in strings.items():
        if key in reference:
            _check_value(source, key, value, reference[key], problems)
    segments = data.get(SEGMENTS_KEY)
    if not isinstance(segments, dict):
        line, col = source.position((SEGMENTS_KEY,)) if SEGMENTS_KEY in data else (1, 1)
        problems.add(source.rel, line, col, SEGMENTS_KEY, "url_segments_missing",
                     path=source.rel, names=", ".join(_bundled_yaml(ROUTES_FILE)[REFERENCE]))
        return None
    segment_names = _bundled_yaml(ROUTES_FILE)[REFERENCE]
    _check_keys(source, segments, segment_names, (SEGMENTS_KEY,), problems)
    for name, value in segments.items():
        if name in segment_names and not (isinstance(value, str)
                                          and re.fullmatch(formats.SLUG_PATTERN, value)):
            line, col = source.position((SEGMENTS_KEY, name))
            problems.add(source.rel, line, col, f"{SEGMENTS_KEY}.{name}", "url_segment_invalid",
                         value=str(value))
    if len(problems.errors) > before:
        return None
    return Words(code, strings, dict(segments), source.rel)


def _check_keys(source: Source, data: dict[Any, Any], reference: dict[str, Any], where: tuple[str, ...],
                problems: Problems) -> None:
    """Every key of the reference present, and none else (a typo would leave a word missing)."""
    prefix = "".join(f"{step}." for step in where)
    origin = f"data/routes.yaml ({REFERENCE}:)" if where else f"data/strings/{REFERENCE}.yaml"
    for key in reference:
        if key not in data:
            line, col = source.position(where)
            problems.add(source.rel, line, col, prefix + key, "strings_key_missing", key=prefix + key,
                         path=source.rel, origin=origin)
    for key in data:
        if key not in reference:
            line, col = source.position((*where, key), key=True)
            problems.add(source.rel, line, col, prefix + str(key), "strings_key_unknown", key=str(key),
                         hint=hint(str(key), list(reference)))


def _check_value(source: Source, key: str, value: Any, reference: Any, problems: Problems) -> None:
    """Words, or words per plural form ({one: ..., other: ...}), with only the {names} the
    reference has: the page fills in those, and an unknown one would stop it rendering."""
    allowed = sorted({name for text in _texts(reference) for name in _placeholders(text) or ()})
    forms = value if isinstance(value, dict) else {None: value}
    for form, text in forms.items():
        where = (key,) if form is None else (key, form)
        line, col = source.position(where)
        shown = ".".join(str(step) for step in where)
        if not isinstance(text, str) or not text.strip() or (form is not None and form not in PLURAL_FORMS):
            problems.add(source.rel, line, col, shown, "strings_value", forms=", ".join(PLURAL_FORMS))
            continue
        names = _placeholders(text)
        if names is None:
            problems.add(source.rel, line, col, shown, "strings_braces")
            continue
        for name in sorted(set(names) - set(allowed)):
            problems.add(source.rel, line, col, shown, "strings_placeholder", name=name,
                         allowed=", ".join("{" + one + "}" for one in allowed) or "-")
    if isinstance(value, dict) and "other" not in value:
        line, col = source.position((key,))
        problems.add(source.rel, line, col, key, "strings_value", forms=", ".join(PLURAL_FORMS))


def _texts(value: Any) -> list[str]:
    return [text for text in value.values() if isinstance(text, str)] if isinstance(value, dict) else [value]


def _placeholders(text: str) -> list[str] | None:
    """The {names} in `text`; None when its braces do not pair up."""
    try:
        return [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
    except ValueError:
        return None
