"""Load step: read YAML and Markdown files into plain data, keeping where each value was written.

Parsing uses libyaml (the C parser). Positions are needed only when something is wrong, so the
node tree that carries them is composed lazily, once per file, on the first question.
The resolver follows YAML 1.2 rather than 1.1, because staff write `15:00`, `yes` and `0266...`
and mean text, not the number 900, a boolean or an octal number.
"""

from __future__ import annotations

import datetime
import os
import re
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.cyaml import CParser

from mppsite.core import project_files, text_rules
from mppsite.core.problems import WARNING, Problems
from mppsite.load.attachments import check_attachment, large_attachment
from mppsite.load.markdown_limits import DOCUMENT_LIMIT, markdown_findings

Path_ = tuple[str | int, ...]


class _Resolver(yaml.resolver.Resolver):
    """Implicit types as in YAML 1.2's core schema, plus dates."""

    yaml_implicit_resolvers: typing.ClassVar[dict] = {}


_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789"))
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$|^[-+]?\.(?:inf|Inf|INF)$"
               r"|^\.(?:nan|NaN|NAN)$"),
    list("-+0123456789."))
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:timestamp",
    re.compile(r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}"
               r"(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)?$"),
    list("0123456789"))


class _Constructor(yaml.constructor.SafeConstructor):
    """Safe constructor that records duplicate keys and aliases instead of hiding them."""

    problems_found: list[tuple[yaml.Mark, str, dict[str, Any]]]

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        if node in self.constructed_objects:
            # The same node again: an alias (*name). Staff never need them, and they let a
            # small file expand into a huge structure.
            self.problems_found.append((node.start_mark, "yaml_alias", {}))
            return None
        return super().construct_object(node, deep)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        if not isinstance(node, yaml.MappingNode):
            return super().construct_mapping(node, deep)
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.problems_found.append((key_node.start_mark, "yaml_merge", {}))
                continue
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, (str, int, float, bool)) or key is None:
                self.problems_found.append((key_node.start_mark, "yaml_bad_key", {}))
                continue
            key = str(key) if not isinstance(key, str) else key
            if key in mapping:
                self.problems_found.append((key_node.start_mark, "yaml_duplicate_key", {"key": key}))
                continue
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping

    def construct_yaml_map(self, node: yaml.MappingNode):  # type: ignore[override]
        data: dict = {}
        yield data
        data.update(self.construct_mapping(node))

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int | None:
        """A whole number, or None and a problem when it has more digits than Python converts
        (4,300: a limit against slow conversions) - no number staff write is anywhere near."""
        try:
            return super().construct_yaml_int(node)
        except ValueError:
            self.problems_found.append((node.start_mark, "yaml_number_too_long", {}))
            return None

    def construct_yaml_timestamp(self, node: yaml.ScalarNode):  # type: ignore[override]
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError):
            return self.construct_scalar(node)  # left as text; the schema says what is wrong


_Constructor.add_constructor("tag:yaml.org,2002:map", _Constructor.construct_yaml_map)
_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_timestamp)
_Constructor.add_constructor("tag:yaml.org,2002:int", _Constructor.construct_yaml_int)


class Loader(CParser, _Constructor, _Resolver):  # type: ignore[misc]
    """libyaml's parser with our constructor and resolver."""

    def __init__(self, stream: str):
        CParser.__init__(self, stream)
        _Constructor.__init__(self)
        _Resolver.__init__(self)
        self.problems_found = []


class _NodeLoader(CParser, yaml.composer.Composer, _Resolver):  # type: ignore[misc]
    """Composes the node tree only (for positions)."""

    def __init__(self, stream: str):
        CParser.__init__(self, stream)
        _Resolver.__init__(self)


