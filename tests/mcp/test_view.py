"""The server's loaded notebook stays fresh: new files, in-place edits, removed notes."""
from __future__ import annotations

import os
from pathlib import Path

from tilbook.mcp import tools
from tilbook.mcp.view import NotebookView


def test_edits_made_outside_the_server_are_seen(nb: Path) -> None:
    view = NotebookView(nb, rescan_seconds=0)
    assert tools.search_notes(view, "zqfresh")["count"] == 0
    note = next(p for p in (nb / "notes" / "2024").glob("*.md") if "socket" in p.read_text(encoding="utf-8"))
    with open(note, "a", encoding="utf-8") as handle:  # in place: no folder changes
        handle.write("\nzqfresh 추가\n")
    assert tools.search_notes(view, "zqfresh")["count"] == 1
    os.unlink(note)
    assert tools.search_notes(view, "zqfresh")["count"] == 0
    assert tools.list_notes(view)["total"] == 2
