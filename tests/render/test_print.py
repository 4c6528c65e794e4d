"""Printed service standards: Chromium's own --print-to-pdf of the built pages, read back with poppler
(pdfinfo, pdftotext, pdftoppm) and the QR code decoded with zbarimg, as a tenant would print them."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import segno
import yaml
from conftest import ROOT, soup
from hypothesis import given, settings
from hypothesis import strategies as st
from webserver import serve

from mppsite.render import qr

CHROMIUM = "/usr/bin/chromium"
TOOLS = ("pdfinfo", "pdftotext", "pdftoppm", "zbarimg")
A4_POINTS = (595.28, 841.89)
BASE_URL = yaml.safe_load((ROOT / "site_config.yaml").read_text(encoding="utf-8"))["base_url"]
STRINGS = {lang: yaml.safe_load((ROOT / "data" / "strings" / f"{lang}.yaml").read_text(encoding="utf-8"))
           for lang in ("id", "en")}
COMPONENTS = ("sheet_requirements", "sheet_procedure", "sheet_duration", "sheet_fee", "sheet_product",
              "sheet_complaints")
SERVICE_PATH = {"id": "layanan/{}/", "en": "en/services/{}/"}
TENANT_PRINT_PATH = {"id": "instansi/{}/cetak/", "en": "en/agencies/{}/print/"}
PLEDGE_PRINT_PATH = {"id": "maklumat/cetak/", "en": "en/maklumat/print/"}
TYPICAL = "skck-baru"


def catalogs() -> dict[str, list[dict]]:
    """Each bundled tenant's services, from content/services/*.yaml."""
    result = {}
    for path in sorted((ROOT / "content" / "services").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        result[data["tenant"]["id"]] = data["services"]
    return result


def longest_service() -> str:
    """The bundled service with the most requirements and steps (ties: the most words)."""
    services = [s for listed in catalogs().values() for s in listed]
    return max(services, key=lambda s: (len(s["requirements"]) + len(s["procedure"]),
                                         len(str(s["requirements"]) + str(s["procedure"]))))["id"]


@pytest.fixture(scope="module")
def site(built_bundled):
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if not Path(CHROMIUM).exists():
        missing.insert(0, CHROMIUM)
    if missing:
        pytest.skip(f"missing {', '.join(missing)}: .ci/run installs chromium, poppler-utils and zbar-tools")
    with serve(built_bundled, "/mppsite/") as base:
        yield base


def print_pdf(url: str, pdf: Path) -> Path:
    """Chromium's own print to PDF, as from the browser's Print menu (no header or footer)."""
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--no-pdf-header-footer",
                    f"--print-to-pdf={pdf}", url], capture_output=True, timeout=120, check=True)
    assert pdf.is_file() and pdf.stat().st_size > 0, url
    return pdf


def pdf_info(pdf: Path) -> tuple[int, float, float]:
    """Pages and the size of the first page, in points."""
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", out)
    return int(re.search(r"Pages:\s+(\d+)", out).group(1)), float(size.group(1)), float(size.group(2))


def pdf_text(pdf: Path) -> str:
    """The words of the PDF in drawing order, whitespace collapsed."""
    out = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    return " ".join(out.split())


def qr_codes(pdf: Path, page: int = 1) -> list[str]:
    """Every QR code zbarimg finds on one page rendered at 200 dpi."""
    prefix = pdf.with_suffix("")
    subprocess.run(["pdftoppm", "-r", "200", "-png", "-f", str(page), "-l", str(page), "-singlefile",
                    str(pdf), str(prefix)], check=True, timeout=120)
    result = subprocess.run(["zbarimg", "--raw", "-q", "-Sdisable", "-Sqrcode.enable", f"{prefix}.png"],
                            capture_output=True, text=True, timeout=120)
    return result.stdout.splitlines()


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("which", ["typical", "longest"])
def test_service_page_prints_as_one_a4_sheet_with_its_qr_code(site, tmp_path, lang, which):
    service = TYPICAL if which == "typical" else longest_service()
    path = SERVICE_PATH[lang].format(service)
    pdf = print_pdf(site + path, tmp_path / "sheet.pdf")
    pages, width, height = pdf_info(pdf)
    assert pages == 1, f"{path} prints on {pages} pages"
    assert abs(width - A4_POINTS[0]) < 2 and abs(height - A4_POINTS[1]) < 2, (width, height)
    assert qr_codes(pdf) == [BASE_URL + path]  # the absolute URL, in the page's language
    text = pdf_text(pdf)
    words = STRINGS[lang]
    positions = [text.find(words[key]) for key in COMPONENTS]
    assert -1 not in positions, [words[key] for key, at in zip(COMPONENTS, positions, strict=True) if at < 0]
    assert positions == sorted(positions)  # in the regulation's order
    assert words["sheet_title"].upper() in text and BASE_URL + path in text
    for noise in ("nav_news", "skip_link", "share_whatsapp", "footer_built", "print_hint", "language_switch"):
        assert words[noise] not in text, noise  # no menus, footer, share buttons or screen hints


