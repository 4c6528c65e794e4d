"""The queue, the apps and contact on the built pages (issue 29): the mall's online queue first,
a service's named sites and apps as buttons near the top, the mall's contact as links a phone can
follow (footer, home, visit page), an agency's description, logo and phone; and nothing of these
when the content gives none."""

from __future__ import annotations

import csv
import json

import pytest
from conftest import edit, run, site_pages, soup

MPP = "content/mpp.yaml"
POLRES = "content/services/polres.yaml"
LOGO = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16">'
        '<rect width="16" height="16" fill="#0b5e55"/></svg>\n')


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The mini project with every field of this issue filled in, built once."""
    import shutil

    from conftest import MINI
    project = tmp_path_factory.mktemp("actions") / "site"
    shutil.copytree(MINI, project, ignore=shutil.ignore_patterns("output"))
    edit(project, MPP, "complaints:\n",
         "queue_url: https://antrean.example.id/mpp\n"
         "queue_name: {id: Antrean daring MPP Contoh, en: Example MPP online queue}\n"
         'contact: {phone: "(0266) 221-234", whatsapp: "0812-3456-7890", email: mpp@contoh.go.id, '
         "instagram: \"@mpp.contoh\"}\ncomplaints:\n")
    edit(project, POLRES, "  type: instansi-vertikal\n",
         '  type: instansi-vertikal\n  phone: "+62 266 110"\n  website: https://polres.example.id\n'
         "  description: {id: Kepolisian di kota ini., en: The city's police.}\n  logo: files/polres.svg\n")
    (project / "content" / "files" / "polres.svg").write_text(LOGO, encoding="utf-8")
    edit(project, POLRES, '    counter: "4"\n', '    counter: "4"\n    online_url: https://skck.example.id\n'
         "    online:\n      - {name: {id: Aplikasi Contoh, en: Example app}, url: https://app.example.id}\n")
    (project / "content" / "pages" / "kunjungi.md").write_text(
        "---\ntitle: Berkunjung ke MPP\nshow_hours: true\n---\nDatang pagi.\n", encoding="utf-8")
    result = run(project)
    assert result.code == 0, result.err
    return project / "output"


def test_queue_is_the_first_action_of_the_home_page(built):
    for home, words in ((built / "index.html", "Antrean daring MPP Contoh"),
                        (built / "en" / "index.html", "Example MPP online queue")):
        main = soup(home).main
        first = main.find("a")
        assert first.get_text() == words and first["href"] == "https://antrean.example.id/mpp"
        assert "button" in first["class"]
        assert first.find_next("form", role="search") is not None  # before the search box


def test_service_page_starts_with_queue_then_sites_and_apps(built):
    page = soup(built / "en" / "services" / "skck" / "index.html")
    lead = page.select_one("article p.lead")
    buttons = lead.find_all_next("a", class_="button", limit=3)
    assert [(a.get_text(), a["href"]) for a in buttons] == [
        ("Example MPP online queue", "https://antrean.example.id/mpp"),
        ("Apply online", "https://skck.example.id"),  # online_url: not named
        ("Example app", "https://app.example.id")]
    assert buttons[0].find_next("dl", class_="facts") is not None  # above the key facts
    intro = page.select_one("p.online-intro")
    assert intro.get_text() == "You can also do this online:"
    assert page.select_one("ul.buttons")["aria-labelledby"] == intro["id"]
    where = page.find("h2", id="h-where").find_next("dl").find("dt", string="Online").find_next("dd")
    assert " ".join(where.get_text(" ").split()) == "https://skck.example.id Example app: https://app.example.id"


def test_every_service_page_offers_the_queue(built):
    for path in (built / "layanan").glob("*/index.html"):
        queue = soup(path).select_one("p.action-queue a")
        assert queue["href"] == "https://antrean.example.id/mpp", path
    assert soup(built / "layanan" / "ktp-el" / "index.html").select_one("ul.buttons") is None  # no channel


def test_footer_of_every_page_has_the_contact_as_links(built):
    pages = site_pages(built)
    assert len(pages) > 30
    for path in pages:
        links = [(a.get_text(), a["href"]) for a in soup(path).select("footer ul.contact a")]
        assert links == [("(0266) 221-234", "tel:0266221234"), ("0812-3456-7890", "https://wa.me/6281234567890"),
                         ("mpp@contoh.go.id", "mailto:mpp@contoh.go.id"),
                         ("@mpp.contoh", "https://www.instagram.com/mpp.contoh/")], path
    labels = [li.get_text(strip=True).split(":")[0] for li in soup(pages[0]).select("footer ul.contact li")]
    assert labels == ["Telepon", "WhatsApp", "Surel", "Instagram"]


def test_home_and_visit_pages_show_the_contact(built):
    home = soup(built / "en" / "index.html").main
    assert home.find("a", href="https://wa.me/6281234567890") is not None
    visit = soup(built / "en" / "kunjungi" / "index.html").main
    section = visit.find("section", class_="visit-contact")
    assert section.h2.get_text() == "Address and contact"
    assert "1 Example Street, Example City" in section.get_text()
    assert section.find("a", href="tel:0266221234") is not None
    assert soup(built / "tentang" / "index.html").main.find("section", class_="visit-contact") is None


def test_agency_page_shows_description_logo_phone_website(built):
    page = soup(built / "en" / "agencies" / "polres" / "index.html").main
    logo = page.find("img", class_="tenant-logo")
    assert logo["src"] == "/mpp/files/polres.svg" and logo["alt"] == ""  # the name follows in the h1
    assert logo.find_next("h1").get_text() == "City Police"
    assert page.h1.find_next("p").get_text() == "The city's police."
    assert page.find("a", href="tel:+62266110").get_text() == "+62 266 110"
    assert page.find("a", href="https://polres.example.id") is not None
    assert (built / "files" / "polres.svg").is_file()


def test_channels_in_json_ld_and_open_data(built):
    page = soup(built / "layanan" / "skck" / "index.html")
    data = [json.loads(tag.string) for tag in page.find_all("script", type="application/ld+json")]
    service = next(item for item in data if item.get("@type") == "GovernmentService")
    online = [(c["name"], c["serviceUrl"]) for c in service["availableChannel"] if "serviceUrl" in c]
    assert online == [("Layanan daring", "https://skck.example.id"), ("Aplikasi Contoh", "https://app.example.id")]
    records = json.loads((built / "data" / "services.json").read_text(encoding="utf-8"))["services"]
    skck = next(record for record in records if record["id"] == "skck")
    assert skck["online_url"] == "https://skck.example.id"
    assert skck["online"] == [{"name": None, "url": "https://skck.example.id"},
                              {"name": {"id": "Aplikasi Contoh", "en": "Example app"}, "url": "https://app.example.id"}]
    with open(built / "data" / "services.csv", encoding="utf-8-sig", newline="") as stream:
        row = next(row for row in csv.DictReader(stream) if row["id"] == "skck")
    assert row["online_url"].split(" | ") == ["https://skck.example.id", "https://app.example.id"]


def test_nothing_shows_when_none_is_given(built_mini):
    """The mini project has no queue, no contact, no channel, no agency logo: no empty shells."""
    for path in sorted(built_mini.rglob("index.html")):
        page = soup(path)
        shells = "p.action-queue, ul.buttons, p.online-intro, ul.contact, img.tenant-logo"
        assert page.select(shells) == [], path
        assert page.select('a[href^="https://wa.me/6"], a[href^="mailto:"]') == [], path
    home = soup(built_mini / "index.html").main
    assert home.find("h3", string="Kontak") is None
    # The hero: the title, the "open today?" line (hidden until its script fills it), then the counts.
    hero = [tag.get("class", [tag.name]) for tag in home.h1.find_next_siblings()[:3]]
    assert hero == [["today-line"], ["script"], ["counts"]]
