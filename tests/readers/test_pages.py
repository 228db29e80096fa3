"""What list pages, the calendar and a note page give readers without a browser: no title sentence
twice, a text equivalent and a legend for the heatmap, and a light note page."""
from __future__ import annotations

import html
import re

import pytest

from tests.readers.conftest import LONG_NOTE, Built
from tilbook.notes import load_notebook
from tilbook.site.context import _after_title

WEIGHT_BUDGET = 50_000
"""Bytes of HTML and CSS, uncompressed, of a 1,500-character note's page."""


@pytest.mark.parametrize(("text", "titles", "derived", "expected"), [
    ("첫 문장입니다. 두 번째 문장.", ("첫 문장입니다.",), False, "두 번째 문장."),
    ("A long first sentence goes on. Then more.", ("A long first…",), False, "Then more."),
    ("Area is πr2 here. Next.", ("Area is $\\pi r^2$ here.", "Area is πr2 here."), True, "Next."),
    ("Area is π r² here. Next.", ("Area is $\\pi r^2$ here.",), True, "Next."),  # derived: the first sentence goes
    ("Own words. Other text.", ("A title of its own",), False, "Own words. Other text."),
    ("Only one sentence", ("Only one sentence",), True, ""),
])
def test_after_title(text: str, titles: tuple[str, ...], derived: bool, expected: str) -> None:
    assert _after_title(text, titles, derived) == expected


def entries(page: str) -> list[tuple[str, str]]:
    """(title, excerpt) of every list entry."""
    found = re.findall(r'class="note-title"[^>]*>(.*?)</a>.*?(?:class="excerpt">(.*?)</p>|</li>)', page, re.S)
    return [(html.unescape(title), html.unescape(excerpt)) for title, excerpt in found]


@pytest.mark.parametrize("page", ["index.html", "categories/셸/index.html", "tags/명령줄/index.html"])
def test_no_sentence_twice(korean_site: Built, page: str) -> None:
    shown = entries((korean_site.out / page).read_text(encoding="utf-8"))
    assert shown, page
    for title, excerpt in shown:
        assert not excerpt.startswith(title.removesuffix("…")), (title, excerpt)
    derived = [n for n in load_notebook(korean_site.root).notes if n.title_derived]
    assert derived, "the fixture needs a note whose title is derived"


def test_calendar_has_a_text_equivalent_and_a_legend(korean_site: Built) -> None:
    home = (korean_site.out / "index.html").read_text(encoding="utf-8")
    svg = re.search(r"<svg class=\"heatmap\"[^>]*>", home)
    assert svg and 'role="group"' in svg.group(0) and "aria-label=" in svg.group(0)
    cells = re.findall(r'<rect [^>]*role="img" aria-label="([^"]+)"', home)
    assert len(cells) >= 365 and len(cells) == home.count("<rect ")
    assert "2023.05.08: 노트 2개" in cells and "2023.05.09: 노트 1개" in cells and "2023.05.07: 노트 0개" in cells
    legend = re.search(r'<p class="heatmap-legend">(.*?)</p>', home, re.S)
    assert legend and "하루 노트 수" in legend.group(1) and all(f'swatch l{n}"' in legend.group(1) for n in range(5))


def test_a_note_page_is_light(korean_site: Built) -> None:
    note = next(n for n in load_notebook(korean_site.root).notes if n.rel.endswith(LONG_NOTE))
    assert 1400 <= len(note.body) <= 1500
    page = (korean_site.out / f"{note.date:%Y/%m/%d}" / note.slug / "index.html").read_bytes()
    css = [korean_site.out / "assets" / name.decode() for name in re.findall(rb'href="[./]*assets/([\w.]+\.css)"', page)]
    assert [p.name for p in css] == ["style.css", "pygments.css"]
    weight = len(page) + sum(p.stat().st_size for p in css)
    assert weight < WEIGHT_BUDGET, weight
    scripts = re.findall(rb"<script[^>]*>", page)
    assert scripts == [b'<script src="../../../../assets/search.js" defer>']
    assert b"@font-face" not in page and b"fonts.googleapis" not in page
