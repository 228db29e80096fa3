"""Hostile input, group 7: property tests with Hypothesis.

import(export(notebook)) gives back every note's date, category, draft state, body (footnotes
renumbered), tags and title; and no text makes the parsers raise anything but tilbook's errors.
"""
from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tilbook.capture import init_notebook
from tilbook.digest import parse_post
from tilbook.errors import TilbookError
from tilbook.exporter import export_post
from tilbook.frontmatter import split_front_matter, validate_fields
from tilbook.importer import import_posts, merge_key
from tilbook.notes import format_note, load_notebook, write_new_note

words = st.text(alphabet=st.sampled_from(list("abcdefghij 가나다라마바사 0123456789.,")), min_size=1, max_size=40)
sentences = words.map(lambda s: " ".join(s.split()) or "x").filter(lambda s: not s.startswith(("#", "-", "*", "+", ">", "[")))


@st.composite
def note_specs(draw: st.DrawFn) -> dict[str, object]:
    paragraphs = draw(st.lists(sentences, min_size=1, max_size=3))
    footnotes = draw(st.integers(min_value=0, max_value=3))
    body = "\n\n".join(p + (f" see[^{i + 1}]." if i < footnotes else "") for i, p in enumerate(paragraphs))
    extra = [f"[^{i + 1}]: source {i} {draw(sentences)}" for i in range(min(footnotes, len(paragraphs)))]
    if extra:
        body += "\n\n" + "\n".join(extra)
    if draw(st.booleans()):
        body += "\n\n```python\n##### 🥧 not a heading\nprint('[^9]')\n```"
    return {
        "date": draw(st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2030, 12, 31))),
        "category": draw(st.sampled_from(["Python", "ML library", "ML & DL", "CS", "리눅스"])),
        "tags": draw(st.lists(st.sampled_from(["python", "git", "텐서", "sql"]), unique=True, max_size=2)),
        "title": draw(sentences),
        "draft": draw(st.booleans()),
        "body": body,
    }


def key(note) -> tuple[object, ...]:  # noqa: ANN001
    return (note.date, note.category, note.draft, tuple(sorted(note.tags)), note.title, merge_key(note.date, note.body))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(note_specs(), min_size=1, max_size=6), st.sampled_from(["asc", "desc"]))
def test_import_of_export_gives_the_notebook_back(specs: list[dict[str, object]], order: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        first, second = base / "a", base / "b"
        init_notebook(first)
        init_notebook(second)
        (first / "tilbook.toml").write_text((first / "tilbook.toml").read_text(encoding="utf-8").replace(
            "[categories]", '[categories]\n"Python" = "🥧"\n"CS" = "💻"'), encoding="utf-8")
        seen = set()
        for spec in specs:
            identity = merge_key(spec["date"], str(spec["body"]))
            if identity in seen:
                continue
            seen.add(identity)
            write_new_note(first, format_note(**spec), spec["date"], "n")  # type: ignore[arg-type]
        notebook = load_notebook(first)
        post = base / "post.md"
        post.write_text(export_post(notebook, style="category", order=order, draft=True), encoding="utf-8")
        import_posts(second, [post])
        assert sorted(map(key, load_notebook(second).notes)) == sorted(map(key, notebook.notes))


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_parsers_raise_only_tilbook_errors(text: str) -> None:
    for candidate in (text, "---\n" + text, "---\n" + text + "\n---\nbody", "##### 🥧 X\n\n" + text):
        try:
            raw = split_front_matter(Path("n.md"), candidate)
            validate_fields(Path("n.md"), raw)
        except TilbookError:
            pass
        try:
            parse_post(Path("p.md"), candidate)
        except TilbookError:
            pass
