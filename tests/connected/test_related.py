"""Related notes: TF-IDF over the search tokens (Hangul bigrams, words), tags and category as
boosts, deterministic; the page shows them, `tilbook related` prints them."""
from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import write_note
from tilbook.related import Doc, RelatedIndex
from tilbook.site.build import build_site

NOTES = {
    "2022/2022-02-01-kimchi-ferment.md": ("Cooking", "[발효]", "김치를 담글 때 배추를 소금에 절이고 양념을 버무려 발효시킵니다."),
    "2022/2022-02-02-kimchi-sour.md": ("Cooking", "[발효]", "김치가 시어지는 것은 젖산균이 발효하며 산을 만들기 때문입니다."),
    "2022/2022-02-03-kimchi-store.md": ("Cooking", "[]", "김치냉장고는 발효 속도를 늦추려고 온도를 낮게 유지합니다."),
    "2022/2022-03-01-git-rebase.md": ("Tools", "[git]", "git rebase 는 커밋을 다른 브랜치 위로 옮겨 다시 적용합니다."),
    "2022/2022-03-02-git-bisect.md": ("Tools", "[git]", "git bisect 로 버그가 들어온 커밋을 이진 탐색으로 찾습니다."),
    "2022/2022-04-01-orbit.md": ("Science", "[]", "행성의 궤도는 타원이며 태양은 한 초점에 있습니다."),
}


def make(root: Path) -> None:
    for name, (category, tags, body) in NOTES.items():
        write_note(root, name, f"---\ndate: {name[5:15]}\ncategory: {category}\ntags: {tags}\n---\n{body}\n")


def test_korean_notes_find_their_topic(notebook: Path, tilbook) -> None:
    make(notebook)
    (notebook / "tilbook.toml").write_text((notebook / "tilbook.toml").read_text(encoding="utf-8"), encoding="utf-8")
    result = tilbook("related", "notes/2022/2022-02-01-kimchi-ferment.md", "--json", cwd=notebook)
    rows = json.loads(result.out)
    assert result.code == 0 and set(rows[0]) == {"date", "title", "path", "score"}
    assert {Path(r["path"]).name for r in rows[:2]} == {"2022-02-02-kimchi-sour.md", "2022-02-03-kimchi-store.md"}
    git_rows = json.loads(tilbook("related", "git-rebase", "--json", cwd=notebook).out)
    assert Path(git_rows[0]["path"]).name == "2022-03-02-git-bisect.md"
    assert all(r["score"] > 0 for r in rows)


def test_deterministic_ties_newer_then_path() -> None:
    docs = [Doc(f"n{i}.md", frozenset({"공통", "단어"}), frozenset(), "c", 10 + (i % 2)) for i in range(4)]
    docs.append(Doc("x.md", frozenset({"공통", "단어", "혼자"}), frozenset(), "c", 5))
    first = RelatedIndex(docs).related("x.md")
    again = RelatedIndex(reversed(docs)).related("x.md")
    assert first == again and [r.key for r in first] == ["n1.md", "n3.md", "n0.md", "n2.md"]


def test_the_note_page_shows_related_notes(notebook: Path, tmp_path: Path) -> None:
    make(notebook)
    out = tmp_path / "site"
    build_site(notebook, out)
    page = (out / "2022/02/01/kimchi-ferment/index.html").read_text(encoding="utf-8")
    related = page.split('class="related-notes"', 1)[1]
    assert "kimchi-sour/" in related and "kimchi-store/" in related
