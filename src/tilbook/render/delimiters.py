"""`$…$` pairs that the delimiter rule rejects but that hold TeX: the author meant math.

The rule (markdown-it's dollarmath with `allow_space=False, allow_digits=False`) keeps prices
text (`$5 and $10`), and so also rejects `$A^+ = V \\Sigma^+ U^\\top $` for its space before the
closing `$` (remark-math, which the blog used, accepted it). Such a pair is reported by
`check` and `build` (rule `math-delimiter`) and `check --fix` removes the stray space.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_PAIR = re.compile(r"(?<![\\$])\$(?!\$)([^$\n]+?)(?<![\\$])\$(?!\$)")
_TEX = re.compile(r"\\[A-Za-z]|[\^_]")


@dataclass(frozen=True, slots=True)
class StraySpace:
    start: int
    end: int
    """The pair's span in the text (both dollars included)."""
    fixed: str
    """The pair without the spaces inside its dollars."""


def stray_spaces(text: str) -> list[StraySpace]:
    """Pairs in `text` (code spans already blanked) rejected only for a space inside the dollars."""
    if "$" not in text:
        return []
    out = []
    for match in _PAIR.finditer(text):
        inner = match.group(1)
        if not (inner[0].isspace() or inner[-1].isspace()) or not inner.strip():
            continue  # accepted as math, or empty
        if inner.strip()[0].isdigit() or text[match.end():match.end() + 1].isdigit():
            continue  # a price: the rule rejects it with or without the space
        if _TEX.search(inner):
            out.append(StraySpace(match.start(), match.end(), f"${inner.strip()}$"))
    return out


def message(pair: str, fixed: str) -> str:
    return (f"`{pair}` is shown as text, not math: the space inside the dollars stops it; "
            f"write `{fixed}` (--fix does this)")
