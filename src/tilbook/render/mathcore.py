"""KaTeX's MathML → MathML Core, the MathML that Chromium, Firefox and Safari draw.

MathML Core ignores `mathvariant` other than `normal`, `<mspace linebreak>`, `<menclose>`, and the
table attributes `columnalign`, `columnlines`, `rowlines`, `rowspacing`, `columnspacing`. So:

- letter styles become Unicode mathematical alphanumerics (`\\mathbb{R}` → ℝ, `\\mathcal N` → 𝒩);
- table alignment and rules become classes on `<mtd>` (the theme's CSS draws them; pages run under
  `default-src 'self'`, so no style attributes);
- `\\cancel` / `\\boxed` become an `<mrow>` with a class the CSS draws;
- the `<span class="katex">` wrapper and `<semantics>`/`<annotation>` go: the TeX is in `alttext`.

Anything this pass does not know how to turn into Core raises `CoreError`, so a formula is never
drawn wrong without a word. A top-level `\\\\` is handled before KaTeX (see `math.rows_to_table`).
"""
from __future__ import annotations

import re
from html import escape

UNKNOWN_COLOR = "#cc0001"
"""KaTeX colours an unknown command's placeholder with this; the pass turns it into `<merror>`."""

_LATIN = {  # variant: (A, a, 0, Α, α) first code points; 0 = none in Unicode
    "bold": (0x1D400, 0x1D41A, 0x1D7CE, 0x1D6A8, 0x1D6C2),
    "italic": (0x1D434, 0x1D44E, 0, 0x1D6E2, 0x1D6FC),
    "bold-italic": (0x1D468, 0x1D482, 0, 0x1D71C, 0x1D736),
    "script": (0x1D49C, 0x1D4B6, 0, 0, 0),
    "bold-script": (0x1D4D0, 0x1D4EA, 0, 0, 0),
    "fraktur": (0x1D504, 0x1D51E, 0, 0, 0),
    "bold-fraktur": (0x1D56C, 0x1D586, 0, 0, 0),
    "double-struck": (0x1D538, 0x1D552, 0x1D7D8, 0, 0),
    "sans-serif": (0x1D5A0, 0x1D5BA, 0x1D7E2, 0, 0),
    "bold-sans-serif": (0x1D5D4, 0x1D5EE, 0x1D7EC, 0x1D756, 0x1D770),
    "sans-serif-italic": (0x1D608, 0x1D622, 0, 0, 0),
    "sans-serif-bold-italic": (0x1D63C, 0x1D656, 0, 0x1D790, 0x1D7AA),
    "monospace": (0x1D670, 0x1D68A, 0x1D7F6, 0, 0),
}
_HOLES = {  # letters that Unicode encodes in Letterlike Symbols instead
    ("italic", "h"): "ℎ",
    ("script", "B"): "ℬ", ("script", "E"): "ℰ", ("script", "F"): "ℱ", ("script", "H"): "ℋ",
    ("script", "I"): "ℐ", ("script", "L"): "ℒ", ("script", "M"): "ℳ", ("script", "R"): "ℛ",
    ("script", "e"): "ℯ", ("script", "g"): "ℊ", ("script", "o"): "ℴ",
    ("fraktur", "C"): "ℭ", ("fraktur", "H"): "ℌ", ("fraktur", "I"): "ℑ", ("fraktur", "R"): "ℜ",
    ("fraktur", "Z"): "ℨ",
    ("double-struck", "C"): "ℂ", ("double-struck", "H"): "ℍ", ("double-struck", "N"): "ℕ",
    ("double-struck", "P"): "ℙ", ("double-struck", "Q"): "ℚ", ("double-struck", "R"): "ℝ",
    ("double-struck", "Z"): "ℤ",
}
_ALIASES = {"sans-serif-bold": "bold-sans-serif", "bold-sans-serif-italic": "sans-serif-bold-italic"}
_VARIANT_LEAF = re.compile(r'<(mi|mn|mo|mtext)((?: [a-z-]+="[^"]*")*?) mathvariant="([a-z-]+)"([^>]*)>([^<]*)</\1>')
_ALIGN = {"left": "l", "right": "r", "center": "c"}
COLORS = frozenset("red blue green orange purple gray grey black brown teal magenta".split())
"""Colours `\\color` may use: drawn by classes in the theme's CSS (no style attributes under the
site's Content-Security-Policy)."""
_ENCLOSE = {"box": "box", "updiagonalstrike": "strike-up", "downdiagonalstrike": "strike-down",
            "horizontalstrike": "strike-h", "top": "top", "bottom": "bottom", "left": "left", "right": "right"}


