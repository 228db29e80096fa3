"""What a note's HTML needs to know about the rest of the notebook (which note a link names, its
page, its dates from git), asked through one object so the answers can be recorded per note.

A full build answers from the whole notebook and records each note's answers in the build state
(`site/records.py`); a quick build (`site/quick.py`) replays them for an edited note, and gives
up (`NeedFullBuild`) when the note asks anything the last build was not asked: a new link.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..gitdates import NoteDates
    from ..links import NoteIndex
    from ..model import Note
    from ..plan import PlannedNote

PageRef = tuple[str, str]
"""A published note's page: (url, anchor)."""


class NeedFullBuild(Exception):
    """A quick build met something only a full build can answer (the reason is the message)."""


class Lookups:
    """Live answers, recorded under the note being made (`start`)."""

    def __init__(self, notes_by_path: dict[Path, Note], by_rel: dict[str, PlannedNote], index: NoteIndex,
                 git: dict[str, NoteDates]) -> None:
        self._notes_by_path = notes_by_path
        self._by_rel = by_rel
        self._index = index
        self._git = git
        self.answers: dict[str, dict[tuple[str, str], Any]] = {}
        """Note → (question, subject) → answer."""
        self._current: dict[tuple[str, str], Any] = {}

    def start(self, rel: str) -> None:
        self._current = self.answers.setdefault(rel, {})

    def _answer(self, question: str, subject: str) -> Any:
        if question == "path":
            found = self._notes_by_path.get(Path(subject))
            return found.rel if found is not None else None
        if question == "page":
            planned = self._by_rel.get(subject)
            return (planned.url, planned.anchor) if planned is not None else None
        if question == "wikilink":
            resolution = self._index.resolve(subject)
            return resolution.note.rel if resolution.note is not None else None, resolution.problem
        return self._git.get(subject)

    def ask(self, question: str, subject: str) -> Any:
        answer = self._current[(question, subject)] = self._answer(question, subject)
        return answer

    def note_at(self, path: Path) -> str | None:
        """The note whose file is `path`, if any."""
        return self.ask("path", str(path))  # type: ignore[no-any-return]

    def page_of(self, rel: str) -> PageRef | None:
        """The page of note `rel`; None when it has none in this build (a draft)."""
        return self.ask("page", rel)  # type: ignore[no-any-return]

    def wikilink(self, target: str) -> tuple[str | None, str | None]:
        """The note a `[[target]]` names, or None and why not."""
        return self.ask("wikilink", target)  # type: ignore[no-any-return]

    def git(self, rel: str) -> NoteDates | None:
        return self.ask("git", rel)  # type: ignore[no-any-return]


class RecordedLookups(Lookups):
    """The answers a full build recorded, for the notes it recorded them for; what each note
    asks this time is kept (`asked_by`) as its answers for the next quick build."""

    def __init__(self, answers: dict[str, dict[tuple[str, str], Any]]) -> None:
        self.answers = answers
        self._current = {}
        self._recorded: dict[tuple[str, str], Any] = {}
        self.asked_by: dict[str, dict[tuple[str, str], Any]] = {}

    def start(self, rel: str) -> None:
        if rel not in self.answers:
            raise NeedFullBuild(f"nothing recorded for {rel}")
        self._recorded = self.answers[rel]
        self._current = self.asked_by[rel] = {}

    def _answer(self, question: str, subject: str) -> Any:
        try:
            return self._recorded[(question, subject)]
        except KeyError:
            raise NeedFullBuild(f"not asked before: {question} {subject}") from None
