"""`check` on a service's eligibility, requirements with form and count, if_refused and related
(issue 29): each slip named by file, line and field, in plain words, in both languages."""

from __future__ import annotations

from conftest import edit, run

POLRES = "content/services/polres.yaml"
KTP = "content/services/disdukcapil.yaml"


def errors_of(project, lang="en"):
    result = run(project, "check", lang=lang)
    return result, [line for line in result.err.splitlines() if ": warning" not in line and line]


def test_the_new_fields_in_every_form_pass(project):
    edit(project, KTP, "    requirements:\n", (
        "    eligibility:\n      - {id: Berusia 17 tahun atau lebih, en: Aged 17 or over}\n"
        "    requirements:\n      - {text: {id: Pas foto 3x4, en: Photo 3x4}, form: original, count: 2}\n"
        "      - {text: Akta kelahiran, form: both}\n"))
    edit(project, KTP, "    counter: \"1\"\n", (
        "    counter: \"1\"\n    related: [skck]\n"
        "    if_refused: {id: Lengkapi berkasnya lalu datang lagi.,"
        " en: Complete the file and come again.}\n"))
    result, errors = errors_of(project)
    assert result.code == 0, errors


def test_a_count_that_is_not_a_whole_number(project):
    edit(project, POLRES, "{id: Pas foto 4x6 latar merah, en: \"Passport photo 4x6, red background\"}",
         "{text: Pas foto 4x6 latar merah, form: original, count: 2.5}")
    result, errors = errors_of(project)
    assert result.code == 1
    assert errors[0] == ("content/services/polres.yaml:14:65: services[0].requirements[1]: 'count' must "
                         "be a whole number from 1 to 100, not '2.5': how many sheets or items, such as "
                         "count: 2")
    _, errors = errors_of(project, lang="id")
    assert errors[0] == ("content/services/polres.yaml:14:65: services[0].requirements[1]: 'count' harus "
                         "bilangan bulat dari 1 sampai 100, bukan '2.5': jumlah lembar atau buah, misalnya "
                         "count: 2")


def test_a_count_written_as_words_and_a_misspelt_form(project):
    edit(project, POLRES, "      - {id: Fotokopi KTP-el, en: Photocopy of your electronic ID card}",
         "      - {text: KTP-el, form: cpy}\n      - {text: Pas foto, count: dua}")
    _, errors = errors_of(project)
    assert errors[:2] == [
        "content/services/polres.yaml:13:30: services[0].requirements[0]: 'cpy' cannot be used for 'form' "
        "(did you mean 'copy'?); write original, copy (photocopy) or both (original and photocopy)",
        "content/services/polres.yaml:14:33: services[0].requirements[1]: 'count' must be a whole number "
        "from 1 to 100, not 'dua': how many sheets or items, such as count: 2"]


def test_a_requirement_without_its_text_and_with_an_unknown_field(project):
    edit(project, POLRES, "      - {id: Fotokopi KTP-el, en: Photocopy of your electronic ID card}",
         "      - {form: copy, count: 1}\n      - {text: KTP-el, forms: copy}")
    _, errors = errors_of(project)
    assert errors[:2] == [
        "content/services/polres.yaml:13:9: services[0].requirements[0]: this requirement needs 'text': "
        "the document's name, such as {text: Pas foto 3x4, form: original, count: 2}",
        "content/services/polres.yaml:14:24: services[0].requirements[1]: unknown field 'forms' in the "
        "requirement (did you mean 'form'?); a requirement written as {text: ..., form: ..., count: ...} "
        "may only use text, form and count"]


def test_a_slip_inside_a_requirements_text_points_at_its_words(project):
    edit(project, POLRES, "      - {id: Fotokopi KTP-el, en: Photocopy of your electronic ID card}",
         "      - {text: {id: Fotokopi KTP-el, en: \"\"}, form: copy}")
    _, errors = errors_of(project)
    assert errors[0] == ("content/services/polres.yaml:13:42: services[0].requirements[0]: "
                         "the text must not be empty")


def test_an_unknown_related_service_with_did_you_mean(project):
    edit(project, KTP, "    counter: \"1\"\n", "    counter: \"1\"\n    related: [skc, ktp-el, skck, skck]\n")
    result, errors = errors_of(project)
    assert result.code == 1
    assert errors[:3] == [
        "content/services/disdukcapil.yaml:23:15: services[0].related[0]: there is no service 'skc' in any "
        "catalog (did you mean 'skck'?); write the id of a service in content/services/",
        "content/services/disdukcapil.yaml:23:20: services[0].related[1]: this service links to itself; "
        "remove 'ktp-el' from 'related'",
        "content/services/disdukcapil.yaml:23:34: services[0].related[3]: the service 'skck' is listed "
        "twice in 'related'; remove one of them"]
    _, errors = errors_of(project, lang="id")
    assert errors[0] == ("content/services/disdukcapil.yaml:23:15: services[0].related[0]: layanan 'skc' "
                         "tidak ada di katalog mana pun (maksudnya 'skck'?); tulis kode (id) layanan yang "
                         "ada di content/services/")


def test_a_related_id_is_checked_again_when_its_catalog_comes_from_the_cache(project):
    """The id named may disappear from another catalog that changed, while this one did not."""
    edit(project, KTP, "    counter: \"1\"\n", "    counter: \"1\"\n    related: [skck]\n")
    assert run(project).code == 0  # both catalogs kept in the catalog cache
    edit(project, POLRES, "  - id: skck\n", "  - id: skck-baru\n")
    edit(project, POLRES, "(/layanan/ktp-el/)", "(/layanan/ktp-el/)")
    _, errors = errors_of(project)
    assert errors[0] == ("content/services/disdukcapil.yaml:23:15: services[0].related[0]: there is no "
                         "service 'skck' in any catalog (did you mean 'skck-baru'?); write the id of a "
                         "service in content/services/")
