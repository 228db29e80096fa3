"""Dates from git: created = the commit that added the file, updated = the last commit that changed
its body (renames followed, front-matter-only commits not counted); a shallow clone is said."""
from __future__ import annotations

import re
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import write_note
from tilbook.gitdates import note_history
from tilbook.site.build import build_site

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def git(root: Path, *args: str, date: str | None = None) -> None:
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@e", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@e")
    if date:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def history_notebook(root: Path) -> None:
    """Three notes: one edited in its body, one renamed then edited in its front matter only, one
    never changed."""
    write_note(root, "2020/2020-05-01-edited.md", "---\ndate: 2020-05-01\ncategory: Python\n---\n처음 문장.\n")
    write_note(root, "2020/2020-05-02-old-name.md", "---\ndate: 2020-05-02\ncategory: Python\n---\n이름이 바뀔 노트.\n")
    write_note(root, "2020/2020-05-03-still.md", "---\ndate: 2020-05-03\ncategory: Python\n---\n그대로인 노트.\n")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "first", date="2021-02-03T23:30:00+09:00")
    edited = root / "notes/2020/2020-05-01-edited.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n덧붙인 문장.\n", encoding="utf-8")
    git(root, "commit", "-qam", "body", date="2021-07-08T10:00:00+09:00")
    git(root, "mv", "notes/2020/2020-05-02-old-name.md", "notes/2020/2020-05-02-new-name.md")
    git(root, "commit", "-qm", "rename", date="2022-01-01T10:00:00+09:00")
    renamed = root / "notes/2020/2020-05-02-new-name.md"
    renamed.write_text(renamed.read_text(encoding="utf-8").replace("category: Python", "category: Python\ntags: [x]"),
                       encoding="utf-8")
    git(root, "commit", "-qam", "front matter only", date="2022-09-09T10:00:00+09:00")


def test_created_and_updated_follow_renames_and_skip_front_matter_changes(notebook: Path) -> None:
    history_notebook(notebook)
    history = note_history(notebook)
    assert history.warning is None
    dates = {rel.rsplit("/", 1)[-1]: (d.created.isoformat(), d.updated.isoformat()) for rel, d in history.dates.items()}
    assert dates["2020-05-01-edited.md"] == ("2021-02-03", "2021-07-08")  # the commit's own day (+09:00)
    assert dates["2020-05-02-new-name.md"] == ("2021-02-03", "2021-02-03")  # renamed: still created by the first
    assert dates["2020-05-03-still.md"] == ("2021-02-03", "2021-02-03")


def test_list_json_pages_and_atom_use_them(notebook: Path, tmp_path: Path, tilbook) -> None:
    history_notebook(notebook)
    result = tilbook("list", "--json", cwd=notebook)
    rows = {Path(r["path"]).name: r for r in map(json.loads, result.out.splitlines())}
    assert (rows["2020-05-01-edited.md"]["created"], rows["2020-05-01-edited.md"]["updated"]) == ("2021-02-03", "2021-07-08")
    assert result.err == ""
    out = tmp_path / "site"
    build_site(notebook, out)
    page = (out / "2020/05/01/edited/index.html").read_text(encoding="utf-8")
    assert re.search(r'<span class="updated">[^<]+ <time datetime="2021-07-08">2021.07.08</time>', page)
    untouched = (out / "2020/05/03/still/index.html").read_text(encoding="utf-8")
    assert "2021.02.03" not in untouched  # added, never edited: no "updated" line
    feed = (out / "feed.xml").read_text(encoding="utf-8")
    assert "<updated>2021-07-08T00:00:00Z</updated>" in feed


def test_front_matter_updated_wins(notebook: Path, tilbook) -> None:
    history_notebook(notebook)
    path = notebook / "notes/2020/2020-05-01-edited.md"
    path.write_text(path.read_text(encoding="utf-8").replace("category: Python", "category: Python\nupdated: 2023-03-03"),
                    encoding="utf-8")
    rows = [json.loads(line) for line in tilbook("list", "--json", cwd=notebook).out.splitlines()]
    assert {r["updated"] for r in rows if r["path"].endswith("edited.md")} == {"2023-03-03"}


def test_a_shallow_clone_is_said_once_and_front_matter_is_used(notebook: Path, tmp_path: Path, tilbook) -> None:
    history_notebook(notebook)
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{notebook}", str(clone)], check=True,
                   capture_output=True)
    result = tilbook("list", "--json", cwd=clone)
    assert result.code == 0 and len(result.err.splitlines()) == 1 and "shallow" in result.err.lower()
    rows = {Path(r["path"]).name: r for r in map(json.loads, result.out.splitlines())}
    assert rows["2020-05-01-edited.md"]["created"] == "2020-05-01"  # front matter, not the clone's one commit


def test_no_repository_no_dates_no_noise(notebook: Path) -> None:
    write_note(notebook, "2020/2020-05-01-a.md", "---\ndate: 2020-05-01\ncategory: Python\n---\n본문.\n")
    history = note_history(notebook)
    assert history.dates == {} and history.warning is None
