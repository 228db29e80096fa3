"""Running `git` for a deploy: one function, one error type, never an optional lock.

`--no-optional-locks` keeps read-only commands such as `git status` from refreshing (rewriting)
the user's index: a deploy leaves the checkout byte-identical.
"""
from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping
from pathlib import Path

from ..errors import DeployError
from ..notes import NOTES_DIR

SOURCES = (NOTES_DIR, "images", "static", "templates", "tilbook.toml")
"""What a built site is made from, relative to the notebook: changes here make a notebook dirty."""


def git(cwd: Path, *args: str, stdin: str | None = None, env: Mapping[str, str] | None = None,
        ok: tuple[int, ...] = (0,)) -> subprocess.CompletedProcess[str]:
    """Run `git ARGS` in `cwd`; DeployError with git's own last line when it exits otherwise."""
    try:
        done = subprocess.run(["git", "--no-optional-locks", *args], cwd=cwd, input=stdin, capture_output=True,
                              encoding="utf-8", errors="surrogateescape", env={**os.environ, **env} if env else None)
    except FileNotFoundError:
        raise DeployError("git is not installed", hint="install git, or deploy with --to DIR") from None
    if done.returncode not in ok:
        lines = (done.stderr or done.stdout).strip().splitlines()
        raise DeployError(f"git {args[0]} failed: {lines[-1] if lines else f'exit status {done.returncode}'}")
    return done


def out(cwd: Path, *args: str, stdin: str | None = None, env: Mapping[str, str] | None = None) -> str:
    """The standard output of `git ARGS`, stripped."""
    return git(cwd, *args, stdin=stdin, env=env).stdout.strip()


def in_repository(root: Path) -> bool:
    return git(root, "rev-parse", "--is-inside-work-tree", ok=(0, 128)).stdout.strip() == "true"


def uncommitted(root: Path) -> list[str]:
    """Paths of the notebook's sources (SOURCES) that differ from HEAD: changed, staged, deleted or
    untracked (not ignored), as git names them (relative to the repository's top folder)."""
    if not in_repository(root):
        return []
    listing = git(root, "status", "--porcelain", "-z", "--untracked-files=all", "--", *SOURCES).stdout
    entries = listing.split("\0")
    paths: list[str] = []
    index = 0
    while index < len(entries):
        entry = entries[index]
        index += 1
        if len(entry) > 3:
            paths.append(entry[3:])
            if entry[0] in "RC":  # a rename or copy: its source path follows
                index += 1
    return paths


def source_commit(root: Path) -> tuple[str, str] | None:
    """(short hash, subject) of HEAD, or None before the first commit."""
    done = git(root, "log", "-1", "--format=%h%x00%s", "HEAD", ok=(0, 128))
    if done.returncode != 0 or "\0" not in done.stdout:
        return None
    short, subject = done.stdout.strip("\n").split("\0", 1)
    return short, subject
