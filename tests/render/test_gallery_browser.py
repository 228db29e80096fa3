"""The formula gallery in headless Chromium, in one page load: every element the browser built is
MathML Core, every formula has a size, and the hard cases are drawn as KaTeX drew them."""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.browser import browser_page, screenshot, static_server
from tests.render.gallery import GALLERY, GALLERY_MACROS
from tests.render.test_math import CORE_ATTRIBUTES, CORE_ELEMENTS, GLOBAL_ATTRIBUTES
from tilbook.render.math import render_math

pytestmark = pytest.mark.browser
THEME_STATIC = Path(__file__).resolve().parents[2] / "src" / "tilbook" / "theme" / "static"
ROWS = r"A x = b \\ U \Sigma V^\top x = b"
REALS = r"\mathbb{R}^n"
ARGMIN = r"\operatorname*{arg\,min}_x \lVert Ax - b \rVert_2"

WALK = """([elements, attributes, globals]) => {
  const bad = [];
  for (const math of document.querySelectorAll('math')) {
    for (const el of [math, ...math.querySelectorAll('*')]) {
      if (el.namespaceURI !== 'http://www.w3.org/1998/Math/MathML') bad.push('not MathML: ' + el.localName);
      if (!elements.includes(el.localName)) bad.push('<' + el.localName + '>');
      for (const a of el.attributes) {
        const allowed = globals.includes(a.name) || (attributes[el.localName] || []).includes(a.name);
        if (!allowed) bad.push('<' + el.localName + ' ' + a.name + '>');
        if (a.name === 'mathvariant' && a.value !== 'normal') bad.push('mathvariant=' + a.value);
      }
    }
  }
  return bad;
}"""


def box(page: Any, selector: str) -> dict[str, float]:
    return page.evaluate("s => { const r = document.querySelector(s).getBoundingClientRect();"
                         " return {top: r.top, bottom: r.bottom, left: r.left, right: r.right,"
                         " width: r.width, height: r.height}; }", selector)


@pytest.fixture(scope="module")
def gallery_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("gallery")
    shutil.copytree(THEME_STATIC, root / "assets")
    parts = []
    for index, (tex, display) in enumerate(GALLERY):
        html, problems = render_math(tex, display=display, macros=GALLERY_MACROS)
        assert problems == [], tex
        parts.append(f'<div class="formula" id="f{index}">{html}</div>')
    (root / "index.html").write_text(
        '<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>gallery</title>'
        '<link rel="stylesheet" href="assets/style.css"></head><body><main class="note-body">'
        + "\n".join(parts) + "</main></body></html>", encoding="utf-8")
    return root


def index_of(tex: str) -> int:
    return [t for t, _ in GALLERY].index(tex)


def test_gallery_in_chromium(gallery_site: Path) -> None:
    with static_server(gallery_site) as base, browser_page() as page:
        page.set_viewport_size({"width": 900, "height": 800})
        page.goto(base)
        page.wait_for_load_state("load")
        page.evaluate("document.fonts.ready")
        screenshot(page, "math-gallery")
        # (a) only MathML Core elements and attributes, as the browser parsed them
        attributes = {name: sorted(values) for name, values in CORE_ATTRIBUTES.items()}
        assert page.evaluate(WALK, [sorted(CORE_ELEMENTS), attributes, sorted(GLOBAL_ATTRIBUTES)]) == []
        empty = page.evaluate("[...document.querySelectorAll('math')].filter(m => {"
                              " const r = m.getBoundingClientRect(); return r.width < 3 || r.height < 3; }).length")
        assert empty == 0
        assert page.locator("merror").count() == 0
        # (b) `\\` outside an environment: rows one under the other
        rows = page.evaluate("s => [...document.querySelectorAll(s)].map(r => r.getBoundingClientRect().top)",
                             f"#f{index_of(ROWS)} mtr")
        assert len(rows) == 2 and rows[1] > rows[0] + 10
        # `\mathbb{R}` is the character ℝ, drawn by the math font
        reals = f"#f{index_of(REALS)} mi"
        assert page.locator(reals).first.text_content() == "ℝ"
        assert box(page, reals)["width"] > 4
        assert page.evaluate("document.fonts.check('16px \"tilbook STIX Two Math\"', 'ℝ')")
        # `\operatorname*{arg\,min}_x` in display mode: upright "arg min", the limit below it
        argmin = f"#f{index_of(ARGMIN)} munder"
        name, limit = box(page, argmin + " > mrow > mi"), box(page, argmin + " > mi")
        assert page.locator(argmin + " > mrow > mi").text_content() == "arg\u2009min"
        assert page.evaluate("s => getComputedStyle(document.querySelector(s)).fontStyle",
                             argmin + " > mrow > mi") == "normal"
        assert limit["top"] >= name["bottom"] - 1
        assert name["left"] <= limit["left"] and limit["right"] <= name["right"]
        assert name["width"] > 3 * limit["width"]  # seven upright letters and a space, over one italic x
        page.locator(f"#f{index_of(ARGMIN)}").screenshot(path=str(screenshot.__globals__["ARTIFACTS"] / "math-argmin.png"))
