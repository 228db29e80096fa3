"""`tilbook check`: a linter for TIL notes and digest posts.

`run_checks` reads the targets top to bottom: post rules (`posts.py`), note rules
(`content.py`'s CONTENT_RULES), notebook rules (`notebook.py`), then the [checks] levels.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..config import CONFIG_NAME, Config
from ..notes import load_notebook
from ..render.markdown import Renderer
from .fix import Change, fix_file
from .model import DEFAULT_SEVERITY, Finding, apply_levels
from .notebook import check_notebook
from .posts import check_post

RULES = tuple(DEFAULT_SEVERITY)


@dataclass(frozen=True, slots=True)
class Target:
    """A notebook folder, or a digest post file (checked on its own)."""

    path: Path
    is_notebook: bool


def shown_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def run_checks(target: Target, config: Config | None = None) -> list[Finding]:
    """Every finding for one target, re-levelled by [checks]."""
    if target.is_notebook:
        notebook = load_notebook(target.path, strict=False)
        renderer = Renderer(macros=notebook.config.macros, allow_html=notebook.config.allow_html)
        return apply_levels(check_notebook(notebook, renderer), notebook.config.checks)
    config = config or Config()
    renderer = Renderer(macros=config.macros, allow_html=config.allow_html)
    return apply_levels(check_post(target.path, shown_path(target.path), renderer, config), config.checks)


def fix(target: Target, config: Config | None = None) -> list[Change]:
    """Repair what is safe to repair, in every file of the target."""
    if target.is_notebook:
        notebook = load_notebook(target.path, strict=False)
        changes: list[Change] = []
        for note in notebook.notes:
            changes += fix_file(note.path, note.rel, macros=notebook.config.macros,
                                categories=notebook.config.categories, post=False)
        return changes
    config = config or Config()
    return fix_file(target.path, shown_path(target.path), macros=config.macros, categories=config.categories, post=True)


def is_notebook(path: Path) -> bool:
    return path.is_dir() and (path / CONFIG_NAME).is_file()


__all__ = ["Change", "Finding", "RULES", "Target", "fix", "is_notebook", "run_checks"]
