"""Links between notes in an exported digest post: each becomes a link to the digest's own anchor
for the note when the post includes it, else the text alone (a draft, a note left out, a link to
no note). The post is read elsewhere (a blog), where neither `[[…]]` nor note files mean anything.

A note some other note of the post links to gets an `<a id="YYYYMMDD-slug"></a>` line above its
tilbook comment (the id its section has on the site's digest pages); `import` skips that line.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .links import WIKILINK, NoteIndex, split_target, wikilink_text
from .mdtext import CODE_SPAN, fenced_lines
from .model import Note

_FILE_LINK = re.compile(r"(?<!!)\[([^\]\n]*)\]\(([^)\s]+\.md(?:#[^)\s]*)?)\)")


def anchor_of(note: Note) -> str:
    return f"{note.date:%Y%m%d}-{note.slug}"


class PostLinks:
    """Rewrites links of the notes of one post; `targets` collects the notes linked to."""

    def __init__(self, all_notes: Iterable[Note], in_post: Iterable[Note], unpublished: str = "(unpublished note)") -> None:
        notes = tuple(all_notes)
        self.index = NoteIndex.of(notes)
        self.by_path = {n.path.resolve(): n for n in notes}
        self.in_post = {n.rel for n in in_post}
        self.targets: set[str] = set()
        self.unpublished = unpublished
        self.hidden: dict[str, list[str]] = {}
        """Note → names of drafts it links with no shown text (kept out of its derived title too)."""
        self.current = ""

    def title(self, note: Note) -> str:
        """The note's title without the names of the drafts it links (see `hidden`)."""
        title = note.title
        for name in self.hidden.get(note.rel, ()) if note.title_derived else ():
            title = title.replace(name, self.unpublished)
        return title

    def _to(self, note: Note | None, text: str, bare: bool = False) -> str:
        if note is None or note.rel not in self.in_post:
            if note is not None and note.draft and bare:  # never a draft's name in a post without it
                self.hidden.setdefault(self.current, []).append(text)
                return self.unpublished
            return text
        self.targets.add(note.rel)
        return f"[{text}](#{anchor_of(note)})"

    def rewrite(self, note: Note, body: str) -> str:
        self.current = note.rel
        if "[[" not in body and ".md" not in body:
            return body
        lines = body.split("\n")
        out = []
        for line, in_code in zip(lines, fenced_lines(lines)):
            if in_code:
                out.append(line)
                continue
            pieces = CODE_SPAN.split(line)  # prose, then (ticks, code) and prose again
            rebuilt = []
            for index in range(0, len(pieces), 3):
                rebuilt.append(self._prose(note, pieces[index]))
                if index + 2 < len(pieces):
                    rebuilt.append(pieces[index + 1] + pieces[index + 2] + pieces[index + 1])
            out.append("".join(rebuilt))
        return "\n".join(out)

    def _prose(self, note: Note, text: str) -> str:
        def wikilink(match: re.Match[str]) -> str:
            found = self.index.resolve(split_target(match.group(1))[0]).note
            return self._to(found, wikilink_text(match), bare=not (match.group(2) or "").strip())

        def file_link(match: re.Match[str]) -> str:
            href = match.group(2)
            parts = urlsplit(href)
            if parts.scheme or parts.netloc:
                return match.group(0)
            target = self.by_path.get((Path(note.path).parent / unquote(parts.path)).resolve())
            return self._to(target, match.group(1)) if target is not None else match.group(0)

        return _FILE_LINK.sub(file_link, WIKILINK.sub(wikilink, text))
