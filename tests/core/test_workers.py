"""workers.share: tasks done by forked processes while the parent does its own work."""

from __future__ import annotations

import os
import signal
import time

import pytest

from mppsite.core import workers

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the workers are forked")


def no_child_left() -> bool:
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def test_every_task_is_done_once_by_a_worker_or_by_the_parent_after_its_own_work():
    parent = os.getpid()
    done_meanwhile: list[int] = []

    def do(task: int) -> tuple[int, int]:  # a closure: inherited by the forked workers, not pickled
        time.sleep(0.01)
        return (os.getpid(), task)

    results, failed = workers.share(list(range(40)), do, 2, lambda: done_meanwhile.append(1))
    assert failed is None and done_meanwhile == [1]
    assert [task for _, task in results] == list(range(40))
    by = [pid for pid, _ in results]
    # The one worker takes tasks from the start; the parent, its own work done, from the end.
    assert by[0] != parent and by[-1] == parent
    assert by == sorted(by, key=lambda pid: pid == parent)  # one run each: they met once
    assert no_child_left()


def test_the_parent_takes_only_tasks_no_worker_has_begun():
    def meanwhile() -> None:  # long enough for the worker to do them all
        time.sleep(1.0)

    results, _ = workers.share(list(range(5)), lambda task: os.getpid(), 2, meanwhile)
    assert os.getpid() not in results
    assert no_child_left()


def test_what_meanwhile_raises_comes_back_after_the_tasks():
    def fail() -> None:
        raise ValueError("feeds")

    results, failed = workers.share([1, 2, 3], lambda task: task * 2, 2, fail)
    assert results == [2, 4, 6]
    assert isinstance(failed, ValueError) and str(failed) == "feeds"
    assert no_child_left()


def test_a_worker_that_dies_is_an_error_and_no_process_is_left():
    def do(task: int) -> int:
        if task == 1:
            os._exit(3)  # as a crash would
        return task

    with pytest.raises(RuntimeError, match="ended without its results"):  # (the parent waits
        workers.share(list(range(6)), do, 2, lambda: time.sleep(1.0))  # until the worker died)
    assert no_child_left()


def test_a_ctrl_c_stops_the_workers_and_none_is_left(tmp_path):
    """Ctrl-C in the parent (a terminal's reaches the workers too, which ignore it): the parent
    raises it, the tasks not yet begun are dropped, and every worker has ended."""
    def do(task: int) -> int:
        time.sleep(0.05)
        (tmp_path / f"done-{task}").write_text("")
        return task

    def interrupted() -> None:
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(1)

    # Ctrl-C raises KeyboardInterrupt, as in a terminal (a shell starts background commands, these
    # tests among them, with SIGINT ignored).
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with pytest.raises(KeyboardInterrupt):
            workers.share(list(range(100)), do, 2, interrupted)
    finally:
        signal.signal(signal.SIGINT, previous)
    assert no_child_left()
    done = len(list(tmp_path.iterdir()))
    time.sleep(0.3)
    assert len(list(tmp_path.iterdir())) == done < 100
