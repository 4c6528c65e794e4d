"""Warnings for `check`: what does not stop a build but staff should fix.

Missing translations (per file and field), links and images in Markdown that lead nowhere or
lack alt text (links.py), services never reviewed or reviewed more than 12 months ago, counters
declared but not used, documents without a translation, the coming year's holidays not listed.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from mppsite.check.languages import unpublished_in
from mppsite.check.validate import Checked, Item
from mppsite.core.problems import NOTE, WARNING, Problem, Problems, _printable, field_path
from mppsite.load.markdown_limits import TEXT_LIMIT, markdown_findings
from mppsite.load.source import Path_
from mppsite.model.links import Target, judge, targets
from mppsite.model.markup import MarkdownRenderer
from mppsite.model.site import Site

if TYPE_CHECKING:
    from mppsite.model.routes import Router

REVIEW_MAX_AGE = datetime.timedelta(days=365)


_SCALARS = frozenset({str, int, float, bool, datetime.date, type(None)})  # hold no Text
Found = list[tuple[Path_, dict[str, str]]]


def _texts(value: Any, loc: Path_, languages: tuple[str, ...], found: Found) -> None:
    """Every Text inside a validated value, with its path, added to `found`: (loc, {lang: words}).
    Scalars are skipped before the call (a sixth of checking a catalog)."""
    if isinstance(value, list):
        for index, item in enumerate(value):
            if type(item) not in _SCALARS:
                _texts(item, (*loc, index), languages, found)
    elif isinstance(value, dict):
        if set(value) == {"text"}:
            _texts(value["text"], loc, languages, found)
        elif value and all(isinstance(k, str) and k in languages for k in value) and all(
                isinstance(v, str) for v in value.values()):
            found.append((loc, value))
    else:  # a pydantic model (pydantic is not imported here: see validate.py), or nothing to walk
        for name in getattr(type(value), "model_fields", ()):
            child = getattr(value, name)
            if type(child) not in _SCALARS:
                _texts(child, (*loc, name), languages, found)


def _warn(problems: Problems, item: Item, where: Path_, key: str, **params: Any) -> None:
    line, col = item.source.position(where)
    problems.add(item.source.rel, line, col, field_path(where), key, severity=WARNING, **params)


def _online_url_note(problems: Problems, item: Item, url: str) -> None:
    """online_url still works; the note shows the named form (`online`) that replaces it."""
    where = (*item.loc, "online_url")
    line, col = item.source.position(where)
    problems.add(item.source.rel, line, col, field_path(where), "online_url_unnamed", severity=NOTE, url=url)


def _missing_translations(items: list[Item], languages: tuple[str, ...], problems: Problems) -> None:
    for item in items:
        if item.value is None:
            continue
        texts: Found = []
        _texts(item.value, item.loc, languages, texts)
        for loc, text in texts:
            for lang in languages:
                if lang not in text:
                    _warn(problems, item, loc, "missing_translation", language=lang)


def _documents(site: Site, checked: Checked, languages: tuple[str, ...], today: datetime.date,
               problems: Problems) -> None:
    """A document needs its twin (<slug>.en.md); the twin or the original gives each field. A date
    after today is published at once (the site is built on each change, not on that day): a typo?"""
    originals = {item.source.rel: item for docs in checked.documents.values() for item in docs}
    for docs in site.documents.values():
        for doc in docs:
            item = originals[doc.source]
            if doc.date is not None and doc.date > today:
                _warn(problems, item, ("date",), "date_future", date=doc.date.isoformat())
            for lang in languages[1:]:
                if not doc.has(lang):
                    expected = doc.source[: -len(".md")] + f".{lang}.md"
                    problems.add(doc.source, 0, 0, "", "document_untranslated", severity=WARNING,
                                 language=lang, expected=expected)
                    continue
                for name in ("title", "summary", "signed_by"):
                    text = getattr(doc, name)
                    if text is not None and lang not in text.values:
                        _warn(problems, item, (name,), "missing_translation", language=lang)


def _unpublished(checked: Checked, catalogs: list[CatalogFacts], languages: tuple[str, ...],
                 problems: Problems) -> None:
    """One note for the whole site, not one per field: words in a language the site does not
    publish are expected in a catalog shared with an MPP that publishes it."""
    found = set(checked.unpublished).union(*(facts.unpublished for facts in catalogs))
    items = [checked.mall] if checked.mall else []
    for item in [*items, *checked.categories, *checked.indicators,
                 *(item for docs in checked.documents.values() for item in docs)]:
        unpublished_in(item.raw, languages, found)
    if found:
        problems.add("site_config.yaml", 0, 0, "languages", "languages_unpublished", severity=NOTE,
                     languages=", ".join(sorted(found)))


def _links(site: Site, router: Router, checked: Checked, catalogs: list[CatalogFacts],
           problems: Problems) -> None:
    """Links and images in Markdown (documents and service notes) that lead nowhere, have no alt
    text, or would work only by accident (links.py)."""
    default = router.languages[0]
    body_lines = {item.source.rel: item.source.body_line
                  for docs in checked.documents.values() for item in docs}
    found: list[tuple[str, int, int, str, Target]] = []  # (file, line, column, field, target)
    for doc in [doc for docs in site.documents.values() for doc in docs]:
        for lang, body in doc.body.items():
            # Each body in the file it was written in: a translation's body is in <slug>.<lang>.md.
            rel = doc.source if lang == default else doc.source.removesuffix(".md") + f".{lang}.md"
            offset = body_lines.get(rel, 0)
            found += [(rel, offset + target.line - 1 if offset else 0, target.column if offset else 0,
                       "", target) for target in targets(body)]
    found += [(facts.rel, line, col, where, target)
              for facts in catalogs for where, found_in_notes, line, col in facts.links
              for target in found_in_notes]
    renderer = MarkdownRenderer(router, set(site.files))
    known = sorted("/" + paths[default] for paths in router.pages().values())
    for rel, line, col, where, target in found:
        for key, params in judge(target, renderer, known, default):
            problems.add(rel, line, col, where, key, severity=WARNING, **params)


@dataclass
class CatalogFacts:
    """What the audit needs from one service catalog, positions resolved (kept by catalog_cache.py).
    `warnings` depend on the catalog alone; reviews and links are judged at each build."""

    rel: str
    warnings: list[Problem] = field(default_factory=list)
    reviews: list[tuple[str, datetime.date | None, int, int]] = field(default_factory=list)
    links: list[tuple[str, list[Target], int, int]] = field(default_factory=list)  # in notes, per language
    unpublished: set[str] = field(default_factory=set)  # languages written but not published

    def review_warnings(self, today: datetime.date) -> list[Problem]:
        """The entries never reviewed or reviewed too long ago."""
        found, rel = [], _printable(self.rel)
        for where, reviewed_on, line, col in self.reviews:
            if reviewed_on is None:
                found.append(Problem(rel, line, col, where, "unreviewed", (), WARNING))
            elif reviewed_on > today:  # (a typo such as 2052 would silence the check for decades)
                found.append(Problem(rel, line, col, where, "review_future",
                                     (("date", reviewed_on.isoformat()),), WARNING))
            elif today - reviewed_on > REVIEW_MAX_AGE:
                found.append(Problem(rel, line, col, where, "review_old",
                                     (("date", reviewed_on.isoformat()),), WARNING))
        return found


def catalog_facts(tenant: Item, services: list[Item], languages: tuple[str, ...]) -> CatalogFacts:
    """The audit's facts of one catalog whose items passed the schema."""
    problems = Problems()
    facts = CatalogFacts(rel=tenant.source.rel)
    if not tenant.source.translated:  # (the schema found every text in every language otherwise)
        _missing_translations([tenant, *services], languages, problems)
    unpublished_in(tenant.source.data, languages, facts.unpublished)
    for item in services:
        value = item.value
        if value is None:
            continue
        where = () if value.reviewed_on is None else ("reviewed_on",)  # the service, or its date
        line, col = item.position(*where)
        facts.reviews.append((field_path((*item.loc, *where)), value.reviewed_on, line, col))
        if value.online_url is not None:
            _online_url_note(problems, item, value.online_url)
        for lang, words in (value.notes or {}).items():
            if found := targets(words):
                where = (*item.loc, "notes", lang)
                facts.links.append((field_path(where), found, *item.source.position(where)))
            for finding in markdown_findings(words, TEXT_LIMIT):
                if finding.severity == WARNING:  # (its errors stopped the build: references.py)
                    _warn(problems, item, (*item.loc, "notes", lang), finding.key, **dict(finding.params))
    if tenant.value is not None:
        used = {item.value.counter for item in services if item.value is not None}
        for index, counter in enumerate(tenant.value.counters):
            if counter not in used:
                _warn(problems, tenant, (*tenant.loc, "counters", index), "counter_unused", counter=counter)
    facts.warnings = problems.items
    return facts


