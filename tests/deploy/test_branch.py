"""`tilbook deploy --branch`: the site as the whole tree of a branch in a local bare remote, one
commit per changed site, none when nothing changed, and the user's checkout left byte-identical."""
from __future__ import annotations

from pathlib import Path

from tests.conftest import write_note
from tests.deploy.conftest import NOTES, PAGES, checkout_state, git, note_text


def remote_files(tmp_path: Path) -> list[str]:
    return git(tmp_path / "remote.git", "ls-tree", "-r", "--name-only", "gh-pages").splitlines()


def deploy(tilbook, repo: Path, *more: str):  # type: ignore[no-untyped-def]
    result = tilbook("deploy", "--branch", "gh-pages", "--push", *more, cwd=repo)
    assert result.code == 0, result.err
    return result


def test_first_deploy_publishes_the_site_as_the_branch_tree_and_leaves_the_checkout_alone(
        tilbook, repo: Path, tmp_path: Path) -> None:
    before = checkout_state(repo)
    result = deploy(tilbook, repo)
    assert checkout_state(repo) == before
    files = remote_files(tmp_path)
    assert {"index.html", ".nojekyll", "sitemap.xml", *PAGES.values()} <= set(files)
    assert not [f for f in files if f.startswith(".tilbook")]  # build bookkeeping stays out
    remote = tmp_path / "remote.git"
    assert git(remote, "rev-list", "--count", "gh-pages") == "1"
    short = git(repo, "rev-parse", "--short", "HEAD")
    assert git(remote, "log", "-1", "--format=%s", "gh-pages") == f"Deploy site from {short} (three notes)"
    assert git(repo, "rev-parse", "gh-pages") == git(remote, "rev-parse", "gh-pages")
    built = repo / ".tilbook-cache" / "deploy-site" / PAGES["alpha"]
    assert git(remote, "show", f"gh-pages:{PAGES['alpha']}") == built.read_text(encoding="utf-8").strip()
    assert "pushed to origin" in result.out


def test_one_changed_note_makes_one_commit_that_differs_only_where_that_note_shows(
        tilbook, repo: Path, tmp_path: Path) -> None:
    deploy(tilbook, repo)
    first = git(repo, "rev-parse", "gh-pages")
    name = "2024/2024-03-01-alpha.md"
    date, category, title, _ = NOTES[name]
    write_note(repo, name, note_text(date, category, title, "Generators are lazy; `yield from` delegates."))
    git(repo, "commit", "-qam", "alpha grows")
    before = checkout_state(repo)
    deploy(tilbook, repo)
    assert checkout_state(repo) == before
    remote = tmp_path / "remote.git"
    assert git(remote, "rev-list", "--count", "gh-pages") == "2"
    assert git(remote, "rev-parse", "gh-pages^") == first
    changed = git(remote, "diff", "--name-only", first, "gh-pages").splitlines()
    assert PAGES["alpha"] in changed
    assert PAGES["beta"] not in changed and PAGES["gamma"] not in changed
    assert ".nojekyll" not in changed and "index.html" in changed  # the home page shows the note


def test_a_removed_note_leaves_the_branch(tilbook, repo: Path, tmp_path: Path) -> None:
    deploy(tilbook, repo)
    git(repo, "rm", "-q", "notes/2024/2024-03-05-beta.md")
    git(repo, "commit", "-qm", "beta was wrong")
    deploy(tilbook, repo)
    files = remote_files(tmp_path)
    assert PAGES["beta"] not in files and not [f for f in files if f.startswith("2024/03/05/")]
    assert PAGES["alpha"] in files


def test_deploying_an_unchanged_site_makes_no_commit(tilbook, repo: Path, tmp_path: Path) -> None:
    deploy(tilbook, repo)
    tip = git(tmp_path / "remote.git", "rev-parse", "gh-pages")
    git(repo, "commit", "-q", "--allow-empty", "-m", "nothing for the site")
    result = deploy(tilbook, repo)
    assert git(tmp_path / "remote.git", "rev-parse", "gh-pages") == tip
    assert "already holds this site" in result.out


def test_a_fresh_clone_builds_on_the_remote_branch(tilbook, repo: Path, tmp_path: Path) -> None:
    """CI: no local gh-pages, so the deploy fetches the remote's and commits on top (a fast-forward)."""
    deploy(tilbook, repo)
    first = git(tmp_path / "remote.git", "rev-parse", "gh-pages")
    git(repo, "branch", "-D", "gh-pages")
    git(repo, "update-ref", "-d", "refs/remotes/origin/gh-pages")
    git(repo, "rm", "-q", "notes/2024/2024-04-02-gamma.md")
    git(repo, "commit", "-qm", "no gamma")
    deploy(tilbook, repo)
    assert git(tmp_path / "remote.git", "rev-parse", "gh-pages^") == first


def test_cname_and_a_branch_without_push(tilbook, repo: Path, tmp_path: Path) -> None:
    result = tilbook("deploy", "--branch", "site", "--cname", "til.example.test", cwd=repo)
    assert result.code == 0, result.err
    assert git(repo, "show", "site:CNAME") == "til.example.test"
    assert "site" not in git(tmp_path / "remote.git", "branch")  # nothing pushed


def test_the_checked_out_branch_is_refused(tilbook, repo: Path) -> None:
    before = checkout_state(repo)
    result = tilbook("deploy", "--branch", "main", cwd=repo)
    assert result.code == 2 and "checked out" in result.err
    assert checkout_state(repo) == before
