"""`check`: warnings staff should act on, --strict, and GitHub annotations."""

from __future__ import annotations

import datetime
import io
import os
from unittest import mock

from conftest import edit, run


def warnings_of(project, *args):
    result = run(project, "check", *args)
    return result, [line for line in result.err.splitlines() if ": warning" in line]  # either kind


def test_fixture_warnings_are_listed_with_file_and_line(project):
    result, warnings = warnings_of(project)
    assert result.code == 0
    assert ("content/services/polres.yaml:32:14: warning: services[1].summary: "
            "the 'en' translation is missing") in warnings
    assert "content/services/polres.yaml:33:20: warning: services[1].requirements[0]: the 'en' " \
           "translation is missing" in warnings
    assert ("content/news/evaluasi-2025.md: warning: there is no 'en' version yet "
            "(content/news/evaluasi-2025.en.md)") in warnings
    assert "content/services/polres.yaml:29:5: warning: services[1]: never checked by the tenant " \
           "(no reviewed_on)" in warnings
    assert result.out.splitlines()[0] == f"0 error(s), {len(warnings)} warning(s)"


def test_old_review_is_flagged(project):
    edit(project, "content/services/polres.yaml", "reviewed_on: 2025-01-10", "reviewed_on: 2020-01-10")
    _, warnings = warnings_of(project)
    assert ("content/services/polres.yaml:28:18: warning: services[0].reviewed_on: last checked "
            "2020-01-10, more than 12 months ago") in warnings


def test_a_date_after_today_is_flagged_as_a_likely_typo(project):
    """A review dated 2052 would silence the review check for decades; news dated 2099 is published
    at once, showing that date. Today itself is not after today."""
    edit(project, "content/services/polres.yaml", "reviewed_on: 2025-01-10", "reviewed_on: 2099-01-10")
    edit(project, "content/news/evaluasi-2025.md", "date: 2025-01-21", "date: 2099-01-21")
    edit(project, "content/circulars/agenda-2024.md", "date: 2024-01-15", f"date: {datetime.date.today()}")
    _, warnings = warnings_of(project)
    assert [line for line in warnings if "after today" in line] == [
        "content/news/evaluasi-2025.md:3:7: warning: date: the date 2099-01-21 is after today: the document "
        "is published now, showing that date; check the year",
        "content/services/polres.yaml:28:18: warning: services[0].reviewed_on: last checked 2099-01-10, "
        "which is after today; write the date the service was really checked"]


def test_broken_markdown_link_with_hint(project):
    edit(project, "content/circulars/agenda-2024.md", "[layanan](/layanan/)", "[layanan](/layanann/)")
    _, warnings = warnings_of(project)
    assert ("content/circulars/agenda-2024.md:8:37: warning (fix before merging): the link '/layanann/' "
            "leads to no page (did you mean '/layanan/'?)") in warnings


def test_a_broken_link_in_a_translation_is_reported_in_its_own_file(project):
    edit(project, "content/circulars/agenda-2024.en.md", "(/layanan/skck/#syarat)", "(/layanan/skc/#syarat)")
    _, warnings = warnings_of(project)
    assert [w for w in warnings if "leads to no page" in w] == [
        "content/circulars/agenda-2024.en.md:5:55: warning (fix before merging): the link "
        "'/layanan/skc/#syarat' leads to no page (did you mean '/layanan/skck/'?)"]


def test_no_hint_for_a_link_unlike_any_page(project):
    edit(project, "content/circulars/agenda-2024.md", "(/layanan/)", "(/layanan/tidak-ada/)")
    _, warnings = warnings_of(project)
    assert ("content/circulars/agenda-2024.md:8:37: warning (fix before merging): the link "
            "'/layanan/tidak-ada/' leads to no page") in warnings


def test_broken_link_in_service_notes(project):
    edit(project, "content/services/polres.yaml", "[KTP-el](/layanan/ktp-el/).", "[KTP-el](/layanan/ktp/).")
    _, warnings = warnings_of(project)
    assert any(w.startswith("content/services/polres.yaml:27:17: warning (fix before merging): "
                            "services[0].notes.id: the link '/layanan/ktp/' leads to no page")
               for w in warnings), warnings


