"""QR codes for the printed service standards, drawn at build time as small inline SVG.

segno (pure Python) encodes the URL; we draw the dark modules as one path of horizontal runs
(a move to each row's first run, then relative moves), which keeps a code of a typical service
URL near 2 KB of markup, with no JavaScript and no outside service. The same URL always gives
the same bytes.

The mask pattern is fixed instead of chosen by segno's penalty scoring: every one of the eight
masks is valid and decodes, and scoring them all is three quarters of the encoding time (about
4 ms a code), more than a minute for 10,000 services in two languages.

Even so, segno walks every module of the symbol in Python for each code (1.3 ms for a service
URL; 20,000 codes at 10,000 services). Everything but the message is the same for every code of
one version and error level: the finder, timing and alignment patterns, the format and version
information, the mask, and the order in which message bits fill the symbol. `_order` has segno
build that once (its own pattern functions and tables), as where each module of the symbol
takes its colour from: a module of a pattern from itself, a message module from a bit of the
message, as it is or inverted where the mask darkens it. `_marked` then makes the message (byte
mode, padding and Reed-Solomon codewords as segno makes them, a byte of the division a step:
`_products`) and picks every module's colour from its bits in one C-level step, row after row
with a mark between them. The result is the same symbol as `segno.make_qr(text,
error=ERROR_LEVEL, mask=MASK)`, module for module: the tests compare the two on every URL of the
bundled site and on thousands of random texts. Texts that segno would not encode in byte mode
alone (non-ASCII, digits only, upper-case alphanumerics) go to segno itself. Symbol and path of a
service URL: 43 us (the symbol's rows as bytes, the first block's error codewords re-used).
"""

from __future__ import annotations

import re
from functools import cache
from itertools import chain
from operator import itemgetter
from typing import Any

from markupsafe import Markup, escape

# segno, imported on the first code drawn (`load`): importing it took 17 ms, which a rebuild
# whose changed pages this process does not draw does without.
segno: Any = None
consts: Any = None
encoder: Any = None

QUIET_ZONE = 4  # modules of light margin around the symbol, as ISO/IEC 18004 asks
MASK = 2  # every third column; any of the eight is valid (the tests decode the printed codes)
ERROR_LEVEL = "m"  # 15 % of the symbol may be soiled or torn; raised when it fits in the same size


@cache
def modules(text: str) -> tuple[int, str]:
    """The symbol's side (with quiet zone) and the SVG path of its dark modules, for `text`.

    The path starts at the symbol's top left corner and moves only relatively: each step is the
    way to a run of dark modules (along the row, or down to a later row) and the run. One
    regular expression cuts the symbol, its rows joined by "|", into steps ("00|0011": two
    light modules to the row's end, then two light and two dark on the next row; up to three
    more runs of that row may follow), and each step's path text is looked up (`_Steps`): a
    step tells where it goes from how many modules it passes, given the symbol's width. Cached
    without bound (about 2 KB a URL): the tenants' print pages, rendered after all the service
    pages, draw the same codes again.
    """
    width, marked = _marked_any(text)
    steps = _STEPS.get(width) or _STEPS.setdefault(width, _Steps(width))
    path = "".join(map(steps.__getitem__, _STEP.findall(marked)))
    # From the top left corner: the first step is 'm0 0h7' (a finder pattern starts the row).
    return width + 2 * QUIET_ZONE, _START + path.removeprefix("m0 0")


_START = f"M{QUIET_ZONE} {QUIET_ZONE}"  # the first row's first module
_RUN = re.compile(b"0*1+")  # "0011": two light modules, then two dark
# Up to four runs: fewer, longer matches are faster (and bytes faster than text).
_STEP = re.compile(b"[0|]*+1++(?:0++1++){0,3}")


class _Steps(dict):
    """A step's path text, for symbols of one width: "0011" -> 'm2 0h2' (two light modules,
    then a run of two, from where the last run ended); "00|0011" -> 'm{4 - width} 1h2' (down a
    row, from two modules before its end to two after the next one's start). About 8,500 steps
    at 10,000 services in two languages."""

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


