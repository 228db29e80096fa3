"""Bare URLs are links, as GFM autolinking made them on the blog; never inside code."""
from __future__ import annotations

from tilbook.render.markdown import Renderer


def test_bare_urls_are_links_but_not_in_code_or_file_names() -> None:
    html = Renderer().render(
        "See https://example.org/a_(b)?q=1, `https://in.code/x` and main.py.\n\n"
        "```\nhttps://in.fence/y\n```\n\n[^1]: https://example.org/ref\n\nText[^1].\n", id_prefix="n").html
    assert '<a href="https://example.org/a_(b)?q=1">https://example.org/a_(b)?q=1</a>,' in html
    assert "<code>https://in.code/x</code>" in html and "https://in.fence/y\n</code></pre>" in html
    assert '<a href="https://example.org/ref">https://example.org/ref</a>' in html
    assert html.count("<a href=\"https://") == 2 and "main.py." in html


def test_a_bare_javascript_url_stays_text() -> None:
    html = Renderer().render("Do not click javascript:alert(1) or vbscript:x.\n", id_prefix="n").html
    assert html == "<p>Do not click javascript:alert(1) or vbscript:x.</p>\n"


def test_a_url_seen_before_is_linked_the_same_whatever_follows() -> None:
    renderer = Renderer()
    text = "At https://example.org/x. Then https://example.org/x, and (https://example.org/x)\n"
    first = renderer.render(text, id_prefix="a").html  # the later two are answered from memory
    assert first.count('<a href="https://example.org/x">https://example.org/x</a>') == 3
    assert renderer.render(text, id_prefix="a").html == first
