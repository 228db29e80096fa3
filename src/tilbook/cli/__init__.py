"""The `tilbook` command: a thin layer that parses options, calls the library and prints.

One module per command (imported only when that command runs, for a fast start-up). This
package is the only place that imports click or decides an exit status: library errors
(TilbookError) become one line on stderr naming file and line, with exit status 2 for bad input;
`check` and `search` exit 1 for findings or no results; no traceback ever reaches the user.
"""
from __future__ import annotations

import importlib
import os
import sys

import click

from ..errors import TilbookError

COMMANDS = {
    "init": "init", "new": "new", "import": "import_", "export": "export", "list": "list_",
    "check": "check", "search": "search", "build": "build", "serve": "serve", "db": "db",
    "deploy": "deploy", "review": "review", "mcp": "mcp", "related": "related",
}
"""Command name → the module of tilbook.cli that defines it, as a click command of the module's name."""


class _LazyGroup(click.Group):
    """Commands are imported only when used."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module = importlib.import_module(f"{__name__}.{COMMANDS[name]}")
        command: click.Command = getattr(module, COMMANDS[name])
        return command


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-C", "directory", type=click.Path(file_okay=False), help="Run in this notebook folder.")
@click.version_option(package_name="tilbook")
@click.pass_context
def cli(ctx: click.Context, directory: str | None) -> None:
    """tilbook: a Today-I-Learned notebook of plain markdown notes."""
    ctx.obj = {"directory": directory}


def main() -> None:
    """Entry point: run the CLI and turn every library error into one line and a status."""
    try:
        cli.main(standalone_mode=False)
    except TilbookError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_status)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except OSError as exc:
        click.echo(f"error: {exc.filename or ''}: {exc.strerror or exc}", err=True)
        sys.exit(2)
    except Exception as exc:  # a bug: still one line, and a way to see more
        if os.environ.get("TILBOOK_DEBUG"):
            raise
        click.echo(f"error: internal error {type(exc).__name__}: {exc} "
                   "(please report it; TILBOOK_DEBUG=1 shows the traceback)", err=True)
        sys.exit(70)


if __name__ == "__main__":
    main()
