"""The cache of derived card state (`.tilbook-cache/review-cards.pickle`) gives exactly what a
full replay of the log gives: after appends (replayed on from the cached state), after a rewrite
(a union merge), with torn and unreadable lines, and on random logs."""
from __future__ import annotations

import datetime as dt
import json
import os
import random
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.review.helpers import T0, add_notes
from tilbook.config import CONFIG_NAME, load_config
from tilbook.review import load_deck, rate
from tilbook.review.state import CACHE_NAME, replay, scheduler
from tilbook.reviewlog import log_path, read_log


def _reference(root: Path) -> tuple[dict, dict, int]:
    """A full replay, as load_deck did before the cache: histories and card states (as dicts)."""
    entries, bad = read_log(root)
    histories: dict[str, list] = {}
    for entry in sorted(entries, key=lambda e: (e.moment, e.note, e.rating)):
        histories.setdefault(entry.note, []).append(entry)
    sched = scheduler()
    cards = {card: replay(history, sched).to_dict() for card, history in histories.items()}  # type: ignore[union-attr]
    return histories, cards, bad


def _cached(root: Path) -> tuple[dict, dict, int]:
    from tilbook.review.state import load_state
    state = load_state(root)
    return state.histories, {card: c.to_dict() for card, c in state.cards.items()}, state.unreadable


def _line(card: str, rating: int, moment: dt.datetime) -> str:
    return json.dumps({"note": card, "path": f"notes/{card}.md", "date": "2024-01-01", "title": card, "text": card,
                       "rating": rating, "time": moment.isoformat(timespec="milliseconds")})


def _append(root: Path, text: str) -> None:
    log_path(root).parent.mkdir(exist_ok=True)
    with open(log_path(root), "a", encoding="utf-8") as handle:
        handle.write(text)


def test_appended_rating_replays_on(notebook: Path) -> None:
    add_notes(notebook, 2)
    config = load_config(notebook / CONFIG_NAME)
    deck = load_deck(notebook, config)
    for day in range(4):
        rate(notebook, deck, deck.heads[day % 2], 3, T0 + dt.timedelta(days=day))
        assert _cached(notebook) == _reference(notebook)  # each time from the cache, grown by one line
    assert (notebook / ".tilbook-cache" / CACHE_NAME).is_file()
    # a rating with an earlier time than the card's last one (another machine's clock): that card
    # is replayed from its first rating
    card = load_deck(notebook, config).cards[deck.heads[0].rel][0]
    _append(notebook, _line(card, 1, T0 + dt.timedelta(days=1, hours=1)) + "\n")
    assert _cached(notebook) == _reference(notebook)
    assert load_deck(notebook, config).cards[deck.heads[0].rel][1].to_dict() == _reference(notebook)[1][card]


def test_rewritten_log_replays_all(notebook: Path) -> None:
    add_notes(notebook, 3)
    config = load_config(notebook / CONFIG_NAME)
    deck = load_deck(notebook, config)
    for day in range(6):
        rate(notebook, deck, deck.heads[day % 3], 2 + day % 3, T0 + dt.timedelta(days=day))
    assert _cached(notebook) == _reference(notebook)
    lines = log_path(notebook).read_text().splitlines()
    # a union merge: the other side's line lands in the middle, the file is written anew
    merged = [*lines[:2], _line("other", 3, T0 + dt.timedelta(days=2, hours=3)), *lines[2:]]
    log_path(notebook).unlink()
    log_path(notebook).write_text("\n".join(merged) + "\n")
    assert _cached(notebook) == _reference(notebook)
    # shrunk (a line dropped), with the same mtime as before: still noticed
    stat = os.stat(log_path(notebook))
    log_path(notebook).write_text("\n".join(merged[1:]) + "\n")
    os.utime(log_path(notebook), ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert _cached(notebook) == _reference(notebook)
    # same size, same mtime, same inode, other bytes (a rating changed in place): a recent write is
    # verified by its hash
    text = log_path(notebook).read_text()
    changed = text.replace('"rating": 2', '"rating": 1', 1)
    assert changed != text
    stat = os.stat(log_path(notebook))
    log_path(notebook).write_text(changed)
    os.utime(log_path(notebook), ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert _cached(notebook) == _reference(notebook)


def test_torn_line_completed_later(notebook: Path) -> None:
    full_line = _line("a", 3, T0)
    _append(notebook, _line("b", 3, T0) + "\n" + full_line[:20])
    assert _cached(notebook) == _reference(notebook)
    assert _cached(notebook)[2] == 1
    _append(notebook, full_line[20:] + "\n")  # the torn line, finished by another writer
    assert _cached(notebook) == _reference(notebook)
    assert _cached(notebook)[2] == 0 and set(_cached(notebook)[0]) == {"a", "b"}


_ZONES = [dt.timezone.utc, dt.timezone(dt.timedelta(hours=9)), dt.timezone(dt.timedelta(hours=-5))]


@st.composite
def _logs(draw: st.DrawFn) -> list[str]:
    """Appends to a log: lines of a few cards with times that repeat and go backwards, in several
    zones, some unreadable, some appends ending mid-line."""
    rng = random.Random(draw(st.integers(0, 2**32)))
    chunks = []
    for _ in range(draw(st.integers(1, 6))):
        text = ""
        for _ in range(rng.randint(0, 6)):
            if rng.random() < 0.1:
                text += rng.choice(["{not json", '{"note": "a"}', "[]", "\u2028", "\ufffd\udcff".encode(
                    "utf-8", "surrogatepass").decode("utf-8", "replace")]) + "\n"
                continue
            moment = (T0 + dt.timedelta(minutes=rng.choice([0, 0, 10, 60 * 24, 60 * 24 * 3, rng.randint(0, 10**5)])))
            text += _line(rng.choice("abcd"), rng.randint(1, 4), moment.astimezone(rng.choice(_ZONES))) + "\n"
        if rng.random() < 0.2 and text:
            cut = rng.randint(0, len(text))
            chunks.append(text[:cut])
            chunks.append(text[cut:])
        else:
            chunks.append(text)
    return chunks


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(chunks=_logs())
def test_cached_equals_full_replay_on_random_logs(notebook: Path, chunks: list[str]) -> None:
    log_path(notebook).unlink(missing_ok=True)
    (notebook / ".tilbook-cache" / CACHE_NAME).unlink(missing_ok=True)
    for chunk in chunks:
        _append(notebook, chunk)
        assert _cached(notebook) == _reference(notebook)
    # and once more from a cold cache
    (notebook / ".tilbook-cache" / CACHE_NAME).unlink()
    assert _cached(notebook) == _reference(notebook)
