"""`tilbook search`: the local full-text search; exit 1 when nothing matches."""
from __future__ import annotations

import json
import re
import sys

import click

from ..notes import load_notebook
from .common import notebook_root


@click.command("search")
@click.argument("query")
@click.option("--category", help="Only notes of this category.")
@click.option("--tag", help="Only notes with this tag.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@click.option("-n", "limit", type=int, default=20, show_default=True, help="At most N results.")
def search(query: str, category: str | None, tag: str | None, as_json: bool, limit: int) -> None:
    """Find notes: Korean substrings of any length, English words, "quoted phrases"."""
    from ..search.fts import connect, refresh
    from ..search.fts import search as run_search

    notebook = load_notebook(notebook_root())
    con = connect(notebook.root)
    refresh(con, notebook)
    hits = run_search(con, query, category=category, tag=tag, limit=limit)
    if as_json:
        for hit in hits:
            click.echo(json.dumps({"date": hit.date, "category": hit.category, "title": hit.title,
                                   "snippet": hit.snippet, "path": hit.path, "draft": hit.draft,
                                   "tags": list(hit.tags)}, ensure_ascii=False))
    else:
        from rich.console import Console
        from rich.markup import escape

        console = Console(highlight=False)
        for hit in hits:
            emoji = notebook.config.emoji(hit.category)
            draft = " [red](draft)[/red]" if hit.draft else ""
            console.print(f"[bold]{escape(hit.title)}[/bold]{draft}  [dim]{hit.date} · {emoji} {escape(hit.category)} · {escape(hit.path)}[/dim]")
            marked = re.sub(r"<mark>(.*?)</mark>", lambda m: f"[black on yellow]{escape(m.group(1))}[/black on yellow]",
                            escape(hit.snippet).replace("\\<mark>", "<mark>"))
            console.print("  " + marked)
        click.echo(f"{len(hits)} {'note' if len(hits) == 1 else 'notes'}", err=True)
    sys.exit(0 if hits else 1)
