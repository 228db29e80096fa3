"""What may be an output folder, and what is in one: the checks that keep a build (or a deploy)
from filling or emptying a folder that holds anything of the user's, and the paths inside it."""
from __future__ import annotations

import os
from pathlib import Path

from ..errors import BuildError

MARKER = ".tilbook-site"
"""In every folder tilbook built: the one kind of non-empty folder a build may replace."""
DRAFT_MARKER = ".tilbook-drafts"


def check_output_folder(out: Path, notebook_root: Path, notes_dir: Path) -> Path:
    """Refuse output folders that could destroy user files; returns the resolved path."""
    out = out.expanduser().resolve()
    why = unsafe_folder_reason(out, notebook_root, notes_dir)
    if why:
        raise BuildError(f"refusing to build into {out}: {why}",
                         hint="choose an empty folder, e.g. the default `site/` in the notebook")
    if out.exists() and not out.is_dir():
        raise BuildError(f"refusing to build into {out}: it is a file", hint="choose a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise BuildError(f"refusing to replace {out}: it is not empty and tilbook did not build it "
                         f"(no {MARKER} marker)", hint="choose an empty or new folder, or empty it yourself")
    return out


def unsafe_folder_reason(out: Path, notebook_root: Path, notes_dir: Path) -> str | None:
    """Why tilbook must never fill or empty the folder `out` (None: it may), comparing resolved
    paths: the file system root, home, the notebook, a parent of it, its notes or templates."""
    out = out.expanduser().resolve()
    root = notebook_root.resolve()
    notes = notes_dir.resolve()
    reasons = [
        (out == Path(out.anchor), "it is the file system root"),
        (out == Path.home().resolve(), "it is your home folder"),
        (out == root, "it is the notebook itself"),
        (root.is_relative_to(out), "it contains the notebook"),
        (out.is_relative_to(notes), "it is inside the notes folder"),
        (out.is_relative_to(root / "templates"), "it is inside the templates folder"),
    ]
    return next((why for refused, why in reasons if refused), None)


def safe_relpath(rel: str) -> str:
    """Validate a site-relative path: no absolute paths, `..`, `.`, empty parts, backslashes or NUL."""
    if "\x00" in rel or "\\" in rel or rel.startswith("/") or not rel:
        raise BuildError(f"unsafe output path {rel!r}", hint="slugs must not hold / \\ or NUL")
    if any(part in ("..", ".", "") for part in rel.split("/")):
        raise BuildError(f"unsafe output path {rel!r}", hint="slugs must not hold `..`")
    return rel


def walk_files(out: Path) -> set[str]:
    """Every file under `out`, as a `/`-separated path relative to it (symlinked folders not followed)."""
    found: set[str] = set()
    if out.is_dir():
        for folder, _, files in os.walk(out):
            found.update(Path(folder, name).relative_to(out).as_posix() for name in files)
    return found


def remove_empty_folders(out: Path, emptied: set[Path]) -> None:
    """Remove each folder of `emptied` and its parents while they are empty, up to (not including) `out`."""
    for folder in sorted(emptied, key=lambda p: len(p.parts), reverse=True):
        while folder != out and folder.is_relative_to(out):
            try:
                folder.rmdir()
            except OSError:
                break
            folder = folder.parent
