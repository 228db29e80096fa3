"""The site's static search index: query semantics, determinism, incremental shards, and the
search box in headless Chromium."""
from __future__ import annotations

import shutil
import urllib.parse
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.browser import browser_page, screenshot, static_server
from tests.site.generated import note
from tilbook.site import search_index as site_index
from tilbook.site.search_index import SearchRecord, build_site_index, update_site_index
from tilbook.site.search_patch import patch_documents
from tilbook.site.search_reader import search_files
from tilbook.tokens import normalise


@pytest.fixture(autouse=True, params=["small-index", "large-index"])
def layout(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every test runs twice: with the layout of a small notebook, and with the one a large notebook
    gets (every term's postings in their own pages, here of one or two documents, so a query reads
    them in several rounds; 10-bit document chunks)."""
    if request.param == "large-index":
        monkeypatch.setattr(site_index, "SPLIT_POSTINGS", 0)
        monkeypatch.setattr(site_index, "PAGE_POSTINGS", 1)
        monkeypatch.setattr(site_index, "chunk_bits", lambda documents: 10)
    return str(request.param)

RECORDS = [
    SearchRecord("2024/01/01/a/", "2024/01/01/a/", "텐서플로우의 map_fn", "2024-01-01", "ML library", ("tensorflow",),
                 "텐서플로우의 map_fn은 텐서 리스트에 함수를 적용합니다. Immutable values help."),
    SearchRecord("2024/01/02/b/", "2024/01/02/b/", "모듈성", "2024-01-02", "Python", ("python",),
                 "파이썬 모듈과 모듈성에 대해 정리합니다. A generator is lazy."),
    SearchRecord("2024/01/03/c/", "2024/01/03/c/", "플로우 없는 노트", "2024-01-03", "CS", (),
                 "데이터 흐름과 immutable로 만든 객체."),
]


def urls(query: str, records: list[SearchRecord] = RECORDS) -> list[str]:
    return [r["url"] for r in search_files(build_site_index(records), query)]


def test_korean_substrings_english_prefixes_and_mixed() -> None:
    assert urls("텐서") == ["2024/01/01/a/"]
    assert urls("플로우") == ["2024/01/03/c/", "2024/01/01/a/"]
    assert urls("모듈") == ["2024/01/02/b/"]
    assert urls("gen") == ["2024/01/02/b/"]
    assert urls("IMMUT") == ["2024/01/03/c/", "2024/01/01/a/"]
    assert urls("immutable로") == ["2024/01/03/c/"]
    assert urls("텐서 함수") == ["2024/01/01/a/"]
    assert urls("없는말") == []


def test_index_is_deterministic_and_one_change_touches_few_shards(layout: str) -> None:
    first = build_site_index(RECORDS)
    if layout == "large-index":
        assert any(rel.startswith("p/") for rel in first)
        assert {len(rel) for rel in first if rel.startswith("d/")} == {len("d/abc.json")}
    assert build_site_index(list(reversed(RECORDS))) == first
    changed = [RECORDS[0], RECORDS[1], SearchRecord(*[getattr(RECORDS[2], f) for f in ("id", "url", "title", "date", "category", "tags")],
                                                    text=RECORDS[2].text + " 새로운낱말")]
    second = build_site_index(changed)
    differing = sorted(k for k in set(first) | set(second) if first.get(k) != second.get(k))
    assert all(k.startswith(("t/", "d/", "p/")) for k in differing)
    assert len([k for k in differing if k.startswith("d/")]) == 1
    # the new word's bigram shards (and, split out, their postings) and the note's document chunk
    assert 0 < len([k for k in differing if not k.startswith("p/")]) <= 8
    assert len([k for k in differing if k.startswith("p/")]) == (4 if layout == "large-index" else 0)


def test_patched_index_equals_a_fresh_one() -> None:
    state: dict = {}
    files, changed = update_site_index(RECORDS, state)
    assert files == build_site_index(RECORDS) and changed == set(files)
    assert update_site_index(RECORDS, state)[1] == set()
    edited = SearchRecord(*[getattr(RECORDS[2], f) for f in ("id", "url", "title", "date", "category", "tags")],
                          text=RECORDS[2].text + " 새로운낱말 freshword")
    added = SearchRecord(id="2024/02/01/d/", url="2024/02/01/d/", title="Added later", date="2024-02-01",
                         category="Python", tags=("extra",), text="A note about 집합 comprehension.")
    after = [RECORDS[0], edited, added]  # RECORDS[1] removed
    before_files = dict(files)
    patched, changed = update_site_index(after, state)
    fresh = build_site_index(after)
    assert patched == fresh
    assert changed == {rel for rel in set(fresh) | set(before_files) if fresh.get(rel) != before_files.get(rel)}
    assert state["docs"].keys() == {r.id for r in after}


def search_page(site: Path, files: dict[str, bytes]) -> None:
    """A page with the search box, the theme's search.js and the index `files` in `site`."""
    (site / "assets").mkdir(parents=True)
    for rel, data in files.items():
        (site / "search" / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / "search" / rel).write_bytes(data)
    shutil.copy(Path(__file__).resolve().parents[2] / "src/tilbook/theme/static/search.js", site / "assets/search.js")
    (site / "index.html").write_text(
        '<!doctype html><html><head><meta charset="utf-8"><script src="assets/search.js" defer></script></head><body>'
        '<form class="search" role="search" action="search/" data-search-root=""><input id="search-input" name="q" '
        'type="search"><ol id="search-results" aria-live="polite"></ol></form></body></html>', encoding="utf-8")


EDITS = st.lists(st.tuples(st.sampled_from(["add", "edit", "drop"]), st.integers(0, 10_000)), min_size=1, max_size=8)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(EDITS)
def test_a_patched_index_equals_a_fresh_one_and_finds_the_newest_notes(edits: list[tuple[str, int]]) -> None:
    """Notes added, edited and removed, one step at a time: each patched index is the fresh one
    byte for byte (postings pages move when an older note gains or loses a common word), and a
    query on it shows the newest notes that contain the word."""
    notes = {number: note(number) for number in range(40)}
    state: dict = {}
    update_site_index(list(notes.values()), state)
    for step, number in edits:
        if step == "add":
            notes[40 + number % 60] = note(40 + number % 60)
        elif step == "drop" and len(notes) > 1:
            del notes[sorted(notes)[number % len(notes)]]
        elif step == "edit":
            edited = notes[sorted(notes)[number % len(notes)]]
            notes[sorted(notes)[number % len(notes)]] = replace(edited, text=edited.text + " 새로 배운 함수에서 동작합니다.")
        records = list(notes.values())
        before = dict(state["files"])
        patched, changed = update_site_index(records, state)
        fresh = build_site_index(records)
        assert patched == fresh
        assert changed == {rel for rel in set(fresh) | set(before) if fresh.get(rel) != before.get(rel)}
    ids = {record_id: entry[1] for record_id, entry in state["docs"].items()}
    newest = sorted(notes.values(), key=lambda r: ids[r.id], reverse=True)
    for word in ["함수에서", "동작합니다", "객체를"]:
        assert urls(word, records) == [r.url for r in newest if word in normalise(r.title + "\n" + r.text)][:10]


@pytest.mark.browser
def test_search_box_in_chromium(tmp_path: Path) -> None:
    site = tmp_path / "site"
    search_page(site, build_site_index(RECORDS))
    with static_server(site, {"Content-Security-Policy": "default-src 'self'"}) as base, browser_page() as page:
        errors: list[str] = []
        # a query word with no shard is a 404 by design (no list of shards to download first)
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" and "404" not in m.text else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(base)

        def results(query: str) -> list[str]:
            page.fill("#search-input", "")
            page.type("#search-input", query)
            page.wait_for_selector("form.search[data-state=done]")
            return page.eval_on_selector_all("#search-results li a", "els => els.map(e => e.getAttribute('href'))")

        assert results("모듈") == ["2024/01/02/b/"]
        assert results("플로우") == ["2024/01/03/c/", "2024/01/01/a/"]
        assert results("immu") == ["2024/01/03/c/", "2024/01/01/a/"]
        assert page.eval_on_selector_all("#search-results mark", "els => els.map(e => e.textContent)")[:1] == ["immu"]
        screenshot(page, "search-box")
        assert results("없는말") == []
        assert errors == []


def test_terms_found_by_the_render_step_give_the_same_index() -> None:
    from dataclasses import replace

    from tilbook.tokens import terms
    given = [replace(r, text_terms="\n".join(sorted(terms(r.text)))) for r in RECORDS]
    assert build_site_index(given) == build_site_index(RECORDS)


@pytest.mark.browser
def test_search_js_shows_and_downloads_what_search_files_says(tmp_path: Path) -> None:
    """search.js and the Python reader agree, query by query, on the notes shown and on every file
    downloaded, over 200 generated notes (in the large layout, postings pages of one document)."""
    files = build_site_index([note(number) for number in range(200)])
    search_page(tmp_path / "site", files)
    queries = ["동작합니다", "객체에서", "텐서를", "함수", "합니다", "tensor", "dec", "텐서 socket", "프로세스의 kernel",
               "없는말"]
    with static_server(tmp_path / "site") as base, browser_page() as page:
        page.add_init_script("window.fetched = []; const fetchFirst = window.fetch;"
                             "window.fetch = (url, ...rest) => { window.fetched.push(String(url)); return fetchFirst(url, ...rest); };")
        for query in queries:
            page.goto(base + "?q=" + urllib.parse.quote(query))
            page.wait_for_selector("form.search[data-state=done]")
            shown = page.eval_on_selector_all("#search-results li a", "els => els.map(e => e.getAttribute('href'))")
            downloaded = page.evaluate("window.fetched")
            fetched: set[str] = set()
            expected = [hit["url"] for hit in search_files(files, query, fetched=fetched)]
            assert shown == expected, query
            assert {url.split("search/", 1)[1] for url in downloaded} == fetched, query


def test_a_quick_patch_refuses_an_index_of_another_layout() -> None:
    """A quick build patches the index a full build wrote into the output folder; one written in
    another layout (an older FORMAT) is left to a full build."""
    files = build_site_index(RECORDS)
    state: dict = {}
    update_site_index(RECORDS, state)
    edited = replace(RECORDS[0], text=RECORDS[0].text + " 새로운낱말")
    changes = [(state["docs"][edited.id], edited)]
    assert patch_documents(changes, len(RECORDS), files.get) is not None
    meta = files["meta.json"].replace(f'"format":{site_index.FORMAT}'.encode(), f'"format":{site_index.FORMAT - 1}'.encode())
    older = dict(files, **{"meta.json": meta})
    assert patch_documents(changes, len(RECORDS), older.get) is None
