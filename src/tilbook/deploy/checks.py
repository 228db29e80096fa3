"""What must hold of a notebook before its site is published (each failure one DeployError)."""
from __future__ import annotations

import ipaddress
from pathlib import Path
from urllib.parse import urlsplit

from ..config import CONFIG_NAME, Config, is_written
from ..errors import DeployError
from .git import uncommitted

LOCAL_HOSTS = frozenset({"localhost", "0.0.0.0"})
PLACEHOLDER_HOSTS = frozenset({"example.org", "www.example.org", "example.com", "www.example.com", "example.net"})


def check_base_url(root: Path, config: Config) -> list[str]:
    """Refuse a `base_url` tilbook.toml does not set (the default would fill feeds and canonical
    links) or one on this machine (localhost, a loopback address); warn about the placeholder
    `tilbook init` writes. Returns the warnings."""
    if not is_written(root / CONFIG_NAME, "base_url"):
        raise DeployError(f"refusing to deploy: `base_url` is not set in {CONFIG_NAME}",
                          hint='set it to the address readers use, e.g. base_url = "https://you.github.io/til/"')
    host = (urlsplit(config.base_url).hostname or "").lower()
    if _is_local(host):
        raise DeployError(f"refusing to deploy: `base_url` {config.base_url} points at this machine",
                          hint=f"set it in {CONFIG_NAME} to the address readers use")
    if host in PLACEHOLDER_HOSTS:
        return [f"warning: `base_url` is still the placeholder {config.base_url}: feeds, the sitemap and "
                f"canonical links will point there (set it in {CONFIG_NAME})"]
    return []


def _is_local(host: str) -> bool:
    if host in LOCAL_HOSTS or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_committed(root: Path, allow_dirty: bool) -> bool:
    """Refuse a notebook whose sources differ from its last commit (unless `allow_dirty`), so the
    published site is the one the commit names. Returns whether it was dirty."""
    changed = uncommitted(root)
    if changed and not allow_dirty:
        more = f" and {len(changed) - 1} more" if len(changed) > 1 else ""
        raise DeployError(f"refusing to deploy: uncommitted changes in {changed[0]}{more}",
                          hint="commit them, or pass --allow-dirty")
    return bool(changed)
