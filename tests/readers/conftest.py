"""The readers' notebooks, built once per test session: a Korean notebook imported from
`posts/001_readers.txt` (math, code, a table, a long URL, tags, three categories) plus a long note
with a derived title, the same notebook with `language = "en"`, and the bundled example."""
from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE, write_note
from tilbook.capture import init_notebook
from tilbook.importer import import_posts
from tilbook.notes import CONFIG_NAME
from tilbook.site.build import build_site

POSTS = Path(__file__).resolve().parent / "posts"
LONG_NOTE = "2023/2023-05-10-긴-노트.md"
"""A note of 1,500 characters of text (the page-weight budget is set for this size)."""


def long_note() -> str:
    sentence = "긴 노트도 가볍게 읽혀야 합니다. 글꼴은 읽는 사람의 시스템 글꼴을 씁니다. "
    body = (sentence * 60)[:1500].rstrip()
    return f"---\ndate: 2023-05-10\ncategory: 셸\ntags: [무게]\n---\n{body}\n"


@dataclass(frozen=True)
class Built:
    root: Path
    out: Path


def _korean_notebook(root: Path) -> Path:
    init_notebook(root, title="오늘 배운 것")
    import_posts(root, [POSTS / "001_readers.txt"])
    write_note(root, LONG_NOTE, long_note())
    return root


@pytest.fixture(scope="session")
def korean_site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = _korean_notebook(tmp_path_factory.mktemp("readers") / "ko")
    assert 'language = "ko"' in (root / CONFIG_NAME).read_text(encoding="utf-8")
    build_site(root, workers=1)
    return Built(root, root / "site")


@pytest.fixture(scope="session")
def english_site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = _korean_notebook(tmp_path_factory.mktemp("readers") / "en")
    config = root / CONFIG_NAME
    config.write_text(config.read_text(encoding="utf-8").replace('language = "ko"', 'language = "en"'), encoding="utf-8")
    build_site(root, workers=1)
    return Built(root, root / "site")


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("readers") / "example"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("site", ".tilbook-cache"))
    build_site(root, workers=1)
    return Built(root, root / "site")
