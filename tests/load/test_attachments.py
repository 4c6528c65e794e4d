"""Attachments are documents, not pages: real files written to disk, and the verdict on each."""

from __future__ import annotations

import io
import string
import struct
import zipfile
import zlib

import pytest

from mppsite.core.problems import MAX_SHOWN, Problems, messages
from mppsite.load import attachments
from mppsite.load.attachments import LARGE_BYTES, MB, WHOLE_READ_CAP, check_attachment, large_attachment


def png_1x1() -> bytes:
    """A real one-pixel PNG."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


def zip_of(members: list[tuple[str, bytes]], stored_first: bool = False) -> bytes:
    """A ZIP archive as Office and LibreOffice write them."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, (name, data) in enumerate(members):
            stored = stored_first and index == 0
            archive.writestr(name, data, zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def odf(mimetype: str) -> bytes:
    return zip_of([("mimetype", mimetype.encode()), ("content.xml", b"<office:document-content/>")],
                  stored_first=True)


DOCX = zip_of([("[Content_Types].xml", b"<Types/>"), ("word/document.xml", b"<w:document/>")])
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + bytes(64) + b"\xff\xd9"
WEBP = b"RIFF" + struct.pack("<I", 30) + b"WEBPVP8L" + struct.pack("<I", 10) + bytes(10)
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
HTML = b"<!DOCTYPE html>\n<html><body><script>alert(document.cookie)</script></body></html>\n"
ODT = "application/vnd.oasis.opendocument.text"

SVG_HEAD = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
            'viewBox="0 0 10 10">')


def svg(body: str, head: str = SVG_HEAD) -> bytes:
    return f"{head}{body}</svg>".encode()


CLEAN_SVG = svg(
    '<title>Logo MPP</title><desc>Lingkaran biru</desc>'
    '<defs><linearGradient id="g" x1="0" x2="1" gradientTransform="rotate(45)">'
    '<stop offset="0" stop-color="#0057b8"/>'
    '<stop offset="1" style="stop-color:rgb(0, 87, 184);stop-opacity:0.5"/>'
    '</linearGradient><clipPath id="c"><rect width="10" height="10" rx="2"/></clipPath>'
    '<filter id="shadow" filterUnits="userSpaceOnUse" color-interpolation-filters="sRGB">'
    '<feFlood flood-opacity="0" result="bg"/><feOffset dy="1"/><feGaussianBlur stdDeviation="0.5"/>'
    '<feBlend mode="normal" in2="bg" result="s"/></filter>'
    '<symbol id="dot" viewBox="0 0 2 2"><circle cx="1" cy="1" r="1"/></symbol></defs>'
    '<g clip-path="url(#c)" filter="url(#shadow)" transform="matrix(1 0 0 1 0 0) translate(1,1)">'
    '<path d="M0 0L10 10Z" fill="url(#g)" stroke="#000" stroke-width="0.5"/>'
    '<use xlink:href="#dot" x="2" y="2"/><use href=" #dot" x="5"/>'
    '<text x="1" y="9" font-family="\'Noto Sans\', sans-serif" xml:space="preserve">'
    'MPP <tspan>Kota</tspan></text>'
    '</g>')
ILLUSTRATOR_SVG = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<!-- Generator: Adobe Illustrator 27.0 -->\n'
    + svg('<polygon points="0,0 10,0 5,8" style="fill:#FFFFFF;"/>',
          head='<svg version="1.1" id="Layer_1" xmlns="http://www.w3.org/2000/svg" x="0px" y="0px" '
               'viewBox="0 0 10 10" style="enable-background:new 0 0 10 10;" xml:space="preserve">'))
BILLION_LAUGHS = (b'<?xml version="1.0"?>\n<!DOCTYPE svg [\n<!ENTITY lol "lol">\n'
                  + b"".join(b'<!ENTITY lol%d "%s">\n' % (n, (b"&lol%d;" % (n - 1) if n > 1 else b"&lol;")
                                                        * 10)
                             for n in range(1, 10))
                  + b']>\n' + svg("<text>&lol9;</text>"))

ALLOWED = attachments.ALLOWED_SHOWN

