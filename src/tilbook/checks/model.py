"""What every lint rule is and returns: the rule (one id, a default severity, a scope, a function)
and the finding the runner makes of what the function yields."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..links import NoteIndex
from ..render.markdown import Rendered

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    severity: str
    path: str
    line: int
    message: str
    """What is wrong and how to fix it."""

    def as_json(self) -> dict[str, object]:
        return {"rule": self.rule, "severity": self.severity, "path": self.path, "line": self.line,
                "message": self.message}


@dataclass(slots=True)
class Unit:
    """One note's markdown with where it lives, so every finding names file and line: a note
    file's body, or one note of a digest post."""

    path: str
    """The path shown in findings."""
    file: Path
    """The file on disk (images and links resolve relative to its folder)."""
    body: str
    body_line: int
    """1-based file line of the body's first line."""
    date: dt.date | None
    rendered: Rendered
    date_line: int = 1
    footnotes_checked_by_post: bool = False
    """Digest notes share one References section: the post checks their footnotes as a whole."""
    notes: NoteIndex | None = None
    """The notebook's notes, which wikilinks name (None for a digest post checked on its own)."""

    def line(self, body_line: int) -> int:
        """File line of a 1-based body line."""
        return self.body_line + body_line - 1


Spot = tuple[int, str]
"""(file line, message) of one problem in the file being checked."""
Placed = tuple[str, int, str]
"""(path, file line, message) of one problem somewhere in a notebook."""


@dataclass(frozen=True, slots=True)
class Rule:
    """A named lint rule, as markdown-it-py lists its rules: one id, reported by one function.

    scope `note` runs on every Unit (a note file or a digest note) and yields Spots; `notebook`
    runs once on the loaded Notebook and yields Placed; `post` runs once on a read digest post
    (a `PostContext`) and yields Spots."""

    id: str
    severity: str
    scope: str
    check: Callable[[Any], Iterable[Any]] = field(repr=False)
    """Yields Spots (scopes `note` and `post`) or Placed (scope `notebook`)."""
    summary: str = ""


def sort_findings(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.path, f.line, SEVERITY_ORDER.get(f.severity, 3), f.rule, f.message))
