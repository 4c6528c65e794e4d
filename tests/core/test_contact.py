"""core/contact.py: the numbers staff write, and the links a phone follows."""

from __future__ import annotations

import pytest

from mppsite.core import contact


@pytest.mark.parametrize(("written", "international"), [
    ("0812-3456-7890", "6281234567890"),
    ("+62 812 3456 7890", "6281234567890"),
    ("62 812 3456 7890", "6281234567890"),
    ("(0266) 221234", "62266221234"),
    ("+44 20 7946 0000", "442079460000"),
    ("812 3456 7890", None),  # no country: wa.me would reach someone else
    ("+0812 3456 7890", None),
    ("0062 812 3456 7890", None),
])
def test_whatsapp_number_is_international_or_refused(written, international):
    assert contact.whatsapp_number(written) == international


def test_links():
    assert contact.tel_href("(0266) 221-234") == "tel:0266221234"
    assert contact.tel_href(" +62 266 221234") == "tel:+62266221234"
    assert contact.whatsapp_href("0812-3456-7890") == "https://wa.me/6281234567890"
    for account in ("@mpp.kota_contoh", "mpp.kota_contoh", "https://www.instagram.com/mpp.kota_contoh/"):
        assert contact.instagram_href(account) == "https://www.instagram.com/mpp.kota_contoh/"
    assert contact.links({"email": "mpp@contoh.go.id", "phone": "112"}) == [
        ("phone", "112", "tel:112"), ("email", "mpp@contoh.go.id", "mailto:mpp@contoh.go.id")]


@pytest.mark.parametrize(("written", "whatsapp", "problem"), [
    ("0266 123456", False, None),
    ("112", False, None),
    ("0266 123456 ext. 2", False, "phone_chars"),
    ("0266+123", False, "phone_chars"),
    ("---", False, "phone_chars"),
    ("12", False, "phone_length"),
    ("0812 3456 7890 1234 5", False, "phone_length"),
    ("0812-3456-7890", True, None),
    ("812-3456-7890", True, "whatsapp_form"),
    ("0812 345", True, "whatsapp_length"),
])
def test_number_problem(written, whatsapp, problem):
    found = contact.number_problem(written, whatsapp=whatsapp)
    assert (found[0] if found else None) == problem
