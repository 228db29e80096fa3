#!/usr/bin/env python3
"""Where a cold build's time goes, phase by phase, in one process (run by hand):

    cd NOTEBOOK && /path/to/tilbook/.venv/bin/python /path/to/tilbook/bench/phases.py

Builds the notebook in the current folder into its `site/` after moving any earlier `site/` and
cache aside (see corpus.set_aside: they are left in `.phases-trash/`, delete it yourself), and
prints when each phase started and how long it took, in seconds from the start: loading notes,
rendering them (`prepare`), the search index, each page step, the writing of pages
(`_made_in_workers` starts it; it ends at `commit`), and recording the build state.
"""
from __future__ import annotations

import functools
import time
from pathlib import Path
from typing import Any

from corpus import set_aside
from tilbook.site import assemble, build, state, writer

START = time.perf_counter()
LOG: list[tuple[str, float, float]] = []


def timed(owner: Any, name: str) -> None:
    """Replace `owner.name` by a function that logs its start and duration."""
    function = getattr(owner, name)

    @functools.wraps(function)
    def logged(*args: Any, **kwargs: Any) -> Any:
        began = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            LOG.append((name, began - START, time.perf_counter() - began))
    setattr(owner, name, logged)


def main() -> None:
    root = Path.cwd()
    for old in (root / "site", root / ".tilbook-cache"):
        set_aside(old, root / ".phases-trash")
    for name in ("load_notebook", "prepare", "add_search_index", "add_feeds", "_made_in_workers"):
        timed(assemble, name)
    for step in assemble.STEPS:
        timed(__import__(step.__module__, fromlist=["_"]), step.__name__)
    assemble.STEPS = [getattr(__import__(s.__module__, fromlist=["_"]), s.__name__) for s in assemble.STEPS]
    timed(writer.SiteWriter, "commit")
    timed(state, "record")
    build.build_site(root)
    for name, began, took in LOG:
        print(f"{name:20} at {began:6.2f} s  took {took:6.2f} s")
    print(f"{'end':20} at {time.perf_counter() - START:6.2f} s")


if __name__ == "__main__":
    main()
