"""Which note a line of the review log belongs to, after renames and edits.

A note has no id of its own (nothing is written into front matter), so a card's identity is fixed
at its first review: `card_id(date, fingerprint)`, a hash of the note's date and of its body's
text. Every later rating of the card repeats that id, together with how the note looked then
(path, date, title, body fingerprint). Being a hash of the content, the id is the same on two
machines that first review the same note independently, so their logs merge into one card.

When the log is read, each card finds its note among today's files, in three passes, each only
among the notes no card has claimed yet:

1. by path: the path of its latest rating (the note was edited, or not changed at all);
2. by text: any body fingerprint it was rated with (the file was renamed or moved);
3. by date and title: its latest date and normalised title (renamed *and* its body edited).

A note renamed, re-dated and re-titled at once, with its body edited, is new again: nothing of it
is left to recognise. Cards whose note is gone (deleted) stay in the log and are ignored.
"""
from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from ..reviewlog import LogEntry


class _Head(Protocol):
    @property
    def rel(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def date(self) -> object: ...


def fingerprint(body: str) -> str:
    """The body's text with whitespace runs collapsed, hashed: a rename keeps it, any edit to the
    words changes it (front matter is not part of it: retagging keeps it too)."""
    text = unicodedata.normalize("NFC", " ".join(body.split()))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def card_id(date: str, text: str) -> str:
    """A new card's identity: its note's date and body fingerprint at the first review."""
    return hashlib.sha256(f"{date}\n{text}".encode()).hexdigest()[:16]


def title_key(title: str) -> str:
    return " ".join(unicodedata.normalize("NFC", title).casefold().split())


def match_cards(histories: Mapping[str, Sequence[LogEntry]], heads: Iterable[_Head]) -> dict[str, str]:
    """Card id → the rel of the note it belongs to (cards whose note is gone are left out).

    `histories` holds each card's entries in time order. Cards reviewed most recently choose first,
    so when two cards could claim one note the one in use wins."""
    by_rel = {head.rel: head for head in heads}
    order = sorted(histories, key=lambda card: (histories[card][-1].time, card), reverse=True)
    claimed: dict[str, str] = {}
    owner: dict[str, str] = {}

    def claim(card: str, rel: str) -> None:
        claimed[card] = rel
        owner[rel] = card

    for card in order:
        rel = histories[card][-1].path
        if rel in by_rel and rel not in owner:
            claim(card, rel)
    if len(claimed) == len(histories):
        return claimed
    by_text: dict[str, list[str]] = {}
    by_title: dict[tuple[str, str], list[str]] = {}
    for head in by_rel.values():
        if head.rel not in owner:
            by_text.setdefault(head.text, []).append(head.rel)
            by_title.setdefault((str(head.date), title_key(head.title)), []).append(head.rel)
    for card in order:
        if card in claimed:
            continue
        texts = dict.fromkeys(entry.text for entry in reversed(histories[card]))
        renamed = next((r for text in texts for r in sorted(by_text.get(text, ())) if r not in owner), None)
        if renamed is not None:
            claim(card, renamed)
    for card in order:
        if card in claimed:
            continue
        last = histories[card][-1]
        edited = next((r for r in sorted(by_title.get((last.date, title_key(last.title)), ())) if r not in owner), None)
        if edited is not None:
            claim(card, edited)
    return claimed