class CoreError(Exception):
    """KaTeX output that MathML Core cannot draw and this pass cannot translate."""


def styled(text: str, variant: str) -> str:
    """`text` in the Unicode mathematical alphanumerics of `variant` (letters, digits, Greek);
    other characters (Hangul, punctuation) unchanged."""
    variant = _ALIASES.get(variant, variant)
    if variant == "normal":
        return text
    bases = _LATIN.get(variant)
    if bases is None:
        raise CoreError(f"letter style {variant} has no Unicode form")
    upper, lower, digit, greek_upper, greek_lower = bases
    out = []
    for char in text:
        code = ord(char)
        if (variant, char) in _HOLES:
            out.append(_HOLES[(variant, char)])
        elif "A" <= char <= "Z":
            out.append(chr(upper + code - 0x41))
        elif "a" <= char <= "z":
            out.append(chr(lower + code - 0x61))
        elif "0" <= char <= "9" and digit:
            out.append(chr(digit + code - 0x30))
        elif 0x391 <= code <= 0x3A9 and greek_upper:
            out.append(chr(greek_upper + code - 0x391))
        elif 0x3B1 <= code <= 0x3C9 and greek_lower:
            out.append(chr(greek_lower + code - 0x3B1))
        else:
            out.append(char)
    return "".join(out)


def _variant_leaf(match: re.Match[str]) -> str:
    tag, before, variant, after, text = match.groups()
    if variant == "normal":
        return match.group(0) if tag == "mi" else f"<{tag}{before}{after}>{text}</{tag}>"
    return f"<{tag}{before}{after}>{styled(text, variant)}</{tag}>"


def _table(match: re.Match[str]) -> str:
    """`<mtable …>` … `</mtable>` (innermost) with alignment and rules as classes on its cells."""
    attrs, body = match.group(1) or "", match.group(2)
    aligns = re.search(r'columnalign="([^"]*)"', attrs)
    columns = [_ALIGN.get(a, "c") for a in aligns.group(1).split()] if aligns else []
    lines = re.search(r'columnlines="([^"]*)"', attrs)
    column_lines = lines.group(1).split() if lines else []
    rlines = re.search(r'rowlines="([^"]*)"', attrs)
    row_lines = rlines.group(1).split() if rlines else []
    tight = ' class="tight"' if 'columnspacing="0em"' in attrs else ""

    rows = []
    for index, row_match in enumerate(re.finditer(r"<mtr>(.*?)</mtr>", body, flags=re.S)):
        below = row_lines[index] if index < len(row_lines) else "none"
        cells = []
        for column, cell in enumerate(re.findall(r"<mtd>(.*?)</mtd>", row_match.group(1), flags=re.S)):
            classes = []
            if columns:
                classes.append("a-" + columns[min(column, len(columns) - 1)])
            if column < len(column_lines) and column_lines[column] != "none":
                classes.append("rule-" + ("dashed" if column_lines[column] == "dashed" else "solid"))
            if below != "none":
                classes.append("rule-below")
            cells.append((f'<MTD class="{" ".join(classes)}">' if classes else "<MTD>") + cell + "</MTD>")
        rows.append("<MTR>" + "".join(cells) + "</MTR>")
    rows_html = "".join(rows)
    return f"<MTABLE{tight}>{rows_html}</MTABLE>"  # upper case: done, for the enclosing table's pass


_TAG = re.compile(r"<(/?)([a-z]+)([^>]*)>")
_TOKEN_ELEMENTS = ("mi", "mn", "mo", "ms", "mtext")


