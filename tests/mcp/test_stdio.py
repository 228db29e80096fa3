"""`tilbook -C NB mcp` as a subprocess, driven over stdio by the SDK's ClientSession."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

from tests.mcp.conftest import is_error, structured

pytestmark = pytest.mark.anyio


async def test_a_stdio_session(nb: Path) -> None:
    params = StdioServerParameters(command=sys.executable,
                                   args=["-c", "from tilbook.cli import main; main()", "-C", str(nb), "mcp"])
    async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        assert "search_notes" in {tool.name for tool in (await session.list_tools()).tools}
        found = await session.call_tool("search_notes", {"query": "텐서"})
        assert not is_error(found) and "tf.map_fn" in found.content[0].text
        refused = await session.call_tool("read_note", {"path_or_slug": "../../../../etc/passwd"})
        assert is_error(refused) and "root:" not in refused.content[0].text
        added = await session.call_tool("add_note", {"text": "stdio로 추가했다.", "category": "ML"})
        assert (nb / structured(added)["path"]).is_file()
        assert (await session.list_resources()).resources
        assert "weekly_review" in {p.name for p in (await session.list_prompts()).prompts}


def test_a_non_loopback_host_is_refused(nb: Path, tilbook) -> None:  # type: ignore[no-untyped-def]
    result = tilbook("-C", nb, "mcp", "--http", "8765", "--host", "0.0.0.0")
    assert result.code == 2 and "not a loopback address" in result.err
