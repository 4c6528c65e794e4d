"""The changed catalogs, parsed and checked ahead by a process of its own while the build starts.

A rebuild after staff edited one catalog spends its first 0.2 s importing code, then parses and
checks that catalog with the schema, for which pydantic alone takes 0.1 s to import. Forked as
the command starts, this process does the second part (catalog_cache.check_ahead: it keeps what
it finds valid in the catalog cache) while the build imports the rest; the build then reads the
catalog from the cache, and needs no pydantic unless something has an error, which it finds and
reports as always (a catalog with an error is never kept).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from pathlib import Path


class Ahead:
    """The process started by `start`."""

    def __init__(self, pid: int):
        self.pid: int | None = pid

    def wait(self) -> None:
        """Until the process has ended (at once when it has)."""
        if self.pid is not None:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.pid, 0)
            self.pid = None

    def running(self) -> bool:
        """Whether the process has not ended yet."""
        if self.pid is None:
            return False
        try:
            pid, _ = os.waitpid(self.pid, os.WNOHANG)
        except ChildProcessError:
            pid = self.pid
        if pid:  # ended (and reaped just now)
            self.pid = None
        return self.pid is not None

    def stop(self) -> None:
        """End the process if it still runs (the build is over or was interrupted)."""
        if self.pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGTERM)
            self.wait()


def start(root: Path) -> Ahead | None:
    """Fork the process, where the system can and where it helps; None otherwise.

    It helps only a process that has not imported pydantic yet: one that has (a test running
    builds one after the other, say) checks a changed catalog as fast by itself.
    """
    if not hasattr(os, "fork") or "pydantic" in sys.modules:
        return None
    try:
        pid = os.fork()
    except OSError:
        return None
    if pid:
        return Ahead(pid)
    status = 1
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a Ctrl-C is the build's to report
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        from .catalog_cache import check_ahead

        check_ahead(root)
        status = 0
    except BaseException:  # whatever it could not do, the build does as usual
        pass
    finally:
        os._exit(status)
