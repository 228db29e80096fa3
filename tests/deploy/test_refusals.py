"""What deploy refuses, each with exit status 2, one line, and nothing published: a drafts build,
a base_url that is unset or on this machine, uncommitted notes, a folder tilbook did not fill."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import write_note
from tests.deploy.conftest import checkout_state, git, note_text, set_base_url
from tilbook.site.build import build_site

TARGETS = {"branch": ("--branch", "gh-pages"), "folder": ("--to", "www")}


def published(repo: Path, tmp_path: Path) -> bool:
    branch = git(repo, "branch", "--list", "gh-pages") != ""
    return branch or (tmp_path / "www").exists()


def refused(result, words: str) -> None:  # type: ignore[no-untyped-def]
    assert result.code == 2, result.out + result.err
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: refusing") and words in lines[0], result.err


@pytest.fixture(params=sorted(TARGETS))
def target(request: pytest.FixtureRequest, tmp_path: Path) -> list[str]:
    option, value = TARGETS[request.param]
    return [option, str(tmp_path / value) if option == "--to" else value]


def test_a_drafts_build_is_refused(tilbook, repo: Path, tmp_path: Path, target: list[str]) -> None:
    write_note(repo, "2024/2024-05-01-secret.md", note_text("2024-05-01", "Python", "Secret", "Not yet.")
               .replace("title: Secret", "title: Secret\ndraft: true"))
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "a draft")
    build_site(repo, tmp_path / "preview", drafts=True)
    before = checkout_state(repo)
    refused(tilbook("deploy", *target, "-o", tmp_path / "preview", cwd=repo), "built with drafts")
    assert not published(repo, tmp_path)
    assert checkout_state(repo) == before


def test_a_folder_tilbook_did_not_build_is_refused(tilbook, repo: Path, tmp_path: Path, target: list[str]) -> None:
    (tmp_path / "handmade").mkdir()
    (tmp_path / "handmade" / "index.html").write_text("hi", encoding="utf-8")
    refused(tilbook("deploy", *target, "-o", tmp_path / "handmade", cwd=repo), "not a site built by tilbook")
    assert not published(repo, tmp_path)


@pytest.mark.parametrize("line, words", [
    (None, "`base_url` is not set"),
    ('base_url = "http://localhost:8000/"', "points at this machine"),
    ('base_url = "http://127.0.0.1/til/"', "points at this machine"),
    ('base_url = "http://[::1]:8000/"', "points at this machine"),
    ('base_url = "http://til.localhost/"', "points at this machine"),
])
def test_an_unset_or_local_base_url_is_refused(tilbook, repo: Path, tmp_path: Path, target: list[str],
                                               line: str | None, words: str) -> None:
    set_base_url(repo, line)
    git(repo, "commit", "-qam", "base_url")
    refused(tilbook("deploy", *target, cwd=repo), words)
    assert not published(repo, tmp_path)


def test_the_placeholder_base_url_is_published_with_a_warning(tilbook, repo: Path, target: list[str]) -> None:
    set_base_url(repo, 'base_url = "https://example.org/"')
    git(repo, "commit", "-qam", "placeholder")
    result = tilbook("deploy", *target, cwd=repo)
    assert result.code == 0 and "placeholder https://example.org/" in result.err


@pytest.mark.parametrize("change", ["edited", "untracked", "staged", "config"])
def test_uncommitted_note_changes_are_refused(tilbook, repo: Path, tmp_path: Path, target: list[str],
                                              change: str) -> None:
    if change == "edited":
        (repo / "notes/2024/2024-03-01-alpha.md").write_text(note_text("2024-03-01", "Python", "Alpha", "New."))
    elif change in ("untracked", "staged"):
        write_note(repo, "2024/2024-06-01-new.md", note_text("2024-06-01", "Python", "New", "Fresh."))
        if change == "staged":
            git(repo, "add", "notes")
    else:
        (repo / "tilbook.toml").write_text((repo / "tilbook.toml").read_text() + "\n# a comment\n")
    before = checkout_state(repo)
    refused(tilbook("deploy", *target, cwd=repo), "uncommitted changes in ")
    assert not published(repo, tmp_path)
    assert checkout_state(repo) == before
    allowed = tilbook("deploy", *target, "--allow-dirty", cwd=repo)
    assert allowed.code == 0, allowed.err
    assert checkout_state(repo) == before
    if target[0] == "--branch":
        assert git(repo, "log", "-1", "--format=%s", "gh-pages").endswith("with uncommitted changes")


def test_changes_outside_the_notes_do_not_count(tilbook, repo: Path, target: list[str]) -> None:
    (repo / "README.md").write_text("my notebook\n", encoding="utf-8")  # untracked, not a site source
    result = tilbook("deploy", *target, cwd=repo)
    assert result.code == 0, result.err


def test_exactly_one_target(tilbook, repo: Path, tmp_path: Path) -> None:
    assert tilbook("deploy", cwd=repo).code == 2
    assert tilbook("deploy", "--branch", "gh-pages", "--to", tmp_path / "www", cwd=repo).code == 2
    assert tilbook("deploy", "--to", tmp_path / "www", "--push", cwd=repo).code == 2