def closures_due(today: datetime.date) -> int:
    """The year whose list of holidays should be written by `today`: the coming year from December
    on (the SKB is published months ahead), else the current one."""
    return today.year + 1 if today.month == 12 else today.year


def _stale_closures(checked: Checked, today: datetime.date, problems: Problems) -> None:
    """A mall that keeps yearly lists of holidays (`closures`) and lacks the one now due: a warning
    that may wait, since the site still reads right on every other day."""
    mall = checked.mall
    if mall is None or mall.value is None or not mall.value.closures:
        return
    due = closures_due(today)
    if due not in {block.year for block in mall.value.closures}:
        line, col = mall.source.position((*mall.loc, "closures"), key=True)
        problems.add(mall.source.rel, line, col, "closures", "closures_stale", severity=WARNING, year=due)


def audit(checked: Checked, site: Site, router: Router, languages: tuple[str, ...],
          today: datetime.date) -> Problems:
    """All warnings for the content."""
    problems = Problems()
    items: list[Item] = [checked.mall] if checked.mall else []
    _missing_translations(items + checked.categories + checked.indicators, languages, problems)
    # A catalog's own facts come from the catalog cache when it has them (see catalog_cache.py).
    catalogs = [tenant.source.cached.facts if tenant.source.cached is not None
                else catalog_facts(tenant, services, languages) for tenant, services in checked.tenants]
    for facts in catalogs:
        problems.items.extend(facts.warnings)
    _documents(site, checked, languages, today, problems)
    _unpublished(checked, catalogs, languages, problems)
    _links(site, router, checked, catalogs, problems)
    for facts in catalogs:
        problems.items.extend(facts.review_warnings(today))
    _stale_closures(checked, today, problems)
    return problems
