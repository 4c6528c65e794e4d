"""The staff guides quote what the tools and pages really say, so that staff recognise it."""

from __future__ import annotations

import pytest
import yaml
from conftest import ROOT

MESSAGES = yaml.safe_load((ROOT / "data" / "messages.yaml").read_text(encoding="utf-8"))
STRINGS = {lang: yaml.safe_load((ROOT / "data" / "strings" / f"{lang}.yaml").read_text(encoding="utf-8"))
           for lang in ("id", "en")}
GUIDES = {"id": "docs/panduan-staf.md", "en": "docs/staff-guide.md"}


@pytest.mark.parametrize("lang", sorted(GUIDES))
def test_the_guide_quotes_the_preview_and_the_pages_as_they_are(lang):
    text = (ROOT / GUIDES[lang]).read_text(encoding="utf-8")
    # The preview speaks Indonesian by default; both guides show its real output.
    assert MESSAGES["serve_open"]["id"].format(url="http://127.0.0.1:8000/mppsite/") in text
    assert MESSAGES["serve_stop_hint"]["id"] in text
    assert f'"{MESSAGES["serve_error_title"]["id"]}"' in text
    if lang == "en":
        assert f'("{MESSAGES["serve_error_title"]["en"]}")' in text
    assert f'"{STRINGS[lang]["print_tenant_link"]}"' in text


@pytest.mark.parametrize("lang", sorted(GUIDES))
def test_the_guide_quotes_the_contact_and_online_messages_as_they_are(lang):
    """Section 11 (issue 29): the words of the check and of the buttons, as staff will see them."""
    text = (ROOT / GUIDES[lang]).read_text(encoding="utf-8")
    assert MESSAGES["phone_chars"][lang].format(value="0266 123456 (jam kerja)") in text
    assert MESSAGES["whatsapp_form"][lang].format(value="812-3456-7890") in text
    assert MESSAGES["online_url_unnamed"][lang].format(url="https://oss.go.id") in text
    assert f'"{STRINGS[lang]["queue_link"]}"' in text and f'"{STRINGS[lang]["online_link"]}"' in text


def test_the_readme_stays_short_and_starts_with_its_two_commands():
    """The README is read first: the two commands, then at most 1,500 words (the rest is in docs/)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(text.split()) <= 1500
    block = text.split("```sh\n", 1)[1].split("```", 1)[0]
    assert [line.split("#")[0].strip() for line in block.splitlines()] == ["make build", "make test"]
