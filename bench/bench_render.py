#!/usr/bin/env python3
"""Markdown rendering alone, in one process (run by hand, with each install's python):

    .venv/bin/python bench/bench_render.py 2000 --runs 6
    /tmp/base/.venv/bin/python bench/bench_render.py 2000 --runs 6

Renders the notes of the `digest` corpus (../shared/bench/make_corpus.py) with one `Renderer`,
as a build worker does; prints the least CPU seconds of `--runs` passes (the least is the figure
other load on the machine disturbs least). `--no-linkify` switches bare-URL links off.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from corpus import SHARED


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notes", type=int)
    parser.add_argument("--runs", type=int, default=6)
    parser.add_argument("--no-linkify", action="store_true")
    args = parser.parse_args()
    from tilbook.render.markdown import Renderer
    with tempfile.TemporaryDirectory() as work:
        subprocess.run([sys.executable, str(SHARED / "make_corpus.py"), work, str(args.notes), "--flavor", "digest"],
                       check=True, stdout=subprocess.DEVNULL)
        notes = (Path(work) / "digest.md").read_text(encoding="utf-8").split("\n##### ")
    passes = []
    for _ in range(args.runs):
        renderer = Renderer()
        renderer.md.options["linkify"] = not args.no_linkify
        started = time.process_time()
        for index, note in enumerate(notes):
            renderer.render(note, id_prefix=f"n{index}")
        passes.append(time.process_time() - started)
    print(f"{len(notes)} notes: {min(passes):.3f} s CPU (least of {args.runs}), {1000 * min(passes) / len(notes):.3f} ms/note")


if __name__ == "__main__":
    main()