# (file name, bytes, expected message key or None, params the verdict must include)
CASES = [
    ("formulir.pdf", PDF, None, {}),
    ("FORMULIR-KTP.PDF", PDF, None, {}),
    ("foto.png", png_1x1(), None, {}),
    ("foto.jpg", JPEG, None, {}),
    ("foto.JPEG", JPEG, None, {}),
    ("foto.webp", WEBP, None, {}),
    ("surat.docx", DOCX, None, {}),
    ("tabel.xlsx", DOCX, None, {}),
    ("surat.odt", odf(ODT), None, {}),
    ("tabel.ods", odf("application/vnd.oasis.opendocument.spreadsheet"), None, {}),
    ("surat.doc", OLE, None, {}),
    ("tarif.xls", OLE, None, {}),
    ("catatan.txt", b"Persyaratan: KTP-el asli\n", None, {}),
    ("tarif.csv", "\ufefflayanan,biaya\nKTP,0\n".encode(), None, {}),
    ("a-kurang.txt", b"<5 tahun: gratis\n", None, {}),
    ("logo.svg", CLEAN_SVG, None, {}),
    ("peta.svg", ILLUSTRATOR_SVG, None, {}),
    # not documents
    ("evil.html", HTML, "attachment_type_refused",
     {"name": "evil.html", "suffix": ".html", "allowed": ALLOWED}),
    ("evil.htm", HTML, "attachment_type_refused", {"suffix": ".htm"}),
    ("evil.xhtml", HTML, "attachment_type_refused", {"suffix": ".xhtml"}),
    ("app.js", b"alert(1)\n", "attachment_type_refused", {"suffix": ".js"}),
    ("setup.exe", b"MZ\x90\x00" + bytes(60), "attachment_type_refused", {"suffix": ".exe"}),
    ("evil.html.", HTML, "attachment_no_suffix", {"name": "evil.html."}),
    ("README", b"hello\n", "attachment_no_suffix", {"name": "README", "allowed": ALLOWED}),
    (".htaccess", b"AddType text/html .pdf\n", "attachment_hidden", {"name": ".htaccess"}),
    (".rahasia.pdf", PDF, "attachment_hidden", {"name": ".rahasia.pdf"}),
    ("kosong.pdf", b"", "attachment_empty", {"name": "kosong.pdf"}),
    # renamed files: the bytes are not what the name says
    ("formulir-palsu.pdf", HTML, "attachment_content_mismatch",
     {"name": "formulir-palsu.pdf", "suffix": ".pdf"}),
    ("gambar.png", b"this is text, not a picture\n", "attachment_content_mismatch", {"suffix": ".png"}),
    ("gambar.jpg", png_1x1(), "attachment_content_mismatch", {"suffix": ".jpg"}),
    ("gambar.webp", b"RIFF\x1e\x00\x00\x00WAVEfmt " + bytes(20), "attachment_content_mismatch",
     {"suffix": ".webp"}),
    ("surat.docx", PDF, "attachment_content_mismatch", {"suffix": ".docx"}),
    ("surat.doc", DOCX, "attachment_content_mismatch", {"suffix": ".doc"}),
    ("surat.odt", DOCX, "attachment_content_mismatch", {"suffix": ".odt"}),
    ("tabel.ods", odf(ODT), "attachment_content_mismatch", {"suffix": ".ods"}),
    ("surat.odt", odf(ODT + "-template"), "attachment_content_mismatch", {"suffix": ".odt"}),
    ("surat.odt", zip_of([("mimetype", ODT.encode())]), "attachment_content_mismatch", {"suffix": ".odt"}),
    ("data.txt", b"abc\x00def\n", "attachment_content_mismatch", {"suffix": ".txt"}),
    # text that is really a web page, or not UTF-8
    ("catatan.txt", HTML, "attachment_text_html", {"name": "catatan.txt"}),
    ("catatan.txt", b"\xef\xbb\xbf \r\n\t<ScRiPt>alert(1)</script>", "attachment_text_html", {}),
    ("data.csv", b"<html>\n<body onload=alert(1)>", "attachment_text_html", {}),
    ("data.csv", b"<svg onload=alert(1)>", "attachment_text_html", {}),
    ("data.csv", b"  <p>hi", "attachment_text_html", {}),
    ("tarif.csv", "layanan;biaya\nAkta kelahiran;0\nSurat ñ\n".encode("cp1252"), "attachment_text_not_utf8",
     {"name": "tarif.csv"}),
    # SVG that is more than drawing
    ("s.svg", svg("<script>alert(1)</script>"), "attachment_svg_element", {"element": "script"}),
    ("s.svg", svg('<circle r="1"/><svg:script xmlns:svg="http://www.w3.org/2000/svg">alert(1)</svg:script>'),
     "attachment_svg_element", {"element": "svg:script"}),
    ("s.svg", svg('<rect width="1" onload="alert(1)"/>'), "attachment_svg_attribute",
     {"element": "rect", "attribute": "onload"}),
    ("s.svg", svg('<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>'),
     "attachment_svg_element", {"element": "foreignObject"}),
    ("s.svg", svg('<g><h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(1)</h:script></g>'),
     "attachment_svg_element", {"element": "h:script"}),
    ("s.svg", svg('<a xlink:href="javascript:alert(1)"><rect width="1"/></a>'), "attachment_svg_element",
     {"element": "a"}),
    ("s.svg", svg('<use xlink:href="javascript:alert(1)"/>'), "attachment_svg_link",
     {"element": "use", "attribute": "xlink:href", "value": "javascript:alert(1)"}),
    ("s.svg", svg('<use href="https://evil.example/sprite.svg#x"/>'), "attachment_svg_link",
     {"element": "use", "attribute": "href"}),
    ("s.svg", svg('<use href="data:image/svg+xml;base64,PHN2Zz4="/>'), "attachment_svg_link", {}),
    ("s.svg", svg('<set attributeName="href" to="javascript:alert(1)"/>'), "attachment_svg_element",
     {"element": "set"}),
    ("s.svg", svg('<animate attributeName="fill" to="red"/>'), "attachment_svg_element",
     {"element": "animate"}),
    ("s.svg", svg('<image href="#x"/>'), "attachment_svg_element", {"element": "image"}),
    ("s.svg", svg("<style>@import url(https://evil.example/x.css);</style>"), "attachment_svg_element",
     {"element": "style"}),
    ("s.svg", BILLION_LAUGHS, "attachment_svg_declaration", {"declaration": "<!DOCTYPE>"}),
    ("s.svg", b'<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">'
     + CLEAN_SVG, "attachment_svg_declaration", {"declaration": "<!DOCTYPE>"}),
    ("s.svg", b'<?xml-stylesheet type="text/xsl" href="https://evil.example/x.xsl"?>' + CLEAN_SVG,
     "attachment_svg_declaration", {"declaration": "<?xml-stylesheet?>"}),
    ("s.svg", svg('<rect style="background:url(https://x)"/>'), "attachment_svg_link",
     {"element": "rect", "attribute": "style", "value": "url(https://x)"}),
    ("s.svg", svg('<rect fill="url(\'https://x/p.svg#g\')"/>'), "attachment_svg_link", {"attribute": "fill"}),
    ("s.svg", svg('<rect style="fill:URL( &quot;//x/p.svg#g&quot;)"/>'), "attachment_svg_link", {}),
    ("s.svg", svg('<rect style="fill:red;width:expression(alert(1))"/>'), "attachment_svg_value",
     {"value": "expression(alert(1))"}),
    ("s.svg", svg('<rect style="@import \'x.css\'"/>'), "attachment_svg_value", {}),
    ("s.svg", svg('<rect style="fill:u\\72l(https://x)"/>'), "attachment_svg_value", {}),
    ("s.svg", svg('<rect style="fill:image-set(\'https://x.png\' 1x)"/>'), "attachment_svg_value", {}),
    ("s.svg", svg('<rect style="fill:red;-moz-binding:none"/>'), "attachment_svg_value",
     {"value": "-moz-binding:none"}),
    ("s.svg", svg('<rect style="fill:red;behavior:none"/>'), "attachment_svg_value", {}),
    ("s.svg", svg('<rect fill="java&#9;script:alert(1)"/>'), "attachment_svg_link", {}),
    ("s.svg", svg('<rect xml:base="https://evil.example/"/>'), "attachment_svg_attribute",
     {"attribute": "xml:base"}),
    ("s.svg", svg('<rect inkscape:label="x" xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape"/>'),
     "attachment_svg_attribute", {"element": "rect", "attribute": "inkscape:label"}),
    ("s.svg", b'<html xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></html>',
     "attachment_svg_not_svg", {"element": "html (http://www.w3.org/1999/xhtml)"}),
    ("s.svg", b'<svg viewBox="0 0 1 1"><script>alert(1)</script></svg>', "attachment_svg_not_svg",
     {"element": "svg"}),
    ("s.svg", svg("<rect>"), "attachment_svg_unreadable", {}),
    ("s.svg", b"<svg", "attachment_svg_unreadable", {}),
    ("s.svg", svg("<text>&nbsp;</text>"), "attachment_svg_unreadable", {}),
    ("s.svg", b'<?xml version="1.0" encoding="ISO-8859-1"?>' + CLEAN_SVG, "attachment_text_not_utf8", {}),
    ("s.svg", svg("<text>\xe9</text>").replace(b"\xc3\xa9", b"\xe9"), "attachment_text_not_utf8", {}),
]


