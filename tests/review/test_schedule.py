"""Scheduling: due dates equal fsrs's own, the log replays to the same state, new notes per day,
and a card keeps its history when its note is renamed, edited, or both."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from fsrs import Card, Rating, Scheduler

from tests.review.helpers import T0, add_notes, note_text
from tilbook.config import CONFIG_NAME, load_config
from tilbook.review import due_items, load_deck, rate, replay
from tilbook.reviewlog import log_path, read_log

SEQUENCE = [(0, 3), (dt.timedelta(minutes=10), 3), (dt.timedelta(days=3), 2), (dt.timedelta(days=9), 1),
            (dt.timedelta(days=9, minutes=10), 3), (dt.timedelta(days=12), 4)]
"""(time after T0, rating): learning steps, a lapse and relearning, an Easy."""


def _config(root: Path):
    return load_config(root / CONFIG_NAME)


def _fsrs_own() -> list[dt.datetime]:
    """The due date after each rating, straight from fsrs with fuzzing off."""
    scheduler = Scheduler(enable_fuzzing=False)
    card = Card(card_id=7, due=T0)
    dues = []
    for after, rating in SEQUENCE:
        card, _ = scheduler.review_card(card, Rating(rating), review_datetime=T0 + dt.timedelta(0) + (after or dt.timedelta(0)))
        dues.append(card.due)
    return dues


def test_due_dates_equal_fsrs(notebook: Path) -> None:
    add_notes(notebook, 1)
    config = _config(notebook)
    expected = _fsrs_own()
    for (after, rating), due in zip(SEQUENCE, expected):
        deck = load_deck(notebook, config)  # from the log every time: what a new process sees
        card, _ = rate(notebook, deck, deck.heads[0], rating, T0 + (after or dt.timedelta(0)))
        assert card.due == due
        assert load_deck(notebook, config).cards[deck.heads[0].rel][1].due == due
    assert expected[-1] - (T0 + dt.timedelta(days=12)) > dt.timedelta(days=5)


def test_log_replays_to_same_state(notebook: Path) -> None:
    add_notes(notebook, 3)
    config = _config(notebook)
    deck = load_deck(notebook, config)
    live = {}
    for index, (after, rating) in enumerate(SEQUENCE):
        head = deck.heads[index % 3]
        live[head.rel] = rate(notebook, deck, head, rating, T0 + (after or dt.timedelta(0)) + dt.timedelta(microseconds=123456))[0]
    replayed = load_deck(notebook, config)
    for rel, card in live.items():
        assert replayed.cards[rel][1].to_dict() == card.to_dict()
    # the log's line order does not matter (a union merge may reorder lines): replay sorts by time
    lines = log_path(notebook).read_text().splitlines()
    log_path(notebook).write_text("\n".join(reversed(lines)) + "\n")
    again = load_deck(notebook, config)
    assert {rel: c.to_dict() for rel, (_, c) in again.cards.items()} == {rel: c.to_dict() for rel, c in live.items()}


def test_replay_is_deterministic_and_fuzz_free(notebook: Path) -> None:
    add_notes(notebook, 1)
    config = _config(notebook)
    deck = load_deck(notebook, config)
    for day in range(0, 200, 20):  # long intervals: fuzzing would move these
        rate(notebook, deck, deck.heads[0], 3, T0 + dt.timedelta(days=day))
    entries, bad = read_log(notebook)
    assert bad == 0 and len({replay(entries).due for _ in range(5)}) == 1  # type: ignore[union-attr]


def test_new_notes_per_day(notebook: Path) -> None:
    add_notes(notebook, 25)
    add_notes_draft = notebook / "notes/2023/2023-12-31-draft.md"
    add_notes_draft.parent.mkdir(parents=True)
    add_notes_draft.write_text(note_text(1, "A draft.", draft=True).replace("2024-01-01", "2023-12-31"))
    config = _config(notebook)
    deck = load_deck(notebook, config)
    first = due_items(deck, config, T0)
    assert [i.head.title for i in first] == [f"Title {d}" for d in range(1, 11)]  # oldest first, no draft
    assert [i.head.rel for i in due_items(deck, config, T0, drafts=True)][0].endswith("draft.md")
    for item in first[:4]:
        rate(notebook, deck, item.head, 4, T0)
    later = due_items(load_deck(notebook, config), config, T0 + dt.timedelta(hours=2))
    assert [i.head.title for i in later] == [f"Title {d}" for d in range(5, 11)]  # 4 introduced today
    tomorrow = due_items(load_deck(notebook, config), config, T0 + dt.timedelta(days=1))
    assert len(tomorrow) == 10 and tomorrow[0].head.title == "Title 5"
    (notebook / CONFIG_NAME).write_text((notebook / CONFIG_NAME).read_text().replace("new_per_day = 10", "new_per_day = 2"))
    assert len(due_items(load_deck(notebook, _config(notebook)), _config(notebook), T0 + dt.timedelta(days=1))) == 2


def _rated_then(notebook: Path, change) -> None:
    """Rate the first note Easy, apply `change` to its file, and check it is still not due and
    its next rating continues the same card."""
    config = _config(notebook)
    deck = load_deck(notebook, config)
    head = deck.heads[0]
    card, entry = rate(notebook, deck, head, 4, T0)
    new_path = change(notebook / head.rel)
    deck = load_deck(notebook, config)
    rel = new_path.relative_to(notebook).as_posix()
    assert deck.cards[rel][1].to_dict() == card.to_dict()
    assert rel not in {i.head.rel for i in due_items(deck, config, T0 + dt.timedelta(hours=1))}
    later = T0 + dt.timedelta(days=30)
    continued, second = rate(notebook, deck, deck.heads[[h.rel for h in deck.heads].index(rel)], 3, later)
    assert second.note == entry.note and second.path == rel
    scheduler = Scheduler(enable_fuzzing=False)
    expected, _ = scheduler.review_card(card, Rating.Good, review_datetime=later)
    assert continued.due == expected.due
    assert load_deck(notebook, config).cards[rel][1].due == expected.due


def test_rename_keeps_history(notebook: Path) -> None:
    add_notes(notebook, 3)

    def rename(path: Path) -> Path:
        target = path.parent.parent / "2025" / "moved-elsewhere.md"
        target.parent.mkdir()
        shutil.move(path, target)
        return target
    _rated_then(notebook, rename)


def test_edit_keeps_history(notebook: Path) -> None:
    add_notes(notebook, 3)

    def edit(path: Path) -> Path:
        path.write_text(path.read_text().replace("Fact number 1", "A corrected fact, number 1"))
        return path
    _rated_then(notebook, edit)


def test_rename_and_edit_keeps_history(notebook: Path) -> None:
    add_notes(notebook, 3)

    def both(path: Path) -> Path:
        target = path.with_name("2024-01-01-a-better-name.md")
        target.write_text(path.read_text().replace("Fact number 1", "Rewritten: fact 1"))
        path.unlink()
        return target
    _rated_then(notebook, both)


def test_note_file_untouched_and_deleted_note_ignored(notebook: Path) -> None:
    paths = add_notes(notebook, 2)
    before = [p.read_bytes() for p in paths]
    config = _config(notebook)
    deck = load_deck(notebook, config)
    rate(notebook, deck, deck.heads[0], 1, T0)
    assert [p.read_bytes() for p in paths] == before
    paths[0].unlink()
    deck = load_deck(notebook, config)
    assert list(deck.cards) == [] and len(deck.histories) == 1
    assert [i.head.rel for i in due_items(deck, config, T0)] == [deck.heads[0].rel]
