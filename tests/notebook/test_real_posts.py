"""Real posts in, nothing lost: the patterns of years-old digest posts (tests/notebook/posts/),
imported and checked as a user would meet them."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from tilbook.importer import import_posts
from tilbook.model import Note
from tilbook.notes import load_notebook

POSTS = Path(__file__).parent / "posts"


@pytest.fixture
def blog(tmp_path: Path) -> Path:
    """The posts where a lumen blog keeps them, with the image they show in the blog's img/."""
    posts = tmp_path / "blog" / "content" / "posts"
    posts.mkdir(parents=True)
    for post in POSTS.glob("*.md"):
        shutil.copy(post, posts / post.name)
    (tmp_path / "blog" / "img").mkdir()
    (tmp_path / "blog" / "img" / "pipeline.png").write_bytes(b"\x89PNG\r\n\x1a\n a picture")
    return posts


def note_starting(root: Path, words: str) -> Note:
    (found,) = [n for n in load_notebook(root).notes if n.body.startswith(words)]
    return found


def test_undated_notes_become_drafts_dated_from_their_neighbours(notebook: Path, blog: Path, tilbook) -> None:  # noqa: ANN001
    result = tilbook("import", blog / "rough-notebook.md", cwd=notebook)
    assert result.code == 0, result.err
    notes = {(n.date.isoformat(), n.draft, n.category) for n in load_notebook(notebook).notes}
    assert notes == {("2021-03-04", True, "Python"),  # `*2021.00.00*`, first: the date of the note below
                     ("2021-03-04", False, "Python"),
                     ("2021-03-04", True, "CS"),  # no date line: the note above
                     ("2021-03-09", False, "CS"),
                     ("2021-03-09", True, "ML & DL"),  # 2021.02.30: the note above
                     ("2022-01-05", False, "ML library"), ("2022-01-07", False, "ML library")}
    post = str(blog / "rough-notebook.md")
    assert f"{post}:15: note: [date-invalid] `*2021.00.00*` is not a real date; import keeps it as a draft dated " \
           "2021-03-04, the date of the note below (line 19)" in result.err
    assert f"{post}:28: note: [date-invalid] the note `##### 👨‍💻 CS` has no `*YYYY.MM.DD*` date line under it; " \
           "import keeps it as a draft dated 2021-03-04, the date of the note above (line 19)" in result.err
    assert f"{post}:40: note: [date-invalid] `*2021.02.30*` is not a real date" in result.err


def test_check_reports_every_problem_of_a_post_in_one_run(blog: Path, tilbook, tmp_path: Path) -> None:  # noqa: ANN001
    result = tilbook("check", "--json", blog / "rough-notebook.md", cwd=tmp_path)
    findings = [json.loads(line) for line in result.out.splitlines()]
    assert result.code == 1
    assert [(f["line"], f["rule"]) for f in findings] == [
        (15, "date-invalid"), (28, "date-invalid"), (40, "date-invalid"),
        (46, "image-missing"), (71, "footnote-unused")]
    assert "[^9]" in findings[-1]["message"]


def test_a_post_with_no_note_at_all_is_unusable(notebook: Path, tmp_path: Path, tilbook) -> None:  # noqa: ANN001
    post = tmp_path / "empty.md"
    post.write_text("---\ntitle: x\n---\nJust a paragraph.\n", encoding="utf-8")
    result = tilbook("import", post, cwd=notebook)
    assert result.code == 2 and "Traceback" not in result.err
    assert re.search(r"empty\.md: no note found.*#####", result.err)
    latin1 = tmp_path / "latin1.md"
    latin1.write_bytes("##### 🥧 Python\n*2021.01.01*\ncaf\xe9".encode("utf-8")[:-2] + b"\xe9\n")
    assert tilbook("import", latin1, cwd=notebook).code == 2


def test_a_reference_followed_by_a_colon_keeps_its_definition(notebook: Path, blog: Path, tilbook) -> None:  # noqa: ANN001
    import_posts(notebook, [blog / "rough-notebook.md"])
    languages = note_starting(notebook, "언어는 실행 방식으로")
    text = languages.path.read_text(encoding="utf-8")
    assert re.findall(r"^\[\^(\w+)\]:.*$", text, re.M) == ["2"]
    assert "컴파일러. 위키백과" in text
    report = (notebook / "import-reports" / "rough-notebook.md").read_text(encoding="utf-8")
    assert "[^2]:" not in report  # cited, so not "unused"
    assert tilbook("build", cwd=notebook).code == 0
    page = (notebook / "site" / "2021" / "03" / "09" / "언어는-실행-방식으로-나눌-수-있습니다" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'컴파일 언어<sup class="footnote-ref"><a href="#fn-[^"]+" id="fnref-[^"]+">\[1\]</a></sup>: C/C\+\+', page)
    assert "[^2]" not in page


