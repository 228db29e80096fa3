"""`tilbook db`: the notebook as an SQLite file for Datasette."""
from __future__ import annotations

from pathlib import Path

import click

from ..notes import load_notebook
from .common import notebook_root


@click.command("db")
@click.argument("target", type=click.Path(dir_okay=False))
@click.option("--drafts", is_flag=True, help="Include drafts (never publish such a file).")
def db(target: str, drafts: bool) -> None:
    """Export the notebook to an SQLite file for Datasette (metadata.json beside it)."""
    from ..search.dbexport import export_database

    count = export_database(load_notebook(notebook_root()), Path(target), drafts=drafts)
    click.echo(f"wrote {count} notes to {target} (and metadata.json); try: datasette {target} -m "
               f"{Path(target).parent / 'metadata.json'}")
