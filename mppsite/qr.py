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
information, the mask, and the order in which message bits fill the symbol. `_layout` has segno
build that once (its own pattern functions and tables), as one number; `_symbol` then writes
only the message (byte mode, padding and Reed-Solomon codewords as segno makes them) into it, a
byte of the Reed-Solomon division and four bits of the message at a time (`_products`,
`_nibbles`). The result is the same symbol as `segno.make_qr(text, error=ERROR_LEVEL,
mask=MASK)`, module for module: the tests compare the two on every URL of the bundled site and
on thousands of random texts. Texts that segno would not encode in byte mode alone (non-ASCII,
digits only, upper-case alphanumerics) go to segno itself. Symbol and path of a service URL:
0.1 ms.
"""

from __future__ import annotations

import re
from functools import cache
from itertools import zip_longest
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

    Each row starts with an absolute move; its runs of dark modules follow as relative moves.
    One regular expression cuts the whole symbol into steps of up to two runs (a mark before
    each row tells which row a step starts), and each step's path text is looked up: a code
    of a service URL took 0.09 ms a row at a time, 0.04 ms so. Cached without bound (about
    2 KB a URL): the tenants' print pages, rendered after all the service pages, draw the same
    codes again.
    """
    lines = matrix(text)
    path = "".join(map(_STEPS.__getitem__, _STEP.findall("".join(map(str.__add__, _ROW_MARKS, lines)))))
    return len(lines) + 2 * QUIET_ZONE, path


_ROW_MARKS = tuple(chr(0x100 + row) for row in range(177))  # 177: the side of the largest symbol
_RUN = re.compile("0*1+")  # "0011": two light modules, then two dark
_STEP = re.compile("[\u0100-\u01b0](?:0*1+){1,2}|(?:0*1+){1,2}")


class _Steps(dict):
    """A step's path text: a row's mark and first run ("0011", two light modules then two dark,
    on row 2) -> 'M6 6h2', absolute, past the quiet zone; a later run -> 'm2 0h2', from where
    the last one ended. Some 1,600 steps at 10,000 services in two languages."""

    def __missing__(self, step: str) -> str:
        runs = [(run.index("1"), run.count("1")) for run in _RUN.findall(step)]  # (light, dark)
        parts = [f"m{light} 0h{dark}" for light, dark in runs]
        if step[0] > "1":  # a row's mark (not part of a run): its first run starts at the left edge
            light, dark = runs[0]
            parts[0] = f"M{light + QUIET_ZONE} {ord(step[0]) - 0x100 + QUIET_ZONE}h{dark}"
        path = self[step] = "".join(parts)
        return path


_STEPS = _Steps()


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
    fast = _fast_version(text)
    if fast is None:
        code = segno.make_qr(text, error=ERROR_LEVEL, mask=MASK)
        return ["".join("1" if module else "0" for module in row) for row in code.matrix]
    version, error = fast
    width = encoder.calc_matrix_size(version)
    bits = format(_symbol(text.encode("ascii"), version, error), f"0{width * width}b")
    return [bits[start: start + width] for start in range(0, width * width, width)]


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
def _layout(version: int, error: int) -> tuple[int, tuple[tuple[int, ...], ...]]:
    """The symbol with an all-zero message, as one number of width x width bits (row 0 and
    column 0 the highest), and for each message codeword the bit its eight bits go to, first
    bit first."""
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
                    places.append(1 << (width * (width - row) - 1 - column))
    encoder.find_and_apply_best_mask(symbol, width, width, MASK)  # the given mask: no scoring
    encoder.add_format_info(symbol, version, error, MASK)
    encoder.add_version_info(symbol, version)
    bits = int("".join("1" if module else "0" for line in symbol for module in line), 2)
    codewords = tuple(tuple(places[8 * index: 8 * index + 8]) for index in range(len(places) // 8))
    return bits, codewords


def _symbol(data: bytes, version: int, error: int) -> int:
    """The symbol of `data` (byte mode), bits as in `_layout`: the layout with the message written in."""
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
    for info in consts.ECC[version][error]:
        extra = info.num_total - info.num_data
        products, top = _products(extra), 8 * (extra - 1)
        window = (1 << 8 * extra) - 1
        for _ in range(info.num_blocks):
            block = stream[at: at + info.num_data]
            at += info.num_data
            remainder = 0  # Reed-Solomon remainder as one number, a byte a step (segno's make_blocks)
            for byte in block:
                remainder = ((remainder << 8) & window) ^ products[byte ^ (remainder >> top)]
            data_blocks.append(block)
            error_blocks.append(remainder.to_bytes(extra, "big"))
    message = bytes(cw for column in zip_longest(*data_blocks) for cw in column if cw is not None)
    message += bytes(cw for column in zip_longest(*error_blocks) for cw in column if cw is not None)
    symbol = _layout(version, error)[0]
    for byte, (high, low) in zip(message, _nibbles(version, error), strict=False):
        symbol ^= high[byte >> 4] ^ low[byte & 15]
    return symbol


@cache
def _nibbles(version: int, error: int) -> tuple[tuple[tuple[int, ...], tuple[int, ...]], ...]:
    """For each message codeword, the bits that each value of its high and of its low four bits
    sets in the symbol. A codeword costs two look-ups and two exclusive ors of the whole symbol
    (a number of some 1,100 bits) instead of eight bit tests; about 0.5 MB of tables a version."""
    tables = []
    for places in _layout(version, error)[1]:
        tables.append(tuple(tuple(sum(bit for index, bit in enumerate(half) if value & (8 >> index))
                                  for value in range(16))
                            for half in (places[:4], places[4:])))
    return tuple(tables)


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
