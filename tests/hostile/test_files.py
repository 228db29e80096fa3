"""Hostile conditions, group 6: nothing the user wrote is lost or overwritten."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import write_note
from tilbook.capture import new_note
from tilbook.fsutil import atomic_write, create_exclusive


def test_create_exclusive_never_replaces(tmp_path: Path) -> None:
    target = tmp_path / "note.md"
    target.write_text("mine", encoding="utf-8")
    with pytest.raises(FileExistsError):
        create_exclusive(target, "theirs")
    assert target.read_text(encoding="utf-8") == "mine"
    assert [p.name for p in tmp_path.iterdir()] == ["note.md"]


def test_new_takes_the_next_name_when_the_target_appears(notebook: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tilbook.notes as notes_module
    real = notes_module.note_path
    squatter = notebook / "notes/2024/2024-01-01-race.md"

    def racing(root: Path, date, slug: str, taken=None) -> Path:  # noqa: ANN001
        path = real(root, date, slug, taken)
        if not squatter.exists():  # another process creates the file between choosing and writing
            squatter.parent.mkdir(parents=True, exist_ok=True)
            squatter.write_text("written by someone else", encoding="utf-8")
        return path

    monkeypatch.setattr(notes_module, "note_path", racing)
    import datetime as dt
    path = new_note(notebook, "Mine.", category="CS", allow_new_category=True, date=dt.date(2024, 1, 1), title="race")
    assert squatter.read_text(encoding="utf-8") == "written by someone else"
    assert path.name == "2024-01-01-race-2.md" and "Mine." in path.read_text(encoding="utf-8")


def test_a_crash_mid_write_leaves_the_old_file_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "note.md"
    target.write_text("old text", encoding="utf-8")

    def crash(src: str, dst: str) -> None:
        raise KeyboardInterrupt("killed")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(KeyboardInterrupt):
        atomic_write(target, "new text that never lands")
    assert target.read_text(encoding="utf-8") == "old text"
    assert [p.name for p in tmp_path.iterdir()] == ["note.md"]


def test_import_merge_that_crashes_keeps_the_note(notebook: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tilbook.importer import import_posts
    post = tmp_path / "p.md"
    post.write_text("##### 🥧 Python\n\n*2024.01.02*\n\nGenerators are lazy.\n", encoding="utf-8")
    import_posts(notebook, [post])
    note = next((notebook / "notes").rglob("*.md"))
    before = note.read_bytes()
    topic = tmp_path / "topic.md"
    topic.write_text('---\ntitle: "TIL: Iterators"\n---\n\n##### 🗓 2024.01.02\n\nGenerators are lazy.\n', encoding="utf-8")
    monkeypatch.setattr(os, "replace", lambda a, b: (_ for _ in ()).throw(OSError(28, "No space left on device")))
    with pytest.raises(OSError):
        import_posts(notebook, [topic])
    assert note.read_bytes() == before
    assert sorted(p.name for p in note.parent.iterdir()) == [note.name]


def _corpus(root: Path, count: int, marker: str) -> None:
    for i in range(count):
        write_note(root, f"2023/2023-{1 + i % 12:02d}-{1 + i % 28:02d}-n{i}.md",
                   f"---\ndate: 2023-{1 + i % 12:02d}-{1 + i % 28:02d}\ncategory: C{i % 5}\ntags: [t{i % 7}]\n---\n"
                   f"{marker} note {i} with $x_{i}^2$ and code:\n\n```python\nprint({i})\n```\n")


KILLED_BUILD = r"""
import os, sys, time
from pathlib import Path
from tilbook.site import build, writer

root, out, point = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]


def reached(*_: object) -> None:
    print("reached", flush=True)  # the test kills us now
    time.sleep(600)


if point == "staging":  # some pages staged in the pending folder, others not yet rendered
    real_write = writer.SiteWriter.write
    def write(self, rel, data):
        changed = real_write(self, rel, data)
        if self.changed == 20:
            self._finish_staging()  # those 20 are on disk
            reached()
        return changed
    writer.SiteWriter.write = write
elif point == "swap":  # every page staged, the live site not yet touched
    real_swap = writer.SiteWriter._swap
    writer.SiteWriter._swap = lambda self: (reached(), real_swap(self))
