"""Warnings for `check`: what does not stop a build but staff should fix.

Missing translations (per file and field), site links in Markdown that lead nowhere, services
never reviewed or reviewed more than 12 months ago, counters declared but not used, documents
without a translation.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from pydantic import BaseModel

from .load import Path_
from .markup import MarkdownRenderer
from .model import Site
from .problems import WARNING, Problems
from .routes import Router
from .validate import Checked, Item, _hint, field_path

LINK = re.compile(r"\]\(\s*(/[^)\s]*)")
REVIEW_MAX_AGE = datetime.timedelta(days=365)


def _texts(value: Any, loc: Path_, languages: tuple[str, ...]):
    """Every Text inside a validated value, with its path: (loc, {lang: words})."""
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _texts(getattr(value, name), (*loc, name), languages)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _texts(item, (*loc, index), languages)
    elif isinstance(value, dict):
        if set(value) == {"text"}:
            yield from _texts(value["text"], loc, languages)
        elif value and all(isinstance(k, str) and k in languages for k in value) and all(
                isinstance(v, str) for v in value.values()):
            yield loc, value


def _warn(problems: Problems, item: Item, where: Path_, key: str, **params: Any) -> None:
    line, col = item.source.position(where)
    problems.add(item.source.rel, line, col, field_path(where), key, severity=WARNING, **params)


def _missing_translations(checked: Checked, languages: tuple[str, ...], problems: Problems) -> None:
    items: list[Item] = [checked.mall] if checked.mall else []
    items += checked.categories + checked.indicators
    for tenant, services in checked.tenants:
        items += [tenant, *services]
    for item in items:
        if item.value is None:
            continue
        for loc, text in _texts(item.value, item.loc, languages):
            for lang in languages:
                if lang not in text:
                    _warn(problems, item, loc, "missing_translation", language=lang)


def _documents(site: Site, checked: Checked, languages: tuple[str, ...], problems: Problems) -> None:
    """A document needs its twin (<slug>.en.md); the twin or the original gives each field."""
    originals = {item.source.rel: item for docs in checked.documents.values() for item in docs}
    for docs in site.documents.values():
        for doc in docs:
            item = originals[doc.source]
            for lang in languages[1:]:
                if not doc.has(lang):
                    expected = doc.source[: -len(".md")] + f".{lang}.md"
                    problems.add(doc.source, 0, 0, "", "document_untranslated", severity=WARNING,
                                 language=lang, expected=expected)
                    continue
                for name in ("title", "summary", "signed_by"):
                    text = getattr(doc, name)
                    if text is not None and not text.has(lang):
                        _warn(problems, item, (name,), "missing_translation", language=lang)


def _links(site: Site, router: Router, checked: Checked, problems: Problems) -> None:
    """Site links in Markdown (documents and service notes) that lead nowhere."""
    renderer = MarkdownRenderer(router, set(site.files))
    known = sorted("/" + path for path in (paths[router.languages[0]] for paths in router.pages().values()))
    sources = [(d.source, body) for docs in site.documents.values() for d in docs
               for body in d.body.values()]
    for source, text in sources:
        for number, line in enumerate(text.splitlines(), start=1):
            for href in LINK.findall(line):
                if renderer.link(href, router.languages[0]) is None:
                    offset = _body_line(checked, source)
                    problems.add(source, offset + number - 1 if offset else 0, 1 if offset else 0, "",
                                 "broken_link", severity=WARNING, href=href, hint=_hint(href, known))
    for _, services in checked.tenants:
        for item in services:
            if item.value is None or item.value.notes is None:
                continue
            for words in item.value.notes.values():
                for href in LINK.findall(words):
                    if renderer.link(href, router.languages[0]) is None:
                        _warn(problems, item, (*item.loc, "notes"), "broken_link", href=href,
                              hint=_hint(href, known))


def _body_line(checked: Checked, rel: str) -> int:
    for docs in checked.documents.values():
        for item in docs:
            if item.source.rel == rel:
                return item.source.body_line
    return 0


def audit(checked: Checked, site: Site, router: Router, languages: tuple[str, ...],
          today: datetime.date) -> Problems:
    """All warnings for the content."""
    problems = Problems()
    _missing_translations(checked, languages, problems)
    _documents(site, checked, languages, problems)
    _links(site, router, checked, problems)
    services = {s.id: s for s in site.services}
    for _, items in checked.tenants:
        for item in items:
            service = services.get(item.value.id) if item.value else None
            if service is None:
                continue
            if service.reviewed_on is None:
                line, col = item.source.position(item.loc)
                problems.add(item.source.rel, line, col, field_path(item.loc), "unreviewed",
                             severity=WARNING)
            elif today - service.reviewed_on > REVIEW_MAX_AGE:
                _warn(problems, item, (*item.loc, "reviewed_on"), "review_old",
                      date=service.reviewed_on.isoformat())
    for tenant_item, _ in checked.tenants:
        tenant = next((t for t in site.tenants if t.id == tenant_item.value.id), None)
        if tenant is None:
            continue
        used = {s.counter for s in tenant.services}
        for index, counter in enumerate(tenant.counters):
            if counter not in used:
                _warn(problems, tenant_item, (*tenant_item.loc, "counters", index), "counter_unused",
                      counter=counter)
    return problems
