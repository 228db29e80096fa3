"""The one writer of a site: every path checked to stay inside the output folder.

Only files whose bytes changed are written, so unchanged files keep their mtime (rsync-style
deploys and the preview server see only real changes). A build never touches the live site until
it is complete: new and changed files go to a pending folder beside OUT. Then either
- most of the site changed: the few unchanged files are hard-linked into the pending folder and it
  is exchanged with OUT in one atomic rename (Linux renameat2 RENAME_EXCHANGE), so readers and a
  SIGKILL see the old site or the new one, never a mix. Where renameat2 is missing or refused (not
  Linux, some file systems) the swap is two renames and NOT atomic: between them OUT does not
  exist for an instant (a reader gets "not found"), and a build killed there leaves OUT missing
  and the previous site in `.OUT.tilbook-old`, which the next build moves back. Never a mix of
  old and new, but not one step either; or
- a few files changed (the usual edit): a journal listing every move and deletion is written (the
  commit point) and the moves are applied, each file replaced atomically. A build killed before
  the journal leaves the previous site exactly as it was; one killed in the (milliseconds long)
  apply step is completed by the next build.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
from collections import deque
from typing import TYPE_CHECKING
from pathlib import Path, PurePosixPath

from ..errors import BuildError
from ..fsutil import atomic_write, exchange_folders
from .manifest import Entry, Manifest
from .outfolder import DRAFT_MARKER, MARKER, remove_empty_folders, safe_relpath, walk_files

if TYPE_CHECKING:
    from concurrent.futures import Future, ThreadPoolExecutor

PENDING_TAG = ".tilbook-pending"
OLD_TAG = ".tilbook-old"
"""The previous site during a swap by two renames (no renameat2)."""
JOURNAL = "journal.json"
SWAP_FRACTION = 0.5
"""Above this share of changed files, the whole site is swapped in atomically."""


def _digest(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


class SiteWriter:
    """Collect a site's files, write the changed ones beside OUT, then move them in."""

    def __init__(self, out: Path, manifest: Manifest | None = None, *, partial: bool = False) -> None:
        self.out = out
        self.partial = partial
        """Only some files are written (a quick build): the others stay, and only `remove`d ones go."""
        self.removed: set[str] = set()
        self._staged_as: dict[str, str] = {}
        """Partial builds: the pending file name of each staged path."""
        self.pending = _beside(out, PENDING_TAG)
        self.store = manifest
        self.manifest: dict[str, Entry] = {}
        """What the last build wrote (size, mtime, hash per file), if OUT still matches it: every
        file for a full build; for a partial one, the files looked up so far (`_known`)."""
        self._looked_up: set[str] = set()
        self._trusted = False
        """The manifest describes OUT (OUT has tilbook's marker): set on entering."""
        self.written: set[str] = set()
        self.moves: list[str] = []
        self.changed = 0
        self.unchanged = 0
        self._lock_fd: int | None = None
        self._out_str = str(out)
        self._pending_str = str(self.pending)
        self._made: set[str] = set()
        self._verified: set[str] = set()
        """Files whose size and mtime matched the manifest in this build."""
        self._digests: dict[str, str] = {}
        """Hashes of the files this build wrote (for the manifest, without reading them back)."""
        self._pool: ThreadPoolExecutor | None = None
        self._staging: deque[Future[None]] = deque()
        self.save_manifest_on_commit = True
        """False: the caller calls save_manifest() later (the preview server, after the reload)."""

    def __enter__(self) -> "SiteWriter":
        self.out.parent.mkdir(parents=True, exist_ok=True)
        self._lock_fd = os.open(self.out.parent, os.O_RDONLY)
        try:
            fcntl.flock(self._lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(self._lock_fd)
            self._lock_fd = None
            raise BuildError(f"another tilbook build is writing {self.out}", hint="wait for it to finish") from None
        recover(self.out)
        self.pending.mkdir()
        self._trusted = self.store is not None and (self.out / MARKER).is_file()
        if self._trusted and not self.partial:
            assert self.store is not None
            self.manifest = self.store.everything()
        return self

    def __exit__(self, kind: object, value: object, trace: object) -> None:
        try:
            self._finish_staging()
        except OSError:
            pass  # the build failed already; its error is the one to report
        if not (self.pending / JOURNAL).is_file():  # past the commit point, the next build rolls forward
            shutil.rmtree(self.pending, ignore_errors=True)
        if self._lock_fd is not None:
            os.close(self._lock_fd)
        if self.store is not None:
            self.store.close()  # save_manifest, when the caller runs it later, opens it again

    def _known(self, rel: str) -> Entry | None:
        """The manifest's row for `rel` (a partial build reads the rows it needs one by one)."""
        if self.partial and rel not in self._looked_up and self._trusted:
            assert self.store is not None
            self._looked_up.add(rel)
            known = self.store.get(rel)
            if known is not None:
                self.manifest[rel] = known
        return self.manifest.get(rel)

    def _same_as_before(self, rel: str, path: str, digest: str | None) -> bool:
        known = self._known(rel)
        if known is None:
            return False
        try:
            stat = os.stat(path)
        except (FileNotFoundError, NotADirectoryError):
            return False
        same = (stat.st_size, stat.st_mtime_ns) == known[:2] and (digest is None or digest == known[2])
        if same:
            self._verified.add(rel)
        return same

    def target(self, rel: str) -> str:
        """The live path of `rel` (a string: pathlib costs too much at 10,000 files)."""
        return os.path.join(self._out_str, safe_relpath(rel))

    def write(self, rel: str, data: bytes | str) -> bool:
        """Add one file of the new site; True when its bytes differ from the live one."""
        if rel in self.written:
            raise BuildError(f"two outputs were written to {rel}", hint="this is a tilbook bug: please report it")
        payload = data.encode("utf-8") if isinstance(data, str) else data
        path = self.target(rel)
        self.written.add(rel)
        digest = _digest(payload)
        if self._same_as_before(rel, path, digest) or (self._known(rel) is None and _equal_file(path, payload)):
            self.unchanged += 1
            return False
        if self.partial:  # a few files: staged flat, named in the journal (no folders to make and remove)
            name = f"{len(self.moves)}.staged"
            self._staged_as[rel] = name
            staged = os.path.join(self._pending_str, name)
        else:
            staged = os.path.join(self._pending_str, rel)
            folder = os.path.dirname(staged)
            if folder not in self._made:
                os.makedirs(folder, exist_ok=True)
                self._made.add(folder)
        self._stage(staged, payload)
        self._digests[rel] = digest
        self.moves.append(rel)
        self.changed += 1
        return True

    def _stage(self, staged: str, payload: bytes) -> None:
        """Write one pending file on a small thread pool: file creation is most of a cold build's
        write time, and it waits on the disk with the GIL released. A partial build's few files
        are written right here (no pool to start, nor its module to import)."""
        if self.partial:
            _write_file(staged, payload)
            return
        if self._pool is None:
            from concurrent.futures import ThreadPoolExecutor  # only builds that write many files
            self._pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="tilbook-write")
        if len(self._staging) >= 64:  # bounded: at most this many payloads held in memory
            self._staging.popleft().result()
        self._staging.append(self._pool.submit(_write_file, staged, payload))

    def _finish_staging(self) -> None:
        while self._staging:
            self._staging.popleft().result()  # re-raises a failed write
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None

    def live_matches(self, rel: str, digest: str) -> bool:
        """The live file `rel` is, by the manifest, the one whose hash is `digest`."""
        return self.recorded_digest(rel) == digest and self._same_as_before(rel, self.target(rel), None)

    def recorded_digest(self, rel: str) -> str | None:
        """The hash the manifest has for the live file `rel`."""
        known = self._known(rel)
        return known[2] if known is not None else None

    def keep(self, rel: str) -> bool:
        """Keep the live file as the last build wrote it; False (write it instead) if it changed."""
        if self._same_as_before(rel, self.target(rel), None):
            self.written.add(rel)
            self.unchanged += 1
            return True
        return False

    def remove(self, rel: str) -> None:
        """Delete the live file `rel` when the build commits (partial builds only)."""
        assert self.partial
        self.removed.add(safe_relpath(rel))

    def copy(self, rel: str, source: Path) -> bool:
        return self.write(rel, source.read_bytes())

    def commit(self, *, drafts: bool, info: dict[str, object]) -> int:
        """Swap or journal the new site in (see the module docstring). Returns deletions."""
        self._finish_staging()
        live = set(self.manifest) if self.manifest or self.partial else walk_files(self.out)
        if self.partial:
            deletes = sorted(self.removed - self.written)
        else:
            deletes = sorted(rel for rel in live if rel not in self.written and rel not in (MARKER, DRAFT_MARKER))
        (self.pending / MARKER).write_text(json.dumps(info, sort_keys=True) + "\n", encoding="utf-8")
        moves: list[str | list[str]] = [[self._staged_as[rel], rel] if rel in self._staged_as else rel for rel in self.moves]
        moves.append(MARKER)
        if drafts:
            (self.pending / DRAFT_MARKER).write_text("This build shows drafts: do not publish it.\n", encoding="utf-8")
            moves.append(DRAFT_MARKER)
        else:
            deletes.append(DRAFT_MARKER)
        if not self.out.exists() or (not self.partial and len(self.moves) + len(deletes) > SWAP_FRACTION * max(len(live), 1)):
            self._swap()
        else:
            atomic_write(self.pending / JOURNAL, json.dumps({"moves": moves, "deletes": deletes}), durable=False)
            _apply(self.out, self.pending)
        if self.store is not None and self.save_manifest_on_commit:
            self.save_manifest()
        return len([d for d in deletes if d != DRAFT_MARKER])

    def _swap(self) -> None:
        """Complete the pending folder with links to unchanged files, then exchange it with OUT."""
        staged = set(self.moves)
        for rel in self.written - staged:
            source = self.target(rel)
            link = os.path.join(self._pending_str, rel)
            os.makedirs(os.path.dirname(link), exist_ok=True)
            try:
                os.link(source, link)
            except OSError:
                shutil.copy2(source, link)
        if not self.out.exists():
            os.rename(self.pending, self.out)
            return
        if not exchange_folders(self.pending, self.out):
            old = _beside(self.out, OLD_TAG)
            os.rename(self.out, old)  # not atomic: until the next line OUT is missing (see recover)
            os.rename(self.pending, self.out)
            os.rename(old, self.pending)
        shutil.rmtree(self.pending, ignore_errors=True)  # the previous site, now beside OUT

    def save_manifest(self) -> None:
        """Record what the site now holds (size, mtime, hash per file) for the next build: the rows
        of the files this build wrote or found changed, and of the files it removed."""
        files: dict[str, Entry] = {}
        moved = set(self.moves)
        for rel in self.written:
            if rel in self._verified and rel not in moved:  # stat'ed by keep() or write() just now
                files[rel] = self.manifest[rel]
                continue
            path = self.target(rel)
            try:
                stat = os.stat(path)
            except FileNotFoundError:
                continue
            known = self.manifest.get(rel)
            if rel in self._digests:
                files[rel] = (stat.st_size, stat.st_mtime_ns, self._digests[rel])
            elif known is None or known[:2] != (stat.st_size, stat.st_mtime_ns):
                with open(path, "rb") as handle:
                    files[rel] = (stat.st_size, stat.st_mtime_ns, _digest(handle.read()))
            else:
                files[rel] = known
        assert self.store is not None
        changed = {rel: entry for rel, entry in files.items() if self.manifest.get(rel) != entry}
        if not self._trusted:  # rows of another site that was in OUT once: all replaced
            self.store.update(files, (), only=True)
        elif self.partial:
            self.store.update(changed, self.removed - set(files))
        elif changed or len(files) != len(self.manifest):
            self.store.update(changed, set(self.manifest) - set(files))
        self.store.close()


