"""tilbook: Today-I-Learned notebooks as plain markdown, digest posts in and out, a linter,
Korean-aware search and a fast static site.

The CLI is a thin layer over these functions. They are imported on first use (PEP 562), so a
command pays at start-up only for the modules it runs.
"""
from __future__ import annotations

import importlib
from typing import Any

from .version import __version__

_WHERE = {
    "init_notebook": "capture", "new_note": "capture",
    "Config": "config", "load_config": "config",
    "BuildError": "errors", "ConfigError": "errors", "InputError": "errors", "NotebookNotFound": "errors",
    "TilbookError": "errors", "UsageError": "errors",
    "export_post": "exporter", "select_notes": "exporter",
    "import_posts": "importer",
    "Category": "model", "Note": "model", "Notebook": "model", "publishable": "model",
    "find_notebook": "notes", "load_notebook": "notes", "read_note": "notes",
}
"""Public name → the module of tilbook that defines it."""

__all__ = ["__version__", *sorted(_WHERE)]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
