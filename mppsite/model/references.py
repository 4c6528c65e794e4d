"""Validate step, second half: cross-references between files (ids, categories, counters, files).

These checks read the items as written (`Item.get`), so an item with a schema error still has
its references checked: staff see every problem in one run.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path

from mppsite.check.validate import Checked, Item
from mppsite.core.formats import FILE_PATTERN
from mppsite.core.problems import Msg, Problems, field_path, hint
from mppsite.load.markdown_limits import TEXT_LIMIT, markdown_errors
from mppsite.model.site import Scale

DOCUMENT_NAME = re.compile(r"^(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)(?:\.(?P<lang>[a-z]{2,3}))?\.md$")


def _add(problems: Problems, item: Item, key: str, *where: str | int, **params: object) -> None:
    line, col = item.position(*where)
    problems.add(item.source.rel, line, col, field_path(item.loc + where), key, **params)


def _check_file(root: Path, problems: Problems, item: Item, value: object, *where: str | int) -> None:
    """An attachment ('files/f1.pdf') must be a file inside content/files/."""
    if not isinstance(value, str) or not re.match(FILE_PATTERN, value):
        return  # not 'files/...' at all: the schema reported it
    files = (root / "content" / "files").resolve()
    try:
        target = (root / "content" / value).resolve()
        inside = files in target.parents and ".." not in Path(value).parts and not Path(value).is_absolute()
    except (OSError, ValueError):
        inside = False
    if not inside:
        _add(problems, item, "file_outside", *where, value=value)
    elif not target.is_file():
        _add(problems, item, "file_missing", *where, value=value)


def _unique(problems: Problems, items: list[Item], kind: str) -> set[str]:
    """Report every id used twice, pointing back at its first use."""
    first: dict[str, Item] = {}
    for item in items:
        ident = item.get("id")
        if ident is None:
            continue
        if ident in first:
            where = f"{first[ident].source.rel}:{first[ident].position('id')[0]}"
            _add(problems, item, "duplicate_id", "id", kind=Msg(f"kind_{kind}"), id=ident, first=where)
        else:
            first[ident] = item
    return set(first)


def check_references(checked: Checked, root: Path, scales: Mapping[str, Scale], reserved: set[str],
                     languages: tuple[str, ...], problems: Problems) -> None:
    """Record every broken cross-reference."""
    # None when categories.yaml could not be read (reported): no service is told its category is unknown.
    category_ids = _unique(problems, checked.categories, "category") if checked.categories_listed else None
    _unique(problems, [tenant for tenant, _ in checked.tenants], "tenant")
    all_services = [service for _, services in checked.tenants for service in services]
    service_ids = _unique(problems, all_services, "service")
    _unique(problems, checked.indicators, "indicator")
    if checked.mall is not None:
        _check_file(root, problems, checked.mall, checked.mall.get("logo"), "logo")
        _check_closures(problems, checked.mall)
    categories = sorted(category_ids or ())
    for tenant, services in checked.tenants:
        _check_file(root, problems, tenant, tenant.get("logo"), "logo")  # (checked each time: it may be gone)
        kept = tenant.source.cached  # a catalog from the catalog cache (catalog_cache.py)
        if kept is not None and (category_ids is None or kept.references()[0] <= category_ids):
            # Its own checks passed when it was kept and involve no other file; its forms' files may be gone.
            for index in kept.references()[1]:
                _check_forms(root, problems, services[index])
            continue
        _check_tenant(root, problems, tenant, services, category_ids, categories)
    known = sorted(service_ids)
    for service in all_services:  # every build: the ids named may be in other catalogs
        _check_related(problems, service, service_ids, known)
    for indicator in checked.indicators:
        _check_indicator(problems, indicator, scales)
    _check_documents(checked, root, reserved, languages, problems)


def _check_closures(problems: Problems, mall: Item) -> None:
    """Each year's list of holidays (mpp.yaml `closures`) once, and every date in its own year: a
    date typed with last year's number would close the mall on a day it is open."""
    years: set[int] = set()
    for index, block in enumerate(mall.get("closures", list) or []):
        year = block.get("year") if isinstance(block, dict) else None
        if not isinstance(year, int) or isinstance(year, bool):
            continue
        if year in years:
            _add(problems, mall, "duplicate_year", "closures", index, "year", year=year)
        years.add(year)
        for number, closure in enumerate(block.get("dates") if isinstance(block.get("dates"), list) else []):
            day = closure.get("date") if isinstance(closure, dict) else None
            if isinstance(day, datetime.date) and day.year != year:
                _add(problems, mall, "closure_year", "closures", index, "dates", number, "date",
                     date=day.isoformat(), year=year)