@dataclass
class Source:
    """One content file: its text, the data in it, and positions on demand."""

    path: Path  # absolute
    rel: str  # relative to the project, with forward slashes, as shown to staff
    text: str
    data: Any = None
    line_offset: int = 0  # lines before the YAML starts (Markdown front matter)
    body: str = ""  # Markdown body, for documents
    body_line: int = 0  # line where the body starts
    yaml_text: str = ""  # the YAML part: the whole file, or a document's front matter
    parsed: bool = False  # False when the YAML could not be read (already reported)
    digest: str = ""  # of the file's bytes, for the catalog cache (catalog_cache.py)
    cached: Any = field(default=None, repr=False)  # a catalog's cache entry, when it was re-used
    translated: bool = False  # every text of a catalog has every language (validate.check_schema)
    _root: yaml.Node | None = field(default=None, repr=False)
    _composed: bool = field(default=False, repr=False)

    def _node(self) -> yaml.Node | None:
        if not self._composed:
            self._composed = True
            try:
                loader = _NodeLoader(self.yaml_text)
                try:
                    self._root = loader.get_single_node()
                finally:
                    loader.dispose()
            except yaml.YAMLError:
                self._root = None
        return self._root

    def position(self, where: Path_, key: bool = False) -> tuple[int, int]:
        """1-based (line, column) of the value at `where` (of its key, when `key`).

        Walks as far as the path exists and answers for the deepest node found, so a missing
        field points at the mapping that lacks it.
        """
        node = self._node()
        if node is None:
            return (1 + self.line_offset, 1)
        mark = node.start_mark
        for step in where:
            found = None
            if isinstance(node, yaml.MappingNode) and isinstance(step, str):
                for key_node, value_node in node.value:
                    if isinstance(key_node, yaml.ScalarNode) and key_node.value == step:
                        found = (key_node, value_node)
                if found is None:
                    break
                last = key and step is where[-1]
                mark = found[0].start_mark if last else found[1].start_mark
                node = found[1]
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
                if not 0 <= step < len(node.value):
                    break
                node = node.value[step]
                mark = node.start_mark
            else:
                break
        return (mark.line + 1 + self.line_offset, mark.column + 1)


relative = project_files.relative


def read_file(path: Path, root: Path, rel: str, problems: Problems) -> bytes | None:
    """A content file's bytes (project_files.read); None, with the reason reported, when it
    cannot or may not be read."""
    try:
        return project_files.read(path, root)
    except project_files.Refused as refused:
        problems.add(rel, 0, 0, "", refused.key, **refused.params)
    except OSError as err:
        problems.add(rel, 0, 0, "", "file_unreadable", reason=err.strerror or str(err))
    return None


def _read_text(path: Path, root: Path, rel: str, problems: Problems) -> str | None:
    raw = read_file(path, root, rel, problems)
    return None if raw is None else decode(raw, rel, problems)


def decode(raw: bytes, rel: str, problems: Problems) -> str | None:
    """A file's bytes as text with "\n" line ends; None (and a problem) when they are not text."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        problems.add(rel, line, 1, "", "file_not_utf8")
        return None
    if "\x00" in text:
        problems.add(rel, text[: text.index("\x00")].count("\n") + 1, 1, "", "file_binary")
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_yaml(source: Source, text: str, problems: Problems) -> bool:
    """Parse `text` (the file, or a document's front matter) into `source.data`."""
    source.yaml_text = text
    loader = Loader(text)
    try:
        # Composed once and kept: the node tree answers position questions later without
        # parsing the file a second time (the audit asks for nearly every service).
        node = loader.get_single_node()
        source.data = loader.construct_document(node) if node is not None else None
        source._root, source._composed = node, True
    except yaml.reader.ReaderError as err:
        before = text[: err.position]
        line = before.count("\n") + 1 + source.line_offset
        column = err.position - (before.rfind("\n") + 1) + 1
        problems.add(source.rel, line, column, "", "yaml_bad_character",
                     code=f"U+{err.character if isinstance(err.character, int) else ord(err.character):04X}")
        return False
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = (mark.line + 1 if mark else 1) + source.line_offset
        column = mark.column + 1 if mark else 1
        line_text = text.split("\n")[mark.line] if mark and mark.line < text.count("\n") + 1 else ""
        problems.add(source.rel, line, column, "", _yaml_message_key(err, line_text),
                     detail=_yaml_detail(err))
        return False
    except yaml.YAMLError as err:
        problems.add(source.rel, 1 + source.line_offset, 1, "", "yaml_syntax",
                     detail=" ".join(str(err).split()))
        return False
    except RecursionError:
        problems.add(source.rel, 1 + source.line_offset, 1, "", "yaml_too_deep")
        return False
    finally:
        loader.dispose()
    for mark, key, params in loader.problems_found:
        problems.add(source.rel, mark.line + 1 + source.line_offset, mark.column + 1, "", key, **params)
    text_rules.check_data(source, problems)
    source.parsed = True
    return True


def _yaml_message_key(err: yaml.MarkedYAMLError, line_text: str) -> str:
    """Pick the plain-words message for libyaml's technical one."""
    text = f"{err.context or ''} {err.problem or ''}"
    if "\t" in line_text[: len(line_text) - len(line_text.lstrip())] or "\\t" in text:
        return "yaml_tab"
    if any(part in text for part in ("mapping values are not allowed", "expected ':'",
                                     "did not find expected key", "expected '-' indicator",
                                     "expected <block end>")):
        return "yaml_indentation"
    if "found duplicate anchor" in text or "found undefined alias" in text:
        return "yaml_alias"
    if "escape" in text:
        return "yaml_bad_escape"
    if "quoted scalar" in text or "end of stream" in text:
        return "yaml_unclosed_quote"
    return "yaml_syntax"


def _yaml_detail(err: yaml.MarkedYAMLError) -> str:
    return " ".join(" ".join(part for part in (err.context, err.problem) if part).split())


def load_yaml(path: Path, root: Path, problems: Problems, raw: bytes | None = None) -> Source | None:
    """Read (unless its bytes are given) and parse one YAML file. None when it cannot be read at all."""
    rel = relative(path, root)
    text = _read_text(path, root, rel, problems) if raw is None else decode(raw, rel, problems)
    if text is None:
        return None
    source = Source(path=path, rel=rel, text=text)
    parse_yaml(source, text, problems)
    return source


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|\Z)", re.S)


