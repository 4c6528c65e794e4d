"""Full-text search: one Pagefind index per language, built from the model, written under pagefind/.

From the model, not the rendered pages: the index gets exactly what a citizen would type (names,
the `keywords` synonyms, agency and category names, requirements) with weights, and the filters,
without search attributes in the templates. Each record also gets the synonyms of its name and
keywords (data/search.yaml, through model/search_words) and, as meta, those words in canonical
form, which the search page uses to put an exact match first. The records are small generated
HTML files crawled by Pagefind's command line (far faster than one Python API call per record),
each at its page's path including base_url's, so Pagefind's result URLs are the site's real URLs.
"""

from __future__ import annotations

import errno
import gzip
import hashlib
import itertools
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cbor2
from markupsafe import Markup, escape

from mppsite.core.problems import ContentError, Problems
from mppsite.model.routes import DOCUMENT_PAGE, Router
from mppsite.model.search_words import rules
from mppsite.model.site import Document, Site
from mppsite.render.templates import Lang

BUNDLE_DIR = "pagefind"  # the index and Pagefind's search script, at the root of the site
TIMEOUT_SECONDS = 600
ATTEMPTS = 2  # Pagefind is run again once when its entry file comes back unreadable
# Pagefind's own ready-made interfaces: the site has its own small search page script instead.
UNUSED_FILES = frozenset({
    "pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
    "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js",
})
# Weights (Pagefind's 0-10 scale): a name or a synonym outranks words deep in the text.
TITLE_WEIGHT, KEYWORD_WEIGHT, NAMES_WEIGHT, SUMMARY_WEIGHT = 10, 8, 3, 2


@dataclass
class Record:
    """One search result: a page in one language, with what is searched and what is shown."""

    url: str  # the page's URL, with base_url's path
    lang: str
    title: str
    kind: str  # service | category | tenant | circulars | news | pages
    summary: str = ""
    keywords: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)  # agency and category, searched lightly
    body: list[Markup | str] = field(default_factory=list)  # plain text or sanitised HTML
    filters: dict[str, str] = field(default_factory=dict)  # category / tenant -> shown name
    title_lang: str = ""  # the language the title is really in, when it fell back to another
    summary_lang: str = ""
    exact: list[str] = field(default_factory=list)  # name and keywords in canonical form


def with_synonyms(record: Record) -> Record:
    """The record found by the synonyms of its name and keywords, its names in canonical form."""
    words = rules(record.lang)
    names = [name for name in map(words.canonical, [record.title, *record.keywords]) if name]
    record.exact = list(dict.fromkeys(names))
    known = {word.lower() for word in record.keywords}
    record.keywords += [alias for alias in words.aliases(names) if alias not in known]
    return record


def records(site: Site, router: Router, langs: dict[str, Lang]) -> Iterator[Record]:
    """Every searchable page in every language, in the site's stable order, with its synonyms."""
    return map(with_synonyms, _plain_records(site, router, langs))


def _plain_records(site: Site, router: Router, langs: dict[str, Lang]) -> Iterator[Record]:
    """Every searchable page in every language, with the words found on it.

    A service's steps are left out: nearly every one begins "take a queue number", and a search
    for "antrean" that returns every service answers nothing.
    """
    for code, lang in langs.items():
        for service in site.services:
            category, tenant = lang.plain(service.category.name), lang.plain(service.tenant.name)
            yield Record(
                url=router.url(code, "service", service.id), lang=code, title=lang.plain(service.name),
                title_lang=lang.lang_of(service.name), summary_lang=lang.lang_of(service.summary),
                kind="service", summary=lang.plain(service.summary), keywords=list(service.keywords),
                names=[tenant, service.tenant.short_name, category],
                body=[*map(lang.plain, service.requirements), lang.plain(service.product),
                      lang.markdown(service.notes.get(code)) if service.notes else ""],
                filters={"category": category, "tenant": tenant})
        for category in site.categories:
            name = lang.plain(category.name)
            yield Record(url=router.url(code, "category", category.id), lang=code, title=name,
                         title_lang=lang.lang_of(category.name), kind="category",
                         summary=lang.plain(category.description),
                         summary_lang=lang.lang_of(category.description),
                         filters={"category": name})
        for tenant in site.tenants:
            name = lang.plain(tenant.name)
            yield Record(url=router.url(code, "tenant", tenant.id), lang=code, title=name,
                         title_lang=lang.lang_of(tenant.name), kind="tenant",
                         keywords=[tenant.short_name], filters={"tenant": name})
        for kind in ("pages", "circulars", "news"):
            for document in site.documents[kind]:
                yield _document_record(document, router, lang)


