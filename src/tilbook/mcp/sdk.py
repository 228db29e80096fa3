"""The parts of the `mcp` SDK the server uses, on either major version.

pyproject pins `mcp>=1.26,<2`: 1.x's client reads tool results as `isError`/`structuredContent`,
the names clients written against it (the project's acceptance script among them) use, and 2.x's
client does not (its `CallToolResult` has `is_error`/`structured_content`). The server itself runs
on both, through this module alone, so moving to 2.x is a change of the pin:

- the server class: 2.x's `mcp.server.mcpserver.MCPServer`, 1.x's `mcp.server.fastmcp.FastMCP`
  (the same decorators; 1.x takes the HTTP host and port in its constructor, 2.x in `run`, and
  only 2.x takes a version);
- `ToolError` and `ResourceError`, from the package of that class;
- protocol models built from their wire (camelCase) names, which 1.x uses as field names and
  2.x accepts as aliases (1.x would keep a snake_case keyword as an unknown extra field).
"""
from __future__ import annotations

from typing import Any

from mcp.types import CallToolResult, Resource, TextContent

try:  # mcp 2.x
    from mcp.server.mcpserver import MCPServer as Server
    from mcp.server.mcpserver.exceptions import ResourceError, ToolError

    V2 = True
except ImportError:  # mcp 1.x
    from mcp.server.fastmcp import FastMCP as Server  # type: ignore[assignment,no-redef,attr-defined]
    from mcp.server.fastmcp.exceptions import ResourceError, ToolError  # type: ignore[assignment,no-redef]

    V2 = False

__all__ = ["V2", "ResourceError", "Server", "ToolError", "note_resource", "run_http", "server_options", "set_version",
           "tool_result"]


def server_options(*, version: str, host: str | None = None, port: int | None = None) -> dict[str, Any]:
    """Constructor keywords beyond name, instructions and log level: 1.x takes HTTP settings there
    (and derives its DNS-rebinding protection from the host), 2.x the version."""
    if V2:
        return {"version": version}
    return {} if host is None or port is None else {"host": host, "port": port}


def set_version(server: Any, version: str) -> None:
    """1.x's constructor takes no version: set it on the low-level server, which reports it."""
    if not V2:
        server._mcp_server.version = version


def run_http(server: Any, *, host: str, port: int) -> None:
    """Streamable HTTP at http://host:port/mcp (on 1.x host and port were given to the constructor)."""
    if V2:
        server.run("streamable-http", host=host, port=port)
    else:
        server.run("streamable-http")


def tool_result(data: Any, text: str) -> CallToolResult:
    """A tool result: readable text for the model and the same data as structured content."""
    return CallToolResult.model_validate({"content": [TextContent(type="text", text=text)],
                                          "structuredContent": dict(data), "isError": False})


def note_resource(*, uri: str, name: str, title: str, description: str, mime_type: str) -> Resource:
    return Resource.model_validate({"uri": uri, "name": name, "title": title, "description": description,
                                    "mimeType": mime_type})
