"""QR codes for the printed service standards, drawn at build time as small inline SVG.

segno (pure Python) encodes the URL; we draw the dark modules as one path of horizontal runs
with relative moves, which keeps a code of a typical service URL near 2 KB of markup, with no
JavaScript and no outside service. The same URL always gives the same bytes.

The mask pattern is fixed instead of chosen by segno's penalty scoring: every one of the eight
masks is valid and decodes, and scoring them all is three quarters of the encoding time (about
4 ms a code), more than a minute for 10,000 services in two languages.
"""

from __future__ import annotations

from functools import cache

import segno
from markupsafe import Markup, escape

QUIET_ZONE = 4  # modules of light margin around the symbol, as ISO/IEC 18004 asks
MASK = 2  # every third column; any of the eight is valid (the tests decode the printed codes)
ERROR_LEVEL = "m"  # 15 % of the symbol may be soiled or torn; raised when it fits in the same size


@cache
def modules(text: str) -> tuple[int, str]:
    """The symbol's side (with quiet zone) and the SVG path of its dark modules, for `text`.

    Cached without bound (about 2 KB a URL): the tenants' print pages, rendered after all the
    service pages, draw the same codes again.
    """
    code = segno.make_qr(text, error=ERROR_LEVEL, mask=MASK)
    parts: list[str] = []
    pen_x, pen_y = 0, 0  # where the last run ended, in module units (y at the row's centre line)
    first = True
    for row, line in enumerate(code.matrix):
        x, width = 0, len(line)
        while x < width:
            if not line[x]:
                x += 1
                continue
            start = x
            while x < width and line[x]:
                x += 1
            left, y = start + QUIET_ZONE, row + QUIET_ZONE
            if first:
                parts.append(f"M{left} {y}.5h{x - start}")
                first = False
            else:
                parts.append(f"m{left - pen_x} {y - pen_y}h{x - start}")
            pen_x, pen_y = x + QUIET_ZONE, y
    side = len(code.matrix) + 2 * QUIET_ZONE
    return side, "".join(parts)


def svg(text: str, label: str) -> Markup:
    """An inline <svg> QR code of `text`, named `label` for screen readers; sized by CSS."""
    side, path = modules(text)
    return Markup(
        f'<svg class="qr" viewBox="0 0 {side} {side}" role="img" aria-label="{escape(label)}">'
        f'<path d="{path}" stroke="#000" shape-rendering="crispEdges"/></svg>')
