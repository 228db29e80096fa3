"""`tilbook search` and the SQLite index: Korean substrings of any length, English, phrases,
filters, drafts marked, incremental refresh."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import write_note
from tests.posts import Posts
from tilbook.importer import import_posts
from tilbook.notes import load_notebook
from tilbook.search.fts import connect, refresh, search


@pytest.fixture
def seeded(notebook: Path, posts: Posts) -> tuple[Path, dict[str, Any]]:
    import_posts(notebook, posts.both)
    return notebook, posts.expect["search"]


def dates(root: Path, query: str, **filters: str) -> list[str]:
    con = connect(root)
    refresh(con, load_notebook(root))
    return [hit.date for hit in search(con, query, limit=100, **filters)]


def assert_finds(seeded: tuple[Path, dict[str, Any]], group: str) -> None:
    root, expect = seeded
    for query, filters, expected in expect[group]:
        assert sorted(dates(root, query, **filters)) == expected, (query, filters)


def test_two_syllable_korean_finds_inside_longer_words(seeded: tuple[Path, dict[str, Any]]) -> None:
    assert_finds(seeded, "short")


def test_korean_with_particle_and_long_words(seeded: tuple[Path, dict[str, Any]]) -> None:
    assert_finds(seeded, "long")


def test_english_case_insensitive_mixed_and_phrase(seeded: tuple[Path, dict[str, Any]]) -> None:
    assert_finds(seeded, "english")


def test_all_words_must_match_and_filters(seeded: tuple[Path, dict[str, Any]]) -> None:
    assert_finds(seeded, "filters")


def test_code_identifiers_are_kept(seeded: tuple[Path, dict[str, Any]]) -> None:
    assert_finds(seeded, "code")


def test_refresh_is_incremental_and_drafts_are_marked(notebook: Path) -> None:
    write_note(notebook, "2024/a.md", "---\ndate: 2024-01-01\ncategory: CS\n---\n함수형 프로그래밍 메모.\n")
    con = connect(notebook)
    assert refresh(con, load_notebook(notebook)) == (1, 0)
    assert refresh(con, load_notebook(notebook)) == (0, 0)
    write_note(notebook, "2024/a.md", "---\ndate: 2024-01-01\ncategory: CS\ndraft: true\n---\n클로저 메모.\n")
    write_note(notebook, "2024/b.md", "---\ndate: 2024-01-02\ncategory: CS\n---\n함수 합성.\n")
    assert refresh(con, load_notebook(notebook)) == (2, 0)
    hits = search(con, "메모")
    assert [(h.path, h.draft) for h in hits] == [("notes/2024/a.md", True)]
    assert [h.path for h in search(con, "함수")] == ["notes/2024/b.md"]
    (notebook / "notes/2024/b.md").unlink()
    assert refresh(con, load_notebook(notebook)) == (0, 1)
    assert search(con, "함수") == []


def test_cli_json_and_exit_status(seeded: tuple[Path, dict[str, Any]], tilbook) -> None:  # noqa: ANN001
    root, expect = seeded
    query, date, category = expect["cli"]
    result = tilbook("search", query, "--json", cwd=root)
    rows = [json.loads(line) for line in result.out.splitlines()]
    assert result.code == 0 and [r["date"] for r in rows] == [date]
    assert set(rows[0]) >= {"date", "category", "title", "snippet", "path", "draft"}
    assert f"<mark>{query}</mark>" in rows[0]["snippet"] and rows[0]["category"] == category
    assert tilbook("search", "없는단어조합", cwd=root).code == 1


def test_every_query_path_one_syllable_two_letters_and_mixed(notebook: Path) -> None:
    write_note(notebook, "2024/a.md", "---\ndate: 2024-02-01\ncategory: CS\n---\n한 개의 값을 tf.function에 넘긴다.\n")
    write_note(notebook, "2024/b.md", "---\ndate: 2024-02-02\ncategory: CS\n---\n개념 두 개: 개념도와 개념어.\n")
    write_note(notebook, "2024/c.md", "---\ndate: 2024-02-03\ncategory: Python\n---\nThe pdtf format has no 개념.\n")
    assert dates(notebook, "개") == ["2024-02-02", "2024-02-03", "2024-02-01"]  # CJK character index, bm25: four times first
    assert dates(notebook, "개념") == ["2024-02-02", "2024-02-03"]  # bigram index, bm25: three times beats once
    assert dates(notebook, "tf") == ["2024-02-03", "2024-02-01"]  # substring, like the other short queries
    assert dates(notebook, "개념 tf") == ["2024-02-03"]
    assert dates(notebook, "개념 format") == ["2024-02-03"]
    assert dates(notebook, "개념", category="CS") == ["2024-02-02"]


def test_code_keeps_every_character(notebook: Path) -> None:
    write_note(notebook, "2024/r.md", "---\ndate: 2024-03-01\ncategory: CS\n---\n"
               "`Option<T>`의 `?`는 **일찍** 반환한다.\n\n```rust\nfn first(v: &[i32]) -> Option<i32> { v.first().copied() }\n```\n")
    assert dates(notebook, "Option<i32>") == ["2024-03-01"]
    assert dates(notebook, '"-> Option"') == ["2024-03-01"]
    assert dates(notebook, "Option<T>의") == ["2024-03-01"]
    assert dates(notebook, "**일찍**") == []  # markup is not text


def test_results_show_formulas_in_plain_form(notebook: Path) -> None:
    write_note(notebook, "2024/2024-03-01-normal.md", "---\ndate: 2024-03-01\ncategory: Math\n---\n"
               "표준 정규분포 $\\mathcal N (0, 1)$ 에서 뽑은 continuous distribution 의 값.\n")
    con = connect(notebook)
    refresh(con, load_notebook(notebook))
    hits = search(con, "continuous distribution", limit=5)
    assert len(hits) == 1 and "𝒩 (0, 1)" in hits[0].snippet.replace("<mark>", "").replace("</mark>", "")
    assert "\\mathcal" not in hits[0].snippet and "$" not in hits[0].snippet

