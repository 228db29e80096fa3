"""A readable plain form of a formula, for places that cannot hold MathML: `<title>`, feed
titles, search results, excerpts (`\\sigma(z)_i = \\frac{e^{z_i}}{\\sum_j e^{z_j}}` →
`σ(z)_i = e^{z_i}/∑_j e^{z_j}`). Never a `\\command` or a `$`: an unknown command keeps its name.
"""
from __future__ import annotations

import re
import unicodedata

from .mathcore import CoreError, styled

_GREEK = ("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau "
          "upsilon phi chi psi omega").split()
SYMBOLS: dict[str, str] = {
    **{f"\\{name}": chr(0x3B1 + i + (1 if i >= 17 else 0)) for i, name in enumerate(_GREEK)},
    **{f"\\{name.capitalize()}": chr(0x391 + i + (1 if i >= 17 else 0)) for i, name in enumerate(_GREEK)},
    "\\varepsilon": "ε", "\\vartheta": "ϑ", "\\varphi": "φ", "\\varrho": "ϱ", "\\varsigma": "ς", "\\varpi": "ϖ",
    "\\epsilon": "ϵ", "\\phi": "ϕ", "\\ell": "ℓ", "\\hbar": "ℏ", "\\imath": "ı", "\\jmath": "ȷ",
    "\\sum": "∑", "\\prod": "∏", "\\coprod": "∐", "\\int": "∫", "\\iint": "∬", "\\iiint": "∭", "\\oint": "∮",
    "\\bigcup": "⋃", "\\bigcap": "⋂", "\\bigoplus": "⨁", "\\bigotimes": "⨂",
    "\\partial": "∂", "\\nabla": "∇", "\\infty": "∞", "\\emptyset": "∅", "\\varnothing": "∅",
    "\\cdot": "⋅", "\\times": "×", "\\div": "÷", "\\pm": "±", "\\mp": "∓", "\\ast": "∗", "\\star": "⋆",
    "\\circ": "∘", "\\bullet": "∙", "\\odot": "⊙", "\\otimes": "⊗", "\\oplus": "⊕", "\\top": "⊤", "\\bot": "⊥",
    "\\leq": "≤", "\\le": "≤", "\\geq": "≥", "\\ge": "≥", "\\neq": "≠", "\\ne": "≠", "\\approx": "≈",
    "\\equiv": "≡", "\\sim": "∼", "\\simeq": "≃", "\\cong": "≅", "\\propto": "∝", "\\ll": "≪", "\\gg": "≫",
    "\\in": "∈", "\\notin": "∉", "\\ni": "∋", "\\subset": "⊂", "\\subseteq": "⊆", "\\supset": "⊃",
    "\\supseteq": "⊇", "\\cup": "∪", "\\cap": "∩", "\\setminus": "∖", "\\wedge": "∧", "\\vee": "∨",
    "\\land": "∧", "\\lor": "∨", "\\neg": "¬", "\\lnot": "¬", "\\forall": "∀", "\\exists": "∃",
    "\\to": "→", "\\rightarrow": "→", "\\leftarrow": "←", "\\gets": "←", "\\Rightarrow": "⇒",
    "\\Leftarrow": "⇐", "\\iff": "⟺", "\\Leftrightarrow": "⇔", "\\leftrightarrow": "↔", "\\mapsto": "↦",
    "\\implies": "⟹", "\\uparrow": "↑", "\\downarrow": "↓",
    "\\mid": "∣", "\\parallel": "∥", "\\perp": "⊥", "\\lVert": "‖", "\\rVert": "‖", "\\Vert": "‖", "\\|": "‖",
    "\\lvert": "|", "\\rvert": "|", "\\vert": "|", "\\langle": "⟨", "\\rangle": "⟩", "\\lfloor": "⌊",
    "\\rfloor": "⌋", "\\lceil": "⌈", "\\rceil": "⌉", "\\{": "{", "\\}": "}", "\\%": "%", "\\#": "#",
    "\\&": "&", "\\$": "$", "\\_": "_",
    "\\ldots": "…", "\\dots": "…", "\\cdots": "⋯", "\\vdots": "⋮", "\\ddots": "⋱", "\\prime": "′",
    "\\angle": "∠", "\\triangle": "△", "\\degree": "°", "\\aleph": "ℵ", "\\Re": "ℜ", "\\Im": "ℑ",
}
"""Commands that stand for one Unicode character."""
_FUNCTIONS = set("sin cos tan cot sec csc arcsin arccos arctan sinh cosh tanh log ln lg exp lim liminf limsup "
                 "max min sup inf det dim ker deg arg gcd Pr mod bmod pmod".split())
_DROP = set("left right big Big bigg Bigg bigl bigr Bigl Bigr biggl biggr displaystyle textstyle scriptstyle "
            "limits nolimits nonumber notag".split())
_SPACES = {"\\,": " ", "\\;": " ", "\\:": " ", "\\!": "", "\\ ": " ", "\\quad": " ", "\\qquad": " ",
           "\\\\": "; ", "\\newline": "; "}
_ACCENTS = {"hat": "\u0302", "widehat": "\u0302", "bar": "\u0304", "overline": "\u0305", "tilde": "\u0303",
            "widetilde": "\u0303", "vec": "\u20d7", "dot": "\u0307", "ddot": "\u0308", "underline": "\u0332"}
