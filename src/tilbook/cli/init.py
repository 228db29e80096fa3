"""`tilbook init`: a new notebook."""
from __future__ import annotations

from pathlib import Path

import click

from .common import shown


@click.command()
@click.argument("directory", default=".", type=click.Path(file_okay=False))
@click.option("--title", help="The notebook's title.")
def init(directory: str, title: str | None) -> None:
    """Create a new notebook in DIRECTORY (default: here)."""
    from ..capture import init_notebook

    config = init_notebook(Path(directory), title=title)
    click.echo(f"created {shown(config)}")