@pytest.mark.parametrize("lang", ["id", "en"])
def test_fee_counter_and_legal_basis_of_the_typical_sheet(site, tmp_path, lang):
    pdf = print_pdf(site + SERVICE_PATH[lang].format(TYPICAL), tmp_path / "sheet.pdf")
    text = pdf_text(pdf)
    fee, counter, name = {"id": ("Rp30.000", "Loket 4", "SKCK Baru"),
                          "en": ("Rp30,000", "Counter 4", "New police clearance certificate (SKCK)")}[lang]
    assert fee in text and counter in text and name in text
    assert "Peraturan Pemerintah Nomor 76 Tahun 2020" in text
    assert STRINGS[lang]["not_reviewed"] in text  # the bundled entries are not yet reviewed
    assert "http" not in text.replace(BASE_URL, "")  # no URL printed after links


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_tenant_print_page_has_one_page_per_service(site, tmp_path, lang):
    """Every bundled service's sheet fits one A4 page, checked on the tenants' print pages."""
    overflowing = {}
    for tenant, services in catalogs().items():
        pdf = print_pdf(site + TENANT_PRINT_PATH[lang].format(tenant), tmp_path / f"{tenant}.pdf")
        pages, width, height = pdf_info(pdf)
        assert abs(width - A4_POINTS[0]) < 2 and abs(height - A4_POINTS[1]) < 2, (tenant, width, height)
        if pages != len(services):
            overflowing[tenant] = (len(services), pages)
    assert overflowing == {}  # tenant: (services, pages)


def test_tenant_print_page_sheets_in_order_with_their_own_qr_codes(site, tmp_path, built_bundled):
    path = TENANT_PRINT_PATH["en"].format("polres")
    page = soup(built_bundled / path / "index.html")
    names = [h.get_text(" ", strip=True) for h in page.select(".sheet h2")]
    assert len(names) == len(catalogs()["polres"]) and names == sorted(names, key=str.casefold)
    pdf = print_pdf(site + path, tmp_path / "polres.pdf")
    text = pdf_text(pdf)
    assert [text.find(name) for name in names] == sorted(text.find(name) for name in names)
    first = page.select_one(".sheet .sheet-url").get_text()
    assert first.startswith(BASE_URL + "en/services/")
    assert qr_codes(pdf, 1) == [first]
    assert qr_codes(pdf, 2) == [page.select(".sheet .sheet-url")[1].get_text()]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_pledge_prints_on_one_page_with_its_qr_code(site, tmp_path, lang):
    pdf = print_pdf(site + PLEDGE_PRINT_PATH[lang], tmp_path / "pledge.pdf")
    assert pdf_info(pdf)[0] == 1
    page_url = BASE_URL + ("maklumat/" if lang == "id" else "en/maklumat/")
    assert qr_codes(pdf) == [page_url]
    pledge = {"id": "Dengan ini kami menyatakan sanggup", "en": "We hereby declare"}[lang]
    assert pledge in pdf_text(pdf)


# --- the built pages, without a browser ------------------------------------------------------------

def test_service_page_carries_its_sheet_for_print_only(built_bundled):
    page = soup(built_bundled / "en" / "services" / TYPICAL / "index.html")
    sheet = page.select_one("main .print-only > article.sheet")
    assert sheet is not None
    assert "no-print" in page.select_one("main > div.wrap")["class"]  # the screen article is not printed
    headings = [h.get_text(" ", strip=True) for h in sheet.find_all("h3")]
    assert headings[:6] == [f"{n} {STRINGS['en'][key]}" for n, key in enumerate(COMPONENTS, 1)]
    assert sheet.find("a") is None  # paper has no links
    svg = sheet.find("svg", class_="qr")
    assert svg["role"] == "img" and BASE_URL + "en/services/skck-baru/" in svg["aria-label"]
    assert sheet.select_one(".sheet-url").get_text() == BASE_URL + "en/services/skck-baru/"