_STYLES = {"mathbb": "double-struck", "mathcal": "script", "mathscr": "script", "mathfrak": "fraktur",
           "mathbf": "bold", "boldsymbol": "bold-italic", "bm": "bold-italic", "mathsf": "sans-serif",
           "mathtt": "monospace", "mathrm": "normal", "mathit": "normal", "text": "normal", "textrm": "normal",
           "textbf": "normal", "textit": "normal", "operatorname": "normal", "operatorname*": "normal",
           "mbox": "normal", "mathop": "normal", "mathbin": "normal", "mathrel": "normal"}
KNOWN_COMMANDS = frozenset(
    {c for c in SYMBOLS if re.fullmatch(r"\\[A-Za-z]+", c)}
    | {f"\\{name}" for name in (*_FUNCTIONS, *_DROP, *_ACCENTS, *_STYLES)} | {"\\quad", "\\qquad", "\\newline"}
    | {f"\\{name}" for name in "frac dfrac tfrac binom sqrt begin end underbrace overbrace overset underset "
       "stackrel color textcolor cancel boxed not".split()})
"""Commands the plain form knows; also the spellings `suggest` picks from."""
_TOKEN = re.compile(r"\\(?:[A-Za-z]+\*?|.)|[{}]|[\s\S]")


class _Reader:
    def __init__(self, tex: str) -> None:
        self.tokens = _TOKEN.findall(tex)
        self.at = 0

    def next(self) -> str | None:
        if self.at >= len(self.tokens):
            return None
        self.at += 1
        return self.tokens[self.at - 1]

    def skip_space(self) -> None:
        while self.at < len(self.tokens) and self.tokens[self.at].isspace():
            self.at += 1

    def argument(self) -> str:
        """The next argument as plain text: a `{group}` or one token."""
        self.skip_space()
        token = self.next()
        if token is None:
            return ""
        if token == "{":
            return self.until_close()
        return self.one(token)

    def raw_group(self) -> str:
        """The next `{…}` as its TeX text (environment names, colours)."""
        self.skip_space()
        if self.next() != "{":
            return ""
        depth, out = 1, []
        while (token := self.next()) is not None:
            depth += {"{": 1, "}": -1}.get(token, 0)
            if depth == 0:
                break
            out.append(token)
        return "".join(out)

    def until_close(self) -> str:
        out = []
        while (token := self.next()) is not None and token != "}":
            out.append(self.one(token))
        return "".join(out)

    def one(self, token: str) -> str:
        if token == "{":
            return self.until_close()
        if token in ("^", "_"):
            self.skip_space()
            if self.at < len(self.tokens) and self.tokens[self.at] == "{":
                self.next()
                return f"{token}{{{self.until_close()}}}"
            return token + self.argument()
        if token == "&" or token == "}":
            return " " if token == "&" else ""
        if not token.startswith("\\"):
            return token
        return self.command(token)

    def command(self, token: str) -> str:
        name = token[1:]
        if token in _SPACES:
            return _SPACES[token]
        if token in SYMBOLS:
            return SYMBOLS[token]
        if name in _FUNCTIONS:
            return name
        if name in _DROP:
            if name in ("left", "right") or name.startswith(("big", "Big")):
                self.skip_space()
                delimiter = self.next() or ""
                return "" if delimiter == "." else self.one(delimiter)
            return ""
        if name in _ACCENTS:
            return "".join(char + _ACCENTS[name] for char in self.argument())
        if name in _STYLES:
            text = self.argument().replace("\u2009", " ")
            try:
                return styled(text, _STYLES[name])
            except CoreError:
                return text
        if name in ("frac", "dfrac", "tfrac"):
            return f"{self.argument()}/{self.argument()}"
        if name == "binom":
            return f"C({self.argument()}, {self.argument()})"
        if name == "sqrt":
            self.skip_space()
            root = "√"
            if self.at < len(self.tokens) and self.tokens[self.at] == "[" and "]" in self.tokens[self.at:]:
                end = self.tokens.index("]", self.at)
                index = "".join(self.tokens[self.at + 1:end]).strip()
                root = {"3": "∛", "4": "∜"}.get(index, f"{index}√")
                self.at = end + 1
            inner = self.argument()
            return f"{root}{inner}" if len(inner) == 1 else f"{root}({inner})"
        if name in ("begin", "end"):
            environment = self.raw_group()
            if name == "begin" and environment == "array":
                self.raw_group()
            return " "
        if name in ("underbrace", "overbrace", "not"):
            return self.argument()
        if name in ("overset", "underset", "stackrel"):
            self.argument()
            return self.argument()
        if name in ("color", "textcolor"):
            self.raw_group()
            return self.argument() if name == "textcolor" else ""
        if name in ("cancel", "boxed"):
            return self.argument()
        return name  # an unknown command: its name, never a backslash


def plain_math(tex: str) -> str:
    """The formula as plain Unicode text, on one line."""
    reader = _Reader(tex)
    out = []
    while (token := reader.next()) is not None:
        out.append(reader.one(token))
    return unicodedata.normalize("NFC", " ".join("".join(out).split()))


INLINE_MATH = re.compile(r"(?<![\\$])\$(?=[^\s$])((?:[^$\\\n]|\\.)*?[^\s\\$])\$(?![$\d])|(?<![\\$])\$(?=[^\s$])(\S)\$(?![$\d])")


def text_with_plain_math(text: str) -> str:
    """Text whose `$…$` formulas are in plain form (titles, excerpts)."""
    if "$" not in text:
        return text
    return INLINE_MATH.sub(lambda m: plain_math(m.group(1) or m.group(2)), text)
