"""Where a notebook keeps what: its file and folder names, and finding it from any folder inside.
Small and import-free on purpose: every command starts here."""
from __future__ import annotations

from pathlib import Path

from .errors import NotebookNotFound

CONFIG_NAME = "tilbook.toml"
NOTES_DIR = "notes"
CACHE_DIR = ".tilbook-cache"


def find_notebook(start: Path) -> Path:
    """The folder holding tilbook.toml: `start` or its nearest parent (as git finds a repository)."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    raise NotebookNotFound(f"no tilbook notebook in {start} or any parent folder",
                           hint="run `tilbook init` or pass -C DIR")


def cache_dir(root: Path) -> Path:
    return root / CACHE_DIR
