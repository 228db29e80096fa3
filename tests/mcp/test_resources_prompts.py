"""Resources (one per published note, recent, categories, tags) and prompts, through the SDK's client."""
from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote, unquote

import pytest

from tests.mcp.conftest import MCPError, field, structured

pytestmark = pytest.mark.anyio


async def test_every_published_note_is_a_resource(client: Any) -> None:
    listed = {str(r.uri): r for r in (await client.list_resources()).resources}
    notes = [uri for uri in listed if uri.startswith("tilbook://notes/")]
    assert {"tilbook://recent", "tilbook://categories", "tilbook://tags"} <= set(listed)
    assert len(notes) == 3 and not any("zqsecret" in uri for uri in notes)
    templates = [field(t, "uriTemplate") for t in field(await client.list_resource_templates(), "resourceTemplates")]
    assert templates == ["tilbook://notes/{date}/{slug}"]
    for uri in notes:
        content = (await client.read_resource(uri)).contents[0]
        assert content.text.startswith("---\ndate: 2024-05-") and field(content, "mimeType") == "text/markdown"
    korean = next(unquote(uri) for uri in notes if "텐서" in unquote(uri))  # 1.x lists it percent-encoded
    date, slug = korean.removeprefix("tilbook://notes/").split("/")
    assert (await client.read_resource(korean)).contents[0].text.startswith("---\n")
    encoded = await client.read_resource(f"tilbook://notes/{date}/{quote(slug)}")
    assert "tf.map_fn" in encoded.contents[0].text


async def test_drafts_and_unknown_notes_are_not_resources(client: Any) -> None:
    listed = await client.call_tool("list_notes", {"drafts": True, "since": "2024-05-23", "until": "2024-05-23"})
    draft = structured(listed)["notes"][0]["path"]
    slug = draft.removeprefix("notes/2024/2024-05-23-").removesuffix(".md")
    for uri in (f"tilbook://notes/2024-05-23/{slug}", "tilbook://notes/2024-05-23/nothing",
                "tilbook://notes/2024-05-23/..%2F..%2Ftilbook.toml"):
        with pytest.raises(MCPError):
            await client.read_resource(uri)


async def test_recent_categories_and_tags(client: Any) -> None:
    recent = json.loads((await client.read_resource("tilbook://recent")).contents[0].text)
    assert [row["date"] for row in recent] == ["2024-05-29", "2024-05-22", "2024-05-20"]
    assert recent[0]["uri"].startswith("tilbook://notes/2024-05-29/")
    categories = json.loads((await client.read_resource("tilbook://categories")).contents[0].text)
    assert categories == [{"name": "Python", "emoji": "🐍", "notes": 2}, {"name": "ML", "emoji": "🤖", "notes": 1}]
    tags = json.loads((await client.read_resource("tilbook://tags")).contents[0].text)
    assert {row["name"] for row in tags} == {"tensorflow", "자료구조", "socket"}


async def test_write_til_gives_the_category_table_and_style(client: Any) -> None:
    prompts = {p.name: p for p in (await client.list_prompts()).prompts}
    assert {"write_til", "weekly_review"} <= set(prompts)
    message = (await client.get_prompt("write_til", {"topic": "파이썬 제너레이터"})).messages[0]
    text = message.content.text
    assert message.role == "user" and "파이썬 제너레이터" in text
    assert "🐍 Python (2 notes)" in text and "🤖 ML (1 notes)" in text and "add_note" in text
    assert "A context manager" in text and "zqsecret" not in text


async def test_weekly_review_holds_that_weeks_notes(client: Any) -> None:
    text = (await client.get_prompt("weekly_review", {"week": "2024-W21"})).messages[0].content.text
    assert "2024-05-20 – 2024-05-26" in text and "tf.map_fn" in text and "immutable로" in text
    assert "context manager" not in text and "zqsecret" not in text  # next week's note; a draft
    by_date = (await client.get_prompt("weekly_review", {"week": "2024-05-30"})).messages[0].content.text
    assert "context manager" in by_date
    empty = (await client.get_prompt("weekly_review", {"week": "2020-W01"})).messages[0].content.text
    assert "no published notes" in empty
    with pytest.raises(MCPError):
        await client.get_prompt("weekly_review", {"week": "지난주"})
