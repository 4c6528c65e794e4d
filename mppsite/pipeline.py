"""The build, as a recipe: load -> validate -> model -> render -> write.

Everything is loaded and checked before anything is rendered; the site is written into a
temporary folder and swapped in only when complete.

Speed (see cache.py and bench/): the cyclic garbage collector is paused while the content is
read (it would walk the growing object graph over and over), pages whose inputs did not change
since the last build are hard-linked from the previous output, and the rest are rendered by
forked processes when there are enough of them to pay for the fork, one fewer than CPUs, while
this process writes the files besides the pages (open data, feeds, sitemap, search index) and
then renders with them.
A big site's rebuild with few pages to render forks one process, which shares them with this
one; when no search index is to be built then, the other files are written before the fork
(objects touched after it cost a copy of their memory page, see _render_all).
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime
import gc
import os
import re
import shutil
import sys
import tempfile
import time
import traceback
import typing
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mppsite.check.config import Config, load_config
from mppsite.check.validate import Checked, check_schema
from mppsite.core import project_files, workers
from mppsite.core.problems import ContentError, Problems
from mppsite.load.content import load_content
from mppsite.model import pages as site_pages
from mppsite.model.assemble import build_site, load_scales
from mppsite.model.audit import audit
from mppsite.model.catalog_cache import CatalogCache
from mppsite.model.pages import Page, plan, template_folders
from mppsite.model.references import check_references
from mppsite.model.routes import DuplicateRoute, Router, load_segments
from mppsite.model.site import Site, Tenant, load_lazy
from mppsite.render import fragments
from mppsite.write.cache import (
    CACHE_DIR,
    Digests,
    Job,
    Outputs,
    PageCache,
    Stat,
    Written,
    cache_folder,
    code_digest,
    dir_stats,
    keep_out_of_git,
    stat_of,
)
from mppsite.write.output import OutputWriter, write_new
from mppsite.write.output import parents as write_parents

if typing.TYPE_CHECKING:
    import jinja2

    from mppsite.render.templates import Lang
    from mppsite.write.publish import OpenDataJob, SearchJob



@dataclass
class Built:
    """What a build (or check) produced, for the command line to report."""

    config: Config
    site: Site
    router: Router
    problems: Problems  # warnings only: errors raise ContentError
    pages: int = 0
    files: int = 0
    seconds: float = 0.0
    rendered: int = 0  # page files rendered by this build; the others were unchanged and re-used
    checked: Checked | None = field(default=None, repr=False)  # for the page cache's digests
    page_cache: PageCache | None = field(default=None, repr=False)  # with look_at_output
    intact: Callable[[], bool] | None = field(default=None, repr=False)  # PageCache.intact_later
    planned: list[Page] = field(default_factory=list, repr=False)  # render.plan's pages, routed


# Below this many page files to render, forking workers costs more than it saves.
PARALLEL_MIN = 400
# Above this many pages in the previous output, a detached process removes it (see OutputWriter.commit).
BACKGROUND_MIN = 2000
# From this many services, the files besides the pages (open data above all) take long enough
# that a few pages to render go to one forked process too while this one writes those files.
ASIDE_MIN = 3000
WARM_LISTED_MAX = 50  # services a page rendered before the workers start may list
# Pages that list services with fragment_each: without their bin of fragments they draw every entry.
LIST_KINDS = frozenset({"services", "category"})


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while reading content or rendering, then none over what
    they built.

    Reading makes millions of long-lived objects and no garbage cycles; the collector would walk
    them again and again (two thirds of the load time at 10,000 services). Rendering makes none
    either (not one in the 2,276 pages of the benchmark's 1,000 services), and the collector took
    5 % of its time, in the build's process and the workers it forks. Afterwards they are
    frozen (left out of later collections) until `release` or the end of `build`: the first
    full collection over them would take 0.4 s at 10,000 services. A command that ends after
    one build never pays it; the preview pays it while it waits for the next save.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def release() -> None:
    """Collect what the builds since the last call left frozen, then freeze what is still used.

    For the preview, between saves: what the builds made and no longer use is freed, objects
    that refer to each other too (each YAML loader does), and what lives on (the kept catalogs,
    compiled templates) stays out of later collections, which would otherwise walk it at random
    moments, a build among them.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def prepare(root: Path, today: datetime.date | None = None,
            catalogs_kept: dict[str, tuple[Any, ...]] | None = None, look_at_output: bool = False,
            page_cache_kept: PageCache | None = None, router_kept: Router | None = None) -> Built:
    """Load and validate everything, then build the model. Raises ContentError on any error.

    Warnings (missing translations, broken links, unreviewed entries) come back in `problems`.
    `look_at_output`: also check, while the content is read, the page cache's record of output/
    (for `build`; in `page_cache` and `intact` of the result; `page_cache_kept`: the last one of
    this process). `router_kept`: the router of this process's last build (Router.adopt).
    """
    problems = Problems()
    if not project_files.scan(root, problems):  # nothing is read through a link that leads out
        raise ContentError(problems)
    config = load_config(root, problems)
    if config is None:  # nothing is written then
        raise ContentError(problems)
    if not look_at_output:
        return _prepare(root, config, problems, today, catalogs_kept, router_kept)
    page_cache = PageCache(root, config.output_path, page_cache_kept)
    intact = page_cache.intact_later()
    try:
        built = _prepare(root, config, problems, today, catalogs_kept, router_kept)
    except BaseException:
        intact()  # the answer is not needed, but the process giving it must end
        raise
    built.page_cache, built.intact = page_cache, intact
    return built


