"""The recipe itself: what a build does to the process it runs in."""

from __future__ import annotations

import gc

import pytest
from conftest import edit

import mppsite.pipeline
import mppsite.write.publish
from mppsite.core.problems import ContentError


def test_a_build_runs_without_the_cyclic_collector_and_turns_it_back_on(project, monkeypatch):
    seen: list[bool] = []
    write_extras = mppsite.write.publish.write_extras

    def recording(*args, **kwargs):  # late in the build: after the model, while pages are written
        seen.append(gc.isenabled())
        return write_extras(*args, **kwargs)

    monkeypatch.setattr(mppsite.write.publish, "write_extras", recording)
    assert gc.isenabled()
    mppsite.pipeline.build(project)
    assert seen == [False]
    assert gc.isenabled()


def test_a_failed_build_or_check_turns_the_collector_back_on(project):
    edit(project, "content/services/polres.yaml", "id: skck", "id: SKCK tidak sah")
    for step in (mppsite.pipeline.prepare, mppsite.pipeline.build):
        with pytest.raises(ContentError):
            step(project)
        assert gc.isenabled()
