#!/usr/bin/env python3
"""Build the MPP site: `python build.py` (build), `check`, `serve`, `schema`. See --help."""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

if __name__ == "__main__":
    # No cyclic garbage collection while the modules are imported (they make no garbage worth
    # it: 10 ms less before the first catalog is read); cli.main turns it back on for `serve`,
    # and a build pauses it anyway (pipeline.collector_paused).
    import gc

    gc.disable()
    # The changed catalogs are checked by a process of their own from the start (mppsite/ahead.py),
    # forked once what both processes need is imported (the reading and checking of catalogs).
    import mppsite.catalog_cache
    import mppsite.config  # noqa: F401
    from mppsite.ahead import start_early

    ahead = start_early(sys.argv[1:], HERE)
    from mppsite.cli import exit_now, main

    exit_now(main(default_project=HERE, ahead=ahead))
