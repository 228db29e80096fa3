"""Card state: the log replayed through FSRS, and a cache of it so `--due` need not replay.

Card state is never stored as truth: it is the log replayed through FSRS (`fsrs` on PyPI), oldest
rating first. Replay must give the same state on every machine and every run, so the scheduler
runs with fuzzing off (fsrs fuzzes intervals with an unseeded random number; a fuzzed replay would
move due dates each time the log is read).

Replaying 10,000 ratings and parsing their lines costs about as much as the rest of `tilbook
review --due` together, so the result is cached in `.tilbook-cache/review-cards.pickle`, keyed by
the versions of this cache, tilbook and fsrs:

- the log's size, mtime and inode unchanged: the cached state is the state (the loader's trust
  rule), unless the log was written within RACY_NS of the cache: a file's mtime ticks coarsely,
  so such a log is read and its SHA-1 compared (as git does for "racily clean" files);
- the log grew and its old bytes are unchanged (their SHA-1 matches): only the appended lines are
  parsed; a card whose new ratings all sort after its cached ones is replayed on from its cached
  state, any other card from its first rating (the log is append-only, but a rating may carry an
  earlier time than one already there);
- anything else (a union merge rewrote the log, it shrank, a hand edit): all of it is replayed.

Each way gives exactly what a full replay gives (tests compare them on random logs). The cache
covers the log up to its last newline; a torn last line is parsed on every read, never cached.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from fsrs import Card, Rating, Scheduler

from .. import cachefiles
from ..paths import cache_dir
from ..reviewlog import LogEntry, log_path, parse_log
from ..version import __version__
from .dueview import RACY_NS

UTC = dt.timezone.utc
CACHE_NAME = "review-cards.pickle"
CACHE_VERSION = 1


def scheduler() -> Scheduler:
    """FSRS with its default parameters (desired retention 0.9, steps 1 min and 10 min), no fuzz."""
    return Scheduler(enable_fuzzing=False)


def replay(entries: Sequence[LogEntry], sched: Scheduler | None = None, card: Card | None = None) -> Card | None:
    """The card after these ratings (in time order) on top of `card` (None: a new card), or None
    for no ratings and no card."""
    sched = sched or scheduler()
    for entry in entries:
        moment = entry.moment.astimezone(UTC)
        if card is None:
            card = Card(card_id=1, due=moment)  # a fixed id: Card() otherwise sleeps 1 ms for a unique one
        card, _ = sched.review_card(card, Rating(entry.rating), review_datetime=moment)
    return card


def order(entry: LogEntry) -> tuple[dt.datetime, str, int]:
    """Replay order: by time, then card and rating; ties keep their order in the file."""
    return entry.moment, entry.note, entry.rating


class Replayed(NamedTuple):
    """The log's state (read-only: it may be the cached object itself)."""

    histories: dict[str, list[LogEntry]]
    """Card id → its entries in replay order."""
    cards: dict[str, Card]
    """Card id → its state after its history."""
    unreadable: int
    """Log lines that could not be read."""


EMPTY = Replayed({}, {}, 0)


def full(entries: Iterable[LogEntry], unreadable: int) -> Replayed:
    """The state of these entries, replayed from nothing."""
    histories: dict[str, list[LogEntry]] = {}
    for entry in sorted(entries, key=order):
        histories.setdefault(entry.note, []).append(entry)
    sched = scheduler()
    cards: dict[str, Card] = {}
    for card, history in histories.items():
        state = replay(history, sched)
        assert state is not None
        cards[card] = state
    return Replayed(histories, cards, unreadable)


def extend(base: Replayed, entries: Sequence[LogEntry], unreadable: int) -> Replayed:
    """`base` with these entries (which follow it in the file) added: what `full` gives for all
    of them, without replaying the cards they leave alone. `base` is not changed."""
    if not entries:
        return base if not unreadable else base._replace(unreadable=base.unreadable + unreadable)
    added: dict[str, list[LogEntry]] = {}
    for entry in entries:
        added.setdefault(entry.note, []).append(entry)
    histories = dict(base.histories)
    cards = dict(base.cards)
    sched = scheduler()
    for card, new in added.items():
        new.sort(key=order)
        old = histories.get(card)
        if old is not None and order(new[0]) >= order(old[-1]):
            history, state = old + new, replay(new, sched, cards[card])
        else:
            history = sorted(old + new, key=order) if old is not None else new
            state = replay(history, sched)
        assert state is not None
        histories[card], cards[card] = history, state
    return Replayed(histories, cards, base.unreadable + unreadable)


def _stamp() -> tuple[Any, ...]:
    """What the cached state depends on besides the log: this cache's format, tilbook, fsrs."""
    import fsrs.scheduler
    try:
        stat = os.stat(fsrs.scheduler.__file__)
        fsrs_stamp: tuple[Any, ...] = (fsrs.scheduler.__file__, stat.st_size, stat.st_mtime_ns)
    except (OSError, TypeError):
        fsrs_stamp = ()
    return (CACHE_VERSION, __version__, fsrs_stamp)


class _Cached(NamedTuple):
    stamp: tuple[Any, ...]
    signature: tuple[int, int, int]
    """The log's (size, mtime_ns, inode) when `state` was computed."""
    racy: bool
    """The log's mtime was within RACY_NS of the moment `state` was saved."""
    whole: str
    """SHA-1 of the whole log."""
    offset: int
    """Bytes of the log `base` covers: up to and including its last newline."""
    digest: str
    """SHA-1 of those bytes."""
    base: Replayed
    state: Replayed
    """`base` and the torn last line, if any (the log as it was)."""


def load_state(root: Path) -> Replayed:
    """The log's state, from the cache where it still holds (see the module's docstring)."""
    path = log_path(root)
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        return EMPTY
    signature = (stat.st_size, stat.st_mtime_ns, stat.st_ino)
    cache_file = cache_dir(root) / CACHE_NAME
    cached = cachefiles.load(cache_file)
    stamp = _stamp()
    valid = isinstance(cached, _Cached) and cached.stamp == stamp
    if valid and cached.signature == signature and not cached.racy:
        state: Replayed = cached.state
        return state
    data = path.read_bytes()
    whole = hashlib.sha1(data).hexdigest()
    computed = not (valid and cached.signature == signature and cached.whole == whole)
    if not computed:
        state = cached.state
    else:
        offset = data.rfind(b"\n") + 1
        digest = whole if offset == len(data) else hashlib.sha1(data[:offset]).hexdigest()
        if valid and cached.offset <= offset and (
                cached.digest == digest if cached.offset == offset
                else hashlib.sha1(data[:cached.offset]).hexdigest() == cached.digest):
            base = extend(cached.base, *parse_log(data[cached.offset:offset]))
        else:
            base = full(*parse_log(data[:offset]))
        state = extend(base, *parse_log(data[offset:]))
        cached = _Cached(stamp, signature, True, whole, offset, digest, base, state)
    # the signature of what was read: a write between the stat and the read is caught next time
    after = os.stat(path)
    if (after.st_size, after.st_mtime_ns, after.st_ino) == signature:
        racy = time.time_ns() - after.st_mtime_ns < RACY_NS
        if computed or not racy:
            cachefiles.save(cache_file, cached._replace(signature=signature, racy=racy))
    return state
