"""A small notebook of Korean and English notes written here, and an MCP client connected to
`tilbook mcp`'s server in memory, on either major version of the SDK: 2.x's `Client`, or 1.x's
`ClientSession` over memory streams. Results are read through `field`, `is_error` and
`structured`, since 1.x names fields as the wire does (`isError`) and 2.x in snake_case."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from mcp.shared import exceptions

from tilbook.capture import init_notebook, new_note
from tilbook.config import add_categories
from tilbook.mcp.server import NotebookServer, build_server

MCPError: type[Exception] = getattr(exceptions, "MCPError", None) or exceptions.McpError  # 2.x, 1.x

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


@asynccontextmanager
async def connect(server: NotebookServer) -> AsyncIterator[Any]:
    """An initialised client session of `server`, in memory."""
    try:
        from mcp import Client  # 2.x
    except ImportError:
        from mcp.shared.memory import create_connected_server_and_client_session

        async with create_connected_server_and_client_session(server._mcp_server) as session:
            yield session
        return
    async with Client(server) as client:
        yield client


def field(model: Any, wire: str) -> Any:
    """A protocol model's field by its wire name (`structuredContent`): 1.x's attribute name, 2.x's alias."""
    snake = re.sub(r"(?<!^)(?=[A-Z])", "_", wire).lower()
    return getattr(model, snake) if snake in type(model).model_fields else getattr(model, wire)


def is_error(result: Any) -> bool:
    return bool(field(result, "isError"))


def structured(result: Any) -> Any:
    return field(result, "structuredContent")


@pytest.fixture
async def client(nb: Path) -> AsyncIterator[Any]:
    async with connect(build_server(nb)) as session:
        yield session
