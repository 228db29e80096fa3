"""`tilbook review`: spaced repetition of the notes, in the terminal or for scripts.

    tilbook review [--limit N] [--category C] [--tag T] [--drafts]   the interactive loop
    tilbook review --due [--json]                                     what is due now; exit 1 if nothing
    tilbook review rate NOTE 1-4                                      record one rating
"""
from __future__ import annotations

import datetime as dt
import gc
import sys
from typing import Any

import click

from .common import notebook_root

_NAMES = {"1": 1, "2": 2, "3": 3, "4": 4, "again": 1, "hard": 2, "good": 3, "easy": 4}


def _now() -> dt.datetime:
    """Now, with the local UTC offset: the log records the reviewer's own day."""
    return dt.datetime.now(dt.timezone.utc).astimezone()


def _load() -> tuple[Any, Any, Any]:
    from ..config import CONFIG_NAME, load_config
    from ..review import load_deck

    root = notebook_root()
    config = load_config(root / CONFIG_NAME)
    return root, config, load_deck(root, config)


@click.group("review", invoke_without_command=True)
@click.option("--due", "due_only", is_flag=True, help="Print the notes due now instead of reviewing; exit 1 if none.")
@click.option("--json", "as_json", is_flag=True, help="With --due: one JSON object per line.")
@click.option("--limit", type=click.IntRange(min=1), help="At most N notes.")
@click.option("--category", help="Only notes of this category.")
@click.option("--tag", help="Only notes with this tag.")
@click.option("--drafts", is_flag=True, help="Review drafts too.")
@click.pass_context
def review(ctx: click.Context, due_only: bool, as_json: bool, limit: int | None, category: str | None,
           tag: str | None, drafts: bool) -> None:
    """Review due notes with spaced repetition (FSRS): 1 again, 2 hard, 3 good, 4 easy, s skip, q quit."""
    if ctx.invoked_subcommand is not None:
        return
    collecting = gc.isenabled()
    if due_only:  # a short process that allocates ~100,000 objects and frees none: no cyclic GC
        gc.disable()
    try:
        _review(due_only, as_json, limit, category, tag, drafts)
    finally:
        if collecting:
            gc.enable()


def _review(due_only: bool, as_json: bool, limit: int | None, category: str | None, tag: str | None,
            drafts: bool) -> None:
    if not due_only:
        if as_json:
            raise click.UsageError("--json goes with --due")
        from ..review.session import run_session
        root, config, deck = _load()
        if deck.unreadable:
            _warn_unreadable(deck.unreadable)
        run_session(root, config, deck, _now, limit=limit, category=category, tag=tag, drafts=drafts)
        return
    from ..config import CONFIG_NAME, load_config
    from ..review.dueview import due_rows, json_lines, load_view, text_lines

    root = notebook_root()
    config = load_config(root / CONFIG_NAME)
    view = load_view(root, config)  # the deck boiled down to rows, cached: see review/dueview.py
    if view.unreadable:
        _warn_unreadable(view.unreadable)
    now = _now()
    items = due_rows(view, config.review_new_per_day, now, drafts=drafts, category=category, tag=tag, limit=limit)
    if items and as_json:  # one write; JSON escapes control characters, so click.echo would only scan 2 MB
        sys.stdout.write("\n".join(json_lines(view, items, now)) + "\n")  # for ANSI codes to strip
        sys.stdout.flush()
    elif items:
        click.echo("\n".join(text_lines(view, items)))  # one write: thousands of echo calls cost more than the rest
    if not as_json:
        click.echo(f"{len(items)} due", err=True)
    sys.exit(0 if items else 1)


def _warn_unreadable(count: int) -> None:
    click.echo(f"warning: {count} unreadable line(s) in review/log.jsonl were skipped", err=True)


@review.command("rate")
@click.argument("note")
@click.argument("rating", type=click.Choice(sorted(_NAMES), case_sensitive=False), metavar="1-4")
def rate(note: str, rating: str) -> None:
    """Record a rating of NOTE (a path): 1/again, 2/hard, 3/good, 4/easy. The note file is not touched."""
    from ..review import find_head
    from ..review import rate as record
    from ..review.dueview import iso
    from ..review.schedule import RATINGS

    root, config, deck = _load()
    head = find_head(deck, root, note)
    card, _ = record(root, deck, head, _NAMES[rating.lower()], _now())
    click.echo(f"{head.rel}: {RATINGS[_NAMES[rating.lower()]]} · next due {iso(card.due)}")
