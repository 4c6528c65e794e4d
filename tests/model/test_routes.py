"""The URL table: registering a whole plan at once gives what registering page by page gives."""

from __future__ import annotations

import pytest

from mppsite.model.routes import DuplicateRoute, Router, load_segments
from mppsite.pipeline import prepare


def table(router: Router) -> tuple:
    return (router.pages(), router._owner, router._by_default_path, router._keys)


@pytest.mark.parametrize("base_path", ["/", "/mppsite/"])
def test_registering_all_pages_at_once_gives_the_same_table(project, base_path):
    keys = [(page.kind, page.slug) for page in prepare(project).planned]
    assert len(keys) > 15 and ("service", "skck") in keys and ("tenant_print", "polres") in keys
    one_by_one, at_once = (Router(("id", "en"), load_segments(), base_path) for _ in range(2))
    for key in keys:
        one_by_one.register(*key)
    assert at_once.register_all(keys)
    assert table(at_once) == table(one_by_one)
    assert list(at_once.pages()) == keys  # in plan order (the sitemap's order)
    assert at_once.url("en", "service", "skck") == f"{base_path}en/services/skck/"
    assert at_once.resolve("/layanan/skck/") == ("service", "skck")


def test_a_clash_registers_nothing_at_once_and_is_found_page_by_page():
    router = Router(("id", "en"), load_segments(), "/")
    keys = [("home", None), ("service", "ktp-el"), ("page", "layanan"), ("services", None)]
    assert not router.register_all(keys)  # /layanan/ is the services list and a free page
    assert router.pages() == {} and router._owner == {}
    assert not router.register_all([("service", "a"), ("service", "a")])  # one key twice
    for key in keys[:3]:
        router.register(*key)
    with pytest.raises(DuplicateRoute, match="layanan"):
        router.register(*keys[3])
