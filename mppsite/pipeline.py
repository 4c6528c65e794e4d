"""The build, as a recipe: load -> check -> model -> render -> write.

Everything is loaded and checked before anything is rendered; the pages whose inputs changed
are rendered (render/schedule.py) into a new folder beside the output, the others hard-linked
from the last output (write/cache.py), and the folder is swapped in only when complete.
"""

from __future__ import annotations

import datetime
import gc
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from mppsite.check.config import Config, load_config
from mppsite.check.validate import Checked, check_schema
from mppsite.core import project_files
from mppsite.core.fingerprint import CACHE_DIR, cache_folder, code_digest, keep_out_of_git
from mppsite.core.problems import ContentError, Problems
from mppsite.load.content import catalog_paths, load_content
from mppsite.model.assemble import build_site, load_scales
from mppsite.model.audit import audit
from mppsite.model.catalog_cache import CatalogCache
from mppsite.model.pages import Page, plan, template_folders
from mppsite.model.references import check_references
from mppsite.model.routes import DuplicateRoute, Router
from mppsite.model.site import Site
from mppsite.write.cache import Digests, Outputs, PageCache

if TYPE_CHECKING:
    import jinja2


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
    planned: list[Page] = field(default_factory=list, repr=False)  # model.plan's pages, routed


class Warm(Protocol):
    """What a process that builds again and again (the preview) keeps from one build to the next."""

    env: jinja2.Environment | None  # compiled templates (Jinja reloads a changed one)
    templates: list[tuple[Path, list[str]]]  # the template folders and files `env` was made for
    catalogs: dict[str, tuple[Any, ...]]  # catalog_cache's memory: an unchanged catalog is not read
    page_cache: PageCache | None  # the last build's manifest, not read from disk again
    router: Router | None  # the last build's, its paths re-used when it had the same pages


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection during a build: the model is millions of long-lived objects
    the collector would walk again and again (a rebuild after one edit at 10,000 services: 1.0 s,
    not 1.3 s)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@collector_paused()
def prepare(root: Path, today: datetime.date | None = None,
            catalogs_kept: dict[str, tuple[Any, ...]] | None = None,
            router_kept: Router | None = None, meanwhile: Callable[[], None] = lambda: None) -> Built:
    """Load and check everything, then build the model. Raises ContentError on any error;
    warnings come back in `problems`. `catalogs_kept`, `router_kept`: the preview's last build's.
    `meanwhile`: run once, while forked processes read the catalogs (see CatalogCache.prefill)."""
    problems = Problems()
    if not project_files.scan(root, problems):  # nothing is read through a link that leads out
        raise ContentError(problems)
    config = load_config(root, problems)  # with each language's strings and URL segments
    if config is None or problems.errors:  # nothing is written then
        raise ContentError(problems)
    catalogs = CatalogCache(root, config.languages, catalogs_kept)
    catalogs.prefill(catalog_paths(root), meanwhile)
    content = load_content(root, problems, catalogs.load)
    checked = check_schema(content, problems, config.languages)
    scales = load_scales(config.default_language)
    segments = {code: config.words_of(code).segments for code in config.languages}
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
    problems.extend(audit(checked, site, router, config.languages, today or datetime.date.today()))
    return Built(config=config, site=site, router=router, problems=problems, checked=checked,
                 planned=pages)


@collector_paused()
def build(root: Path, warm: Warm | None = None) -> Built:
    """Build the site into output_dir. Raises ContentError (output untouched) on any error."""
    started = time.perf_counter()
    env = _environment(root, warm)
    built = prepare(root, catalogs_kept=warm.catalogs if warm is not None else None,
                    router_kept=warm.router if warm is not None else None,
                    meanwhile=lambda: _compile_all(env))
    cache = PageCache(root, built.config.output_path, warm.page_cache if warm is not None else None)
    _write_site(root, built, env, cache)
    if warm is not None:
        warm.page_cache, warm.router = cache, built.router
    built.seconds = time.perf_counter() - started
    return built


