"""Shared fixtures: the digest posts (ours, plus the real seeds when ../shared/seeds exists; see
tests/posts.py), fresh notebooks, and an in-process CLI runner that goes through `main()`
(exit codes, no tracebacks)."""
from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests import posts as digest_posts
from tilbook.capture import init_notebook

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "notebook"


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test taking `posts` runs once per available pair of posts: never a skipped seed variant."""
    if "posts" in metafunc.fixturenames:
        metafunc.parametrize("posts", digest_posts.available(), indirect=True)


@pytest.fixture
def posts(request: pytest.FixtureRequest) -> digest_posts.Posts:
    """(digest post, topic post, expected values): ours, or the real seeds."""
    return digest_posts.load(request.param)


@pytest.fixture
def notebook(tmp_path: Path) -> Path:
    """An empty, freshly initialised notebook."""
    root = tmp_path / "nb"
    init_notebook(root)
    return root


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def tilbook(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    """Run `tilbook ARGS` in-process through the real entry point; returns (code, stdout, stderr)."""
    from tilbook.cli import main

    def run(*args: object, cwd: Path | None = None, stdin: str | None = None) -> Result:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        if stdin is not None:
            import io
            monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        monkeypatch.setattr(sys, "argv", ["tilbook", *map(str, args)])
        capsys.readouterr()
        try:
            main()
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


def write_note(root: Path, name: str, text: str | bytes) -> Path:
    path = root / "notes" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path
