"""tilbook's exceptions.

The library raises these; only the CLI turns them into one printed line and an exit status.
Nothing here knows about click.
"""
from __future__ import annotations

from pathlib import Path


class TilbookError(Exception):
    """Base of every error tilbook reports to a user. `exit_status` is what the CLI returns."""

    exit_status = 2

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class InputError(TilbookError):
    """A file the user wrote is unusable: names the file and line so it can be fixed."""

    def __init__(self, path: Path | str, line: int | None, message: str, *, hint: str = "") -> None:
        super().__init__(message, hint=hint)
        self.path = Path(path)
        self.line = line

    @property
    def location(self) -> str:
        return f"{self.path}:{self.line}" if self.line else str(self.path)

    def __str__(self) -> str:
        return f"{self.location}: {super().__str__()}"


class ConfigError(InputError):
    """tilbook.toml is missing, unreadable or holds a wrong value."""


class TemplateError(InputError):
    """A template (the notebook's `templates/` override or the theme) fails to compile or render:
    names the template file and line, and the page being built."""

    def __init__(self, path: Path | str, line: int | None, message: str, page: str) -> None:
        super().__init__(path, line, message, hint=f"while building {page}")
        self.page = page

    def __reduce__(self) -> tuple[object, ...]:  # raised in page workers: must cross a process boundary
        return (TemplateError, (self.path, self.line, self.message, self.page))


class NotebookNotFound(TilbookError):
    """No tilbook.toml in the folder or any parent."""


class UsageError(TilbookError):
    """A command was asked for something it must refuse (unknown category, existing notebook...)."""


class BuildError(TilbookError):
    """The site cannot be built as asked (unsafe output folder, URL collision)."""


class DeployError(TilbookError):
    """A site must not be published as asked (a drafts build, no real base URL, uncommitted notes,
    files tilbook did not write in the target folder), or git refused a step of the deploy."""
