#!/usr/bin/env python3
"""Build the MPP site: `python build.py` (build), `check`, `serve`, `schema`. See --help."""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

if __name__ == "__main__":
    from mppsite.cli import exit_now, main

    exit_now(main(default_project=HERE))