def _prepare(root: Path, config: Config, problems: Problems, today: datetime.date | None,
             catalogs_kept: dict[str, tuple[Any, ...]] | None, router_kept: Router | None = None) -> Built:
    """`prepare`'s work once the settings are read."""
    segments = load_segments()
    for index, lang in enumerate(config.languages):
        if lang not in segments or not (site_pages.STRINGS_DIR / f"{lang}.yaml").is_file():
            problems.add("site_config.yaml", index + 1, 1, f"languages[{index}]", "no_strings",
                         language=lang)
    if problems.errors:
        raise ContentError(problems)
    catalogs = CatalogCache(root, config.languages, catalogs_kept)
    day = today or datetime.date.today()
    content = load_content(root, problems, catalogs.load)
    checked = check_schema(content, problems, config.languages)
    scales = load_scales(config.default_language)
    router = Router(config.languages, segments, config.base_path)
    check_references(checked, root, scales, router.reserved(), config.languages, problems)
    catalogs.settle(checked, problems)
    if problems.errors:
        raise ContentError(problems)
    site = build_site(checked, content, scales, config.languages)
    pages = list(plan(site))
    keys = [(page.kind, page.slug) for page in pages]
    if not router.adopt(router_kept, keys) and not router.register_all(keys):
        for key in keys:  # two pages claim one path: each clash reported
            try:
                router.register(*key)
            except DuplicateRoute as clash:
                problems.add("content", 0, 0, "", "url_clash", url=str(clash), other="")
    if problems.errors:
        raise ContentError(problems)
    problems.extend(audit(checked, site, router, config.languages, day))
    return Built(config=config, site=site, router=router, problems=problems, checked=checked,
                 planned=pages)


@dataclass
class Warm:
    """What `build.py serve` keeps from one build to the next in its process.

    The Jinja environment keeps its compiled templates (Jinja reloads a template whose file
    changed); with `after_reload`, a search index whose inputs changed is not built by `build`
    but left in `search` for the preview to build after the reload (the last index stays meanwhile),
    and `finish` writes the open data files whose inputs changed and the page cache's manifest
    after the reload too (0.05 s each at 10,000 services; the next build calls it first if the
    preview did not), and frees the old bytes of the files an update replaced. The manifest is
    taken at the commit, so a file edited by hand before it is written is still found changed.
    `catalogs` keeps the catalog cache's entries in memory, so an unchanged catalog is not even
    read back from disk (at 10,000 services, unpickling them took 0.3 s of every rebuild), and
    `page_cache` the manifest of the last build's output (0.03 s to read at 10,000).
    """

    env: jinja2.Environment | None = None
    folders: list[Path] = field(default_factory=list)
    after_reload: bool = False
    search: SearchJob | None = None
    open_data: OpenDataJob | None = None  # written after the reload (finish)
    catalogs: dict[str, tuple[Any, ...]] = field(default_factory=dict)  # catalog_cache's memory
    page_cache: PageCache | None = None  # the last build's, not read from disk again
    router: Router | None = None  # the last build's, its paths re-used when it had the same pages
    unsaved: Callable[[Written | None], None] | None = None  # the last build's manifest (`finish`)

    def finish(self) -> None:
        """Write what the last build left for after the reload: its open data files
        (write_open_data), then its manifest. Open data that the disk refuses stays stale, and
        recorded so: the next build writes it."""
        save, self.unsaved = self.unsaved, None
        job, self.open_data = self.open_data, None
        if save is None:
            return
        written = None
        if job is not None:
            try:
                written = write_open_data(job)
            except OSError:
                traceback.print_exc()
        save(written)


