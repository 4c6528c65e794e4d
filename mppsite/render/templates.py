"""Render step: every page of the URL table, in every language, through Jinja2 templates.

Templates get `L`, which speaks the page's language: UI strings, locale formats, URLs, and Text
that fell back to the default language inside an element with its own `lang` (screen readers
switch voice).
"""

from __future__ import annotations

import contextlib
import datetime
import os
import re
import unicodedata
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from markupsafe import Markup, escape

from mppsite.check.config import Config
from mppsite.core import contact, fmt, sealed
from mppsite.core.fingerprint import keep_file, keep_out_of_git
from mppsite.core.formats import WEEKDAYS
from mppsite.model.markup import MarkdownRenderer
from mppsite.model.pages import Page, template_folders
from mppsite.model.routes import Router
from mppsite.model.search_words import rules as search_rules
from mppsite.model.site import Duration, Fee, Requirement, Service, Site, Text, counter_order, name_key
from mppsite.render import fragments, qr, sheet, structured
from mppsite.render.once import OnceExtension


class Lang:
    """Everything a template needs to speak one language."""

    def __init__(self, code: str, config: Config, router: Router, markdown: MarkdownRenderer):
        self.code, self.default, self.config = code, config.default_language, config
        self.router, self.markdown_renderer = router, markdown
        self.strings = config.words_of(code).strings  # checked complete (check/languages.py)

    # words
    def t(self, key: str, count: int | None = None, **params: Any) -> str:
        entry = self.strings[key]
        if isinstance(entry, dict):
            entry = entry.get(fmt.plural_form(count or 0, self.code)) or entry["other"]
        return entry.format(count=count, **params) if (params or count is not None) else entry

    def text(self, value: Text | None) -> Markup:
        """Escaped words; wrapped in lang="…" when they fell back to another language."""
        return self._shown(value, escape, "span")

    def markdown_text(self, value: Text | None) -> Markup:
        return self._shown(value, self.markdown, "div")

    def _shown(self, value: Text | None, render: Callable[[str], Markup], tag: str) -> Markup:
        if value is None:
            return Markup("")
        html = render(value.get(self.code))
        shown = value.language(self.code)
        return html if shown == self.code else Markup(f'<{tag} lang="{shown}">{html}</{tag}>')

    def plain(self, value: Text | None) -> str:
        """The words alone, for attributes and titles (escaped by the template)."""
        return value.get(self.code) if value is not None else ""

    def lang_of(self, value: Text | None) -> str:
        return value.language(self.code) if value is not None else self.code

    def markdown(self, source: str) -> Markup:
        return self.markdown_renderer.render(source, self.code)

    # places
    def url(self, kind: str, slug: str | None = None) -> str:
        return self.router.url(self.code, kind, slug)

    def absolute(self, url: str) -> str:
        """An absolute URL for a path that already carries base_url's path."""
        origin = self.config.base_url[: len(self.config.base_url) - len(self.config.base_path)]
        return origin + url

    def asset(self, name: str) -> str:
        return self.router.base_path + "static/" + name

    def file(self, rel: str) -> str:
        """The URL of a published file: its name percent-encoded ("a#b.pdf" would end at "#")."""
        return self.router.base_path + quote(rel)

    # numbers and dates
    def number(self, value: float | Decimal | int, decimals: int = 0) -> str:
        return fmt.number(value, self.code, decimals)

    def signed(self, value: Decimal, decimals: int = 2) -> str:
        return fmt.signed(value, self.code, decimals)

    def date(self, value: datetime.date) -> str:
        return fmt.date(value, self.code)

    def time(self, value: str) -> str:
        """'08:00' as this language writes it (08.00 in Indonesian)."""
        return fmt.time_of_day(value, self.code)

    def months(self) -> str:
        """The month names, separated by '|', for the page's script."""
        return "|".join(fmt.month_names(self.code))

    def iso(self, value: datetime.date) -> str:
        return value.isoformat()

    # a service time and a fee: a number, a note in words, or both (the note after the number)
    def duration(self, value: Duration) -> Markup:
        return self._with_note(self._stated(value), value.note)

    def duration_words(self, value: Duration) -> str:
        return NOTE_AFTER.join(filter(None, (self._stated(value), self.plain(value.note))))

    def fee(self, value: Fee) -> Markup:
        return self._with_note(self._stated(value), value.note)

    def fee_words(self, value: Fee) -> str:
        return NOTE_AFTER.join(filter(None, (self._stated(value), self.plain(value.note))))

    def _stated(self, value: Duration | Fee) -> str | None:
        """'14 hari kerja', 'Rp30.000', 'Gratis': the number as this language writes it, if any."""
        if isinstance(value, Fee):
            if value.amount is None:
                return None
            return self.t("free") if value.amount == 0 else fmt.rupiah(value.amount, self.code)
        if value.value is None or value.unit is None:
            return None
        return self.t(f"unit_{value.unit}", count=value.value, n=fmt.number(value.value, self.code))

    def _with_note(self, stated: str | None, note: Text | None) -> Markup:
        if stated is None:
            return self.text(note)
        return escape(stated) + (Markup(NOTE_AFTER) + self.text(note) if note is not None else Markup(""))

    def short(self, value: Duration | Fee) -> tuple[Markup, bool]:
        """A key fact as the summary shows it: the number, or else the note's first sentence (see
        first_sentence); and whether words were left out (the summary then points to the section)."""
        stated = self._stated(value)
        if stated is not None:
            return escape(stated), value.note is not None
        words = self.plain(value.note)
        shown = first_sentence(words)
        return self._shown(value.note, lambda _words: escape(shown), "span"), shown != words

    def requirement_note(self, item: Requirement) -> str:
        """'fotokopi, 2 lembar': what the catalog says of a document's form and number, or ''."""
        parts = [self.t(f"requirement_{item.form}")] if item.form else []
        if item.count is not None:
            parts.append(self.t("requirement_count", count=item.count, n=fmt.number(item.count, self.code)))
        return ", ".join(parts)

    def days(self, codes: tuple[str, ...]) -> str:
        """'Senin–Kamis' for a run of days, 'Senin, Rabu' otherwise."""
        idx = [WEEKDAYS.index(c) for c in codes]
        if len(idx) > 2 and idx == list(range(idx[0], idx[-1] + 1)):
            return f"{self.t(f'day_{codes[0]}')}\u2013{self.t(f'day_{codes[-1]}')}"
        return ", ".join(self.t(f"day_{c}") for c in codes)

    def site_meta(self, site: Site) -> dict[str, Any]:
        """What the head of every page of this language shows (structured.site_meta)."""
        return structured.site_meta(site, self)

    def whatsapp(self, service: Service) -> str:
        message = f"{self.plain(service.name)} {self.absolute(self.url('service', service.id))}"
        return "https://wa.me/?text=" + quote(message, safe="")


