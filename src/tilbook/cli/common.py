"""What every command module shares: the notebook it runs in and how paths and dates are shown."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from ..errors import UsageError
from ..paths import find_notebook


def notebook_root(explicit: str | None = None) -> Path:
    """The notebook of `explicit`, else of `-C DIR`, else of the current folder (or a parent)."""
    directory = click.get_current_context().find_root().obj.get("directory")
    return find_notebook(Path(explicit or directory or "."))


def shown(path: Path) -> str:
    """A path relative to the current folder when inside it, else absolute."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def parse_date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value.replace(".", "-"))
    except ValueError:
        raise UsageError(f"--date {value} is not a date", hint="write YYYY-MM-DD") from None