def build(root: Path, warm: Warm | None = None, frozen: bool = False) -> Built:
    """Build the site into output_dir. Raises ContentError (output untouched) on any error.

    `frozen`: leave the objects the build made out of the garbage collector's sight until
    `release` (see collector_paused), for a command about to end or a preview between saves.
    """
    started = time.perf_counter()
    if warm is not None:
        warm.finish()
    try:
        with collector_paused():
            built = prepare(root, catalogs_kept=warm.catalogs if warm is not None else None,
                            look_at_output=True,
                            page_cache_kept=warm.page_cache if warm is not None else None,
                            router_kept=warm.router if warm is not None else None)
        try:
            with collector_paused():  # nor while rendering, in this process and the workers
                env = _environment(root, warm)
                _compile_all(env)
                _write_site(root, built, env, warm)
        finally:
            if built.intact is not None:
                built.intact()  # so the process that checked output/ is reaped whatever happened
        if warm is not None:
            warm.page_cache, warm.router = built.page_cache, built.router
    finally:
        if not frozen:
            gc.unfreeze()
    built.seconds = time.perf_counter() - started
    return built


def _environment(root: Path, warm: Warm | None) -> jinja2.Environment:
    """The templates' environment: the preview's, kept while the template folders are the same."""
    from mppsite.render.templates import TemplateBytecode, make_environment

    folders = template_folders(root)
    if warm is not None and warm.env is not None and warm.folders == folders:
        return warm.env
    env = make_environment(root, auto_reload=warm is not None)
    # Compiled templates kept on disk: a plain build compiles only the templates that changed.
    # The folder is made when one is written (it is compiled before the settings are known good,
    # and a build they stop writes nothing).
    env.bytecode_cache = TemplateBytecode(str(root / CACHE_DIR / "templates"), code_digest())
    if warm is not None:
        warm.env, warm.folders = env, folders
    return env


def _compile_all(env: jinja2.Environment) -> None:
    """Compile every template, while worker processes parse the catalogs of a first build.

    With no compiled templates kept, compiling them took 0.3–0.5 s in this process before the
    rendering workers could start, with the other CPU idle. A template that does not compile
    is left alone here: rendering reports it, with its file and line.
    """
    for name in env.list_templates(extensions=["html"]):
        try:
            env.get_template(name)
        except Exception:  # reported where the template is used, with its file and line
            continue


def _write_site(root: Path, built: Built, env: jinja2.Environment, warm: Warm | None = None) -> None:
    """Render what changed and write it; keep the rest of the last output (see cache.py, write.py).

    When the last output is intact it is updated in place (only new and changed files move in);
    otherwise the whole site is written beside it and swapped in, unchanged files hard-linked.
    Whether it is intact is answered by a process that started with the build (30,000 stats at
    10,000 services), so the update is prepared as if it were, and the answer is asked for only
    before anything in output/ changes; when it is not, the update is dropped and the site is
    written afresh.
    """
    config, site, router = built.config, built.site, built.router
    # prepare(look_at_output=True) gave the page cache and the check of output/ it started
    assert built.checked is not None and built.page_cache is not None and built.intact is not None
    keep_out_of_git(root / CACHE_DIR)
    global render_page, draw_codes_ahead
    from mppsite.model.markup import MarkdownRenderer
    from mppsite.render.templates import Lang, draw_codes_ahead, render_page

    folders = template_folders(root)
    markdown = MarkdownRenderer(router, set(site.files))
    langs = {code: Lang(code, config, router, markdown) for code in config.languages}
    pages = built.planned
    cache = built.page_cache
    digests = Digests.compute(built.checked, config, folders, site.files,
                              [(page.kind, page.slug) for page in pages])
    if cache.entries:
        try:
            _write_files(root, built, env, warm, langs, digests, folders, intact=True)
            return
        except _NotIntact:
            pass
    _write_files(root, built, env, warm, langs, digests, folders, intact=False)


