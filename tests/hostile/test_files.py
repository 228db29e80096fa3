"""Hostile conditions, group 6: nothing the user wrote is lost or overwritten."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
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


def test_sigkill_during_a_build_leaves_the_previous_site(notebook: Path, tmp_path: Path) -> None:
    from tilbook.site.build import build_site
    _corpus(notebook, 300, "Before")
    out = tmp_path / "out"
    build_site(notebook, out)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    _corpus(notebook, 300, "After")
    snapshots = []
    for delay in (0.3, 0.8, 1.5):
        proc = subprocess.Popen([sys.executable, "-c", "from tilbook.cli import main; main()", "build", "-o", str(out)],
                                cwd=notebook, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
        time.sleep(delay)
        finished = proc.poll() is not None
        if finished:
            assert proc.returncode == 0, proc.stderr.read()  # type: ignore[union-attr]
        else:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        snapshots.append((delay, {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}))
        if finished:
            break
    leftovers = [p.name for p in tmp_path.iterdir() if p.name not in ("out", "nb")]
    build_site(notebook, out)  # the next build cleans what the killed one left
    assert [p.name for p in tmp_path.iterdir() if p.name not in ("out", "nb")] == []
    assert all(name == ".out.tilbook-pending" for name in leftovers)
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after != before
    for delay, seen in snapshots:  # a reader only ever saw the old site or the new one, whole
        assert seen in (before, after), f"killed after {delay} s: the site was a mix of old and new"


def test_a_build_killed_after_its_commit_point_is_rolled_forward(notebook: Path, tmp_path: Path) -> None:
    from tilbook.site.build import build_site
    from tilbook.site import writer as writer_module
    _corpus(notebook, 20, "Before")
    out = tmp_path / "out"
    build_site(notebook, out)
    edited = notebook / "notes/2023/2023-04-04-n3.md"
    edited.write_text(edited.read_text(encoding="utf-8").replace("Before note 3", "After note 3"), encoding="utf-8")
    real_apply = writer_module._apply

    def killed(out_dir: Path, pending: Path) -> None:
        raise KeyboardInterrupt("SIGKILL stand-in, right after the journal was written")

    writer_module._apply = killed
    try:
        with pytest.raises(KeyboardInterrupt):
            build_site(notebook, out)
    finally:
        writer_module._apply = real_apply
    assert (tmp_path / ".out.tilbook-pending" / "journal.json").is_file()
    writer_module.recover(out)  # what the next build does first
    assert not (tmp_path / ".out.tilbook-pending").exists()
    assert "After note 3" in next(out.glob("2023/04/04/*/index.html")).read_text(encoding="utf-8")
    build_site(notebook, out)
    cold = tmp_path / "cold"
    import shutil
    shutil.rmtree(notebook / ".tilbook-cache")
    build_site(notebook, cold)
    tree = lambda root: {p.relative_to(root): p.read_bytes() for p in root.rglob("*") if p.is_file()}  # noqa: E731
    assert tree(out) == tree(cold)


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
