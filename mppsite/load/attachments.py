"""Attached files (content/files/): which of them may be published, and why not the others.

Attachments come from untrusted hands and are served on a github.io origin shared with the
organisation's other sites, where a page (HTML, script, an SVG with script) would run as one of
them. So only the document and picture types below are published, only when their bytes are what
their name says, and an SVG only when it holds nothing but drawing (an allow-list, no DTD).
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath
from typing import Any
from xml.parsers import expat

Verdict = tuple[str, dict[str, Any]] | None  # None: may be published; else (message key, params)

MB = 1024 * 1024
LARGE_BYTES = 10 * MB  # above this, warn: citizens download on slow, metered mobile data
WHOLE_READ_CAP = 5 * MB  # SVG and text are read whole to check them; larger ones are refused
HEAD_BYTES = 512  # enough for every signature below, the ODF mimetype member included

# Suffix (lower-case) -> kind of content: the one list of what staff may attach.
ALLOWED_SUFFIXES: dict[str, str] = {
    ".pdf": "pdf",
    ".doc": "ole", ".xls": "ole", ".ppt": "ole",
    ".docx": "ooxml", ".xlsx": "ooxml", ".pptx": "ooxml",
    ".odt": "odf", ".ods": "odf", ".odp": "odf",
    ".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg", ".webp": "webp",
    ".txt": "text", ".csv": "text",
    ".svg": "svg",
}
# Without dots, so that it stays under problems.MAX_SHOWN characters.
ALLOWED_SHOWN = " ".join(suffix[1:] for suffix in ALLOWED_SUFFIXES)

SIGNATURES: dict[str, bytes] = {
    "pdf": b"%PDF-",
    "png": b"\x89PNG\r\n\x1a\n",
    "jpeg": b"\xff\xd8\xff",
    "ooxml": b"PK\x03\x04",  # a ZIP archive
    "ole": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",  # Office 97-2003 compound file
}
# An ODF file is a ZIP whose first member, stored uncompressed, is `mimetype` holding exactly this.
ODF_MIMETYPES: dict[str, bytes] = {
    ".odt": b"application/vnd.oasis.opendocument.text",
    ".ods": b"application/vnd.oasis.opendocument.spreadsheet",
    ".odp": b"application/vnd.oasis.opendocument.presentation",
}

# Text that a browser sniffing an unknown type would take for HTML or XML (WHATWG MIME sniffing),
# plus `<script` and `<!doctype` at the start whatever follows: a renamed web page is the attack.
_HTML_START = re.compile(
    r"<(?:!doctype|script|html|svg|\?xml|!--"
    r"|(?:head|iframe|h1|div|font|table|a|style|title|b|body|br|p)(?:[\s/>]|$))",
    re.IGNORECASE | re.ASCII)
_WHITESPACE = " \t\n\r\f"  # as HTML and URLs know it

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"

# Drawing only. Left out on purpose: script, style, foreignObject, a (links), image and feImage
# (load other files), animate/set/animateTransform/animateMotion (can rewrite an href into
# javascript:), switch, view, cursor, font/glyph (obsolete) and anything outside the SVG namespace.
SVG_ELEMENTS = frozenset({
    "svg", "g", "defs", "symbol", "use", "title", "desc", "metadata",
    "path", "rect", "circle", "ellipse", "line", "polyline", "polygon",
    "text", "tspan", "textPath",
    "linearGradient", "radialGradient", "stop", "clipPath", "mask", "pattern", "marker",
    "filter", "feBlend", "feColorMatrix", "feComposite", "feDropShadow", "feFlood",
    "feGaussianBlur", "feMerge", "feMergeNode", "feOffset",
})
# Presentation attributes; the same names are the CSS properties a `style` attribute may set.
SVG_PRESENTATION = frozenset({
    "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-opacity",
    "stroke-linecap", "stroke-linejoin", "stroke-miterlimit", "stroke-dasharray",
    "stroke-dashoffset", "opacity", "color", "display", "visibility", "overflow", "clip",
    "clip-path", "clip-rule", "mask", "filter", "stop-color", "stop-opacity", "flood-color",
    "flood-opacity", "lighting-color", "color-interpolation", "color-interpolation-filters",
    "color-rendering", "shape-rendering", "text-rendering", "image-rendering", "vector-effect",
    "paint-order", "marker-start", "marker-mid", "marker-end", "font-family", "font-size",
    "font-size-adjust", "font-stretch", "font-style", "font-variant", "font-weight", "text-anchor",
    "text-decoration", "dominant-baseline", "alignment-baseline", "baseline-shift",
    "letter-spacing", "word-spacing", "writing-mode", "direction", "unicode-bidi",
    "transform-origin", "mix-blend-mode", "isolation", "enable-background",
})
# Attributes without a namespace: identity, geometry, paint servers, markers, filters.
# No event handlers (on*), no xml:base, no requiredExtensions/systemLanguage, no cursor.
SVG_ATTRIBUTES = SVG_PRESENTATION | frozenset({
    "id", "class", "style", "href", "version", "baseProfile", "viewBox", "preserveAspectRatio",
    "x", "y", "width", "height", "transform", "d", "pathLength", "points",
    "cx", "cy", "r", "rx", "ry", "fx", "fy", "fr", "x1", "y1", "x2", "y2",
    "dx", "dy", "rotate", "textLength", "lengthAdjust", "startOffset", "method", "spacing", "side",
    "gradientTransform", "gradientUnits", "spreadMethod", "offset",
    "patternTransform", "patternUnits", "patternContentUnits", "clipPathUnits",
    "maskUnits", "maskContentUnits", "markerWidth", "markerHeight", "markerUnits",
    "refX", "refY", "orient", "filterUnits", "primitiveUnits",
    "in", "in2", "result", "stdDeviation", "mode", "type", "values", "operator",
    "k1", "k2", "k3", "k4",
})
# Properties only a `style` attribute sets (drawing programs write these), besides SVG_PRESENTATION.
STYLE_ONLY_PROPERTIES = frozenset({
    "marker", "font", "line-height", "white-space", "text-align", "text-transform", "text-indent",
    "text-decoration-line", "text-decoration-color", "text-decoration-style", "font-kerning",
    "font-variant-ligatures", "font-variant-caps", "font-variant-numeric", "font-variant-position",
    "font-variant-east-asian", "font-feature-settings", "transform", "transform-box",
    "inline-size", "shape-inside", "shape-padding", "shape-margin", "mask-type",
    "solid-color", "solid-opacity", "-inkscape-font-specification",
})
STYLE_PROPERTIES = SVG_PRESENTATION | STYLE_ONLY_PROPERTIES
# CSS functions a value may call: colours, transforms, arithmetic, and url() to `#part` only.
# Any other (expression, image-set, image, src, element, env, ...) is refused.
SAFE_FUNCTIONS = frozenset({
    "url", "rgb", "rgba", "hsl", "hsla", "calc", "matrix", "translate", "translatex",
    "translatey", "scale", "scalex", "scaley", "rotate", "skewx", "skewy",
})
_FUNCTION = re.compile(r"([a-z_-][a-z0-9_-]*)\s*\(", re.IGNORECASE)
_URL = re.compile(r"url\(", re.IGNORECASE)
_CONTROL_AND_SPACE = re.compile(r"[\x00-\x20]+")
SHOWN_VALUE = 60  # characters of an offending value quoted back to staff


def check_attachment(path: Path, rel: str) -> Verdict:
    """None when the file at `path`, published as `rel` ("files/forms/ktp.pdf"), may go on the
    site, else (message key, params) saying why not."""
    published = PurePosixPath(rel)
    name = published.name
    if any(part.startswith(".") for part in published.parts):
        return "attachment_hidden", {"name": name}
    suffix = published.suffix.lower()
    if not suffix:
        return "attachment_no_suffix", {"name": name, "allowed": ALLOWED_SHOWN}
    kind = ALLOWED_SUFFIXES.get(suffix)
    if kind is None:
        return "attachment_type_refused", {"name": name, "suffix": suffix, "allowed": ALLOWED_SHOWN}
    read_whole = kind in ("text", "svg")
    limit = WHOLE_READ_CAP if read_whole else HEAD_BYTES
    try:
        with open(path, "rb") as stream:
            data = stream.read(limit + 1)
    except OSError as error:
        return "file_unreadable", {"reason": error.strerror or type(error).__name__}
    if not data:
        return "attachment_empty", {"name": name}
    if not read_whole:
        matches = _signature_matches(data, kind, suffix)
        return None if matches else ("attachment_content_mismatch", {"name": name, "suffix": suffix})
    if len(data) > limit:
        return "attachment_too_large_to_check", {"name": name, "limit_mb": limit // MB}
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return "attachment_text_not_utf8", {"name": name}
    return _check_svg(data, name) if kind == "svg" else _check_text(text, name, suffix)


def large_attachment(rel: str, size: int) -> Verdict:
    """A warning (message key, params) when an attachment is heavier than LARGE_BYTES; sizes in
    whole MB, rounded up."""
    if size <= LARGE_BYTES:
        return None
    return "attachment_large", {"name": PurePosixPath(rel).name, "size_mb": -(-size // MB),
                                "limit_mb": LARGE_BYTES // MB}


def _signature_matches(head: bytes, kind: str, suffix: str) -> bool:
    """Whether the first bytes are those of the kind the suffix promises (not a renamed file)."""
    if kind == "webp":
        return head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    if kind == "odf":
        return _is_odf(head, ODF_MIMETYPES[suffix])
    return head.startswith(SIGNATURES[kind])


def _is_odf(head: bytes, mimetype: bytes) -> bool:
    """ZIP local header of the first member: `mimetype`, stored, holding exactly `mimetype`."""
    if not head.startswith(b"PK\x03\x04") or len(head) < 30:
        return False
    method = int.from_bytes(head[8:10], "little")
    stored_size = int.from_bytes(head[18:22], "little")
    name_length = int.from_bytes(head[26:28], "little")
    extra_length = int.from_bytes(head[28:30], "little")
    start = 30 + name_length + extra_length
    return (method == 0 and stored_size == len(mimetype) and head[30:30 + name_length] == b"mimetype"
            and head[start:start + len(mimetype)] == mimetype)


def _check_text(text: str, name: str, suffix: str) -> Verdict:
    """Plain text that no browser could take for a web page."""
    if "\x00" in text:
        return "attachment_content_mismatch", {"name": name, "suffix": suffix}
    if _HTML_START.match(text.lstrip(_WHITESPACE)):
        return "attachment_text_html", {"name": name}
    return None


class _Refused(Exception):
    """Stops the SVG parser at the first thing not allowed; carries the verdict."""

    def __init__(self, key: str, **params: Any):
        super().__init__(key)
        self.key, self.params = key, params


def _check_svg(data: bytes, name: str) -> Verdict:
    """A whole SVG file (UTF-8 bytes): None when it holds only drawing, else the first offence."""
    check = _SvgCheck()
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.namespace_prefixes = True
    parser.ordered_attributes = True
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.XmlDeclHandler = check.xml_declaration
    parser.StartDoctypeDeclHandler = check.doctype
    parser.EntityDeclHandler = check.entity
    parser.ProcessingInstructionHandler = check.instruction
    parser.StartNamespaceDeclHandler = check.namespace
    parser.StartElementHandler = check.element
    try:
        parser.Parse(data, True)
    except _Refused as refused:
        return refused.key, {"name": name, **refused.params}
    except expat.ExpatError as error:
        detail = f"{expat.ErrorString(error.code)}, line {error.lineno}, column {error.offset + 1}"
        return "attachment_svg_unreadable", {"name": name, "detail": detail}
    return None


class _SvgCheck:
    """Expat handlers that refuse, by raising _Refused, whatever is not plain drawing."""

    def __init__(self) -> None:
        self.seen_root = False

    def xml_declaration(self, version: str, encoding: str | None, standalone: int) -> None:
        # Browsers honour the declared encoding; the bytes were checked as UTF-8, so it must agree.
        if encoding is not None and encoding.lower() != "utf-8":
            raise _Refused("attachment_text_not_utf8")

    def doctype(self, doctype_name: str, *_: Any) -> None:
        # Refused before its internal subset is read: no entities, so no entity expansion.
        raise _Refused("attachment_svg_declaration", declaration="<!DOCTYPE>")

    def entity(self, entity_name: str, *_: Any) -> None:
        raise _Refused("attachment_svg_declaration", declaration="<!ENTITY>")

    def instruction(self, target: str, data: str) -> None:
        # e.g. <?xml-stylesheet?>, which loads CSS or XSLT from elsewhere.
        raise _Refused("attachment_svg_declaration", declaration=f"<?{target}?>")

    def namespace(self, prefix: str | None, uri: str) -> None:
        # Expat joins namespace, name and prefix with spaces; a namespace with one is no URI.
        if any(character in uri for character in _WHITESPACE):
            shown = f"xmlns:{prefix}" if prefix else "xmlns"
            raise _Refused("attachment_svg_unreadable", detail=f"{shown}='{uri}'")

    def element(self, qualified: str, attributes: list[str]) -> None:
        uri, local, shown = _split(qualified)
        if not self.seen_root:
            self.seen_root = True
            if (uri, local) != (SVG_NS, "svg"):
                raise _Refused("attachment_svg_not_svg", element=shown)
        if uri != SVG_NS or local not in SVG_ELEMENTS:
            raise _Refused("attachment_svg_element", element=shown)
        for index in range(0, len(attributes), 2):
            self.attribute(shown, attributes[index], attributes[index + 1])

    def attribute(self, element: str, qualified: str, value: str) -> None:
        uri, local, shown = _split(qualified)
        allowed = ((uri == "" and local in SVG_ATTRIBUTES)
                   or (uri == XLINK_NS and local == "href")
                   or (uri == XML_NS and local in ("space", "lang")))
        if not allowed:
            raise _Refused("attachment_svg_attribute", element=element, attribute=shown)
        offence = _value_offence(value, is_link=local == "href", is_style=uri == "" and local == "style")
        if offence is not None:
            key, offending = offence
            raise _Refused(key, element=element, attribute=shown, value=_shorten(offending))


def _split(qualified: str) -> tuple[str, str, str]:
    """Expat's "namespace name prefix" as (namespace, local name, name as written)."""
    parts = qualified.split(" ")
    if len(parts) == 1:
        return "", qualified, qualified
    if len(parts) == 3:
        return parts[0], parts[1], f"{parts[2]}:{parts[1]}"
    uri, local = parts
    return uri, local, local if uri == SVG_NS else f"{local} ({uri})"


