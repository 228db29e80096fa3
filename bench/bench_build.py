#!/usr/bin/env python3
"""Build benchmark of tilbook alone (run by hand):

    .venv/bin/python bench/bench_build.py 1000 10000 [--runs 3]

For each N: generate the `digest` corpus with ../shared/bench/make_corpus.py, `tilbook import` it
into a fresh notebook (timed), then time `tilbook build` as a whole process — cold (no cache, no
previous site), warm with nothing changed, and after editing one note — and the peak memory of the
cold build (max RSS of the process and its workers). Prints one table; writes bench/results/build.json.
"""
from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from corpus import TILBOOK, imported_notebook, set_aside

HERE = Path(__file__).resolve().parent


def timed(args: list[str], cwd: Path) -> tuple[float, int]:
    """Wall seconds and peak RSS (MB) of one command, children included."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    subprocess.run(args, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak, before) // 1024


def bench(n: int, runs: int, work: Path) -> dict[str, float]:
    nb, import_s = imported_notebook(n, work)
    cold, incr, noop, peaks = [], [], [], []
    for _ in range(runs):
        set_aside(nb / "site", nb.parent / "trash")  # not deleted: see corpus.set_aside
        set_aside(nb / ".tilbook-cache", nb.parent / "trash")
        seconds, peak = timed([TILBOOK, "build"], nb)
        cold.append(seconds)
        peaks.append(peak)
    note = sorted((nb / "notes").rglob("*.md"))[42]
    for i in range(runs):
        noop.append(timed([TILBOOK, "build"], nb)[0])
        with open(note, "a", encoding="utf-8") as handle:
            handle.write(f"\n\nEdited line {i} for the benchmark.\n")
        incr.append(timed([TILBOOK, "build"], nb)[0])
    return {"notes": n, "import_s": import_s, "cold_s": statistics.median(cold), "noop_s": statistics.median(noop),
            "edit_one_s": statistics.median(incr), "peak_mb": max(peaks),
            "ms_per_note_cold": 1000 * statistics.median(cold) / n}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="+", type=int)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="tilbook-bench-"))
    rows = []
    try:
        for n in args.sizes:
            rows.append(bench(n, args.runs, work))
            print(json.dumps(rows[-1]), flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"\n{'notes':>7} {'import':>8} {'cold':>8} {'no-op':>8} {'edit 1':>8} {'ms/note':>8} {'peak MB':>8}")
    for r in rows:
        print(f"{r['notes']:>7} {r['import_s']:>7.2f}s {r['cold_s']:>7.2f}s {r['noop_s']:>7.2f}s "
              f"{r['edit_one_s']:>7.2f}s {r['ms_per_note_cold']:>8.2f} {r['peak_mb']:>8}")
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / "build.json").write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
