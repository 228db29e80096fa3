"""The learning calendar: a year heatmap of notes per day as inline SVG (no script), with the
current streak and the total. Anchored on the newest note's day so a build is reproducible.
Review days (`[review] show_on_site`) are marked only when passed in: class `reviewed` on the day's
cell and "reviewed" in its text.

For screen readers the SVG is a group named by its summary, and every day is an image named by its
date and count (the `<title>` is the same text as a tooltip); home.html adds the legend."""
from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from html import escape

from .i18n import Language

CELL = 11
GAP = 2
WEEKS = 53


@dataclass(frozen=True, slots=True)
class Calendar:
    svg: str
    total: int
    streak: int
    """Consecutive days with notes, ending on the newest note's day."""
    longest: int
    end: dt.date | None
    reviewed: int = 0
    """Days of the shown range with reviews (0 unless review days were passed in)."""


def _level(count: int) -> int:
    return 0 if count == 0 else 1 if count == 1 else 2 if count == 2 else 3 if count <= 4 else 4


def _streak_ending(days: set[dt.date], end: dt.date) -> int:
    streak = 0
    while end - dt.timedelta(days=streak) in days:
        streak += 1
    return streak


def _longest(days: set[dt.date]) -> int:
    starts = (day for day in days if day - dt.timedelta(days=1) not in days)
    return max((_run_length(days, day) for day in starts), default=0)


def _run_length(days: set[dt.date], start: dt.date) -> int:
    length = 0
    while start + dt.timedelta(days=length) in days:
        length += 1
    return length


def learning_calendar(dates: Sequence[dt.date], *, language: Language | str = "en",
                      review_days: Collection[dt.date] = ()) -> Calendar:
    speak = language if isinstance(language, Language) else Language.of(language)
    counts = Counter(dates)
    if not counts:
        return Calendar(svg="", total=0, streak=0, longest=0, end=None)
    end = max(counts)
    last_sunday_col_start = end - dt.timedelta(days=(end.weekday() + 1) % 7)
    start = last_sunday_col_start - dt.timedelta(weeks=WEEKS - 1)
    width = WEEKS * (CELL + GAP) + 30
    height = 7 * (CELL + GAP) + 20
    summary = speak.gettext("Notes per day from %(start)s to %(end)s (%(total)d in all)") % {
        "start": speak.day(start), "end": speak.day(end), "total": len(dates)}
    reviewed = speak.gettext("reviewed")
    parts = [f'<svg class="heatmap" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
             f'role="group" aria-label="{escape(summary)}">']
    month_seen: set[tuple[int, int]] = set()
    day = start
    while day <= end:
        week = (day - start).days // 7
        weekday = (day.weekday() + 1) % 7
        x = 30 + week * (CELL + GAP)
        y = 16 + weekday * (CELL + GAP)
        if day.day <= 7 and weekday == 0 and (day.year, day.month) not in month_seen:
            month_seen.add((day.year, day.month))
            parts.append(f'<text x="{x}" y="10" class="month" aria-hidden="true">{escape(speak.month(day))}</text>')
        count = counts.get(day, 0)
        mark = (" reviewed", f" · {reviewed}") if day in review_days else ("", "")
        label = escape(speak.ngettext("%(day)s: %(count)d note", "%(day)s: %(count)d notes", count)
                       % {"day": speak.day(day), "count": count} + mark[1])
        parts.append(f'<rect x="{x}" y="{y}" width="{CELL}" height="{CELL}" rx="2" class="l{_level(count)}{mark[0]}" '
                     f'role="img" aria-label="{label}"><title>{label}</title></rect>')
        day += dt.timedelta(days=1)
    parts.append("</svg>")
    days = set(counts)
    return Calendar(svg="".join(parts), total=len(dates), streak=_streak_ending(days, end),
                    longest=_longest(days), end=end, reviewed=sum(1 for d in review_days if start <= d <= end))

