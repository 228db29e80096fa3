"""LaTeX → MathML Core, the one math module that render, check and build use.

KaTeX (the `pykatex` package: KaTeX 0.16 in an embedded QuickJS) parses the formula, as the seed
blog's gatsby-remark-katex did, and raises on what it does not know (`\\ohm`); `mathcore.core`
turns its MathML into MathML Core. A formula either becomes MathML a browser draws right or is a
`MathProblem` naming the command at fault — never silently wrong. An unknown command is drawn
as `<merror>\\ohm</merror>` inside the rest of the formula, and reported.

`[math.macros]` from tilbook.toml are defined for KaTeX with `\\def` (`#1`… arguments work);
`expand_macros` substitutes them in text for `check --fix`.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from html import escape
from typing import Any

from .mathcore import UNKNOWN_COLOR, CoreError, core
from .mathplain import INLINE_MATH, KNOWN_COMMANDS, SYMBOLS, plain_math, text_with_plain_math

_COMMAND = re.compile(r"\\([A-Za-z]+)")
_UNDEFINED = re.compile(r"Undefined control sequence: (\\[A-Za-z]+|\\.)")
_NO_ENVIRONMENT = re.compile(r"No such environment: ([A-Za-z*]+)")
_POSITION = re.compile(r" at (?:position \d+|end of input):.*", re.S)
COMPAT_MACROS = {"mbox": r"\text{#1}"}
"""Commands LaTeX has and KaTeX 0.16 dropped, defined so old posts render as they did."""
MAX_UNKNOWN = 20


class MathError(Exception):
    """A formula that cannot be rendered; `command` is the command at fault, if one is."""

    def __init__(self, message: str, command: str | None = None) -> None:
        super().__init__(message)
        self.command = command


@dataclass(frozen=True, slots=True)
class MathProblem:
    message: str
    command: str | None
    """The command at fault (`\\ohm`), when there is one."""
    offset: int
    """Where in the formula's TeX the problem is (0 when not known), for the note's line."""


@functools.cache
def _katex() -> Any:
    """pykatex, imported on first use: its QuickJS runtime is then created in the process that
    renders (a forked build worker creates its own if the parent never rendered)."""
    import pykatex
    return pykatex


def rows_to_table(tex: str) -> str:
    """A `\\\\` (or `\\newline`) outside any group or environment starts a new row: such a
    formula becomes a `gathered` environment (rows centred, as KaTeX drew them on the blog)."""
    depth = 0
    envs = 0
    index = 0
    found = False
    while index < len(tex):
        char = tex[index]
        if char == "\\":
            match = _COMMAND.match(tex, index)
            if match:
                name = match.group(1)
                if name == "begin":
                    envs += 1
                elif name == "end":
                    envs -= 1
                elif name == "newline" and depth == 0 and envs == 0:
                    found = True
                index = match.end()
                continue
            if tex[index + 1:index + 2] == "\\" and depth == 0 and envs == 0:
                found = True
            index += 2
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        index += 1
    return f"\\begin{{gathered}}{tex}\\end{{gathered}}" if found else tex


def _definitions(tex: str, macros: Mapping[str, str]) -> str:
    """`\\def` lines for the macros the formula uses (and those they use)."""
    defs: list[str] = []
    seen: set[str] = set()
    pending = [tex]
    while pending:
        text = pending.pop()
        for name in _COMMAND.findall(text):
            if name in macros and name not in seen:
                seen.add(name)
                body = macros[name]
                count = max((int(n) for n in re.findall(r"#([1-9])", body)), default=0)
                defs.append(f"\\def\\{name}{''.join(f'#{i}' for i in range(1, count + 1))}{{{body}}}")
                pending.append(body)
    return "".join(defs)


def _message(error: Exception) -> str:
    return _POSITION.sub("", str(error)).replace("KaTeX parse error: ", "").strip()


def _offset(tex: str, command: str) -> int:
    match = re.search(re.escape(command) + r"(?![A-Za-z])", tex)
    return match.start() if match else 0


def suggest(command: str) -> str | None:
    """The known command meant by `command`: one whose symbol the name spells in Unicode
    (`\\ohm` → OHM SIGN Ω → `\\Omega`), else the closest spelling."""
    name = command.lstrip("\\")
    by_char = {char: cmd for cmd, char in SYMBOLS.items()}
    for candidate in (f"{name.upper()} SIGN", name.upper(), f"GREEK SMALL LETTER {name.upper()}"):
        try:
            char = unicodedata.normalize("NFC", unicodedata.lookup(candidate))
        except KeyError:
            continue
        if char in by_char:
            return by_char[char]
    by_lower = {k.lower(): k for k in sorted(KNOWN_COMMANDS)}
    import difflib  # an unknown command only

    close = difflib.get_close_matches(command.lower(), list(by_lower), n=1, cutoff=0.75)
    return by_lower[close[0]] if close else None


def unknown_message(command: str) -> str:
    suggestion = suggest(command)
    hint = f"did you mean {suggestion}? " if suggestion else ""
    return f"unknown LaTeX command {command} ({hint}or define it in [math.macros])"


def render_math(tex: str, *, display: bool, macros: Mapping[str, str]) -> tuple[str, list[MathProblem]]:
    """`<math>` in MathML Core and the problems found. Unknown commands are drawn as `<merror>`
    inside the formula; a formula that does not parse at all is shown as its source in
    `<code class="math-error">`."""
    katex = _katex()
    all_macros = {**COMPAT_MACROS, **macros}
    source = rows_to_table(tex.strip())
    placeholders: dict[str, str] = {}
    problems: list[MathProblem] = []
    while True:
        defs = _definitions(source, all_macros) + "".join(
            f"\\def{cmd}{{\\textcolor{{{UNKNOWN_COLOR}}}{{\\text{{\\textbackslash {cmd[1:]}}}}}}}"
            for cmd in placeholders)
        try:
            out = katex.renderToString(defs + source, output=katex.OUTPUT_MATHML, displayMode=display,
                                       throwOnError=True, strict=katex.STRICT_IGNORE)
            return core(out, tex=tex, display=display), problems
        except katex.ParseError as exc:
            message = _message(exc)
            undefined = _UNDEFINED.search(message)
            if undefined and len(placeholders) < MAX_UNKNOWN and re.fullmatch(r"\\[A-Za-z]+", undefined.group(1)):
                command = undefined.group(1)
                placeholders[command] = command
                problems.append(MathProblem(unknown_message(command), command, _offset(tex, command)))
                continue
            environment = _NO_ENVIRONMENT.search(message)
            command = f"\\begin{{{environment.group(1)}}}" if environment else None
            problems.append(MathProblem(f"LaTeX does not parse: {message}", command,
                                        _offset(tex, command) if command else 0))
        except CoreError as exc:
            problems.append(MathProblem(f"LaTeX does not render in browsers: {exc}", None, 0))
        return f'<code class="math-error">{escape(tex)}</code>', problems


def to_mathml(tex: str, *, display: bool, macros: Mapping[str, str]) -> str:
    """`<math>` for the formula; MathError (naming the first problem) when it has one."""
    html, problems = render_math(tex, display=display, macros=macros)
    if problems:
        raise MathError(problems[0].message, problems[0].command)
    return html


def text_with_mathml(text: str, *, macros: Mapping[str, str]) -> str:
    """HTML of a one-line text (a title) whose `$…$` formulas are MathML; a formula with a
    problem shows its plain form (the note's body, where it comes from, reports it)."""
    out, last = [], 0
    for match in INLINE_MATH.finditer(text):
        tex = match.group(1) or match.group(2)
        html, problems = render_math(tex, display=False, macros=macros)
        out.append(escape(text[last:match.start()]) + (escape(plain_math(tex)) if problems else html))
        last = match.end()
    return "".join(out) + escape(text[last:])


def expand_macros(latex: str, macros: Mapping[str, str]) -> str:
    """Replace `\\name` (the whole command name) by its configured LaTeX (macros without
    arguments; `check --fix` writes them out so the text renders in tools without tilbook.toml)."""
    if not macros:
        return latex
    return _COMMAND.sub(lambda m: macros[m.group(1)] if m.group(1) in macros and "#" not in macros[m.group(1)]
                        else m.group(0), latex)


__all__ = ["MathError", "MathProblem", "expand_macros", "plain_math", "render_math", "suggest", "text_with_mathml",
           "text_with_plain_math", "to_mathml", "unknown_message"]
