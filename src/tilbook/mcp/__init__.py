"""`tilbook mcp`: the notebook as a Model Context Protocol server, so an assistant can file and
find notes. `server.build_server` registers the tools of `tools.py`, the resources and the
prompts of `prompts.py` on the SDK's `MCPServer`; `notes_access.py` keeps every path inside the
notes folder; `view.py` keeps the loaded notebook fresh between calls.

The SDK (`mcp`, a top-level package) is imported only by `server.py`, and only when the command
runs: importing this package costs other commands nothing.
"""
