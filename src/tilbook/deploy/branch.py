"""The site as the whole tree of a git branch, made with plumbing only.

Blobs are written with `hash-object` (no filters: the site's bytes exactly), listed in a temporary
index (GIT_INDEX_FILE) and turned into a tree; `commit-tree` and `update-ref` make the branch point
at it. HEAD, the user's index and work tree are never read for writing or changed, and nothing is
checked out. A tree equal to the branch's current one makes no commit.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

from ..errors import DeployError
from .content import DeployResult, SiteFiles
from .git import git, out


def commit_site(root: Path, files: SiteFiles, branch: str, *, message: str, remote: str,
                push: bool) -> DeployResult:
    """Commit `files` as the tree of `branch` in the repository of `root`; push it with `push`."""
    ref = f"refs/heads/{branch}"
    _check_branch(root, branch, ref)
    if push:
        _fetch(root, remote, branch)
    parent = _parent(root, ref, f"refs/remotes/{remote}/{branch}")
    tree = _write_tree(root, files)
    result = DeployResult(target=f"branch {branch}", files=len(files))
    parent_tree = out(root, "rev-parse", f"{parent}^{{tree}}") if parent else None
    if tree == parent_tree:
        result.commit = parent
    else:
        result.changed, result.removed = _differences(root, parent_tree, tree, len(files))
        result.commit = out(root, "commit-tree", tree, *(["-p", parent] if parent else []), "-m", message)
        result.committed = True
    old = out(root, "rev-parse", "--verify", "-q", ref) if _exists(root, ref) else ""
    if result.commit != old:
        # with the old value: a branch moved by someone else meanwhile makes this fail, not lose work
        assert result.commit is not None
        git(root, "update-ref", "-m", "tilbook deploy", ref, result.commit, old or "0" * 40)
    if push:
        git(root, "push", "--quiet", remote, f"{ref}:{ref}")
        result.pushed = remote
    return result


def _check_branch(root: Path, branch: str, ref: str) -> None:
    if git(root, "check-ref-format", ref, ok=(0, 1)).returncode != 0 or branch.startswith("-"):
        raise DeployError(f"--branch {branch!r} is not a valid branch name", hint="e.g. --branch gh-pages")
    worktrees = out(root, "worktree", "list", "--porcelain").splitlines()
    if f"branch {ref}" in worktrees:
        raise DeployError(f"refusing to deploy to {branch}: it is checked out",
                          hint="deploy to a branch of its own, e.g. --branch gh-pages")


def _exists(root: Path, ref: str) -> bool:
    return git(root, "rev-parse", "--verify", "-q", f"{ref}^{{commit}}", ok=(0, 1)).returncode == 0


def _fetch(root: Path, remote: str, branch: str) -> None:
    """Bring the remote's branch into its remote-tracking ref (a fresh CI clone may lack it)."""
    listed = git(root, "ls-remote", "--exit-code", remote, f"refs/heads/{branch}", ok=(0, 2))
    if listed.returncode == 0:
        git(root, "fetch", "--quiet", remote, f"+refs/heads/{branch}:refs/remotes/{remote}/{branch}")


def _parent(root: Path, local: str, tracking: str) -> str | None:
    """The commit the deploy builds on: the local branch, or the remote one when the local branch is
    missing or behind it (so the push is a fast-forward); None for the first deploy."""
    mine = out(root, "rev-parse", local) if _exists(root, local) else None
    theirs = out(root, "rev-parse", tracking) if _exists(root, tracking) else None
    if mine is None or (theirs is not None and
                        git(root, "merge-base", "--is-ancestor", mine, theirs, ok=(0, 1)).returncode == 0):
        return theirs or mine
    return mine


def _write_tree(root: Path, files: SiteFiles) -> str:
    with tempfile.TemporaryDirectory(prefix="tilbook-deploy-") as scratch:
        paths: list[str] = []
        for number, item in enumerate(files.values()):
            if isinstance(item, bytes):  # made by deploy itself (.nojekyll, CNAME)
                made = Path(scratch, f"blob-{number}")
                made.write_bytes(item)
                item = made
            paths.append(str(item.resolve()))
        if any("\n" in path for path in paths):
            raise DeployError("a site file name holds a line break", hint="rename the note")
        blobs = out(root, "hash-object", "-w", "--no-filters", "--stdin-paths", stdin="\n".join(paths) + "\n")
        index_info = "".join(f"100644 {blob}\t{rel}\0" for rel, blob in zip(files, blobs.split()))
        temporary_index = {"GIT_INDEX_FILE": str(Path(scratch, "index"))}
        git(root, "update-index", "--add", "-z", "--index-info", stdin=index_info, env=temporary_index)
        return out(root, "write-tree", env=temporary_index)


def _differences(root: Path, before: str | None, after: str, total: int) -> tuple[int, int]:
    """(added or changed, removed) files between two trees."""
    if before is None:
        return total, 0
    status = out(root, "diff-tree", "-r", "--no-renames", "--name-status", before, after).splitlines()
    removed = sum(1 for line in status if line.startswith("D"))
    return len(status) - removed, removed
