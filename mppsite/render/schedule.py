"""Render the pages to render: in this process, or in forked workers when there are many.

The caller passes `reserve` (claims a page's path in the new output) and `write_file`: write is a later layer.
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2

from mppsite.core import workers
from mppsite.core.problems import ContentError, Problems
from mppsite.model.pages import Page
from mppsite.model.routes import Router
from mppsite.model.site import Site, Tenant, load_lazy
from mppsite.render import fragments
from mppsite.render.templates import Lang, render_page

Stat = tuple[int, int, int]  # size, mtime_ns, inode of a written file
VERSION_LENGTH = 8  # of a page's version, shown on its saved copy (templates/static/offline.js)
Job = tuple[int, str, str, str]  # a page to render: index in plan order, language, output path, input digest
Done = dict[str, tuple[str, Stat]]  # output path -> (input digest, stat)

WARM_LISTED_MAX = 50  # services a page rendered before the workers start may list
# Pages that list services with fragment_each: without their bin of fragments they draw every entry.
LIST_KINDS = frozenset({"services", "category"})
PAGE_COST = 100  # a page's cost besides its list, in list entries
# Below this cost of the pages to render (100 pages listing nothing), forking workers costs more
# than it saves: the 38 pages of tests/fixtures/mini take 0.05 s longer with workers; the 360 of
# the bundled site 0.08 s less; a rebuild at 10,000 services (22 pages, two listing every service)
# 0.14 s less.
PARALLEL_MIN_COST = 10_000


def owner(page: Page) -> Tenant | None:
    """The tenant whose catalog a page shows: its own, or its service's."""
    return page.context.get("tenant") or getattr(page.context.get("service"), "tenant", None)


def load_needed(site: Site, pages: list[Page], todo: list[Job], store: fragments.Fragments) -> None:
    """Load the kept catalogs' services (model.LazyService) the pages to render will read before
    any worker is forked (each would load them again): all, when a list page has no fragments kept."""
    tenants: dict[str, Tenant] = {}
    for index, _, rel, _ in todo:
        page = pages[index]
        if page.kind in LIST_KINDS and not store.has_bin(rel):
            tenants = {tenant.id: tenant for tenant in site.tenants}
            break
        found = owner(page)
        if found is not None:
            tenants[found.id] = found
    for tenant in tenants.values():
        load_lazy(tenant.services)


