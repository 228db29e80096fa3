"""What a build reports: kept apart from the build machinery so that a build with nothing to do
can answer without importing it."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, slots=True)
class BuildWarning:
    path: str
    line: int | None
    code: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: warning: [{self.code}] {self.message}"


@dataclass(slots=True)
class BuildResult:
    out: Path
    notes: int = 0
    pages: int = 0
    changed: int = 0
    unchanged: int = 0
    removed: int = 0
    cache_hits: int = 0
    seconds: float = 0.0
    drafts: bool = False
    warnings: list[BuildWarning] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    """Said once on stderr, not warnings about notes (e.g. a shallow clone: no dates from git)."""
    up_to_date: bool = False
    """Nothing the site is made from changed since the last build: nothing was done."""
    quick: bool = False
    """Only edited notes and what shows them were made again (`site/quick.py`)."""
    full_because: str = ""
    """Why a build with only notes edited was a full one (what the quick build could not do)."""

    def summary(self) -> str:
        if self.up_to_date:
            return (f"{self.notes} notes, {self.pages} pages, up to date (nothing changed since the last build), "
                    f"{len(self.warnings)} warnings, {self.seconds:.2f} s")
        if self.quick:
            return (f"{self.notes} notes, {self.pages} pages ({self.changed} written: only what the edited notes show), "
                    f"{len(self.warnings)} warnings, {self.seconds:.2f} s")
        return (f"{self.notes} notes, {self.pages} pages ({self.changed} written, {self.unchanged} unchanged, "
                f"{self.removed} removed), {self.cache_hits} cache hits, {len(self.warnings)} warnings, "
                f"{self.seconds:.2f} s")
