"""The pages of a site (`plan`) and where their templates live (UI strings: check/languages.py).

Apart from render/ so that the steps before rendering and the page cache need no Jinja2.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mppsite.model.routes import DOCUMENT_PAGE, PLEDGE_SLUG
from mppsite.model.site import Site

BUILTIN_TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


@dataclass
class Page:
    """One page to render: its key, template and what it shows."""

    kind: str
    slug: str | None
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    listed: int = 0  # how many services it lists: most of its cost, when sharing out the work


def plan(site: Site) -> Iterator[Page]:
    """Every page of the site, in a stable order."""
    yield Page("home", None, "home.html")
    yield Page("services", None, "services.html", listed=len(site.services))
    for service in site.services:
        yield Page("service", service.id, "service.html", {"service": service})
    for category in site.categories:
        yield Page("category", category.id, "category.html", {"category": category},
                   listed=len(category.services))
    yield Page("tenants", None, "tenants.html")
    for tenant in site.tenants:
        listed = len(tenant.services)
        yield Page("tenant", tenant.id, "tenant.html", {"tenant": tenant}, listed=listed)
        yield Page("tenant_print", tenant.id, "tenant_print.html", {"tenant": tenant}, listed=listed)
    yield Page("achievements", None, "achievements.html")
    yield Page("circulars", None, "documents.html", {"documents": site.documents["circulars"],
                                                     "document_kind": "circulars"})
    yield Page("news_index", None, "documents.html", {"documents": site.documents["news"],
                                                      "document_kind": "news"})
    for kind in ("circulars", "news", "pages"):
        for document in site.documents[kind]:
            pledge = kind == "pages" and document.slug == PLEDGE_SLUG
            yield Page(DOCUMENT_PAGE[kind], document.slug, "document.html",
                       {"document": document, "print_kind": "pledge_print" if pledge else None})
            if pledge:
                yield Page("pledge_print", document.slug, "pledge_print.html", {"document": document})
    yield Page("search", None, "search.html")


def template_folders(root: Path) -> list[Path]:
    """The project's templates/, then the built-in theme for whatever it does not override."""
    folders = [root / "templates"]
    if BUILTIN_TEMPLATES.resolve() != folders[0].resolve():
        folders.append(BUILTIN_TEMPLATES)
    return [folder for folder in folders if folder.is_dir()]
