"""The note stats of the build state, in buckets: what differs between two scans, and what a
build reads back when the state it needs is missing or was overwritten."""
from __future__ import annotations

import sqlite3

import pytest

from tilbook.site import notestats
from tilbook.site.notestats import NoteStats, Unreadable, bucket_of


def _pairs(count: int, edited: str | None = None) -> list[tuple[str, str]]:
    return [(f"2024/2024-01-{i:05d}-note.md", "9:2" if f"{i:05d}" == edited else "7:1") for i in range(count)]


def test_an_edit_differs_in_its_own_bucket_only() -> None:
    before, after = NoteStats.scanned(_pairs(3000)), NoteStats.scanned(_pairs(3000, edited="00042"))
    assert after.differing(before) == [bucket_of("2024/2024-01-00042-note.md")]
    assert NoteStats.scanned(_pairs(3000)).differing(before) == []


def test_an_added_note_changes_its_bucket() -> None:
    before, after = NoteStats.scanned(_pairs(10)), NoteStats.scanned(_pairs(11))
    bucket = bucket_of("2024/2024-01-00010-note.md")
    assert after.differing(before) == [bucket]
    assert "2024/2024-01-00010-note.md" in after.entries(bucket)
    assert "2024/2024-01-00010-note.md" not in before.entries(bucket)


def test_updated_equals_a_new_scan() -> None:
    scanned = NoteStats.scanned(_pairs(500))
    updated = scanned.updated({"2024/2024-01-00007-note.md": None, "2024/2024-01-00042-note.md": "9:2",
                               "2024/new.md": "1:1"})
    expected = dict(_pairs(500, edited="00042"))
    del expected["2024/2024-01-00007-note.md"]
    expected["2024/new.md"] = "1:1"
    assert updated.digests == NoteStats.scanned(expected.items()).digests


def test_saved_buckets_load_back_and_a_mismatch_is_unreadable(tmp_path) -> None:
    con = sqlite3.connect(tmp_path / "state.sqlite")
    con.executescript(notestats.SCHEMA)
    scanned = NoteStats.scanned(_pairs(1000))
    with con:
        notestats.save(con, "/out", scanned)
    recorded = NoteStats(dict(scanned.digests), {}, lambda b, d: notestats.load(con, "/out", b, d))
    bucket = bucket_of("2024/2024-01-00042-note.md")
    assert recorded.entries(bucket) == scanned.entries(bucket)
    edited = NoteStats.scanned(_pairs(1000, edited="00042"))
    with con:
        notestats.save(con, "/out", edited)  # only the edited bucket's row is rewritten
    stale = NoteStats(dict(scanned.digests), {}, lambda b, d: notestats.load(con, "/out", b, d))
    with pytest.raises(Unreadable):
        stale.entries(bucket)  # the row is another build's now: not taken for this one's
    other = next(bucket_of(rel) for rel, _ in _pairs(1000) if bucket_of(rel) != bucket)
    assert stale.entries(other) == scanned.entries(other)  # rows the edit left alone still read


@pytest.mark.parametrize("by_descriptor", [True, False])
def test_a_scan_finds_every_note_file_and_nothing_else(tmp_path, monkeypatch, by_descriptor: bool) -> None:
    monkeypatch.setattr(notestats, "_SCAN_BY_DESCRIPTOR", by_descriptor)  # False: where scandir takes no descriptor
    notes = tmp_path / "notes"
    for rel in ("2024/a.md", "2024/sub/b.md", "2023/c.md", "x.md.d/d.md"):
        (notes / rel).parent.mkdir(parents=True, exist_ok=True)
        (notes / rel).write_text("# note\n", encoding="utf-8")
    for rel in (".git/e.md", "2024/.hidden.md", "2024/readme.txt", ".draft.md"):
        (notes / rel).parent.mkdir(parents=True, exist_ok=True)
        (notes / rel).write_text("not a note\n", encoding="utf-8")
    (notes / "2023" / "link.md").symlink_to(notes / "2023" / "c.md")
    scan = NoteStats.scan(str(notes))
    found = {rel for bucket in scan.digests for rel in scan.entries(bucket)}
    assert found == {"2024/a.md", "2024/sub/b.md", "2023/c.md", "x.md.d/d.md", "2023/link.md"}
    stat = (notes / "2024/a.md").stat()
    assert scan.entries(bucket_of("2024/a.md"))["2024/a.md"] == f"{stat.st_size}:{stat.st_mtime_ns}"
    assert scan.digests == NoteStats.scanned((rel, scan.entries(bucket_of(rel))[rel]) for rel in found).digests
