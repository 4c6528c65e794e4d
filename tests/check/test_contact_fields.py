"""`check` on the contact, queue and online fields (issue 29): exact words, file, line, column."""

from __future__ import annotations

from conftest import edit, run
from test_errors import only_error

MPP = "content/mpp.yaml"
POLRES = "content/services/polres.yaml"
SKCK_COUNTER = '    counter: "4"\n'


def contact(project, line: str) -> None:
    edit(project, MPP, "complaints:\n", f"contact:\n  {line}\ncomplaints:\n")


def test_phone_with_words(project):
    contact(project, 'phone: "0266 123456 (jam kerja)"')
    assert only_error(project) == (
        "content/mpp.yaml:12:10: contact.phone: the phone number '0266 123456 (jam kerja)' may hold only "
        "digits, spaces, '-' and brackets, with '+' only at the start; write the number alone, in quotes, "
        "such as \"(0266) 123456\" or \"+62 266 123456\", and anything else (hours, a name) elsewhere")


def test_phone_too_short(project):
    contact(project, 'phone: "12"')
    assert only_error(project) == ("content/mpp.yaml:12:10: contact.phone: the phone number '12' has 2 "
                                   "digits; a phone number has 3 to 15 digits")


def test_whatsapp_without_country(project):
    contact(project, 'whatsapp: "812-3456-7890"')
    assert only_error(project) == (
        "content/mpp.yaml:12:13: contact.whatsapp: the WhatsApp number '812-3456-7890' must start with 0 "
        "(such as \"0812-3456-7890\") or with '+' and the country code (such as \"+62 812 3456 7890\"), "
        "so that the wa.me link reaches the right number")


def test_whatsapp_too_short_in_indonesian(project):
    contact(project, 'whatsapp: "0812 345"')
    result = run(project, "check", lang="id")
    assert result.code == 1
    assert result.lines[0] == (
        "content/mpp.yaml:12:13: contact.whatsapp: nomor WhatsApp '0812 345' berisi 8 angka bersama kode "
        "negara; nomor WhatsApp berisi 10 sampai 15 angka, misalnya \"0812-3456-7890\"")


def test_email_and_instagram(project):
    contact(project, "{email: mpp at contoh.go.id, instagram: mpp kota}")
    result = run(project, "check")
    assert result.code == 1
    assert result.lines[:2] == [
        "content/mpp.yaml:12:11: contact.email: 'mpp at contoh.go.id' is not a valid email address; write "
        "the address alone, such as mpp@contoh.go.id",
        "content/mpp.yaml:12:43: contact.instagram: 'mpp kota' is not an Instagram account name; write the "
        "account name (letters, digits, '.' and '_'), such as @mppkotacontoh, or its address, such as "
        "https://www.instagram.com/mppkotacontoh/"]


def test_tenant_phone_is_checked_too(project):
    edit(project, POLRES, "  type: instansi-vertikal\n", '  type: instansi-vertikal\n  phone: "0266 12x"\n')
    assert only_error(project).startswith(
        "content/services/polres.yaml:6:10: tenant.phone: the phone number '0266 12x' may hold only digits")


def test_tenant_logo_must_be_an_image(project):
    edit(project, POLRES, "  type: instansi-vertikal\n",
         "  type: instansi-vertikal\n  logo: files/formulir-skck.pdf\n")
    assert only_error(project) == (
        "content/services/polres.yaml:6:9: tenant.logo: the logo 'files/formulir-skck.pdf' must be a PNG, "
        "JPEG, WebP or SVG image in content/files/, such as files/agency-logo.svg")


def test_tenant_logo_must_exist(project):
    edit(project, POLRES, "  type: instansi-vertikal\n",
         "  type: instansi-vertikal\n  logo: files/polres.svg\n")
    assert only_error(project) == ("content/services/polres.yaml:6:9: tenant.logo: file 'files/polres.svg' "
                                   "does not exist (looked for content/files/polres.svg)")


def test_queue_name_needs_the_url(project):
    edit(project, MPP, "complaints:\n", "queue_name: {id: Antrean daring, en: Online queue}\ncomplaints:\n")
    assert only_error(project) == (
        "content/mpp.yaml:11:13: queue_name is written without queue_url; add the online queue's address "
        "(such as queue_url: https://antrean.contoh.go.id) or remove queue_name")


def test_online_repeating_online_url(project):
    edit(project, POLRES, SKCK_COUNTER, SKCK_COUNTER + "    online_url: https://skck.example.id\n"
         "    online:\n      - {name: Contoh, url: https://app.example.id}\n"
         "      - {name: SKCK, url: https://skck.example.id}\n")
    assert only_error(project) == (
        "content/services/polres.yaml:27:9: services[0].online: the address 'https://skck.example.id' is "
        "already given in online_url; write it once, in online with its name, and remove online_url")


def test_online_url_still_works_with_a_note(project):
    """The older form builds; the note shows the new one and never fails --strict."""
    before = run(project, "check", "--strict").out
    edit(project, POLRES, SKCK_COUNTER, SKCK_COUNTER + "    online_url: https://skck.example.id\n")
    result = run(project, "check")
    assert result.code == 0, result.err
    assert ("content/services/polres.yaml:24:17: note: services[0].online_url: online_url still works, but "
            "its button only reads 'Apply online'; so that citizens know which site or app it opens, write "
            "instead online: [{name: Name of the site or app, url: https://skck.example.id}]") in result.lines
    strict = run(project, "check", "--strict").out
    assert strict.splitlines()[-1] == before.splitlines()[-1]  # the same warnings count as errors


def test_online_channel_needs_name_and_url(project):
    edit(project, POLRES, SKCK_COUNTER, SKCK_COUNTER + "    online:\n      - {url: https://app.example.id}\n")
    assert only_error(project) == ("content/services/polres.yaml:25:9: services[0].online[0]: required "
                                   "field 'name' is missing")
