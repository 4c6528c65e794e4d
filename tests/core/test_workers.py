"""workers.share: tasks shared by forked processes and, once its own work is done, the parent."""

from __future__ import annotations

import os
import signal
import time

import pytest

from mppsite.core import workers

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the workers are forked")


def no_child_left() -> bool:
    workers.reaped()  # the parent waits for its workers' exits in threads, after their results
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def test_every_task_is_done_once_and_the_parent_helps_after_its_own_work():
    parent = os.getpid()
    done_meanwhile: list[int] = []

    def do(task: int) -> tuple[int, int]:
        time.sleep(0.01)
        return (os.getpid(), task)

    results, failed = workers.share(list(range(40)), do, 1, lambda: done_meanwhile.append(1))
    assert failed is None and done_meanwhile == [1]
    assert sorted(task for _, task in results) == list(range(40))
    assert {pid == parent for pid, _ in results} == {True, False}  # both took tasks
    assert no_child_left()


def test_what_meanwhile_raises_comes_back_after_the_tasks():
    def fail() -> None:
        raise ValueError("feeds")

    results, failed = workers.share([1, 2, 3], lambda task: task * 2, 2, fail)
    assert sorted(results) == [2, 4, 6]
    assert isinstance(failed, ValueError) and str(failed) == "feeds"
    assert no_child_left()


def test_a_worker_that_dies_is_an_error_and_no_process_is_left():
    parent = os.getpid()

    def do(task: int) -> int:
        if task == 1 and os.getpid() != parent:
            os._exit(3)  # as a crash would
        return task

    with pytest.raises(RuntimeError, match="ended without its results"):
        workers.share(list(range(6)), do, 1, lambda: time.sleep(0.3))  # the child takes task 1
    assert no_child_left()


def test_a_ctrl_c_that_comes_with_a_fork_stops_the_child_too(tmp_path, monkeypatch):
    """Ctrl-C arriving just as a worker is forked, before the parent has noted it: the parent
    still stops it. (A child nobody stopped rendered on into the folder the build had removed.)"""
    real_fork = os.fork

    def fork_then_interrupted() -> int:
        pid = real_fork()
        if pid:
            os.kill(os.getpid(), signal.SIGINT)  # as a terminal's Ctrl-C, right after the fork
        return pid

    def do(task: int) -> int:
        time.sleep(0.2)
        (tmp_path / f"done-{task}").write_text("")  # a file written by a worker left running
        return task

    monkeypatch.setattr(os, "fork", fork_then_interrupted)
    # Ctrl-C raises KeyboardInterrupt, as in a terminal (a shell starts background commands, these
    # tests among them, with SIGINT ignored).
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with pytest.raises(KeyboardInterrupt):
            workers.share([1, 2], do, 1, lambda: None)
    finally:
        signal.signal(signal.SIGINT, previous)
    monkeypatch.undo()
    assert no_child_left()
    time.sleep(0.5)
    assert not list(tmp_path.iterdir())
