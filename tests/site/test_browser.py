"""The built example site in headless Chromium: pages render, MathML has a size, code is
highlighted, no console errors, and everything works under `default-src 'self'`."""
from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.browser import browser_page, screenshot, static_server
from tests.conftest import EXAMPLE
from tilbook.notes import load_notebook
from tilbook.site.build import build_site

pytestmark = pytest.mark.browser
CSP = {"Content-Security-Policy": "default-src 'self'"}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("b") / "example"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("site", ".tilbook-cache"))
    build_site(root, workers=1)
    return root, root / "site"


def math_note_url(root: Path) -> str:
    for note in load_notebook(root).publishable_notes():
        if "$$" in note.body and "```" in note.body:
            return quote(f"{note.date:%Y/%m/%d}/{note.slug}/")
    raise AssertionError("the example notebook needs a note with display math and code")


def test_pages_render_with_math_and_code_under_csp(built: tuple[Path, Path]) -> None:
    root, out = built
    category = sorted(p.parent.name for p in (out / "categories").glob("*/index.html"))[0]
    with static_server(out, CSP) as base, browser_page() as page:
        problems: list[str] = []
        page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)
        for name, url in (("home", ""), ("note-math-code", math_note_url(root)),
                          ("category", f"categories/{quote(category)}/")):
            response = page.goto(base + url)
            assert response is not None and response.status == 200, url
            page.wait_for_load_state("load")
            screenshot(page, f"site-{name}")
            if name == "note-math-code":
                box = page.locator("math").first.bounding_box()
                assert box is not None and box["width"] > 5 and box["height"] > 5
                assert page.locator("pre.highlight span").count() > 3
                font = page.evaluate("getComputedStyle(document.querySelector('math')).fontFamily")
                assert "STIX Two Math" in font
            assert page.locator("h1, .site-title").count() >= 1
        assert problems == []


def test_phone_width_has_no_horizontal_scroll(built: tuple[Path, Path]) -> None:
    _, out = built
    with static_server(out) as base, browser_page() as page:
        page.set_viewport_size({"width": 375, "height": 740})
        page.goto(base)
        screenshot(page, "site-home-phone")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
