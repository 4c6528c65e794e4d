#!/usr/bin/env python3
"""Build the MPP site: `python build.py` (build), `check`, `serve`, `schema`. See --help."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from mppsite.cli import exit_now, main

if __name__ == "__main__":
    exit_now(main(default_project=Path(__file__).resolve().parent))