def test_unused_counter(project):
    edit(project, "content/services/polres.yaml", 'counters: ["4", "5"]', 'counters: ["4", "5", "6"]')
    _, warnings = warnings_of(project)
    assert ("content/services/polres.yaml:6:24: warning: tenant.counters[2]: counter '6' is not used "
            "by any service") in warnings


def test_strict_turns_warnings_into_failure(project):
    assert run(project, "check").code == 0
    result = run(project, "check", "--strict")
    assert result.code == 1
    count = sum(": warning" in line for line in result.lines)  # both kinds
    assert count > 0
    assert result.out.splitlines()[-1] == (f"Check failed: with --strict, the {count} warning(s) "
                                           "count as errors.")


def test_github_annotations(project, monkeypatch):
    monkeypatch.setitem(os.environ, "GITHUB_ACTIONS", "true")
    edit(project, "content/services/polres.yaml", "category: hukum", "category: hukm")
    result = run(project, "check")
    assert result.code == 1
    assert ("::error file=content/services/polres.yaml,line=10,col=15::services[0].category: category "
            "'hukm' is not in content/categories.yaml (did you mean 'hukum'?)") in result.lines
    edit(project, "content/services/polres.yaml", "category: hukm", "category: hukum")
    plain = run(project, "check")
    warnings = [line for line in plain.lines if line.startswith("::warning ")]
    assert plain.code == 0 and warnings and all(line.startswith("::warning file=") for line in warnings)
    strict = run(project, "check", "--strict")  # warnings fail the run: shown as errors
    assert strict.code == 1 and not [line for line in strict.lines if line.startswith("::warning ")]
    assert len([line for line in strict.lines if line.startswith("::error ")]) == len(warnings)


def test_github_annotations_escape_what_would_end_the_command():
    from mppsite.cli import report
    from mppsite.core.problems import Problems

    problems = Problems()  # as the build records them: control characters already made visible
    problems.add("content/pages/a,b:c.md", 3, 1, "", "broken_link", href="/x%0A\n::error::injected", hint="")
    stream = io.StringIO()
    with mock.patch.dict(os.environ, {"GITHUB_ACTIONS": "true"}):
        report(problems.items, "en", stream)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2 and not lines[0].startswith("::")
    assert lines[1] == ("::error file=content/pages/a%2Cb%3Ac.md,line=3,col=1::the link "
                        "'/x%250A\\n::error::injected' leads to no page")


def test_build_mentions_warnings_without_listing_them(project):
    result = run(project)
    assert result.code == 0
    assert "warning(s); run 'python build.py check' to see them." in result.out
    assert ": warning: " not in result.err


def test_bundled_content_has_no_errors_translations_or_broken_links():
    from conftest import ROOT
    result = run(ROOT, "check")
    assert result.code == 0, result.err
    # The bundled holidays end with the last SKB published (2026): the next year's is asked for
    # from December on, by the day the test runs (model/audit.py).
    import yaml

    from mppsite.model.audit import closures_due
    mall = yaml.safe_load((ROOT / "content" / "mpp.yaml").read_text(encoding="utf-8"))
    listed = {block["year"] for block in mall["closures"]}
    due = closures_due(datetime.date.today())
    stale = [line for line in result.err.splitlines() if "warning: closures: " in line]
    at = (ROOT / "content" / "mpp.yaml").read_text(encoding="utf-8").splitlines().index("closures:") + 1
    assert stale == ([] if due in listed else [
        f"content/mpp.yaml:{at}:1: warning: closures: the list of holidays for {due} is missing. As soon as "
        f"the government publishes the SKB on national holidays and cuti bersama for {due}, add under "
        f"'closures' a new block 'year: {due}' with its source and its dates; until then the site cannot "
        f"say 'closed today' on a holiday in {due}"])
    kinds = {line.split(": warning: ", 1)[1].split(": ", 1)[-1] for line in result.err.splitlines()
             if line not in stale}
    assert kinds == {"never checked by the tenant (no reviewed_on)"}, kinds
    assert result.err.count("never checked by the tenant") == 107
