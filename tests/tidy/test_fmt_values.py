"""Any string survives fmt: written in the style its value calls for, it reads back as the same
string with the project's own loader (YAML 1.2 and dates), and formatting again changes nothing
(Hypothesis)."""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from test_fmt_form import loaded

from mppsite.tidy.files import format_text

LANGUAGES = ("id", "en")
# Words, YAML's own marks, spaces and line breaks of every kind, and lookalikes of other types.
_PIECES = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12),
    st.sampled_from(["\n", " ", "  ", "\t", ": ", " #", "- ", "'", '"', "\\", "|", ">", "@", "`", "%", "&x",
                     "*", "!", "?", "{", "}", "[", "]", ",", "~", "null", "yes", "No", "on", "08:00", "1:30",
                     "0777", "0x1F", "1_000", "2025-01-01", "1e3", ".inf", "<<", "=", "kata " * 30, "\r\n",
                     "\u2028", "\x85", "\ufeff", "é"]))
VALUES = st.lists(_PIECES, min_size=1, max_size=8).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(VALUES)
@example("Paragraf satu.\n\nParagraf dua.\n\n")  # blank lines at the end are the value's
@example("a\n\nb\n\n\n")
@example("a\n")
@example(" di awal\ndan akhir ")
@example("Jl. Merdeka\xa0")  # a no-break space is no YAML white space: the value's own
@example("\u3000")
def test_any_string_reads_back_the_same_and_formats_once(value: str) -> None:
    written = "- id: a\n  name: " + yaml.safe_dump(value, default_flow_style=True, width=10**6,
                                                   allow_unicode=False).removesuffix("\n...\n").strip() + "\n"
    source_value = loaded(written)[0]["name"]
    formatted = format_text("content/categories.yaml", written, LANGUAGES)
    assert loaded(formatted)[0]["name"] == {"id": source_value}
    # (A YAML 1.2 core reader, the editor's, is tests/tidy/test_fmt_editor.py's business: ruamel's
    # own 1.2 reader is not one, it reads `0_`, `<<` and `=` as other types.)
    assert format_text("content/categories.yaml", formatted, LANGUAGES) == formatted


MINI_CATALOG = Path(__file__).parents[1] / "fixtures" / "mini" / "content" / "services" / "polres.yaml"


def _rewritten(data, draw, key_orders):
    """The same data with each mapping's keys in another order and a one-language Text written
    as a plain string, chosen by Hypothesis."""
    if isinstance(data, dict):
        if list(data) == ["id"] and isinstance(data["id"], str) and draw(st.booleans()):
            return data["id"]
        keys = draw(key_orders(list(data)))
        return {key: _rewritten(data[key], draw, key_orders) for key in keys}
    if isinstance(data, list):
        return [_rewritten(item, draw, key_orders) for item in data]
    return data


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), st.sampled_from([True, False, None]), st.integers(min_value=40, max_value=400))
def test_the_output_depends_on_the_data_not_on_how_it_was_written(data, flow, width) -> None:
    """Keys in any order, flow or block style, lines wrapped anywhere, Text as string or mapping:
    one canonical file."""
    catalog = yaml.safe_load(MINI_CATALOG.read_text(encoding="utf-8"))
    rel = "content/services/polres.yaml"
    expected = format_text(rel, yaml.safe_dump(catalog, sort_keys=False, allow_unicode=True), LANGUAGES)
    variant = _rewritten(catalog, data.draw, st.permutations)
    written = yaml.safe_dump(variant, sort_keys=False, default_flow_style=flow, width=width,
                             allow_unicode=True)
    assert format_text(rel, written, LANGUAGES) == expected
