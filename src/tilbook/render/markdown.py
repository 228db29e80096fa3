"""One configured markdown-it pipeline for notes: CommonMark + tables, strikethrough, task lists,
footnotes scoped to the note, `$…$`/`$$…$$` math as MathML Core, bare URLs as links, Pygments code,
Hangul heading ids.

Problems in a note's content (unknown LaTeX commands, unknown code languages) are warnings with
the line, never exceptions: a page always builds.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin
from mdit_py_plugins.tasklists import tasklists_plugin

from ..mdtext import footnote_problems, without_code_spans
from .delimiters import message as delimiter_message
from .delimiters import stray_spaces
from .highlight import highlight
from .math import MathProblem, plain_math, render_math
from .wikilinks import wikilinks_plugin
from ..links import NOTE_SCHEME

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_UNSAFE_SCHEME = re.compile(r"^(javascript|vbscript|file|data):")
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")
_WHITESPACE = re.compile(r"\s")
_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class RenderWarning:
    line: int
    """1-based line within the markdown passed to `render`."""
    code: str
    message: str


@dataclass(frozen=True, slots=True)
class Rendered:
    html: str
    """Body HTML, then the note's footnotes section."""
    text: str
    """Plain text (prose, code, math source, footnotes) for search and excerpts."""
    warnings: tuple[RenderWarning, ...]
    images: tuple[tuple[str, int], ...]
    """(src as in the HTML, line) of every relative local image."""
    links: tuple[tuple[str, int], ...]
    """(href as in the HTML, line) of every relative local link and every wikilink (a
    `tilbook-note:` placeholder, see `links.py`)."""


def heading_slug(title: str) -> str:
    """Heading ids that keep Hangul: NFC, lowercase, spaces to `-`, never empty."""
    text = unicodedata.normalize("NFC", title).casefold()
    text = re.sub(r"[^\w\s-]", "", text)
    return re.sub(r"[\s-]+", "-", text).strip("-") or "section"


def is_safe_link(url: str) -> bool:
    """False for javascript:, vbscript:, file: and data: URLs however they are disguised."""
    decoded = _CONTROL.sub("", unquote(url)).lower()
    return not _UNSAFE_SCHEME.match(decoded)


def is_local(url: str) -> bool:
    return bool(url) and not _SCHEME.match(url) and not url.startswith(("/", "#", "//"))


def _memo(function: Callable[[str], _T]) -> Callable[[str], _T]:
    """`function` remembering its answers: markdown-it matches and normalises every link's URL
    and text (linkify-it's regular expressions, percent-encoding, punycode), and notes link the
    same references again and again."""
    answers: dict[str, _T] = {}

    def remembered(text: str) -> _T:
        if text not in answers:
            answers[text] = function(text)
        return answers[text]

    return remembered


def _bare_urls_as_links(md: MarkdownIt) -> None:
    """Bare `scheme://…` URLs become links, as GFM autolinking made them on the blog: markdown-it's
    inline linkify rule does that as it parses. The core rule (fuzzy domains, bare e-mail) is off:
    it takes `main.py` for a domain, and it cost ~8% of rendering. linkify-it's match is looked up
    once per URL (a URL ends at white space, so the text after it cannot change the match)."""
    assert md.linkify is not None  # linkify-it-py is a dependency
    md.linkify.set({"fuzzy_link": False, "fuzzy_email": False})
    md.core.ruler.disable("linkify")
    remembered_url = _memo(md.linkify.match_at_start)

    def url_at_start(text: str) -> Any:
        return remembered_url(_WHITESPACE.split(text, 1)[0])

    md.linkify.match_at_start = url_at_start  # type: ignore[method-assign]


