"""What `tilbook review --due` prints, cached as one file so a warm run loads it and does no more.

The deck (`schedule.load_deck`: note heads, the log's card state, cards matched to notes) is what
`--due` is computed from, and loading it costs fsrs objects, two caches and the matching. Yet
between two runs nothing of it changes unless a note file or the log did, and only `now` moves.
So the deck is boiled down to plain rows, `.tilbook-cache/review-due.pickle`: per note (in the
deck's order) the fields the filters read, and for a note with a card its due time and last
review (integer microseconds since the epoch), its stability, its due date as printed, and its
JSON line up to the retrievability, the one field that depends on `now`.

The view holds while the note scan (paths, sizes, mtimes: the heads cache's trust rule) equals
the one it was built from, the log's size, mtime and inode are unchanged (and the log was not
written within RACY_NS of the view's build), tilbook and fsrs are the same, and so are the
category aliases. Otherwise the deck is loaded and the view rebuilt. Retrievability is FSRS-6's
forgetting curve, as fsrs's `Scheduler.get_card_retrievability` computes it, with the scheduler's
own DECAY and FACTOR stored in the view; a warm run imports neither fsrs nor the note parser.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import marshal
import os
import time
from pathlib import Path
from typing import Any, NamedTuple

from .. import cachefiles
from ..config import Config
from ..paths import NOTES_DIR, cache_dir
from ..reviewlog import log_path
from ..version import __version__
from .heads import scan_notes

CACHE_NAME = "review-due.pickle"
CACHE_VERSION = 1
RACY_NS = 2_000_000_000
UTC = dt.timezone.utc
EPOCH = dt.datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = dt.timedelta(microseconds=1)
DAY_US = 86_400_000_000


def exact(now: dt.datetime) -> dt.datetime:
    """`now` to the millisecond the log keeps, so a rating replays to what was computed live."""
    if now.tzinfo is None:
        raise ValueError("review needs an aware datetime")
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def iso(moment: dt.datetime | None) -> str | None:
    """A moment as `--due` prints it: UTC to the second, with a Z."""
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z") if moment else None


def micros(moment: dt.datetime) -> int:
    """An aware moment as integer microseconds since the epoch (exact)."""
    return (moment - EPOCH) // MICROSECOND


def retrievability(last_us: int | None, stability: float | None, now_us: int, decay: float,
                   factor: float) -> float:
    """fsrs's `Scheduler.get_card_retrievability`: 0 for a card never reviewed, else
    (1 + FACTOR * elapsed whole days / stability) ** DECAY."""
    if last_us is None or stability is None:
        return 0
    elapsed_days = max(0, (now_us - last_us) // DAY_US)  # timedelta.days: floor of whole days
    result: float = (1 + factor * elapsed_days / stability) ** decay
    return result


class CardRow(NamedTuple):
    due_us: int
    due: str
    """The due moment as printed."""
    last_us: int | None
    stability: float | None
    line: str
    """The JSON line without the retrievability's value and the closing brace."""


class Row(NamedTuple):
    rel: str
    title: str
    date: str
    category: str
    draft: bool
    tags: tuple[str, ...]
    card: CardRow | None


class View(NamedTuple):
    key: tuple[Any, ...]
    """(cache version, tilbook version, marshal's format, category aliases)."""
    fsrs: tuple[Any, ...]
    """fsrs's scheduler file: (path, size, mtime_ns), or () if it has none."""
    found: bytes
    """Digest of the note scan (`scan_digest`)."""
    log: tuple[int, int, int] | None
    """The log's (size, mtime_ns, inode) the view was built from, None for no log."""
    racy: bool
    rows: list[Row]
    introduced: dict[int, int]
    """Day (proleptic ordinal) → cards whose first rating fell on it."""
    unreadable: int
    decay: float
    factor: float


def _log_signature(root: Path) -> tuple[int, int, int] | None:
    try:
        stat = os.stat(log_path(root))
    except FileNotFoundError:
        return None
    return stat.st_size, stat.st_mtime_ns, stat.st_ino


def _fsrs_holds(stamp: tuple[Any, ...]) -> bool:
    if not stamp:
        return False
    try:
        stat = os.stat(stamp[0])
    except OSError:
        return False
    return (stat.st_size, stat.st_mtime_ns) == tuple(stamp[1:])


def scan_digest(found: list[tuple[str, int, int]]) -> bytes:
    """SHA-1 of the note scan's paths, sizes and mtimes (a few ms at 10,000 notes, where loading
    the list itself back from a pickle costs several times that)."""
    return hashlib.sha1(marshal.dumps(found)).digest()


