"""`check --fix`: repairs a machine can make safely, written atomically, never inside code.

- `[^ 5]:` → `[^5]:` (footnote labels with spaces);
- category labels: white space collapsed and trimmed, the lost zero-width joiner restored
  (digest headings), or the table's spelling (a note's `category:` that differs only in case);
- `$x^2 $` → `$x^2$`: a space inside the dollars that keeps a formula from rendering;
- commands defined in `[math.macros]` replaced by their definition inside math, so the text also
  renders in tools that do not read tilbook.toml (KaTeX, MathJax on the original blog).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..fsutil import atomic_write
from ..mdtext import MALFORMED_DEF, fenced_lines, repair_emoji, split_label, without_code_spans
from ..render.delimiters import stray_spaces
from ..render.math import expand_macros

_HEADING = re.compile(r"^(#####[ \t]+)(.*)$")
_MATH = re.compile(r"\$\$.+?\$\$|\$[^$\n]+\$", re.S)


@dataclass(frozen=True, slots=True)
class Change:
    path: str
    line: int
    what: str


def fix_text(text: str, shown: str, *, macros: dict[str, str], categories: dict[str, str],
             post: bool) -> tuple[str, list[Change]]:
    """The repaired text and what changed, line by line; code lines and spans are left alone."""
    lines = text.split("\n")
    code = fenced_lines(lines)
    changes: list[Change] = []
    folded = {name.casefold().replace(" ", ""): name for name in categories}
    in_front = lines[0].strip() == "---" if lines else False
    for index, line in enumerate(lines):
        if index > 0 and in_front and line.strip() == "---":
            in_front = False
            continue
        if code[index]:
            continue
        new = line
        if in_front and not post:
            match = re.match(r"^(category:\s*)(.+?)\s*$", line)
            if match:
                value = match.group(2).strip("'\"")
                near = folded.get(" ".join(value.split()).casefold().replace(" ", ""))
                if near and near != value:
                    new = f"{match.group(1)}{near}" if re.fullmatch(r"[\w가-힣 &.+-]+", near) else f'{match.group(1)}"{near}"'
        elif not in_front:
            malformed = MALFORMED_DEF.match(new)
            if malformed:
                new = f"[^{malformed.group(1).strip()}]:" + new[malformed.end():]
            heading = _HEADING.match(new) if post else None
            if heading:
                emoji, name = split_label(heading.group(2))
                if name and not re.match(r"^\d{4}\.\d", name):
                    repaired = repair_emoji(emoji)
                    table_emoji = categories.get(name)
                    if table_emoji and table_emoji.replace("\u200d", "") == repaired.replace("\u200d", ""):
                        repaired = table_emoji
                    new = heading.group(1) + f"{repaired} {name}".strip()
            masked = without_code_spans(new)
            for stray in reversed(stray_spaces(masked)):  # `$x^2 $` → `$x^2$`
                new = new[:stray.start] + "$" + new[stray.start + 1:stray.end - 1].strip() + "$" + new[stray.end:]
                masked = without_code_spans(new)
            if macros and "$" in masked:
                pieces, last = [], 0
                for span in _MATH.finditer(masked):
                    pieces.append(new[last:span.start()] + expand_macros(new[span.start():span.end()], macros))
                    last = span.end()
                new = "".join(pieces) + new[last:]
        if new != line:
            changes.append(Change(shown, index + 1, f"`{line.strip()}` → `{new.strip()}`"))
            lines[index] = new
    fixed = "\n".join(lines)
    if macros and "$$" in fixed:  # display math spread over several lines
        fixed = _fix_multiline_math(fixed, lines, code, macros, shown, changes)
    return fixed, changes


def _fix_multiline_math(text: str, lines: list[str], code: list[bool], macros: dict[str, str], shown: str,
                        changes: list[Change]) -> str:
    inside = False
    for index, line in enumerate(lines):
        if code[index]:
            continue
        if line.strip() == "$$":
            inside = not inside
            continue
        if inside:
            new = expand_macros(line, macros)
            if new != line:
                changes.append(Change(shown, index + 1, f"`{line.strip()}` → `{new.strip()}`"))
                lines[index] = new
    return "\n".join(lines)


def fix_file(path: Path, shown: str, *, macros: dict[str, str], categories: dict[str, str], post: bool) -> list[Change]:
    raw = path.read_bytes()
    text = raw.decode("utf-8")
    crlf = "\r\n" in text
    fixed, changes = fix_text(text.replace("\r\n", "\n"), shown, macros=macros, categories=categories, post=post)
    if changes:
        atomic_write(path, fixed.replace("\n", "\r\n") if crlf else fixed)
    return changes