def _owner(page: Page) -> Tenant | None:
    """The tenant whose catalog a page shows: its own, or its service's."""
    return page.context.get("tenant") or getattr(page.context.get("service"), "tenant", None)


def _load_lazy(site: Site, pages: list[Page], todo: list[Job], store: fragments.Fragments) -> None:
    """Give the kept catalogs' services (model.LazyService) the fields the pages to render will
    read, now, before any worker is forked: each would load them again for itself.

    A list page without the last build's fragments draws every entry, so all of them then;
    otherwise the services of the tenants whose own pages are to be rendered.
    """
    tenants: dict[str, Tenant] = {}
    for index, _, rel, _ in todo:
        page = pages[index]
        if page.kind in LIST_KINDS and not store.has_bin(rel):
            tenants = {tenant.id: tenant for tenant in site.tenants}
            break
        owner = _owner(page)
        if owner is not None:
            tenants[owner.id] = owner
    with collector_paused():
        for tenant in tenants.values():
            load_lazy(tenant.services)


class _NotIntact(Exception):
    """output/ is not as the last build left it: the update prepared in place is dropped."""


def _write_files(root: Path, built: Built, env: jinja2.Environment, warm: Warm | None,
                 langs: dict[str, Lang], digests: Digests, folders: list[Path], intact: bool) -> None:
    """_write_site's work, for an output taken to be `intact` or not."""
    from mppsite.write.publish import write_assets, write_extras
    config, site, router, pages = built.config, built.site, built.router, built.planned
    cache = built.page_cache
    assert cache is not None and built.intact is not None
    writer = OutputWriter(config.output_path, previous=cache.entries if intact else None)
    out = Outputs(cache, writer, intact)
    out.remember = warm is not None
    after_reload = warm is not None and warm.after_reload  # the preview: some work waits for it
    services: dict[str, str] = {}  # service id -> input digest, for the open data
    try:
        paths = router.pages()
        page_digests = digests.pages(pages)
        services.update([(page.slug, digest) for page, digest in zip(pages, page_digests, strict=True)
                         if page.kind == "service"])  # type: ignore[misc]
        wanted: list[Job] = [(index, code, path + "index.html", digest)
                             for index, (page, digest) in enumerate(zip(pages, page_digests, strict=True))
                             for code, path in paths[(page.kind, page.slug)].items()]
        todo = out.keep_pages(wanted)
        store = fragments.Fragments(cache_folder(root, fragments.FOLDER), services)
        fragments.use(store)
        _load_lazy(site, pages, todo, store)
        job: SearchJob | None = None
        data_job: OpenDataJob | None = None

        def the_rest() -> None:
            """Everything but the pages: done while worker processes render them, when they do."""
            nonlocal job, data_job
            default = langs[config.default_language]
            missing = digests.page("404", None, {})
            if not out.keep("404.html", missing):
                writer.write("404.html", env.get_template("404.html").render(
                    site=site, L=default, langs=langs, page={"kind": "404", "slug": None, "url": "",
                                                             "canonical": "", "alternates": []}))
                out.done("404.html", missing)
            job, data_job = write_extras(site, router, config, langs, out, digests, services,
                                         defer=after_reload)
            sources = [(root / "content" / rel, rel) for rel in site.files]
            seen = set(site.files)
            for folder in folders:
                static = folder / "static"
                for path in sorted(static.rglob("*")) if static.is_dir() else []:
                    rel = "static/" + path.relative_to(static).as_posix()
                    if path.is_file() and rel not in seen:
                        seen.add(rel)
                        sources.append((path, rel))
            write_assets(out, sources)

        cheap_extras = not config.search or after_reload
        for rel, (digest, stat) in _render_all(env, pages, todo, langs, site, router, writer,
                                               the_rest, cheap_extras).items():
            out.done(rel, digest, stat)
        store.prune(writer.written)
        built.rendered = len(todo)
        if intact and not built.intact():
            raise _NotIntact
        out.before_commit()
        writer.commit(remove_in_background=not intact and len(cache.entries) > BACKGROUND_MIN,
                      clean_later=after_reload)
    except BaseException:
        writer.abort()
        raise
    if after_reload:
        save = out.recorded()

        def unsaved(written: Written | None) -> None:
            save(written)
            writer.clean()
        warm.unsaved = unsaved
    else:
        out.save()
    if warm is not None:
        warm.search, warm.open_data = job, data_job
    built.pages, built.files = writer.pages, len(writer.written)


