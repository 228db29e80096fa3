"""What the last build of an output folder was made from, kept in one SQLite file, so a build
with nothing changed is answered by one directory scan and one read, before anything heavy is
imported.

`.tilbook-cache/build-state.sqlite` holds, per output folder: the stat of every input file the
build read (note files, tilbook.toml, templates and static files of the notebook and the theme,
media the notes show, paths the notes link to that did not exist, the review log, the git
repository's HEAD and branch tips for dates from git), the build
settings (drafts, tilbook's version), and the stat of the output's marker file. The state is
written in one transaction after the site was swapped into place; a build killed at any point
before leaves the previous state, whose inputs differ from the files now, so the next build does
the work again: never a stale site reported as up to date.
"""
from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..version import __version__

STATE_FILE = "build-state.sqlite"
STATE_VERSION = 1
THEME = Path(__file__).resolve().parent.parent / "theme"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS builds(
    output TEXT PRIMARY KEY, version INTEGER NOT NULL, settings TEXT NOT NULL,
    inputs TEXT NOT NULL, extra TEXT NOT NULL, marker TEXT NOT NULL);
"""


def _stat(path: str) -> str:
    try:
        st = os.stat(path)
    except OSError:
        return "-"
    return f"{st.st_size}:{st.st_mtime_ns}"


def _tree(folder: str, suffix: str | None = None) -> Iterable[str]:
    """`rel size:mtime` of every file under `folder` (sorted by the caller's hash), skipping dot
    folders; one scandir walk."""
    stack = [folder]
    prefix = len(folder) + 1
    while stack:
        current = stack.pop()
        try:
            entries = list(os.scandir(current))
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                stack.append(entry.path)
            elif suffix is None or entry.name.endswith(suffix):
                st = entry.stat()
                yield f"{entry.path[prefix:]} {st.st_size}:{st.st_mtime_ns}"


def _git_heads(root: Path) -> list[str]:
    """The stat of the repository's HEAD and branch tips: a commit changes the dates from git
    that pages show (created, updated), without changing any note file."""
    for folder in (root, *root.parents):
        git = folder / ".git"
        if git.is_file():  # a worktree or submodule: `.git` names the real folder
            text = git.read_text(encoding="utf-8", errors="replace").strip()
            git = (folder / text.removeprefix("gitdir:").strip()).resolve()
        if not git.is_dir():
            continue
        common = git
        if (git / "commondir").is_file():
            common = (git / (git / "commondir").read_text(encoding="utf-8").strip()).resolve()
        heads = [f"git {where.name}/{name} {_stat(str(where / name))}"
                 for where, name in ((git, "HEAD"), (common, "packed-refs"), (common, "shallow"))]
        return heads + sorted(f"git refs/{line}" for line in _tree(str(common / "refs" / "heads")))
    return []


def inputs_fingerprint(root: Path) -> str:
    """Hash of the stat of every file a build reads by name: notes, config, templates, static
    files (the notebook's and the theme's), and the review log."""
    base = str(root)
    lines = sorted(_tree(os.path.join(base, "notes"), ".md"))
    lines.append("config " + _stat(os.path.join(base, "tilbook.toml")))
    lines.append("review " + _stat(os.path.join(base, "review", "log.jsonl")))
    lines += _git_heads(root)
    for name, folder in (("templates", os.path.join(base, "templates")), ("static", os.path.join(base, "static")),
                         ("theme", str(THEME))):
        lines += sorted(f"{name}/{line}" for line in _tree(folder))
    return hashlib.blake2b("\n".join(lines).encode("utf-8", "surrogateescape"), digest_size=20).hexdigest()


def extra_fingerprint(paths: Iterable[Path]) -> tuple[list[str], str]:
    """Other files a build looked at (media it copied, link targets that did not exist)."""
    names = sorted({str(p) for p in paths})
    return names, hashlib.blake2b("\n".join(f"{n} {_stat(n)}" for n in names).encode("utf-8", "surrogateescape"),
                                  digest_size=20).hexdigest()


def _settings(drafts: bool) -> str:
    return json.dumps({"drafts": drafts, "version": __version__})


def _connect(cache: Path) -> sqlite3.Connection:
    cache.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(cache / STATE_FILE, timeout=10)
    con.executescript(_SCHEMA)
    return con


def up_to_date(cache: Path, out: Path, *, drafts: bool, inputs: str) -> dict[str, Any] | None:
    """What the last build reported (notes, pages, warnings) when the output folder was built
    from exactly the files there are now (`inputs`: `inputs_fingerprint` of the notebook); else None."""
    if not (cache / STATE_FILE).is_file():
        return None
    try:
        con = sqlite3.connect(f"file:{cache / STATE_FILE}?mode=ro", uri=True, timeout=10)
        try:
            row = con.execute("SELECT version, settings, inputs, extra, marker FROM builds WHERE output = ?",
                              (str(out),)).fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        return None
    if row is None:
        return None
    version, settings, recorded_inputs, extra, marker = row
    if (version != STATE_VERSION or settings != _settings(drafts) or inputs != recorded_inputs
            or marker != _stat(str(out / ".tilbook-site"))):
        return None
    looked_at = json.loads(extra)
    if looked_at["hash"] != extra_fingerprint(map(Path, looked_at["names"]))[1]:
        return None
    report: dict[str, Any] = looked_at["report"]
    return report


def record(cache: Path, out: Path, *, drafts: bool, inputs: str, extra: Iterable[Path], report: dict[str, Any]) -> None:
    """Remember what the build that just finished was made from (`inputs` taken before it read
    anything, so an edit during the build is seen by the next one) and what it reported."""
    names, extra_hash = extra_fingerprint(extra)
    con = _connect(cache)
    try:
        with con:
            con.execute("INSERT OR REPLACE INTO builds VALUES (?, ?, ?, ?, ?, ?)",
                        (str(out), STATE_VERSION, _settings(drafts), inputs,
                         json.dumps({"names": names, "hash": extra_hash, "report": report}, ensure_ascii=False),
                         _stat(str(out / ".tilbook-site"))))
    finally:
        con.close()


def forget(cache: Path, out: Path) -> None:
    """Drop the record of `out` (before a build changes it, so a kill leaves no claim behind)."""
    if not (cache / STATE_FILE).is_file():
        return
    con = _connect(cache)
    try:
        with con:
            con.execute("DELETE FROM builds WHERE output = ?", (str(out),))
    finally:
        con.close()
