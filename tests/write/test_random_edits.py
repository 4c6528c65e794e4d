"""Random edits (tests/tools/random_edits.py), each build compared with a build from nothing: a few
seeds, in a plain build's process and in the preview's. More seeds by hand when a cache changes."""

from __future__ import annotations

import pytest
from conftest import MINI
from tools.random_edits import run


@pytest.mark.parametrize(("seed", "preview"), [(1, False), (6, True)], ids=["build", "preview"])
def test_random_edits_give_a_cold_builds_bytes(tmp_path, seed, preview):
    # Seed 6 in the preview added a template over a built-in one, which the preview once missed.
    tally = run(MINI, seed, 12, preview, tmp_path)
    assert tally["ok"] >= 6 and tally["error"] >= 1, tally  # both kinds of step were taken
