"""Validate step, second half: cross-references between files (ids, categories, counters, files)."""

from __future__ import annotations

import re
from pathlib import Path

from .load import Source
from .problems import Msg, Problems
from .validate import Checked, Item, _hint, field_path

DOCUMENT_NAME = re.compile(r"^(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)(?:\.(?P<lang>[a-z]{2,3}))?\.md$")


def _add(problems: Problems, item: Item, key: str, *where: str | int, at_key: bool = False,
         **params: object) -> None:
    line, col = item.position(*where, key=at_key)
    problems.add(item.source.rel, line, col, field_path(item.loc + where), key, **params)


def _where(item: Item, *more: str | int) -> str:
    line, _ = item.position(*more)
    return f"{item.source.rel}:{line}"


def check_file_ref(root: Path, value: str) -> str | None:
    """Message key when `value` (e.g. 'files/f1.pdf') is not a usable attachment, else None."""
    files = (root / "content" / "files").resolve()
    target = (root / "content" / value).resolve()
    if ".." in Path(value).parts or files not in target.parents:
        return "file_outside"
    if not target.is_file():
        return "file_missing"
    return None


def _check_file(root: Path, problems: Problems, item: Item, value: str | None, *where: str | int) -> None:
    if value is not None and (key := check_file_ref(root, value)):
        _add(problems, item, key, *where, value=value)


def _unique(problems: Problems, items: list[tuple[str, Item, tuple]], kind: str) -> set[str]:
    """Report every id used twice, pointing back at its first use."""
    first: dict[str, Item] = {}
    firstwhere: dict[str, tuple] = {}
    for ident, item, where in items:
        if ident in first:
            _add(problems, item, "duplicate_id", *where, kind=Msg(f"kind_{kind}"), id=ident,
                 first=_where(first[ident], *firstwhere[ident]))
        else:
            first[ident], firstwhere[ident] = item, where
    return set(first)


def check_references(checked: Checked, root: Path, scales: set[str], reserved: set[str],
                     languages: tuple[str, ...], problems: Problems) -> None:
    """Record every broken cross-reference."""
    category_ids = _unique(problems, [(i.value.id, i, ("id",)) for i in checked.categories], "category")
    _unique(problems, [(t.value.id, t, ("id",)) for t, _ in checked.tenants], "tenant")
    _unique(problems, [(s.value.id, s, ("id",)) for _, services in checked.tenants for s in services],
            "service")
    _unique(problems, [(i.value.id, i, ("id",)) for i in checked.indicators], "indicator")

    if checked.mall is not None:
        _check_file(root, problems, checked.mall, checked.mall.value.logo, "logo")

    categories = sorted(category_ids)
    for tenant, services in checked.tenants:
        expected = Path(tenant.source.rel).stem
        if tenant.value.id != expected:
            _add(problems, tenant, "tenant_file_name", "id", id=tenant.value.id, expected=expected)
        seen: set[str] = set()
        for index, counter in enumerate(tenant.value.counters):
            if counter in seen:
                _add(problems, tenant, "duplicate_counter", "counters", index, value=counter)
            seen.add(counter)
        counters = ", ".join(tenant.value.counters)
        for service in services:
            value = service.value
            if value.category not in category_ids:
                _add(problems, service, "unknown_category", "category", value=value.category,
                     hint=_hint(value.category, categories))
            if value.counter is not None and value.counter not in seen:
                _add(problems, service, "unknown_counter", "counter", value=value.counter,
                     counters=counters)
            for index, form in enumerate(value.forms):
                _check_file(root, problems, service, form.file, "forms", index, "file")

    for indicator in checked.indicators:
        value = indicator.value
        if value.scale != "none" and value.scale not in scales:
            choices = sorted(scales) + ["none"]
            _add(problems, indicator, "unknown_scale", "scale", value=value.scale,
                 scales=", ".join(choices), hint=_hint(value.scale, choices))
        years: set[int] = set()
        for index, result in enumerate(value.results):
            if result.year in years:
                _add(problems, indicator, "duplicate_year", "results", index, "year", year=result.year)
            years.add(result.year)

    _check_documents(checked, root, reserved, languages, problems)


def _check_documents(checked: Checked, root: Path, reserved: set[str], languages: tuple[str, ...],
                     problems: Problems) -> None:
    for kind, items in checked.documents.items():
        names = {Path(item.source.rel).name for item in items}
        for item in items:
            source: Source = item.source
            name = Path(source.rel).name
            match = DOCUMENT_NAME.match(name)
            if not match or (match.group("lang") and match.group("lang") not in languages[1:]):
                problems.add(source.rel, 0, 0, "", "bad_document_name", name=name)
                continue
            slug, lang = match.group("slug"), match.group("lang")
            _check_file(root, problems, item, item.value.attachment, "attachment")
            if lang:
                if f"{slug}.md" not in names:
                    problems.add(source.rel, 0, 0, "", "translation_without_original",
                                 expected=f"{Path(source.rel).parent.as_posix()}/{slug}.md")
                continue
            meta = item.value
            if kind in ("circulars", "news") and meta.date is None:
                problems.add(source.rel, 1, 1, "", "date_required")
            if kind == "pages" and slug in reserved:
                problems.add(source.rel, 0, 0, "", "url_clash", url=f"/{slug}/",
                             other=Msg("site_section"))