NOTE_AFTER = " \u2014 "  # between a number and its note: "Gratis — Salinan tidak mengubah …"
SHORT_MAX = 110  # characters: about three lines of the summary at 390 px
# A sentence ends at . ! ? before a capital, a digit or "(": "mis. surat" and "No. 5" go on.
_SENTENCE_END = re.compile(r"(?<![ (]No\.)(?<=[.!?])\s+(?=[A-Z0-9(])")


def first_sentence(words: str) -> str:
    """The first sentence of `words`, itself cut at a word with "…" when longer than SHORT_MAX."""
    first = _SENTENCE_END.split(words.strip(), maxsplit=1)[0]
    if len(first) <= SHORT_MAX:
        return first
    cut = first[:SHORT_MAX].rsplit(" ", 1)[0].rstrip(" ,;:(")
    return cut + "…"


def sort_by_name(items: list[Any], lang: Lang) -> list[Any]:
    """Alphabetical by the name shown in this language (case-insensitive), then by id."""
    return sorted(items, key=lambda item: name_key(item.name, lang.code, item.id))


def by_letter(items: list[Any], lang: Lang) -> list[tuple[str, list[Any]]]:
    """Items sorted by name, grouped under the first letter of the name shown (accents dropped;
    a name that starts with a digit or a sign goes under "#"), for the A–Z list's letter links."""
    groups: dict[str, list[Any]] = {}
    for item in sort_by_name(items, lang):
        first = unicodedata.normalize("NFKD", lang.plain(item.name).strip()[:1])[:1].upper()
        groups.setdefault(first if first.isalpha() and first.isascii() else "#", []).append(item)
    return list(groups.items())


