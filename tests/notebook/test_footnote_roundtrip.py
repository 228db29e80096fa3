"""Footnotes by markdown's own rule, end to end: after `export` → `import`, every reference of
every note resolves to the same definition text as before (Hypothesis)."""
from __future__ import annotations

import datetime as dt
import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin

from tilbook.capture import init_notebook
from tilbook.exporter import export_post
from tilbook.importer import import_posts, merge_key
from tilbook.notes import format_note, load_notebook, write_new_note

LABELS = st.sampled_from(["1", "2", "3", "a", "src", "13"])
WORDS = st.text(alphabet="가나다라마바사 abcxyz.,", min_size=1, max_size=12).map(lambda t: t.strip() or "말")


@st.composite
def note_body(draw: st.DrawFn, number: int) -> str:
    """Paragraphs, list items and table rows citing footnotes: plain, followed by a colon,
    repeated; each cited label defined once at the end, with text unique to this note."""
    labels = draw(st.lists(LABELS, min_size=1, max_size=4, unique=True))
    lines = [f"노트 {number}: {draw(WORDS)}"]
    for label in labels:
        form = draw(st.sampled_from(["plain", "colon", "list", "table", "twice"]))
        word = draw(WORDS)
        if form == "plain":
            lines += ["", f"{word} 문장[^{label}] 끝."]
        elif form == "colon":
            lines += ["", f"{word}[^{label}]: 이어지는 설명"]
        elif form == "list":
            lines += ["", f"- 컴파일 언어[^{label}]: {word}", "- 다른 항목"]
        elif form == "table":
            lines += ["", "| 이름 | 설명 |", "| --- | --- |", f"| {word}[^{label}] | 값 |"]
        else:
            lines += ["", f"처음[^{label}] 그리고 다시[^{label}] {word}"]
    lines.append("")
    lines += [f"[^{label}]: 출처 {number}-{label} {draw(WORDS)}" for label in labels]
    return "\n".join(lines)


_READER = MarkdownIt("commonmark").use(footnote_plugin).enable("table")


def citations(body: str) -> list[str]:
    """The definition text each reference resolves to, in reading order, as markdown-it's
    footnote plugin reads the note (an oracle independent of tilbook's own footnote code); a
    `[^label]` left as text (no definition) reads as `<undefined>`."""
    env: dict[str, object] = {}
    tokens = _READER.parse(body, env)
    texts: dict[int, str] = {}
    current: int | None = None
    cited: list[object] = []
    for token in tokens:
        if token.type == "footnote_open":
            current = token.meta["id"]
            texts[current] = ""
        elif token.type == "footnote_close":
            current = None
        elif token.type == "inline" and current is not None:
            texts[current] += token.content
        elif token.type == "inline":
            for child in token.children or []:
                if child.type == "footnote_ref":
                    cited.append(child.meta["id"])
                elif child.type == "text":
                    cited += ["<undefined>"] * len(re.findall(r"\[\^[^\]\s]+\]", child.content))
    return [texts[c] if isinstance(c, int) else str(c) for c in cited]


def cited_by_note(root: Path) -> dict[tuple[object, str], list[str]]:
    return {merge_key(n.date, n.body): citations(n.body) for n in load_notebook(root).notes}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_export_then_import_keeps_every_citation(data: st.DataObject) -> None:
    count = data.draw(st.integers(min_value=1, max_value=5))
    bodies = [data.draw(note_body(i)) for i in range(count)]
    days = [data.draw(st.sampled_from([dt.date(2021, 5, 24), dt.date(2021, 5, 25)])) for _ in bodies]
    with tempfile.TemporaryDirectory() as tmp:
        source, target = Path(tmp) / "a", Path(tmp) / "b"
        init_notebook(source)
        init_notebook(target)
        for number, (body, day) in enumerate(zip(bodies, days)):
            text = format_note(date=day, category="CS", tags=[], title=f"노트 {number}", draft=False, body=body)
            write_new_note(source, text, day, f"note-{number}")
        before = cited_by_note(source)
        post = Path(tmp) / "post.md"
        post.write_text(export_post(load_notebook(source)), encoding="utf-8")
        import_posts(target, [post])
        after = cited_by_note(target)
    assert after == before
    assert all("<undefined>" not in texts for texts in after.values())