def _environment(root: Path, warm: Warm | None) -> jinja2.Environment:
    """The templates' environment (the preview's, kept while the same template files are in the
    same folders: Jinja reloads a changed file, but not one now hidden by a project's new file of
    that name), with compiled templates kept on disk: a build compiles only the templates that changed."""
    from mppsite.render.templates import TemplateBytecode, make_environment

    templates = []
    if warm is not None:
        templates = [(folder, sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*")))
                     for folder in template_folders(root)]
        if warm.env is not None and warm.templates == templates:
            return warm.env
    env = make_environment(root, auto_reload=warm is not None)
    env.bytecode_cache = TemplateBytecode(str(root / CACHE_DIR / "templates"), code_digest())
    if warm is not None:
        warm.env, warm.templates = env, templates
    return env


def _compile_all(env: jinja2.Environment) -> None:
    """Compile every template before rendering: forked workers inherit them compiled."""
    for name in env.list_templates(extensions=["html"]):
        try:
            env.get_template(name)
        except Exception:  # reported where the template is used, with its file and line
            continue


def _write_site(root: Path, built: Built, env: jinja2.Environment, cache: PageCache) -> None:
    """Render what changed, keep the rest of the last output, write the other files; swap it in."""
    from mppsite.model.markup import MarkdownRenderer
    from mppsite.render import fragments
    from mppsite.render.schedule import Renderer, load_needed
    from mppsite.render.templates import Lang
    from mppsite.write.admin import write_admin
    from mppsite.write.output import OutputWriter, write_new
    from mppsite.write.publish import write_assets, write_extras

    config, site, router, pages = built.config, built.site, built.router, built.planned
    assert built.checked is not None
    keep_out_of_git(root / CACHE_DIR)
    folders = template_folders(root)
    markdown = MarkdownRenderer(router, set(site.files))
    langs = {code: Lang(code, config, router, markdown) for code in config.languages}
    digests = Digests.compute(built.checked, config, folders, site.files,
                              [(page.kind, page.slug) for page in pages])
    page_digests = [digests.page(page.kind, page.slug, page.context) for page in pages]
    services = {page.slug: digest for page, digest in zip(pages, page_digests, strict=True)
                if page.kind == "service"}
    writer = OutputWriter(config.output_path, frozenset(cache.entries) if cache.intact() else None)
    out = Outputs(cache, writer)
    try:
        paths = router.pages()
        todo = out.keep_pages([(index, code, path + "index.html", digest)
                               for index, (page, digest) in enumerate(zip(pages, page_digests, strict=True))
                               for code, path in paths[(page.kind, page.slug)].items()])
        store = fragments.Fragments(cache_folder(root, fragments.FOLDER), services)  # type: ignore[arg-type]
        fragments.use(store)
        load_needed(site, pages, todo, store)
        renderer = Renderer(env, pages, langs, site, router, writer.reserve, write_new)

        def the_rest() -> None:
            """Everything but the pages: done while worker processes render them, when they do."""
            missing = digests.page("404", None, {})
            if not out.keep("404.html", missing):
                out.done("404.html", missing, writer.write("404.html", env.get_template("404.html").render(
                    site=site, L=langs[config.default_language], langs=langs,
                    page={"kind": "404", "slug": None, "url": "", "canonical": "", "alternates": []})))
            write_extras(site, router, config, langs, out, digests, root)
            write_assets(out, _assets(root, site, folders))
            write_admin(out, env, config, site.mall.short_name, digests.site)

        for rel, (digest, stat) in renderer.render_all(todo, the_rest).items():
            out.done(rel, digest, stat)
        store.prune(writer.written)
        built.rendered = len(todo)
        if writer.update is not None:
            cache.forget()
        writer.commit()
    except BaseException:
        writer.abort()
        raise
    out.save()
    built.pages, built.files = writer.pages, len(writer.written)


def _assets(root: Path, site: Site, folders: list[Path]) -> list[tuple[Path, str]]:
    """The attachments and the theme's static files (a project's own first), with their paths."""
    sources = [(root / "content" / rel, rel) for rel in site.files]
    seen = set(site.files)
    for folder in folders:
        static = folder / "static"
        for path in sorted(static.rglob("*")) if static.is_dir() else []:
            rel = "static/" + path.relative_to(static).as_posix()
            if path.is_file() and rel not in seen:
                seen.add(rel)
                sources.append((path, rel))
    return sources