@pytest.mark.parametrize(("name", "data", "key", "params"), CASES,
                         ids=[f"{i}-{case[0]}-{case[2] or 'ok'}" for i, case in enumerate(CASES)])
def test_verdict(tmp_path, name, data, key, params):
    path = tmp_path / name
    path.write_bytes(data)
    verdict = check_attachment(path, f"files/forms/{name}")
    if key is None:
        assert verdict is None
        return
    assert verdict is not None, f"{name} should be refused with {key}"
    got_key, got_params = verdict
    assert got_key == key, got_params
    assert {k: got_params.get(k) for k in params} == params


def test_hidden_folder_is_refused(tmp_path):
    path = tmp_path / "x.pdf"
    path.write_bytes(PDF)
    assert check_attachment(path, "files/.well-known/x.pdf") == ("attachment_hidden", {"name": "x.pdf"})


def test_missing_file_is_unreadable(tmp_path):
    key, params = check_attachment(tmp_path / "gone.pdf", "files/gone.pdf")
    assert key == "file_unreadable" and params["reason"]


def test_large_svg_and_text_are_refused_unchecked(tmp_path):
    filler = "<!--" + "x" * WHOLE_READ_CAP + "-->"
    (tmp_path / "big.svg").write_bytes(svg(filler))
    (tmp_path / "big.txt").write_bytes(b"a" * (WHOLE_READ_CAP + 1))
    (tmp_path / "just.txt").write_bytes(b"a" * WHOLE_READ_CAP)
    (tmp_path / "big.pdf").write_bytes(PDF + b"0" * (WHOLE_READ_CAP + 1))
    for name in ("big.svg", "big.txt"):
        assert check_attachment(tmp_path / name, f"files/{name}") == (
            "attachment_too_large_to_check", {"name": name, "limit_mb": 5})
    assert check_attachment(tmp_path / "just.txt", "files/just.txt") is None
    assert check_attachment(tmp_path / "big.pdf", "files/big.pdf") is None  # only its head is read