def load_markdown(path: Path, root: Path, problems: Problems) -> Source | None:
    """Read a Markdown document: YAML front matter between `---` lines, then the body."""
    rel = relative(path, root)
    text = _read_text(path, root, rel, problems)
    if text is None:
        return None
    source = Source(path=path, rel=rel, text=text, line_offset=1)
    match = _FRONT_MATTER.match(text)
    if not match:
        problems.add(rel, 1, 1, "", "front_matter_missing")
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


def as_date(value: Any) -> datetime.date | None:
    """A YAML date value as a date (a timestamp at midnight counts too)."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return None


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
                 read_catalog: Callable[[Path, Problems], Source | None] | None = None) -> Content:
    """Read everything under content/ in a stable order (sorted names).

    Hidden files and editors' lock files (`.#polres.yaml`, `#polres.yaml#`) are not content.
    `read_catalog`: how a catalog is read (the catalog cache's, which parses only a changed one).
    """
    content = load_small(root, problems)
    for path in catalog_paths(root):
        source = read_catalog(path, problems) if read_catalog else load_yaml(path, root, problems)
        if source is not None:
            content.catalogs.append(source)
    return content


def load_small(root: Path, problems: Problems) -> Content:
    """Everything under content/ but the service catalogs: the mall, categories, indicators,
    documents and attached files."""
    base = root / "content"
    content = Content()
    for name in ("mall", "categories", "indicators"):
        filename = "mpp.yaml" if name == "mall" else f"{name}.yaml"
        path = base / filename
        if path.is_file():
            setattr(content, name, load_yaml(path, root, problems))
        else:
            problems.add(f"content/{filename}", 0, 0, "", "content_missing")
    for kind in DOCUMENT_KINDS:
        content.documents[kind] = [
            source for path in sorted((base / kind).glob("*.md"))
            if not _editor_leftover(path) and (source := load_markdown(path, root, problems)) is not None]
    files = base / "files"
    if files.is_dir() and not files.is_symlink():
        for rel in attachments(files, base):
            path = base / rel
            verdict = check_attachment(path, rel)
            if verdict is not None:  # a page, a script, a renamed file: never published
                problems.add(f"content/{rel}", 0, 0, "", verdict[0], **verdict[1])
                continue
            heavy = large_attachment(rel, path.stat().st_size)
            if heavy is not None:
                problems.add(f"content/{rel}", 0, 0, "", heavy[0], severity=WARNING, **heavy[1])
            content.files.append(rel)
    return content


def attachments(folder: Path, base: Path) -> list[str]:
    """The files under content/files/ to publish, relative to content/, sorted: no hidden file or
    folder, links not followed into folders (project_files.scan vouched for those to files)."""
    found = []
    for current, dirs, names in os.walk(folder, followlinks=False):
        dirs[:] = [name for name in dirs if not project_files.skipped(name)]
        for name in names:
            path = Path(current, name)
            if not project_files.skipped(name) and path.is_file():
                found.append(path.relative_to(base).as_posix())
    return sorted(found)


def catalog_paths(root: Path) -> list[Path]:
    """The service catalogs of a project, in a stable order."""
    services = root / "content" / "services"
    return [path for path in sorted(services.glob("*.yaml")) + sorted(services.glob("*.yml"))
            if not _editor_leftover(path)]


def _editor_leftover(path: Path) -> bool:
    """Emacs and vim leave `.#name`, `#name#` and `.name.swp` beside the file being edited."""
    return path.name.startswith((".", "#"))
