"""`tilbook mcp`: serve the notebook to an MCP client (an assistant) over stdio, or over
streamable HTTP on a loopback address."""
from __future__ import annotations

import ipaddress

import click

from ..errors import UsageError
from .common import notebook_root


def loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@click.command("mcp")
@click.option("--http", "port", type=click.IntRange(1, 65535), metavar="PORT",
              help="Serve streamable HTTP at http://HOST:PORT/mcp instead of stdio.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Loopback address for --http.")
def mcp(port: int | None, host: str) -> None:
    """Serve the notebook as an MCP server (tools, resources, prompts) on stdio, or on loopback HTTP."""
    root = notebook_root()
    if not loopback(host):
        raise UsageError(f"--host {host} is not a loopback address; the server has no authentication",
                         hint="use 127.0.0.1, ::1 or localhost")
    from ..mcp.server import run_http, run_stdio

    if port is None:
        run_stdio(root)
    else:
        click.echo(f"tilbook mcp: http://{host}:{port}/mcp (Ctrl-C stops)", err=True)
        run_http(root, host=host, port=port)
