"""The cached `--due` view: the same lines as the deck gives, byte for byte, cold and warm; fsrs's
retrievability reproduced exactly; the view rebuilt when a note or the log changes."""
from __future__ import annotations

import datetime as dt
import json
import os
import random
from pathlib import Path

from fsrs import Card, Rating, Scheduler

from tests.conftest import write_note
from tests.review.helpers import T0, add_notes, note_text
from tilbook import cachefiles
from tilbook.config import CONFIG_NAME, load_config
from tilbook.review import due_items, load_deck, rate
from tilbook.review.dueview import (DAY_US, due_rows, json_lines, load_view, micros, retrievability,
                                    text_lines)
from tilbook.reviewlog import log_path


def _reference(root: Path, now: dt.datetime, **filters) -> tuple[list[str], list[str]]:
    """What `review --due` printed before the view: due_items over the deck, each row json.dumps'd."""
    config = load_config(root / CONFIG_NAME)
    items = due_items(load_deck(root, config), config, now, **filters)

    def iso(moment):
        return moment.astimezone(dt.timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")

    lines, text = [], []
    for item in items:
        card = item.card
        row = {"path": item.head.rel, "title": item.head.title, "date": item.head.date.isoformat(),
               "category": item.head.category, "new": card is None,
               "due": iso(card.due if card else now), "state": card.state.name.lower() if card else "new",
               "stability": round(card.stability, 4) if card and card.stability is not None else None,
               "retrievability": round(item.retrievability, 4) if item.retrievability is not None else None}
        lines.append(json.dumps(row, ensure_ascii=False))
        text.append(f"{item.head.rel}  {item.head.title}  ({'new' if card is None else 'due ' + str(row['due'])})")
    return lines, text


def _viewed(root: Path, now: dt.datetime, **filters) -> tuple[list[str], list[str]]:
    config = load_config(root / CONFIG_NAME)
    view = load_view(root, config)
    items = due_rows(view, config.review_new_per_day, now, **filters)
    return json_lines(view, items, now), text_lines(view, items)


def _rated_notebook(root: Path) -> None:
    add_notes(root, 20)
    write_note(root, "2024/2024-01-25-ko.md", note_text(25, "텐서 \"인용\" 본문", title="텐서 \"제목\" \\ 탭\t"))
    write_note(root, "2024/2024-01-26-d.md", note_text(26, "A draft.", title="Draft", draft=True, category="Math"))
    write_note(root, "2024/2024-01-27-t.md", note_text(27, "Tagged.", title="Tagged", tags="[x, y]", category="Math"))
    config = load_config(root / CONFIG_NAME)
    rng = random.Random(7)
    deck = load_deck(root, config)
    moment = T0
    for _ in range(60):
        moment += dt.timedelta(minutes=rng.choice((1, 10, 600, 1440, 4000)), microseconds=rng.randrange(10**6))
        rate(root, deck, rng.choice(deck.heads), rng.choice((1, 2, 3, 4)), moment)


FILTERS = [{}, {"drafts": True}, {"category": "CS"}, {"category": "Math", "drafts": True}, {"tag": "x"}, {"limit": 3}]


def test_view_prints_what_the_deck_did(notebook: Path) -> None:
    _rated_notebook(notebook)
    os.utime(log_path(notebook), ns=(0, 0))  # an old log: the view is trusted, not racy
    for days in (0, 1, 3, 9, 30, 400):
        now = (T0 + dt.timedelta(days=days, hours=5, microseconds=654321)).astimezone(
            dt.timezone(dt.timedelta(hours=9)))
        for filters in FILTERS:
            expected = _reference(notebook, now, **filters)
            assert _viewed(notebook, now, **filters) == expected  # cold or in memory
            cachefiles._MEMORY.clear()
            assert _viewed(notebook, now, **filters) == expected  # read back from the file
    assert any(line.count('"new": false') for line in _viewed(notebook, T0 + dt.timedelta(days=400))[0])


def test_retrievability_is_fsrs_own() -> None:
    scheduler = Scheduler(enable_fuzzing=False)
    rng = random.Random(18)
    compared = 0
    for _ in range(200):
        moment = T0 + dt.timedelta(milliseconds=rng.randrange(10**9))
        card = Card(card_id=1, due=moment)
        for _ in range(rng.randrange(1, 8)):
            moment += dt.timedelta(milliseconds=rng.randrange(10**10))
            card, _ = scheduler.review_card(card, Rating(rng.randrange(1, 5)), review_datetime=moment)
            for _ in range(5):
                now = moment + dt.timedelta(milliseconds=rng.randrange(-10**8, 10**11))
                ours = retrievability(micros(card.last_review) if card.last_review else None, card.stability,
                                      micros(now), -scheduler.parameters[20], scheduler._FACTOR)
                assert ours == scheduler.get_card_retrievability(card, now)
                compared += 1
    assert compared >= 1000
    # exactly one day after and a microsecond before: whole days, floored as timedelta.days floors
    assert (micros(T0 + dt.timedelta(days=1)) - micros(T0)) // DAY_US == 1
    assert (micros(T0 + dt.timedelta(days=1, microseconds=-1)) - micros(T0)) // DAY_US == 0
    assert retrievability(None, None, 0, -0.5, 0.2) == 0


def test_view_follows_the_notes_and_the_log(notebook: Path) -> None:
    paths = add_notes(notebook, 3)
    config = load_config(root_config := notebook / CONFIG_NAME)
    assert root_config.exists()
    deck = load_deck(notebook, config)
    rate(notebook, deck, deck.heads[0], 3, T0)
    later = T0 + dt.timedelta(days=30)
    first = load_view(notebook, config)
    assert first.racy  # the log was just written: not trusted next time
    os.utime(log_path(notebook), ns=(0, 0))
    assert _viewed(notebook, later) == _reference(notebook, later)
    assert load_view(notebook, config) is load_view(notebook, config)  # trusted: the cached view itself
    # an edit in place (the folder's mtime does not change) is seen
    paths[1].write_text(note_text(2, "Fact number 2, edited at length.", title="Retitled"))
    assert any("Retitled" in line for line in _viewed(notebook, later)[0])
    assert _viewed(notebook, later) == _reference(notebook, later)
    # a rating appended to the log is seen
    rate(notebook, load_deck(notebook, config), deck.heads[2], 4, T0 + dt.timedelta(days=1))
    os.utime(log_path(notebook), ns=(10**9, 10**9))
    assert _viewed(notebook, later) == _reference(notebook, later)
    assert sum('"new": false' in line for line in _viewed(notebook, later)[0]) == 2
