"""Deploy fixtures: a committed notebook in a real git repository with a local bare remote."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import write_note

BASE_URL = "https://til.test/"
NOTES = {
    "2024/2024-03-01-alpha.md": ("2024-03-01", "Python", "Alpha", "Generators are lazy."),
    "2024/2024-03-05-beta.md": ("2024-03-05", "Linux", "Beta", "Pipes buffer output."),
    "2024/2024-04-02-gamma.md": ("2024-04-02", "Python", "Gamma", "Dicts keep insertion order."),
}
PAGES = {"alpha": "2024/03/01/alpha/index.html", "beta": "2024/03/05/beta/index.html",
         "gamma": "2024/04/02/gamma/index.html"}


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


def note_text(date: str, category: str, title: str, body: str) -> str:
    return f"---\ndate: {date}\ncategory: {category}\ntags: [til]\ntitle: {title}\n---\n{body}\n"


def set_base_url(root: Path, line: str | None) -> None:
    """Replace the base_url line of tilbook.toml (None: remove it, so the default applies)."""
    config = root / "tilbook.toml"
    kept = [line if old.startswith("base_url") else old for old in config.read_text(encoding="utf-8").splitlines()]
    config.write_text("\n".join(text for text in kept if text is not None) + "\n", encoding="utf-8")


@pytest.fixture(autouse=True)
def git_identity(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A known author and no user or system git configuration."""
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "Til Tester")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "til@example.test")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")


@pytest.fixture
def repo(notebook: Path, tmp_path: Path) -> Path:
    """The notebook with three notes and a real base_url, committed on `main`, remote `origin` bare."""
    set_base_url(notebook, f'base_url = "{BASE_URL}"')
    for name, fields in NOTES.items():
        write_note(notebook, name, note_text(*fields))
    git(notebook, "init", "-q", "-b", "main")
    git(notebook, "add", "-A")
    git(notebook, "commit", "-qm", "three notes")
    git(tmp_path, "init", "-q", "--bare", "remote.git")
    git(notebook, "remote", "add", "origin", str(tmp_path / "remote.git"))
    return notebook


def checkout_state(root: Path) -> dict[str, object]:
    """Everything of the user's checkout a deploy must leave byte-identical: HEAD, the index file,
    `git status`, every branch but the deployed one, and every file (caches aside)."""
    files = {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
             if p.is_file() and p.relative_to(root).parts[0] not in (".git", ".tilbook-cache")}
    refs = [line for line in git(root, "for-each-ref", "--format=%(refname) %(objectname)").splitlines()
            if "gh-pages" not in line]
    return {"head": git(root, "symbolic-ref", "HEAD") + git(root, "rev-parse", "HEAD"),
            "index": (root / ".git" / "index").read_bytes(), "status": git(root, "status", "--porcelain"),
            "refs": refs, "files": files}
