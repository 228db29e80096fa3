"""The readers' sites in headless Chromium, one browser for the module: axe-core on every page type
in light and dark (no serious or critical violation), the header and scrolling at six widths
(screenshots in test-artifacts/), and the search box by keyboard alone."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest

from tests.browser import CHROMIUM_ARGS, chromium_path, screenshot, static_server
from tests.readers.conftest import Built
from tilbook.notes import load_notebook

pytestmark = pytest.mark.browser
WIDTHS = [320, 390, 768, 1024, 1280, 1920]
SEARCH_WORDS = {"ko": "분산", "example": "텐서"}
"""A word that finds notes in each notebook (for the search page with its results open)."""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright
    path = chromium_path()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


def page_types(built: Built, search_word: str) -> dict[str, str]:
    """Page type → site-relative URL, found from the notebook (a note with display math and code)."""
    math_note = next(n for n in load_notebook(built.root).publishable_notes() if "$$" in n.body and "```" in n.body)
    first = lambda folder: sorted(p.parent.relative_to(built.out).as_posix() + "/"  # noqa: E731
                                  for p in (built.out / folder).glob("*/index.html"))[0]
    return {"home": "", "note": f"{math_note.date:%Y/%m/%d}/{math_note.slug}/", "digest": "digest/",
            "category": first("categories"), "tag": first("tags"), "archive": "archive/",
            "search": f"search/?q={search_word}", "404": "404.html"}


def serious(page: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe
    result = Axe().run(page)
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
            for v in result.response["violations"] if v.get("impact") in ("serious", "critical")]


@pytest.mark.parametrize("site", ["ko", "example"])
def test_axe_finds_nothing_serious_on_any_page_type(browser: Any, site: str, request: pytest.FixtureRequest) -> None:
    built: Built = request.getfixturevalue("korean_site" if site == "ko" else "example_site")
    problems: list[str] = []
    with static_server(built.out) as base:
        for scheme in ("light", "dark"):
            page = browser.new_page(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
            for kind, url in page_types(built, SEARCH_WORDS[site]).items():
                page.goto(base + quote(url, safe="/?="))
                if kind == "search":
                    page.wait_for_selector("#search-results li a")
                problems += [f"{scheme} {kind}: {problem}" for problem in serious(page)]
            page.close()
    assert not problems, "\n".join(problems)


def test_every_width(browser: Any, korean_site: Built) -> None:
    """No sideways scroll at any width (wide code, tables and math scroll in their own box), and
    the header on one row from 1024 px."""
    kinds = page_types(korean_site, SEARCH_WORDS["ko"])
    problems: list[str] = []
    with static_server(korean_site.out) as base:
        page = browser.new_page()
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            for kind in ("home", "note", "archive", "digest", "category"):
                page.goto(base + quote(kinds[kind]))
                if page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth"):
                    problems.append(f"{kind} scrolls sideways at {width} px")
                if kind in ("home", "note"):
                    screenshot(page, f"readers-{kind}-{width}")
            tops = page.evaluate("""[...document.querySelectorAll('.site-header .wrap > *')]
                                    .map(e => Math.round(e.getBoundingClientRect().top))""")
            if width >= 1024 and max(tops) - min(tops) > 16:
                problems.append(f"the header takes more than one row at {width} px: {tops}")
        page.close()
    assert problems == []


def test_search_by_keyboard(browser: Any, korean_site: Built) -> None:
    with static_server(korean_site.out) as base:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(base)
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.className") == "skip-link"
        assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"  # focus is visible
        for _ in range(12):
            if page.evaluate("document.activeElement.id") == "search-input":
                break
            page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.id") == "search-input"
        page.keyboard.type("분산")
        page.wait_for_selector("#search-results li a")
        assert "찾았습니다" in page.inner_text("#search-status")
        page.keyboard.press("ArrowDown")
        first = page.evaluate("document.activeElement.getAttribute('href')")
        assert page.evaluate("document.activeElement.closest('#search-results') !== null")
        page.keyboard.press("ArrowUp")
        assert page.evaluate("document.activeElement.id") == "search-input"
        page.keyboard.press("ArrowDown")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.url == base + first or page.url.endswith(quote(first))
        page.close()


def test_skip_link_moves_focus_to_the_main_content(browser: Any, korean_site: Built) -> None:
    with static_server(korean_site.out) as base:
        page = browser.new_page(viewport={"width": 390, "height": 800})
        page.goto(base)
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main"
        page.close()
