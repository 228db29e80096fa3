"""A link checker over a built site: every internal href/src must name a file in the output."""
from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

_REF = re.compile(r'(?:href|src)="([^"]*)"')


def broken_links(out: Path, *, allowed_missing: tuple[str, ...] = ()) -> list[str]:
    """`page -> ref` for each internal reference that does not resolve (fragments ignored)."""
    broken: list[str] = []
    for page in sorted(out.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        for raw in _REF.findall(text):
            ref = html.unescape(raw)
            parts = urlsplit(ref)
            if parts.scheme or parts.netloc or not parts.path or ref.startswith("#"):
                continue
            path = unquote(parts.path)
            target = out / path.lstrip("/") if path.startswith("/") else page.parent / path
            if target.is_file() or (target / "index.html").is_file():
                continue
            if any(name in path for name in allowed_missing):
                continue
            broken.append(f"{page.relative_to(out)} -> {ref}")
    return broken


def all_text(out: Path) -> dict[str, str]:
    """Every output file's text (bytes decoded leniently, HTML entities resolved too)."""
    texts = {}
    for path in sorted(out.rglob("*")):
        if path.is_file():
            data = path.read_bytes().decode("utf-8", errors="replace")
            texts[path.relative_to(out).as_posix()] = data + "\n" + html.unescape(data)
    return texts
