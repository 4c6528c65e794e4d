"""What search engines and link previews read: meta description, Open Graph and schema.org JSON-LD.

Templates get `head_meta()`, which reads the page being rendered from its context and returns
what partials/head_meta.html prints. JSON-LD has sorted keys and `<`, `>` and `&` escaped, so
no content can close the <script> element it sits in.
"""

from __future__ import annotations

import html
import json
import re
from typing import TYPE_CHECKING, Any

import jinja2
import orjson
from markupsafe import Markup

from mppsite.core import fmt
from mppsite.model.site import Document, Duration, Mall, Service, Site, Tenant
from mppsite.render.feeds import feed_url

if TYPE_CHECKING:  # render imports this module to register head_meta
    from mppsite.render.templates import Lang

SCHEMA_ORG = "https://schema.org"
DAY_NAMES = {"mon": "Monday", "tue": "Tuesday", "wed": "Wednesday", "thu": "Thursday",
             "fri": "Friday", "sat": "Saturday", "sun": "Sunday"}
ISO_UNITS = {"minutes": "PT{}M", "hours": "PT{}H", "days": "P{}D", "working_days": "P{}D"}
TENANT_TYPES = {"perangkat-daerah": "GovernmentOrganization", "instansi-vertikal": "GovernmentOrganization",
                "bumn": "Corporation", "bumd": "Corporation", "bank": "BankOrCreditUnion",
                "lainnya": "Organization"}
# Page kind -> UI string of its heading, for pages that show no single item.
HEADINGS = {"services": "services_title", "tenants": "tenants_title",
            "achievements": "achievements_title", "circulars": "circulars_title",
            "news_index": "news_title", "search": "search_title"}
# Page kind -> UI string of its description, for lists that name the mall.
INTROS = {"services": "services_intro", "tenants": "tenants_intro", "circulars": "circulars_description",
          "news_index": "news_description", "search": "search_description"}
DESCRIPTION_LENGTH = 200
_TAGS = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


@jinja2.pass_context
def head_meta(context: jinja2.runtime.Context) -> dict[str, Any]:
    """Description, Open Graph properties and JSON-LD blocks of the page being rendered."""
    L: Lang = context["L"]
    site: Site = context["site"]
    page: dict[str, Any] = context["page"]
    subject = {name: context.get(name) for name in ("service", "category", "tenant", "document")}
    title = page_title(page["kind"], L, site, subject)
    description = page_description(page["kind"], L, site, subject)
    document: Document | None = subject["document"]
    dated = document is not None and document.date
    og = [("og:title", title), ("og:description", description), ("og:url", page["canonical"]),
          ("og:type", "article" if dated else "website")]
    if dated:
        og.append(("article:published_time", document.date.isoformat()))  # type: ignore[union-attr]
    return {"description": description, "og": og, "json_ld": json_ld(page, L, site, subject)}


def site_meta(site: Site, L: Lang) -> dict[str, Any]:
    """The Open Graph properties and the feed link every page of a language shows (in a `{% once %}`)."""
    mall = L.plain(site.mall.name)
    og = [("og:site_name", mall), ("og:locale", og_locale(L.code))]
    og += [("og:locale:alternate", og_locale(code)) for code in L.config.languages if code != L.code]
    if site.mall.logo:
        og.append(("og:image", L.absolute(L.file(site.mall.logo))))
    return {"og": og, "feed": {"url": L.absolute(feed_url(L.router, L.code)),
                               "title": L.t("feed_title", mall=mall)}}


def og_locale(code: str) -> str:
    """Open Graph's language_TERRITORY: id -> id_ID, en -> en_US (CLDR likely subtags)."""
    parts = fmt.likely_subtags(code).split("_")
    return f"{parts[0]}_{parts[-1]}" if len(parts) > 1 else code


def compact_json_bytes(data: Any) -> bytes:
    """Compact JSON, keys sorted, as UTF-8: `json.dumps(data, sort_keys=True, ensure_ascii=False,
    separators=(",", ":"))` for the site's data (tested), by orjson in a third of json's time.
    Copied to bytes of their own size: orjson's keep the room they grew into."""
    try:
        return bytes(memoryview(orjson.dumps(data, option=orjson.OPT_SORT_KEYS)))
    except orjson.JSONEncodeError:  # a whole number past 64 bits
        return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def embed(data: dict[str, Any]) -> Markup:
    """JSON for a <script type="application/ld+json">: nothing in it can end the element."""
    text = compact_json_bytes(data).decode()
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


# --- words ----------------------------------------------------------------------------------