def _unwrap_token_elements(inner: str) -> str:
    """A token element holding elements (KaTeX writes `<mo><mover>…</mover></mo>` for `\\overset`)
    becomes an `<mrow>`: an HTML parser reads what is inside `<mo>` as HTML, not MathML."""
    out: list[str] = []
    stack: list[str] = []
    last = 0
    matches = list(_TAG.finditer(inner))
    for index, match in enumerate(matches):
        closing, name, attrs = match.groups()
        out.append(inner[last:match.start()])
        last = match.end()
        if closing:
            out.append(f"</{stack.pop()}>")
            continue
        following = matches[index + 1] if index + 1 < len(matches) else None
        holds_element = (name in _TOKEN_ELEMENTS and following is not None and following.start() == match.end()
                         and not following.group(1))
        renamed = "mrow" if holds_element else name
        stack.append(renamed)
        out.append(f"<{renamed}{attrs if not holds_element else ''}>")
    out.append(inner[last:])
    return "".join(out)


def core(katex_html: str, *, tex: str, display: bool) -> str:
    """KaTeX's `output: "mathml"` string → a `<math>` element in MathML Core."""
    inner = katex_html
    start, end = inner.find("<semantics>"), inner.rfind("<annotation")
    if start < 0 or end < 0:
        raise CoreError("KaTeX's MathML has no semantics element")
    inner = inner[start + len("<semantics>"):end]
    if "linebreak=" in inner:
        raise CoreError("a `\\\\` inside braces or `\\text{}` is not a line break in browsers; "
                        "put the rows in an environment such as aligned or gathered")
    inner = inner.replace(f'<mstyle mathcolor="{UNKNOWN_COLOR}">', "<merror>")
    inner = re.sub(r"<merror>(<mtext>[^<]*</mtext>)</mstyle>", r"<merror>\1</merror>", inner)
    inner = _VARIANT_LEAF.sub(_variant_leaf, inner)
    # `\\lVert x \\rVert`: bars KaTeX made delimiters are fences, not the relation ∥ with its spaces
    inner = re.sub(r'<mo (stretchy="false"|fence="true")>([∥∣])</mo>', r'<mo \1 lspace="0em" rspace="0em">\2</mo>', inner)
    if re.search(r"<(?:mi|mn|mo|ms|mtext)(?: [^>]*)?><", inner):
        inner = _unwrap_token_elements(inner)
    inner = re.sub(r'<mspace mathbackground="[^"]*" width="0em"', '<mspace width="0em"', inner)  # a strut
    if "mathbackground=" in inner:
        raise CoreError("a coloured background has no MathML Core form")
    for color in set(re.findall(r'mathcolor="([^"]*)"', inner)):
        if color not in COLORS:
            raise CoreError(f"colour {color} is not one of {', '.join(sorted(COLORS))}")
        inner = inner.replace(f'mathcolor="{color}"', f'class="color-{color}"')
    if re.search(r'mathvariant="(?!normal")', inner):
        raise CoreError("a letter style KaTeX set on a group has no MathML Core form")
    while "<mtable" in inner:  # innermost first
        before = inner
        inner = re.sub(r"<mtable( [^>]*)?>((?:(?!<mtable).)*?)</mtable>", _table, inner, count=1, flags=re.S)
        if inner == before:
            raise CoreError("a table KaTeX made that this pass cannot read")
    for tag in ("MTABLE", "MTR", "MTD"):
        inner = inner.replace(f"<{tag}", f"<{tag.lower()}").replace(f"</{tag}>", f"</{tag.lower()}>")
    for notation in re.findall(r'<menclose notation="([^"]*)">', inner):
        classes = [_ENCLOSE.get(n) for n in notation.split()]
        if None in classes:
            raise CoreError(f"enclosure {notation} has no MathML Core form")
        inner = inner.replace(f'<menclose notation="{notation}">',
                              f'<mrow class="{" ".join("enclose-" + str(c) for c in classes)}">', 1)
    inner = inner.replace("</menclose>", "</mrow>")
    block = ' display="block"' if display else ""
    return f'<math xmlns="http://www.w3.org/1998/Math/MathML"{block} alttext="{escape(tex.strip())}">{inner}</math>'
