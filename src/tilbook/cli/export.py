"""`tilbook export`: notes out as one digest post."""
from __future__ import annotations

from pathlib import Path

import click

from ..notes import load_notebook
from .common import notebook_root


@click.command()
@click.option("--category", help="Only notes of this category.")
@click.option("--tag", help="Only notes with this tag.")
@click.option("--order", type=click.Choice(["asc", "desc"]), help="Oldest or newest first (default: the notebook's).")
@click.option("--style", type=click.Choice(["category", "date"]), default="category", show_default=True,
              help="Headings: '<emoji> <category>' + date line, or '🗓 <date>'.")
@click.option("--title", help="Title of the post.")
@click.option("--draft", is_flag=True, help="Write a draft post (includes draft notes).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to FILE instead of stdout.")
def export(category: str | None, tag: str | None, order: str | None, style: str,
           title: str | None, draft: bool, output: str | None) -> None:
    """Write notes as one digest post (the lumen format)."""
    from ..exporter import export_post
    from ..fsutil import atomic_write

    text = export_post(load_notebook(notebook_root()), category=category, tag=tag, order=order, style=style,
                       title=title, draft=draft)
    if output:
        atomic_write(Path(output), text)
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text, nl=False)
