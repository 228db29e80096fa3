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

import functools
import hashlib
import json
import os
import pickle
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..paths import NOTES_DIR
from ..version import __version__
from . import notestats
from .notestats import NoteStats

STATE_FILE = "build-state.sqlite"
STATE_VERSION = 4  # 3: per-note rows and page recipes (site/records.py) beside each build; 4: note stats in buckets
THEME = Path(__file__).resolve().parent.parent / "theme"
_SCHEMA = """
DROP TABLE IF EXISTS builds;
DROP TABLE IF EXISTS site_builds;
CREATE TABLE IF NOT EXISTS last_builds(
    output TEXT PRIMARY KEY, version INTEGER NOT NULL, settings TEXT NOT NULL,
    extra TEXT NOT NULL, marker TEXT NOT NULL, notes BLOB NOT NULL, others TEXT NOT NULL);
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


@dataclass(frozen=True, slots=True)
class Inputs:
    """The stat of every file a build reads by name: note files one by one (a quick build finds
    the edited ones), the rest as one hash."""

    notes: NoteStats
    """`notes/`-relative path → `size:mtime`, in buckets."""
    others: str
    """Hash of the config, templates, static files (the notebook's and the theme's), the review
    log and the git heads."""


def read_inputs(root: Path, last_notes: NoteStats | None = None, changed: list[str] | None = None) -> Inputs:
    """One scan of what a build reads (see `Inputs`). Given the notes of the last build and the
    notebook-relative paths changed since (all note files), only those notes are looked at."""
    base = str(root)
    prefix = NOTES_DIR + "/"
    notes = None
    if last_notes is not None and changed is not None and all(
            rel.startswith(prefix) and rel.endswith(".md") and "/." not in rel for rel in changed):
        stats = {rel.removeprefix(prefix): _stat(os.path.join(base, rel)) for rel in changed}
        try:
            notes = last_notes.updated({rel: None if stat == "-" else stat for rel, stat in stats.items()})
        except notestats.Unreadable:
            notes = None  # scanned instead
    if notes is None:
        notes = NoteStats.scan(os.path.join(base, NOTES_DIR))
    lines = ["config " + _stat(os.path.join(base, "tilbook.toml")),
             "review " + _stat(os.path.join(base, "review", "log.jsonl"))]
    lines += _git_heads(root)
    for name, folder in (("templates", os.path.join(base, "templates")), ("static", os.path.join(base, "static")),
                         ("theme", str(THEME))):
        lines += sorted(f"{name}/{line}" for line in _tree(folder))
    return Inputs(notes, hashlib.blake2b("\n".join(lines).encode("utf-8", "surrogateescape"), digest_size=20).hexdigest())


def extra_fingerprint(paths: Iterable[Path]) -> tuple[list[str], str]:
    """Other files a build looked at (media it copied, link targets that did not exist)."""
    names = sorted({str(p) for p in paths})
    return names, hashlib.blake2b("\n".join(f"{n} {_stat(n)}" for n in names).encode("utf-8", "surrogateescape"),
                                  digest_size=20).hexdigest()


def _settings(drafts: bool) -> str:
    return json.dumps({"drafts": drafts, "version": __version__})


def _connect(cache: Path) -> sqlite3.Connection:
    """The state file, never fsynced: what it must survive is a killed build, and the OS keeps
    what a killed process wrote (14 ms a commit saved, measured here). After a power loss the
    site, never fsynced either, may be damaged too; a damaged state file is started afresh."""
    cache.mkdir(parents=True, exist_ok=True)
    for attempt in (1, 2):
        con = sqlite3.connect(cache / STATE_FILE, timeout=10)
        try:
            con.execute("PRAGMA journal_mode=WAL")  # a commit appends to one file: no journal made and removed
            con.execute("PRAGMA synchronous=OFF")
            con.executescript(_SCHEMA + notestats.SCHEMA)
            return con
        except sqlite3.DatabaseError:
            con.close()
            if attempt == 2:
                raise
            (cache / STATE_FILE).unlink(missing_ok=True)
    raise AssertionError("unreachable")


@dataclass(slots=True)
class LastBuild:
    """What the build state says about the last build of an output folder."""

    notes: NoteStats
    """Note stats it was made from (`Inputs.notes`; buckets read from the state when asked)."""
    others: str
    extra: list[str]
    """Other files it looked at (media, link targets)."""
    report: dict[str, Any]
    same_extra: bool
    """Those other files are as they were."""


def last_build(cache: Path, out: Path, *, drafts: bool) -> LastBuild | None:
    """The last build of `out`, if it was made with these settings and the output is as it left it."""
    if not (cache / STATE_FILE).is_file():
        return None
    try:
        con = sqlite3.connect(f"file:{cache / STATE_FILE}?mode=ro", uri=True, timeout=10)
        try:
            row = con.execute("SELECT version, settings, extra, marker, notes, others FROM last_builds "
                              "WHERE output = ?", (str(out),)).fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        return None
    if row is None:
        return None
    version, settings, extra, marker, notes, others = row
    if version != STATE_VERSION or settings != _settings(drafts) or marker != _stat(str(out / ".tilbook-site")):
        return None
    looked_at = json.loads(extra)
    same = looked_at["hash"] == extra_fingerprint(map(Path, looked_at["names"]))[1]
    return LastBuild(NoteStats(pickle.loads(notes), {}, functools.partial(_load_bucket, cache, str(out))),
                     others, looked_at["names"], looked_at["report"], same)


def _load_bucket(cache: Path, out: str, bucket: int, digest: str) -> dict[str, str] | None:
    try:
        con = sqlite3.connect(f"file:{cache / STATE_FILE}?mode=ro", uri=True, timeout=10)
    except sqlite3.Error:
        return None
    try:
        return notestats.load(con, out, bucket, digest)
    finally:
        con.close()


def record(cache: Path, out: Path, *, drafts: bool, inputs: Inputs, extra: Iterable[Path], report: dict[str, Any],
           also: Callable[[sqlite3.Connection], None] | None = None, con: sqlite3.Connection | None = None) -> None:
    """Remember what the build that just finished was made from (`inputs` taken before it read
    anything, so an edit during the build is seen by the next one) and what it reported; `also`
    writes more (the records of `site/records.py`) in the same transaction. `con`: a connection
    the caller holds (`connect`) instead of a new one."""
    names, extra_hash = extra_fingerprint(extra)
    own = con is None
    con = _connect(cache) if con is None else con
    try:
        with con:
            if also is not None:
                also(con)
            notestats.save(con, str(out), inputs.notes)
            con.execute("INSERT OR REPLACE INTO last_builds VALUES (?, ?, ?, ?, ?, ?, ?)",
                        (str(out), STATE_VERSION, _settings(drafts),
                         json.dumps({"names": names, "hash": extra_hash, "report": report}, ensure_ascii=False),
                         _stat(str(out / ".tilbook-site")), pickle.dumps(inputs.notes.digests, protocol=pickle.HIGHEST_PROTOCOL),
                         inputs.others))
    finally:
        if own:
            con.close()


def connect(cache: Path) -> sqlite3.Connection:
    """The state file, for reading records (`site/records.py`)."""
    return _connect(cache)


def drop(cache: Path, out: Path) -> None:
    """Forget everything about `out` (the preview server's folder, when it stops)."""
    if not (cache / STATE_FILE).is_file():
        return
    con = _connect(cache)
    try:
        with con:
            delete_output(con, str(out))
    finally:
        con.close()


def delete_output(con: sqlite3.Connection, output: str) -> None:
    """Delete every row of `output` in every table of the state (builds, notes, manifest, records)."""
    for (table,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
        con.execute(f"DELETE FROM {table} WHERE output = ?", (output,))


def forget(cache: Path, out: Path, con: sqlite3.Connection | None = None) -> None:
    """Drop the record of `out` (before a build changes it, so a kill leaves no claim behind)."""
    if con is None and not (cache / STATE_FILE).is_file():
        return
    own = con is None
    con = _connect(cache) if con is None else con
    try:
        with con:
            con.execute("DELETE FROM last_builds WHERE output = ?", (str(out),))
    finally:
        if own:
            con.close()