def _check_tenant(root: Path, problems: Problems, tenant: Item, services: list[Item],
                  category_ids: set[str] | None, categories: list[str]) -> None:
    expected = Path(tenant.source.rel).stem
    ident = tenant.get("id")
    if ident is not None and ident != expected:
        _add(problems, tenant, "tenant_file_name", "id", id=ident, expected=expected)
    labels = [str(c) for c in (tenant.get("counters", list) or []) if isinstance(c, (str, int))]
    seen: set[str] = set()
    for index, label in enumerate(labels):
        if label in seen:
            _add(problems, tenant, "duplicate_counter", "counters", index, value=label)
        seen.add(label)
    for service in services:
        category = service.get("category")
        if category is not None and category_ids is not None and category not in category_ids:
            _add(problems, service, "unknown_category", "category", value=category,
                 hint=hint(category, categories))
        counter = service.get("counter", (str, int))
        if counter is not None and tenant.get("counters", list) is not None and str(counter) not in seen:
            _add(problems, service, "unknown_counter", "counter", value=counter,
                 counters=", ".join(labels))
        _check_forms(root, problems, service)
        _check_notes(problems, service)


def _check_related(problems: Problems, service: Item, service_ids: set[str], known: list[str]) -> None:
    """`related:` names services that exist, not this one, each once."""
    seen: set[str] = set()
    for index, ident in enumerate(service.get("related", list) or []):
        if not isinstance(ident, str):
            continue  # not an id at all: the schema reported it
        if ident == service.get("id"):
            _add(problems, service, "related_self", "related", index, value=ident)
        elif ident in seen:
            _add(problems, service, "related_duplicate", "related", index, value=ident)
        elif ident not in service_ids:
            _add(problems, service, "related_unknown", "related", index, value=ident,
                 hint=hint(ident, known))
        seen.add(ident)


def _check_notes(problems: Problems, service: Item) -> None:
    """Notes beyond what the Markdown renderer shows as written (markdown_limits.py)."""
    notes = service.get("notes", (str, dict))
    texts = notes.items() if isinstance(notes, dict) else [(None, notes)] if notes else []
    for lang, words in texts:
        if isinstance(words, str):
            where = ("notes",) if lang is None else ("notes", lang)
            for finding in markdown_errors(words, TEXT_LIMIT):
                _add(problems, service, finding.key, *where, **dict(finding.params))


def _check_forms(root: Path, problems: Problems, service: Item) -> None:
    for index, form in enumerate(service.get("forms", list) or []):
        if isinstance(form, dict):
            _check_file(root, problems, service, form.get("file"), "forms", index, "file")


def _check_indicator(problems: Problems, indicator: Item, scales: Mapping[str, Scale]) -> None:
    scale = indicator.get("scale")
    if scale is not None and scale != "none" and scale not in scales:
        choices = [*sorted(scales), "none"]
        _add(problems, indicator, "unknown_scale", "scale", value=scale,
             scales=", ".join(choices), hint=hint(scale, choices))
    years: set[int] = set()
    for index, result in enumerate(indicator.get("results", list) or []):
        year = result.get("year") if isinstance(result, dict) else None
        if isinstance(year, int) and year in years:
            _add(problems, indicator, "duplicate_year", "results", index, "year", year=year)
        if isinstance(year, int):
            years.add(year)
    if indicator.value is not None and scale in scales:  # scores as validated ("1e3" is a number too)
        low, high = scales[scale].low, scales[scale].high
        for index, result in enumerate(indicator.value.results):
            if not low <= Decimal(str(result.score)) <= high:  # a typo such as 46.2 for 4.62
                _add(problems, indicator, "score_outside_scale", "results", index, "score",
                     score=result.score, scale=scale, low=_plain(low), high=_plain(high))


def _plain(value: Decimal) -> str:
    """A scale bound as staff write it: 5, 4.5, 100."""
    return format(value.normalize(), "f")


def _check_documents(checked: Checked, root: Path, reserved: set[str], languages: tuple[str, ...],
                     problems: Problems) -> None:
    for kind, items in checked.documents.items():
        for item in items:
            rel = item.source.rel
            name = Path(rel).name
            match = DOCUMENT_NAME.match(name)
            if not match or (match.group("lang") and match.group("lang") not in languages[1:]):
                problems.add(rel, 0, 0, "", "bad_document_name", name=name)
                continue
            slug, lang = match.group("slug"), match.group("lang")
            _check_file(root, problems, item, item.get("attachment"), "attachment")
            if lang:
                if not (item.source.path.parent / f"{slug}.md").is_file():
                    problems.add(rel, 0, 0, "", "translation_without_original",
                                 expected=f"{Path(rel).parent.as_posix()}/{slug}.md")
                continue
            if kind in ("circulars", "news") and isinstance(item.raw, dict) and "date" not in item.raw:
                problems.add(rel, 1, 1, "", "date_required")
            if kind == "pages" and slug in reserved:
                problems.add(rel, 0, 0, "", "url_clash", url=f"/{slug}/", other=Msg("site_section"))
