"""`tilbook deploy`: publish the site to a git branch or mirror it into a folder, safely.

Both read top to bottom: refuse what must not be published (checks), build the published site or
take a finished build (never one with drafts), list the files to publish (content), then write
them to the branch (branch) or the folder (mirror).
"""
from __future__ import annotations

from pathlib import Path

from ..config import CONFIG_NAME, load_config
from ..errors import DeployError
from ..notes import cache_dir
from ..site.build import build_site
from .branch import commit_site
from .checks import check_base_url, check_committed
from .content import DeployResult, SiteFiles, check_cname, check_site, deployed_files
from .git import in_repository, source_commit
from .mirror import MANIFEST, mirror_site

__all__ = ["DeployResult", "MANIFEST", "deploy_to_branch", "deploy_to_folder"]

BUILD_FOLDER = "deploy-site"
"""Where deploy builds the site, inside the notebook's cache folder (ignored by git; kept between
deploys so the next build is incremental)."""


def deploy_to_branch(root: Path, branch: str, *, remote: str = "origin", push: bool = False,
                     output: Path | None = None, cname: str | None = None, allow_dirty: bool = False
                     ) -> DeployResult:
    """Commit the site as the whole tree of `branch` (plumbing only: the checkout is untouched)."""
    if not in_repository(root):
        raise DeployError(f"refusing to deploy to a branch: {root} is not in a git repository",
                          hint="run `git init` and commit the notes, or deploy with --to DIR")
    site, files, warnings, dirty = _prepare(root, output, cname, allow_dirty)
    result = commit_site(root, files, branch, message=_message(root, dirty), remote=remote, push=push)
    result.warnings = warnings
    return result


def deploy_to_folder(root: Path, folder: Path, *, output: Path | None = None, cname: str | None = None,
                     allow_dirty: bool = False, delete_unknown: bool = False) -> DeployResult:
    """Mirror the site into `folder` (see deploy.mirror)."""
    site, files, warnings, _ = _prepare(root, output, cname, allow_dirty)
    result = mirror_site(root, files, folder, site=site, delete_unknown=delete_unknown)
    result.warnings = warnings
    return result


def _prepare(root: Path, output: Path | None, cname: str | None, allow_dirty: bool
             ) -> tuple[Path, SiteFiles, list[str], bool]:
    """Every refusal first, then the build: (site folder, files to publish, warnings, dirty)."""
    if output is not None:
        site = output.expanduser().resolve()
        if not site.is_dir():
            raise DeployError(f"no site at {site}", hint="run `tilbook build -o` first, or leave out -o")
        check_site(site)
    if cname is not None:
        check_cname(cname)
    warnings = check_base_url(root, load_config(root / CONFIG_NAME))
    dirty = check_committed(root, allow_dirty)
    if output is None:
        built = build_site(root, cache_dir(root) / BUILD_FOLDER)
        warnings += [str(warning) for warning in built.warnings]
        site = built.out
        check_site(site)
    return site, deployed_files(site, cname), warnings, dirty


def _message(root: Path, dirty: bool) -> str:
    source = source_commit(root)
    message = f"Deploy site from {source[0]} ({source[1]})" if source else "Deploy site (the notebook has no commit)"
    return message + (" with uncommitted changes" if dirty else "")