def write_open_data(job: OpenDataJob) -> Written:
    """Write the open data files of the preview's last build, after the reload (`serve` only),
    each in place of the last one in a single rename; what the manifest must add (Warm.finish
    saves it once, with the rest of that build's)."""
    from mppsite.render.opendata import open_data_files
    from mppsite.write.publish import SPLICED

    files, places = open_data_files(job.site, job.router, job.langs, job.services, job.previous())
    output = job.config.output_path
    entries = {}
    for rel, data in files.items():
        path = output.joinpath(*rel.split("/"))
        scratch = f"{path.parent}/.{path.name}.new"
        try:
            entries[rel] = (job.digest, write_new(scratch, data))
            os.replace(scratch, path)
        except OSError:  # no stray file left in output/: the next build would rewrite it all
            with contextlib.suppress(OSError):
                os.unlink(scratch)
            raise
    return Written(entries, {"opendata": (job.digest, list(files))}, {"opendata": places},
                   {rel: (job.digest, files[rel]) for rel in SPLICED})


def install_search(root: Path, config: Config, digest: str, files: dict[str, bytes]) -> bool:
    """Put a search index built after the reload in place of the one in output/ (`serve` only).

    The caller holds the preview's build lock. The new pagefind/ folder is written beside the
    output and exchanged with the old one in a single rename where the system can (renameat2),
    so a search is never answered by half an index; the manifest then records it. False (nothing
    done) when output/ is no longer what the last build left, or was made from other inputs.
    """
    from mppsite.write.search import BUNDLE_DIR

    cache = PageCache(root, config.output_path)
    old = cache.groups.get("search")
    if not cache.intact():
        return False
    if old is not None and old[0] == digest:
        return True
    output = config.output_path
    target = output / BUNDLE_DIR
    scratch = Path(tempfile.mkdtemp(prefix=f".{output.name}-new-", dir=output.parent))
    try:
        for rel, data in files.items():
            path = scratch.joinpath(*rel.split("/"))
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        os.chmod(scratch, 0o755)
        cache.forget()
        _exchange(scratch, target)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    prefix = BUNDLE_DIR + "/"
    rels = [prefix + rel for rel in files]
    entries = {rel: entry for rel, entry in cache.entries.items() if not rel.startswith(prefix)}
    entries.update({rel: (digest, stat_of(output.joinpath(*rel.split("/")))) for rel in rels})
    dirs = {rel: stat for rel, stat in cache.dirs.items() if rel != BUNDLE_DIR and not rel.startswith(prefix)}
    dirs.update(dir_stats(output, {"", *(parent for rel in rels for parent in write_parents(rel))}))
    cache.save(entries, dirs, {**cache.groups, "search": (digest, rels)}, cache.notes)
    return True


_RENAME_EXCHANGE = 2  # linux/fs.h
_AT_FDCWD = -100


def _exchange(new: Path, target: Path) -> None:
    """Swap two folders' names at once (Linux renameat2); elsewhere, two renames in a row."""
    if target.exists() and sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            names = (os.fsencode(new), os.fsencode(target))
            if libc.renameat2(_AT_FDCWD, names[0], _AT_FDCWD, names[1], _RENAME_EXCHANGE) == 0:
                return
        except (OSError, AttributeError):
            pass
    if target.exists():
        aside = new.with_name(new.name + "-old")
        os.rename(target, aside)
        os.rename(new, target)
        os.rename(aside, new)  # removed with the scratch folder
    else:
        os.rename(new, target)


Done = dict[str, tuple[str, Stat]]


