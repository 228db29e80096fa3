"""Hostile input, groups 3-4: front matter that attacks the loader; content that attacks the page."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import write_note
from tilbook.errors import InputError
from tilbook.site.build import build_site

CASES = {
    "python object": ("---\ndate: 2024-01-01\ncategory: CS\ntitle: !!python/object/apply:os.system [\"touch /tmp/zqx-pwned\"]\n---\nx\n",
                      "notes/2024/hostile.md:4: invalid front matter: a YAML tag that would construct an object "
                      "(tag:yaml.org,2002:python/object/apply:os.system) (front matter holds plain values only; remove the `!!` tag)"),
    "billion laughs": ("---\ndate: 2024-01-01\ncategory: CS\na: &a [\"lol\",\"lol\",\"lol\"]\nb: &b [*a,*a,*a]\nc: [*b,*b,*b]\n---\nx\n",
                       "notes/2024/hostile.md:4: invalid front matter: anchors and aliases (*name) are not allowed (fix the YAML syntax)"),
    "duplicate keys": ("---\ndate: 2024-01-01\ncategory: CS\ndate: 2024-01-02\n---\nx\n",
                       "notes/2024/hostile.md:4: invalid front matter: duplicate key `date` (fix the YAML syntax)"),
    "not a mapping": ("---\njust a sentence\n---\nx\n",
                      "notes/2024/hostile.md:2: front matter is not a set of `key: value` fields (write one `field: value` per line)"),
    "missing close": ("---\ndate: 2024-01-01\ncategory: CS\nx\n",
                      "notes/2024/hostile.md:1: front matter is not closed (add a `---` line after the fields)"),
    "string draft": ('---\ndate: 2024-01-01\ncategory: CS\ndraft: "false"\n---\nx\n',
                     "notes/2024/hostile.md:4: `draft` is 'false', not a boolean (write `draft: true` or `draft: false` without quotes)"),
    "impossible date": ("---\ndate: 2021-02-30\ncategory: CS\n---\nx\n",
                        "notes/2024/hostile.md:2: invalid date: day is out of range for month (use a real calendar date, YYYY-MM-DD)"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_front_matter_attack_is_one_clear_error(case: str, notebook: Path, tmp_path: Path) -> None:
    text, message = CASES[case]
    write_note(notebook, "2024/hostile.md", text)
    with pytest.raises(InputError) as info:
        build_site(notebook, tmp_path / "out")
    assert str(info.value) == message
    assert not Path("/tmp/zqx-pwned").exists()
    assert not (tmp_path / "out").exists()


def test_non_utf8_is_an_error_naming_the_file(notebook: Path, tmp_path: Path) -> None:
    write_note(notebook, "2024/hostile.md", b"---\ndate: 2024-01-01\ncategory: CS\n---\n\xff\xfe broken\n")
    with pytest.raises(InputError, match=r"^notes/2024/hostile.md:5: is not UTF-8 text"):
        build_site(notebook, tmp_path / "out")


def test_bom_and_crlf_build_exactly_like_the_clean_file(tmp_path: Path) -> None:
    from tilbook.capture import init_notebook
    clean = "---\ndate: 2024-01-01\ncategory: CS\ntitle: Line endings\n---\nBOM and CRLF 줄바꿈.\n\n- item\n"
    outputs = []
    for name, data in (("clean", clean.encode()), ("dirty", ("\ufeff" + clean).replace("\n", "\r\n").encode())):
        root = tmp_path / name
        init_notebook(root)
        write_note(root, "2024/2024-01-01-line-endings.md", data)
        build_site(root, root / "site")
        outputs.append({p.relative_to(root / "site").as_posix(): p.read_bytes()
                        for p in (root / "site").rglob("*") if p.is_file() and p.name != ".tilbook-site"})
    assert outputs[0] == outputs[1]
    assert b"date: 2024" not in b"".join(outputs[0].values())


HOSTILE_BODY = """Template syntax stays text: {{ 7*7 }} and {% raw %}x{% endraw %} and {# c #}.

<script>alert(1)</script> <img src=x onerror=alert(2)> <a href="#" onclick="alert(3)">c</a>

[a](javascript:alert(4)) [b](JaVaScRiPt:alert(5)) [c](jav&#x09;ascript:alert(6)) [d](&#106;avascript:alert(7))
[e](data:text/html;base64,PHNjcmlwdD5hbGVydCg4KTwvc2NyaXB0Pg==) [f](vbscript:msgbox) ![g](javascript:alert(9))
<iframe src="https://example.org"></iframe> <svg onload=alert(10)>
"""


def test_content_never_becomes_executable(notebook: Path, tmp_path: Path) -> None:
    write_note(notebook, "2024/2024-01-01-xss.md", "---\ndate: 2024-01-01\ncategory: CS\ntitle: Hostile\n---\n" + HOSTILE_BODY)
    build_site(notebook, tmp_path / "out")
    page = (tmp_path / "out/2024/01/01/xss/index.html").read_text(encoding="utf-8")
    body = page[page.index('<div class="note-body">'):page.index("</article>")]
    assert "{{ 7*7 }}" in body and "{% raw %}x{% endraw %}" in body and "49" not in body
    assert "<script" not in body and "<iframe" not in body and "<svg" not in body and "<img src=x" not in body
    assert not re.search(r"\son\w+=", re.sub(r"&lt;.*?&gt;", "", body))
    assert not re.search(r'(href|src)="\s*(javascript|vbscript|data):', body, re.I)
    feed = (tmp_path / "out/feed.xml").read_text(encoding="utf-8")
    assert "<script" not in feed and "javascript:" not in feed.lower().replace("javascript:alert", "")


def test_allow_html_opt_in_still_blocks_unsafe_links(notebook: Path, tmp_path: Path) -> None:
    config = notebook / "tilbook.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("allow_html = false", "allow_html = true"), encoding="utf-8")
    write_note(notebook, "2024/2024-01-01-x.md", "---\ndate: 2024-01-01\ncategory: CS\n---\n<kbd>Ctrl</kbd> [a](javascript:alert(1))\n")
    build_site(notebook, tmp_path / "out")
    page = (tmp_path / "out/2024/01/01/x/index.html").read_text(encoding="utf-8")
    assert "<kbd>Ctrl</kbd>" in page and 'href="javascript' not in page
