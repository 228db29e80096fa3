#!/usr/bin/env python3
"""Search benchmark (run by hand):

    .venv/bin/python bench/bench_search.py 10000 [--repeat 50]

Imports the `digest` corpus of ../shared/bench/make_corpus.py into a fresh notebook, then measures
- `tilbook search` inside the process: `fts.search` on the refreshed local index, per query
  (median of --repeat runs), for English words, Korean words of 1-4 syllables and a phrase;
- the whole `tilbook search` command as a process (start-up, freshness check and query);
- the site's static index: build time, files and bytes; per query the bytes search.js downloads
  (meta, term shards, the postings pages it reads, the chunks of the 10 results it shows)
  and the time from submitting the search form to the results shown in headless Chromium;
  then the bytes for every Korean word of 2-5 syllables in the corpus (the largest ones).
"""
from __future__ import annotations

import argparse
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
from tilbook.site.search_index import SearchRecord, build_site_index
from tilbook.site.search_reader import search_files
from tilbook.site.build import build_site
from tilbook.tokens import is_cjk, runs

QUERIES = ["tensor", "socket", "dec", "텐서", "함수", "오류의", "동작합니다", "개", "\"context manager\"", "텐서 socket"]
"""Words of the corpus: English words and prefixes, Korean words of 1-5 syllables, a phrase, a mix."""


def site_bytes(files: dict[str, bytes], query: str) -> tuple[int, int]:
    """Bytes search.js downloads for `query` (meta, shards, split postings, the shown results'
    document chunks) and how many results it shows."""
    fetched: set[str] = set()
    hits = search_files(files, query.strip('"'), limit=10, fetched=fetched)
    return sum(len(files.get(rel, b"")) for rel in fetched), len(hits)


def chromium_ms(site: Path, queries: list[str]) -> dict[str, float]:
    """Milliseconds from submitting the search form to the results shown, in headless Chromium
    against a loopback server (a fresh page per query: nothing cached)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from tests.browser import browser_page, static_server
    timings = {}
    with static_server(site) as base, browser_page() as page:
        for query in queries:
            page.goto(base + "search/")
            page.fill("#search-input", query)
            timings[query] = page.evaluate("""() => new Promise(resolve => {
                const form = document.querySelector('form.search');
                const started = performance.now();
                new MutationObserver(() => {
                    if (form.getAttribute('data-state') === 'done') { resolve(performance.now() - started); }
                }).observe(form, {attributes: true});
                form.requestSubmit();
            })""")
    return timings


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
        build_site(nb, work / "site")
        files = {p.relative_to(work / "site" / "search").as_posix(): p.read_bytes()
                 for p in (work / "site" / "search").rglob("*.json")}
        browser = chromium_ms(work / "site", QUERIES)
        print(f"\n{'query':<18} {'hits':>5} {'in-process':>11} {'process':>9} {'site bytes':>11} {'shown':>6} {'Chromium':>9}")
        for query in QUERIES:
            times = []
            for _ in range(args.repeat):
                t = time.perf_counter()
                hits = fts.search(con, query, limit=20)
                times.append(time.perf_counter() - t)
            t = time.perf_counter()
            subprocess.run([TILBOOK, "search", query], cwd=nb, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            process = time.perf_counter() - t
            downloaded, shown = site_bytes(files, query)
            print(f"{query:<18} {len(hits):>5} {1000 * statistics.median(times):>9.2f}ms {process:>8.2f}s "
                  f"{downloaded:>11,} {shown:>6} {browser[query]:>7.0f}ms")
        records = _records(nb)
        t = time.perf_counter()
        build_site_index(records)
        print(f"\nsite index: {len(files)} files, {sum(map(len, files.values())) / 1e6:.1f} MB; "
              f"full build {time.perf_counter() - t:.2f} s")
        words = sorted({run for r in records for run in runs(r.title + " " + r.text) if is_cjk(run) and 2 <= len(run) <= 5})
        sizes = sorted(((site_bytes(files, word)[0], word) for word in words), reverse=True)
        print(f"site bytes of the {len(words)} Korean words of 2-5 syllables: largest "
              + ", ".join(f"{word} {size:,}" for size, word in sizes[:5])
              + f"; median {statistics.median(size for size, _ in sizes):,.0f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _records(nb: Path) -> list[SearchRecord]:
    """The same records a build indexes (text from the local index's plain text)."""
    notebook = load_notebook(nb)
    return [SearchRecord(id=n.rel, url=n.rel, title=n.title, date=n.date.isoformat(), category=n.category,
                         tags=n.tags, text=fts.plain_text(n.body)) for n in notebook.notes if not n.draft]


if __name__ == "__main__":
    main()
