"""Links between notes: `[[…]]` and relative note files resolve to pages, digests and exports;
broken or ambiguous ones are `link-broken` findings with their line; drafts never leak."""
from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import write_note
from tilbook.checks import Target, run_checks
from tilbook.exporter import export_post
from tilbook.importer import import_posts
from tilbook.links import NoteIndex, plain_wikilinks
from tilbook.notes import load_notebook
from tilbook.render.markdown import Renderer
from tilbook.site.build import build_site


def note(date: str, body: str, *, title: str | None = None, draft: bool = False, tags: str = "[]",
         category: str = "Python") -> str:
    head = f"---\ndate: {date}\ncategory: {category}\ntags: {tags}\n"
    head += f'title: "{title}"\n' if title else ""
    return head + f"draft: {'true' if draft else 'false'}\n---\n{body}\n"


def small_notebook(root: Path) -> None:
    write_note(root, "2023/2023-03-01-venv-basics.md", note("2023-03-01", "가상환경은 `python -m venv` 로 만듭니다.",
                                                            title="가상환경 만들기"))
    write_note(root, "2023/2023-03-02-pip-freeze.md", note(
        "2023-03-02", "패키지 목록은 pip freeze 로 봅니다.\n\n앞의 글: [[venv-basics|가상환경 글]]\n"
                      "같은 글을 제목으로: [[가상환경 만들기]]\n파일로: [그 노트](2023-03-01-venv-basics.md)"))
    write_note(root, "2023/2023-03-03-secret.md", note("2023-03-03", "비밀 초안 qqhiddenqq 입니다.", draft=True,
                                                       title="숨은 제목 zzsecretzz"))
    write_note(root, "2023/2023-03-04-public.md", note(
        "2023-03-04", "공개 글이 초안 [[secret|나중 노트]] 와 [[2023-03-03-secret]] 를 가리킵니다."))
    write_note(root, "2023/2023-03-05-broken.md", note(
        "2023-03-05", "첫 줄.\n\n둘째 줄에 [[없는-노트-xq]] 가 있습니다.\n\n`[[코드-안]]` 은 링크가 아닙니다."))


def test_a_wikilink_renders_to_a_placeholder_that_knows_no_other_note() -> None:
    rendered = Renderer().render("앞 [[a-note|보기]] 뒤 `[[code]]`", id_prefix="x")
    assert 'href="tilbook-note:a-note"' in rendered.html and ">보기</a>" in rendered.html
    assert [href for href, _ in rendered.links] == ["tilbook-note:a-note"]
    assert "[[code]]" in rendered.html  # code stays code


def test_resolution_by_file_name_slug_and_title_and_ambiguity(notebook: Path) -> None:
    small_notebook(notebook)
    write_note(notebook, "2024/2024-01-01-venv-basics.md", note("2024-01-01", "다른 해의 같은 슬러그."))
    index = NoteIndex.of(load_notebook(notebook).notes)
    assert index.resolve("2023-03-01-venv-basics").note.rel.endswith("2023-03-01-venv-basics.md")
    assert index.resolve("notes/2023/2023-03-01-venv-basics.md").note is not None
    assert index.resolve("가상환경 만들기").note.rel.endswith("2023-03-01-venv-basics.md")
    ambiguous = index.resolve("venv-basics")
    assert ambiguous.note is None and "ambiguous" in (ambiguous.problem or "")
    assert index.resolve("nothing-here").problem


def test_links_and_backlinks_in_pages_and_digests(notebook: Path, tmp_path: Path) -> None:
    small_notebook(notebook)
    out = tmp_path / "site"
    result = build_site(notebook, out)
    source = (out / "2023/03/02/pip-freeze/index.html").read_text(encoding="utf-8")
    body = source.split('<div class="note-body">', 1)[1].split("</div>", 1)[0]
    assert body.count('href="../../../../2023/03/01/venv-basics/"') == 3  # by slug, by title, the file link
    target = (out / "2023/03/01/venv-basics/index.html").read_text(encoding="utf-8")
    assert 'class="linked-from"' in target and 'href="../../../../2023/03/02/pip-freeze/"' in target
    digest = (out / "digest/index.html").read_text(encoding="utf-8")
    assert 'href="../2023/03/01/venv-basics/"' in digest and "tilbook-note:" not in digest
    broken = (out / "2023/03/05/broken/index.html").read_text(encoding="utf-8")
    assert "없는-노트-xq" in broken and "tilbook-note" not in broken
    codes = {(w.path.rsplit("/", 1)[-1], w.line, w.code) for w in result.warnings}
    assert ("2023-03-05-broken.md", 9, "link-broken") in codes


def test_check_reports_broken_and_ambiguous_links_with_their_line(notebook: Path) -> None:
    small_notebook(notebook)
    write_note(notebook, "2024/2024-01-01-venv-basics.md", note("2024-01-01", "같은 슬러그 [[venv-basics]]."))
    findings = [f for f in run_checks(Target(notebook, True)) if f.rule == "link-broken"]
    by_file = {(f.path.rsplit("/", 1)[-1], f.line): f.message for f in findings}
    assert "없는-노트-xq" in by_file[("2023-03-05-broken.md", 9)]
    assert "ambiguous" in by_file[("2024-01-01-venv-basics.md", 7)]
    assert not any("코드-안" in m for m in by_file.values())


def test_no_draft_title_slug_or_text_in_any_published_file(notebook: Path, tmp_path: Path) -> None:
    small_notebook(notebook)
    out = tmp_path / "site"
    build_site(notebook, out)
    public = (out / "2023/03/04/public/index.html").read_text(encoding="utf-8")
    assert "나중 노트" in public and "(비공개 노트)" in public
    for path in out.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for secret in ("secret", "qqhiddenqq", "zzsecretzz", "숨은 제목"):
                assert secret.encode() not in data, (secret, path)


def test_export_points_links_at_the_posts_own_anchors_and_import_reads_it_back(notebook: Path, tmp_path: Path) -> None:
    small_notebook(notebook)
    post = export_post(load_notebook(notebook))
    assert '<a id="20230301-venv-basics"></a>' in post
    assert "[가상환경 글](#20230301-venv-basics)" in post and "[그 노트](#20230301-venv-basics)" in post
    assert "[[" not in post.replace("`[[코드-안]]`", "") and "secret" not in post
    assert "나중 노트" in post  # a draft's link keeps its shown text only
    other = tmp_path / "other"
    from tilbook.capture import init_notebook
    init_notebook(other)
    (tmp_path / "post.md").write_text(post, encoding="utf-8")
    import_posts(other, [tmp_path / "post.md"])
    bodies = [n.body for n in load_notebook(other).notes]
    assert not any("<a id=" in b for b in bodies)


def test_search_shows_a_wikilink_as_its_text(notebook: Path, tilbook) -> None:
    small_notebook(notebook)
    assert plain_wikilinks("[[a|보기]] 와 [[b#h]]") == "보기 와 b"
    result = tilbook("search", "pip", "--json", cwd=notebook)
    hits = [json.loads(line) for line in result.out.splitlines() if line.startswith("{")] or json.loads(result.out)
    assert any("가상환경 글" in hit["snippet"] and "[[" not in hit["snippet"] for hit in hits)
