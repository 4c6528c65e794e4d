"""QR codes for the printed service standards, drawn at build time as small inline SVG.

The dark modules become one path of horizontal runs, with no JavaScript and no outside service.
Every code of one version and error level shares its layout but for the message: `_order` has
segno build that layout once, and `_marked` fills in a message made as segno makes it. The result
is `segno.make_qr(text, error=ERROR_LEVEL, mask=MASK)` module for module (tested); texts segno
would not encode in byte mode go to segno itself. A cold build of 10,000 services takes 12 s with
it, 20 s with segno alone (of 1,000: 1.7 s, 2.4 s).
"""

from __future__ import annotations

import re
from functools import cache
from itertools import chain
from operator import itemgetter
from typing import Any

import segno
from markupsafe import Markup, escape
from segno import consts, encoder

QUIET_ZONE = 4  # modules of light margin around the symbol, as ISO/IEC 18004 asks
MASK = 2  # fixed: scoring all eight was most of segno's time, and any of them decodes (tested)
ERROR_LEVEL = "m"  # 15 % of the symbol may be soiled or torn; raised when it fits in the same size


@cache
def modules(text: str) -> tuple[int, str]:
    """The symbol's side (with quiet zone) and the SVG path of its dark modules, for `text`.

    `_STEP` cuts the rows into relative moves to a run of dark modules and the run ("00|0011":
    next row, two light, two dark). Cached: the tenants' print pages draw the same codes again.
    """
    width, marked = _marked_any(text)
    steps = _STEPS.get(width) or _STEPS.setdefault(width, _Steps(width))
    path = "".join(map(steps.__getitem__, _STEP.findall(marked)))
    # From the top left corner: the first step is 'm0 0h7' (a finder pattern starts the row).
    return width + 2 * QUIET_ZONE, _START + path.removeprefix("m0 0")


_START = f"M{QUIET_ZONE} {QUIET_ZONE}"  # the first row's first module
_RUN = re.compile(b"0*1+")  # "0011": two light modules, then two dark
# A step and up to three more runs of its row.
_STEP = re.compile(b"[0|]*+1++(?:0++1++){0,3}")


class _Steps(dict):
    """A step's path text, for symbols of one width: "0011" -> 'm2 0h2' (two light modules, then
    a run of two, from where the last run ended); "00|0011" -> 'm{4 - width} 1h2' (down a row)."""

    def __init__(self, width: int):
        super().__init__()
        self.width = width

    def __missing__(self, step: bytes) -> str:
        rows = step.count(b"|")
        later = step.rpartition(b"|")[2]  # the runs, on the step's last row
        runs = [(run.index(b"1"), run.count(b"1")) for run in _RUN.findall(later)]
        parts = [f"m{light} 0h{dark}" for light, dark in runs]
        if rows:  # from the end of the last run (its row's end less the light modules after it)
            light, dark = runs[0]
            parts[0] = f"m{light - (self.width - step.index(b'|'))} {rows}h{dark}"
        path = self[step] = "".join(parts)
        return path


_STEPS: dict[int, _Steps] = {}


def matrix(text: str) -> list[str]:
    """The symbol's rows as strings of "1" (dark) and "0" (light), without the quiet zone."""
    return _marked_any(text)[1].decode("ascii").split("|")


def _marked_any(text: str) -> tuple[int, bytes]:
    """The symbol's width and its rows joined by "|", as bytes."""
    fast = _fast_version(text)
    if fast is None:
        code = segno.make_qr(text, error=ERROR_LEVEL, mask=MASK)
        rows = ["".join("1" if module else "0" for module in row) for row in code.matrix]
        return len(rows), "|".join(rows).encode("ascii")
    return encoder.calc_matrix_size(fast[0]), _marked(text.encode("ascii"), *fast)


_LEVELS = (consts.ERROR_LEVEL_L, consts.ERROR_LEVEL_M, consts.ERROR_LEVEL_Q, consts.ERROR_LEVEL_H)
_ALPHANUMERIC = frozenset(consts.ALPHANUMERIC_CHARS.decode("ascii"))


def _fast_version(text: str) -> tuple[int, int] | None:
    """(version, error level) segno picks for `text` in byte mode, or None to let segno decide:
    the smallest version at ERROR_LEVEL, then the level raised while the data fits (`boost_error`)."""
    if not text or not text.isascii() or text.isdigit() or set(text) <= _ALPHANUMERIC:
        return None
    error = consts.ERROR_MAPPING[ERROR_LEVEL.upper()]
    for version in range(1, 41):
        bits = _data_bits(len(text), version)
        if consts.SYMBOL_CAPACITY[version][error] >= bits:
            for higher in _LEVELS[_LEVELS.index(error) + 1:]:
                if consts.SYMBOL_CAPACITY[version][higher] >= bits:
                    error = higher
                else:
                    break
            return version, error
    return None  # too long for any QR code: segno says so


def _data_bits(length: int, version: int) -> int:
    """Mode indicator, character count and the bytes, in bits."""
    count = consts.CHAR_COUNT_INDICATOR_LENGTH[consts.MODE_BYTE][encoder.version_range(version)]
    return 4 + count + 8 * length


