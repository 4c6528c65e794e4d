"""One content file read: its text, the data in it, and where each value was written.

Parsed by libyaml, with YAML 1.2's implicit types rather than 1.1's: staff write `15:00`, `yes`
and `0266...` and mean text, not the number 900, a boolean or an octal number.
"""

from __future__ import annotations

import itertools
import re
import typing
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml
from yaml.cyaml import CParser

from mppsite.core import project_files, text_rules
from mppsite.core.problems import Problems
from mppsite.load import yaml_slips

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
            if not isinstance(key, (str, int, float, bool)):
                self.problems_found.append((key_node.start_mark, "yaml_bad_key", {}))
                continue
            key = str(key)
            if key in mapping:
                self.problems_found.append((key_node.start_mark, "yaml_duplicate_key", {"key": key}))
                continue
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int | None:
        """A whole number, or None and a problem past the 4,300 digits Python converts."""
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


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_timestamp)
_Constructor.add_constructor("tag:yaml.org,2002:int", _Constructor.construct_yaml_int)


class Loader(CParser, _Constructor, _Resolver):  # type: ignore[misc]
    """libyaml's parser with our constructor and resolver."""

    def __init__(self, stream: str):
        CParser.__init__(self, stream)
        _Constructor.__init__(self)
        _Resolver.__init__(self)
        self.problems_found = []


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

    @cached_property
    def hidden_breaks(self) -> bool:
        """Whether the YAML holds a line break only libyaml counts (see `line_and_column`)."""
        return yaml_slips.HIDDEN_BREAK.search(self.yaml_text) is not None

    def place(self, mark: yaml.Mark) -> tuple[int, int]:
        """1-based (line, column) of libyaml's `mark` in the file, as staff's editor counts them."""
        if self.hidden_breaks:
            line, column = line_and_column(mark, self.yaml_text)
            return line + self.line_offset, column
        return mark.line + 1 + self.line_offset, mark.column + 1

    @cached_property
    def node(self) -> yaml.Node | None:
        """The YAML's node tree (parse_yaml keeps the one it made), for positions."""
        loader = Loader(self.yaml_text)
        try:
            return loader.get_single_node()
        except yaml.YAMLError:
            return None
        finally:
            loader.dispose()

    def _node_at(self, where: Path_) -> yaml.Node | None:
        node = self.node
        for step in where:
            if isinstance(node, yaml.MappingNode) and isinstance(step, str):
                node = next((value for key, value in reversed(node.value)
                             if isinstance(key, yaml.ScalarNode) and key.value == step), None)
            elif (isinstance(node, yaml.SequenceNode) and isinstance(step, int)
                  and 0 <= step < len(node.value)):
                node = node.value[step]
            else:
                return None
        return node

    def written(self, where: Path_) -> str | None:
        """The text of the plain value at `where` exactly as written (`30.000`, which YAML reads
        as the number 30.0); None when there is no such value."""
        node = self._node_at(where)
        return node.value if isinstance(node, yaml.ScalarNode) else None

    def comma_split(self, where: Path_) -> tuple[str, str] | None:
        """`{score: 4,62}`: inside { } YAML ends a field at the comma, so `62` became a key of its
        own. For the unknown key at `where`: (the field before it, the number as written, `4,62`)
        when that is what happened; else None."""
        node = self._node_at(where[:-1])
        pairs = node.value if isinstance(node, yaml.MappingNode) else []
        for (name, before), (digits, _) in itertools.pairwise(pairs):
            if (isinstance(digits, yaml.ScalarNode) and digits.value == str(where[-1])
                    and isinstance(before, yaml.ScalarNode) and not before.style  # (plain, not quoted)
                    and before.value.isdigit() and digits.value.isdigit()
                    and self.yaml_text[before.end_mark.index:digits.start_mark.index] == ","):
                return str(name.value), f"{before.value},{digits.value}"
        return None

    def position(self, where: Path_, key: bool = False) -> tuple[int, int]:
        """1-based (line, column) of the value at `where` (of its key, when `key`); of the deepest
        node found, so that a missing field points at the mapping that lacks it."""
        node = self.node
        if node is None:
            return (1 + self.line_offset, 1)
        mark = node.start_mark
        for step in where:
            if isinstance(node, yaml.MappingNode) and isinstance(step, str):
                pairs = [(key_node, value_node) for key_node, value_node in node.value
                         if isinstance(key_node, yaml.ScalarNode) and key_node.value == step]
                if not pairs:
                    break
                key_node, node = pairs[-1]
                mark = key_node.start_mark if key and step is where[-1] else node.start_mark
            elif (isinstance(node, yaml.SequenceNode) and isinstance(step, int)
                  and 0 <= step < len(node.value)):
                node = node.value[step]
                mark = node.start_mark
            else:
                break
        return self.place(mark)


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


