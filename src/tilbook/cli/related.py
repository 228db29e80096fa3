"""`tilbook related NOTE`: the notes most like one note, as its page lists them."""
from __future__ import annotations

import json
from pathlib import Path

import click

from .common import notebook_root


@click.command()
@click.argument("note")
@click.option("-n", "--limit", type=click.IntRange(1, 100), default=5, show_default=True, help="How many.")
@click.option("--drafts", is_flag=True, help="Consider drafts too.")
@click.option("--json", "as_json", is_flag=True, help="A JSON array of {date, title, path, score}.")
def related(note: str, limit: int, drafts: bool, as_json: bool) -> None:
    """Notes related to NOTE (a file path, file name, slug or title), best first."""
    from ..links import NoteIndex
    from ..notes import load_notebook
    from ..pipeline import related_notes
    from ..errors import UsageError

    notebook = load_notebook(notebook_root())
    by_path = {n.path.resolve(): n for n in notebook.notes}
    chosen = by_path.get(Path(note).resolve()) or by_path.get((notebook.root / note).resolve())
    if chosen is None:
        found = NoteIndex.of(notebook.notes).resolve(note)
        if found.note is None:
            raise UsageError(f"{note}: {found.problem}", hint="pass the note's file, as `tilbook list` shows it")
        chosen = found.note
    rows = [{"date": other.date.isoformat(), "title": other.title, "path": other.rel, "score": score}
            for other, score in related_notes(notebook, chosen, drafts=drafts, limit=limit)]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    for row in rows:
        click.echo(f"{row['score']:.3f}  {row['date']}  {row['title']}  ({row['path']})")