def load_view(root: Path, config: Config) -> View:
    """The view of the notebook now: the cached one if it holds, else built from the deck."""
    found: list[tuple[str, int, int]] = []
    notes = root / NOTES_DIR
    if notes.is_dir():
        scan_notes(str(notes), found)
    log = _log_signature(root)
    key = (CACHE_VERSION, __version__, marshal.version, config.category_aliases)
    cache_file = cache_dir(root) / CACHE_NAME
    cached = cachefiles.load(cache_file)
    if (isinstance(cached, View) and cached.key == key and cached.log == log and not cached.racy
            and cached.found == scan_digest(found) and _fsrs_holds(cached.fsrs)):
        return cached
    view = build_view(root, config, found, log, key)
    cachefiles.save(cache_file, view)
    return view


def build_view(root: Path, config: Config, found: list[tuple[str, int, int]], log: tuple[int, int, int] | None,
               key: tuple[Any, ...]) -> View:
    """The view from the deck (loaded now; `found` and `log` were taken before it)."""
    from .schedule import load_deck
    from .state import _stamp, scheduler

    deck = load_deck(root, config)
    sched = scheduler()
    encode = json.JSONEncoder(ensure_ascii=False).encode
    rows = []
    for head in deck.heads:
        known = deck.cards.get(head.rel)
        card_row = None
        if known is not None:
            card = known[1]
            due = iso(card.due)
            assert due is not None
            line = encode({"path": head.rel, "title": head.title, "date": head.date.isoformat(),
                           "category": head.category, "new": False, "due": due,
                           "state": card.state.name.lower(),
                           "stability": round(card.stability, 4) if card.stability is not None else None,
                           "retrievability": None})
            assert line.endswith(', "retrievability": null}')
            card_row = CardRow(micros(card.due), due, micros(card.last_review) if card.last_review else None,
                               card.stability, line[:-len("null}")])
        rows.append(Row(head.rel, head.title, head.date.isoformat(), head.category, head.draft, head.tags, card_row))
    introduced: dict[int, int] = {}
    for history in deck.histories.values():
        day = history[0].moment.date().toordinal()
        introduced[day] = introduced.get(day, 0) + 1
    racy = log is not None and time.time_ns() - log[1] < RACY_NS
    return View(key, _stamp()[2], scan_digest(found), log, racy, rows, introduced, deck.unreadable,
                sched._DECAY, sched._FACTOR)


class Due(NamedTuple):
    row: Row
    retrievability: float | None
    """None for a new note."""


def due_rows(view: View, new_per_day: int, now: dt.datetime, *, drafts: bool = False, category: str | None = None,
             tag: str | None = None, limit: int | None = None) -> list[Due]:
    """`schedule.due_items` over the view: due cards (most overdue first), then today's new notes."""
    now = exact(now)
    now_us = micros(now.astimezone(UTC))
    decay, factor = view.decay, view.factor
    reviews: list[Due] = []
    new: list[Row] = []
    for row in view.rows:
        if (row.draft and not drafts) or (category is not None and row.category != category) or (
                tag is not None and tag not in row.tags):
            continue
        card = row.card
        if card is None:
            new.append(row)
        elif card.due_us <= now_us:
            reviews.append(Due(row, retrievability(card.last_us, card.stability, now_us, decay, factor)))
    reviews.sort(key=lambda due: (due.row.card.due_us if due.row.card else 0, due.row.rel))
    quota = max(0, new_per_day - view.introduced.get(now.date().toordinal(), 0))
    items = reviews + [Due(row, None) for row in new[:quota]]
    return items[:limit] if limit is not None else items


def json_lines(items: list[Due], now: dt.datetime) -> list[str]:
    """The `--due --json` lines (what json.dumps(row, ensure_ascii=False) gives)."""
    encode = json.JSONEncoder(ensure_ascii=False).encode
    lines = []
    for item in items:
        row, card = item.row, item.row.card
        if card is not None:
            assert item.retrievability is not None
            lines.append(f"{card.line}{round(item.retrievability, 4)!r}}}")
        else:
            lines.append(encode({"path": row.rel, "title": row.title, "date": row.date, "category": row.category,
                                 "new": True, "due": iso(now), "state": "new", "stability": None,
                                 "retrievability": None}))
    return lines


def text_lines(items: list[Due]) -> list[str]:
    return [f"{item.row.rel}  {item.row.title}  ({'new' if item.row.card is None else 'due ' + item.row.card.due})"
            for item in items]
