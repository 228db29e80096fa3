"""Rules that read one piece of markdown (a note file's body, or one note of a digest post).

Each rule is a small function of a `Unit`; `CONTENT_RULES` lists them in the order they run.
Code spans and fenced blocks are never read as prose (markdown-it tokens and tilbook.mdtext's
fence-aware helpers), so nothing inside code is ever reported.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..mdtext import MALFORMED_DEF, fenced_lines, footnote_refs, split_definitions
from ..render.markdown import Rendered, Renderer
from .model import Finding, finding


@dataclass(slots=True)
class Unit:
    """One note's markdown with where it lives, so every finding names file and line."""

    path: str
    """The path shown in findings."""
    file: Path
    """The file on disk (images and links resolve relative to its folder)."""
    body: str
    body_line: int
    """1-based file line of the body's first line."""
    date: dt.date | None
    date_line: int = 1
    footnotes_checked_by_post: bool = False
    """Digest notes share one References section: the post checks their footnotes as a whole."""
    rendered: Rendered | None = field(default=None)

    def line(self, body_line: int) -> int:
        """File line of a 1-based body line."""
        return self.body_line + body_line - 1


def footnote_rules(unit: Unit, renderer: Renderer) -> list[Finding]:
    if unit.footnotes_checked_by_post:
        return []
    out: list[Finding] = []
    lines = unit.body.split("\n")
    code = fenced_lines(lines)
    for index, line in enumerate(lines):
        match = None if code[index] else MALFORMED_DEF.match(line)
        if match:
            label = match.group(1).strip()
            out.append(finding("footnote-malformed", unit.path, unit.line(index + 1),
                               f"`{match.group(0)}` is not a footnote definition (space inside the label); "
                               f"write `[^{label}]:` (--fix does this)"))
    _, definitions = split_definitions(unit.body)
    defined = {d.label for d in definitions}
    referenced = [(label, index) for label, index in footnote_refs(unit.body)]
    used = {label for label, _ in referenced}
    for label, index in referenced:
        if label not in defined:
            out.append(finding("footnote-undefined", unit.path, unit.line(index + 1),
                               f"footnote [^{label}] has no definition; add `[^{label}]: …` at the end of the note"))
    body_lines = unit.body.split("\n")
    for definition in definitions:
        if definition.label not in used:
            at = next((i for i, text in enumerate(body_lines) if text.startswith(f"[^{definition.label}]:")), 0)
            out.append(finding("footnote-unused", unit.path, unit.line(at + 1),
                               f"footnote [^{definition.label}] is defined but never referenced; "
                               f"reference it with [^{definition.label}] or delete it"))
    return out


def render_rules(unit: Unit, renderer: Renderer) -> list[Finding]:
    """Math and code-language problems, as the site builder would meet them."""
    rendered = unit.rendered or renderer.render(unit.body, id_prefix="check")
    unit.rendered = rendered
    out = []
    for warning in rendered.warnings:
        out.append(finding(warning.code, unit.path, unit.line(warning.line), warning.message))
    return out


def _resolve(unit: Unit, ref: str) -> Path | None:
    parts = urlsplit(ref)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    return (unit.file.parent / unquote(parts.path)).resolve()


def image_rules(unit: Unit, renderer: Renderer) -> list[Finding]:
    rendered = unit.rendered or renderer.render(unit.body, id_prefix="check")
    unit.rendered = rendered
    out = []
    for src, line in rendered.images:
        target = _resolve(unit, src)
        if target is not None and not target.is_file():
            out.append(finding("image-missing", unit.path, unit.line(line),
                               f"image {unquote(src)} does not exist; add the file or fix the path"))
    return out


def link_rules(unit: Unit, renderer: Renderer) -> list[Finding]:
    rendered = unit.rendered or renderer.render(unit.body, id_prefix="check")
    unit.rendered = rendered
    out = []
    for href, line in rendered.links:
        target = _resolve(unit, href)
        if target is not None and not target.exists():
            out.append(finding("link-broken", unit.path, unit.line(line),
                               f"link target {unquote(href)} does not exist; fix the path or the note's file name"))
    return out


def future_date_rule(unit: Unit, renderer: Renderer) -> list[Finding]:
    if unit.date and unit.date > dt.date.today():
        return [finding("date-invalid", unit.path, unit.date_line,
                        f"date {unit.date.isoformat()} is in the future; fix the date")]
    return []


CONTENT_RULES: list[Callable[[Unit, Renderer], list[Finding]]] = [
    footnote_rules, render_rules, image_rules, link_rules, future_date_rule,
]
