"""A small notebook of Korean and English notes written here, and an MCP client connected to
`tilbook mcp`'s server in memory through the SDK's own `Client`."""
from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from mcp import Client

from tilbook.capture import init_notebook, new_note
from tilbook.config import add_categories
from tilbook.mcp.server import build_server

NOTES = [
    ("텐서플로우의 `tf.map_fn`은 첫 번째 축을 따라 텐서를 풀어서 함수를 적용한다.", "ML", ["tensorflow"],
     dt.date(2024, 5, 20), False),
    ("튜플은 immutable로 다루어지므로 dict의 키가 될 수 있다. list는 mutable이라 안 된다.", "Python", ["자료구조"],
     dt.date(2024, 5, 22), False),
    ("A context manager closes the socket even when the handler raises.", "Python", ["socket"],
     dt.date(2024, 5, 29), False),
    ("초안: 아직 정리하지 않은 zqsecret 메모.", "Python", [], dt.date(2024, 5, 23), True),
]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def make_notebook(root: Path) -> Path:
    init_notebook(root, title="배운 것들")
    add_categories(root / "tilbook.toml", {"Python": "🐍", "ML": "🤖"})
    for text, category, tags, date, draft in NOTES:
        new_note(root, text, category=category, tags=tags, date=date, draft=draft)
    return root


@pytest.fixture
def nb(tmp_path: Path) -> Path:
    return make_notebook(tmp_path / "nb")


@pytest.fixture
async def client(nb: Path) -> AsyncIterator[Client]:
    async with Client(build_server(nb)) as session:
        yield session
