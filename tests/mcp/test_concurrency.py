"""Two clients at once, each with its own server (as two `tilbook mcp` processes would be):
adds of the same title make distinct files, concurrent appends to one note all land."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import anyio
import pytest

from tests.mcp.conftest import connect, is_error, structured
from tilbook.mcp.server import build_server

pytestmark = pytest.mark.anyio


async def test_concurrent_adds_never_lose_a_note(nb: Path) -> None:
    before = set((nb / "notes").rglob("*.md"))
    paths: list[str] = []
    async with connect(build_server(nb)) as first, connect(build_server(nb)) as second:
        async def add(client: Any, index: int) -> None:
            result = await client.call_tool("add_note", {"text": f"같은 제목의 노트.\n\n본문 {index}",
                                                         "category": "Python", "date": "2024-07-01",
                                                         "title": "같은 제목"})
            assert not is_error(result)
            paths.append(structured(result)["path"])

        async with anyio.create_task_group() as group:
            for index in range(8):
                group.start_soon(add, first if index % 2 else second, index)
    created = set((nb / "notes").rglob("*.md")) - before
    assert len(set(paths)) == 8 and len(created) == 8
    bodies = {path.read_text(encoding="utf-8").rsplit("본문 ", 1)[1].strip() for path in created}
    assert bodies == {str(i) for i in range(8)}


async def test_concurrent_appends_all_land(nb: Path) -> None:
    target = next(p for p in (nb / "notes" / "2024").glob("*.md") if "socket" in p.read_text(encoding="utf-8"))
    rel = target.relative_to(nb).as_posix()
    async with connect(build_server(nb)) as first, connect(build_server(nb)) as second:
        async def append(client: Any, index: int) -> None:
            result = await client.call_tool("append_to_note", {"path_or_slug": rel, "text": f"덧붙임 zq{index}"})
            assert not is_error(result)

        async with anyio.create_task_group() as group:
            for index in range(10):
                group.start_soon(append, first if index % 2 else second, index)
    text = target.read_text(encoding="utf-8")
    assert all(f"덧붙임 zq{index}\n" in text for index in range(10))
    assert text.startswith("---\ndate: 2024-05-29")
