"""Checking every note of a notebook, and the notebook as a whole."""
from __future__ import annotations

from collections import defaultdict

from ..errors import InputError
from ..frontmatter import decode, field_line, split_front_matter, unknown_fields
from ..importer import merge_key
from ..model import Notebook
from ..render.markdown import Renderer
from .content import CONTENT_RULES, Unit
from .model import Finding, finding


def check_notebook(notebook: Notebook, renderer: Renderer) -> list[Finding]:
    out: list[Finding] = []
    for problem in notebook.problems:
        if isinstance(problem, InputError):
            rule = "date-invalid" if "date" in problem.message and "not a" not in problem.message else "frontmatter-invalid"
            message = f"{problem.message}; {problem.hint}" if problem.hint else problem.message
            out.append(finding(rule, str(problem.path), problem.line or 1, message))
    table = notebook.config.categories
    folded_table = {name.casefold().replace(" ", ""): name for name in table}
    for note in notebook.notes:
        raw = split_front_matter(note.path, decode(note.path, note.path.read_bytes()))
        for key, line in unknown_fields(raw):
            out.append(finding("frontmatter-invalid", note.rel, line,
                               f"unknown field `{key}`; tilbook reads date, category, tags, title, draft, updated, slug",
                               severity="warning"))
        unit = Unit(path=note.rel, file=note.path, body=note.body, body_line=note.body_line, date=note.date,
                    date_line=field_line(raw.front_text, "date") or 2)
        for check_rule in CONTENT_RULES:
            out += check_rule(unit, renderer)
        written = " ".join(str(raw.meta.get("category", "")).split())
        if written in notebook.config.category_aliases:
            out.append(finding("category-inconsistent", note.rel, field_line(raw.front_text, "category") or 2,
                               f"category `{written}` is an alias of `{note.category}` ([category_aliases]); "
                               f"the note is filed under `{note.category}`: write that", severity="info"))
        elif note.category not in table:
            line = field_line(raw.front_text, "category") or 2
            near = folded_table.get(note.category.casefold().replace(" ", ""))
            message = (f"category `{note.category}` differs from `{near}` only in case or spaces; write `{near}` (--fix does this)"
                       if near else f"category `{note.category}` is not in [categories] of tilbook.toml; add it there")
            out.append(finding("category-inconsistent", note.rel, line, message))
    return out + _duplicates(notebook)


def _duplicates(notebook: Notebook) -> list[Finding]:
    """Same date and text (a duplicate), or same date and title with other text (a near
    duplicate, which import writes rather than lose either): both name the other file."""
    out: list[Finding] = []
    same_text: dict[tuple[object, str], list[str]] = defaultdict(list)
    same_title: dict[tuple[object, str], dict[tuple[object, str], str]] = defaultdict(dict)
    for note in notebook.notes:
        key = merge_key(note.date, note.body)
        same_text[key].append(note.rel)
        same_title[(note.date, note.title.casefold())].setdefault(key, note.rel)
    for rels in same_text.values():
        for rel in rels[1:]:
            out.append(finding("duplicate-note", rel, 1, f"same date and text as {rels[0]}; delete one of them"))
    for versions in same_title.values():
        first, *others = versions.values()
        for rel in others:
            out.append(finding("note-near-duplicate", rel, 1,
                               f"same date and title as {first} but other text; compare the two and keep one"))
    return out
