"""`tilbook new`: capture one note from an argument, stdin or $EDITOR."""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import click

from .common import notebook_root, parse_date, shown


@click.command()
@click.argument("text", required=False)
@click.option("-c", "--category", required=True, help="Category name (see [categories]).")
@click.option("-t", "--tag", "tags", multiple=True, help="A tag; repeat for more.")
@click.option("--date", help="YYYY-MM-DD (default: today).")
@click.option("--title", help="Title (default: the first sentence).")
@click.option("--draft", is_flag=True, help="Keep the note out of the published site.")
@click.option("--new-category", is_flag=True, help="Allow a category not in tilbook.toml yet.")
@click.option("--emoji", default="", help="Emoji of a new category.")
def new(text: str | None, category: str, tags: tuple[str, ...], date: str | None,
        title: str | None, draft: bool, new_category: bool, emoji: str) -> None:
    """Write one note; with no TEXT, read stdin or open $EDITOR. Prints the new file's path."""
    from ..capture import new_note

    root = notebook_root()
    if text is None:
        text = sys.stdin.read() if not sys.stdin.isatty() else _edit()
    path = new_note(root, text, category=category, tags=list(tags), date=parse_date(date), title=title,
                    draft=draft, allow_new_category=new_category, emoji=emoji)
    click.echo(shown(path))


def _edit() -> str:
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    with tempfile.NamedTemporaryFile("w+", suffix=".md", delete=False, encoding="utf-8") as handle:
        name = handle.name
    try:
        subprocess.run([*editor.split(), name], check=False)
        return Path(name).read_text(encoding="utf-8")
    finally:
        Path(name).unlink(missing_ok=True)
