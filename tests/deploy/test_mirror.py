"""`tilbook deploy --to DIR`: a folder that holds exactly the site, changed files rewritten
atomically, unchanged ones untouched, stale ones removed, files of others refused."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.deploy.conftest import BASE_URL, PAGES, checkout_state, git, set_base_url
from tilbook.deploy import MANIFEST


def mirror(tilbook, repo: Path, folder: Path, *more: str):  # type: ignore[no-untyped-def]
    result = tilbook("deploy", "--to", folder, *more, cwd=repo)
    assert result.code == 0, result.err
    return result


def test_the_folder_holds_exactly_the_site(tilbook, repo: Path, tmp_path: Path) -> None:
    www = tmp_path / "www"
    before = checkout_state(repo)
    mirror(tilbook, repo, www, "--cname", "til.example.test")
    assert checkout_state(repo) == before
    listed = set(json.loads((www / MANIFEST).read_text(encoding="utf-8"))["files"])
    on_disk = {p.relative_to(www).as_posix() for p in www.rglob("*") if p.is_file()} - {MANIFEST}
    assert listed == on_disk
    assert {".nojekyll", "CNAME", "index.html", *PAGES.values()} <= on_disk
    assert not [f for f in on_disk if f.startswith(".tilbook-site") or f.startswith(".tilbook-drafts")]


def test_a_second_deploy_rewrites_only_what_changed_and_removes_stale_pages(tilbook, repo: Path,
                                                                            tmp_path: Path) -> None:
    www = tmp_path / "www"
    mirror(tilbook, repo, www)
    untouched = (www / "assets" / "style.css").stat()
    git(repo, "rm", "-q", "notes/2024/2024-03-05-beta.md")
    git(repo, "commit", "-qm", "no beta")
    result = mirror(tilbook, repo, www)
    assert not (www / "2024/03/05").exists()  # the page and its emptied folders
    after = (www / "assets" / "style.css").stat()
    assert (after.st_ino, after.st_mtime_ns) == (untouched.st_ino, untouched.st_mtime_ns)
    assert " 0 removed" not in result.out
    again = mirror(tilbook, repo, www)
    assert "(0 written, 0 removed)" in again.out


def test_files_tilbook_did_not_write_are_refused_unless_deleting_them(tilbook, repo: Path, tmp_path: Path) -> None:
    www = tmp_path / "www"
    (www / "keep").mkdir(parents=True)
    (www / "keep" / "photo.jpg").write_bytes(b"mine")
    result = tilbook("deploy", "--to", www, cwd=repo)
    assert result.code == 2 and len(result.err.strip().splitlines()) == 1
    assert "1 files tilbook did not put there, e.g. keep/photo.jpg" in result.err
    assert sorted(p.name for p in www.rglob("*")) == ["keep", "photo.jpg"]  # nothing written
    mirror(tilbook, repo, www, "--delete-unknown")
    assert not (www / "keep").exists() and (www / "index.html").is_file()


@pytest.mark.parametrize("where", ["notebook", "parent", "home", "notes", "built site"])
def test_dangerous_folders_are_refused(tilbook, repo: Path, tmp_path: Path, where: str,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    folder = {"notebook": repo, "parent": tmp_path, "home": tmp_path / "home", "notes": repo / "notes" / "x",
              "built site": repo / ".tilbook-cache" / "deploy-site"}[where]
    before = checkout_state(repo)
    result = tilbook("deploy", "--to", folder, cwd=repo)
    assert result.code == 2 and result.err.startswith("error: refusing to deploy into"), result.err
    assert checkout_state(repo) == before


def test_a_notebook_outside_git_mirrors_but_cannot_deploy_to_a_branch(tilbook, notebook: Path,
                                                                       tmp_path: Path) -> None:
    set_base_url(notebook, f'base_url = "{BASE_URL}"')
    mirror(tilbook, notebook, tmp_path / "www")
    assert (tmp_path / "www" / "index.html").is_file()
    result = tilbook("deploy", "--branch", "gh-pages", cwd=notebook)
    assert result.code == 2 and "not in a git repository" in result.err
