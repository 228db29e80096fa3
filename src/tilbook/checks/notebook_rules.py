"""Rules over the notebook as a whole: unreadable notes, front matter, categories, duplicates."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from ..errors import InputError
from ..importer import merge_key
from ..model import Notebook
from .model import Placed


def _problems(notebook: Notebook, dates: bool) -> Iterator[Placed]:
    for problem in notebook.problems:
        if isinstance(problem, InputError):
            is_date = "date" in problem.message and "not a" not in problem.message
            if is_date == dates:
                message = f"{problem.message}; {problem.hint}" if problem.hint else problem.message
                yield str(problem.path), problem.line or 1, message


def unreadable_dates(notebook: Notebook) -> Iterator[Placed]:
    """Notes the loader refused for their date (2021-02-30, a date that is no date)."""
    return _problems(notebook, dates=True)


def unreadable_front_matter(notebook: Notebook) -> Iterator[Placed]:
    """Notes the loader refused for anything else (YAML, types, unsafe tags)."""
    return _problems(notebook, dates=False)


def unknown_fields(notebook: Notebook) -> Iterator[Placed]:
    for note in notebook.notes:
        for key, line in note.unknown_fields:
            yield note.rel, line, f"unknown field `{key}`; tilbook reads date, category, tags, title, draft, updated, slug"


def category_aliases(notebook: Notebook) -> Iterator[Placed]:
    for note in notebook.notes:
        if note.written_category:
            yield (note.rel, note.field_line("category"),
                   f"category `{note.written_category}` is an alias of `{note.category}` ([category_aliases]); "
                   f"the note is filed under `{note.category}`: write that")


def categories_outside_table(notebook: Notebook) -> Iterator[Placed]:
    table = notebook.config.categories
    folded_table = {name.casefold().replace(" ", ""): name for name in table}
    for note in notebook.notes:
        if note.category in table:
            continue
        near = folded_table.get(note.category.casefold().replace(" ", ""))
        message = (f"category `{note.category}` differs from `{near}` only in case or spaces; write `{near}` (--fix does this)"
                   if near else f"category `{note.category}` is not in [categories] of tilbook.toml; add it there")
        yield note.rel, note.field_line("category"), message


def duplicates(notebook: Notebook) -> Iterator[Placed]:
    """Same date and text (white space, footnote labels and comments aside)."""
    same_text: dict[tuple[object, str], list[str]] = defaultdict(list)
    for note in notebook.notes:
        same_text[merge_key(note.date, note.body)].append(note.rel)
    for rels in same_text.values():
        for rel in rels[1:]:
            yield rel, 1, f"same date and text as {rels[0]}; delete one of them"


def near_duplicates(notebook: Notebook) -> Iterator[Placed]:
    """Same date and title with other text, which import writes rather than lose either."""
    same_title: dict[tuple[object, str], dict[tuple[object, str], str]] = defaultdict(dict)
    for note in notebook.notes:
        same_title[(note.date, note.title.casefold())].setdefault(merge_key(note.date, note.body), note.rel)
    for versions in same_title.values():
        first, *others = versions.values()
        for rel in others:
            yield rel, 1, f"same date and title as {first} but other text; compare the two and keep one"
