"""How much a printed "Standar Pelayanan" sheet holds, to pick a type size that keeps it on one A4 page.

A static page cannot measure itself when printed, so the build estimates a sheet's height from
the length of its texts, in lines of body text at the normal size, and picks a smaller size class
(site.css, `@media print`) for long services. The figures are calibrated against Chromium with a
wide font (DejaVu Sans); tests/render/test_print.py prints every sheet of the bundled site.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from mppsite.model.site import Duration, Fee, Service, Text

if TYPE_CHECKING:
    from mppsite.render.templates import Lang

# characters per line at the normal size (12 pt), by place on the sheet
COLUMN = 34  # requirements, procedure (two columns)
ROW = 58  # service time, fee, product (beside their label)
LABEL = 13  # a row's label
LEGAL = 110  # legal basis, in small type
NAME = 28  # the service's name, in large type
NAME_LINE = 1.7  # a line of the name, in body lines
LEGAL_LINE = 0.8
# The largest estimate each size class takes, largest size first; calibrated on the 214 bundled
# sheets printed at every size, each limit keeps the estimate's error (22 mm) below the 277 mm page.
CLASSES: tuple[tuple[str, float], ...] = (("", 26.0), ("fit-11", 35.0), ("fit-10", 45.0))
SMALLEST = "fit-9"


def _lines(texts: list[str], per_line: int) -> int:
    return sum(max(1, math.ceil(len(text) / per_line)) for text in texts)


def _words(value: Text | Duration | Fee, lang: str) -> str:
    """The words a row shows, near enough for counting lines."""
    if isinstance(value, Text):
        return value.get(lang)
    stated = value.amount is not None if isinstance(value, Fee) else value.value is not None
    # a formatted duration or fee ("14 hari kerja", "Rp1.500.000"), then " — " and the note
    return ("x" * 16 if stated else "") + (" — " + value.note.get(lang) if value.note is not None else "")


def load(service: Service, lang: str, labels: tuple[str, str, str], procedure_label: str) -> float:
    """Estimated height of the variable part of the sheet, in lines of body text at 12 pt."""
    # (a requirement's "(fotokopi, 2 lembar)" counted near enough as 16 characters more)
    requirements = _lines([item.get(lang) + (" " * 16 if item.form or item.count else "")
                           for item in service.requirements], COLUMN)
    if service.eligibility:  # its heading and its conditions, in the same column
        requirements += 1 + _lines([item.get(lang) for item in service.eligibility], COLUMN)
    procedure = _lines([step.get(lang) for step in service.procedure], COLUMN)
    procedure += math.ceil(len(procedure_label) / COLUMN) - 1  # a heading that wraps
    rows = sum(max(math.ceil(len(label) / LABEL), _lines([_words(value, lang)], ROW))
               for label, value in zip(labels, (service.duration, service.fee, service.product), strict=True))
    legal = _lines(service.legal_basis, LEGAL) * LEGAL_LINE
    name = _lines([service.name.get(lang)], NAME) * NAME_LINE
    return max(requirements, procedure) + rows + legal + name


def size_class(service: Service, lang: Lang) -> str:
    """The CSS class of the largest type size at which the sheet is expected to fit one page."""
    labels = (lang.t("sheet_duration"), lang.t("sheet_fee"), lang.t("sheet_product"))
    amount = load(service, lang.code, labels, lang.t("sheet_procedure"))
    for name, most in CLASSES:
        if amount <= most:
            return name
    return SMALLEST
