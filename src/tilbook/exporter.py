"""`tilbook export`: notes out as one digest post in the lumen format of the seeds."""
from __future__ import annotations

import datetime as dt
import json
from typing import Any

from .digest import CALENDAR_EMOJI
from .exportlinks import PostLinks, anchor_of
from .mdtext import footnote_refs, relabel_footnotes, split_definitions
from .model import Notebook, Note
from .slugs import slugify


def select_notes(notebook: Notebook, *, category: str | None = None, tag: str | None = None,
                 drafts: bool = False) -> list[Note]:
    """Notes matching category/tag (case-insensitive), drafts only when asked."""
    chosen = []
    for note in notebook.visible_notes(drafts=drafts):
        if category and note.category.casefold() != category.casefold():
            continue
        if tag and tag.casefold() not in (t.casefold() for t in note.tags):
            continue
        chosen.append(note)
    return chosen


def export_post(notebook: Notebook, *, category: str | None = None, tag: str | None = None,
                order: str | None = None, style: str = "category", title: str | None = None,
                draft: bool = False) -> str:
    """A digest post of the chosen notes. Draft notes go only into a post that is itself a draft."""
    config = notebook.config
    order = order or config.order
    notes = select_notes(notebook, category=category, tag=tag, drafts=draft)
    index = {note.rel: i for i, note in enumerate(notebook.notes)}
    notes.sort(key=lambda n: (n.date, index[n.rel]), reverse=(order == "desc"))
    topic = tag or category
    title = title or (f"{config.title}: {topic}" if topic else config.title)
    path = "/til/" + (slugify(topic) + "/" if topic else "")
    return render_post(notes, emoji_of=config.categories, style=style, title=title, draft=draft,
                       description=config.description, language=config.language, order=order, path=path,
                       links=PostLinks(notebook.notes, notes, "(비공개 노트)" if config.language.startswith("ko")
                                       else "(unpublished note)"))


def _meta_comment(note: Note, include_draft: bool, title: str) -> str:
    data: dict[str, Any] = {"title": title}
    if note.tags:
        data["tags"] = list(note.tags)
    if include_draft:  # a draft post says each note's own state, so published notes stay published
        data["draft"] = note.draft
    return "<!-- tilbook: " + json.dumps(data, ensure_ascii=False) + " -->"


def render_post(notes: list[Note], *, emoji_of: dict[str, str], style: str, title: str, draft: bool,
                description: str, language: str, order: str, path: str, links: PostLinks | None = None) -> str:
    """Join notes into one digest post; footnotes renumbered 1..n in order of first use; links
    between notes (with `links`) pointed at the post's own anchors (`exportlinks.py`)."""
    links = links or PostLinks(notes, notes)
    bodies = {note.rel: links.rewrite(note, note.body) for note in notes}
    first = min((n.date for n in notes), default=dt.date.today())
    head = ["---", f"title: {json.dumps(title, ensure_ascii=False)}", f'date: "{first.isoformat()}"',
            'template: "post"', f"draft: {'true' if draft else 'false'}", f"path: {json.dumps(path, ensure_ascii=False)}",
            f"description: {json.dumps(description, ensure_ascii=False)}", 'category: "Today I Learned"', "---", ""]
    korean = language.startswith("ko")
    where = ("아래쪽" if order == "asc" else "위쪽") if korean else ("bottom" if order == "asc" else "top")
    head.append(f"> 새로 배운 내용일수록 {where}에 있습니다." if korean else f"> The newest notes are at the {where}.")
    parts = ["\n".join(head)]
    references: list[str] = []
    counter = 0
    for note in notes:
        body, defs = split_definitions(bodies[note.rel])
        mapping: dict[str, str] = {}
        for label, _ in footnote_refs(body):
            if label not in mapping:
                counter += 1
                mapping[label] = str(counter)
        for d in defs:
            if d.label not in mapping:
                counter += 1
                mapping[d.label] = str(counter)
        body = relabel_footnotes(body, mapping)
        by_label = {d.label: d for d in defs}
        for label, number in mapping.items():
            if label in by_label:
                references.append(relabel_footnotes(by_label[label].text, {label: number}))
        day = note.date.strftime("%Y.%m.%d")
        if style == "date":
            heading = f"##### {CALENDAR_EMOJI} {day}\n\n"
        else:
            heading = f"##### {(emoji_of.get(note.category, '') + ' ' + note.category).strip()}\n\n*{day}*\n"
        anchor = f'<a id="{anchor_of(note)}"></a>\n' if note.rel in links.targets else ""
        parts.append(f"{heading}{anchor}{_meta_comment(note, draft, links.title(note))}\n\n{body.strip()}")
    parts.append("### References\n\n" + "\n".join(references))
    return "\n\n".join(parts).rstrip("\n") + "\n"
