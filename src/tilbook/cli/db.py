"""`tilbook db`: the notebook as an SQLite file for Datasette."""
from __future__ import annotations

from pathlib import Path

import click

from ..notes import load_notebook
from .common import notebook_root


@click.command("db")
@click.argument("target", type=click.Path(dir_okay=False))
@click.option("--drafts", is_flag=True, help="Include drafts (never publish such a file).")
@click.option("--with-reviews", is_flag=True, help="Add a `reviews` table: the review log (private: never publish).")
def db(target: str, drafts: bool, with_reviews: bool) -> None:
    """Export the notebook to an SQLite file for Datasette (metadata.json beside it)."""
    from ..search.dbexport import export_database

    from ..reviewlog import read_log

    notebook = load_notebook(notebook_root())
    reviews = read_log(notebook.root)[0] if with_reviews else None
    count = export_database(notebook, Path(target), drafts=drafts, reviews=reviews)
    click.echo(f"wrote {count} notes to {target} (and metadata.json); try: datasette {target} -m "
               f"{Path(target).parent / 'metadata.json'}")
