"""Import of the digest posts, merge of the topic post, idempotence, export and round trip
(each on our fixture posts and, when present, the real seeds: tests/posts.py)."""
from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

from tilbook.digest import parse_post
from tilbook.exporter import export_post
from tilbook.importer import import_posts, merge_key
from tilbook.notes import load_notebook

from tests.posts import CS_EMOJI, Posts


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and ".tilbook-cache" not in p.parts}


def test_posts_import_into_sixteen_notes(notebook: Path, posts: Posts) -> None:
    sources = {p: p.read_bytes() for p in posts.both}
    result = import_posts(notebook, posts.both)
    notes = load_notebook(notebook).notes
    assert len(notes) == 16 and len(result.created) == 16 and len(result.merged) == 4
    assert Counter(n.category for n in notes) == posts.expect["categories"]
    assert sorted(n.date.isoformat() for n in notes if posts.expect["topic"] in n.tags) == [
        d.replace(".", "-") for d in posts.expect["topic_dates"]]
    assert all(not n.draft for n in notes)  # the topic post is a draft, but the digest is not
    assert {p: p.read_bytes() for p in posts.both} == sources  # sources untouched
    config = (notebook / "tilbook.toml").read_text(encoding="utf-8")
    assert CS_EMOJI in config  # the lost joiner is repaired in the table


def test_each_note_carries_exactly_its_footnotes(notebook: Path, posts: Posts) -> None:
    import_posts(notebook, posts.both)
    notes = {n.date.isoformat() + n.category: n for n in load_notebook(notebook).notes}
    for note, labels in posts.expect["footnotes"].items():
        text = notes[note].path.read_text(encoding="utf-8")
        assert re.findall(r"^\[\^(\w+)\]:", text, re.M) == labels, note


def test_unused_and_repaired_definitions_are_kept_in_a_report(notebook: Path, posts: Posts) -> None:
    import_posts(notebook, [posts.digest])
    report = (notebook / "import-reports" / f"{posts.digest.stem}.md").read_text(encoding="utf-8")
    assert re.findall(r"^\[\^(\w+)\]:", report, re.M) == ["5", "6", "7", "8", "11"]
    assert f"line {posts.expect['malformed_line']}: `[^ 5]:` is not a footnote definition" in report


def test_second_import_changes_nothing(notebook: Path, posts: Posts) -> None:
    import_posts(notebook, posts.both)
    before = tree(notebook)
    again = import_posts(notebook, posts.both)
    assert tree(notebook) == before
    assert again.created == [] and again.merged == [] and len(again.unchanged) == 20


def test_dry_run_writes_nothing(notebook: Path, posts: Posts) -> None:
    before = tree(notebook)
    result = import_posts(notebook, posts.both, dry_run=True)
    assert len(result.created) == 16 and tree(notebook) == before


def test_topic_export_reproduces_the_topic_post(notebook: Path, posts: Posts, tmp_path: Path) -> None:
    import_posts(notebook, posts.both)
    topic = posts.expect["topic"]
    text = export_post(load_notebook(notebook), tag=topic, style="date", order="asc")
    post = parse_post(tmp_path / "x.md", text)
    reference = parse_post(posts.topic)
    assert [e.date for e in post.entries] == [e.date for e in reference.entries]
    assert [merge_key(e.date, e.body) for e in post.entries] == [merge_key(e.date, e.body) for e in reference.entries]
    assert re.findall(r"^##### .*$", text, re.M) == [f"##### 🗓 {day}" for day in posts.expect["topic_dates"]]
    assert f'title: "Today I Learned: {topic}"' in text


def test_export_renumbers_footnotes_in_order_of_use(notebook: Path, posts: Posts) -> None:
    import_posts(notebook, posts.both)
    text = export_post(load_notebook(notebook), order="asc")
    refs = re.findall(r"\[\^(\d+)\](?!:)", text)
    assert list(dict.fromkeys(refs)) == [str(i) for i in range(1, 10)]
    defs = re.findall(r"^\[\^(\d+)\]:", text, re.M)
    assert defs == [str(i) for i in range(1, 10)]


