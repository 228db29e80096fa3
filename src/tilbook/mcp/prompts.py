"""The text of the server's prompts and of its summary resources, built from a loaded notebook.

Plain strings and dicts: `server.py` hands them to the SDK. Only published notes appear here.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from typing import Any

from ..errors import UsageError
from ..model import Notebook, Note

RECENT = 20
STYLE_EXAMPLES = 3
_ISO_WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.I)


def category_table(notebook: Notebook) -> list[dict[str, Any]]:
    """Every category: the configured ones in their order, then any only notes use; with counts."""
    counts = Counter(note.category for note in notebook.publishable_notes())
    names = list(notebook.config.categories) + sorted(set(counts) - set(notebook.config.categories))
    return [{"name": name, "emoji": notebook.config.emoji(name), "notes": counts.get(name, 0)} for name in names]


def tag_table(notebook: Notebook) -> list[dict[str, Any]]:
    counts = Counter(tag for note in notebook.publishable_notes() for tag in note.tags)
    return [{"name": name, "notes": count} for name, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def recent(notebook: Notebook, count: int = RECENT) -> list[Note]:
    return sorted(notebook.publishable_notes(), key=lambda n: (n.date, n.rel), reverse=True)[:count]


def note_uri(note: Note) -> str:
    return f"tilbook://notes/{note.date.isoformat()}/{note.slug}"


def write_til(notebook: Notebook, topic: str) -> str:
    """Ask for one note about `topic`, in this notebook's language, style and categories."""
    config = notebook.config
    lines = [f"Write one Today-I-Learned note about: {topic}", "",
             f"It goes into the notebook \"{config.title}\" (language: {config.language}). Write it the way "
             "its notes are written: one idea per note, a first sentence that says what was learned (it becomes "
             "the title when none is given), code in fenced blocks with their language, math as $…$, sources as "
             "footnotes ([^1] in the text, `[^1]: …` at the end). Keep it short.", "",
             "Categories (choose exactly one by name):"]
    table = category_table(notebook)
    lines += [f"- {row['emoji']} {row['name']} ({row['notes']} notes)".replace("-  ", "- ") for row in table] \
        or ["- (none configured yet: ask the user which category to use)"]
    tags = [row["name"] for row in tag_table(notebook)[:20]]
    if tags:
        lines += ["", "Tags already in use (reuse them where they fit): " + ", ".join(tags)]
    examples = recent(notebook, STYLE_EXAMPLES)
    if examples:
        lines += ["", "Recent notes, for their style:"]
        for note in examples:
            lines += ["", f"--- {note.date.isoformat()} · {note.category} · {note.title}", note.body.strip()]
    lines += ["", "Show the note to the user; when they agree, file it with the add_note tool "
              "(text, category, tags, and title if the first sentence is not a good title), then fix what "
              "the returned findings report."]
    return "\n".join(lines)


def week_of(week: str | None, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """Monday and Sunday of an ISO week (`2024-W21`), of the week holding a date, or of this week."""
    text = (week or "").strip()
    if not text:
        day = today or dt.date.today()
    elif match := _ISO_WEEK.match(text):
        try:
            day = dt.date.fromisocalendar(int(match[1]), int(match[2]), 1)
        except ValueError:
            raise UsageError(f"week {week!r} does not exist", hint="write YYYY-Www, e.g. 2024-W21") from None
    else:
        try:
            day = dt.date.fromisoformat(text.replace(".", "-"))
        except ValueError:
            raise UsageError(f"week {week!r} is neither an ISO week nor a date",
                             hint="write YYYY-Www (2024-W21) or a date in the week (2024-05-22)") from None
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def weekly_review(notebook: Notebook, week: str | None = None) -> str:
    """Ask for a summary of what the notes of one week say was learned."""
    monday, sunday = week_of(week)
    year, number, _ = monday.isocalendar()
    notes = sorted((n for n in notebook.publishable_notes() if monday <= n.date <= sunday), key=lambda n: (n.date, n.rel))
    head = f"Week {year}-W{number:02d} ({monday.isoformat()} – {sunday.isoformat()})"
    if not notes:
        return (f"{head}: the notebook has no published notes in this week. Say so, and offer to look at "
                "another week or to write a note now (the write_til prompt).")
    lines = [f"Here are the {len(notes)} notes of {head} from the notebook \"{notebook.config.title}\".",
             "Summarise what was learned this week for the user: group it by theme, one or two sentences each, "
             "name the notes you draw on, point out connections between them, and suggest one thing worth "
             "reviewing or following up. Answer in the notebook's language "
             f"({notebook.config.language})."]
    for note in notes:
        tags = f" · tags: {', '.join(note.tags)}" if note.tags else ""
        lines += ["", f"--- {note.date.isoformat()} · {note.category} · {note.title}{tags} ({note.rel})",
                  note.body.strip()]
    return "\n".join(lines)