class Renderer:
    """Create once, call `render` for each note (the parser and caches are reused)."""

    def __init__(self, *, macros: Mapping[str, str] | None = None, allow_html: bool = False) -> None:
        self.macros = dict(macros or {})
        md = MarkdownIt("commonmark", {"html": allow_html, "typographer": False, "linkify": True})
        md.enable(["table", "strikethrough", "linkify"])
        _bare_urls_as_links(md)
        md.use(front_matter_plugin).use(footnote_plugin).use(tasklists_plugin, label=True)  # the label names the checkbox
        md.use(dollarmath_plugin, allow_space=False, allow_digits=False, double_inline=True, allow_labels=False)
        md.use(anchors_plugin, min_level=1, max_level=6, slug_func=heading_slug)
        md.use(wikilinks_plugin)
        md.validateLink = is_safe_link  # type: ignore[method-assign]
        md.normalizeLink = _memo(md.normalizeLink)  # type: ignore[method-assign,assignment]
        md.normalizeLinkText = _memo(md.normalizeLinkText)  # type: ignore[method-assign,assignment]
        # markdown-it binds render rules to its renderer, so they reach this object by closure
        def fence(_renderer: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
            return self._fence(tokens, idx, options, env)

        def math(_renderer: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
            return self._math(tokens, idx, options, env)

        def cell(renderer: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
            """Table alignment as a class, not a style attribute (pages run under CSP default-src 'self')."""
            token = tokens[idx]
            style = str(token.attrs.pop("style", ""))
            if style.startswith("text-align:"):
                token.attrSet("class", "align-" + style.split(":", 1)[1])
            return str(renderer.renderToken(tokens, idx, options, env))

        md.add_render_rule("th_open", cell)
        md.add_render_rule("td_open", cell)
        md.add_render_rule("fence", fence)
        md.add_render_rule("code_block", fence)
        for kind in ("math_inline", "math_inline_double", "math_block", "math_block_label"):
            md.add_render_rule(kind, math)
        self.md = md
        self._math_cache: dict[tuple[str, bool], tuple[str, list[MathProblem]]] = {}
        self._plain_cache: dict[str, str] = {}
        self._code_cache: dict[tuple[str, str], tuple[str, bool]] = {}

    def render(self, markdown: str, *, id_prefix: str) -> Rendered:
        env: dict[str, Any] = {"docId": id_prefix, "warnings": []}
        tokens = self.md.parse(markdown, env)
        images: list[tuple[str, int]] = []
        links: list[tuple[str, int]] = []
        text_parts: list[str] = []
        self._annotate(tokens, id_prefix, images, links, text_parts, env["warnings"])
        html = self.md.renderer.render(tokens, self.md.options, env)
        env["warnings"] += [RenderWarning(p.line + 1, p.rule, p.message) for p in footnote_problems(markdown)]
        warnings = sorted(env["warnings"], key=lambda w: (w.line, w.code, w.message))
        return Rendered(html=html, text="\n".join(p for p in text_parts if p), warnings=tuple(warnings),
                        images=tuple(images), links=tuple(links))

    # --- one walk over the tokens: lines for inline tokens, ids, local refs, plain text ----------
    def _annotate(self, tokens: Sequence[Token], prefix: str, images: list[tuple[str, int]],
                  links: list[tuple[str, int]], text: list[str], warnings: list[RenderWarning]) -> None:
        line = 1
        for token in tokens:
            if token.map:
                line = token.map[0] + 1
            if token.type == "heading_open" and token.attrs.get("id"):
                token.attrSet("id", f"{prefix}-{token.attrs['id']}")
            elif token.type in ("fence", "code_block"):
                token.meta["line"] = line
                text.append(token.content.strip())
            elif token.type in ("math_block", "math_block_label"):
                token.meta["line"] = line
                text.append(self.plain(token.content))
            elif token.type == "inline" and token.children:
                if "$" in token.content:
                    masked = without_code_spans(token.content)
                    for stray in stray_spaces(masked):
                        pair = token.content[stray.start:stray.end]
                        warnings.append(RenderWarning(line + token.content.count("\n", 0, stray.start),
                                                      "math-delimiter", delimiter_message(pair, stray.fixed)))
                words: list[str] = []
                for child in token.children:
                    if child.type in ("text", "code_inline"):
                        words.append(child.content)
                    elif child.type in ("math_inline", "math_inline_double"):
                        words.append(self.plain(child.content))
                    elif child.type in ("softbreak", "hardbreak"):
                        words.append(" ")
                    elif child.type == "image":
                        src = str(child.attrs.get("src", ""))
                        if is_local(src):
                            images.append((src, line))
                        words.append(child.content)
                    elif child.type == "link_open":
                        href = str(child.attrs.get("href", ""))
                        if is_local(href) or href.startswith(NOTE_SCHEME):
                            links.append((href, line))
                text.append(" ".join("".join(words).split()))
                line_in_block = line
                for child in token.children:  # lines of children after soft breaks
                    child.meta["line"] = line_in_block
                    if child.type in ("softbreak", "hardbreak"):
                        line_in_block += 1

    # --- render rules -------------------------------------------------------------------
    def _fence(self, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
        token = tokens[idx]
        lang = token.info.strip().split(maxsplit=1)[0] if token.info.strip() else ""
        key = (token.content, lang)
        if key not in self._code_cache:
            self._code_cache[key] = highlight(token.content, lang)
        html, known = self._code_cache[key]
        if not known:
            env["warnings"].append(RenderWarning(token.meta.get("line", 1), "code-language",
                                                 f"unknown code language `{lang}`; shown as plain text "
                                                 "(use a Pygments name such as python, bash, text)"))
        return html

    def plain(self, tex: str) -> str:
        """The formula's plain form (cached: the same formulas recur across notes)."""
        if tex not in self._plain_cache:
            self._plain_cache[tex] = plain_math(tex)
        return self._plain_cache[tex]

    def _math(self, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
        token = tokens[idx]
        display = token.type.startswith("math_block") or token.type == "math_inline_double"
        key = (token.content, display)
        if key not in self._math_cache:
            self._math_cache[key] = render_math(token.content, display=display, macros=self.macros)
        html, problems = self._math_cache[key]
        line = token.meta.get("line", 1)
        for problem in problems:
            at = line + token.content.count("\n", 0, problem.offset)  # the line of the command at fault
            env["warnings"].append(RenderWarning(at, "math-error", problem.message))
        return html + "\n" if display else html
