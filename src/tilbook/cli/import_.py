"""`tilbook import`: digest posts in, notes out; what was found is printed with its line."""
from __future__ import annotations

from pathlib import Path

import click

from .common import notebook_root, shown


@click.command("import")
@click.argument("posts", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Show what would be written, write nothing.")
def import_(posts: tuple[str, ...], dry_run: bool) -> None:
    """Split digest POSTS into notes (idempotent; sources are never modified)."""
    from ..importer import import_posts

    result = import_posts(notebook_root(), [Path(p) for p in posts], dry_run=dry_run)
    for path, finding in result.findings:
        state = "repaired" if finding.fixed else "note"
        click.echo(f"{shown(path)}:{finding.line}: {state}: [{finding.rule}] {finding.message}", err=True)
    verb = "would create" if dry_run else "created"
    for path in result.created:
        click.echo(f"{verb} {shown(path)}")
    for path in result.merged:
        click.echo(f"{'would merge' if dry_run else 'merged'} {shown(path)}")
    for image in result.images:
        click.echo(f"{'would copy' if dry_run else 'copied'} image {shown(image)}")
    for name, emoji in result.new_categories.items():
        click.echo(f"{'would add' if dry_run else 'added'} category {emoji} {name}".replace("  ", " "))
    click.echo(f"{len(result.created)} new, {len(result.merged)} merged, {len(result.unchanged)} unchanged"
               + (" (dry run: nothing written)" if dry_run else ""))
