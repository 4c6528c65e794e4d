"""Load step: find every content file and read it (YAML through source.py, Markdown with its
front matter), with the attachments that may be published."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from mppsite.core import project_files, text_rules
from mppsite.core.problems import WARNING, Problems
from mppsite.load.attachments import check_attachment, large_attachment
from mppsite.load.markdown_limits import DOCUMENT_LIMIT, markdown_findings
from mppsite.load.source import Source, load_yaml, parse_yaml, read_text, relative

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|\Z)", re.S)


def load_markdown(path: Path, root: Path, problems: Problems) -> Source | None:
    """Read a Markdown document: YAML front matter between `---` lines, then the body."""
    rel = relative(path, root)
    text = read_text(path, root, rel, problems)
    if text is None:
        return None
    source = Source(path=path, rel=rel, text=text, line_offset=1)
    match = _FRONT_MATTER.match(text)
    if not match:
        opened = text.partition("\n")[0].rstrip() == "---"  # and never closed: the slip staff make most
        problems.add(rel, 1, 1, "", "front_matter_unclosed" if opened else "front_matter_missing")
        return source
    front = match.group(1) or ""
    source.body = text[match.end():]
    source.body_line = text[: match.end()].count("\n") + 1
    parse_yaml(source, front, problems)
    text_rules.check_body(rel, source.body, source.body_line, problems)
    for finding in markdown_findings(source.body, DOCUMENT_LIMIT):  # (what markup.py renders plainly)
        problems.add(rel, source.body_line + finding.line - 1, finding.column, "", finding.key,
                     severity=finding.severity, **dict(finding.params))
    return source


DOCUMENT_KINDS = ("circulars", "news", "pages")


@dataclass
class Content:
    """Every content file, read and parsed, not yet checked."""

    mall: Source | None = None
    categories: Source | None = None
    indicators: Source | None = None
    catalogs: list[Source] = field(default_factory=list)
    documents: dict[str, list[Source]] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)  # attachments, relative to content/


def load_content(root: Path, problems: Problems,
                 read_catalog: Callable[[Path, Problems], Source | None]) -> Content:
    """Read everything under content/ in a stable order (sorted names). `read_catalog`: how a
    catalog is read (the catalog cache parses only a changed one)."""
    base = root / "content"
    content = Content()
    report_unread(base, problems)
    for name, filename in (("mall", "mpp.yaml"), ("categories", "categories.yaml"),
                           ("indicators", "indicators.yaml")):
        path = base / filename
        if path.is_file():
            setattr(content, name, load_yaml(path, root, problems))
        else:
            problems.add(f"content/{filename}", 0, 0, "", "content_missing")
    for kind in DOCUMENT_KINDS:
        content.documents[kind] = [
            source for path in sorted((base / kind).glob("*.md"))
            if not project_files.skipped(path.name)
            and (source := load_markdown(path, root, problems)) is not None]
    files = base / "files"
    if files.is_dir() and not files.is_symlink():
        content.files = _attachments(files, base, problems)
    for path in catalog_paths(root):
        if (source := read_catalog(path, problems)) is not None:
            content.catalogs.append(source)
    return content


def catalog_paths(root: Path) -> list[Path]:
    """The service catalogs, in the order they are read."""
    services = root / "content" / "services"
    return [path for path in sorted(services.glob("*.yaml")) + sorted(services.glob("*.yml"))
            if not project_files.skipped(path.name)]


TOP_FILES = ("mpp.yaml", "categories.yaml", "indicators.yaml")
TOP_FOLDERS = ("services", *DOCUMENT_KINDS, "files")


def report_unread(base: Path, problems: Problems) -> None:
    """An error for each file or folder in content/ that no step reads (CONTENT_FORMAT.md: anything
    else gets a clear error): a catalog saved as `polres.YAML` or in a subfolder would otherwise
    leave the site with no word to anyone."""
    for entry in _entries(base):
        if entry.name not in (TOP_FOLDERS if entry.is_dir() else TOP_FILES):
            problems.add(f"content/{entry.name}{'/' if entry.is_dir() else ''}", 0, 0, "", "content_not_read")
    for kind, endings, key in (("services", (".yaml", ".yml"), "catalog_not_read"),
                               *((name, (".md",), "document_not_read") for name in DOCUMENT_KINDS)):
        for entry in _entries(base / kind):
            rel = f"content/{kind}/{entry.name}{'/' if entry.is_dir() else ''}"
            if entry.name.endswith(tuple(ending + ".txt" for ending in endings)) and entry.is_file():
                problems.add(rel, 0, 0, "", "name_ends_in_txt", name=entry.name[:-4])  # Notepad's doing
            elif entry.is_dir() or not entry.name.endswith(endings):
                problems.add(rel, 0, 0, "", key, folder=f"content/{kind}/")
            elif entry.name.endswith(".yml"):  # read, but not by the form editor (cms_config: .yaml)
                problems.add(rel, 0, 0, "", "catalog_yml", severity=WARNING, name=entry.name[:-4] + ".yaml")


def _entries(folder: Path) -> list[os.DirEntry[str]]:
    """The entries of `folder` a person put there (not hidden files nor editors' leftovers), by name."""
    try:
        with os.scandir(folder) as entries:
            return sorted((entry for entry in entries if not project_files.skipped(entry.name)),
                          key=lambda entry: entry.name)
    except OSError:  # no such folder (or unreadable: project_files.scan said so)
        return []


def _attachments(folder: Path, base: Path, problems: Problems) -> list[str]:
    """The files under content/files/ to publish, relative to content/, sorted: nothing hidden,
    links to folders not followed (project_files.scan vouched for those to files), and only
    what check_attachment lets through (a page, a script, a renamed file: never published)."""
    found = []
    for current, dirs, names in os.walk(folder, followlinks=False):
        dirs[:] = [name for name in dirs if not project_files.skipped(name)]
        for name in names:
            path = Path(current, name)
            if not project_files.skipped(name) and path.is_file():
                found.append(path.relative_to(base).as_posix())
    published = []
    for rel in sorted(found):
        verdict = check_attachment(base / rel, rel)
        if verdict is not None:
            problems.add(f"content/{rel}", 0, 0, "", verdict[0], **verdict[1])
            continue
        heavy = large_attachment(rel, (base / rel).stat().st_size)
        if heavy is not None:
            problems.add(f"content/{rel}", 0, 0, "", heavy[0], severity=WARNING, **heavy[1])
        published.append(rel)
    return published
