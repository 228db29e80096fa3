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


class View(NamedTuple):
    """The deck as columns (one list per field, one entry per note in the deck's order: 10,000
    rows of tuples cost several times as much to unpickle as a few lists of strings)."""

    key: tuple[Any, ...]
    """(cache version, tilbook version, marshal's format, category aliases)."""
    fsrs: tuple[Any, ...]
    """fsrs's scheduler file: (path, size, mtime_ns), or () if it has none."""
    found: bytes
    """Digest of the note scan (`scan_digest`)."""
    log: tuple[int, int, int] | None
    """The log's (size, mtime_ns, inode) the view was built from, None for no log."""
    racy: bool
    rels: list[str]
    titles: list[str]
    dates: list[str]
    categories: list[str]
    drafts: list[bool]
    tags: list[tuple[str, ...]]
    due_us: list[int | None]
    """The card's due moment; None for a new note (no card)."""
    dues: list[str | None]
    """The due moment as printed."""
    last_us: list[int | None]
    stability: list[float | None]
    tails: list[str | None]
    """The JSON line from `, "date"` to the retrievability's value."""
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
    columns: list[list[Any]] = [[] for _ in range(11)]
    for head in deck.heads:
        known = deck.cards.get(head.rel)
        card_fields: tuple[Any, ...] = (None,) * 5
        if known is not None:
            card = known[1]
            due = iso(card.due)
            line = encode({"path": head.rel, "title": head.title, "date": head.date.isoformat(),
                           "category": head.category, "new": False, "due": due,
                           "state": card.state.name.lower(),
                           "stability": round(card.stability, 4) if card.stability is not None else None,
                           "retrievability": None})
            start = f'{{"path": {encode(head.rel)}, "title": {encode(head.title)}'
            assert line.startswith(start) and line.endswith(', "retrievability": null}')
            card_fields = (micros(card.due), due, micros(card.last_review) if card.last_review else None,
                           card.stability, line[len(start):-len("null}")])
        for column, value in zip(columns, (head.rel, head.title, head.date.isoformat(), head.category, head.draft,
                                           head.tags, *card_fields)):
            column.append(value)
    introduced: dict[int, int] = {}
    for history in deck.histories.values():
        day = history[0].moment.date().toordinal()
        introduced[day] = introduced.get(day, 0) + 1
    racy = log is not None and time.time_ns() - log[1] < RACY_NS
    (rels, titles, dates, categories, drafts, tags, due_us, dues, last_us, stability, tails) = columns
    return View(key, _stamp()[2], scan_digest(found), log, racy, rels, titles, dates, categories, drafts, tags,
                due_us, dues, last_us, stability, tails, introduced, deck.unreadable, sched._DECAY, sched._FACTOR)


class Due(NamedTuple):
    place: int
    """The note's place in the view's columns."""
    retrievability: float | None
    """None for a new note."""


def due_rows(view: View, new_per_day: int, now: dt.datetime, *, drafts: bool = False, category: str | None = None,
             tag: str | None = None, limit: int | None = None) -> list[Due]:
    """`schedule.due_items` over the view: due cards (most overdue first), then today's new notes."""
    now = exact(now)
    now_us = micros(now.astimezone(UTC))
    decay, factor = view.decay, view.factor
    rels, due_us, last_us, stability = view.rels, view.due_us, view.last_us, view.stability
    reviews: list[tuple[int, str, Due]] = []
    new: list[int] = []
    everything = drafts and category is None and tag is None
    for index, due in enumerate(due_us):
        if not everything and ((view.drafts[index] and not drafts)
                               or (category is not None and view.categories[index] != category)
                               or (tag is not None and tag not in view.tags[index])):
            continue
        if due is None:
            new.append(index)
        elif due <= now_us:
            reviews.append((due, rels[index], Due(index, retrievability(last_us[index], stability[index], now_us,
                                                                         decay, factor))))
    reviews.sort(key=lambda review: review[:2])
    quota = max(0, new_per_day - view.introduced.get(now.date().toordinal(), 0))
    items = [review[2] for review in reviews] + [Due(index, None) for index in new[:quota]]
    return items[:limit] if limit is not None else items


def json_lines(view: View, items: list[Due], now: dt.datetime) -> list[str]:
    """The `--due --json` lines (what json.dumps(row, ensure_ascii=False) gives)."""
    encode = json.JSONEncoder(ensure_ascii=False).encode
    rels, titles, tails = view.rels, view.titles, view.tails
    lines = []
    for index, value in items:
        tail = tails[index]
        if tail is not None:
            assert value is not None
            lines.append(f'{{"path": {encode(rels[index])}, "title": {encode(titles[index])}{tail}{round(value, 4)!r}}}')
        else:
            lines.append(encode({"path": rels[index], "title": titles[index], "date": view.dates[index],
                                 "category": view.categories[index], "new": True, "due": iso(now), "state": "new",
                                 "stability": None, "retrievability": None}))
    return lines


def text_lines(view: View, items: list[Due]) -> list[str]:
    return [f"{view.rels[index]}  {view.titles[index]}  "
            f"({'new' if view.dues[index] is None else 'due ' + str(view.dues[index])})" for index, _ in items]