elif point == "journal":  # the journal written (the commit point), no move applied
    writer._apply = reached
elif point == "two-renames":  # no renameat2: OUT renamed away, the new site not yet in its place
    writer.exchange_folders = lambda a, b: False
    real_rename = os.rename
    def rename(src, dst):
        real_rename(src, dst)
        if Path(src) == out:
            reached()
    os.rename = rename
build.build_site(root, out, workers=1)
print("finished", flush=True)
"""
KILL_POINTS = {  # point: (notes changed, leftovers beside OUT at the kill, site after recovery)
    "staging": ("all", [".out.tilbook-pending"], "old"),
    "swap": ("all", [".out.tilbook-pending"], "old"),
    "journal": ("one", [".out.tilbook-pending"], "new"),
    "two-renames": ("all", [".out.tilbook-old", ".out.tilbook-pending"], "old"),
}


def _site(out: Path) -> dict[Path, bytes]:
    return {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}


@pytest.mark.parametrize("point", sorted(KILL_POINTS))
def test_sigkill_at_each_step_of_a_build(point: str, notebook: Path, tmp_path: Path) -> None:
    """SIGKILL at a known point of a build (the child says when it is there, then waits to be
    killed): the build was really interrupted, the live site is the old one whole (or, without
    renameat2, briefly absent), and the next build recovers: back to the old site before the
    commit point, forward to the new one after it. Replaces a test that slept fixed times and
    could kill a build that had already finished."""
    from tilbook.site.build import build_site
    from tilbook.site.writer import recover
    changed, leftovers, recovered = KILL_POINTS[point]
    _corpus(notebook, 60, "Before")
    out = tmp_path / "out"
    build_site(notebook, out)
    before = _site(out)
    if changed == "all":
        _corpus(notebook, 60, "After")
    else:
        edited = notebook / "notes/2023/2023-04-04-n3.md"
        edited.write_text(edited.read_text(encoding="utf-8").replace("Before note 3", "After note 3"), encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-c", KILLED_BUILD, str(notebook), str(out), point],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        line = proc.stdout.readline()  # type: ignore[union-attr]
        assert line == "reached\n", (line, proc.stderr.read() if proc.poll() is not None else "")  # type: ignore[union-attr]
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    assert proc.returncode == -signal.SIGKILL  # killed, not finished
    assert sorted(p.name for p in tmp_path.iterdir() if p.name not in ("out", "nb")) == leftovers
    assert any((tmp_path / ".out.tilbook-pending").rglob("*.html"))  # pages were staged
    if point == "two-renames":
        assert not out.exists()  # the honest gap of the fallback: for an instant there is no site
    else:
        assert _site(out) == before
    recover(out)  # what the next build does first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nb", "out"]
    reference = tmp_path.parent / f"{tmp_path.name}-reference"
    build_site(notebook, reference)
    assert (_site(out) == before) == (recovered == "old")
    if recovered == "new":
        assert _site(out) == _site(reference)
    build_site(notebook, out)
    assert _site(out) == _site(reference) and sorted(p.name for p in tmp_path.iterdir()) == ["nb", "out"]


@pytest.mark.parametrize("where", ["notebook", "notes", "parent", "home", "root"])
def test_output_around_the_notebook_is_refused(where: str, notebook: Path, tilbook) -> None:  # noqa: ANN001
    target = {"notebook": notebook, "notes": notebook / "notes", "parent": notebook.parent,
              "home": Path.home(), "root": Path("/")}[where]
    reason = {"notebook": "it is the notebook itself", "notes": "it is inside the notes folder",
              "parent": "it contains the notebook", "home": "it is your home folder",
              "root": "it is the file system root"}[where]
    if where == "home" and notebook.is_relative_to(Path.home()):
        reason = "it is your home folder"
    snapshot = sorted(p.as_posix() for p in notebook.rglob("*"))
    result = tilbook("build", "-o", target, cwd=notebook)
    assert result.code == 2
    assert result.err.strip() == (f"error: refusing to build into {target.resolve()}: {reason} "
                                  "(choose an empty folder, e.g. the default `site/` in the notebook)")
    assert sorted(p.as_posix() for p in notebook.rglob("*")) == snapshot
