"""Digest pages: a long digest is split by year into parts with stable URLs, previous/next links
and a contents page; every note is on exactly one page; a short digest stays one page."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import write_note
from tilbook.site import steps
from tilbook.site.build import build_site


def notebook_of(root: Path, days: list[str]) -> None:
    config = root / "tilbook.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("[categories]", '[categories]\n"CS" = "💻"'),
                      encoding="utf-8")
    for number, day in enumerate(days):
        write_note(root, f"{day[:4]}/{day}-n{number}.md",
                   f"---\ndate: {day}\ncategory: CS\ntitle: 노트 {number}\n---\n{number}번째 노트의 본문입니다.\n")


def sections(page: Path) -> list[str]:
    return re.findall(r'<section class="digest-note" id="([^"]+)"', page.read_text(encoding="utf-8"))


def test_a_long_digest_is_paged_by_year(notebook: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(steps, "DIGEST_PAGE_NOTES", 3)
    days = ["2021-01-05", "2021-02-01", "2021-03-01", "2021-04-01", "2022-01-01", "2022-05-01"]
    notebook_of(notebook, days)
    out = tmp_path / "out"
    build_site(notebook, out, workers=1)
    contents = (out / "digest" / "index.html").read_text(encoding="utf-8")
    assert re.findall(r'<li><a href="\.\./(digest/[^"]*)">([^<]+)</a> <span class="count">\((\d+)\)', contents) == [
        ("digest/2021/", "2021 (1/2)", "3"), ("digest/2021/2/", "2021 (2/2)", "1"), ("digest/2022/", "2022", "2")]
    pages = [out / "digest" / "2021" / "index.html", out / "digest" / "2021" / "2" / "index.html",
             out / "digest" / "2022" / "index.html"]
    assert [len(sections(p)) for p in pages] == [3, 1, 2]
    assert sorted(a for p in pages for a in sections(p)) == sorted(f"{d.replace('-', '')}-n{i}" for i, d in enumerate(days))
    middle = pages[1].read_text(encoding="utf-8")
    assert 'rel="prev" href="../../../digest/2021/"' in middle and 'rel="next" href="../../../digest/2022/"' in middle
    first = pages[0].read_text(encoding="utf-8")
    assert 'rel="prev"' not in first and 'rel="next" href="../../digest/2021/2/"' in first
    category = out / "digest" / "cs" / "2022" / "index.html"
    assert len(sections(category)) == 2


def test_a_short_digest_is_one_page(notebook: Path, tmp_path: Path) -> None:
    notebook_of(notebook, ["2021-01-05", "2022-01-01"])
    out = tmp_path / "out"
    build_site(notebook, out, workers=1)
    assert len(sections(out / "digest" / "index.html")) == 2
    assert not (out / "digest" / "2021").exists() and "pager" not in (out / "digest" / "index.html").read_text("utf-8")


def test_adding_a_newer_note_leaves_older_pages_alone(notebook: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(steps, "DIGEST_PAGE_NOTES", 2)
    notebook_of(notebook, ["2021-01-05", "2021-02-01", "2021-03-01"])
    out = tmp_path / "out"
    build_site(notebook, out, workers=1)
    first = (out / "digest" / "2021" / "index.html").read_bytes()
    write_note(notebook, "2021/2021-04-01-n9.md", "---\ndate: 2021-04-01\ncategory: CS\ntitle: 새 노트\n---\n새 노트.\n")
    build_site(notebook, out, workers=1)
    assert (out / "digest" / "2021" / "index.html").read_bytes() == first
    assert len(sections(out / "digest" / "2021" / "2" / "index.html")) == 2


def entries(page: Path) -> list[str]:
    return re.findall(r'<a class="note-title" href="[^"]*">([^<]+)</a>', page.read_text(encoding="utf-8"))


def test_long_lists_and_the_archive_get_a_page_per_year(notebook: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(steps, "LIST_PAGE_NOTES", 2)
    monkeypatch.setattr(steps, "YEAR_PART_NOTES", 2)
    days = ["2021-01-05", "2021-02-01", "2021-03-01", "2022-01-01", "2022-05-01"]
    notebook_of(notebook, days)
    out = tmp_path / "out"
    build_site(notebook, out, workers=1)
    category = out / "categories" / "cs"
    assert entries(category / "index.html") == ["노트 4", "노트 3"]  # the newest two
    nav = (category / "index.html").read_text(encoding="utf-8")
    assert re.findall(r'<a href="\.\./\.\./(categories/cs/\d[^"]*)"', nav) == [
        "categories/cs/2022/", "categories/cs/2021/", "categories/cs/2021/2/"]
    assert entries(category / "2022" / "index.html") == ["노트 4", "노트 3"]
    assert entries(category / "2021" / "index.html") == ["노트 2", "노트 1"]
    assert entries(category / "2021" / "2" / "index.html") == ["노트 0"]
    archive = out / "archive"
    assert entries(archive / "index.html") == []
    assert sorted(entries(archive / "2022" / "index.html") + entries(archive / "2021" / "index.html")
                  + entries(archive / "2021" / "2" / "index.html")) == [f"노트 {i}" for i in range(5)]
