"""The learning calendar: a year heatmap of notes per day as inline SVG (no script), with the
current streak and the total. Anchored on the newest note's day so a build is reproducible.
Review days (`[review] show_on_site`) are marked only when passed in: class `reviewed` on the day's
cell and "reviewed" in its text."""
from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from html import escape

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


def learning_calendar(dates: Sequence[dt.date], *, language: str = "en",
                      review_days: Collection[dt.date] = ()) -> Calendar:
    counts = Counter(dates)
    if not counts:
        return Calendar(svg="", total=0, streak=0, longest=0, end=None)
    end = max(counts)
    last_sunday_col_start = end - dt.timedelta(days=(end.weekday() + 1) % 7)
    start = last_sunday_col_start - dt.timedelta(weeks=WEEKS - 1)
    width = WEEKS * (CELL + GAP) + 30
    height = 7 * (CELL + GAP) + 20
    korean = language.startswith("ko")
    unit = "개" if korean else " notes"
    parts = [f'<svg class="heatmap" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
             f'role="img" aria-label="{escape(_label(len(dates), start, end, korean))}">']
    month_seen: set[tuple[int, int]] = set()
    day = start
    while day <= end:
        week = (day - start).days // 7
        weekday = (day.weekday() + 1) % 7
        x = 30 + week * (CELL + GAP)
        y = 16 + weekday * (CELL + GAP)
        if day.day <= 7 and weekday == 0 and (day.year, day.month) not in month_seen:
            month_seen.add((day.year, day.month))
            parts.append(f'<text x="{x}" y="10" class="month">{day.month}{"월" if korean else ""}</text>')
        count = counts.get(day, 0)
        mark = (" reviewed", " · 복습" if korean else " · reviewed") if day in review_days else ("", "")
        parts.append(f'<rect x="{x}" y="{y}" width="{CELL}" height="{CELL}" rx="2" class="l{_level(count)}{mark[0]}">'
                     f'<title>{day.isoformat()}: {count}{unit}{mark[1]}</title></rect>')
        day += dt.timedelta(days=1)
    parts.append("</svg>")
    days = set(counts)
    return Calendar(svg="".join(parts), total=len(dates), streak=_streak_ending(days, end),
                    longest=_longest(days), end=end, reviewed=sum(1 for d in review_days if start <= d <= end))


def _label(total: int, start: dt.date, end: dt.date, korean: bool) -> str:
    if korean:
        return f"{start.isoformat()}부터 {end.isoformat()}까지 날마다 쓴 노트 수 (전체 {total}개)"
    return f"Notes per day from {start.isoformat()} to {end.isoformat()} ({total} in all)"
