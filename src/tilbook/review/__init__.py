"""Spaced repetition over the notebook's notes (`tilbook review`), scheduled by FSRS.

- `tilbook.reviewlog`: the append-only log `review/log.jsonl`, the only state (card state is derived);
- `heads`: the few fields of every note review reads, cached for a fast `--due`;
- `identity`: which note a card belongs to after renames and edits;
- `state`: card state, the log replayed through fsrs, cached in `.tilbook-cache/` (appended lines
  are replayed on from the cached state);
- `schedule`: the due queue with new notes per day, rating;
- `session`: the interactive terminal loop (Rich).

Nothing here writes to a note file, and nothing of the review state is published: the site,
feeds, search index and SQLite export never read the log (the export adds a `reviews` table only
with `tilbook db --with-reviews`; the home page calendar marks review days only with
`[review] show_on_site = true`).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .schedule import Deck, Item, due_items, find_head, load_deck, rate, replay, scheduler


def __getattr__(name: str) -> Any:
    """The names of `schedule`, imported on first use: `tilbook review --due` reads a cached view
    (`dueview`) and must not pay for fsrs and the note parser it does not need."""
    if name in __all__:
        from . import schedule
        return getattr(schedule, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["Deck", "Item", "due_items", "find_head", "load_deck", "rate", "replay", "scheduler"]
