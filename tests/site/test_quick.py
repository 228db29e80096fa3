"""Quick builds: an edit that only changes a note's text re-makes its page and splices its
fragments into the pages that show it; the site is byte-identical to a cold build, whatever the
edit, and a quick build gives way to a full one (saying why) whenever it could not be exact."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import write_note
from tests.site.test_incremental import small_notebook, tree
from tilbook.site.build import build_site

SAME_WORDS = "\n노트 그리고 와 노트.\n"
"""Words every note of `small_notebook` already has: what related notes are scored from stays."""


def cold_tree(root: Path, tmp: Path) -> dict[str, bytes]:
    cold_root = tmp / "cold-nb"
    shutil.rmtree(cold_root, ignore_errors=True)
    shutil.rmtree(tmp / "cold", ignore_errors=True)
    shutil.copytree(root, cold_root, ignore=shutil.ignore_patterns(".tilbook-cache", "site"))
    build_site(cold_root, tmp / "cold", workers=1)
    return tree(tmp / "cold")


def append(note: Path, text: str) -> None:
    note.write_text(note.read_text(encoding="utf-8") + text, encoding="utf-8")


def mtimes(out: Path) -> dict[str, int]:
    return {p.relative_to(out).as_posix(): p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}


def test_an_edit_that_keeps_the_words_rewrites_only_what_shows_the_note(tmp_path: Path) -> None:
    root, out = tmp_path / "nb", tmp_path / "out"
    small_notebook(root)
    build_site(root, out, workers=1)
    before = mtimes(out)
    append(root / "notes/2024/2024-02-02-n1.md", SAME_WORDS)
    result = build_site(root, out, workers=1)
    assert result.quick, result.full_because
    assert tree(out) == cold_tree(root, tmp_path)
    after = mtimes(out)
    rewritten = {rel for rel in after if after[rel] != before.get(rel)} - {".tilbook-site"}
    assert rewritten == {
        "2024/02/02/n1/index.html",  # its page
        "index.html", "categories/cs/index.html", "tags/t1/index.html",  # lists with its excerpt
        "digest/index.html", "digest/cs/index.html",  # digests with its text
        "feed.xml", "categories/cs/feed.xml", "tags/t1/feed.xml",  # feeds with its text
    } | {rel for rel in rewritten if rel.startswith("search/d/")}, rewritten
    assert any(rel.startswith("search/d/") for rel in rewritten)  # its search document
    assert result.changed == len(rewritten)
    assert result.summary().startswith("4 notes, 17 pages (")
    again = build_site(root, out, workers=1)
    assert again.up_to_date and [str(w) for w in again.warnings] == [str(w) for w in result.warnings]


def test_quick_builds_in_a_row_and_a_full_one_after_them_stay_right(tmp_path: Path) -> None:
    """Files a quick build rewrote are made again by the next full build, even when the note went
    back to what the full build before had recorded (its old page keys would say "unchanged")."""
    root, out = tmp_path / "nb", tmp_path / "out"
    small_notebook(root)
    build_site(root, out, workers=1)
    note = root / "notes/2024/2024-03-03-n2.md"
    original = note.read_text(encoding="utf-8")
    for text in (SAME_WORDS, SAME_WORDS * 2, "\n"):
        append(note, text)
        assert build_site(root, out, workers=1).quick
        assert tree(out) == cold_tree(root, tmp_path)
    note.write_text(original, encoding="utf-8")
    write_note(root, "2024/2024-06-06-n5.md", "---\ndate: 2024-06-06\ncategory: CS\n---\n다섯째 노트.\n")
    result = build_site(root, out, workers=1)
    assert not result.quick and "added" in result.full_because
    assert tree(out) == cold_tree(root, tmp_path)


QUICK_IN_A_PROCESS = r"""
import sys
from pathlib import Path
from tilbook.site.build import build_site
result = build_site(Path(sys.argv[1]), Path(sys.argv[2]), workers=1)
print(result.quick, result.changed, "tilbook.render.markdown" in sys.modules, "jinja2" in sys.modules)
"""


def test_a_file_changed_but_read_as_before_is_recorded_without_rendering(tmp_path: Path) -> None:
    """A trailing blank line, or a file only touched: the note reads the same, so nothing that
    renders is even imported."""
    root, out = tmp_path / "nb", tmp_path / "out"
    small_notebook(root)
    build_site(root, out, workers=1)
    append(root / "notes/2024/2024-02-02-n1.md", SAME_WORDS)
    assert build_site(root, out, workers=1).quick  # what a quick build records is read as before too
    before = mtimes(out)
    append(root / "notes/2024/2024-02-02-n1.md", "\n\n")
    done = subprocess.run([sys.executable, "-c", QUICK_IN_A_PROCESS, str(root), str(out)], capture_output=True,
                          text=True, check=True, env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert done.stdout.split() == ["True", "0", "False", "False"], done.stderr
    assert mtimes(out) == before and tree(out) == cold_tree(root, tmp_path)
    assert build_site(root, out, workers=1).up_to_date


@pytest.mark.parametrize("edit, because", [
    ("tags", "front matter or title changed"),
    ("a word another note has", "gained or lost words that related notes are scored by"),
    ("new link", "links or images changed"),
    ("own template", "excerpt changed and the notebook has its own templates"),
    ("hand-edited page", "is not the file the last build recorded"),
    ("broken front matter", "cannot be read"),
])
def test_a_quick_build_gives_way_to_a_full_one_and_says_why(edit: str, because: str, tmp_path: Path) -> None:
    root, out = tmp_path / "nb", tmp_path / "out"
    small_notebook(root)
    note = root / "notes/2024/2024-01-01-n0.md"
    if edit == "own template":
        (root / "templates").mkdir()
        (root / "templates" / "404.html").write_text("<!doctype html><title>없음</title>\n", encoding="utf-8")
    build_site(root, out, workers=1)
    text = note.read_text(encoding="utf-8")
    if edit == "tags":
        note.write_text(text.replace("tags: [t0]", "tags: [t0, 새태그]"), encoding="utf-8")
    elif edit == "a word another note has":
        append(root / "notes/2024/2024-02-02-n1.md", "\n사과나무 열매.\n")  # words no other note has: quick
        assert build_site(root, out, workers=1).quick
        append(note, "\n사과나무.\n")  # now in two notes: it makes them related
    elif edit == "new link":
        append(note, "\n[노트](2024-02-02-n1.md) 그리고.\n")
    elif edit == "own template":  # its excerpt (the text after its title) changes
        append(note, SAME_WORDS)
    elif edit == "hand-edited page":
        append(note, SAME_WORDS)
        page = out / "digest/index.html"
        page.write_bytes(page.read_bytes().replace(b"</body>", b"<!-- mine --></body>"))
    elif edit == "broken front matter":
        note.write_text(text.replace("date: 2024-01-01", "date: [2024"), encoding="utf-8")
        with pytest.raises(Exception, match="2024-01-01-n0.md"):
            build_site(root, out, workers=1)
        return
    result = build_site(root, out, workers=1)
    assert not result.quick and because in result.full_because, result.full_because
    assert tree(out) == cold_tree(root, tmp_path)


KILLED_IN_QUICK = r"""
import sys, time
from pathlib import Path
from tilbook.site import build, state
real = state.record
def reached(*args, **kwargs):
    print("reached", flush=True)
    time.sleep(600)
