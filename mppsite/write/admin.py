"""The form editor at /admin/: its page (loading Sveltia CMS from the CDN, pinned by Subresource
Integrity) and its config.yml, the same text as the committed schema/admin-config.yml."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mppsite.check import cms_config
from mppsite.core.fingerprint import hash_of

if TYPE_CHECKING:
    import jinja2

    from mppsite.check.config import Config
    from mppsite.write.cache import Outputs

FOLDER = "admin/"


def write_admin(out: Outputs, env: jinja2.Environment, config: Config, site_name: str, site: str) -> None:
    """Write admin/index.html and admin/config.yml; kept when the site's digest `site` (code,
    templates, settings) did not change."""
    digest = hash_of("admin", site, config.repository, cms_config.SVELTIA_URL, cms_config.SVELTIA_INTEGRITY)
    if out.keep_group("admin", digest):
        return
    page = env.get_template("admin.html").render(
        site_name=site_name, script_url=cms_config.SVELTIA_URL, integrity=cms_config.SVELTIA_INTEGRITY)
    out.write("admin", digest, FOLDER + "index.html", page)
    repo = cms_config.repository(config.base_url, config.repository)
    text = cms_config.admin_config_text(config.languages, repo)
    out.write("admin", digest, FOLDER + "config.yml", text)
