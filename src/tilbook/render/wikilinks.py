"""`[[target]]` and `[[target|shown text]]` as a markdown-it inline rule.

The link it makes points at a `tilbook-note:` placeholder (see `links.py`): which page the target
is depends on other notes, so it is resolved where the whole notebook is known, never here. The
link's text is the shown text, else the target as written (without `#heading`).
"""
from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

from ..links import WIKILINK, placeholder_href, wikilink_text


def _wikilink(state: StateInline, silent: bool) -> bool:
    start = state.pos
    if not state.src.startswith("[[", start):
        return False
    match = WIKILINK.match(state.src, start)
    if match is None or not match.group(1).strip():
        return False
    if not silent:
        token = state.push("link_open", "a", 1)
        token.attrs = {"href": placeholder_href(match.group(1)), "class": "note-link"}
        token.markup = "wikilink"
        text = state.push("text", "", 0)
        text.content = wikilink_text(match)
        state.push("link_close", "a", -1)
    state.pos = match.end()
    return True


def wikilinks_plugin(md: MarkdownIt) -> None:
    md.inline.ruler.before("link", "wikilink", _wikilink)
