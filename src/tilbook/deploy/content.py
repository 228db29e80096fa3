"""What a deploy publishes: the files of a finished, draft-free build plus `.nojekyll` and `CNAME`."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DeployError
from ..site.outfolder import DRAFT_MARKER, MARKER, safe_relpath, walk_files

NOT_PUBLISHED = frozenset({MARKER, DRAFT_MARKER})
"""Build bookkeeping that stays out of a deployed site."""
_HOSTNAME = re.compile(r"(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]", re.I)

SiteFiles = dict[str, "bytes | Path"]
"""Site-relative `/` path → the bytes to publish, or the built file holding them."""


@dataclass
class DeployResult:
    """What one deploy did, for the command to print."""

    target: str
    """`branch gh-pages` or the folder mirrored into."""
    files: int
    """Files the deployed site holds."""
    changed: int = 0
    """Files added or changed (written to the folder, or differing from the branch's last tree)."""
    removed: int = 0
    commit: str | None = None
    """The branch's tip after the deploy (a new commit, or the one that already held this site)."""
    committed: bool = False
    pushed: str | None = None
    """The remote pushed to, if any."""
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        if self.commit is None:
            text = (f"deployed {self.files} files to {self.target} "
                    f"({self.changed} written, {self.removed} removed)")
        elif self.committed:
            text = (f"deployed {self.files} files to {self.target} as {self.commit[:9]} "
                    f"({self.changed} added or changed, {self.removed} removed)")
        else:
            text = f"{self.target} already holds this site ({self.commit[:9]}): nothing committed"
        return text + (f"; pushed to {self.pushed}" if self.pushed else "")


def check_site(site: Path) -> None:
    """Refuse a folder that is not a finished tilbook build, or one built with drafts."""
    if not (site / MARKER).is_file():
        raise DeployError(f"refusing to deploy {site}: it is not a site built by tilbook (no {MARKER})",
                          hint="run `tilbook build`, or leave out -o to let deploy build it")
    if (site / DRAFT_MARKER).exists():
        raise DeployError(f"refusing to deploy {site}: it was built with drafts ({DRAFT_MARKER})",
                          hint="rebuild without --drafts, or leave out -o to let deploy build it")


def check_cname(cname: str) -> str:
    name = cname.strip().rstrip(".")
    if not _HOSTNAME.fullmatch(name):
        raise DeployError(f"--cname {cname!r} is not a host name", hint="e.g. --cname til.example.org")
    return name


def deployed_files(site: Path, cname: str | None) -> SiteFiles:
    """Every file to publish: the build's files (its markers left out), an empty `.nojekyll` (GitHub
    Pages would otherwise hide `_`-prefixed files and run Jekyll) and, with `cname`, `CNAME`."""
    files: SiteFiles = {rel: site / rel for rel in sorted(walk_files(site))
                        if safe_relpath(rel) not in NOT_PUBLISHED}
    files[".nojekyll"] = b""
    if cname:
        files["CNAME"] = (check_cname(cname) + "\n").encode()
    return files


def read(item: bytes | Path) -> bytes:
    return item if isinstance(item, bytes) else item.read_bytes()
