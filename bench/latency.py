"""Save -> browser reload latency of `build.py serve`: the median over several one-line edits.

Runs `build.py --project SITE serve` on a free port, connects to its livereload websocket as the
page's script does, then edits one summary in a catalog (alternately adding and removing a word)
and measures from the moment the file is written until the reload message arrives. Between
edits it waits `--pause` seconds (the search index is refreshed after the reload meanwhile).

    .venv/bin/python bench/latency.py SITE [--edits 10] [--catalog content/services/polres.yaml]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tornado.websocket import websocket_connect

PROJECT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def edit(path: Path, add: bool) -> None:
    text = path.read_text(encoding="utf-8")
    if add:  # before the first capitalised word after the first `summary:`
        found = re.compile(r"[A-Z][a-z]").search(text, text.index("summary:"))
        assert found is not None, f"no summary found in {path}"
        path.write_text(text[:found.start()] + "Diperbarui. " + text[found.start():], encoding="utf-8")
    else:
        path.write_text(text.replace("Diperbarui. ", "", 1), encoding="utf-8")


async def measure(site: Path, catalog: Path, edits: int, pause: float) -> list[float]:
    port = free_port()
    errors = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115 (closed below)
    python = PROJECT / ".venv" / "bin" / "python"
    server = subprocess.Popen([str(python if python.exists() else sys.executable), str(PROJECT / "build.py"),
                               "--project", str(site), "--lang", "en", "serve", "--port", str(port)],
                              stdout=subprocess.PIPE, stderr=errors, text=True)
    try:
        assert server.stdout is not None
        for line in server.stdout:  # the address is printed once the first build is done
            if "http://" in line:
                break
        socket_ = await websocket_connect(f"ws://127.0.0.1:{port}/livereload")
        await socket_.write_message(json.dumps({"command": "hello", "protocols": [
            "http://livereload.com/protocols/official-7"]}))
        await socket_.read_message()
        await socket_.write_message(json.dumps({"command": "info", "url": f"http://127.0.0.1:{port}/"}))
        await asyncio.sleep(pause)
        times = []
        for number in range(edits):
            edit(catalog, add=number % 2 == 0)
            started = time.perf_counter()
            while True:
                message = json.loads(await socket_.read_message())
                if message.get("command") == "reload":
                    break
            times.append((time.perf_counter() - started) * 1000)
            print(f"edit {number + 1}: {times[-1]:.0f} ms", file=sys.stderr)
            await asyncio.sleep(pause)
        if edits % 2:
            edit(catalog, add=False)
        return times
    finally:
        server.terminate()
        server.wait(timeout=30)
        errors.seek(0)
        problems = errors.read()
        errors.close()
        if problems.strip():
            print(f"the preview reported problems:\n{problems}", file=sys.stderr)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--edits", type=int, default=10)
    parser.add_argument("--catalog", help="the catalog to edit (default: the first in content/services/)")
    parser.add_argument("--pause", type=float, default=2.0, help="seconds between edits")
    args = parser.parse_args()
    catalog = (args.site / args.catalog if args.catalog
               else sorted((args.site / "content" / "services").glob("*.yaml"))[0])
    times = asyncio.run(measure(args.site.resolve(), catalog, args.edits, args.pause))
    print(f"save -> reload, median of {len(times)} edits: {statistics.median(times):.0f} ms "
          f"(min {min(times):.0f}, max {max(times):.0f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
