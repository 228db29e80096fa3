#!/usr/bin/env python3
"""`tilbook review --due --json` benchmark (run by hand):

    .venv/bin/python bench/bench_review.py 10000 [--ratings 10000] [--runs 20]

Imports the `digest` corpus into a fresh notebook, writes a review log of --ratings lines (every
note rated once, and a tenth of them again, over the last --days days: with --days 90 nearly every
note is due, the worst case; with --days 7 most wait for their next interval), warms the
caches with one run, then times the whole command as a process, start-up included: median and
worst of --runs. Each run is followed by one of `python -c pass` (the same interpreter), the peer
that makes figures from a loaded machine comparable: its median and the ratio are printed, with
the load average.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from corpus import TILBOOK, imported_notebook

from tilbook.config import CONFIG_NAME, load_config
from tilbook.review.heads import load_heads
from tilbook.review.identity import card_id
from tilbook.reviewlog import LOG_PATH


def write_log(nb: Path, ratings: int, days: int) -> None:
    heads = load_heads(nb, load_config(nb / CONFIG_NAME))
    rng = random.Random(18)
    start = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=days)
    lines = []
    for index in range(ratings):
        head = heads[index % len(heads)] if index < len(heads) else rng.choice(heads[: len(heads) // 10])
        when = start + dt.timedelta(minutes=index * days * 24 * 60 // ratings)
        lines.append(json.dumps({"note": card_id(head.date.isoformat(), head.text), "path": head.rel,
                                 "date": head.date.isoformat(), "title": head.title, "text": head.text,
                                 "rating": rng.choice((2, 3, 3, 3, 4)), "time": when.isoformat(timespec="milliseconds")},
                                ensure_ascii=False))
    (nb / LOG_PATH).parent.mkdir(exist_ok=True)
    (nb / LOG_PATH).write_text("\n".join(lines) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("notes", type=int)
    parser.add_argument("--ratings", type=int, default=None)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--days", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        nb, _ = imported_notebook(args.notes, Path(work))
        write_log(nb, args.ratings if args.ratings is not None else args.notes, args.days)
        command = [TILBOOK, "review", "--due", "--json"]
        first = time.perf_counter()
        warm = subprocess.run(command, cwd=nb, capture_output=True, text=True)
        cold = time.perf_counter() - first
        times = []
        peer = []
        for _ in range(args.runs):
            started = time.perf_counter()
            subprocess.run(command, cwd=nb, capture_output=True, check=False)
            times.append(time.perf_counter() - started)
            started = time.perf_counter()
            subprocess.run([sys.executable, "-c", "pass"], cwd=nb, capture_output=True, check=False)
            peer.append(time.perf_counter() - started)
        due = len(warm.stdout.splitlines())
        median, peer_median = statistics.median(times), statistics.median(peer)
        print(f"{args.notes} notes, {len(open(nb / LOG_PATH).readlines())} log lines, {due} due: "
              f"first run (no review cache) {cold * 1000:.0f} ms; warm median {median * 1000:.0f} ms, "
              f"worst {max(times) * 1000:.0f} ms over {args.runs} runs; `python -c pass` median "
              f"{peer_median * 1000:.0f} ms (ratio {median / peer_median:.1f}); load average "
              + " ".join(f"{load:.2f}" for load in os.getloadavg()), file=sys.stdout)


if __name__ == "__main__":
    main()
