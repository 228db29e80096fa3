"""The one writer of a site: every path resolved inside the output folder, nothing else touched.

A build writes into a staging folder beside OUT that starts as a hard-linked copy of the previous
site; files whose bytes did not change are left alone (same inode, same mtime), changed files are
replaced atomically (which breaks the link, so the live site never changes under a reader), files
the new plan does not have are removed, and the staging folder is exchanged with OUT in one step.
A failed or killed build leaves the previous site whole; its staging folder is removed next time.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import errno
import json
import os
import shutil
from pathlib import Path, PurePosixPath

from ..errors import BuildError
from ..fsutil import atomic_write

MARKER = ".tilbook-site"
DRAFT_MARKER = ".tilbook-drafts"
STAGING_TAG = ".tilbook-staging-"


def check_output_folder(out: Path, notebook_root: Path, notes_dir: Path) -> Path:
    """Refuse output folders that could destroy user files; returns the resolved path."""
    out = out.expanduser().resolve()
    root = notebook_root.resolve()
    notes = notes_dir.resolve()
    home = Path.home().resolve()
    reasons = [
        (out == Path(out.anchor), "it is the file system root"),
        (out == home, "it is your home folder"),
        (out == root, "it is the notebook itself"),
        (root.is_relative_to(out), "it contains the notebook"),
        (out.is_relative_to(notes), "it is inside the notes folder"),
        (out.is_relative_to(root / "templates"), "it is inside the templates folder"),
    ]
    for refused, why in reasons:
        if refused:
            raise BuildError(f"refusing to build into {out}: {why}",
                             hint="choose an empty folder, e.g. the default `site/` in the notebook")
    if out.exists() and not out.is_dir():
        raise BuildError(f"refusing to build into {out}: it is a file", hint="choose a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise BuildError(f"refusing to replace {out}: it is not empty and tilbook did not build it "
                         f"(no {MARKER} marker)", hint="choose an empty or new folder, or empty it yourself")
    return out


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two folders (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    if result != 0:
        err = ctypes.get_errno()
        if err in (errno.EINVAL, errno.ENOSYS, errno.EPERM):
            return False
        raise OSError(err, os.strerror(err), str(a))
    return True


def safe_relpath(rel: str) -> PurePosixPath:
    """Validate a site-relative path: no absolute paths, `..`, backslashes or NUL."""
    if "\x00" in rel or "\\" in rel or rel.startswith("/"):
        raise BuildError(f"unsafe output path {rel!r}", hint="slugs must not hold / \\ or NUL")
    path = PurePosixPath(rel)
    if any(part in ("..", ".", "") for part in path.parts) or not path.parts:
        raise BuildError(f"unsafe output path {rel!r}", hint="slugs must not hold `..`")
    return path


class SiteWriter:
    """Stage a site, write only changed files, then swap it in."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.staging = out.parent / f".{out.name}{STAGING_TAG}{os.getpid()}"
        self.written: set[str] = set()
        self.changed = 0
        self.unchanged = 0

    def __enter__(self) -> "SiteWriter":
        self.out.parent.mkdir(parents=True, exist_ok=True)
        for stale in self.out.parent.glob(f".{self.out.name}{STAGING_TAG}*"):
            shutil.rmtree(stale, ignore_errors=True)  # left by a killed build
        if self.out.is_dir() and (self.out / MARKER).is_file():
            _link_tree(self.out, self.staging)
        else:
            self.staging.mkdir()
        return self

    def __exit__(self, kind: object, value: object, trace: object) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)

    def target(self, rel: str) -> Path:
        path = self.staging.joinpath(*safe_relpath(rel).parts)
        if not path.resolve().is_relative_to(self.staging.resolve()):
            raise BuildError(f"output path {rel!r} leaves the site folder", hint="check slugs and templates")
        return path

    def write(self, rel: str, data: bytes | str) -> bool:
        """Write one file of the new site; True when its bytes changed."""
        if rel in self.written:
            raise BuildError(f"two outputs were written to {rel}", hint="this is a tilbook bug: please report it")
        payload = data.encode("utf-8") if isinstance(data, str) else data
        path = self.target(rel)
        self.written.add(rel)
        try:
            if path.stat().st_size == len(payload) and path.read_bytes() == payload:
                self.unchanged += 1
                return False
        except FileNotFoundError:
            pass
        atomic_write(path, payload)  # a new inode: the live site's hard link is left untouched
        self.changed += 1
        return True

    def keep(self, rel: str) -> bool:
        """Keep the previous build's file as it is (its inputs did not change); False if absent."""
        path = self.target(rel)
        if path.is_file():
            self.written.add(rel)
            self.unchanged += 1
            return True
        return False

    def copy(self, rel: str, source: Path) -> bool:
        return self.write(rel, source.read_bytes())

    def commit(self, *, drafts: bool, info: dict[str, object]) -> int:
        """Remove files the new site does not have, mark the site, and swap it in. Returns removals."""
        removed = 0
        for folder, dirs, files in os.walk(self.staging, topdown=False):
            for name in files:
                rel = Path(folder, name).relative_to(self.staging).as_posix()
                if rel not in self.written and rel not in (MARKER, DRAFT_MARKER):
                    Path(folder, name).unlink()
                    removed += 1
            if folder != str(self.staging) and not os.listdir(folder):
                os.rmdir(folder)
        atomic_write(self.staging / MARKER, json.dumps(info, sort_keys=True) + "\n")
        draft_marker = self.staging / DRAFT_MARKER
        if drafts:
            atomic_write(draft_marker, "This build shows drafts: do not publish it.\n")
        else:
            draft_marker.unlink(missing_ok=True)
        if self.out.exists():
            if not _exchange(self.staging, self.out):
                old = self.out.parent / f".{self.out.name}.tilbook-old-{os.getpid()}"
                os.rename(self.out, old)
                os.rename(self.staging, self.out)
                self.staging = old
        else:
            os.rename(self.staging, self.out)
        return removed


def _link_tree(source: Path, target: Path) -> None:
    """Hard-link every file of `source` into a new `target` tree (copy where links fail)."""
    for folder, dirs, files in os.walk(source):
        rel = os.path.relpath(folder, source)
        dest = target / rel if rel != "." else target
        dest.mkdir(parents=True, exist_ok=True)
        for name in files:
            try:
                os.link(os.path.join(folder, name), dest / name)
            except OSError:
                shutil.copy2(os.path.join(folder, name), dest / name)