def _render_all(env: jinja2.Environment, pages: list[Page], todo: list[Job], langs: dict[str, Lang],
                site: Site, router: Router, writer: OutputWriter, meanwhile: Callable[[], None],
                cheap_extras: bool = False) -> Done:
    """Render and write the pages of `todo`, and run `meanwhile` (after them, or while worker
    processes render them); what was written, for the cache's manifest.

    A big site's rebuild with few pages to render forks one process for them, and this one
    joins it once `meanwhile` (open data, feeds, sitemap) is done. With `cheap_extras` (no
    search index to build now) `meanwhile` runs before the fork instead: after it, every object
    it touches (10,000 services for the open data) is a page of memory both processes share, and
    the first write to one (Python's reference counts) copies it; at 10,000 services the open
    data took 0.11 s after the fork and 0.03 s before it.
    """
    processes = min(workers.count(), len(todo) // (PARALLEL_MIN // 2) or 1)
    serial = len(todo) < PARALLEL_MIN or processes < 2
    first: list[Job] = []
    rest = todo
    if not serial:
        # One page of each template first, here: the workers inherit compiled templates and
        # loaded locale data instead of each preparing its own. The template's page that lists
        # the fewest services, and none that lists many (the A–Z list, a tenant's print page of
        # 170 sheets): while this process renders alone, the other CPUs wait.
        firsts: dict[str, Job] = {}
        for job in todo:
            page = pages[job[0]]
            known = firsts.get(page.template)
            if known is None or page.listed < pages[known[0]].listed:
                firsts[page.template] = job
        first = sorted(job for job in firsts.values() if pages[job[0]].listed <= WARM_LISTED_MAX)
        chosen = set(first)
        rest = [job for job in todo if job not in chosen]
        # This process renders too once `meanwhile` is done, and meanwhile it keeps a CPU busy
        # with the open data (or Pagefind does): one process a CPU. With one more, three
        # processes shared two CPUs, and the cold build took 4 % longer at 1,000 services and
        # 6 % at 10,000 (7 % more CPU time).
        processes -= 1
    elif todo and workers.count() >= 2 and len(site.services) >= ASIDE_MIN:
        serial, processes = False, 1
        if cheap_extras:
            meanwhile = _done_first(meanwhile, writer)
    done: Done = {}
    for index, code, rel, digest in todo if serial else first:
        html = _render(env, pages[index], langs[code], site, router, langs, rel)
        done[rel] = (digest, writer.write(rel, html))
    if serial:
        meanwhile()
    else:
        done.update(_render_parallel(env, pages, rest, langs, site, router, writer, processes, meanwhile))
    return done


def _done_first(meanwhile: Callable[[], None], writer: OutputWriter) -> Callable[[], None]:
    """Run `meanwhile` now, the files it makes only taken down (OutputWriter.defer); what has them
    written (in the background: OutputWriter.flush) and raises its exception, if any, when called
    (after the fork, where `meanwhile` would have run), so that a page's error still comes first."""
    failed: list[Exception] = []
    writer.defer()
    try:
        meanwhile()
    except Exception as err:
        failed.append(err)

    def again() -> None:
        writer.flush(background=True)  # this process renders pages meanwhile
        if failed:
            raise failed[0]
    return again


# What the forked workers render from: set just before forking, inherited, never pickled.
_SHARED: dict[str, object] = {}


def _render_parallel(env: jinja2.Environment, pages: list[Page], todo: list[Job],
                     langs: dict[str, Lang], site: Site, router: Router, writer: OutputWriter,
                     processes: int, meanwhile: Callable[[], None]) -> Done:
    """Render `todo` in forked worker processes that write the files themselves, and in this one
    too once `meanwhile` is done (workers.share).

    Workers get only lists of positions in `todo` and answer with the files' stats, so nothing
    big crosses a pipe. Each file has its own path, so the output is the same as one process
    writing in order. On a template error the one of the earliest page in plan order is
    reported, as a single process would have.
    """
    paths = [writer.reserve(rel) for _, _, rel, _ in todo]
    _SHARED.update(env=env, pages=pages, todo=todo, langs=langs, site=site, router=router, paths=paths)
    chunks = _chunks(pages, todo)
    mine: list[list[int]] = []
    if processes == 1:  # the long lists here, unforked (see workers.share)
        mine = [chunk for chunk in chunks if max(pages[todo[at][0]].listed for at in chunk) >= OWN_LISTED]
        chunks = [chunk for chunk in chunks if chunk not in mine]
    try:
        results, deferred = workers.share(chunks, _render_chunk, processes, meanwhile, mine)
    finally:
        _SHARED.clear()
    failures = [result for result in results if result[0] != "ok"]
    if failures:
        kind, _, detail = min(failures, key=lambda failure: failure[1])
        if kind == "problems":
            raise ContentError(detail)
        raise RuntimeError(detail)
    if deferred is not None:
        raise deferred
    done: Done = {}
    for _, _, stats in results:
        for position, stat in stats:
            rel, digest = todo[position][2], todo[position][3]
            done[rel] = (digest, stat)
    return done


# What rendering a page costs besides its list, in list entries (a service page about 1 ms, an
# entry of the A–Z list about 7 µs): for handing out the costliest work first.
PAGE_COST = 100
# A page listing this many services is rendered by the build's own process when one process is
# forked for a rebuild: in the forked one, the A–Z list of 10,000 took 40 ms instead of 19.
OWN_LISTED = 2000


def _chunks(pages: list[Page], todo: list[Job]) -> list[list[int]]:
    """Worker tasks: a tenant's service and print pages together, others one by one; costliest
    first, so that no process is left with a long page while the others are done (a rebuild's
    two A–Z lists are most of its rendering: one goes to each process)."""
    chunks: list[tuple[list[int], list[int]]] = []  # ([cost], positions), in order of first page
    groups: dict[str, tuple[list[int], list[int]]] = {}
    for position, (index, _, _, _) in enumerate(todo):
        page = pages[index]
        owner = _owner(page)
        chunk = groups.get(owner.id) if owner is not None else None
        if chunk is None:
            chunk = ([0], [])
            chunks.append(chunk)
            if owner is not None:
                groups[owner.id] = chunk
        chunk[0][0] += PAGE_COST + page.listed
        chunk[1].append(position)
    chunks.sort(key=lambda chunk: chunk[0][0], reverse=True)  # stable: ties keep their order
    return [positions for _, positions in chunks]


def _render_chunk(chunk: list[int]) -> tuple[Any, ...]:
    """In a worker: render and write some pages. ("ok", 0, stats, what it formatted anew) or the
    first failure."""
    shared = _SHARED
    env, pages, todo, langs = shared["env"], shared["pages"], shared["todo"], shared["langs"]
    site, router, paths = shared["site"], shared["router"], shared["paths"]
    draw_codes_ahead([(pages[todo[position][0]], langs[todo[position][1]]) for position in chunk])  # type: ignore[index]
    stats = []
    for position in chunk:
        index, code, rel, _ = todo[position]  # type: ignore[index]
        try:
            html = _render(env, pages[index], langs[code], site, router, langs, rel)  # type: ignore[index, arg-type]
            stats.append((position, write_new(paths[position], html.encode("utf-8"))))  # type: ignore[index]
        except ContentError as err:
            return ("problems", position, err.problems)
        except Exception:  # a bug or a full disk: the parent raises it with this traceback
            return ("crash", position, traceback.format_exc())
    return ("ok", 0, stats)


render_page: Callable[..., str]  # render.render_page, imported by _write_site (see above)
draw_codes_ahead: Callable[..., None]  # render.draw_codes_ahead, likewise


def _render(env: jinja2.Environment, page, lang: Lang, site: Site, router: Router,
            langs: dict[str, Lang], rel: str | None = None) -> str:
    """Render one page; a template mistake becomes a problem naming the template and line."""
    store = fragments.current()
    store.begin(rel or "")
    try:
        html = render_page(env, page, lang, site, router, langs)
        store.end()
        return html
    except Exception as err:  # any error raised while a template runs is the template's
        name, line = _template_position(err, page.template)
        problems = Problems()
        known = getattr(err, "problem", None)  # a mistake with words of its own (once.OnceReadsPage)
        if known is not None:
            problems.add(f"templates/{name}", line, 1 if line else 0, "", known[0], **known[1])
        else:
            problems.add(f"templates/{name}", line, 1 if line else 0, "", "render_failed",
                         template=page.template, url=router.url(lang.code, page.kind, page.slug),
                         detail=f"{type(err).__name__}: {_OUR_MODULES.sub('', str(err))}")
        raise ContentError(problems) from err


# "'mppsite.render.templates.Lang object' has no attribute 'x'" says 'Lang object': the words that
# matter stay within a message's length.
_OUR_MODULES = re.compile(r"\bmppsite(?:\.\w+)*\.(?=\w+ object\b)")


def _template_position(err: Exception, fallback: str) -> tuple[str, int]:
    """The template (its name under templates/, "partials/footer.html") and the line where
    `err` happened (Jinja keeps them in the traceback)."""
    import jinja2

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
