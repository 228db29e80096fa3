"""`tilbook deploy`: publish the site to a git branch (`--branch`) or a folder (`--to`)."""
from __future__ import annotations

from pathlib import Path

import click

from ..errors import UsageError
from .common import notebook_root


@click.command()
@click.argument("notebook", required=False, type=click.Path(file_okay=False))
@click.option("--branch", help="Commit the site as the whole tree of this branch (e.g. gh-pages).")
@click.option("--remote", default="origin", show_default=True, help="Remote that --push pushes to.")
@click.option("--push", is_flag=True, help="Push the branch to the remote afterwards.")
@click.option("--to", "folder", type=click.Path(file_okay=False), help="Mirror the site into this folder instead.")
@click.option("--delete-unknown", is_flag=True, help="With --to: remove files in the folder tilbook did not put there.")
@click.option("-o", "--output", type=click.Path(file_okay=False),
              help="Deploy this finished build (default: build the published site now).")
@click.option("--cname", help="Also publish a CNAME file naming this host (GitHub Pages custom domain).")
@click.option("--allow-dirty", is_flag=True, help="Deploy even with uncommitted changes to notes or settings.")
def deploy(notebook: str | None, branch: str | None, remote: str, push: bool, folder: str | None,
           delete_unknown: bool, output: str | None, cname: str | None, allow_dirty: bool) -> None:
    """Publish the site: to a git branch (never touching your checkout) or into a folder."""
    from ..deploy import deploy_to_branch, deploy_to_folder

    if (branch is None) == (folder is None):
        raise UsageError("deploy needs exactly one of --branch BRANCH and --to DIR",
                         hint="e.g. tilbook deploy --branch gh-pages --push")
    if push and branch is None:
        raise UsageError("--push needs --branch", hint="a folder is written directly")
    if delete_unknown and folder is None:
        raise UsageError("--delete-unknown needs --to DIR", hint="a branch holds only the site anyway")
    root = notebook_root(notebook)
    built = Path(output) if output else None
    if branch is not None:
        result = deploy_to_branch(root, branch, remote=remote, push=push, output=built, cname=cname,
                                  allow_dirty=allow_dirty)
    else:
        assert folder is not None
        result = deploy_to_folder(root, Path(folder), output=built, cname=cname, allow_dirty=allow_dirty,
                                  delete_unknown=delete_unknown)
    for warning in result.warnings:
        click.echo(warning, err=True)
    click.echo(result.summary())