def load() -> None:
    """Import segno, once (a build does it ahead of time, see pipeline._prepare)."""
    global segno, consts, encoder, _LEVELS, _ALPHANUMERIC
    if encoder is None:
        import segno as library
        from segno import consts as constants
        from segno import encoder as encoding

        segno, consts, encoder = library, constants, encoding
        _LEVELS = (consts.ERROR_LEVEL_L, consts.ERROR_LEVEL_M, consts.ERROR_LEVEL_Q, consts.ERROR_LEVEL_H)
        _ALPHANUMERIC = frozenset(consts.ALPHANUMERIC_CHARS.decode("ascii"))


def matrix(text: str) -> list[str]:
    """The symbol's rows as strings of "1" (dark) and "0" (light), without the quiet zone."""
    return _marked_any(text)[1].decode("ascii").split("|")


def _marked_any(text: str) -> tuple[int, bytes]:
    """The symbol's width and its rows joined by "|", as bytes (segno's own for what
    `_fast_version` leaves to it)."""
    fast = _fast_version(text)
    if fast is None:
        code = segno.make_qr(text, error=ERROR_LEVEL, mask=MASK)
        rows = ["".join("1" if module else "0" for module in row) for row in code.matrix]
        return len(rows), "|".join(rows).encode("ascii")
    return encoder.calc_matrix_size(fast[0]), _marked(text.encode("ascii"), *fast)


_LEVELS: tuple[int, ...] = ()  # segno's error levels, low to high (`load`)
_ALPHANUMERIC: frozenset[str] = frozenset()  # the characters of its alphanumeric mode (`load`)


def _fast_version(text: str) -> tuple[int, int] | None:
    """(version, error level) segno picks for `text` in byte mode, or None to let segno decide.

    Smallest version at level ERROR_LEVEL, then the error level raised as far as the data still
    fits that version (segno's `boost_error`).
    """
    load()
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
    """Where each module of the symbol, row after row with "|" between them, takes its colour
    from, as a function of one string: the message's bits (M of them), the same inverted, then
    "0", "1" and "|". A module of a pattern or of the format and version information is "0" or
    "1" as segno draws it; a message module is its bit, inverted where the mask darkens it; the
    few modules past the message (remainder bits) are the mask's."""
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
            known = _FIRST_BLOCKS.get((extra, block)) if at == 0 else None
            at += info.num_data
            if known is None:
                remainder = 0  # Reed-Solomon remainder as one number, a byte a step (segno's make_blocks)
                for byte in block:
                    remainder = ((remainder << 8) & window) ^ products[byte ^ (remainder >> top)]
                known = remainder.to_bytes(extra, "big")
                if at == info.num_data and at < len(stream) and len(_FIRST_BLOCKS) < _FIRST_BLOCKS_MAX:
                    _FIRST_BLOCKS[extra, block] = known
            data_blocks.append(block)
            error_blocks.append(known)
    message = _interleaved(data_blocks) + _interleaved(error_blocks)
    bits = format(int.from_bytes(message, "big"), f"0{8 * len(message)}b")
    return bytes(_order(version, error)((bits + bits.translate(_INVERTED) + "01|").encode("ascii")))


_INVERTED = str.maketrans("01", "10")
# The error codewords of the first block of a message of several, by their count and its bytes:
# it holds the length and the start of the URL, the same for every service page of a language
# whose address is as long (about half the Reed-Solomon work of a service URL).
_FIRST_BLOCKS: dict[tuple[int, bytes], bytes] = {}
_FIRST_BLOCKS_MAX = 4096  # about 0.4 MB; a site whose first blocks all differ stops adding at this


def _interleaved(blocks: list[bytes]) -> bytes:
    """The first byte of each block, then the second of each, and so on (segno's make_final_message).
    Blocks differ by one byte at most: the longer ones' last bytes come last."""
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
    """An inline <svg> QR code of `text`, named `label` for screen readers; sized by CSS.

    The path's runs lie on whole-numbered rows; moved down half a module, its stroke (one
    module wide) covers each row from its top edge to its bottom edge."""
    side, path = modules(text)
    return Markup(
        f'<svg class="qr" viewBox="0 0 {side} {side}" role="img" aria-label="{escape(label)}">'
        f'<path d="{path}" transform="translate(0 .5)" stroke="#000" shape-rendering="crispEdges"/></svg>')
