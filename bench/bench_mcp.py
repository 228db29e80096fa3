#!/usr/bin/env python3
"""MCP search benchmark (run by hand):

    .venv/bin/python bench/bench_mcp.py 10000 [--calls 200]

Imports the `digest` corpus into a fresh notebook, connects the SDK's `Client` to `tilbook mcp`'s
server in memory (JSON-RPC over memory streams, as over stdio minus the pipe), warms it up with one
call (the first local index of the notebook is built then, once), and times `--calls`
`search_notes` calls cycling through Korean and English queries: p50 and p95 per call, from the
client's call to its result, freshness check of the notebook included.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import anyio
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator

from corpus import imported_notebook

from tilbook.mcp.server import build_server


@asynccontextmanager
async def session(nb: Path) -> AsyncIterator[Any]:
    """An in-memory client of the server, on either major version of the SDK (as tests/mcp do)."""
    server = build_server(nb)
    try:
        from mcp import Client  # type: ignore[attr-defined]  # 2.x
    except ImportError:
        from mcp.shared.memory import create_connected_server_and_client_session

        async with create_connected_server_and_client_session(server._mcp_server) as connected:
            yield connected
        return
    async with Client(server, mode="legacy") as client:
        yield client

QUERIES = ["tensor", "socket", "dec", "텐서", "함수", "오류의", "동작합니다", "개", "\"context manager\"", "텐서 socket",
           "immutable로", "map_fn"]


async def measure(nb: Path, calls: int) -> list[float]:
    timings: list[float] = []
    by_query: dict[str, list[float]] = {}
    async with session(nb) as client:
        started = time.perf_counter()
        await client.call_tool("search_notes", {"query": "warm"})
        print(f"first call (builds the local index once): {time.perf_counter() - started:.2f} s")
        for index in range(calls):
            query = QUERIES[index % len(QUERIES)]
            started = time.perf_counter()
            result = await client.call_tool("search_notes", {"query": query})
            timings.append(1000 * (time.perf_counter() - started))
            by_query.setdefault(query, []).append(timings[-1])
            assert not getattr(result, "is_error", None) and not getattr(result, "isError", False), result.content
    for query, spent in by_query.items():
        print(f"  {query:<20} median {statistics.median(spent):6.1f} ms")
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notes", type=int)
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--notebook", type=Path, help="Use this notebook (of that many notes) instead of importing one.")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="tilbook-bench-mcp-"))
    try:
        nb = args.notebook or imported_notebook(args.notes, work)[0]
        timings = anyio.run(measure, nb, args.calls)
        ordered = sorted(timings)
        p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
        print(f"search_notes over MCP at {args.notes} notes, {args.calls} calls: "
              f"p50 {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms, max {ordered[-1]:.1f} ms")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
