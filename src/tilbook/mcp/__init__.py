"""`tilbook mcp`: the notebook as a Model Context Protocol server, so an assistant can file and
find notes. `server.build_server` registers the tools of `tools.py`, the resources and the
prompts of `prompts.py` on the SDK's server class (`sdk.py` hides what differs between mcp 1.x's
`FastMCP` and 2.x's `MCPServer`); `notes_access.py` keeps every path inside the
notes folder; `view.py` keeps the loaded notebook fresh between calls.

The SDK (`mcp`, a top-level package) is imported only by `sdk.py` and `server.py`, and only when the command
runs: importing this package costs other commands nothing.
"""
