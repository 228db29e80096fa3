#!/usr/bin/env python3
"""Search benchmark (run by hand):

    .venv/bin/python bench/bench_search.py 10000 [--repeat 50]

Imports the `digest` corpus of ../shared/bench/make_corpus.py into a fresh notebook, then measures
- `tilbook search` inside the process: `fts.search` on the refreshed local index, per query
  (median of --repeat runs), for English words, Korean words of 1-4 syllables and a phrase;
- the whole `tilbook search` command as a process (start-up, freshness check and query);
- the site's static index: build time, files and bytes, and the bytes a browser downloads per
  query (one term shard per query word part plus the document chunks of the first 20 results).
"""
from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from corpus import TILBOOK, imported_notebook

from tilbook.notes import load_notebook
from tilbook.search import fts
from tilbook.search.site_index import SearchRecord, build_site_index, chunk_of, search_files, shard_key
from tilbook.search.tokens import is_cjk, normalise, runs
from tilbook.site.build import build_site

QUERIES = ["tensor", "socket", "dec", "텐서", "함수", "오류의", "동작합니다", "개", "\"context manager\"", "텐서 socket"]
"""Words of the corpus: English words and prefixes, Korean words of 1-5 syllables, a phrase, a mix."""


def bytes_per_query(files: dict[str, bytes], query: str) -> int:
    """What search.js downloads: the shard of every query word part, then the first 20 hits' chunks."""
    needed: set[str] = set()
    for word in normalise(query.strip('"')).split():
        for part in runs(word):
            if is_cjk(part):
                needed.update(f"t/{shard_key(part[i:i + 2])}.json" for i in range(len(part) - 1))
            else:
                needed.add(f"t/{shard_key(part)}.json")
    hits = search_files(files, query.strip('"'))
    chunks = {f"d/{chunk_of(doc)}.json" for doc in _doc_ids(files, hits)}
    return sum(len(files.get(rel, b"")) for rel in needed | chunks)


def _doc_ids(files: dict[str, bytes], hits: list[dict[str, str]]) -> list[str]:
    wanted = {h["url"] for h in hits}
    found = []
    for rel, data in files.items():
        if rel.startswith("d/"):
            for doc, entry in json.loads(data).items():
                if entry[0] in wanted:
                    found.append(doc)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notes", type=int)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="tilbook-bench-search-"))
    try:
        nb, _ = imported_notebook(args.notes, work)
        notebook = load_notebook(nb)
        started = time.perf_counter()
        con = fts.connect(nb)
        fts.refresh(con, notebook)
        print(f"local index: first refresh of {args.notes} notes {time.perf_counter() - started:.2f} s")
        started = time.perf_counter()
        fts.refresh(con, notebook)
        print(f"local index: refresh with nothing changed {1000 * (time.perf_counter() - started):.1f} ms")
        print(f"\n{'query':<14} {'hits':>5} {'in-process':>11} {'process':>9} {'site bytes':>11}")
        build_site(nb, work / "site")
        files = {p.relative_to(work / "site" / "search").as_posix(): p.read_bytes()
                 for p in (work / "site" / "search").rglob("*.json")}
        for query in QUERIES:
            times = []
            for _ in range(args.repeat):
                t = time.perf_counter()
                hits = fts.search(con, query, limit=20)
                times.append(time.perf_counter() - t)
            t = time.perf_counter()
            subprocess.run([TILBOOK, "search", query], cwd=nb, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            process = time.perf_counter() - t
            print(f"{query:<14} {len(hits):>5} {1000 * statistics.median(times):>9.2f}ms {process:>8.2f}s "
                  f"{bytes_per_query(files, query):>11,}")
        records = _records(nb)
        t = time.perf_counter()
        build_site_index(records)
        print(f"\nsite index: {len(files)} files, {sum(map(len, files.values())) / 1e6:.1f} MB; "
              f"full build {time.perf_counter() - t:.2f} s")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _records(nb: Path) -> list[SearchRecord]:
    """The same records a build indexes (text from the local index's plain text)."""
    notebook = load_notebook(nb)
    return [SearchRecord(id=n.rel, url=n.rel, title=n.title, date=n.date.isoformat(), category=n.category,
                         tags=n.tags, text=fts.plain_text(n.body)) for n in notebook.notes if not n.draft]


if __name__ == "__main__":
    main()