@cache
def _order(version: int, error: int) -> Any:
    """Picks the symbol's rows, joined by "|", out of one string: the message's M bits, the same
    inverted (where the mask darkens a module), then "0", "1" (segno's patterns and remainder
    bits) and "|"."""
    width = encoder.calc_matrix_size(version)
    symbol = encoder.make_matrix(width, width)
    encoder.add_finder_patterns(symbol, width, width)
    encoder.add_alignment_patterns(symbol, width, width)
    places = []
    for right in range(width - 1, 0, -2):  # the walk of segno's add_codewords (QR codes, not micro)
        if right <= 6:
            right -= 1
        for vertical in range(width):
            for z in (0, 1):
                column = right - z
                upwards = ((right & 2) == 0) ^ (column < 6)
                row = (width - 1 - vertical) if upwards else vertical
                if symbol[row][column] == 0x2:
                    symbol[row][column] = 0
                    places.append((row, column))
    encoder.find_and_apply_best_mask(symbol, width, width, MASK)  # the given mask: no scoring
    encoder.add_format_info(symbol, version, error, MASK)
    encoder.add_version_info(symbol, version)
    bits = 8 * (len(places) // 8)  # the message's; the rest are remainder bits
    zero, one, mark = 2 * bits, 2 * bits + 1, 2 * bits + 2
    sources = [[one if module else zero for module in line] for line in symbol]
    for index, (row, column) in enumerate(places[:bits]):
        sources[row][column] = index + bits if symbol[row][column] else index  # the mask darkens it
    return itemgetter(*[source for line in sources for source in (*line, mark)][:-1])


def _marked(data: bytes, version: int, error: int) -> bytes:
    """The symbol of `data` (byte mode), its rows of "1" and "0" joined by "|"."""
    capacity = consts.SYMBOL_CAPACITY[version][error]
    count = consts.CHAR_COUNT_INDICATOR_LENGTH[consts.MODE_BYTE][encoder.version_range(version)]
    value, length = (consts.MODE_BYTE << count) | len(data), 4 + count
    value, length = (value << 8 * len(data)) | int.from_bytes(data, "big"), length + 8 * len(data)
    terminator = min(capacity - length, 4)
    value, length = value << terminator, length + terminator
    padding = 8 - length % 8  # as segno: a whole zero byte when already on a byte boundary
    value, length = value << padding, length + padding
    for index in range(capacity // 8 - length // 8):
        value, length = (value << 8) | (0xEC, 0x11)[index % 2], length + 8
    stream = value.to_bytes(length // 8, "big")
    data_blocks, error_blocks = [], []
    at = 0
    groups = consts.ECC[version][error]
    for info in groups:
        extra = info.num_total - info.num_data
        products, top = _products(extra), 8 * (extra - 1)
        window = (1 << 8 * extra) - 1
        for _ in range(info.num_blocks):
            block = stream[at: at + info.num_data]
            at += info.num_data
            remainder = 0  # the Reed-Solomon remainder, a byte a step (segno's make_blocks)
            for byte in block:
                remainder = ((remainder << 8) & window) ^ products[byte ^ (remainder >> top)]
            data_blocks.append(block)
            error_blocks.append(remainder.to_bytes(extra, "big"))
    message = _interleaved(data_blocks) + _interleaved(error_blocks)
    bits = format(int.from_bytes(message, "big"), f"0{8 * len(message)}b")
    return bytes(_order(version, error)((bits + bits.translate(_INVERTED) + "01|").encode("ascii")))


_INVERTED = str.maketrans("01", "10")


def _interleaved(blocks: list[bytes]) -> bytes:
    """The first byte of each block, then the second of each, and so on (segno's
    make_final_message); blocks differ by one byte at most, the longer ones' last come last."""
    if len(blocks) == 1:
        return blocks[0]
    shortest = min(map(len, blocks))
    columns = bytes(chain.from_iterable(zip(*blocks, strict=False)))  # as far as the shortest goes
    return columns + bytes(block[-1] for block in blocks if len(block) > shortest)


@cache
def _products(extra: int) -> tuple[int, ...]:
    """For each leading coefficient, its product with the generator polynomial of `extra`
    error codewords (the leading term left out), as one number of `extra` bytes."""
    exp, log, generator = consts.GALIOS_EXP, consts.GALIOS_LOG, consts.GEN_POLY[extra]
    return (0, *(int.from_bytes(bytes(exp[log[coefficient] + term] for term in generator[:extra]), "big")
                 for coefficient in range(1, 256)))


def svg(text: str, label: str) -> Markup:
    """An inline <svg> QR code of `text`, named `label` for screen readers; sized by CSS. The runs
    lie on whole-numbered rows: moved down half a module, the stroke covers each row exactly."""
    side, path = modules(text)
    return Markup(
        f'<svg class="qr" viewBox="0 0 {side} {side}" role="img" aria-label="{escape(label)}">'
        f'<path d="{path}" transform="translate(0 .5)" stroke="#000" shape-rendering="crispEdges"/></svg>')