state.record = reached
result = build.build_site(Path(sys.argv[1]), Path(sys.argv[2]), workers=1)
"""


def test_a_quick_build_killed_before_its_state_is_recorded_leaves_the_next_build_right(tmp_path: Path) -> None:
    root, out = tmp_path / "nb", tmp_path / "out"
    small_notebook(root)
    build_site(root, out, workers=1)
    note = root / "notes/2024/2024-02-02-n1.md"
    append(note, SAME_WORDS)
    proc = subprocess.Popen([sys.executable, "-c", KILLED_IN_QUICK, str(root), str(out)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True,
                            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    try:
        assert proc.stdout.readline() == "reached\n", proc.stderr.read() if proc.poll() is not None else ""  # type: ignore[union-attr]
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    append(note, SAME_WORDS)
    result = build_site(root, out, workers=1)
    assert not result.up_to_date and not result.quick  # the state was dropped before the site changed
    assert tree(out) == cold_tree(root, tmp_path)
    append(note, SAME_WORDS)
    assert build_site(root, out, workers=1).quick  # and recorded again by that full build
    assert tree(out) == cold_tree(root, tmp_path)


def test_the_manifest_rows_match_the_live_files_after_quick_and_full_builds(tmp_path: Path) -> None:
    """The writer's manifest (one row per file, site/manifest.py) is what the next build trusts
    instead of reading files back: after a quick build, which writes only the rows of the files
    it touched, and after a full build that removes a page, every row is the live file's."""
    import hashlib

    from tilbook.site.manifest import manifest_of

    def rows_match(root: Path, out: Path) -> None:
        rows = manifest_of(root / ".tilbook-cache", out.resolve()).everything()
        live = {p.relative_to(out).as_posix(): p for p in out.rglob("*") if p.is_file() and p.name != ".tilbook-site"}
        assert set(rows) == set(live)
        for rel, path in live.items():
            stat = path.stat()
            assert rows[rel] == (stat.st_size, stat.st_mtime_ns, hashlib.sha1(path.read_bytes()).hexdigest()), rel

    root, out = tmp_path / "nb", tmp_path / "out"
    small_notebook(root)
    build_site(root, out, workers=1)
    rows_match(root, out)
    append(root / "notes/2024/2024-02-02-n1.md", SAME_WORDS)
    assert build_site(root, out, workers=1).quick
    rows_match(root, out)
    (root / "notes/2024/2024-02-02-n1.md").unlink()
    result = build_site(root, out, workers=1)
    assert not result.quick and result.removed > 0
    rows_match(root, out)


def test_the_state_of_an_output_folder_that_is_gone_is_dropped_by_the_next_full_build(tmp_path: Path) -> None:
    """A preview server killed before it could drop its folder's state leaves rows behind (its
    manifest alone is a row per file); the next full build of another folder deletes them all."""
    import sqlite3

    root, gone, kept = tmp_path / "nb", tmp_path / "gone", tmp_path / "kept"
    small_notebook(root)
    build_site(root, gone, workers=1)
    build_site(root, kept, workers=1)
    shutil.rmtree(gone)
    write_note(root, "2024/2024-05-05-n5.md", "---\ndate: 2024-05-05\ncategory: CS\n---\n새 노트.\n")
    assert not build_site(root, kept, workers=1).quick  # a note was added: a full build
    con = sqlite3.connect(root / ".tilbook-cache" / "build-state.sqlite")
    tables = [name for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    outputs = {table: {o for (o,) in con.execute(f"SELECT DISTINCT output FROM {table}")} for table in tables}
    con.close()
    assert {"site_files", "note_stats", "note_rows", "last_builds"} <= set(tables)
    assert all(str(gone.resolve()) not in found for found in outputs.values()), outputs
    assert str(kept.resolve()) in outputs["site_files"] and str(kept.resolve()) in outputs["note_stats"]
