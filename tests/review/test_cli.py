"""`tilbook review --due [--json]` and `tilbook review rate`: keys, exit codes, the log; and the
privacy of the review state: never in the site, feeds, search index or SQLite export (unless
`--with-reviews`), review days on the calendar only with `[review] show_on_site`."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from tests.conftest import write_note
from tests.review.helpers import add_notes, note_text
from tilbook.config import CONFIG_NAME
from tilbook.reviewlog import LOG_PATH
from tilbook.site.build import build_site


def _due(tilbook, notebook: Path, *args: str) -> tuple[int, list[dict]]:
    result = tilbook("review", "--due", "--json", *args, cwd=notebook)
    return result.code, [json.loads(line) for line in result.out.splitlines()]


def test_due_json_rate_and_exit_codes(tilbook, notebook: Path) -> None:
    assert tilbook("review", "--due", "--json", cwd=notebook).code == 1  # empty notebook: nothing due
    paths = add_notes(notebook, 12)
    write_note(notebook, "2024/2024-01-20-py.md", note_text(20, "Python fact.", category="Python", tags="[gil]"))
    code, due = _due(tilbook, notebook)
    assert code == 0 and len(due) == 10
    assert set(due[0]) == {"path", "title", "date", "category", "new", "due", "state", "stability", "retrievability"}
    assert due[0]["path"] == "notes/2024/2024-01-01-n1.md" and due[0]["new"] is True
    assert _due(tilbook, notebook, "--category", "Python")[1][0]["title"] == "Python fact."
    assert [d["title"] for d in _due(tilbook, notebook, "--tag", "gil")[1]] == ["Python fact."]
    assert len(_due(tilbook, notebook, "--limit", "3")[1]) == 3
    before = paths[0].read_bytes()
    result = tilbook("review", "rate", due[0]["path"], "4", cwd=notebook)
    assert result.code == 0 and "easy" in result.out
    assert paths[0].read_bytes() == before
    code, due = _due(tilbook, notebook)
    assert "notes/2024/2024-01-01-n1.md" not in {d["path"] for d in due} and len(due) == 9
    line = json.loads((notebook / LOG_PATH).read_text().splitlines()[0])
    assert line["path"] == "notes/2024/2024-01-01-n1.md" and line["rating"] == 4
    assert set(line) == {"note", "path", "date", "title", "text", "rating", "time"}
    assert tilbook("review", "rate", "notes/nope.md", "3", cwd=notebook).code == 2
    assert tilbook("review", "rate", due[0]["path"], "5", cwd=notebook).code == 2
    assert tilbook("review", "rate", due[0]["path"], "good", cwd=notebook).code == 0
    text = tilbook("review", "--due", cwd=notebook)
    assert text.code == 0 and "n3.md" in text.out


def test_config_knows_review_settings(tilbook, notebook: Path) -> None:
    add_notes(notebook, 5)
    config = notebook / CONFIG_NAME
    config.write_text(config.read_text().replace("new_per_day = 10", "new_per_day = 2"))
    assert len(_due(tilbook, notebook)[1]) == 2
    config.write_text(config.read_text().replace("new_per_day = 2", 'new_per_day = "x"'))
    result = tilbook("review", "--due", cwd=notebook)
    assert result.code == 2 and "review.new_per_day" in result.err


def _secrets(notebook: Path) -> list[bytes]:
    """What of the log must not be published: its lines, card ids and body fingerprints."""
    lines = (notebook / LOG_PATH).read_bytes().splitlines()
    return lines + [json.loads(line)[key].encode() for line in lines for key in ("note", "text", "time")]


def _leaks(folder: Path, secrets: list[bytes]) -> list[str]:
    return [str(p) for p in folder.rglob("*") if p.is_file()
            and ("review" in p.name.lower() or any(s in p.read_bytes() for s in secrets))]


def test_review_state_never_published(tilbook, notebook: Path, tmp_path: Path) -> None:
    add_notes(notebook, 3)
    # a note that links the log and shows it as an image: still not copied into the site
    write_note(notebook, "2024/2024-01-09-links.md",
               note_text(9, "See [log](../../review/log.jsonl) and ![x](../../review/log.jsonl)."))
    for path in ("notes/2024/2024-01-01-n1.md", "notes/2024/2024-01-02-n2.md"):
        assert tilbook("review", "rate", path, "3", cwd=notebook).code == 0
    secrets = _secrets(notebook)
    build_site(notebook, tmp_path / "site")
    assert _leaks(tmp_path / "site", secrets) == []
    assert tilbook("search", "fact", cwd=notebook).code == 0  # the local index: built, and clean
    index = [p for p in (notebook / ".tilbook-cache").rglob("*") if p.is_file() and not p.name.startswith("review-")]
    assert index and not [p for p in index if any(s in p.read_bytes() for s in secrets[:2])]
    assert tilbook("db", str(tmp_path / "til.db"), cwd=notebook).code == 0
    con = sqlite3.connect(tmp_path / "til.db")
    assert "reviews" not in {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
    assert not any(s in (tmp_path / "til.db").read_bytes() for s in secrets)
    assert tilbook("db", str(tmp_path / "with.db"), "--with-reviews", cwd=notebook).code == 0
    rows = sqlite3.connect(tmp_path / "with.db").execute("SELECT path, rating FROM reviews ORDER BY id").fetchall()
    assert rows == [("notes/2024/2024-01-01-n1.md", 3), ("notes/2024/2024-01-02-n2.md", 3)]


def test_calendar_shows_review_days_only_when_asked(tilbook, notebook: Path, tmp_path: Path) -> None:
    add_notes(notebook, 3)
    assert tilbook("review", "rate", "notes/2024/2024-01-01-n1.md", "3", cwd=notebook).code == 0
    build_site(notebook, tmp_path / "off")
    home = (tmp_path / "off" / "index.html").read_text()
    assert "reviewed" not in home and "복습" not in home
    config = notebook / CONFIG_NAME
    config.write_text(config.read_text().replace("show_on_site = false", "show_on_site = true"))
    day = json.loads((notebook / LOG_PATH).read_text())["time"][:10]
    for n in range(3):  # a note on the review day, so the calendar's year includes it
        write_note(notebook, f"{day[:4]}/{day}-today{n}.md", note_text(1, f"Today {n}.").replace("2024-01-01", day))
    build_site(notebook, tmp_path / "on")
    home = (tmp_path / "on" / "index.html").read_text()
    shown = day.replace("-", ".") + ": "  # the notebook's own day format, YYYY.MM.DD
    assert 'reviewed"' in home and shown in home and "복습한 날 <strong>1</strong>일" in home
