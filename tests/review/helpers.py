"""Small notebooks for the review tests, and a fixed clock."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.conftest import write_note

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone.utc)


def note_text(day: int, body: str, *, title: str | None = None, draft: bool = False,
              category: str = "CS", tags: str = "[]") -> str:
    head = f"---\ndate: 2024-01-{day:02d}\ncategory: {category}\ntags: {tags}\n"
    head += f"title: {title}\n" if title else ""
    head += "draft: true\n" if draft else ""
    return head + f"---\n{body}\n"


def add_notes(root: Path, count: int, *, start: int = 1) -> list[Path]:
    """`count` notes, one a day from 2024-01-`start`, each with its own body and title."""
    return [write_note(root, f"2024/2024-01-{day:02d}-n{day}.md",
                       note_text(day, f"Fact number {day} about things.", title=f"Title {day}"))
            for day in range(start, start + count)]
