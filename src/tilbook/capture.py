"""`tilbook init` and `tilbook new`: a notebook, and a note captured in seconds."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import tomli_w

from .config import CONFIG_NAME, add_categories, default_config, load_config
from .errors import InputError, UsageError
from .fsutil import create_exclusive
from .notes import NOTES_DIR, derive_title, format_note, title_slug, write_new_note


def init_notebook(folder: Path, *, title: str | None = None) -> Path:
    """Create tilbook.toml and notes/ in `folder`; refuses a folder that already holds a notebook."""
    folder = folder.resolve()
    config = folder / CONFIG_NAME
    if config.exists():
        raise UsageError(f"{folder} already holds a notebook ({CONFIG_NAME} exists)",
                         hint="use it as it is, or choose another folder")
    text = default_config()
    if title is not None:  # tomli-w quotes and escapes any title; the comments of the default stay
        text = text.replace('title = "Today I Learned"\n', tomli_w.dumps({"title": title}), 1)
    folder.mkdir(parents=True, exist_ok=True)
    try:
        create_exclusive(config, text)
    except FileExistsError:
        raise UsageError(f"{folder} already holds a notebook", hint="choose another folder") from None
    (folder / NOTES_DIR).mkdir(exist_ok=True)
    gitignore = folder / ".gitignore"
    if not gitignore.exists():
        create_exclusive(gitignore, "/site/\n/.tilbook-cache/\n")
    return config


def resolve_category(root: Path, category: str, *, allow_new: bool, emoji: str = "") -> str:
    """The known category `category` names (spaces and case forgiven), or a new one if allowed.

    A notebook with no category yet takes the first one as given (`tilbook init` then
    `tilbook new … -c Python` just works); once there are some, an unknown name is more likely a
    typo than a new category, so it needs `--new-category`."""
    config = load_config(root / CONFIG_NAME)
    wanted = " ".join(category.split())
    for known in config.categories:
        if known == wanted or known.casefold() == wanted.casefold():
            return known
    if not wanted:
        raise UsageError("the category is empty", hint="pass -c NAME")
    if not allow_new and config.categories:
        known_list = ", ".join(config.categories) or "(none yet)"
        raise UsageError(f"unknown category `{wanted}`; known: {known_list}",
                         hint="pick one of those, or pass --new-category to add it")
    add_categories(root / CONFIG_NAME, {wanted: emoji})
    return wanted


def new_note(root: Path, text: str, *, category: str, tags: list[str] | None = None,
             date: dt.date | None = None, title: str | None = None, draft: bool = False,
             allow_new_category: bool = False, emoji: str = "") -> Path:
    """Write one note; never overwrites (a taken name gets `-2`, `-3`…)."""
    body = text.strip()
    if not body:
        raise UsageError("the note is empty; nothing was written", hint="give the text, or write it in the editor")
    name = resolve_category(root, category, allow_new=allow_new_category, emoji=emoji)
    date = date or dt.date.today()
    clean_tags = list(dict.fromkeys(t.strip() for t in tags or [] if t.strip()))
    note_title = (title or "").strip() or derive_title(body)
    content = format_note(date=date, category=name, tags=clean_tags, title=note_title, draft=draft, body=body)
    try:
        return write_new_note(root, content, date, title_slug(note_title, body))
    except PermissionError as exc:
        raise InputError(Path(exc.filename or root), None, "cannot write the note (permission denied)",
                         hint="check the folder's permissions") from None