def _value_offence(value: str, is_link: bool, is_style: bool) -> tuple[str, str] | None:
    """(message key, the part to show) when an attribute value could reach outside the drawing
    or run something: links other than `#part`, url() elsewhere, CSS escapes, comments and
    @rules, unknown functions, and in `style` a property that is not about drawing."""
    if is_link and not value.lstrip(_WHITESPACE).startswith("#"):
        return "attachment_svg_link", value
    squeezed = _CONTROL_AND_SPACE.sub("", value).lower()
    if "javascript:" in squeezed or "vbscript:" in squeezed:
        return "attachment_svg_link", value
    for match in _URL.finditer(value):
        target = value[match.end():].lstrip(_WHITESPACE)
        if target[:1] in ("'", '"'):
            target = target[1:]
        if not target.startswith("#"):
            return "attachment_svg_link", value[match.start():]
    if "\\" in value or "@" in value or "/*" in value:
        return "attachment_svg_value", value  # escapes and comments could hide any of the above
    for match in _FUNCTION.finditer(value):
        if match.group(1).lower() not in SAFE_FUNCTIONS:
            return "attachment_svg_value", value[match.start():]
    if is_style:
        for declaration in value.split(";"):
            prop, colon, _ = declaration.partition(":")
            if declaration.strip() and (not colon or prop.strip().lower() not in STYLE_PROPERTIES):
                return "attachment_svg_value", declaration
    return None


def _shorten(value: str) -> str:
    value = " ".join(value.split())
    return value if len(value) <= SHOWN_VALUE else value[: SHOWN_VALUE - 1] + "…"
