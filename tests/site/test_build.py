"""Building sites: pages, math, feeds, links, drafts, output safety, incremental = cold."""
from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE, write_note
from tests.posts import Posts
from tests.site.linkcheck import all_text, broken_links
from tilbook.errors import BuildError
from tilbook.importer import import_posts
from tilbook.notes import load_notebook
from tilbook.site import state
from tilbook.site.build import build_site

ATOM = "{http://www.w3.org/2005/Atom}"


def copy_example(tmp_path: Path) -> Path:
    import shutil
    target = tmp_path / "example"
    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns("site", ".tilbook-cache"))
    return target


def tree(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()
            and p.name != ".tilbook-site"}


@pytest.fixture(scope="module")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = copy_example(tmp_path_factory.mktemp("ex"))
    build_site(root, workers=1)
    return root, root / "site"


def test_every_published_note_has_a_page(example_site: tuple[Path, Path]) -> None:
    root, out = example_site
    notebook = load_notebook(root)
    for note in notebook.notes:
        page = out / f"{note.date:%Y/%m/%d}" / note.slug / "index.html"
        assert page.is_file() != note.draft, note.rel
        if not note.draft:
            assert f"<h1>{note.title}</h1>" in page.read_text(encoding="utf-8").replace("&#39;", "'").replace("&amp;", "&").replace("&quot;", '"')


def test_no_draft_text_anywhere(example_site: tuple[Path, Path]) -> None:
    root, out = example_site
    drafts = [n for n in load_notebook(root).notes if n.draft]
    assert drafts, "the example notebook must hold drafts for this test"
    texts = all_text(out)
    for note in drafts:
        probes = [note.title, note.slug, max(re.findall(r"[가-힣A-Za-z]{4,}", note.body), key=len)]
        for probe in probes:
            assert not [name for name, text in texts.items() if probe in text], (note.rel, probe)


def test_internal_links_resolve(example_site: tuple[Path, Path]) -> None:
    _, out = example_site
    assert broken_links(out) == []


def test_feeds_are_atom_with_full_content(example_site: tuple[Path, Path]) -> None:
    root, out = example_site
    feeds = sorted(out.rglob("feed.xml"))
    assert out / "feed.xml" in feeds and len(feeds) > 3
    for feed in feeds:
        tree_ = ET.parse(feed).getroot()
        assert tree_.tag == ATOM + "feed"
        for required in ("id", "title", "updated", "author"):
            assert tree_.find(ATOM + required) is not None, (feed, required)
        for entry in tree_.findall(ATOM + "entry"):
            for required in ("id", "title", "updated", "link", "content"):
                assert entry.find(ATOM + required) is not None
    main = ET.parse(out / "feed.xml").getroot()
    contents = [e.find(ATOM + "content").text or "" for e in main.findall(ATOM + "entry")]
    assert any("<math" in c for c in contents)
    assert all('src="../' not in c and 'href="../' not in c for c in contents)


def test_math_code_and_pages(example_site: tuple[Path, Path]) -> None:
    _, out = example_site
    pages = {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in out.rglob("*.html")}
    assert any("<math" in text and 'class="highlight"' in text for text in pages.values())
    for required in ("index.html", "archive/index.html", "categories/index.html", "tags/index.html",
                     "digest/index.html", "search/index.html", "404.html"):
        assert required in pages
    for required in ("sitemap.xml", "robots.txt", "assets/style.css", "assets/pygments.css",
                     "assets/fonts/STIXTwoMath-Regular.woff2"):
        assert (out / required).is_file()
    assert '<svg class="heatmap"' in pages["index.html"]
    for text in pages.values():  # no inline script or style anywhere: the pages run under default-src 'self'
        assert re.findall(r"<script[^>]*>", text) == ['<script src="' + re.search(r'<script src="([^"]+)"', text).group(1) + '" defer>']
        assert " style=" not in text and "<style" not in text


def test_unknown_math_macro_warns_until_defined(notebook: Path, posts: Posts, tmp_path: Path) -> None:
    import_posts(notebook, posts.both)
    result = build_site(notebook, tmp_path / "before", workers=1)
    ohm = [w for w in result.warnings if "\\ohm" in w.message]
    assert ohm and ohm[0].path.endswith(".md") and ohm[0].line is not None
    config = notebook / "tilbook.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("[math.macros]", '[math.macros]\nohm = "\\\\Omega"'),
                      encoding="utf-8")
    result = build_site(notebook, tmp_path / "after", workers=1)
    assert not [w for w in result.warnings if "\\ohm" in w.message]
    import html
    page = html.unescape(next((tmp_path / "after" / posts.expect["ohm_day"]).glob("*/index.html")).read_text(encoding="utf-8"))
    drawn = re.sub(r'alttext="[^"]*"', "", page)  # alttext keeps the TeX as written
    assert "<math" in page and "<mi mathvariant=\"normal\">Ω</mi>" in drawn and "\\ohm" not in drawn
    before = tmp_path / "before" / posts.expect["ohm_day"]
    assert "<merror><mtext>\\ohm</mtext></merror>" in html.unescape(next(before.glob("*/index.html")).read_text("utf-8"))
    missing = [w for w in result.warnings if w.code == "image-missing"]
    assert len(missing) == 1 and posts.expect["missing_image"] in missing[0].message


