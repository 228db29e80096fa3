"""The interactive review loop: one due note at a time in the terminal, rated with one key.

Each note is first shown by its title (try to recall it), then, on space or Enter, rendered with
Rich: markdown and highlighted code, math as its TeX source (kept literal, never mangled into
emphasis). Keys: 1 again, 2 hard, 3 good, 4 easy, s skip, q quit. A rating is in the log (fsynced)
before the next note appears, so Ctrl-C at any point loses nothing already rated; the summary is
printed on quit and on Ctrl-C. A card that comes due again within the session (FSRS's 1 and 10
minute learning steps) is shown again at the end of the queue.
"""
from __future__ import annotations

import datetime as dt
import os
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.markdown import Markdown
from rich.markup import escape
from rich.rule import Rule

from ..config import Config
from ..notes import read_note
from .schedule import RATINGS, UTC, Deck, Item, due_items, rate

LEARN_AHEAD = dt.timedelta(minutes=20)
"""Cards due within this much of now are shown in this session (Anki's learn-ahead limit)."""
_FENCE = re.compile(r"^\s*(```|~~~)")
_DISPLAY_MATH = re.compile(r"\$\$(.+?)\$\$", re.S)
_INLINE_MATH = re.compile(r"(?<![\\$`])\$(?!\s)([^$\n]+?)(?<!\s)\$(?!\$)")


@dataclass
class Summary:
    ratings: Counter[int] = field(default_factory=Counter)
    skipped: int = 0
    next_due: dt.datetime | None = None
    streak: int = 0
    interrupted: bool = False

    @property
    def reviewed(self) -> int:
        return sum(self.ratings.values())


def terminal_math(body: str) -> str:
    """Markdown for Rich with math kept as TeX: `$…$` as inline code, `$$…$$` as a tex block."""
    out: list[str] = []
    chunk: list[str] = []
    fenced = False

    def flush() -> None:
        text = "\n".join(chunk)
        text = _DISPLAY_MATH.sub(lambda m: f"\n```tex\n{m.group(1).strip()}\n```\n", text)
        out.append(_INLINE_MATH.sub(lambda m: f"`${m.group(1)}$`", text))
        chunk.clear()

    for line in body.split("\n"):
        if _FENCE.match(line):
            if not fenced:
                flush()
            fenced = not fenced
            out.append(line)
            continue
        (out if fenced else chunk).append(line)
    flush()
    return "\n".join(out)


def terminal_keys() -> Iterator[str]:
    """Keys as typed: one at a time from a terminal (cbreak mode, so Ctrl-C still interrupts),
    else the characters of stdin (newlines ignored, end of input quits)."""
    if not sys.stdin.isatty():
        for char in iter(lambda: sys.stdin.read(1), ""):
            if char != "\n":
                yield char
        yield "q"
        return
    import termios
    import tty

    fd = sys.stdin.fileno()
    saved = termios.tcgetattr(fd)
    try:
        tty.setcbreak(fd)
        while True:
            data = os.read(fd, 1)
            if not data:
                yield "q"
                return
            yield data.decode("latin-1")
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)


def streak(days: set[dt.date], today: dt.date) -> int:
    """Consecutive days with reviews ending today (or yesterday, before today's first review)."""
    day = today if today in days else today - dt.timedelta(days=1)
    count = 0
    while day in days:
        count += 1
        day -= dt.timedelta(days=1)
    return count


def _when(due: dt.datetime, now: dt.datetime) -> str:
    seconds = (due - now).total_seconds()
    if seconds < 3600:
        return f"{max(1, round(seconds / 60))} min"
    if seconds < 86400:
        return f"{round(seconds / 3600)} h"
    return f"{round(seconds / 86400)} days"


