"""True dates of notes from git: `created` is the commit that added the note's file, `updated`
the last commit that changed its text (the body; a commit that changed only the front matter does
not count). Renames are followed (`-M`, the `R` lines of the log).

One `git log --raw` pass over the notes folder gives every file's events; the blobs of
modifications are read once through one `git cat-file --batch` to tell body changes from
front-matter changes. The answer is cached in the notebook's cache folder by HEAD, and blob body
hashes are kept, so a new commit reads only its new blobs.

A shallow clone, or git missing where a repository is, would give wrong dates silently (every
note the date of the one commit there is): then no git dates are given and `warning` says why,
once, for the command to print. A notebook outside any repository simply has none.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from . import cachefiles
from .model import Note

CACHE_NAME = "gitdates.pickle"
CACHE_VERSION = 1
NOTES = "notes"
_FRONT_MATTER = re.compile(rb"\A---[ \t]*\r?\n.*?\r?\n---[ \t]*(?:\r?\n|\Z)", re.S)
_NO_BLOB = "0" * 40


@dataclass(frozen=True, slots=True)
class NoteDates:
    created: dt.date
    """Day (in the committer's own time zone) of the commit that added the file."""
    updated: dt.date
    """Day of the last commit that changed the body."""


@dataclass(frozen=True, slots=True)
class History:
    dates: dict[str, NoteDates] = field(default_factory=dict)
    """By the note's path relative to the notebook (`Note.rel`); committed notes only."""
    warning: str | None = None
    """Why there are no git dates when there should be (a shallow clone, git missing)."""


@dataclass(slots=True)
class _Event:
    day: dt.date
    status: str
    old_blob: str
    new_blob: str


def _git(root: Path, *args: str, data: bytes | None = None) -> bytes:
    import subprocess  # here: a quick build imports this module only for `shown_update`
    done = subprocess.run(["git", "-C", str(root), "-c", "core.quotePath=false", *args], input=data,
                          capture_output=True, check=True)
    return done.stdout


def _inside_repository(root: Path) -> bool:
    return any((folder / ".git").exists() for folder in (root, *root.parents))


def note_history(root: Path, cache_folder: Path | None = None) -> History:
    """Git dates of every committed note of the notebook at `root` (see the module's docstring)."""
    import subprocess  # see `_git`
    if shutil.which("git") is None:
        if _inside_repository(root):
            return History(warning="git is not installed: note dates come from front matter "
                                   "(install git for the dates of the commits)")
        return History()
    try:
        lines = _git(root, "rev-parse", "--is-shallow-repository", "HEAD").decode().split()
    except (subprocess.CalledProcessError, OSError):
        return History()  # not a repository, or no commit yet: front matter it is
    if len(lines) < 2:
        return History()
    shallow, head = lines[0], lines[1]
    if shallow == "true":
        return History(warning="this is a shallow git clone: note dates come from front matter, not from "
                               "history (clone with full history, e.g. `git fetch --unshallow` or "
                               "actions/checkout with fetch-depth: 0)")
    cache_path = cache_folder / CACHE_NAME if cache_folder else None
    cached = cachefiles.load(cache_path) if cache_path else None
    bodies: dict[str, str] = {}
    if isinstance(cached, tuple) and len(cached) == 4 and cached[0] == CACHE_VERSION:
        if cached[1] == head:
            return History(dates=cached[2])
        bodies = cached[3]
    dates = _dates(root, bodies)
    if cache_path is not None:
        try:
            cachefiles.save(cache_path, (CACHE_VERSION, head, dates, bodies))
        except OSError:
            pass
    return History(dates=dates)


def _log(root: Path) -> list[tuple[dt.date, list[tuple[str, str, str, list[str]]]]]:
    """Commits newest first (parents after children): (day, [(status, old blob, new blob, paths)])."""
    out = _git(root, "log", "-z", "--topo-order", "--raw", "--no-abbrev", "-M", "--format=%x01%aI",
               "--relative", "--", NOTES).decode("utf-8", "surrogateescape")
    commits: list[tuple[dt.date, list[tuple[str, str, str, list[str]]]]] = []
    tokens = out.split("\0")
    i = 0
    while i < len(tokens):
        token = tokens[i].lstrip("\n")
        i += 1
        if token.startswith("\x01"):
            commits.append((dt.date.fromisoformat(token[1:11]), []))
        elif token.startswith(":") and commits:
            meta = token[1:].split()
            status = meta[4]
            count = 2 if status[0] in "RC" else 1
            paths = tokens[i:i + count]
            i += count
            commits[-1][1].append((status[0], meta[2], meta[3], paths))
    return commits


def _dates(root: Path, bodies: dict[str, str]) -> dict[str, NoteDates]:
    """Each note file's events, newest first, following renames back from its current name."""
    alias: dict[str, str] = {}
    """A path as it was at the commit being read → the note's current path."""
    seen: set[str] = set()
    events: dict[str, list[_Event]] = {}
    for day, changes in _log(root):
        for status, old_blob, new_blob, paths in changes:
            name = paths[-1]
            current = alias.get(name)
            if current is None:
                if name in seen or status == "D":  # deleted since, or an earlier life of a re-added path
                    seen.add(name)
                    continue
                current = alias[name] = name
            seen.add(name)
            events.setdefault(current, []).append(_Event(day, status, old_blob, new_blob))
            if status == "R":
                del alias[name]
                alias[paths[0]] = current
            elif status in "AC":  # the file's life began here
                del alias[name]
    _body_hashes(root, bodies, [b for evs in events.values() for e in evs if e.status in "MR"
                                for b in (e.old_blob, e.new_blob)])
    dates: dict[str, NoteDates] = {}
    for path, evs in events.items():
        created = evs[-1].day
        updated = next((e.day for e in evs
                        if e.status not in "MR" or bodies.get(e.old_blob) != bodies.get(e.new_blob)), created)
        dates[path] = NoteDates(created, updated)
    return dates


def _body_hashes(root: Path, bodies: dict[str, str], blobs: list[str]) -> None:
    """Fill `bodies` (blob → hash of the text after its front matter) for blobs not in it yet."""
    wanted = sorted({b for b in blobs if b != _NO_BLOB and b not in bodies})
    if not wanted:
        return
    out = _git(root, "cat-file", "--batch", data=("\n".join(wanted) + "\n").encode())
    pos = 0
    for blob in wanted:
        end = out.index(b"\n", pos)
        header = out[pos:end].split()
        pos = end + 1
        if len(header) < 3 or header[1] != b"blob":
            continue  # missing
        size = int(header[2])
        data = out[pos:pos + size]
        pos += size + 1
        match = _FRONT_MATTER.match(data)
        body = data[match.end():] if match else data
        bodies[blob] = hashlib.blake2b(body.strip().replace(b"\r\n", b"\n"), digest_size=12).hexdigest()


def created_updated(note: Note, git: NoteDates | None) -> tuple[dt.date, dt.date]:
    """(created, updated) as `list --json` gives them: the commits' days when the note is committed,
    else its front matter `date`; front matter `updated:` wins over the commits."""
    created = git.created if git else note.date
    return created, note.updated or (git.updated if git else created)


def shown_update(note: Note, git: NoteDates | None) -> dt.date | None:
    """The "updated" day a page shows, if any: front matter `updated:`, else the last commit that
    changed the body after the one that added it (a note imported years after it was learned is
    not "updated" on the day of the import); None when it is the note's own date."""
    day = note.updated or (git.updated if git and git.updated > git.created else None)
    return day if day is not None and day != note.date else None
