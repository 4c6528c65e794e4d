"""Parts rendered once per language (`{% once %}`, mppsite/render/once.py) and
the compiled templates kept on disk."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import jinja2
import pytest
from conftest import ROOT, run, soup

from mppsite.render.once import OnceExtension
from mppsite.render.templates import TemplateBytecode

SHARED_OK = [
    "{% once %}{{ L.t('x') }}{{ site.name }}{% endonce %}",
    "{% once kind=page.kind %}{{ kind }}{% endonce %}",
    "{% once %}{% for x in site.items %}{{ x }}{{ loop.index }}{% else %}-{% endfor %}{% endonce %}",
    "{% once %}{% for key, value in site.pairs if value %}{{ key }}={{ value }}{% endfor %}{% endonce %}",
    "{% once %}{% set y = site.name %}{{ y }}{% endonce %}",
    "{% once %}{% if site %}{% set y = 1 %}{{ y }}{% endif %}{% endonce %}",
    "{% once %}{% set ns = namespace(n=0) %}{% set ns.n = 2 %}{{ ns.n }}{% endonce %}",
    "{% once %}{% with a = site.name %}{{ a }}{% endwith %}{% endonce %}",
    "{% once %}{% macro m(v) %}{{ v }}{% endmacro %}{{ m(site.name) }}{% endonce %}",
    "{% once %}{{ site.name|replace('a', 'b')|trim }}{{ range(3)|join }}{% endonce %}",
]

SHARED_NOT = [
    ("{% once %}{{ page.url }}{% endonce %}", "page"),
    ("{% for s in site.items %}{% once %}{{ s }}{% endonce %}{% endfor %}", "s"),
    ("{% for s in site.items %}{% once %}{{ loop.index }}{% endonce %}{% endfor %}", "loop"),
    ("{% once %}{% include 'partials/footer.html' %}{% endonce %}", "include"),
    ("{% once %}{% if site %}{% set y = 1 %}{% endif %}{{ y }}{% endonce %}", "y"),
    ("{% once %}{% for x in site.items %}{% endfor %}{{ x }}{% endonce %}", "x"),
    ("{% once %}{% set ns.n = 1 %}{% endonce %}", "ns"),
    ("{% once %}{{ head_meta() }}{% endonce %}", "head_meta"),
    ("{% once kind=page.kind %}{{ page.kind }}{% endonce %}", "page"),
]


def _environment() -> jinja2.Environment:
    return jinja2.Environment(extensions=[OnceExtension], autoescape=True)


@pytest.mark.parametrize("source", SHARED_OK)
def test_a_part_that_uses_only_the_language_and_the_site_compiles(source):
    _environment().from_string(source)


@pytest.mark.parametrize(("source", "name"), SHARED_NOT)
def test_a_part_that_reads_the_page_is_refused_when_compiled(source, name):
    with pytest.raises(jinja2.TemplateSyntaxError) as raised:
        _environment().from_string(source)
    assert raised.value.message == (
        "{% once %} shows the same on every page of a language, so it may use only L, site and the "
        f"values named in its tag, not {name}")


class _Lang:
    def __init__(self, code: str):
        self.code = code


def test_a_part_is_rendered_once_per_language_and_named_value():
    template = _environment().from_string(
        "{% for kind in kinds %}{% once k=kind %}[{{ L.code }} {{ k }} {{ site.n.pop() }}]{% endonce %}"
        "{% endfor %}")
    site = {"n": list(range(100))}
    id_, en = _Lang("id"), _Lang("en")
    assert template.render(L=id_, site=site, kinds=["a", "b", "a"]) == "[id a 99][id b 98][id a 99]"
    assert template.render(L=en, site=site, kinds=["a"]) == "[en a 97]"  # its own language's
    assert template.render(L=id_, site=site, kinds=["b"]) == "[id b 98]"  # kept on the language
    assert template.render(L=_Lang("id"), site=site, kinds=["b"]) == "[id b 96]"  # a new build's


def test_the_shared_parts_are_each_pages_own(built_mini: Path):
    """Footer and menu, rendered once per language (and page kind), are right on every page."""
    pages = {rel: soup(built_mini / rel) for rel in (
        "index.html", "layanan/index.html", "instansi/index.html", "layanan/skck/index.html",
        "en/index.html", "en/services/index.html", "en/services/skck/index.html")}
    footers = {rel: str(page.find("footer")) for rel, page in pages.items()}
    assert len({footers[rel] for rel in pages if not rel.startswith("en/")}) == 1
    assert len({footers[rel] for rel in pages if rel.startswith("en/")}) == 1
    assert footers["index.html"] != footers["en/index.html"]
    assert pages["en/index.html"].find("footer").find("h2").get_text() != \
        pages["index.html"].find("footer").find("h2").get_text()

    def current(rel: str) -> list[str]:
        return [a["href"] for a in pages[rel].select("nav.menu a[aria-current=page]")]

    assert current("layanan/index.html") == ["/mpp/layanan/"]
    assert current("instansi/index.html") == ["/mpp/instansi/"]
    assert current("en/services/index.html") == ["/mpp/en/services/"]
    assert current("layanan/skck/index.html") == current("index.html") == []
    assert [a.get_text() for a in pages["en/services/skck/index.html"].select("nav.menu a")] != \
        [a.get_text() for a in pages["layanan/skck/index.html"].select("nav.menu a")]


def test_a_staff_template_whose_part_reads_the_page_is_reported(project: Path):
    (project / "templates" / "partials").mkdir(parents=True)
    footer = (ROOT / "templates" / "partials" / "footer.html").read_text(encoding="utf-8")
    lines = footer.splitlines()
    at = next(index for index, line in enumerate(lines) if line.startswith("<footer"))
    lines.insert(at + 1, '<p>{{ page.url }}</p>')
    (project / "templates" / "partials" / "footer.html").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run(project)
    assert result.code == 1
    once_line = next(index for index, line in enumerate(lines) if line == "{% once %}") + 1
    assert result.lines[0].startswith(f"templates/partials/footer.html:{once_line}:1: a "), result.lines
    assert result.lines[0].endswith(
        "a {% once %} part shows the same on every page of a language, so it may use only L, site and "
        "the values named in its tag, not page"), result.lines
    assert not (project / "output").exists()


def test_without_once_every_page_shows_the_same_head(project: Path, built_mini: Path):
    """`{% once %}` only saves work: a head_meta.html without it (as staff may write one) builds
    the same pages. (Lang.site_meta's memo once hid the method itself after a first call.)"""
    (project / "templates" / "partials").mkdir(parents=True)
    head = (ROOT / "templates" / "partials" / "head_meta.html").read_text(encoding="utf-8")
    assert "{% once %}" in head
    plain = head.replace("{% once %}\n", "").replace("{% endonce %}\n", "")
    (project / "templates" / "partials" / "head_meta.html").write_text(plain, encoding="utf-8")
    result = run(project)
    assert result.code == 0, result.err
    def unversioned(path: Path) -> bytes:  # a page carries its input digest: other templates, other one
        return re.sub(rb'data-version="[0-9a-f]+"', b"", path.read_bytes())

    for page in ("index.html", "en/index.html", "layanan/skck/index.html"):
        assert unversioned(project / "output" / page) == unversioned(built_mini / page), page


def test_a_method_that_does_not_exist_is_a_template_error_with_its_line(project: Path):
    (project / "templates").mkdir()
    (project / "templates" / "tenant.html").write_text(
        '{% extends "base.html" %}\n{% block main %}\n{{ L.no_such_method(tenant) }}\n{% endblock %}\n',
        encoding="utf-8")
    result = run(project)
    assert result.code == 1
    assert result.lines[0].startswith("templates/tenant.html:3:1: template tenant.html failed"), result.lines
    assert "no_such_method" in result.err


def test_templates_compiled_by_other_code_are_not_used(tmp_path: Path):
    folder = tmp_path / "templates"
    folder.mkdir()
    env = jinja2.Environment(loader=jinja2.DictLoader({"a.html": "{{ 1 + 1 }}"}))
    env.bytecode_cache = TemplateBytecode(str(folder), "a" * 64)
    assert env.get_template("a.html").render() == "2"
    kept = sorted(path.name for path in folder.iterdir())
    assert len(kept) == 1 and kept[0].startswith("a" * 16 + "-")
    (folder / "unrelated-leftover.cache").write_bytes(b"x")
    env = jinja2.Environment(loader=jinja2.DictLoader({"a.html": "{{ 1 + 1 }}"}))
    env.bytecode_cache = TemplateBytecode(str(folder), "b" * 64)  # other code: the old ones go
    assert sorted(path.name for path in folder.iterdir()) == []
    assert env.get_template("a.html").render() == "2"
    assert [path.name[:17] for path in folder.iterdir()] == ["b" * 16 + "-"]
    shutil.rmtree(folder)
    TemplateBytecode(str(folder), "c" * 64)  # a missing folder is no error
