"""The MCP server: `tools`, the resources and the prompts registered on the SDK's server class
(`sdk.Server`: `FastMCP` on mcp 1.x, `MCPServer` on 2.x).

Each tool returns a `CallToolResult` with readable text for the model and the same data as
`structuredContent` (validated against the TypedDict named in its `Annotated` return type, which
the SDK also publishes as the tool's output schema). A library error (a refused path, an unknown
note or category) becomes a tool error result with its message, never a crash of the server.
Nothing here runs a shell or touches a file outside the notebook.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar
from urllib.parse import unquote

import anyio.to_thread
from mcp.types import CallToolResult, Resource

from ..errors import TilbookError
from ..version import __version__
from . import prompts, sdk, tools
from .sdk import ResourceError, ToolError
from .view import NotebookView

NAME = "tilbook"
INSTRUCTIONS = """A Today-I-Learned notebook of markdown notes (one note: one thing learned, with a date,
a category and tags). search_notes finds notes (Korean and English, any substring of 3+ characters,
Korean words of 1-2 syllables too); read_note reads one by the path search or list gives; add_note
files a new note (pick a category from tilbook://categories) and append_to_note adds to one; check
lints them. Drafts stay hidden unless a call passes drafts=true."""

_T = TypeVar("_T")


def _call(action: Callable[[], _T]) -> _T:
    """Run one library call; a TilbookError (or an OS error) becomes the tool's error message."""
    try:
        return action()
    except TilbookError as exc:
        raise ToolError(str(exc)) from None
    except OSError as exc:
        raise ToolError(f"{exc.filename or ''}: {exc.strerror or exc}".lstrip(": ")) from None


def _marks(snippet: str) -> str:
    return re.sub(r"</?mark>", "**", snippet)


def _note_line(index: int, note: tools.NoteSummary) -> str:
    draft = " (draft)" if note["draft"] else ""
    tags = f" · #{' #'.join(note['tags'])}" if note["tags"] else ""
    return f"{index}. {note['title']}{draft} — {note['date']} · {note['category']}{tags} · {note['path']}"


def _findings_text(findings: list[tools.FindingData]) -> str:
    if not findings:
        return "check: no findings."
    return "check findings:\n" + "\n".join(f"- {f['path']}:{f['line']} {f['severity']} [{f['rule']}] {f['message']}"
                                           for f in findings)


class NotebookServer(sdk.Server[Any]):
    """The SDK's server that also lists one resource per published note (a template alone is not listed)."""

    def __init__(self, view: NotebookView, **settings: Any) -> None:
        super().__init__(**settings)
        self.view = view

    async def list_resources(self) -> list[Resource]:
        static = await super().list_resources()
        return static + await anyio.to_thread.run_sync(self._note_resources)

    def _note_resources(self) -> list[Resource]:
        with self.view.snapshot() as snap:
            return [sdk.note_resource(uri=prompts.note_uri(note), name=note.rel, title=note.title,
                                      description=f"{note.date.isoformat()} · {note.category}",
                                      mime_type="text/markdown")
                    for note in prompts.recent(snap.notebook, len(snap.notebook.notes))]


def build_server(root: Path, *, host: str | None = None, port: int | None = None) -> NotebookServer:
    """The server of the notebook at `root` (which must hold tilbook.toml); `host` and `port` are
    where `run_http` will listen."""
    view = NotebookView(root)
    server = NotebookServer(view, name=NAME, instructions=INSTRUCTIONS, log_level="WARNING",
                            **sdk.server_options(version=__version__, host=host, port=port))
    sdk.set_version(server, __version__)
    _add_tools(server, view)
    _add_resources(server, view)
    _add_prompts(server, view)
    return server


def _add_tools(server: NotebookServer, view: NotebookView) -> None:
    @server.tool()
    def search_notes(query: str, category: str | None = None, tag: str | None = None, since: str | None = None,
                     until: str | None = None, drafts: bool = False,
                     limit: int = 10) -> Annotated[CallToolResult, tools.SearchResult]:
        """Find notes matching every word of the query, best first: Korean substrings of any length
        (`텐서` finds `텐서플로우의`), English words, "quoted phrases". Optional filters: category, tag,
        since/until (YYYY-MM-DD, inclusive), drafts (default false). Returns date, title, category,
        path, snippet and url of each note."""
        found = _call(lambda: tools.search_notes(view, query, category=category, tag=tag, since=since, until=until,
                                                 drafts=drafts, limit=limit))
        lines = [f"{found['count']} notes match" + (":" if found["count"] else ".")]
        for index, hit in enumerate(found["results"], 1):
            lines += [_note_line(index, hit), f"   {_marks(hit['snippet'])}"]
        return sdk.tool_result(found, "\n".join(lines))

    @server.tool()
    def read_note(path_or_slug: str, drafts: bool = False) -> Annotated[CallToolResult, tools.NoteText]:
        """Read one note: its front matter and markdown body. Pass the path from search_notes or
        list_notes (`notes/2024/2024-05-21-x.md`), a date and slug (`2024-05-21/x`) or a slug."""
        note = _call(lambda: tools.read_note(view, path_or_slug, drafts=drafts))
        head = f"# {note['title']}\n{note['date']} · {note['category']} · {note['path']}"
        if note["tags"]:
            head += " · tags: " + ", ".join(note["tags"])
        return sdk.tool_result(note, f"{head}\n\n{note['body']}")

    @server.tool()
    def list_notes(category: str | None = None, tag: str | None = None, since: str | None = None,
                   until: str | None = None, drafts: bool = False,
                   limit: int | None = 50) -> Annotated[CallToolResult, tools.NoteList]:
        """List notes newest first, optionally of one category or tag, between since and until
        (YYYY-MM-DD, inclusive); at most `limit` (default 50), `total` says how many match."""
        listed = _call(lambda: tools.list_notes(view, category=category, tag=tag, since=since, until=until,
                                                drafts=drafts, limit=limit))
        lines = [f"{listed['total']} notes" + (f", the newest {len(listed['notes'])}:"
                                               if listed["total"] > len(listed["notes"]) else ":")]
        lines += [_note_line(index, note) for index, note in enumerate(listed["notes"], 1)]
        return sdk.tool_result(listed, "\n".join(lines))

    @server.tool()
    def add_note(text: str, category: str, tags: list[str] | None = None, title: str | None = None,
                 date: str | None = None, draft: bool = False) -> Annotated[CallToolResult, tools.Written]:
        """File a new note (markdown text) in one of the notebook's categories (see tilbook://categories),
        like `tilbook new`: dated today unless date (YYYY-MM-DD) is given, titled by its first
        sentence unless title is given; never replaces a note. Returns its path and the check
        findings of the new note."""
        written = _call(lambda: tools.add_note(view, text, category, tags=tags, title=title, date=date, draft=draft))
        return sdk.tool_result(written, f"Wrote {written['path']} ({written['url']}).\n"
                                        + _findings_text(written["findings"]))

    @server.tool()
    def append_to_note(path_or_slug: str, text: str,
                       drafts: bool = False) -> Annotated[CallToolResult, tools.Written]:
        """Add markdown text as a new paragraph at the end of a note (atomic; concurrent appends
        all land). Returns the check findings of the note."""
        written = _call(lambda: tools.append_to_note(view, path_or_slug, text, drafts=drafts))
        return sdk.tool_result(written, f"Appended to {written['path']}.\n{_findings_text(written['findings'])}")

    @server.tool()
    def check(path: str | None = None) -> Annotated[CallToolResult, tools.CheckResult]:
        """Lint the notebook like `tilbook check` (broken footnotes, math, images, links, front
        matter…), or only one note when path is given. Findings: rule, severity, path, line, message."""
        result = _call(lambda: tools.check(view, path))
        summary = f"{result['errors']} errors, {result['warnings']} warnings, {len(result['findings'])} findings."
        return sdk.tool_result(result, summary + "\n" + _findings_text(result["findings"]))

    @server.tool()
    def export_digest(category: str | None = None, tag: str | None = None) -> Annotated[CallToolResult, tools.Digest]:
        """The published notes (all, or of one category or tag) as one digest post in markdown,
        as `tilbook export` writes it."""
        digest = _call(lambda: tools.export_digest(view, category=category, tag=tag))
        return sdk.tool_result(digest, digest["markdown"])


def _add_resources(server: NotebookServer, view: NotebookView) -> None:
    @server.resource("tilbook://notes/{date}/{slug}", name="note", mime_type="text/markdown",
                     description="One published note as its markdown file (front matter and body).")
    def note(date: str, slug: str) -> str:
        try:
            found = tools.read_note(view, f"{unquote(date)}/{unquote(slug)}")
            return (view.root / found["path"]).read_text(encoding="utf-8")
        except (TilbookError, OSError) as exc:
            raise ResourceError(str(exc)) from None

    @server.resource("tilbook://recent", name="recent", mime_type="application/json",
                     description=f"The {prompts.RECENT} newest published notes.")
    def recent() -> str:
        with view.snapshot() as snap:
            rows = [{**tools.summary(snap.notebook, n), "uri": prompts.note_uri(n)}
                    for n in prompts.recent(snap.notebook)]
        return json.dumps(rows, ensure_ascii=False, indent=1)

    @server.resource("tilbook://categories", name="categories", mime_type="application/json",
                     description="The category table: name, emoji and number of published notes.")
    def categories() -> str:
        with view.snapshot() as snap:
            return json.dumps(prompts.category_table(snap.notebook), ensure_ascii=False, indent=1)

    @server.resource("tilbook://tags", name="tags", mime_type="application/json",
                     description="Every tag of the published notes with its number of notes, most used first.")
    def tags() -> str:
        with view.snapshot() as snap:
            return json.dumps(prompts.tag_table(snap.notebook), ensure_ascii=False, indent=1)


def _add_prompts(server: NotebookServer, view: NotebookView) -> None:
    @server.prompt()
    def write_til(topic: str) -> str:
        """Write a TIL note about a topic in this notebook's style and categories, then file it with add_note."""
        with view.snapshot() as snap:
            return prompts.write_til(snap.notebook, topic)

    @server.prompt()
    def weekly_review(week: str | None = None) -> str:
        """Summarise what was learned in one week (ISO week like 2024-W21, or a date in it; default this week)."""
        with view.snapshot() as snap:
            try:
                return prompts.weekly_review(snap.notebook, week)
            except TilbookError as exc:
                raise ValueError(str(exc)) from None


def run_stdio(root: Path) -> None:
    build_server(root).run("stdio")


def run_http(root: Path, *, host: str, port: int) -> None:
    """Streamable HTTP at http://host:port/mcp (the CLI allows loopback hosts only)."""
    sdk.run_http(build_server(root, host=host, port=port), host=host, port=port)
