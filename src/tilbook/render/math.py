"""LaTeX → MathML at build time, with the checks latex2mathml does not make.

latex2mathml renders an unknown command such as `\\ohm` as literal text without a word, so tilbook
finds unknown commands itself (against latex2mathml's own tables) and suggests the closest known
one; `[math.macros]` in tilbook.toml defines new commands by plain substitution.
"""
from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections.abc import Mapping

import latex2mathml.commands as l2m_commands
from latex2mathml.converter import convert
from latex2mathml.symbols_parser import SYMBOLS

_COMMAND = re.compile(r"\\([A-Za-z]+)")
_ENVIRONMENT_ARG = re.compile(r"\\(?:begin|end)\s*\{[^}]*\}")


class MathError(Exception):
    """LaTeX that cannot be rendered (unbalanced braces, an environment left open...)."""


@functools.cache
def known_commands() -> frozenset[str]:
    """Every `\\name` latex2mathml understands: its command constants and its symbol table."""
    names: set[str] = {name for name in SYMBOLS if name.startswith("\\")}
    for value in vars(l2m_commands).values():
        values = value if isinstance(value, (tuple, list, set, frozenset, dict)) else (value,)
        names.update(v for v in values if isinstance(v, str) and v.startswith("\\"))
    return frozenset(n for n in names if re.fullmatch(r"\\[A-Za-z]+", n))


@functools.cache
def _command_for_codepoint() -> dict[str, str]:
    table: dict[str, str] = {}
    for name, code in SYMBOLS.items():
        if name.startswith("\\") and re.fullmatch(r"\\[A-Za-z]+", name):
            table.setdefault(chr(int(code, 16)), name)
    return table


def suggest(command: str) -> str | None:
    """The known command meant by `command`: one whose symbol the name spells in Unicode
    (`\\ohm` → OHM SIGN Ω → `\\Omega`), else the closest spelling."""
    name = command.lstrip("\\")
    for candidate in (f"{name.upper()} SIGN", name.upper(), f"GREEK SMALL LETTER {name.upper()}"):
        try:
            char = unicodedata.normalize("NFC", unicodedata.lookup(candidate))
        except KeyError:
            continue
        if char in _command_for_codepoint():
            return _command_for_codepoint()[char]
    by_lower = {k.lower(): k for k in sorted(known_commands())}
    close = difflib.get_close_matches(command.lower(), list(by_lower), n=1, cutoff=0.75)
    return by_lower[close[0]] if close else None


def expand_macros(latex: str, macros: Mapping[str, str]) -> str:
    """Replace `\\name` (the whole command name) by its configured LaTeX."""
    if not macros:
        return latex
    return _COMMAND.sub(lambda m: macros.get(m.group(1), m.group(0)), latex)


def unknown_commands(latex: str, macros: Mapping[str, str]) -> list[tuple[str, str | None]]:
    """Commands neither latex2mathml nor `[math.macros]` knows, each once, with a suggestion."""
    expanded = _ENVIRONMENT_ARG.sub(" ", expand_macros(latex, macros))
    known = known_commands()
    found: dict[str, str | None] = {}
    for match in _COMMAND.finditer(expanded):
        command = "\\" + match.group(1)
        if command not in known and command not in found:
            found[command] = suggest(command)
    return list(found.items())


def _check_structure(latex: str) -> None:
    depth = 0
    escaped = False
    for char in latex:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth < 0:
                raise MathError("a `}` closes nothing")
    if depth:
        raise MathError(f"{depth} `{{` left open")
    begins = re.findall(r"\\begin\s*\{([^}]*)\}", latex)
    ends = re.findall(r"\\end\s*\{([^}]*)\}", latex)
    if begins != list(reversed(ends)) and sorted(begins) != sorted(ends):
        raise MathError(f"environments do not match: begin {begins}, end {ends}")


def latex_to_mathml(latex: str, *, display: bool, macros: Mapping[str, str]) -> str:
    """`<math>` for the formula; MathError when it cannot be rendered."""
    expanded = expand_macros(latex, macros).strip()
    _check_structure(expanded)
    try:
        return convert(expanded, display="block" if display else "inline")
    except Exception as exc:  # latex2mathml raises many types for bad input
        raise MathError(str(exc) or type(exc).__name__) from None
