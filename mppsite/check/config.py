"""site_config.yaml: build settings, and the guard that keeps output_dir away from project files."""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath
from urllib.parse import urlsplit

from mppsite.check.languages import PROJECT_STRINGS, Words, bundled, load_languages
from mppsite.check.schema_check import validate_item
from mppsite.core.problems import Msg, Problems, hint
from mppsite.load.source import load_yaml

CONFIG_FILE = "site_config.yaml"
OUTPUT_MARKER = ".mppsite-output"

# Top-level names of the project that a build must never replace or delete.
PROTECTED = frozenset({
    "content", "templates", "tests", "data", "mppsite", "schema", "docs", "bench", ".git",
    ".github", ".ci", ".vscode", ".venv", "build.py", "site_config.yaml", "README.md",
    "Makefile", PROJECT_STRINGS, "requirements.txt", "requirements-dev.txt", "pyproject.toml",
})


@dataclass(frozen=True)
class Config:
    """Validated settings with defaults filled in."""

    root: Path
    base_url: str  # always ends with "/"
    languages: tuple[str, ...]
    output_dir: str
    search: bool
    # The mall's IANA time zone: the page's script tells "open today?" by the mall's clock.
    timezone: str = "Asia/Jakarta"
    repository: str | None = None  # GitHub OWNER/REPO for the form editor, when base_url does not say it
    # Each language's UI strings and URL segments (check/languages.py); one not given here is
    # mppsite's own (a Config made by hand, in tests).
    words: Mapping[str, Words] = field(default_factory=dict, repr=False, compare=False)

    def words_of(self, code: str) -> Words:
        found = self.words.get(code) or bundled(code)
        if found is None:
            raise KeyError(code)
        return found

    @property
    def base_path(self) -> str:
        """The path part of base_url ("/REPO/" or "/"): every link starts with it."""
        return urlsplit(self.base_url).path or "/"

    @property
    def default_language(self) -> str:
        return self.languages[0]

    @property
    def output_path(self) -> Path:
        return (self.root / self.output_dir).resolve()


# A folder name of base_url's path: what names a page's folder and its search record's.
SAFE_SEGMENT = re.compile(r"[A-Za-z0-9._-]+")
# output_dir: the build makes it and removes its leftovers beside it, so nothing a glob or a shell
# would read otherwise ("*", "a**b") and no control character; ".." is judged where it leads.
SAFE_OUTPUT_DIR = re.compile(r"[A-Za-z0-9._/-]+")


def output_dir_refusal(root: Path, value: str) -> tuple[str, str] | None:
    """Why `value` may not be used as output_dir (message key, detail), or None when it is safe."""
    if (PurePosixPath(value).is_absolute() or PureWindowsPath(value).is_absolute()
            or value.startswith("~")):
        return ("reason_absolute", "")
    if not SAFE_OUTPUT_DIR.fullmatch(value):
        return ("reason_characters", "")
    project = root.resolve()
    target = (project / value).resolve()
    if target == project:
        return ("reason_root", "")
    if project not in target.parents:
        return ("reason_outside", "")
    first = target.relative_to(project).parts[0]
    if first in PROTECTED or first.startswith(".mppsite"):
        return ("reason_protected", first)
    if target.exists():
        if not target.is_dir():
            return ("reason_not_folder", "")
        if any(target.iterdir()) and not (target / OUTPUT_MARKER).is_file():
            return ("reason_foreign", "")
    return None


def base_path_refusal(base_url: str) -> str | None:
    """Why base_url cannot serve (a message key), or None. Its path names the folders pages are
    written to: plain names only, so that no "..", "." or encoded segment leads a write outside."""
    parts = urlsplit(base_url)
    if parts.query or parts.fragment or "?" in base_url or "#" in base_url:
        return "base_url_no_query"
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return "base_url_scheme"
    segments = (parts.path or "/").strip("/").split("/")
    if parts.path not in ("", "/") and not all(
            SAFE_SEGMENT.fullmatch(part) and part not in (".", "..") for part in segments):
        return "base_url_path"
    return None


# Indonesia's zones (WIB, WIB, WITA, WIT): what a mistyped zone is most likely meant to be.
INDONESIAN_ZONES = ("Asia/Jakarta", "Asia/Pontianak", "Asia/Makassar", "Asia/Jayapura")


def known_timezone(name: str) -> bool:
    """An IANA zone name the visitor's browser knows. The build never converts a time itself, so
    on a system without a time zone database (`zoneinfo` finds none) a well-formed name passes."""
    known = zoneinfo.available_timezones()
    return name in known if known else bool(re.fullmatch(r"[A-Za-z_]+(?:/[A-Za-z0-9_+-]+)+", name))


def load_config(root: Path, problems: Problems) -> Config | None:
    """Read and check site_config.yaml; None (with problems recorded) when it is unusable."""
    path = root / CONFIG_FILE
    if not path.is_file():
        problems.add(CONFIG_FILE, 0, 0, "", "content_missing")
        return None
    source = load_yaml(path, root, problems)
    if source is None or problems.errors:
        return None
    settings = validate_item(source, "config", source.data, (), problems, ("id", "en"))
    if settings is None:
        return None
    before = len(problems.errors)
    wrong = base_path_refusal(settings.base_url)
    if wrong:
        line, col = source.position(("base_url",))
        problems.add(source.rel, line, col, "base_url", wrong, value=settings.base_url)
    for index, lang in enumerate(settings.languages):
        if lang in settings.languages[:index]:
            line, col = source.position(("languages", index))
            problems.add(source.rel, line, col, f"languages[{index}]", "duplicate_language", language=lang)
    refusal = output_dir_refusal(root, settings.output_dir)
    if refusal:
        line, col = source.position(("output_dir",))
        reason_key, name = refusal
        problems.add(source.rel, line, col, "output_dir", "output_dir_unsafe",
                     value=settings.output_dir, reason=Msg(reason_key, (("name", name),)))
    if not known_timezone(settings.timezone):
        line, col = source.position(("timezone",))
        problems.add(source.rel, line, col, "timezone", "timezone_unknown", value=settings.timezone,
                     hint=hint(settings.timezone, list(INDONESIAN_ZONES)))
    if len(problems.errors) > before:
        return None
    words = load_languages(root, tuple(settings.languages), source, problems)
    if words is None:
        return None
    base_url = settings.base_url if settings.base_url.endswith("/") else settings.base_url + "/"
    return Config(root=root, base_url=base_url, languages=tuple(settings.languages),
                  output_dir=settings.output_dir, search=settings.search, timezone=settings.timezone,
                  repository=settings.repository,
                  words=words)