def run_session(root: Path, config: Config, deck: Deck, clock: Callable[[], dt.datetime], *,
                limit: int | None = None, category: str | None = None, tag: str | None = None,
                drafts: bool = False, keys: Iterator[str] | None = None, console: Console | None = None) -> Summary:
    console = console or Console(highlight=False)
    keys = keys if keys is not None else terminal_keys()
    queue: list[Item] = due_items(deck, config, clock(), drafts=drafts, category=category, tag=tag,
                                  limit=limit, ahead=LEARN_AHEAD)
    summary = Summary()
    if not queue:
        console.print("Nothing is due. " + _next_line(deck, clock()))
        return summary
    console.print(f"[bold]{len(queue)}[/bold] {'note' if len(queue) == 1 else 'notes'} to review · "
                  "[dim]space show · 1 again · 2 hard · 3 good · 4 easy · s skip · q quit[/dim]")
    try:
        while queue:
            item = queue.pop(0)
            key = _show(console, root, config, item, keys, len(queue))
            if key == "q":
                break
            if key == "s":
                summary.skipped += 1
                continue
            now = clock()
            card, _ = rate(root, deck, item.head, int(key), now)
            summary.ratings[int(key)] += 1
            console.print(f"[bold]{RATINGS[int(key)]}[/bold] · next in {_when(card.due, now.astimezone(UTC))}")
            if card.due <= now.astimezone(UTC) + LEARN_AHEAD:
                queue.append(Item(item.head, card, deck.cards[item.head.rel][0], None))
    except KeyboardInterrupt:
        summary.interrupted = True
        _finish(console, deck, clock(), summary)
        raise
    _finish(console, deck, clock(), summary)
    return summary


def _show(console: Console, root: Path, config: Config, item: Item, keys: Iterator[str], left: int) -> str:
    head = item.head
    console.print(Rule())
    emoji = config.emoji(head.category)
    state = "new" if item.card is None else item.card.state.name.lower()
    category = f"{emoji} {head.category}".strip()
    console.print(f"[bold]{escape(head.title)}[/bold]  [dim]{head.date.isoformat()} · {escape(category)} · "
                  f"{state} · {left} more[/dim]")
    console.print("[dim]space: show the note · 1-4 rate · s skip · q quit[/dim]")
    shown = False
    for key in keys:
        if key in (" ", "\r", "\n") and not shown:
            shown = True
            note = read_note(root / head.rel, root)
            console.print(Markdown(terminal_math(note.body), code_theme="ansi_dark"))
            console.print("[dim]1 again · 2 hard · 3 good · 4 easy · s skip · q quit[/dim]")
        elif key in ("1", "2", "3", "4", "s", "q"):
            return key
        elif key == "\x04":  # Ctrl-D
            return "q"
    return "q"


def _next_line(deck: Deck, now: dt.datetime) -> str:
    upcoming = [card.due for _, card in deck.cards.values() if card.due > now.astimezone(UTC)]
    if not upcoming:
        return "No reviews scheduled."
    first = min(upcoming)
    return f"Next review due {first.astimezone(now.tzinfo).strftime('%Y-%m-%d %H:%M')} (in {_when(first, now.astimezone(UTC))})."


def _finish(console: Console, deck: Deck, now: dt.datetime, summary: Summary) -> None:
    upcoming = [card.due for _, card in deck.cards.values() if card.due > now.astimezone(UTC)]
    summary.next_due = min(upcoming) if upcoming else None
    summary.streak = streak(deck.review_days(), now.date())
    counts = ", ".join(f"{summary.ratings[r]} {RATINGS[r]}" for r in sorted(summary.ratings))
    console.print(Rule())
    head = "Interrupted. " if summary.interrupted else ""
    console.print(f"{head}Reviewed [bold]{summary.reviewed}[/bold]" + (f" ({counts})" if counts else "")
                  + (f", skipped {summary.skipped}" if summary.skipped else "") + ".")
    console.print(_next_line(deck, now) + f" Streak: [bold]{summary.streak}[/bold] "
                  f"{'day' if summary.streak == 1 else 'days'}.")