class Renderer:
    """What every page is rendered from, and where its file goes."""

    def __init__(self, env: jinja2.Environment, pages: list[Page], langs: dict[str, Lang], site: Site,
                 router: Router, reserve: Callable[[str], str], write_file: Callable[[str, bytes], Stat]):
        self.env, self.pages, self.langs, self.site, self.router = env, pages, langs, site, router
        self.reserve, self.write_file = reserve, write_file

    def render_all(self, todo: list[Job], meanwhile: Callable[[], None]) -> Done:
        """Render and write the pages of `todo`, and run `meanwhile` (after them, or while workers
        render them). The bytes are the same either way, and so is the error reported: the
        earliest page's in plan order."""
        cost = sum(self._cost(job) for job in todo)
        processes = min(workers.count(), cost // (PARALLEL_MIN_COST // 2) or 1)
        if cost < PARALLEL_MIN_COST or processes < 2:
            done = self._here(todo)
            meanwhile()
            return done
        # One page of each template first, here: the workers inherit compiled templates and
        # loaded locale data instead of each preparing its own; the page listing the fewest
        # services, as the other CPUs wait meanwhile.
        firsts: dict[str, Job] = {}
        for job in sorted(todo, key=lambda job: self.pages[job[0]].listed):
            firsts.setdefault(self.pages[job[0]].template, job)
        first = sorted(job for job in firsts.values() if self.pages[job[0]].listed <= WARM_LISTED_MAX)
        done = self._here(first)
        chosen = set(first)
        rest = [job for job in todo if job not in chosen]
        paths = [self.reserve(rel) for _, _, rel, _ in rest]
        results, deferred = workers.share(self._chunks(rest), lambda chunk: self._chunk(rest, paths, chunk),
                                          processes, meanwhile)
        failures = [result for result in results if result[0] != "ok"]
        if failures:
            kind, _, detail = min(failures, key=lambda failure: failure[1])
            if kind == "problems":
                raise ContentError(detail)
            raise RuntimeError(detail)
        if deferred is not None:
            raise deferred
        for _, _, stats in results:
            done.update((rest[position][2], (rest[position][3], stat)) for position, stat in stats)
        return done

    def _here(self, jobs: list[Job]) -> Done:
        return {rel: (digest, self.write_file(self.reserve(rel), self.render(index, code, rel, digest)))
                for index, code, rel, digest in jobs}

    def _chunks(self, todo: list[Job]) -> list[list[int]]:
        """Worker tasks: a tenant's service and print pages together (they share its sheets),
        others one by one; costliest first, so that no process is left with a long one at the end."""
        groups: dict[str | int, list[int]] = {}  # by tenant id, or a page's own position
        for position, (index, _, _, _) in enumerate(todo):
            tenant = owner(self.pages[index])
            groups.setdefault(tenant.id if tenant is not None else position, []).append(position)

        def cost(positions: list[int]) -> int:
            return sum(self._cost(todo[position]) for position in positions)

        return sorted(groups.values(), key=cost, reverse=True)  # stable: ties keep their order

    def _cost(self, job: Job) -> int:
        """What rendering a page costs, in list entries (for deciding to fork, and handing out
        the costliest first)."""
        return PAGE_COST + self.pages[job[0]].listed

    def _chunk(self, todo: list[Job], paths: list[str], chunk: list[int]) -> tuple[Any, ...]:
        """In a worker: render and write some pages. ("ok", 0, stats) or the first failure."""
        stats = []
        for position in chunk:
            index, code, rel, digest = todo[position]
            try:
                html = self.render(index, code, rel, digest)
                stats.append((position, self.write_file(paths[position], html)))
            except ContentError as err:
                return ("problems", position, err.problems)
            except Exception:  # a bug or a full disk: the parent raises it with this traceback
                return ("crash", position, traceback.format_exc())
        return ("ok", 0, stats)

    def render(self, index: int, code: str, rel: str, digest: str) -> bytes:
        """One page, encoded; a template mistake becomes a problem naming the template and line.
        The page's version is its input digest: it changes exactly when the page does."""
        page, lang = self.pages[index], self.langs[code]
        store = fragments.current()
        store.begin(rel)
        try:
            html = render_page(self.env, page, lang, self.site, self.langs, version=digest[:VERSION_LENGTH])
            store.end()
            return html.encode("utf-8")
        except Exception as err:  # any error raised while a template runs is the template's
            name, line = _template_position(err, page.template)
            problems = Problems()
            known = getattr(err, "problem", None)  # a mistake with words of its own (once.OnceReadsPage)
            if known is not None:
                problems.add(f"templates/{name}", line, 1 if line else 0, "", known[0], **known[1])
            else:
                problems.add(f"templates/{name}", line, 1 if line else 0, "", "render_failed",
                             template=page.template, url=self.router.url(lang.code, page.kind, page.slug),
                             detail=f"{type(err).__name__}: {_OUR_MODULES.sub('', str(err))}")
            raise ContentError(problems) from err


# "'mppsite.render.templates.Lang object' has no attribute 'x'" says 'Lang object'.
_OUR_MODULES = re.compile(r"\bmppsite(?:\.\w+)*\.(?=\w+ object\b)")


def _template_position(err: Exception, fallback: str) -> tuple[str, int]:
    """The template ("partials/footer.html") and the line where `err` happened (from the traceback)."""
    if isinstance(err, jinja2.TemplateSyntaxError):
        return (err.name or _template_name(err.filename or fallback), err.lineno or 0)
    for frame in reversed(traceback.extract_tb(err.__traceback__)):
        if frame.filename.endswith(".html"):
            return (_template_name(frame.filename), frame.lineno or 0)
    return (fallback, 0)


def _template_name(filename: str) -> str:
    """A template file's name under its templates/ folder (the project's or mppsite's own)."""
    path = Path(filename).as_posix()
    return path.rpartition("/templates/")[2] if "/templates/" in path else Path(filename).name