def sort_counters(tenants: list[Any]) -> list[Any]:
    """By first counter label, numbers in numeric order."""
    return sorted(tenants, key=lambda tenant: counter_order(tenant.counters[0]))


def bar_chart(indicator: Any, width: int = 320, height: int = 160) -> dict[str, Any]:
    """Geometry of a small bar chart of an indicator's results, drawn as inline SVG."""
    results = indicator.results[-6:]
    top = float(indicator.scale.high) if indicator.scale else max(r.score for r in results) * 1.1
    base, room = height - 26, height - 50
    slot = width / max(len(results), 1)
    bars = []
    for index, result in enumerate(results):
        h = round(room * (result.score / top if top else 0), 1)
        x = round(index * slot + slot * 0.2, 1)
        bars.append({"x": x, "w": round(slot * 0.6, 1), "y": round(base - h, 1), "h": h,
                     "cx": round(x + slot * 0.3, 1), "score": result.score, "year": result.year})
    return {"width": width, "height": height, "base": base, "bars": bars}


class TemplateBytecode(jinja2.BytecodeCache):
    """Compiled templates in .mppsite-cache/templates/, sealed (sealed.py): only code this user's
    builds wrote is run. Jinja keys them by source alone, but mppsite's code compiles them too
    (`{% once %}`): the files are named by its code digest, and those of other code removed."""

    def __init__(self, directory: str, code: str):
        self.directory = directory
        self.prefix = f"{code[:16]}-"
        with contextlib.suppress(OSError):
            for entry in os.listdir(directory):
                if not entry.startswith(self.prefix):
                    with contextlib.suppress(OSError):
                        os.unlink(os.path.join(directory, entry))

    def _file(self, bucket: jinja2.bccache.Bucket) -> str:
        return os.path.join(self.directory, f"{self.prefix}{bucket.key}.cache")

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        payload = sealed.read(self._file(bucket))
        if payload is not None:
            bucket.bytecode_from_string(bytes(payload))

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            keep_out_of_git(Path(self.directory).parent)
            keep_file(Path(self._file(bucket)), sealed.seal([bucket.bytecode_to_string()]))


def make_environment(root: Path, auto_reload: bool = True) -> jinja2.Environment:
    """The templates' environment. `auto_reload` False: a template is read once (a plain build,
    where nothing changes under it); True: Jinja looks whether its file changed (`serve`)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(folder) for folder in template_folders(root)]),
        autoescape=True, undefined=jinja2.StrictUndefined, auto_reload=auto_reload,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, extensions=[OnceExtension],
        cache_size=-1)  # every template kept, in a plain dict: no LRU's lock on each look-up
    env.filters.update(sort_by_name=sort_by_name, sort_counters=sort_counters, by_letter=by_letter,
                       tel_href=contact.tel_href, contact_links=contact.links)
    env.globals.update(bar_chart=bar_chart, qr_svg=qr.svg, sheet_size=sheet.size_class,
                       fragment=fragments.fragment, fragment_each=fragments.fragment_each,
                       head_meta=structured.head_meta, search_rules=search_rules)
    return env


def render_page(env: jinja2.Environment, page: Page, lang: Lang, site: Site, langs: dict[str, Lang],
                version: str = "") -> str:
    """The page in `lang`, told its address in every language (hreflang links, the switcher);
    a site of one language has none: no link to itself, no hreflang. `version`: what a saved copy
    of the page says it is (the service worker keeps copies)."""
    alternates = []
    for other in langs.values() if len(langs) > 1 else ():
        url = other.url(page.kind, page.slug)
        alternates.append({"lang": other.code, "url": url, "absolute": other.absolute(url),
                           "name": other.t("language_name")})
    url = lang.url(page.kind, page.slug)
    context = {"site": site, "L": lang,
               "page": {"kind": page.kind, "slug": page.slug, "url": url, "canonical": lang.absolute(url),
                        "alternates": alternates, "version": version},
               **page.context}
    return env.get_template(page.template).render(context)
