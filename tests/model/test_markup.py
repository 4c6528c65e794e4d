"""A heading written as a top-level one ('# ...', a line underlined with '===', or <h1>) in a
document's body is shown as a section heading: the page's title stays its only h1, and nothing
staff wrote is flattened into the next paragraph."""

from __future__ import annotations

import pytest
from conftest import edit, run, soup

NEWS = "content/news/evaluasi-2025.md"
BODY = "Ada 107 layanan."


@pytest.mark.parametrize("heading", ["# Jadwal baru", "Jadwal baru\n===========",
                                     "<h1 class='x'>Jadwal baru</h1>"], ids=["hash", "underlined", "html"])
def test_a_top_level_heading_in_the_text_is_a_section_heading(project, heading):
    edit(project, NEWS, BODY, f"{heading}\n\n{BODY}")
    result = run(project)
    assert result.code == 0, result.err
    main = soup(project / "output/berita/evaluasi-2025/index.html").select_one("main")
    assert [h1.get_text(strip=True) for h1 in main.select("h1")] == ["Evaluasi pelayanan publik Januari 2025"]
    assert [str(h2) for h2 in main.select(".prose h2")] == ["<h2>Jadwal baru</h2>"]
    assert main.select_one(".prose h2 + p").get_text().startswith(BODY)
