"""Model step: plain dataclasses for what the site shows, with references resolved.

Entities compare by identity (eq=False): a tenant holds its services and each service its tenant.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from mppsite.core.formats import WEEKDAYS


@dataclass(frozen=True)
class Text:
    """Words in one or more languages; `get` falls back to the default language."""

    values: dict[str, str]
    default: str

    def get(self, lang: str) -> str:
        return self.values.get(lang) or self.values[self.default]

    def language(self, lang: str) -> str:
        """The language the words shown for `lang` are really in."""
        return lang if lang in self.values else self.default


@dataclass(frozen=True)
class Requirement(Text):
    """A document to bring: its words (a Text) and, when the catalog says, whether the original,
    a photocopy or both, and how many."""

    form: str | None = None  # original | copy | both
    count: int | None = None


def name_key(name: Text, lang: str, item_id: str) -> str:
    """An item's place in an alphabetical list in `lang`: its name casefolded, then its id."""
    return name.get(lang).casefold() + "\x00" + item_id


@dataclass(frozen=True)
class Duration:
    """Jangka waktu: a number of units, words, or both (the words after the number)."""

    value: int | None
    unit: str | None  # minutes | hours | days | working_days; given with value
    note: Text | None = None


@dataclass(frozen=True)
class Fee:
    """Biaya: whole rupiah (0 = free), words for tiered or conditional fees, or both."""

    amount: int | None
    note: Text | None = None


@dataclass(frozen=True)
class OpeningHours:
    days: tuple[str, ...]
    opens: str
    closes: str


@dataclass(frozen=True)
class Closure:
    date: datetime.date
    reason: Text | None


@dataclass(frozen=True)
class ClosureSource:
    """Where one year's list of holidays comes from (the SKB), said under the list."""

    year: int
    source: str
    url: str | None


@dataclass(frozen=True)
class Channel:
    """A complaint channel."""

    name: Text
    url: str | None = None
    phone: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class Link:
    """A named address: the mall's online queue, a service's site or app. `name` None: the
    page's own words ('Ambil nomor antrean daring', 'Ajukan secara daring')."""

    name: Text | None
    url: str


