"""The due queue, with new notes per day, and rating a note.

Card state comes from `state` (the log replayed through FSRS, cached). Everything takes `now`, an
aware datetime, so tests fix the clock; the day of `now` (in its own UTC offset) is the day new
notes are counted against.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from fsrs import Card

from ..config import Config
from ..errors import UsageError
from ..reviewlog import LogEntry, append_entry
from .dueview import exact
from .heads import NoteHead, load_heads
from .identity import card_id, match_cards
from .state import UTC, load_state, replay, scheduler

__all__ = ["RATINGS", "UTC", "Deck", "Item", "due_items", "exact", "find_head", "load_deck", "rate", "replay",
           "scheduler"]

RATINGS = {1: "again", 2: "hard", 3: "good", 4: "easy"}


@dataclass(frozen=True, slots=True)
class Item:
    """A note in the review queue: a card (reviewed before) or a new note (card None)."""

    head: NoteHead
    card: Card | None
    card_id: str | None
    retrievability: float | None


@dataclass(frozen=True, slots=True)
class Deck:
    """The notebook's review state at one moment: every note, its card if any (`rate` updates
    `cards` and `histories` in place, so a session's deck stays current)."""

    heads: list[NoteHead]
    cards: dict[str, tuple[str, Card]]
    """Note rel → (card id, card state)."""
    histories: dict[str, list[LogEntry]]
    """Card id → its entries in time order (every card of the log, with a note or not)."""
    unreadable: int
    """Log lines that could not be read."""

    def introduced_on(self, day: dt.date) -> int:
        """Cards whose first rating fell on `day` (on the reviewer's calendar)."""
        return sum(1 for history in self.histories.values() if history[0].moment.date() == day)

    def review_days(self) -> set[dt.date]:
        return {entry.moment.date() for history in self.histories.values() for entry in history}


def load_deck(root: Path, config: Config) -> Deck:
    heads = load_heads(root, config)
    state = load_state(root)
    histories = dict(state.histories)  # the state may be the cache's own: `rate` changes the deck's copy
    cards: dict[str, tuple[str, Card]] = {}
    for card, rel in match_cards(histories, heads).items():
        cards[rel] = (card, state.cards[card])
    return Deck(heads=heads, cards=cards, histories=histories, unreadable=state.unreadable)


def _wanted(head: NoteHead, *, drafts: bool, category: str | None, tag: str | None) -> bool:
    return ((drafts or not head.draft) and (category is None or head.category == category)
            and (tag is None or tag in head.tags))


def due_items(deck: Deck, config: Config, now: dt.datetime, *, drafts: bool = False, category: str | None = None,
              tag: str | None = None, limit: int | None = None, ahead: dt.timedelta = dt.timedelta(0)) -> list[Item]:
    """Due cards (most overdue first), then today's new notes: at most `[review] new_per_day` a
    day, oldest note first, counting those already introduced today. `ahead` also takes cards due
    that much later (the interactive loop's learning steps)."""
    now = exact(now)
    sched = scheduler()
    now_utc = now.astimezone(UTC)
    horizon = now_utc + ahead
    reviews: list[Item] = []
    new: list[NoteHead] = []
    for head in deck.heads:
        if not _wanted(head, drafts=drafts, category=category, tag=tag):
            continue
        known = deck.cards.get(head.rel)
        if known is None:
            new.append(head)
        elif known[1].due <= horizon:
            reviews.append(Item(head, known[1], known[0], sched.get_card_retrievability(known[1], now_utc)))
    reviews.sort(key=lambda item: (item.card.due if item.card else horizon, item.head.rel))
    quota = max(0, config.review_new_per_day - deck.introduced_on(now.date()))
    items = reviews + [Item(head, None, None, None) for head in new[:quota]]
    return items[:limit] if limit is not None else items


def find_head(deck: Deck, root: Path, name: str, cwd: Path | None = None) -> NoteHead:
    """The note named by a path (relative to the current folder or to the notebook root)."""
    candidates = [Path(name)] if Path(name).is_absolute() else [(cwd or Path.cwd()) / name, root / name]
    by_rel = {head.rel: head for head in deck.heads}
    for candidate in candidates:
        try:
            rel = candidate.resolve().relative_to(root).as_posix()
        except ValueError:
            continue
        if rel in by_rel:
            return by_rel[rel]
    raise UsageError(f"no note {name}", hint="give the path of a note file, as `tilbook review --due` prints it")


def rate(root: Path, deck: Deck, head: NoteHead, rating: int, now: dt.datetime) -> tuple[Card, LogEntry]:
    """Record one rating of `head` in the log (durably) and return the card's new state."""
    if rating not in RATINGS:
        raise UsageError(f"rating {rating} is not 1-4", hint="1 again, 2 hard, 3 good, 4 easy")
    now = exact(now)
    known = deck.cards.get(head.rel)
    if known is not None:
        card = known[0]
        history = deck.histories[card]
    else:
        base = card = card_id(head.date.isoformat(), head.text)
        suffix = 2
        while card in deck.histories:  # another note with the same date and text: keep the cards apart
            card = f"{base}-{suffix}"
            suffix += 1
        history = []
    entry = LogEntry(note=card, path=head.rel, date=head.date.isoformat(), title=head.title, text=head.text,
                     rating=rating, time=now.isoformat(timespec="milliseconds"))
    append_entry(root, entry)
    history = [*history, entry]
    deck.histories[card] = history
    state = replay(history)
    assert state is not None
    deck.cards[head.rel] = (card, state)
    return state, entry
