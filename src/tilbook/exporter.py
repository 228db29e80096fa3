"""`tilbook export`: notes out as one digest post in the lumen format of the seeds."""
from __future__ import annotations

from .digest import render_post
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
                       description=config.description, language=config.language, order=order, path=path)
