"""The `{% once %}` template tag: a part that is the same on every page of a language (the footer,
the menu, the opening hours: a seventh of rendering a service page), rendered once per build and
language and kept on `L`.

    {% once kind=page.kind %}… {% if kind == 'services' %} …{% endonce %}

A value named in the tag (a plain text or number) becomes part of the key. When the template is
compiled, the part is checked to read only `L`, `site`, the values named in its tag and names it
sets itself; anything else (`page`, a macro, an include) is a template error.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Hashable
from typing import Any, ClassVar

from jinja2 import nodes
from jinja2.exceptions import TemplateSyntaxError
from jinja2.ext import Extension
from jinja2.parser import Parser
from markupsafe import Markup

SHARED = frozenset({"L", "site"})  # the same on every page of one language in one build
# Jinja's own globals that give the same for the same arguments
PURE_GLOBALS = frozenset({"range", "dict", "namespace", "cycler", "joiner"})
FORBIDDEN = (nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends, nodes.Block)
_UNNAMED = (f"<template {number}>" for number in itertools.count())


class OnceReadsPage(TemplateSyntaxError):
    """A `{% once %}` part that reads more than it may; `problem`: the build's message key and words."""

    problem: tuple[str, dict[str, str]] = ("template_once_reads", {})


class OnceExtension(Extension):
    """`{% once [name=value, …] %} … {% endonce %}`: see the module's docstring."""

    tags: ClassVar[set[str]] = {"once"}

    def parse(self, parser: Parser) -> nodes.Node:
        lineno = next(parser.stream).lineno
        params: list[nodes.Name] = []
        values: list[nodes.Expr] = []
        while parser.stream.current.type != "block_end":
            if params:
                parser.stream.expect("comma")
            target = parser.stream.expect("name")
            parser.stream.expect("assign")
            params.append(nodes.Name(target.value, "param", lineno=target.lineno))
            values.append(parser.parse_expression())
        body = parser.parse_statements(("name:endonce",), drop_needle=True)
        unshared = _free_names(body, SHARED | PURE_GLOBALS | {param.name for param in params})
        if unshared:
            names = ", ".join(sorted(unshared))
            error = OnceReadsPage(f"{{% once %}} shows the same on every page of a language, so it may "
                                  f"use only L, site and the values named in its tag, not {names}",
                                  lineno, parser.name, parser.filename)
            error.problem = ("template_once_reads", {"names": names})
            raise error
        # The part's key: its template and line (a template made from a string has no name).
        key = nodes.Const(f"{parser.name if parser.name is not None else next(_UNNAMED)}:{lineno}")
        call = self.call_method("_once", [key, nodes.Name("L", "load"), nodes.Tuple(values, "load")])
        return nodes.CallBlock(call, params, [], body).set_lineno(lineno)

    @staticmethod
    def _once(key: str, L: Any, values: tuple[Hashable, ...], caller: Callable[..., Markup]) -> Markup:
        kept: dict[tuple[str, tuple[Hashable, ...]], Markup] = L.__dict__.setdefault("once", {})
        try:
            found = kept.get((key, values))
        except TypeError:  # a value that is no key (a list, say): rendered every time
            return caller(*values)
        if found is None:
            found = kept[(key, values)] = caller(*values)
        return found


def _free_names(body: list[nodes.Node], allowed: frozenset[str] | set[str]) -> set[str]:
    """The names `body` reads that it does not set itself and are not `allowed` (an include counts
    by its tag's name). A name is set only for what follows its `{% set %}` in the same statements:
    one set inside an `{% if %}` may not have been, and the page's variable would be read instead."""
    reads = _Reads()
    reads.sequence(body, frozenset(allowed))
    return reads.found


class _Reads:
    """The walk of `_free_names`: `walk` visits a node and gives the names bound after it."""

    def __init__(self) -> None:
        self.found: set[str] = set()

    def sequence(self, statements: list[nodes.Node], bound: frozenset[str]) -> None:
        for statement in statements:
            bound = self.walk(statement, bound)

    def walk(self, node: nodes.Node, bound: frozenset[str]) -> frozenset[str]:
        if isinstance(node, FORBIDDEN):
            self.found.add(type(node).__name__.lower())
        elif isinstance(node, (nodes.Name, nodes.NSRef)):
            if (isinstance(node, nodes.NSRef) or node.ctx == "load") and node.name not in bound:
                self.found.add(node.name)
        elif isinstance(node, nodes.For):
            self.walk_for(node, bound)
        elif isinstance(node, (nodes.Macro, nodes.CallBlock)):
            return self.walk_macro(node, bound)
        elif isinstance(node, nodes.With):
            for value in node.values:
                self.walk(value, bound)
            self.sequence(node.body, bound | {name for target in node.targets for name in _targets(target)})
        elif isinstance(node, (nodes.Assign, nodes.AssignBlock)):
            return self.walk_assign(node, bound)
        elif isinstance(node, nodes.If):
            self.walk(node.test, bound)
            self.sequence(node.body, bound)
            for branch in node.elif_:
                self.walk(branch, bound)
            self.sequence(node.else_, bound)
        else:
            for child in node.iter_child_nodes():
                self.walk(child, bound)
        return bound

    def walk_for(self, node: nodes.For, bound: frozenset[str]) -> None:
        self.walk(node.iter, bound)
        inner = bound | _targets(node.target) | {"loop"}
        if node.test is not None:
            self.walk(node.test, inner)
        self.sequence(node.body, inner)
        self.sequence(node.else_, bound)

    def walk_macro(self, node: nodes.Macro | nodes.CallBlock, bound: frozenset[str]) -> frozenset[str]:
        for default in node.defaults:
            self.walk(default, bound)
        if isinstance(node, nodes.CallBlock):
            self.walk(node.call, bound)
        self.sequence(node.body, bound | {arg.name for arg in node.args} | {"caller", "varargs", "kwargs"})
        return bound | {node.name} if isinstance(node, nodes.Macro) else bound

    def walk_assign(self, node: nodes.Assign | nodes.AssignBlock, bound: frozenset[str]) -> frozenset[str]:
        if isinstance(node, nodes.Assign):
            self.walk(node.node, bound)
        else:
            self.sequence(node.body, bound)
            if node.filter is not None:
                self.walk(node.filter, bound)
        self.walk(node.target, bound)  # (a namespace's attribute: the namespace is read)
        return bound | _targets(node.target)


def _targets(target: nodes.Node) -> frozenset[str]:
    """The names an assignment's or a loop's target sets (`x`, `key, value`)."""
    if isinstance(target, nodes.Name):
        return frozenset({target.name})
    return frozenset(name.name for name in target.find_all(nodes.Name))
