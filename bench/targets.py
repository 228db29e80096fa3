#!/usr/bin/env python3
"""The incremental-build issue's targets, met or missed, from one run of bench_targets.sh:

    .venv/bin/python bench/targets.py 10000 --site /tmp/tilbook-peers/sites/tilbook-10000/site [--big results/build-big.json]

Reads the hyperfine results of bench_peers.sh (cold, edits, no-op of tilbook, Hugo and Pelican),
the preview figures of bench_serve.py, and bench_build.py's 10,000/100,000 rows when given; measures
the largest page and the search index's bytes per query (what search.js downloads, `site_bytes`)
on the site given. Times are ratios to Hugo's cold build of the same run. Prints a markdown table
and writes it to results/targets-N.md.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from bench_search import QUERIES, site_bytes

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"


def means(path: Path) -> dict[str, float]:
    return {r["command"]: r["mean"] for r in json.loads(path.read_text(encoding="utf-8"))["results"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notes", type=int)
    parser.add_argument("--site", type=Path, required=True)
    parser.add_argument("--big", type=Path)
    args = parser.parse_args()
    n = args.notes
    cold, incr, noop = (means(RESULTS / f"{kind}-{n}.json") for kind in ("cold", "incr", "noop"))
    incr.update(means(RESULTS / f"incr-tilbook-{n}.json"))  # tilbook's edits: more runs, their own file
    hugo = cold[f"hugo-{n}"]
    rows: list[tuple[str, str, str, bool]] = []

    def timed(name: str, seconds: float, divisor: float) -> None:
        rows.append((name, f"{seconds:.3f} s = Hugo cold / {hugo / seconds:.1f}", f"≤ Hugo cold / {divisor:g} "
                     f"({hugo / divisor:.3f} s)", seconds <= hugo / divisor))

    timed("one-note edit: a blank line", incr[f"tilbook-{n}-edit1"], 45)
    timed("one-note edit: a sentence", incr[f"tilbook-{n}-edit-sentence"], 45)
    timed("no-op build", noop[f"tilbook-{n}-noop"], 90)
    tilbook_cold = cold[f"tilbook-{n}"]
    rows.append(("cold build (with the search index)", f"{tilbook_cold:.2f} s = {tilbook_cold / hugo:.2f} × Hugo cold "
                 f"({hugo:.2f} s)", "≤ 0.6 × Hugo cold", tilbook_cold <= 0.6 * hugo))
    serve_file = RESULTS / f"serve-{n}.json"
    if serve_file.is_file():
        serve = json.loads(serve_file.read_text(encoding="utf-8"))
        rows.append(("preview: edit to reload in the open page", f"median {serve['median_ms']:.0f} ms "
                     f"({serve['min_ms']:.0f}–{serve['max_ms']:.0f})", "≤ 100 ms", serve["median_ms"] <= 100))
    pages = [p for p in args.site.rglob("*.html")]
    largest = max(pages, key=lambda p: p.stat().st_size)
    rows.append(("largest page", f"{largest.stat().st_size / 1e6:.2f} MB ({largest.relative_to(args.site)})",
                 "≤ 1 MB", largest.stat().st_size <= 1_000_000))
    files = {p.relative_to(args.site / "search").as_posix(): p.read_bytes() for p in (args.site / "search").rglob("*.json")}
    fetched = {query: site_bytes(files, query.strip('"'))[0] for query in QUERIES if len(query.strip('"')) > 1}
    worst = max(fetched, key=fetched.__getitem__)
    rows.append(("site search, bytes for one query", f"at most {fetched[worst] / 1000:.0f} KB (`{worst}`)",
                 "≤ 300 KB", fetched[worst] <= 300_000))
    if args.big:
        built = {row["notes"]: row for row in json.loads(args.big.read_text(encoding="utf-8"))}
        small, big = built[min(built)], built[max(built)]
        rows.append((f"{big['notes']:,} notes: peak memory of a cold build", f"{big['peak_mb']:,} MB", "< 2 GB",
                     big["peak_mb"] < 2048))
        ratio = big["ms_per_note_cold"] / small["ms_per_note_cold"]
        rows.append((f"{big['notes']:,} notes: ms per note, cold", f"{big['ms_per_note_cold']:.2f} = {ratio:.2f} × "
                     f"{small['notes']:,} notes' {small['ms_per_note_cold']:.2f}", "≤ 1.2 ×", ratio <= 1.2))
        ratio = big["edit_one_s"] / small["edit_one_s"]
        rows.append((f"{big['notes']:,} notes: one-note edit", f"{big['edit_one_s']:.2f} s = {ratio:.2f} × "
                     f"{small['notes']:,} notes' {small['edit_one_s']:.2f} s", "≤ 2 ×", ratio <= 2))
    table = [f"{n:,} notes; Hugo cold {hugo:.2f} s, Pelican cold {cold.get(f'pelican-{n}', float('nan')):.2f} s (hyperfine means)",
             "", "| target | measured | goal | |", "|---|---|---|---|"]
    table += [f"| {name} | {measured} | {goal} | {'met' if met else 'missed'} |" for name, measured, goal, met in rows]
    text = "\n".join(table) + "\n"
    print(text)
    (RESULTS / f"targets-{n}.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
