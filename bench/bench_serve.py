#!/usr/bin/env python3
"""Edit-to-reload time of the preview server (run by hand):

    .venv/bin/python bench/bench_serve.py 1000 [--edits 15] [--notebook NB] [--json OUT]

Imports the `digest` corpus of ../shared/bench/make_corpus.py into a fresh notebook, starts
`tilbook serve` on a free loopback port, listens to its reload stream like an open browser tab,
then appends a line to one note and measures the time from the file write until the reload event
has arrived and the note's page serves the new line. Prints the median and the spread, and
whether the slowest edit stayed within --limit seconds (2 s: the figure tests/serve once asserted
by wall clock; the tests now check only that the reload happens, timing lives here). --notebook
serves an existing notebook of that many notes instead (its note gets the edits); --json writes
the figures (bench/bench_targets.sh uses both).
"""
from __future__ import annotations

import argparse
import http.client
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

from corpus import TILBOOK, imported_notebook

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repository, for tests.loopback
from tests.loopback import free_port, get  # noqa: E402


class ReloadStream:
    """Reads /__tilbook__/events in a thread and records when each `reload` arrives."""

    def __init__(self, port: int) -> None:
        self.reloads: list[float] = []
        self.ready = threading.Event()
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.conn.request("GET", "/__tilbook__/events")
        self.response = self.conn.getresponse()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for raw in self.response:
            line = raw.decode("utf-8").strip()
            if line == "event: hello":
                self.ready.set()
            elif line == "event: reload":
                self.reloads.append(time.perf_counter())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notes", type=int)
    parser.add_argument("--edits", type=int, default=15)
    parser.add_argument("--limit", type=float, default=2.0, help="seconds an edit may take to reach the page")
    parser.add_argument("--notebook", type=Path, help="an existing notebook to serve (instead of importing one)")
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="tilbook-bench-serve-"))
    server = None
    try:
        nb = args.notebook.resolve() if args.notebook else imported_notebook(args.notes, work)[0]
        listed = [json.loads(line) for line in subprocess.run([TILBOOK, "list", "--json"], cwd=nb, check=True,
                                                               capture_output=True, text=True).stdout.splitlines()]
        entry = listed[len(listed) // 2]
        note = nb / entry["path"]
        url = quote("/" + entry["date"].replace("-", "/") + "/" + entry["slug"] + "/")
        port = free_port()
        server = subprocess.Popen([TILBOOK, "serve", "--port", str(port)], cwd=nb, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True)
        rebuilds: list[float] = []

        def read_log() -> None:  # "rebuilt in 0.12 s (…)": the rebuild alone, inside the server
            assert server is not None and server.stdout is not None
            for line in server.stdout:
                if line.startswith("rebuilt in "):
                    rebuilds.append(float(line.split()[2]))

        threading.Thread(target=read_log, daemon=True).start()
        started = time.perf_counter()
        while get(port, url, timeout=10)[0] != 200:
            if time.perf_counter() - started > 600 or server.poll() is not None:
                sys.exit("the server did not come up")
            time.sleep(0.1)
        print(f"first build and start: {time.perf_counter() - started:.2f} s; page {url}", flush=True)
        stream = ReloadStream(port)
        stream.ready.wait(10)
        times = []
        for edit in range(args.edits):
            marker = f"bench-edit-{edit}-{time.time_ns()}"
            seen = len(stream.reloads)
            written = time.perf_counter()
            with open(note, "a", encoding="utf-8") as handle:
                handle.write(f"\n\n{marker}\n")
            while True:
                if len(stream.reloads) > seen and marker in get(port, url, timeout=10)[1]:
                    break
                if time.perf_counter() - written > 60:
                    sys.exit(f"edit {edit} never showed up")
                time.sleep(0.005)
            times.append(time.perf_counter() - written)
            time.sleep(0.3)  # let the watcher settle between edits
        print(f"{args.notes} notes, {args.edits} edits: edit-to-reload median {statistics.median(times) * 1000:.0f} ms, "
              f"min {min(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms"
              + (f"; rebuild inside the server median {statistics.median(rebuilds) * 1000:.0f} ms" if rebuilds else ""))
        verdict = "met" if max(times) <= args.limit else "MISSED"
        print(f"limit {args.limit:.1f} s per edit: {verdict} (slowest {max(times):.2f} s)")
        if args.json:
            args.json.write_text(json.dumps({"notes": args.notes, "edits": args.edits, "median_ms": statistics.median(times) * 1000,
                                             "min_ms": min(times) * 1000, "max_ms": max(times) * 1000,
                                             "rebuild_median_ms": statistics.median(rebuilds) * 1000 if rebuilds else None},
                                            indent=2) + "\n", encoding="utf-8")
    finally:
        if server is not None:
            server.terminate()
            server.wait(30)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
