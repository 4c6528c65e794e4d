"""Files besides the pages: open data, feeds, sitemap, robots.txt (written after the pages)."""

from __future__ import annotations

from .config import Config
from .model import Site
from .render import Lang
from .routes import Router
from .write import OutputWriter


def write_extras(site: Site, router: Router, config: Config, langs: dict[str, Lang],
                 writer: OutputWriter) -> None:
    """Write every non-page file of the site into `writer`."""