def test_incremental_equals_cold_and_parallel_equals_serial(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = copy_example(tmp_path)
    build_site(root, tmp_path / "inc", workers=1)
    notes = sorted((root / "notes").rglob("*.md"))
    notes[3].write_text(notes[3].read_text(encoding="utf-8") + "\n\nOne more line about generators.\n",
                        encoding="utf-8")
    build_site(root, tmp_path / "inc", workers=1)
    notes[5].unlink()  # a note removed and one added: shards, chunks, lists and feeds follow
    write_note(root, "2024/2024-12-01-new-note.md",
               "---\ndate: 2024-12-01\ncategory: Python\ntags: [python]\n---\n새로 배운 것: zip의 strict 인자.\n")
    build_site(root, tmp_path / "inc", workers=1)
    import shutil
    shutil.rmtree(root / ".tilbook-cache")
    build_site(root, tmp_path / "cold", workers=1)
    shutil.rmtree(root / ".tilbook-cache")
    os.environ["TILBOOK_PARALLEL_THRESHOLD"] = "1"
    from tilbook.site import assemble as build_module
    monkeypatch.setattr(build_module, "PARALLEL_PAGES", 1)  # note pages made by forked workers too
    try:
        calls: list[tuple[str, int, int]] = []
        build_site(root, tmp_path / "par", workers=2, progress=lambda *call: calls.append(call))
    finally:
        del os.environ["TILBOOK_PARALLEL_THRESHOLD"]
    assert tree(tmp_path / "inc") == tree(tmp_path / "cold") == tree(tmp_path / "par")
    rendering = [call for call in calls if call[0] == "rendering notes"]
    assert rendering[-1][1] == rendering[-1][2] == len(load_notebook(root).notes) - 2  # all but the drafts


def test_unchanged_files_keep_their_mtime(tmp_path: Path) -> None:
    root = copy_example(tmp_path)
    out = tmp_path / "out"
    build_site(root, out, workers=1)
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    result = build_site(root, out, workers=1)
    after = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    assert result.changed == 0
    assert {p: t for p, t in after.items() if p.name != ".tilbook-site"} == \
        {p: t for p, t in before.items() if p.name != ".tilbook-site"}


@pytest.mark.parametrize("where", ["root", "notes", "inside-notes", "parent"])
def test_unsafe_output_folders_are_refused(where: str, notebook: Path) -> None:
    target = {"root": notebook, "notes": notebook / "notes", "inside-notes": notebook / "notes" / "x",
              "parent": notebook.parent}[where]
    with pytest.raises(BuildError, match="refusing to build into"):
        build_site(notebook, target)


def test_foreign_non_empty_folder_is_refused(notebook: Path, tmp_path: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.tex").write_text("precious", encoding="utf-8")
    with pytest.raises(BuildError, match="tilbook did not build it"):
        build_site(notebook, out)
    assert (out / "thesis.tex").read_text(encoding="utf-8") == "precious"


def test_url_collision_names_both_notes(notebook: Path, tmp_path: Path) -> None:
    write_note(notebook, "2024/2024-01-01-a.md", "---\ndate: 2024-01-01\ncategory: CS\nslug: Same\n---\nOne.\n")
    write_note(notebook, "2024/2024-01-01-b.md", "---\ndate: 2024-01-01\ncategory: CS\nslug: same\n---\nTwo.\n")
    with pytest.raises(BuildError) as info:
        build_site(notebook, tmp_path / "out")
    assert "notes/2024/2024-01-01-a.md" in str(info.value) and "notes/2024/2024-01-01-b.md" in str(info.value)
    assert not (tmp_path / "out").exists()


def test_cache_writes_can_wait_until_after_the_reload(tmp_path: Path) -> None:
    root = copy_example(tmp_path)
    later: list = []
    first = build_site(root, tmp_path / "out", workers=1, later=later)
    assert first.changed > 0 and later
    assert not list((root / ".tilbook-cache").glob("page-keys-*")) and not list((root / ".tilbook-cache").glob("render-*"))
    assert state.last_build(root / ".tilbook-cache", (tmp_path / "out").resolve(), drafts=False) is None
    for save in later:
        save()
    assert build_site(root, tmp_path / "out", workers=1).up_to_date  # the build state was written later too
    (root / ".tilbook-cache" / "build-state.sqlite").unlink()
    again = build_site(root, tmp_path / "out", workers=1)
    assert (again.changed, again.cache_hits) == (0, first.notes)
