"""The older fee and duration shapes turned into the one shape each a form can hold (migrate.py),
on their own: no amount is ever read out of words."""

from __future__ import annotations

import io

import pytest
from ruamel.yaml import YAML

from mppsite.tidy.migrate import migrate_catalog, migrate_duration, migrate_fee


@pytest.mark.parametrize(("old", "new"), [
    (30000, {"amount": 30000}),
    (0, {"amount": 0}),  # free stays free: 0, not a missing amount
    ("Gratis", {"note": "Gratis"}),
    ("Rp50.000 per bidang", {"note": "Rp50.000 per bidang"}),  # words stay words: no amount invented
    ({"id": "Sesuai PP 128/2015", "en": "Under PP 128/2015"},
     {"note": {"id": "Sesuai PP 128/2015", "en": "Under PP 128/2015"}}),
    ({"amount": 5000}, {"amount": 5000}),  # already new
    ({"amount": 5000, "note": {"id": "per lembar"}}, {"amount": 5000, "note": {"id": "per lembar"}}),
    ({"note": "x"}, {"note": "x"}),
])
def test_each_fee_shape_becomes_amount_and_note(old, new) -> None:
    assert migrate_fee(old) == new


@pytest.mark.parametrize("odd", [True, None, [1, 2], 2.5, {}])
def test_a_fee_that_is_no_fee_is_left_for_check_to_report(odd) -> None:
    assert migrate_fee(odd) is odd


@pytest.mark.parametrize(("old", "new"), [
    ({"value": 14, "unit": "working_days"}, {"value": 14, "unit": "working_days"}),
    ({"value": 1, "unit": "days", "note": {"id": "bila berkas lengkap"}},
     {"value": 1, "unit": "days", "note": {"id": "bila berkas lengkap"}}),
    ("Selesai di tempat", {"note": "Selesai di tempat"}),
    ({"id": "3 hari kerja setelah survei", "en": "3 working days after the survey"},
     {"note": {"id": "3 hari kerja setelah survei", "en": "3 working days after the survey"}}),
    ({"unit": "days"}, {"unit": "days"}),  # half a structure: check says what is missing
])
def test_each_duration_shape_becomes_value_unit_note(old, new) -> None:
    assert migrate_duration(old) == new


def test_a_catalog_is_migrated_service_by_service_and_comments_stay() -> None:
    handler = YAML()
    data = handler.load(
        "services:\n"
        "  - id: a\n"
        "    fee: 30000  # per lembar\n"
        "    duration: Selesai di tempat\n"
        "  - id: b\n"
        "    fee: {id: Gratis}\n"
        "    duration: {value: 2, unit: days}\n"
        "  - not a service\n")
    migrate_catalog(data)
    assert data["services"][0] == {"id": "a", "fee": {"amount": 30000},
                                   "duration": {"note": "Selesai di tempat"}}
    assert data["services"][1] == {"id": "b", "fee": {"note": {"id": "Gratis"}},
                                   "duration": {"value": 2, "unit": "days"}}
    assert data["services"][2] == "not a service"
    written = io.StringIO()
    handler.dump(data, written)
    assert "amount: 30000 # per lembar" in written.getvalue()


def test_a_catalog_without_services_is_left_alone() -> None:
    assert migrate_catalog({"tenant": {"id": "x"}}) == {"tenant": {"id": "x"}}
    assert migrate_catalog(None) is None
