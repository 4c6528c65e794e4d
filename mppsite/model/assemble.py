"""Model step: turn checked items into the Site dataclasses, resolving ids to objects."""

from __future__ import annotations

from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

import yaml

from mppsite.check.validate import Checked, Item
from mppsite.load.content import Content
from mppsite.model.references import DOCUMENT_NAME
from mppsite.model.site import (
    Band,
    Category,
    Channel,
    Closure,
    ClosureSource,
    Document,
    Duration,
    Fee,
    Form,
    Indicator,
    Link,
    Mall,
    OpeningHours,
    Requirement,
    Result,
    Scale,
    Service,
    Site,
    Tenant,
    Text,
)

DATA_DIR = Path(__file__).resolve().parents[2] / "data"


def load_scales(default: str) -> dict[str, Scale]:
    """The official grading scales from data/scales.yaml."""
    with open(DATA_DIR / "scales.yaml", encoding="utf-8") as stream:
        raw = yaml.load(stream, Loader=yaml.CSafeLoader)
    scales = {}
    for ident, spec in raw.items():
        bands = [Band(min=Decimal(str(b["min"])), grade=b["grade"], label=Text(b["label"], default))
                 for b in spec["bands"]]
        low, high = spec["range"]
        scales[ident] = Scale(id=ident, name=Text(spec["name"], default), regulation=spec["regulation"],
                              confirmed=bool(spec["confirmed"]), low=Decimal(str(low)),
                              high=Decimal(str(high)), decimals=int(spec["decimals"]), bands=bands)
    return scales


def _text(values: dict[str, str] | None, default: str) -> Text | None:
    return Text(values, default) if values is not None else None


def _closures(mall_value: Any, default: str) -> list[Closure]:
    """Every day the mall is closed, by date: the yearly lists of holidays and the other days; a
    day written in both is shown once, with the words of the yearly list."""
    by_date: dict[Any, Closure] = {}
    written = [closure for block in mall_value.closures for closure in block.dates] + mall_value.closed_on
    for closure in written:
        by_date.setdefault(closure.date, Closure(closure.date, _text(closure.reason, default)))
    return [by_date[day] for day in sorted(by_date)]


def build_site(checked: Checked, content: Content, scales: dict[str, Scale],
               languages: tuple[str, ...]) -> Site:
    """Assemble the Site. Assumes check_schema and check_references found no errors."""
    default = languages[0]
    text = partial(Text, default=default)
    mall_value = checked.mall.value if checked.mall else None
    assert mall_value is not None
    mall = Mall(
        name=text(mall_value.name), short_name=mall_value.short_name,
        description=_text(mall_value.description, default), logo=mall_value.logo,
        address=text(mall_value.address), map_url=mall_value.map_url,
        opening_hours=[OpeningHours(tuple(h.days), h.opens, h.closes) for h in mall_value.opening_hours],
        closed_on=_closures(mall_value, default),
        contact={k: v for k, v in (mall_value.contact.model_dump() if mall_value.contact else {}).items()
                 if v},
        complaints=[Channel(text(c.name), c.url, c.phone, c.email) for c in mall_value.complaints],
        region=_text(mall_value.region, default),
        closure_sources=[ClosureSource(block.year, block.source, block.url)
                         for block in sorted(mall_value.closures, key=lambda block: block.year)],
        queue=(Link(_text(mall_value.queue_name, default), mall_value.queue_url)
               if mall_value.queue_url else None))

    categories = {item.value.id: Category(item.value.id, text(item.value.name),
                                          _text(item.value.description, default))
                  for item in checked.categories}
    tenants: list[Tenant] = []
    services: list[Service] = []
    for tenant_item, service_items in checked.tenants:
        # A catalog from the catalog cache comes assembled already (see catalog_cache.py).
        cached = tenant_item.source.cached
        tenant = cached.tenant if cached is not None else build_tenant(tenant_item, service_items, languages)
        tenants.append(tenant)
        for service in tenant.services:
            category = categories[category_id(service)]
            service.category = category
            category.services.append(service)
            services.append(service)

    link_related(services)
    indicators = [Indicator(id=i.value.id, name=text(i.value.name), assessor=text(i.value.assessor),
                            scale=scales.get(i.value.scale), unit=i.value.unit,
                            results=sorted((Result(r.year, r.score, _text(r.note, default))
                                            for r in i.value.results), key=lambda r: r.year))
                  for i in checked.indicators]

    return Site(mall=mall, categories=list(categories.values()), tenants=tenants, services=services,
                indicators=indicators, documents=_documents(checked, default),
                scales=scales, files=list(content.files))