def test_every_line_of_a_post_is_in_a_note_or_the_report(notebook: Path, blog: Path) -> None:
    """Structural lines (front matter, note headings, date lines, the References heading, `---`
    between notes) become front matter and files; every other non-blank line is kept as written."""
    import_posts(notebook, [blog / "rough-notebook.md"])
    kept = "\n".join(p.read_text(encoding="utf-8") for p in (notebook / "notes").rglob("*.md"))
    kept += (notebook / "import-reports" / "rough-notebook.md").read_text(encoding="utf-8")
    body = (blog / "rough-notebook.md").read_text(encoding="utf-8").split("---\n", 2)[2]
    structural = re.compile(r"^(#####|\*\d{4}\.\d\d\.\d\d\*$|### References$|---$)")
    missing = [line for line in body.split("\n")
               if line.strip() and not structural.match(line) and line.replace("../../img/pipeline.png", "../../images/pipeline.png") not in kept]
    assert missing == []
    report = (notebook / "import-reports" / "rough-notebook.md").read_text(encoding="utf-8")
    for line, text in [(10, "이 글에는 짧게"), (12, "> 새로 쓴 노트는"), (48, "## 2022"), (64, "마지막 노트 뒤에")]:
        assert re.search(rf"line {line}:\n\n~~~~markdown\n{re.escape(text)}", report)
    last = note_starting(notebook, "`torch.no_gra")
    assert "마지막 노트 뒤에" not in last.body


def test_images_come_along_and_missing_ones_are_reported(notebook: Path, blog: Path, tilbook) -> None:  # noqa: ANN001
    result = tilbook("import", blog / "rough-notebook.md", cwd=notebook)
    assert (notebook / "images" / "pipeline.png").read_bytes() == b"\x89PNG\r\n\x1a\n a picture"
    assert "copied image images/pipeline.png" in result.out
    note = note_starting(notebook, "배치 정규화의 $\\g")
    assert '![학습 파이프라인](../../images/pipeline.png "파이프라인")' in note.body
    assert "![없는 그림](../../img/missing-plot.png)" in note.body
    assert f"{blog / 'rough-notebook.md'}:46: note: [image-missing] image ../../img/missing-plot.png not found" in result.err
    assert (blog.parent.parent / "img" / "pipeline.png").exists()  # sources untouched
    tilbook("build", "--drafts", cwd=notebook)
    assert (notebook / "site" / "media" / "images" / "pipeline.png").is_file()
    again = tilbook("import", blog / "rough-notebook.md", cwd=notebook)
    assert "0 new, 0 merged, 7 unchanged" in again.out and "copied image" not in again.out


def test_same_image_name_with_other_content_gets_its_own_file(notebook: Path, blog: Path) -> None:
    (notebook / "images").mkdir()
    (notebook / "images" / "pipeline.png").write_bytes(b"another picture")
    import_posts(notebook, [blog / "rough-notebook.md"])
    assert (notebook / "images" / "pipeline.png").read_bytes() == b"another picture"
    assert (notebook / "images" / "pipeline-2.png").read_bytes().endswith(b"a picture")
    assert "../../images/pipeline-2.png" in note_starting(notebook, "배치 정규화의 $\\g").body


def test_new_categories_are_listed_and_aliases_map_them(notebook: Path, blog: Path, tilbook) -> None:  # noqa: ANN001
    dry = tilbook("import", "--dry-run", blog / "rough-notebook.md", blog / "cs-topic-draft.md", cwd=notebook)
    assert "would add category Computer Science & Engineering" in dry.out
    config = notebook / "tilbook.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "[category_aliases]", '[category_aliases]\n"Computer Science & Engineering" = "CS"'), encoding="utf-8")
    result = tilbook("import", blog / "rough-notebook.md", blog / "cs-topic-draft.md", cwd=notebook)
    assert "Computer Science" not in "".join(line for line in result.out.splitlines() if "category" in line)
    topic_only = [n for n in load_notebook(notebook).notes if n.body.startswith(("스택", "힙"))]
    assert [(n.category, n.draft) for n in topic_only] == [("CS", True), ("CS", True)]
    assert "Computer Science" not in config.read_text(encoding="utf-8").split("[category_aliases]")[0]
    # a note file that still says the alias is filed under the category, and check says so
    alias_note = topic_only[0].path
    alias_note.write_text(alias_note.read_text(encoding="utf-8").replace(
        "category: CS", 'category: "Computer Science & Engineering"'), encoding="utf-8")
    assert {n.category for n in load_notebook(notebook).notes if n.path == alias_note} == {"CS"}
    checked = tilbook("check", "--json", cwd=notebook)
    aliases = [json.loads(x) for x in checked.out.splitlines() if "alias" in x]
    assert [(a["rule"], a["severity"], a["line"]) for a in aliases] == [("category-alias", "info", 3)]


