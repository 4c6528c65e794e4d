"""How one string is written, decided by its value alone (never by how it was written before):

- plain where YAML allows it, so `Kartu Keluarga` stays unquoted;
- in double quotes where a plain word would read as something else under YAML 1.1 *or* 1.2
  (`"1"`, `"yes"`, `"10:30"`, `"2025-01-01"`, `"null"`), or where YAML needs quotes (`": "`,
  a leading `@`, `*`, `-`...): ruamel quotes those, and QuotingEmitter makes its single quotes
  double, the one style this project's files and messages show;
- a line longer than FOLD_AFTER characters folded (`>-`) into lines of at most that many
  characters (not counting the indent, so that moving a value does not re-wrap it);
- a string with line breaks as a literal block (`|`), unless it holds whitespace a block cannot
  show as it is (spaces at a line's end, tabs) or ends in blank lines: then in double quotes.
"""

from __future__ import annotations

import re

import yaml
from ruamel.yaml.emitter import RoundTripEmitter
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, FoldedScalarString, LiteralScalarString

FOLD_AFTER = 100  # characters: a longer single-line string is folded, each line at most this long
WIDTH = 100_000  # ruamel's own wrapping (which depends on the indent) never comes into play
_YAML_1_1 = yaml.resolver.Resolver()  # PyYAML's: YAML 1.1's implicit types (yes, on, 1:30, 0777...)
_YAML_1_2 = VersionedResolver(version=(1, 2))  # ruamel's: YAML 1.2's (1e3, 0x1F, 0o17), as editors read
_STR = "tag:yaml.org,2002:str"
# Whitespace a block scalar cannot carry as it is: at a line's end, doubled, tabs, odd line ends.
_BLOCK_UNSAFE = re.compile(r"[ \t]\n|[ \t]$|\A[ \t\n]|  |\t|[\r\x85\u2028\u2029]|[^\S\n ]")
_PRINTABLE = re.compile(r"[^\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufeff\ufffe\uffff]*")


def styled(value: str) -> str:
    """`value` as the string type that makes ruamel write it in its canonical style."""
    value = str(value)
    if _reads_as_other_type(value):
        return DoubleQuotedScalarString(value)
    simple = _PRINTABLE.fullmatch(value) is not None and not _BLOCK_UNSAFE.search(value)
    if "\n" in value:  # (blank lines ending a block would be layout's: layout.py)
        keeps = simple and not value.endswith("\n\n")
        return LiteralScalarString(value) if keeps else DoubleQuotedScalarString(value)
    if len(value) > FOLD_AFTER and simple:
        folded = FoldedScalarString(value)
        folded.fold_pos = fold_positions(value)  # where ruamel's representer breaks the lines
        return folded
    return value


def fold_positions(value: str) -> list[int]:
    """The spaces where `value` is broken into lines of at most FOLD_AFTER characters (a longer
    word stands alone on its line)."""
    positions, line_start, last_space = [], 0, None
    for index, char in enumerate(value):
        if char == " ":
            if index - line_start > FOLD_AFTER and last_space is not None:
                positions.append(last_space)
                line_start = last_space + 1
            last_space = index
    if len(value) - line_start > FOLD_AFTER and last_space is not None and last_space >= line_start:
        positions.append(last_space)
    return positions


def quoted(value: str) -> str:
    """Always in double quotes (the times of opening hours, as the content contract writes them)."""
    return DoubleQuotedScalarString(str(value))


def _reads_as_other_type(value: str) -> bool:
    """Whether the plain word would be a number, date, boolean or null under YAML 1.1 or 1.2 (the
    project's own loader's such words are quoted by ruamel itself: canonical.ProjectResolver)."""
    return (_YAML_1_1.resolve(yaml.ScalarNode, value, (True, False)) != _STR
            or _YAML_1_2.resolve(ScalarNode, value, (True, False)) != _STR)


class QuotingEmitter(RoundTripEmitter):
    """ruamel's round-trip emitter, writing double quotes where it would write single ones."""

    def choose_scalar_style(self):  # type: ignore[no-untyped-def]
        style = super().choose_scalar_style()
        return '"' if style == "'" else style
