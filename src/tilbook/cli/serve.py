"""`tilbook serve`: the preview server with drafts and live reload."""
from __future__ import annotations

import sys

import click

from .common import notebook_root


@click.command("serve")
@click.argument("notebook", required=False, type=click.Path(file_okay=False))
@click.option("--port", "-p", type=int, default=8000, show_default=True, help="Port (0: any free port).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--open", "open_browser", is_flag=True, help="Open the site in a browser.")
def serve(notebook: str | None, port: int, host: str, open_browser: bool) -> None:
    """Preview the site with drafts, rebuilding and reloading on every change."""
    from ..serve import run_server

    root = notebook_root(notebook)
    run_server(root, host, port, open_browser, lambda line: click.echo(line, err=True))
    sys.exit(0)