def test_near_duplicates_are_written_and_named(notebook: Path, blog: Path, tmp_path: Path, tilbook) -> None:  # noqa: ANN001
    import_posts(notebook, [blog / "rough-notebook.md"])
    changed = tmp_path / "later.md"
    changed.write_text("##### 🥧 Python\n*2021.03.04*\n\n`dict`는 파이썬 3.7부터 삽입 순서를 보장합니다. "
                       "3.6에서는 CPython의 구현 세부였습니다.\n", encoding="utf-8")
    result = tilbook("import", changed, cwd=notebook)
    first = "notes/2021/2021-03-04-dict는-파이썬-3-7부터-삽입-순서를-보장합니다.md"
    second = "notes/2021/2021-03-04-dict는-파이썬-3-7부터-삽입-순서를-보장합니다-2.md"
    assert (notebook / second).is_file()
    assert f"[note-near-duplicate] same date and title as {first} but other text; written as {second}" in result.err
    checked = [json.loads(x) for x in tilbook("check", "--json", cwd=notebook).out.splitlines()]
    pairs = [(f["path"], f["message"]) for f in checked if f["rule"] == "note-near-duplicate"]
    assert pairs in ([(second, f"same date and title as {first} but other text; compare the two and keep one")],
                     [(first, f"same date and title as {second} but other text; compare the two and keep one")])


def test_build_warns_about_what_check_calls_an_error(notebook: Path, tilbook) -> None:  # noqa: ANN001
    tilbook("new", "각주 정의를 잊은 노트입니다[^src].", "-c", "Python", "--new-category", cwd=notebook)
    built = tilbook("build", cwd=notebook)
    checked = [json.loads(x) for x in tilbook("check", "--json", cwd=notebook).out.splitlines()]
    assert [(f["rule"], f["severity"]) for f in checked] == [("footnote-undefined", "error")]
    assert re.search(rf"{re.escape(checked[0]['path'])}:{checked[0]['line']}: warning: \[footnote-undefined\] "
                     r"footnote \[\^src\] has no definition", built.err)


def test_search_reads_escapes_as_rendered(notebook: Path, blog: Path, tilbook) -> None:  # noqa: ANN001
    import_posts(notebook, [blog / "rough-notebook.md"])
    hits = [json.loads(x) for x in tilbook("search", "--json", "map_fn", cwd=notebook).out.splitlines()]
    assert [h["date"] for h in hits] == ["2022-01-05"]
    tilbook("build", cwd=notebook)
    from tilbook.site.search_reader import search_files
    root = notebook / "site" / "search"
    files = {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}
    assert [r["date"] for r in search_files(files, "map_fn")] == ["2022-01-05"]


@pytest.mark.parametrize("line, date", [("*2021.04.25*", "2021-04-25"), ("**2021.4.5**", "2021-04-05"),
                                        ("_2021-04-25_", "2021-04-25"), ("*2021.xx.xx*", None),
                                        ("*21.04.25*", "2021-04-25"), ("*2021. 04. 25.*", "2021-04-25"),
                                        ("*2021.04.25 (일)*", "2021-04-25")])
def test_date_line_spellings(line: str, date: str | None, tmp_path: Path) -> None:
    from tilbook.digest import parse_post
    post = parse_post(tmp_path / "p.md", f"##### 🥧 Python\n{line}\n\n본문입니다.\n\n##### 🥧 Python\n*2021.06.01*\n\n둘째.\n")
    first = post.entries[0]
    assert first.body == "본문입니다."  # the date line, even a placeholder, is never body text
    assert (first.date.isoformat() if not first.date_assumed else None) == date


def test_date_headings_and_windows_line_endings(tmp_path: Path) -> None:
    from tilbook.digest import parse_post
    text = "##### 🗓 2021.04.25 (일)\r\n\r\n첫 노트.\r\n\r\n##### 🗓 2021.00.00\r\n\r\n둘째 노트.\r\n"
    path = tmp_path / "p.md"
    path.write_bytes(text.encode("utf-8"))
    post = parse_post(path)
    assert [(e.date.isoformat(), e.date_assumed, e.body) for e in post.entries] == [
        ("2021-04-25", False, "첫 노트."), ("2021-04-25", True, "둘째 노트.")]