def page_title(kind: str, L: Lang, site: Site, subject: dict[str, Any]) -> str:
    """The page's own title (without the site name, which og:site_name carries)."""
    for name in ("service", "category", "tenant"):
        if subject[name] is not None:
            return L.plain(subject[name].name)
    if subject["document"] is not None:
        return L.plain(subject["document"].title)
    if kind in HEADINGS:
        return L.t(HEADINGS[kind])
    return L.plain(site.mall.name)


def page_description(kind: str, L: Lang, site: Site, subject: dict[str, Any]) -> str:
    """One or two plain sentences about the page, for search results and link previews."""
    mall = L.plain(site.mall.name)
    service, category = subject["service"], subject["category"]
    tenant, document = subject["tenant"], subject["document"]
    if service is not None:
        text = L.plain(service.summary)
    elif category is not None:
        text = (L.plain(category.description) if category.description else
                L.t("category_description", name=L.plain(category.name), mall=mall,
                    services=_names(category.services, L)))
    elif tenant is not None:
        text = L.t("tenant_description", count=len(tenant.counters), name=L.plain(tenant.name), mall=mall,
                   counters=", ".join(tenant.counters), services=_names(tenant.services, L))
    elif document is not None:
        text = L.plain(document.summary) if document.summary else _excerpt(document, L)
    elif kind == "achievements":
        text = L.t("achievements_intro", region=L.plain(site.mall.region or site.mall.name))
    elif kind in INTROS:
        text = L.t(INTROS[kind], mall=mall)
    else:
        text = (L.plain(site.mall.description) if site.mall.description else
                L.t("home_description", mall=mall, services=L.number(len(site.services)),
                    tenants=L.number(len(site.tenants))))
    return shorten(text)


def _names(services: list[Service], L: Lang) -> str:
    return ", ".join(sorted((L.plain(s.name) for s in services), key=str.casefold))


def _excerpt(document: Document, L: Lang) -> str:
    body = document.body.get(L.code, document.body[L.default])
    return html.unescape(_TAGS.sub(" ", str(L.markdown(body))))


def shorten(text: str, limit: int = DESCRIPTION_LENGTH) -> str:
    """Whitespace collapsed; cut at a word boundary with an ellipsis when longer than `limit`."""
    text = _SPACE.sub(" ", text).strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:.")
    return cut + "…"


# --- schema.org -----------------------------------------------------------------------------

def json_ld(page: dict[str, Any], L: Lang, site: Site, subject: dict[str, Any]) -> list[Markup]:
    """The schema.org items a page describes (possibly none), encoded (`embed`)."""
    document = subject["document"]
    if page["kind"] == "home":
        items = [government_office(site.mall, L), *([website(site, L)] if L.config.search else [])]
    elif subject["service"] is not None:
        items = [government_service(subject["service"], L, site)]
    elif subject["tenant"] is not None:
        items = [{"@context": SCHEMA_ORG, **organization(subject["tenant"], L)}]
    elif document is not None and document.date:
        items = [article(document, page, L, site)]
    else:
        items = []
    return [embed(item) for item in items]


def iso_duration(duration: Duration) -> str | None:
    """ISO 8601 duration of a service time in numbers: 60 minutes -> PT60M, 14 working days -> P14D;
    None for one told only in words."""
    if duration.value is None or duration.unit is None:
        return None
    return ISO_UNITS[duration.unit].format(duration.value)


def area_served(mall: Mall) -> dict[str, str]:
    """The city or regency of the mall by its official name: its `region` in the default language,
    else taken from its short name ("MPP Kota Contoh" -> Kota Contoh)."""
    name = mall.region.get(mall.region.default) if mall.region else mall.short_name.strip()
    for prefix in ("Mal Pelayanan Publik", "MPP"):
        if not mall.region and name.startswith(prefix + " "):
            name = name[len(prefix):].strip()
    kind = "AdministrativeArea" if name.startswith(("Kabupaten", "Kab.")) else "City"
    return {"@type": kind, "name": name}


def _address(mall: Mall, L: Lang) -> dict[str, str]:
    return {"@type": "PostalAddress", "streetAddress": L.plain(mall.address),
            "addressLocality": area_served(mall)["name"], "addressCountry": "ID"}


def _office_id(L: Lang) -> str:
    """One identifier for the mall in every language: its home page in the default language."""
    return L.absolute(L.router.url(L.default, "home", None)) + "#mpp"