def build_tenant(tenant_item: Item, service_items: list[Item], languages: tuple[str, ...]) -> Tenant:
    """One catalog's tenant with its services. Each service's `category` is left as the id:
    categories live in another file, so build_site puts the Category in."""
    default = languages[0]
    text = partial(Text, default=default)
    t = tenant_item.value
    tenant = Tenant(id=t.id, name=text(t.name), short_name=t.short_name, type=t.type,
                    counters=list(t.counters), website=t.website, phone=t.phone,
                    source=tenant_item.source.rel, description=_text(t.description, default), logo=t.logo)
    for item in service_items:
        s = item.value
        duration = Duration(s.duration["value"], s.duration["unit"], _text(s.duration["note"], default))
        tenant.services.append(Service(
            id=s.id, name=text(s.name), category=s.category, tenant=tenant,
            summary=text(s.summary),
            requirements=[Requirement(r["text"], default, r.get("form"), r.get("count"))
                          for r in s.requirements],
            procedure=[text(p) for p in s.procedure], duration=duration,
            fee=Fee(s.fee["amount"], _text(s.fee["note"], default)), product=text(s.product),
            legal_basis=list(s.legal_basis), counter=s.counter,
            online=([Link(None, s.online_url)] if s.online_url else [])
            + [Link(text(c.name), c.url) for c in s.online],
            forms=[Form(text(f.title), f.file, f.url) for f in s.forms],
            keywords=list(s.keywords), notes=_text(s.notes, default),
            reviewed_on=s.reviewed_on, source=item.source.rel,
            eligibility=[text(e) for e in s.eligibility], if_refused=_text(s.if_refused, default),
            related_ids=tuple(s.related)))
    return tenant


def link_related(services: list[Service]) -> None:
    """Each service's related services, both ways: those it names first, in its order, then
    those that name it, in site order. Reads only the light `related_ids` (see LazyService)."""
    by_id = {service.id: service for service in services}
    linked: dict[str, list[Service]] = {service.id: [] for service in services}
    for service in services:
        for ident in service.related_ids:
            other = by_id.get(ident)
            if other is None or other is service:
                continue  # (reported by check_references)
            if other not in linked[service.id]:
                linked[service.id].append(other)
    for service in services:
        for other in linked[service.id]:
            if service not in linked[other.id]:
                linked[other.id].append(service)
    for service in services:
        service.related = linked[service.id]


def category_id(service: Service) -> str:
    """A service's category id: the model's Category once build_site has put it in."""
    category = service.category
    return category if isinstance(category, str) else category.id


def _documents(checked: Checked, default: str) -> dict[str, list[Document]]:
    """Merge each document with its translations, field by field (Lektor-style fallback)."""
    result: dict[str, list[Document]] = {}
    for kind, items in checked.documents.items():
        originals: dict[str, Item] = {}
        translations: dict[str, dict[str, Item]] = {}
        for item in items:
            match = DOCUMENT_NAME.match(Path(item.source.rel).name)
            if not match:
                continue
            slug, lang = match.group("slug"), match.group("lang")
            if lang:
                translations.setdefault(slug, {})[lang] = item
            else:
                originals[slug] = item
        docs = []
        for slug, item in originals.items():
            meta = item.value
            title, summary = dict(meta.title), dict(meta.summary or {})
            signed_by = dict(meta.signed_by or {})
            body = {default: item.source.body}
            date, number, attachment = meta.date, meta.number, meta.attachment
            for lang, other in sorted(translations.get(slug, {}).items()):
                m = other.value
                title[lang] = m.title.get(lang, title.get(lang, ""))
                if m.summary:
                    summary[lang] = m.summary[lang]
                if m.signed_by:
                    signed_by[lang] = m.signed_by[lang]
                body[lang] = other.source.body
                date, number = m.date or date, m.number or number
                attachment = m.attachment or attachment
            # A summary or signatory only in a translation has no words for the default language
            # to fall back on: the original decides whether the field exists.
            docs.append(Document(kind=kind, slug=slug, title=Text(title, default), date=date,
                                 number=number,
                                 signed_by=Text(signed_by, default) if default in signed_by else None,
                                 attachment=attachment,
                                 summary=Text(summary, default) if default in summary else None,
                                 body=body, source=item.source.rel, show_hours=meta.show_hours))
        # Newest first for dated kinds; pages by title.
        docs.sort(key=lambda d: (d.date is None, -(d.date.toordinal() if d.date else 0), d.slug))
        result[kind] = docs
    return result