def test_large_attachment_warning():
    assert large_attachment("files/a.pdf", LARGE_BYTES) is None
    assert large_attachment("files/sub/a.pdf", LARGE_BYTES + 1) == (
        "attachment_large", {"name": "a.pdf", "size_mb": 11, "limit_mb": 10})
    assert large_attachment("files/a.pdf", 25 * MB)[1]["size_mb"] == 25


def test_allow_list_is_what_was_asked():
    assert set(attachments.ALLOWED_SUFFIXES) == {
        ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".ods", ".odp",
        ".png", ".jpg", ".jpeg", ".webp", ".txt", ".csv", ".svg"}
    assert len(ALLOWED) <= MAX_SHOWN  # shown whole in messages, never cut short
    dangerous = {"script", "style", "foreignObject", "a", "image", "feImage", "animate", "set",
                 "animateTransform", "animateMotion", "iframe", "handler", "listener"}
    assert not dangerous & attachments.SVG_ELEMENTS
    assert not [name for name in attachments.SVG_ATTRIBUTES | attachments.STYLE_PROPERTIES
                if name.lower().startswith("on") or name in ("cursor", "behavior", "-moz-binding")]


def refusals(tmp_path):
    """Every verdict the table and the checks above produce, by message key."""
    found = {}
    for index, (name, data, key, _) in enumerate(CASES):
        if key is not None:
            path = tmp_path / f"{index}"
            path.mkdir()
            (path / name).write_bytes(data)
            found.setdefault(key, check_attachment(path / name, f"files/{name}")[1])
    found["attachment_too_large_to_check"] = {"name": "big.svg", "limit_mb": 5}
    found["attachment_large"] = large_attachment("files/a.pdf", LARGE_BYTES + 1)[1]
    return found


def test_every_message_exists_in_both_languages_and_uses_every_param(tmp_path):
    found = refusals(tmp_path)
    catalogue = messages()
    assert {key for key in catalogue if key.startswith("attachment_")} == set(found)
    for key, params in found.items():
        for lang in ("id", "en"):
            names = {field for _, field, _, _ in string.Formatter().parse(catalogue[key][lang]) if field}
            assert names == set(params), (key, lang)
        problems = Problems()
        problems.add(f"content/files/{params['name']}", 0, 0, "", key, **params)  # params fit Problems.add
        for lang in ("id", "en"):
            line = problems.items[0].format(lang)
            assert "{" not in line and params["name"] in line
