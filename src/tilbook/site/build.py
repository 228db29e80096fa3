"""`tilbook build`: the site of a notebook, rebuilt only when something it is made from changed.

The build state (`site/state.py`) answers a build with nothing to do from one directory scan;
otherwise `site/assemble.py` does the work (gather → plan → render → write) and the state is
recorded once the new site is in place. This module imports nothing heavy, so a build with
nothing to do costs what starting Python costs.
"""
from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterator
from pathlib import Path

from ..errors import BuildError
from ..paths import NOTES_DIR, cache_dir
from . import state
from .result import BuildResult, BuildWarning
from .outfolder import check_output_folder


def build_site(root: Path, out: Path | None = None, *, drafts: bool = False, strict: bool = False,
               workers: int | None = None, progress: Callable[[str, int, int], None] | None = None,
               later: list[Callable[[], None]] | None = None, changed: list[str] | None = None) -> BuildResult:
    """Build the site of the notebook at `root` into `out` (default `site/` in the notebook).

    With `later`, writing the caches and the build state for the next build is left to the
    caller (append order): the preview server runs them after the browser was told to reload.
    Skipping them is safe; the next build is only slower. `changed`: the notebook-relative paths
    that changed since the last build, when the caller knows them (the preview server's file
    events): then note files are not scanned.

    The cyclic garbage collector is paused meanwhile: a build makes hundreds of thousands of
    short-lived acyclic objects, and collection passes over them cost ~10% of the time (measured
    at 10,000 notes, same peak memory)."""
    root = root.resolve()
    target = check_output_folder(out if out is not None else root / "site", root, root / NOTES_DIR)
    cache = cache_dir(root)
    last = state.last_build(cache, target, drafts=drafts)
    inputs = state.read_inputs(root, last.notes if last is not None else None, changed)
    full_because = ""
    if last is not None and last.same_extra and last.others == inputs.others:
        if not inputs.notes.differing(last.notes):
            return _unchanged(target, drafts, strict, last.report)
        from .quick import quick_build  # only notes changed: maybe a few of them, in place
        with _no_cyclic_gc():  # in the preview server a collection would walk its whole heap
            quick = quick_build(root, target, cache, drafts=drafts, strict=strict, inputs=inputs, last=last)
        if not isinstance(quick, str):
            return quick
        full_because = quick
    from . import records  # a build with nothing to do needs neither it nor the YAML parser it brings
    con = state.connect(cache)
    try:
        state.forget(cache, target, con)
        recorded = records.kept_checks(con, str(target))
    finally:
        con.close()
    from .assemble import assemble_site, note_rows, warning_groups  # the heavy part: markdown, math, templates, workers
    from .context import Lazy

    with _no_cyclic_gc():
        result, site = assemble_site(root, target, drafts=drafts, strict=strict, workers=workers, progress=progress,
                                     later=later, recorded=recorded)
    result.full_because = full_because
    report = {"notes": result.notes, "pages": result.pages, "notices": result.notices,
              "warnings": [[w.path, w.line, w.code, w.message] for w in result.warnings],
              "warning_groups": warning_groups(site), "nav": site.nav}
    pages = [rel for rel, item in site.files.items() if isinstance(item, Lazy) and item.recorded]

    def record() -> None:
        state.record(cache, target, drafts=drafts, inputs=inputs, extra=[*site.media.values(), *site.looked_up],
                     report=report,
                     also=lambda con: records.write(con, str(target), note_rows(site), site.recipes, pages,
                                                    site.connections.df))

    if later is None:
        record()
    else:
        later.append(record)  # after the manifest, which `later` also writes
    return result


@contextlib.contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """The cyclic garbage collector paused (see `build_site`), as it was before afterwards."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _unchanged(target: Path, drafts: bool, strict: bool, report: dict[str, object]) -> BuildResult:
    """The result of a build with nothing to do: what the last one reported, nothing written."""
    warnings = [BuildWarning(*w) for w in report["warnings"]]  # type: ignore[attr-defined]
    if strict and warnings:
        raise BuildError(f"{len(warnings)} warnings and --strict: nothing was written",
                         hint="fix them, e.g. " + str(warnings[0]))
    pages = int(report["pages"])  # type: ignore[call-overload]
    return BuildResult(out=target, notes=int(report["notes"]), pages=pages, unchanged=pages,  # type: ignore[call-overload]
                       drafts=drafts, warnings=warnings, notices=list(report.get("notices", [])),  # type: ignore[call-overload]
                       up_to_date=True)