def _document_record(document: Document, router: Router, lang: Lang) -> Record:
    body = document.body.get(lang.code) or document.body[lang.default]
    return Record(url=router.url(lang.code, DOCUMENT_PAGE[document.kind], document.slug), lang=lang.code,
                  title=lang.plain(document.title), title_lang=lang.lang_of(document.title),
                  kind=document.kind, summary=lang.plain(document.summary),
                  summary_lang=lang.lang_of(document.summary), keywords=[document.number or ""],
                  body=[lang.markdown(body)])


def _other(shown: str, lang: str) -> str:
    """The language words are in when it is not the page's (to mark them for screen readers)."""
    return shown if shown != lang else ""


def record_html(record: Record) -> str:
    """A minimal page Pagefind crawls: searched text in the body, filters and shown fields as meta."""
    head = [f'<meta data-pagefind-meta="{name}[content]" content="{escape(value)}">'
            for name, value in (("title", record.title), ("kind", record.kind),
                                ("summary", record.summary), *sorted(record.filters.items()),
                                ("names", "|".join(record.exact)),
                                ("title_lang", _other(record.title_lang, record.lang)),
                                ("summary_lang", _other(record.summary_lang, record.lang)))
            if value]
    head += [f'<meta data-pagefind-filter="{name}[content]" content="{escape(value)}">'
             for name, value in sorted(record.filters.items())]
    body = [f'<h1 data-pagefind-weight="{TITLE_WEIGHT}">{escape(record.title)}</h1>']
    body += [f'<p data-pagefind-weight="{KEYWORD_WEIGHT}">{escape(word)}</p>'
             for word in record.keywords if word]
    if record.summary:
        body.append(f'<p data-pagefind-weight="{SUMMARY_WEIGHT}">{escape(record.summary)}</p>')
    body += [f'<p data-pagefind-weight="{NAMES_WEIGHT}">{escape(name)}</p>' for name in record.names]
    body += [f"<div>{escape(part)}</div>" for part in record.body if part]
    return (f'<!doctype html><html lang="{record.lang}"><head><meta charset="utf-8">'
            f'<title>{escape(record.title)}</title>{"".join(head)}</head>'
            f'<body><main data-pagefind-body>{"".join(body)}</main></body></html>\n')


def build_bundle(items: Iterable[Record], scratch: Path) -> dict[str, bytes]:
    """Run Pagefind over the records; its files by path inside the bundle folder.

    One run per language, their bundles then merged: Pagefind keeps an index per language anyway,
    and one language at a time halves its memory. The records are never all held at once.
    """
    files: dict[str, bytes] = {}
    entry: dict[str, Any] | None = None
    for lang, records in itertools.groupby(items, key=lambda record: record.lang):
        part = _language_bundle(records, scratch / lang)
        part_entry = json.loads(part.pop("pagefind-entry.json"))
        if entry is None:
            entry = part_entry
        else:
            entry["languages"].update(part_entry["languages"])
        files.update(part)
    if entry is None:  # nothing to index: what Pagefind gives for an empty site
        return canonical_filters(_language_bundle([], scratch / "empty"))
    files["pagefind-entry.json"] = json.dumps(entry).encode()
    return canonical_filters(files)


def _language_bundle(records: Iterable[Record], scratch: Path) -> dict[str, bytes]:
    """Pagefind's files for the records of one language."""
    site_dir, out_dir = scratch / "site", scratch / "bundle"
    site_dir.mkdir(parents=True, exist_ok=True)
    for record in records:
        parts = record.url.strip("/").split("/")
        if any(part in ("", ".", "..") for part in parts) and parts != [""]:
            raise ValueError(f"a page address that would leave the search's folder: {record.url}")
        path = site_dir.joinpath(*parts, "index.html")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(record_html(record), encoding="utf-8")
    for attempt in range(ATTEMPTS):
        shutil.rmtree(out_dir, ignore_errors=True)
        _index(site_dir, out_dir)
        files = {path.relative_to(out_dir).as_posix(): path.read_bytes()
                 for path in sorted(out_dir.rglob("*"))
                 if path.is_file() and path.name not in UNUSED_FILES}
        try:
            json.loads(files.get("pagefind-entry.json", b""))
            break
        except ValueError:  # not seen since Pagefind runs as a command (see _index): index again
            if attempt + 1 == ATTEMPTS:
                raise
    shutil.rmtree(scratch, ignore_errors=True)  # the next language's records take its place
    return files


