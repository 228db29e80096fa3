"""Every tool through the SDK's client, in memory: what it returns (text and structured data),
Korean queries, drafts hidden unless asked, and the refusals of paths outside notes/."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tests.mcp.conftest import connect, field, is_error, structured

pytestmark = pytest.mark.anyio
TOOLS = {"search_notes", "read_note", "list_notes", "add_note", "append_to_note", "check", "export_digest"}


def text(result: Any) -> str:
    return " ".join(getattr(block, "text", "") for block in result.content)


async def call(client: Any, tool: str, **arguments: Any) -> dict[str, Any]:
    result = await client.call_tool(tool, arguments)
    assert not is_error(result), text(result)
    assert structured(result) is not None
    return dict(structured(result))


async def refused(client: Any, tool: str, **arguments: Any) -> str:
    result = await client.call_tool(tool, arguments)
    assert is_error(result)
    return text(result)


async def test_the_tools_are_listed_with_output_schemas(client: Any) -> None:
    tools = {tool.name: tool for tool in (await client.list_tools()).tools}
    assert set(tools) == TOOLS  # related_notes waits for the related-notes feature (tilbook.related)
    assert all(field(tool, "outputSchema") for tool in tools.values())


@pytest.mark.parametrize("query, found", [("텐서", "tf.map_fn"), ("immutable로", "튜플은"), ("socket", "context manager"),
                                          ("함수", "tf.map_fn"), ("키가", "튜플은")])
async def test_search_finds_korean_and_english(client: Any, query: str, found: str) -> None:
    data = await call(client, "search_notes", query=query)
    assert data["count"] >= 1 and found in data["results"][0]["title"]
    hit = data["results"][0]
    assert set(hit) == {"date", "title", "category", "tags", "path", "url", "draft", "snippet"}
    assert hit["path"].startswith("notes/2024/") and hit["url"].startswith("https://example.org/2024/05/")
    assert "<mark>" in hit["snippet"]


async def test_search_filters_and_readable_text(client: Any) -> None:
    assert (await call(client, "search_notes", query="텐서", category="Python"))["count"] == 0
    assert (await call(client, "search_notes", query="immutable", tag="자료구조"))["count"] == 1
    assert (await call(client, "search_notes", query="immutable", since="2024-05-23"))["count"] == 0
    assert (await call(client, "search_notes", query="immutable", until="2024-05-22"))["count"] == 1
    result = await client.call_tool("search_notes", {"query": "텐서"})
    assert "tf.map_fn" in text(result) and "**텐서**" in text(result)


async def test_drafts_are_hidden_unless_asked(client: Any) -> None:
    result = await client.call_tool("search_notes", {"query": "zqsecret"})
    assert "zqsecret" not in text(result) + str(structured(result))
    assert (await call(client, "search_notes", query="zqsecret", drafts=True))["results"][0]["draft"] is True
    listed = await call(client, "list_notes")
    assert listed["total"] == 3 and not any(n["draft"] for n in listed["notes"])
    assert (await call(client, "list_notes", drafts=True))["total"] == 4
    draft = (await call(client, "list_notes", drafts=True, since="2024-05-23", until="2024-05-23"))["notes"][0]
    message = await refused(client, "read_note", path_or_slug=draft["path"])
    assert "is a draft" in message and "초안:" not in message  # the path it was given, never the body
    assert "zqsecret" in (await call(client, "read_note", path_or_slug=draft["path"], drafts=True))["body"]
    assert "zqsecret" not in (await call(client, "export_digest"))["markdown"]


async def test_list_notes_newest_first_with_filters(client: Any) -> None:
    listed = await call(client, "list_notes", limit=2)
    assert listed["total"] == 3 and [n["date"] for n in listed["notes"]] == ["2024-05-29", "2024-05-22"]
    assert [n["category"] for n in (await call(client, "list_notes", category="ml"))["notes"]] == ["ML"]
    assert (await call(client, "list_notes", tag="socket"))["total"] == 1


async def test_read_note_by_path_file_name_date_slug_or_slug(client: Any) -> None:
    hit = (await call(client, "search_notes", query="socket"))["results"][0]
    note = await call(client, "read_note", path_or_slug=hit["path"])
    assert note["front_matter"]["category"] == "Python" and note["front_matter"]["date"] == "2024-05-29"
    assert note["body"].startswith("A context manager")
    stem = Path(hit["path"]).stem
    slug = stem[len("2024-05-29-"):]
    for name in (hit["path"][len("notes/"):], stem, stem + ".md", f"2024-05-29/{slug}", slug):
        assert (await call(client, "read_note", path_or_slug=name))["path"] == hit["path"], name
    assert "no note" in await refused(client, "read_note", path_or_slug="no-such-note")


@pytest.mark.parametrize("name", ["../../../../etc/passwd", "/etc/passwd", "notes/../tilbook.toml",
                                  "notes/2024/../../tilbook.toml", "..\\..\\etc\\passwd", "~/.ssh/id_rsa"])
async def test_paths_outside_the_notes_folder_are_refused(client: Any, name: str) -> None:
    for tool, extra in (("read_note", {}), ("append_to_note", {"text": "x"}), ("check", {})):
        arguments = {"path" if tool == "check" else "path_or_slug": name, **extra}
        message = await refused(client, tool, **arguments)
        assert "root:" not in message and ("refused" in message or "absolute" in message or "outside" in message)


async def test_a_symlink_out_of_the_notebook_is_never_served(nb: Path, tmp_path: Path) -> None:
    from tilbook.mcp.server import build_server

    outside = tmp_path / "secret.md"
    outside.write_text("---\ndate: 2024-05-21\ncategory: Python\n---\nzqoutside 비밀\n", encoding="utf-8")
    os.symlink(outside, nb / "notes" / "2024" / "2024-05-21-link.md")
    async with connect(build_server(nb)) as client:
        assert "zqoutside" not in str((await call(client, "search_notes", query="zqoutside"))["results"])
        assert all("link" not in n["path"] for n in (await call(client, "list_notes"))["notes"])
        message = await refused(client, "read_note", path_or_slug="notes/2024/2024-05-21-link.md")
        assert "outside" in message and "zqoutside" not in message
        await refused(client, "append_to_note", path_or_slug="notes/2024/2024-05-21-link.md", text="x")
    assert outside.read_text(encoding="utf-8").endswith("비밀\n")


async def test_add_note_goes_through_new_and_reports_findings(client: Any, nb: Path) -> None:
    before = set((nb / "notes").rglob("*.md"))
    written = await call(client, "add_note", text="`zip(*rows)`로 행렬을 전치한다.", category="python",
                         tags=["itertools"], date="2024-06-01")
    assert set((nb / "notes").rglob("*.md")) - before == {nb / written["path"]}
    assert written["path"].startswith("notes/2024/2024-06-01-") and written["findings"] == []
    assert (await call(client, "search_notes", query="전치"))["results"][0]["path"] == written["path"]
    broken = await call(client, "add_note", text="각주가 없다[^9].", category="ML", date="2024-06-02")
    assert any(f["path"] == broken["path"] and f["line"] > 1 for f in broken["findings"])
    assert "unknown category" in await refused(client, "add_note", text="x", category="요리")
    assert "empty" in await refused(client, "add_note", text="  ", category="ML")
    assert "not a date" in await refused(client, "add_note", text="x", category="ML", date="어제")


async def test_append_is_atomic_and_returns_findings(client: Any, nb: Path) -> None:
    path = (await call(client, "search_notes", query="socket"))["results"][0]["path"]
    written = await call(client, "append_to_note", path_or_slug=path, text="`contextlib.closing`도 같은 일을 한다.")
    assert written["path"] == path and written["findings"] == []
    assert (nb / path).read_text(encoding="utf-8").endswith("raises.\n\n`contextlib.closing`도 같은 일을 한다.\n")
    assert (await call(client, "search_notes", query="closing"))["count"] == 1
    assert not list((nb / "notes" / "2024").glob(".*.tmp"))


async def test_check_returns_structured_findings(client: Any, nb: Path) -> None:
    assert (await call(client, "check"))["findings"] == []
    bad = await call(client, "add_note", text="수식 $\\frac{1}{$ 이 깨졌다[^1].", category="ML", date="2024-06-03")
    everything = await call(client, "check")
    assert everything["errors"] + everything["warnings"] >= 1
    one = await call(client, "check", path=bad["path"])
    assert one["findings"] and {f["path"] for f in one["findings"]} == {bad["path"]}
    assert set(one["findings"][0]) == {"rule", "severity", "path", "line", "message"}


async def test_export_digest_of_a_category(client: Any) -> None:
    digest = await call(client, "export_digest", category="Python")
    assert digest["notes"] == 2 and "immutable로" in digest["markdown"] and "tf.map_fn" not in digest["markdown"]
    assert "no published note" in await refused(client, "export_digest", tag="없는태그")