def _write_file(path: str, payload: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(payload)


def _equal_file(path: str, payload: bytes) -> bool:
    try:
        if os.stat(path).st_size != len(payload):
            return False
        with open(path, "rb") as handle:
            return handle.read() == payload
    except (FileNotFoundError, NotADirectoryError):
        return False


def _apply(out: Path, pending: Path) -> None:
    """Carry out a journal: every move (os.replace, atomic per file) and deletion; idempotent."""
    journal = json.loads((pending / JOURNAL).read_text(encoding="utf-8"))
    out.mkdir(parents=True, exist_ok=True)
    made: set[Path] = set()
    for move in journal["moves"]:
        staged, rel = (move, move) if isinstance(move, str) else move  # [pending name, path] when staged flat
        source = pending.joinpath(*PurePosixPath(staged).parts)
        if not source.exists():
            continue  # applied before a crash
        target = out.joinpath(*PurePosixPath(rel).parts)
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        os.replace(source, target)
    emptied: set[Path] = set()
    for rel in journal["deletes"]:
        target = out.joinpath(*PurePosixPath(rel).parts)
        try:
            target.unlink()
            emptied.add(target.parent)
        except FileNotFoundError:
            pass
    remove_empty_folders(out, emptied)
    shutil.rmtree(pending, ignore_errors=True)


def _beside(out: Path, tag: str) -> Path:
    return out.parent / f".{out.name}{tag}"


def recover(out: Path) -> None:
    """Finish a build that was killed after its commit point; drop one killed before it; put the
    previous site back where a swap by two renames was killed between them."""
    pending = _beside(out, PENDING_TAG)
    old = _beside(out, OLD_TAG)
    if old.exists():
        if out.exists():  # killed after the new site was in place: the old one is only litter
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(old, out)
    if (pending / JOURNAL).is_file():
        _apply(out, pending)
    elif pending.exists():
        shutil.rmtree(pending, ignore_errors=True)
