"""`tilbook check`: lint a notebook or digest posts; exit 1 when an error-level finding remains."""
from __future__ import annotations

import json
import sys
from itertools import groupby
from pathlib import Path

import click

from ..config import CONFIG_NAME, Config, load_config
from ..errors import NotebookNotFound, UsageError
from ..notes import find_notebook
from ..checks import Target, fix, is_notebook, run_checks


def _targets(paths: tuple[str, ...]) -> tuple[list[Target], Config | None]:
    directory = click.get_current_context().find_root().obj.get("directory")
    if not paths:
        return [Target(find_notebook(Path(directory or ".")), True)], None
    targets = []
    for raw in paths:
        path = Path(raw)
        if is_notebook(path):
            targets.append(Target(path.resolve(), True))
        elif path.is_file():
            targets.append(Target(path, False))
        elif path.is_dir():
            raise UsageError(f"{path} is a folder without {CONFIG_NAME}", hint="pass a notebook folder or post files")
        else:
            raise UsageError(f"{path} does not exist", hint="pass a notebook folder or post files")
    try:  # posts are checked with the settings of the notebook we are in, if any (macros, categories)
        config: Config | None = load_config(find_notebook(Path(directory or ".")) / CONFIG_NAME)
    except NotebookNotFound:
        config = None
    return targets, config


@click.command("check")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="One JSON object per finding.")
@click.option("--fix", "apply_fix", is_flag=True, help="Repair what is safe to repair, then check again.")
def check(paths: tuple[str, ...], as_json: bool, apply_fix: bool) -> None:
    """Lint a notebook (default: the one you are in) or digest POST files."""
    targets, config = _targets(paths)
    if apply_fix:
        for target in targets:
            for change in fix(target, config):
                click.echo(f"{change.path}:{change.line}: fixed: {change.what}", err=as_json)
    findings = [f for target in targets for f in run_checks(target, config)]
    if as_json:
        for item in findings:
            click.echo(json.dumps(item.as_json(), ensure_ascii=False))
    else:
        for path, group in groupby(findings, key=lambda f: f.path):
            click.secho(path, bold=True)
            for item in group:
                colour = {"error": "red", "warning": "yellow"}.get(item.severity, None)
                click.echo(f"  {item.line:>5}  " + click.style(f"{item.severity:<7}", fg=colour)
                           + f"  {item.rule:<21}  {item.message}")
        errors = sum(1 for f in findings if f.severity == "error")
        warnings = sum(1 for f in findings if f.severity == "warning")
        files = len({f.path for f in findings})
        click.echo(f"{errors} {'error' if errors == 1 else 'errors'}, {warnings} "
                   f"{'warning' if warnings == 1 else 'warnings'} in {files} {'file' if files == 1 else 'files'}")
    sys.exit(1 if any(f.severity == "error" for f in findings) else 0)