def test_links_to_the_print_pages(built_bundled):
    tenant = soup(built_bundled / "instansi" / "polres" / "index.html")
    link = tenant.find("a", href="/mppsite/instansi/polres/cetak/")
    assert link.get_text() == STRINGS["id"]["print_tenant_link"]
    pledge = soup(built_bundled / "en" / "maklumat" / "index.html")
    link = pledge.find("a", href="/mppsite/en/maklumat/print/")
    assert link.get_text() == STRINGS["en"]["print_pledge_link"]
    other = soup(built_bundled / "en" / "tentang" / "index.html")
    assert other.find("a", href=re.compile("/print/$")) is None
    note = soup(built_bundled / "en" / "agencies" / "polres" / "print" / "index.html").select_one(".notice")
    assert "6 sheets" in note.get_text() and "no-print" in note.parent["class"]


def test_long_sheets_get_a_smaller_type_size(built_bundled):
    sizes = {}
    for path in (built_bundled / "en" / "services").glob("*/index.html"):
        classes = soup(path).select_one("article.sheet")["class"]
        sizes[path.parent.name] = [c for c in classes if c.startswith("fit-")]
    assert sizes[TYPICAL] == [] and sizes["gugatan-cerai"] == ["fit-11"]
    assert sum(1 for fit in sizes.values() if not fit) > len(sizes) / 2  # most print at the full size


def test_qr_svg_is_deterministic_and_compact():
    url = BASE_URL + "en/services/bpjstk-pendaftaran-bukan-penerima-upah/"
    qr.modules.cache_clear()
    first = qr.svg(url, "QR")
    qr.modules.cache_clear()
    assert qr.svg(url, "QR") == first
    assert first.startswith('<svg class="qr" viewBox="0 0 ') and len(first) < 3000
    assert qr.svg(url, 'a "quoted" <label>').count("&lt;label&gt;") == 1


def _segno_rows(text: str) -> list[str]:
    code = segno.make_qr(text, error=qr.ERROR_LEVEL, mask=qr.MASK)
    return ["".join("1" if module else "0" for module in row) for row in code.matrix]


def test_the_fast_encoder_draws_segnos_symbol_for_every_page_of_the_bundled_site(built_bundled):
    """qr._symbol writes the message into a layout segno made; the symbol must be segno's own."""
    urls = [BASE_URL + path.parent.relative_to(built_bundled).as_posix() + "/"
            for path in sorted(built_bundled.rglob("index.html"))]
    assert len(urls) > 300
    assert all(qr._fast_version(url) is not None for url in urls)  # all of them take the fast way
    for url in urls:
        assert qr.matrix(url) == _segno_rows(url), url


@settings(max_examples=400, deadline=None, derandomize=True)
@given(text=st.text(st.characters(min_codepoint=32, max_codepoint=126), min_size=1, max_size=700)
       | st.text(min_size=1, max_size=40) | st.from_regex(r"[0-9A-Z $%*+\-./:]{1,60}", fullmatch=True))
def test_the_fast_encoder_equals_segno_on_any_text(text):
    """Versions 1 to 25, every error level segno boosts to, and the texts left to segno itself."""
    assert qr.matrix(text) == _segno_rows(text)


def _drawn(svg: str) -> list[str]:
    """The dark modules the SVG path of qr.svg paints, as rows of "1"/"0" without the quiet zone."""
    side = int(re.search(r'viewBox="0 0 (\d+) ', svg)[1])
    assert 'transform="translate(0 .5)"' in svg  # a run at y paints row y, from y to y + 1
    grid = [["0"] * side for _ in range(side)]
    path = re.search(r' d="([^"]*)"', svg)[1]
    assert re.fullmatch(r"M\d+ \d+(?:m-?\d+ \d+|h\d+)*", path), path  # moves, and runs along a row
    x = y = 0
    for command, first, second in re.findall(r"([Mmh])(-?\d+)(?: (-?\d+))?", path):
        if command == "h":
            for column in range(x, x + int(first)):
                grid[y][column] = "1"
            x += int(first)
        else:
            x, y = (int(first), int(second)) if command == "M" else (x + int(first), y + int(second))
    inner = [row[qr.QUIET_ZONE:side - qr.QUIET_ZONE] for row in grid[qr.QUIET_ZONE:side - qr.QUIET_ZONE]]
    assert all(set(row) == {"0"} for row in grid[:qr.QUIET_ZONE] + grid[side - qr.QUIET_ZONE:])
    return ["".join(row) for row in inner]


@settings(max_examples=200, deadline=None, derandomize=True)
@given(text=st.text(st.characters(min_codepoint=32, max_codepoint=126), min_size=1, max_size=300))
def test_the_svg_path_paints_exactly_the_symbol(text):
    qr.modules.cache_clear()
    assert _drawn(qr.svg(text, "QR")) == qr.matrix(text)