def government_office(mall: Mall, L: Lang) -> dict[str, Any]:
    """The mall, with its weekly hours and the days it is closed."""
    office: dict[str, Any] = {
        "@context": SCHEMA_ORG, "@type": "GovernmentOffice", "@id": _office_id(L),
        "name": L.plain(mall.name), "alternateName": mall.short_name, "url": L.absolute(L.url("home")),
        "address": _address(mall, L), "areaServed": area_served(mall),
        "openingHoursSpecification": [
            {"@type": "OpeningHoursSpecification", "opens": rule.opens, "closes": rule.closes,
             "dayOfWeek": [f"{SCHEMA_ORG}/{DAY_NAMES[day]}" for day in rule.days]}
            for rule in mall.opening_hours],
    }
    if mall.closed_on:
        office["specialOpeningHoursSpecification"] = [
            {"@type": "OpeningHoursSpecification", "opens": "00:00", "closes": "00:00",
             "validFrom": closure.date.isoformat(), "validThrough": closure.date.isoformat(),
             **({"description": L.plain(closure.reason)} if closure.reason else {})}
            for closure in mall.closed_on]
    if mall.description:
        office["description"] = L.plain(mall.description)
    if mall.map_url:
        office["hasMap"] = mall.map_url
    if mall.logo:
        office["logo"] = L.absolute(L.file(mall.logo))
    for field, prop in (("phone", "telephone"), ("email", "email")):
        if mall.contact.get(field):
            office[prop] = mall.contact[field]
    return office


def website(site: Site, L: Lang) -> dict[str, Any]:
    """The site itself, with the search that `?q=` fills in."""
    return {"@context": SCHEMA_ORG, "@type": "WebSite", "name": L.plain(site.mall.name),
            "url": L.absolute(L.url("home")), "inLanguage": L.code,
            "potentialAction": {"@type": "SearchAction",
                                "target": L.absolute(L.url("search")) + "?q={search_term_string}",
                                "query-input": "required name=search_term_string"}}


def organization(tenant: Tenant, L: Lang) -> dict[str, Any]:
    item: dict[str, Any] = {"@type": TENANT_TYPES.get(tenant.type, "Organization"),
                            "name": L.plain(tenant.name), "alternateName": tenant.short_name,
                            "url": L.absolute(L.url("tenant", tenant.id))}
    if tenant.website:
        item["sameAs"] = tenant.website
    if tenant.phone:
        item["telephone"] = tenant.phone
    return item


def government_service(service: Service, L: Lang, site: Site) -> dict[str, Any]:
    """One service: who provides it, where, how long it takes and what it costs."""
    tenant, mall = service.tenant, site.mall
    office = {"@type": "GovernmentOffice", "@id": _office_id(L), "name": L.plain(mall.name),
              "address": _address(mall, L)}
    place = (L.t("counter_at", counter=service.counter, tenant=tenant.short_name)
             if service.counter else tenant.short_name)
    channel: dict[str, Any] = {"@type": "ServiceChannel", "name": place, "serviceLocation": office}
    processing = iso_duration(service.duration)
    if processing:
        channel["processingTime"] = processing
    channels = [channel]
    channels += [{"@type": "ServiceChannel", "name": L.plain(channel.name) if channel.name else L.t("online"),
                  "serviceUrl": channel.url} for channel in service.online]
    url = L.absolute(L.url("service", service.id))
    item: dict[str, Any] = {
        "@context": SCHEMA_ORG, "@type": "GovernmentService", "@id": url + "#service", "url": url,
        "name": L.plain(service.name), "description": L.plain(service.summary), "inLanguage": L.code,
        "serviceType": L.plain(service.category.name), "provider": organization(tenant, L),
        "areaServed": area_served(mall), "availableChannel": channels,
        "serviceOutput": {"@type": "Thing", "name": L.plain(service.product)},
    }
    item["offers"] = {"@type": "Offer", "priceCurrency": "IDR", "description": L.fee_words(service.fee)}
    if service.fee.amount is not None:  # a note alone states no price
        item["offers"]["price"] = service.fee.amount
    if service.related:  # the same links the page shows, both ways
        item["isRelatedTo"] = [{"@type": "GovernmentService", "name": L.plain(other.name),
                                "@id": L.absolute(L.url("service", other.id)) + "#service"}
                               for other in service.related]
    if service.reviewed_on:
        item["dateModified"] = service.reviewed_on.isoformat()
    return item


def article(document: Document, page: dict[str, Any], L: Lang, site: Site) -> dict[str, Any]:
    """A dated circular or news item."""
    return {"@context": SCHEMA_ORG, "@type": "NewsArticle" if document.kind == "news" else "Article",
            "headline": shorten(L.plain(document.title), 110), "url": page["canonical"],
            "datePublished": document.date.isoformat() if document.date else None,
            "inLanguage": L.code if document.has(L.code) else L.default,
            "publisher": {"@type": "GovernmentOffice", "@id": _office_id(L), "name": L.plain(site.mall.name)}}
