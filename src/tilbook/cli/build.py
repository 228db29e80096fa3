"""`tilbook build`: the static site, with a progress bar in a terminal."""
from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

import click

from .common import notebook_root, shown


@click.command()
@click.argument("notebook", required=False, type=click.Path(file_okay=False))
@click.option("-o", "--output", type=click.Path(), help="Output folder (default: site/ in the notebook).")
@click.option("--drafts", is_flag=True, help="Show drafts (marked; such a build must not be published).")
@click.option("--strict", is_flag=True, help="Treat warnings as errors: nothing is written.")
@click.option("-j", "--jobs", type=int, help="Worker processes for rendering (default: all cores).")
def build(notebook: str | None, output: str | None, drafts: bool, strict: bool,
          jobs: int | None) -> None:
    """Build the static site."""
    from ..site.build import build_site

    root = notebook_root(notebook)
    progress = _BuildProgress() if sys.stderr.isatty() else None  # CI gets the summary line only
    try:
        result = build_site(root, Path(output) if output else None, drafts=drafts, strict=strict, workers=jobs,
                            progress=progress)
    finally:
        if progress:
            progress.close()
    for notice in result.notices:
        click.echo(f"note: {notice}", err=True)
    for warning in result.warnings:
        click.echo(str(warning), err=True)
    click.echo(f"built {shown(result.out)}: {result.summary()}")


class _BuildProgress:
    """A Rich progress bar on stderr, shown only once a build has taken half a second."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.bar: Any = None
        self.tasks: dict[str, Any] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self.bar is None:
            if time.monotonic() - self.started < 0.5:
                return
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
            self.bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                TimeElapsedColumn(), console=Console(stderr=True), transient=True)
            self.bar.start()
        if stage not in self.tasks:
            self.tasks[stage] = self.bar.add_task(stage, total=total)
        self.bar.update(self.tasks[stage], completed=done, total=total)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
