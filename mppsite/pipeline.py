"""The build, as a recipe: load -> validate -> model -> render -> write.

Everything is loaded and checked before anything is rendered; the site is written into a
temporary folder and swapped in only when complete.
"""

from __future__ import annotations

import datetime
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

import jinja2

from .assemble import build_site, load_scales
from .audit import audit
from .config import Config, load_config
from .load import load_content
from .markup import MarkdownRenderer
from .model import Site
from .problems import ContentError, Problems
from .publish import write_extras
from .references import check_references
from .render import STRINGS_DIR, Lang, make_environment, plan, render_page, template_folders
from .routes import DuplicateRoute, Router, load_segments
from .validate import check_schema
from .write import OutputWriter


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


def prepare(root: Path, today: datetime.date | None = None) -> Built:
    """Load and validate everything, then build the model. Raises ContentError on any error.

    Warnings (missing translations, broken links, unreviewed entries) come back in `problems`.
    """
    problems = Problems()
    config = load_config(root, problems)
    if config is None:
        raise ContentError(problems)
    segments = load_segments()
    for index, lang in enumerate(config.languages):
        if lang not in segments or not (STRINGS_DIR / f"{lang}.yaml").is_file():
            problems.add("site_config.yaml", index + 1, 1, f"languages[{index}]", "no_strings",
                         language=lang)
    if problems.errors:
        raise ContentError(problems)
    content = load_content(root, problems)
    checked = check_schema(content, problems, config.languages)
    scales = load_scales(config.default_language)
    router = Router(config.languages, segments, config.base_path)
    check_references(checked, root, set(scales), router.reserved(), config.languages, problems)
    if problems.errors:
        raise ContentError(problems)
    site = build_site(checked, content, scales, config.languages)
    pages = list(plan(site))
    for page in pages:
        try:
            router.register(page.kind, page.slug)
        except DuplicateRoute as clash:
            problems.add("content", 0, 0, "", "url_clash", url=str(clash), other="")
    if problems.errors:
        raise ContentError(problems)
    problems.extend(audit(checked, site, router, config.languages, today or datetime.date.today()))
    return Built(config=config, site=site, router=router, problems=problems)


def build(root: Path) -> Built:
    """Build the site into output_dir. Raises ContentError (output untouched) on any error."""
    started = time.perf_counter()
    built = prepare(root)
    config, site, router = built.config, built.site, built.router
    env = make_environment(root)
    markdown = MarkdownRenderer(router, set(site.files))
    langs = {code: Lang(code, config, router, markdown) for code in config.languages}
    writer = OutputWriter(config.output_path)
    try:
        for page in plan(site):
            for code, lang in langs.items():
                html = _render(env, page, lang, site, router, langs)
                writer.write(router.path(code, page.kind, page.slug) + "index.html", html)
        default = langs[config.default_language]
        writer.write("404.html", env.get_template("404.html").render(
            site=site, L=default, langs=langs, page={"kind": "404", "slug": None, "url": "",
                                                     "canonical": "", "alternates": []}))
        write_extras(site, router, config, langs, writer)
        for rel in site.files:
            writer.copy(root / "content" / rel, rel)
        for folder in template_folders(root):
            static = folder / "static"
            for path in sorted(static.rglob("*")) if static.is_dir() else []:
                rel = "static/" + path.relative_to(static).as_posix()
                if path.is_file() and rel not in writer.written:
                    writer.copy(path, rel)
        writer.write(".nojekyll", "")
        writer.commit()
    except BaseException:
        writer.abort()
        raise
    built.pages, built.files = writer.pages, len(writer.written)
    built.seconds = time.perf_counter() - started
    return built


def _render(env: jinja2.Environment, page, lang: Lang, site: Site, router: Router,
            langs: dict[str, Lang]) -> str:
    """Render one page; a template mistake becomes a problem naming the template and line."""
    try:
        return render_page(env, page, lang, site, router, langs)
    except Exception as err:  # any error raised while a template runs is the template's
        name, line = _template_position(err, page.template)
        problems = Problems()
        problems.add(f"templates/{name}", line, 1 if line else 0, "", "render_failed",
                     template=page.template, url=router.url(lang.code, page.kind, page.slug),
                     detail=f"{type(err).__name__}: {err}")
        raise ContentError(problems) from err


def _template_position(err: Exception, fallback: str) -> tuple[str, int]:
    """The template file and line where `err` happened (Jinja keeps them in the traceback)."""
    if isinstance(err, jinja2.TemplateSyntaxError):
        return (Path(err.filename or fallback).name, err.lineno or 0)
    for frame in reversed(traceback.extract_tb(err.__traceback__)):
        if frame.filename.endswith(".html"):
            return (Path(frame.filename).name, frame.lineno or 0)
    return (fallback, 0)
