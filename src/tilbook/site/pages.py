"""Jinja2 templates: the packaged theme, overridable file by file from the notebook's
`templates/` folder. Autoescaping is on; note HTML is marked safe only after rendering."""
from __future__ import annotations

import hashlib
from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, select_autoescape

THEME = Path(__file__).resolve().parent.parent / "theme"


def template_folders(notebook_root: Path) -> list[Path]:
    override = notebook_root / "templates"
    return ([override] if override.is_dir() else []) + [THEME / "templates"]


def make_environment(notebook_root: Path) -> Environment:
    loader = ChoiceLoader([FileSystemLoader(str(folder)) for folder in template_folders(notebook_root)])
    env = Environment(loader=loader, autoescape=select_autoescape(["html", "xml"], default=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["day"] = lambda d: d.strftime("%Y.%m.%d")
    return env


def theme_fingerprint(notebook_root: Path) -> str:
    """Hash of every template and static file in use: part of every page's cache key."""
    digest = hashlib.sha256()
    for folder in [*template_folders(notebook_root), THEME / "static", notebook_root / "static"]:
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    digest.update(path.relative_to(folder).as_posix().encode())
                    digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
