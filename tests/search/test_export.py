"""`tilbook db`: the Datasette-ready export, drafts left out, searched through a real Datasette."""
from __future__ import annotations

import json
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import write_note
from tests.posts import Posts
from tilbook.errors import UsageError
from tilbook.importer import import_posts
from tilbook.notes import load_notebook
from tilbook.search.dbexport import export_database


def test_export_tables_and_drafts(notebook: Path, tmp_path: Path) -> None:
    write_note(notebook, "2024/a.md", "---\ndate: 2024-01-01\ncategory: CS\ntags: [sql]\n---\n윈도 함수 $x^2$.\n")
    write_note(notebook, "2024/b.md", "---\ndate: 2024-01-02\ncategory: Secretcat\ntags: [hush]\ndraft: true\n---\n비밀 초안.\n")
    target = tmp_path / "til.db"
    assert export_database(load_notebook(notebook), target) == 1
    con = sqlite3.connect(target)
    assert con.execute("select date, category, title from notes").fetchall() == [("2024-01-01", "CS", "윈도 함수 x^2.")]  # math in plain form
    assert "<math" in con.execute("select html from notes").fetchone()[0]
    assert con.execute("select * from categories").fetchall() == [("CS", "", 1)]
    assert con.execute("select * from tags").fetchall() == [("sql", 1)]
    assert con.execute("select * from note_tags").fetchall() == [(1, "sql")]
    dump = "\n".join(con.iterdump())
    assert "비밀" not in dump and "Secretcat" not in dump and "hush" not in dump
    metadata = json.loads((tmp_path / "metadata.json").read_text(encoding="utf-8"))
    assert metadata["databases"]["til"]["tables"]["notes"]["fts_table"] == "notes_fts"
    assert export_database(load_notebook(notebook), target, drafts=True) == 2


def test_export_refuses_to_overwrite_a_foreign_file(notebook: Path, tmp_path: Path) -> None:
    target = tmp_path / "thesis.db"
    target.write_text("not a database", encoding="utf-8")
    with pytest.raises(UsageError, match="not an SQLite database"):
        export_database(load_notebook(notebook), target)
    assert target.read_text(encoding="utf-8") == "not a database"


def test_datasette_search_finds_korean_and_english(notebook: Path, posts: Posts, tmp_path: Path) -> None:
    datasette = shutil.which("datasette", path=str(Path(sys.executable).parent))
    if datasette is None:
        pytest.skip("datasette is not installed in this environment (pip install -e '.[test]')")
    import_posts(notebook, posts.both)
    target = tmp_path / "til.db"
    export_database(load_notebook(notebook), target)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen([datasette, "serve", str(target), "-m", str(tmp_path / "metadata.json"),
                             "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        def query(q: str) -> list[str]:
            url = f"http://127.0.0.1:{port}/til/notes.json?_shape=array&_search={urllib.parse.quote(q)}"
            with urllib.request.urlopen(url, timeout=5) as response:
                return sorted(row["date"] for row in json.load(response))

        deadline = time.monotonic() + 20
        while True:
            try:
                found = query(posts.expect["search"]["datasette"][0][0])
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        expected = posts.expect["search"]["datasette"]
        assert found == expected[0][1]
        for words, dates in expected[1:]:
            assert query(words) == dates, words
    finally:
        proc.terminate()
        proc.wait(timeout=10)