@dataclass(eq=False)
class Mall:
    name: Text
    short_name: str
    description: Text | None
    logo: str | None
    address: Text
    map_url: str | None
    opening_hours: list[OpeningHours]
    closed_on: list[Closure]
    contact: dict[str, str]
    complaints: list[Channel]
    region: Text | None = None  # the city or regency it serves, for words such as "in Kota X"
    queue: Link | None = None  # the online queue, the first action of the home and service pages
    # The years of `closed_on` that come from an official list, with its source (mpp.yaml `closures`).
    closure_sources: list[ClosureSource] = field(default_factory=list)

    def week(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """Each day of the week, Monday first, with its opening hours in order; a day with none is
        a closed day, and the hours table says so rather than leave the day out."""
        return [(day, sorted((rule.opens, rule.closes) for rule in self.opening_hours if day in rule.days))
                for day in WEEKDAYS]


@dataclass(eq=False)
class Category:
    id: str
    name: Text
    description: Text | None
    services: list[Service] = field(default_factory=list)


@dataclass(eq=False)
class Tenant:
    id: str
    name: Text
    short_name: str
    type: str
    counters: list[str]
    website: str | None
    phone: str | None
    source: str
    services: list[Service] = field(default_factory=list)
    description: Text | None = None
    logo: str | None = None


@dataclass(frozen=True)
class Form:
    title: Text
    file: str | None
    url: str | None


@dataclass(eq=False)
class Service:
    id: str
    name: Text
    category: Category
    tenant: Tenant
    summary: Text
    requirements: list[Requirement]
    procedure: list[Text]
    duration: Duration
    fee: Fee
    product: Text
    legal_basis: list[str]
    counter: str | None
    online: list[Link]  # online_url first (unnamed), then the named channels
    forms: list[Form]
    keywords: list[str]
    notes: Text | None
    reviewed_on: datetime.date | None
    source: str
    eligibility: list[Text] = field(default_factory=list)  # who can apply: conditions, not documents
    if_refused: Text | None = None  # what to do when the application is refused or incomplete
    related_ids: tuple[str, ...] = ()  # as written in `related:`
    related: list[Service] = field(default_factory=list)  # both ways: set by build_site, every build


# What a LazyService has from the start: what the lists, cross-checks and page cache read.
LIGHT_FIELDS = ("id", "name", "category", "tenant", "source", "related_ids")
# What build_site works out from the other catalogs: never kept in the catalog cache.
SITE_FIELDS = ("related",)


class LazyService(Service):
    """A Service from the catalog cache whose other fields load, for its whole catalog, on first
    use (`_loader`, see catalog_cache.py): a rebuild reads few of them."""

    def __getattr__(self, name: str) -> object:  # called only for what the object lacks
        loader = self.__dict__.get("_loader")
        if loader is None or name.startswith("__"):
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        loader()
        return object.__getattribute__(self, name)

    def __getstate__(self) -> dict[str, object]:
        """Pickled whole (a worker's task, a test's copy), never with its loader."""
        load_lazy([self])
        return dict(self.__dict__)


def load_lazy(services: list[Service]) -> None:
    """Give every LazyService among `services` all its fields now (see LazyService)."""
    for service in services:
        loader = service.__dict__.get("_loader")
        if loader is not None:
            loader()


@dataclass(frozen=True)
class Band:
    min: Decimal
    grade: str
    label: Text


@dataclass(eq=False)
class Scale:
    id: str
    name: Text
    regulation: str
    confirmed: bool
    low: Decimal
    high: Decimal
    decimals: int
    bands: list[Band]

    def rounded(self, score: float) -> Decimal:
        step = Decimal(1).scaleb(-self.decimals)
        return Decimal(str(score)).quantize(step, rounding=ROUND_HALF_UP)

    def band(self, score: float) -> Band:
        """The band a score falls in, compared at the scale's precision."""
        value = self.rounded(score)
        for band in self.bands:
            if value >= band.min:
                return band
        return self.bands[-1]


@dataclass(frozen=True)
class Result:
    year: int
    score: float
    note: Text | None


@dataclass(eq=False)
class Indicator:
    id: str
    name: Text
    assessor: Text
    scale: Scale | None
    results: list[Result]  # oldest first
    unit: str = "score"  # or "count": a whole number of visitors, applications, ...

    @property
    def decimals(self) -> int:
        """As published: a count none, a score its scale's (two without a scale)."""
        if self.unit == "count":
            return 0
        return self.scale.decimals if self.scale else 2

    @property
    def latest(self) -> Result:
        return self.results[-1]

    @property
    def change(self) -> Decimal | None:
        """Latest minus previous, exact (not float noise)."""
        if len(self.results) < 2:
            return None
        return Decimal(str(self.latest.score)) - Decimal(str(self.results[-2].score))

    @property
    def band(self) -> Band | None:
        return self.scale.band(self.latest.score) if self.scale else None


@dataclass(eq=False)
class Document:
    """A circular, news item or free page, in every language it was written in."""

    kind: str  # circulars | news | pages
    slug: str
    title: Text
    date: datetime.date | None
    number: str | None
    signed_by: Text | None
    attachment: str | None
    summary: Text | None
    body: dict[str, str]  # language -> Markdown source
    source: str
    show_hours: bool = False  # the page starts with today's line and the hours (front matter)

    def has(self, lang: str) -> bool:
        return lang in self.body


@dataclass(eq=False)
class Site:
    """Everything the templates see."""

    mall: Mall
    categories: list[Category]
    tenants: list[Tenant]
    services: list[Service]
    indicators: list[Indicator]
    documents: dict[str, list[Document]]
    scales: dict[str, Scale]
    files: list[str]

    @property
    def counters(self) -> list[str]:
        """Distinct counter labels in the mall."""
        return sorted({c for t in self.tenants for c in t.counters}, key=counter_order)


def counter_order(label: str) -> tuple[int, str]:
    """Counter labels' order: numbers first, in numeric order."""
    return (int(label), "") if label.isdigit() else (10**9, label)
