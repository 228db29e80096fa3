"""The site mirrored into a folder (a mounted share, a web root) that readers may be using.

New and changed files are written first, each atomically (a reader sees the old file or the new
one), and only then are files of the previous deploy removed, so links never point at a page that
is not there yet. A manifest in the folder (MANIFEST) lists what tilbook put there: a file not in
it is someone else's and is refused (or, with `delete_unknown`, removed). Nothing outside the
folder is ever written or removed.
"""
from __future__ import annotations

import json
from pathlib import Path, PurePosixPath

from ..errors import DeployError
from ..fsutil import atomic_write
from ..notes import NOTES_DIR
from ..site.outfolder import remove_empty_folders, safe_relpath, unsafe_folder_reason, walk_files
from .content import DeployResult, SiteFiles, read

MANIFEST = ".tilbook-deploy.json"


def mirror_site(root: Path, files: SiteFiles, folder: Path, *, site: Path, delete_unknown: bool) -> DeployResult:
    """Make `folder` hold exactly `files` (plus MANIFEST); `site` is the build they come from."""
    folder = _check_folder(root, folder, site)
    previous = _load_manifest(folder)
    present = walk_files(folder) - {MANIFEST}
    unknown = sorted(present - previous)
    if unknown and not delete_unknown:
        raise DeployError(f"refusing to deploy into {folder}: {len(unknown)} files tilbook did not put there, "
                          f"e.g. {unknown[0]}", hint="choose an empty folder, or pass --delete-unknown to remove them")
    result = DeployResult(target=str(folder), files=len(files))
    for rel, item in files.items():
        path = _inside(folder, rel)
        data = read(item)
        if rel not in unknown and _holds(path, data):
            continue
        atomic_write(path, data, durable=False)
        result.changed += 1
    stale = sorted((previous | set(unknown)) - set(files))
    _save_manifest(folder, set(files) | set(stale))  # a deploy killed now still knows the stale files are ours
    for rel in stale:
        _inside(folder, rel).unlink(missing_ok=True)
    remove_empty_folders(folder, {_inside(folder, rel).parent for rel in stale})
    result.removed = len(stale)
    _save_manifest(folder, set(files))
    return result


def _check_folder(root: Path, folder: Path, site: Path) -> Path:
    folder = folder.expanduser().resolve()
    site = site.resolve()
    why = unsafe_folder_reason(folder, root, root / NOTES_DIR)
    if why is None and (folder.is_relative_to(site) or site.is_relative_to(folder)):
        why = "it overlaps the built site"
    if why is None and folder.exists() and not folder.is_dir():
        why = "it is a file"
    if why:
        raise DeployError(f"refusing to deploy into {folder}: {why}", hint="choose a folder of its own")
    return folder


def _load_manifest(folder: Path) -> set[str]:
    path = folder / MANIFEST
    if not path.exists():
        return set()
    try:
        listed = json.loads(path.read_text(encoding="utf-8"))["files"]
        return {safe_relpath(rel) for rel in listed}
    except (ValueError, KeyError, TypeError):
        raise DeployError(f"refusing to deploy into {folder}: {MANIFEST} is not a tilbook deploy manifest",
                          hint="delete it if tilbook did not write it") from None


def _save_manifest(folder: Path, files: set[str]) -> None:
    atomic_write(folder / MANIFEST, json.dumps({"generator": "tilbook deploy", "files": sorted(files)},
                                               ensure_ascii=False, indent=1) + "\n")


def _inside(folder: Path, rel: str) -> Path:
    """The path of `rel` in `folder`, refused when it (through a link or `..`) would leave it."""
    path = folder.joinpath(*PurePosixPath(safe_relpath(rel)).parts)
    if not path.parent.resolve().is_relative_to(folder) or path.is_symlink():
        raise DeployError(f"refusing to write {path}: it leads outside {folder}", hint="remove the link")
    return path


def _holds(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except (FileNotFoundError, NotADirectoryError):
        return False

