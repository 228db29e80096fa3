#!/usr/bin/env python3
"""Cold builds of one notebook by two tilbook installs, alternating (run by hand):

    git worktree add /tmp/base <commit> && (cd /tmp/base && python3 -m venv .venv && .venv/bin/pip install -e .)
    .venv/bin/python bench/bench_ab.py 10000 --runs 6 --before /tmp/base/.venv/bin/tilbook

The corpus is imported once (by this checkout's tilbook); each run deletes the site and the cache
and builds with one install, then the other (the order flips every run, so a machine that slows
down or speeds up during the runs weighs on both alike). Prints wall and CPU seconds (the build
process and its workers) per build, medians, and after/before ratios.
"""
from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from corpus import TILBOOK, imported_notebook, set_aside


def cold_build(tool: str, nb: Path) -> tuple[float, float]:
    set_aside(nb / "site", nb.parent / "trash")  # not deleted: see corpus.set_aside
    set_aside(nb / ".tilbook-cache", nb.parent / "trash")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([tool, "build"], cwd=nb, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notes", type=int)
    parser.add_argument("--runs", type=int, default=6)
    parser.add_argument("--before", required=True, help="the baseline install's tilbook executable")
    args = parser.parse_args()
    tools = [("before", args.before), ("after", TILBOOK)]
    work = Path(tempfile.mkdtemp(prefix="tilbook-ab-"))
    walls: dict[str, list[float]] = {"before": [], "after": []}
    cpus: dict[str, list[float]] = {"before": [], "after": []}
    for _, tool in tools:  # bytecode as a user's install has it (see bench_peers.sh)
        subprocess.run([str(Path(tool).parent / "python"), "-c", "import compileall, os, tilbook; "
                        "compileall.compile_dir(os.path.dirname(tilbook.__file__), quiet=1)"], check=True)
    try:
        nb, _ = imported_notebook(args.notes, work)
        for run in range(args.runs):
            for name, tool in tools if run % 2 == 0 else tools[::-1]:
                wall, cpu = cold_build(tool, nb)
                walls[name].append(wall)
                cpus[name].append(cpu)
                print(f"{name:6} wall {wall:6.2f} s  cpu {cpu:6.2f} s", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for label, table in (("wall", walls), ("cpu", cpus)):
        before, after = statistics.median(table["before"]), statistics.median(table["after"])
        print(f"{label}: before {before:.2f} s, after {after:.2f} s, after/before {after / before:.3f}")


if __name__ == "__main__":
    main()
