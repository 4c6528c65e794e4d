"""Lines in the canonical form, set on ruamel's text before the values are written into it
(canonical.py: every value is then a one-word placeholder, so each line is a key, a list item
or a comment):

- no blank lines: the form editor writes none (a blank line inside a value, in a `|` block, is
  part of the value and is written with it later);
- a top-level list at column 0, as the editor writes it (ruamel indents it like a nested one);
  comments stay where they were written.
"""

from __future__ import annotations


def _is_comment(line: str) -> bool:
    return line.lstrip().startswith("#")


def tidy_lines(text: str, top_list: bool = False) -> str:
    """`text` without blank lines; `top_list`: the document is a list, its items moved to
    column 0."""
    lines = [line for line in text.rstrip("\n").split("\n") if line.strip()]
    if top_list:
        lines = [line[2:] if not _is_comment(line) and line.startswith("  ") else line for line in lines]
    return "\n".join(lines) + "\n"
