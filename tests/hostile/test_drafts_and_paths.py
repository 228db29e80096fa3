"""Hostile input, groups 1-2: drafts never leak; hostile names never write outside the output."""
from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.conftest import write_note
from tests.site.linkcheck import all_text
from tilbook.errors import BuildError
from tilbook.site.build import build_site

MARKERS = ("ZQXDRAFTWORD", "초안비밀낱말", "zqx-draft-only-tag", "Zqxdraftcategory", "zqx-draft-slug")


def draft_notebook(root: Path) -> None:
    write_note(root, "2024/2024-03-01-public.md",
               "---\ndate: 2024-03-01\ncategory: Python\ntags: [python]\ntitle: A public note\n---\n"
               "Generators are lazy; see [the plan](2024-03-02-zqx-draft-slug.md).\n")
    write_note(root, "2024/2024-03-02-zqx-draft-slug.md",
               "---\ndate: 2024-03-02\ncategory: Zqxdraftcategory\ntags: [zqx-draft-only-tag, python]\n"
               "title: ZQXDRAFTWORD plan\ndraft: true\n---\n초안비밀낱말 ZQXDRAFTWORD body.[^1]\n\n[^1]: ZQXDRAFTWORD source.\n")


def leaks(out: Path) -> list[str]:
    forms = {f for m in MARKERS for f in (m, m.lower(), json.dumps(m)[1:-1], quote(m))}
    return [name for name, text in all_text(out).items() if any(f.lower() in text.lower() for f in forms)]


def test_drafts_leave_no_trace_in_any_published_file(notebook: Path, tmp_path: Path) -> None:
    draft_notebook(notebook)
    result = build_site(notebook, tmp_path / "out")
    assert leaks(tmp_path / "out") == []
    assert [w.code for w in result.warnings] == ["link-draft"]
    page = (tmp_path / "out/2024/03/01/public/index.html").read_text(encoding="utf-8")
    assert "see the plan." in page  # the link to the draft is reduced to its text
    assert not (tmp_path / "out" / ".tilbook-drafts").exists()


def test_a_drafts_build_shows_them_marked(notebook: Path, tmp_path: Path) -> None:
    draft_notebook(notebook)
    build_site(notebook, tmp_path / "preview", drafts=True)
    page = (tmp_path / "preview/2024/03/02/zqx-draft-slug/index.html").read_text(encoding="utf-8")
    assert "draft-banner" in page and "ZQXDRAFTWORD plan" in page
    assert (tmp_path / "preview" / ".tilbook-drafts").is_file()


HOSTILE_VALUES = ["../../../escape", "%2e%2e/%2e%2e/up", "/tmp/absolute-zqx", "..\\\\windows\\\\path",
                  "nul\\0byte", "x" * 400, "..", ".", "%2E%2E"]


@pytest.mark.parametrize("value", HOSTILE_VALUES)
def test_hostile_names_stay_inside_the_output(value: str, notebook: Path, tmp_path: Path) -> None:
    quoted = json.dumps(value).replace("\\\\0", "\\0")
    write_note(notebook, "2024/2024-01-01-h.md",
               f"---\ndate: 2024-01-01\ncategory: {quoted}\ntags: [{quoted}, ok]\ntitle: {quoted}\nslug: {quoted}\n---\nBody.\n")
    deep = tmp_path / "a" / "b" / "c"
    deep.mkdir(parents=True)
    out = deep / "out"
    outside_before = {p for p in tmp_path.rglob("*") if not p.is_relative_to(out)}
    build_site(notebook, out)
    written = {p for p in tmp_path.rglob("*") if not p.is_relative_to(out)} - outside_before
    assert {p for p in written if ".tilbook-cache" not in p.parts} == set()
    assert all(p.resolve().is_relative_to(out.resolve()) for p in out.rglob("*"))
    assert not Path("/tmp/absolute-zqx").exists()
    assert all(len(p.name.encode()) < 256 for p in out.rglob("*"))


def test_names_differing_only_by_case_collide_with_both_named(notebook: Path, tmp_path: Path) -> None:
    write_note(notebook, "2024/2024-01-01-a.md", "---\ndate: 2024-01-01\ncategory: Python\nslug: Intro\n---\nA.\n")
    write_note(notebook, "2024/2024-01-01-b.md", "---\ndate: 2024-01-01\ncategory: Python\nslug: intro\n---\nB.\n")
    with pytest.raises(BuildError) as info:
        build_site(notebook, tmp_path / "out")
    assert str(info.value) == ("two sources would write the same URL /2024/01/01/intro/: "
                               "notes/2024/2024-01-01-a.md and notes/2024/2024-01-01-b.md "
                               "(give one of them a different slug or name)")


def test_nfc_and_nfd_names_are_one_url(notebook: Path, tmp_path: Path) -> None:
    nfd = unicodedata.normalize("NFD", "한글")
    write_note(notebook, "2024/2024-01-01-a.md", "---\ndate: 2024-01-01\ncategory: CS\nslug: 한글\n---\nA.\n")
    write_note(notebook, "2024/2024-01-01-b.md", f"---\ndate: 2024-01-01\ncategory: CS\nslug: {nfd}\n---\nB.\n")
    with pytest.raises(BuildError, match="two sources would write the same URL /2024/01/01/한글/"):
        build_site(notebook, tmp_path / "out")


def test_categories_differing_only_by_case_share_nothing_silently(notebook: Path, tmp_path: Path) -> None:
    write_note(notebook, "2024/2024-01-01-a.md", "---\ndate: 2024-01-01\ncategory: Linux\n---\nA.\n")
    write_note(notebook, "2024/2024-01-02-b.md", "---\ndate: 2024-01-02\ncategory: linux\n---\nB.\n")
    with pytest.raises(BuildError, match="/categories/linux/: category `Linux` and category `linux`"):
        build_site(notebook, tmp_path / "out")


def test_a_digest_path_field_never_decides_where_files_go(notebook: Path, tmp_path: Path) -> None:
    from tilbook.importer import import_posts
    post = tmp_path / "post.md"
    post.write_text('---\ntitle: "Today I Learned: ../../etc"\npath: "../../../../tmp/zqx-escape/"\n---\n\n'
                    "##### 🐧 ../Linux\n\n*2024.01.02*\n\nA note.\n", encoding="utf-8")
    before = {p for p in tmp_path.rglob("*")}
    import_posts(notebook, [post])
    added = {p for p in tmp_path.rglob("*")} - before
    assert all(p.is_relative_to(notebook) for p in added)
    assert not Path("/tmp/zqx-escape").exists()