def _index(site_dir: Path, out_dir: Path) -> None:
    """Pagefind's command line over the records in `site_dir`, its bundle into `out_dir`.

    Not through the Python API's service: it answers "written" while its last writes are still
    in flight, and closing it kills the process (the entry file came back empty). The command
    ends only once its writes have.
    """
    from pagefind.service import get_executable  # imported here: only a build with search needs it

    binary = get_executable()
    if binary is None:
        raise FileNotFoundError("the pagefind program (package pagefind[bin])")
    done = subprocess.run([str(binary), "--site", str(site_dir), "--output-path", str(out_dir), "--silent"],
                          stdin=subprocess.DEVNULL, capture_output=True, timeout=TIMEOUT_SECONDS)
    if done.returncode != 0:
        said = (done.stderr or done.stdout).decode("utf-8", "replace").strip().splitlines()
        raise RuntimeError(f"pagefind exited with status {done.returncode}: {' '.join(said[-3:])}")


# --- determinism -------------------------------------------------------------------------------
# Pagefind 1.5 writes the filters and their values in hash-map order (it changes from run to run)
# and names the filter and meta files after their bytes: sorted here, and renamed, so the same site
# gives byte-identical files. The files are gzip of "pagefind_dcd" + CBOR.

SIGNATURE = b"pagefind_dcd"


def canonical_filters(files: dict[str, bytes]) -> dict[str, bytes]:
    """The bundle with sorted filter files, renamed, and the references to them updated."""
    out = dict(files)
    entry = json.loads(files["pagefind-entry.json"])
    for lang, info in entry["languages"].items():
        meta_name = f"pagefind.{info['hash']}.pf_meta"
        meta = cbor2.loads(_unpack(out.pop(meta_name)))
        for filter_ref in meta[3]:  # [[filter name, file hash], ...]
            values = cbor2.loads(_unpack(out.pop(f"filter/{filter_ref[1]}.pf_filter")))
            values[1].sort(key=lambda item: item[0])  # [name, [[value, [page, ...]], ...]]
            data = SIGNATURE + cbor2.dumps(values)
            filter_ref[1] = f"{lang}_{hashlib.sha256(data).hexdigest()[:7]}"
            out[f"filter/{filter_ref[1]}.pf_filter"] = _pack(data)
        meta[3].sort()
        data = SIGNATURE + cbor2.dumps(meta)
        info["hash"] = f"{lang}_{hashlib.sha256(data).hexdigest()[:10]}"
        out[f"pagefind.{info['hash']}.pf_meta"] = _pack(data)
    out["pagefind-entry.json"] = json.dumps(entry, ensure_ascii=False, sort_keys=True,
                                           separators=(",", ":")).encode()
    return dict(sorted(out.items()))


def _unpack(data: bytes) -> bytes:
    raw = gzip.decompress(data)
    if not raw.startswith(SIGNATURE):
        raise ValueError("not a Pagefind file")
    return raw[len(SIGNATURE):]


def _pack(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=9, mtime=0)


RAM_FOLDERS = ("/dev/shm",)


def bundle_files(site: Site, router: Router, langs: dict[str, Lang]) -> dict[str, bytes]:
    """The files of pagefind/ (by path inside it); a failure of the indexer is a clean build error.

    Pagefind's input (a small file per page and language) goes to a RAM folder when there is one:
    much faster than a disk that is slow at making files. Pagefind numbers pages in the order it
    finds their files, so the index's bytes depend on the kind of folder (each always the same).
    """
    memory = [folder for folder in RAM_FOLDERS
              if os.path.isdir(folder) and os.access(folder, os.W_OK | os.X_OK)]
    try:
        for place in (*memory, None):
            try:
                with tempfile.TemporaryDirectory(prefix="mppsite-search-", dir=place) as scratch:
                    return build_bundle(records(site, router, langs), Path(scratch))
            except OSError as err:
                if place is None or err.errno not in (errno.ENOSPC, errno.EDQUOT, errno.EACCES):
                    raise  # a full RAM folder (Docker gives 64 MB) falls back to the temporary folder
        raise AssertionError("unreachable")
    except Exception as err:  # the indexer is a separate program: any failure of it is reported
        problems = Problems()
        problems.add("site_config.yaml", 0, 0, "search", "search_failed",
                     detail=f"{type(err).__name__}: {err}")
        raise ContentError(problems) from err
