#!/usr/bin/env python3
"""What related notes add to a build (run by hand):

    .venv/bin/python bench/bench_related.py 10000 [--runs 3]

Imports the shared `digest` corpus (bench/corpus.py), builds it once to fill the render cache, then
times, in this process, the related-notes step alone as a cold build runs it (`RelatedIndex` over
every note's cached search terms, then the top 5 of each note), and a whole cold build (caches and
output removed) for scale. Prints the figures and the share of the cold build.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from corpus import TILBOOK, imported_notebook


def related_seconds(nb: Path) -> float:
    from tilbook.notes import load_notebook
    from tilbook.pipeline import prepare
    from tilbook.related import RelatedIndex, note_doc

    prepared = prepare(load_notebook(nb), drafts=False)
    docs = [note_doc(p.note, prepared.cache.text_terms[job.key].split("\n"))
            for p, job in zip(prepared.plan.notes, prepared.jobs)]
    started = time.perf_counter()
    RelatedIndex(docs).all_related()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", type=int)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="tilbook-bench-related-"))
    try:
        nb, _ = imported_notebook(args.n, work)
        subprocess.run([TILBOOK, "build"], cwd=nb, check=True, stdout=subprocess.DEVNULL)
        related = statistics.median(related_seconds(nb) for _ in range(args.runs))
        cold = []
        for _ in range(args.runs):
            shutil.rmtree(nb / ".tilbook-cache", ignore_errors=True)
            shutil.rmtree(nb / "site", ignore_errors=True)
            started = time.perf_counter()
            subprocess.run([TILBOOK, "build"], cwd=nb, check=True, stdout=subprocess.DEVNULL)
            cold.append(time.perf_counter() - started)
        build = statistics.median(cold)
        print(f"{args.n} notes: related notes {related:.3f} s, cold build {build:.2f} s "
              f"({100 * related / build:.1f}% of it)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