def test_full_export_round_trips(notebook: Path, posts: Posts, tmp_path: Path) -> None:
    import_posts(notebook, posts.both)
    first = load_notebook(notebook)
    post = tmp_path / "all.md"
    post.write_text(export_post(first, order="desc"), encoding="utf-8")
    second_root = tmp_path / "nb2"
    from tilbook.capture import init_notebook
    init_notebook(second_root)
    import_posts(second_root, [post])
    second = load_notebook(second_root)

    def key(n):  # noqa: ANN001
        return (n.date, n.category, n.draft, n.title, n.tags, merge_key(n.date, n.body))

    assert sorted(map(key, second.notes)) == sorted(map(key, first.notes))


def test_heading_inside_code_block_is_not_a_note(tmp_path: Path) -> None:
    post = tmp_path / "p.md"
    post.write_text("##### 🥧 Python\n\n*2024.01.02*\n\nShown as code:\n\n```md\n##### 🥧 Python\n*2024.01.03*\n```\n",
                    encoding="utf-8")
    parsed = parse_post(post)
    assert len(parsed.entries) == 1 and "##### 🥧 Python" in parsed.entries[0].body


def test_newest_first_post_imports_the_same_notes(notebook: Path, tmp_path: Path) -> None:
    post = tmp_path / "p.md"
    post.write_text("> newest first\n\n##### 🥧 Python\n\n*2024.02.01*\n\nLater note.[^a]\n\n"
                    "##### 🥧 Python\n\n*2024.01.01*\n\nEarlier note.\n\n### References\n\n[^a]: A source.\n",
                    encoding="utf-8")
    import_posts(notebook, [post])
    notes = load_notebook(notebook).notes
    assert [(n.date.isoformat(), n.body) for n in notes] == [
        ("2024-01-01", "Earlier note."), ("2024-02-01", "Later note.[^a]\n\n[^a]: A source.")]


def test_list_json_keys(notebook: Path, posts: Posts, tilbook) -> None:  # noqa: ANN001
    import_posts(notebook, posts.both)
    result = tilbook("list", "--json", cwd=notebook)
    rows = [json.loads(line) for line in result.out.splitlines()]
    assert result.code == 0 and len(rows) == 16
    assert set(rows[0]) == {"date", "category", "emoji", "tags", "title", "draft", "slug", "path", "created", "updated"}
    newest = rows[0]
    assert (newest["date"], newest["category"], newest["emoji"]) == posts.expect["newest"]
    assert (notebook / newest["path"]).is_file()


def test_separator_lines_between_notes_are_not_content(tmp_path: Path) -> None:
    post = tmp_path / "p.md"
    post.write_text("##### 🥧 Python\n\n*2024.01.01*\n\nFirst note.\n\n---\n\n"
                    "##### 🥧 Python\n\n*2024.01.02*\n\nA heading underline stays:\n---\n\nSecond note.\n\n* * *\n\n"
                    "### References\n\n[^a]: unused\n", encoding="utf-8")
    bodies = [entry.body for entry in parse_post(post).entries]
    assert bodies == ["First note.", "A heading underline stays:\n---\n\nSecond note."]


def test_titles_come_from_the_first_sentence_as_rendered() -> None:
    from tilbook.notes import derive_title
    assert derive_title("`Option<T>`의 `?` 연산자는 `None`이면 반환합니다.[^1] 그 다음 문장.") == \
        "Option<T>의 ? 연산자는 None이면 반환합니다."
    assert derive_title("```py\nx = 1\n```\n\nAfter the code. More.") == "After the code."
    assert derive_title("See [the docs](https://example.org) ![a](a.png) and $x^2$. Next") == "See the docs and $x^2$."
    assert derive_title("It costs $5 to $10 here. Next") == "It costs $5 to $10 here."
    assert derive_title("## A heading\n\nBody.") == "A heading"
    assert derive_title("word " * 30).endswith("…") and len(derive_title("word " * 30)) <= 71
    assert derive_title("[^1]: only a definition") == "Untitled note"