def read_text(path: Path, root: Path, rel: str, problems: Problems) -> str | None:
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


def parse_yaml(source: Source, text: str, problems: Problems) -> None:
    """Parse `text` (the file, or a document's front matter) into `source.data`."""
    source.yaml_text = text
    loader = Loader(text)
    try:
        # The node tree is kept: it answers `position` without parsing the file again.
        node = loader.get_single_node()
        source.data = loader.construct_document(node) if node is not None else None
        source.node = node
    except (yaml.YAMLError, RecursionError) as err:
        line, column, key, params = _syntax_error(err, text)
        problems.add(source.rel, line + source.line_offset, column, "", key, **params)
        return
    finally:
        loader.dispose()
    for mark, key, params in loader.problems_found:
        problems.add(source.rel, *source.place(mark), "", key, **params)
    text_rules.check_data(source, problems)
    source.parsed = True


def _syntax_error(err: Exception, text: str) -> tuple[int, int, str, dict[str, str]]:
    """(line, column, message key, params) of why libyaml could not read `text`, in plain words."""
    if isinstance(err, RecursionError):
        return 1, 1, "yaml_too_deep", {}
    if isinstance(err, yaml.reader.ReaderError):
        before = text[: err.position]
        code = err.character if isinstance(err.character, int) else ord(err.character)
        return (before.count("\n") + 1, err.position - before.rfind("\n"), "yaml_bad_character",
                {"code": f"U+{code:04X}"})
    if not isinstance(err, yaml.MarkedYAMLError):
        return 1, 1, "yaml_syntax", {"detail": " ".join(str(err).split())}
    detail = " ".join(" ".join(part for part in (err.context, err.problem) if part).split())
    mark = err.problem_mark or err.context_mark
    lines = text.split("\n")
    line, column = line_and_column(mark, text) if mark else (1, 1)
    slip = _slip(err, lines, line - 1, column - 1)
    return slip if slip is not None else (line, column, _yaml_message_key(err), {"detail": detail})


def line_and_column(mark: yaml.Mark, text: str) -> tuple[int, int]:
    """1-based (line, column) of libyaml's `mark` in `text` counting only "\n" as a line's end:
    libyaml also ends one at U+0085, U+2028 and U+2029, so its own line would point staff below
    the place, past the file's end even."""
    start = text.rfind("\n", 0, mark.index) + 1
    return text.count("\n", 0, mark.index) + 1, mark.index - start + 1


_LOST = ("mapping values are not allowed", "expected ':'", "did not find expected key",
         "expected '-' indicator", "expected <block end>")


def _slip(err: yaml.MarkedYAMLError, lines: list[str], line: int, column: int) -> yaml_slips.Found | None:
    """The common slip libyaml's error at (0-based) `line`, `column` comes from, if it is one."""
    text = f"{err.context or ''} {err.problem or ''}"
    hidden = yaml_slips.hidden_break(lines, line, column)
    if hidden is not None:
        return hidden
    tab = yaml_slips.tab_indented(lines, line)
    if tab is not None and line - tab <= 2:  # libyaml may stumble a line or two after the Tab
        return tab + 1, lines[tab].index("\t") + 1, "yaml_tab", {}
    if line >= len(lines):
        return None
    if "mapping values are not allowed" in text or "expected ',' or '}'" in text:
        found = yaml_slips.colon_in_text(lines[line], column, "flow" in text)
        if found is not None:
            return line + 1, found[0] + 1, "yaml_colon_in_text", found[1]
    if any(part in text for part in _LOST):
        return yaml_slips.list_item_out_of_line(lines, line)
    return None


def _yaml_message_key(err: yaml.MarkedYAMLError) -> str:
    """Pick the plain-words message for libyaml's technical one."""
    text = f"{err.context or ''} {err.problem or ''}"
    if any(part in text for part in _LOST):
        return "yaml_indentation"
    if "found duplicate anchor" in text or "found undefined alias" in text:
        return "yaml_alias"
    if "escape" in text:
        return "yaml_bad_escape"
    if "quoted scalar" in text or "end of stream" in text:
        return "yaml_unclosed_quote"
    return "yaml_syntax"


def load_yaml(path: Path, root: Path, problems: Problems, raw: bytes | None = None) -> Source | None:
    """Read (unless `raw` is given) and parse one YAML file; None when it cannot be read."""
    rel = relative(path, root)
    text = read_text(path, root, rel, problems) if raw is None else decode(raw, rel, problems)
    if text is None:
        return None
    source = Source(path=path, rel=rel, text=text)
    parse_yaml(source, text, problems)
    return source
