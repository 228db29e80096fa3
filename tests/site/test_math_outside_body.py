"""Math outside a note's body: the `<h1>` draws it as MathML; `<title>`, list excerpts, feed titles
and the search index show a plain form, never a `$` or a `\\command`; feeds carry MathML with alttext."""
from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from tests.conftest import write_note
from tilbook.site.build import build_site

ATOM = "{http://www.w3.org/2005/Atom}"
HEAD = "---\ndate: 2024-03-0{day}\ncategory: ML\n---\n"
SOFTMAX = "$\\sigma(z)_i = \\frac{e^{z_i}}{\\sum_j e^{z_j}}$ 는 확률을 돌려주는 함수. 합은 1이다.\n"
NORMAL = "표준 정규분포 $\\mathcal N (0, 1)$ 에서 한 점의 확률은 0 이다.\n\n$$\na \\\\ b\n$$\n"
PLAIN_SOFTMAX = "σ(z)_i = e^{z_i}/∑_j e^{z_j} 는 확률을 돌려주는 함수"


def build(notebook: Path, tmp_path: Path) -> Path:
    config = notebook / "tilbook.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("[categories]", '[categories]\n"ML" = "🤖"'),
                      encoding="utf-8")
    write_note(notebook, "2024/2024-03-01-softmax.md", HEAD.format(day=1) + SOFTMAX)
    write_note(notebook, "2024/2024-03-02-normal.md", HEAD.format(day=2) + NORMAL)
    out = tmp_path / "site"
    result = build_site(notebook, out, workers=1)
    assert [w for w in result.warnings if w.code.startswith("math")] == []
    return out


def test_titles_excerpts_feeds_and_search_show_math_readably(notebook: Path, tmp_path: Path) -> None:
    out = build(notebook, tmp_path)
    page = next((out / "2024" / "03" / "01").glob("*/index.html")).read_text(encoding="utf-8")
    title = html.unescape(re.search(r"<title>(.*?)</title>", page).group(1))
    assert title.startswith(PLAIN_SOFTMAX)
    h1 = re.search(r"<h1>(.*?)</h1>", page, re.S).group(1)
    assert h1.startswith('<math xmlns="http://www.w3.org/1998/Math/MathML" alttext="\\sigma(z)_i = ')
    assert "<mfrac>" in h1 and h1.endswith("</math> 는 확률을 돌려주는 함수.")

    home = html.unescape((out / "index.html").read_text(encoding="utf-8"))
    assert "표준 정규분포 𝒩 (0, 1) 에서 한 점의 확률은 0 이다." in home and PLAIN_SOFTMAX in home
    assert "\\mathcal" not in home and "\\sigma" not in home and "$" not in home

    feed = ET.parse(out / "feed.xml").getroot()
    entries = {e.find(f"{ATOM}title").text: e.find(f"{ATOM}content").text for e in feed.iter(f"{ATOM}entry")}
    softmax_title = next(t for t in entries if t.startswith("σ"))
    assert softmax_title.startswith(PLAIN_SOFTMAX)
    maths = re.findall(r"<math [^>]*>", "".join(entries.values()))
    assert len(maths) == 3 and all('alttext="' in m for m in maths)
    assert "$" not in "".join(entries) and "\\" not in "".join(entries)

    index = "".join(p.read_text(encoding="utf-8") for p in (out / "search").rglob("*.json"))
    assert PLAIN_SOFTMAX in index and "\\\\sigma" not in index


def test_build_reports_a_formula_kept_text_by_a_space(notebook: Path, tmp_path: Path) -> None:
    write_note(notebook, "2024/2024-03-03-pinv.md",
               "---\ndate: 2024-03-03\ncategory: CS\ntitle: Pseudo-inverse\n---\nPrices $5 and $10.\n\n"
               "So $A^+ = V \\Sigma^+ U^\\top $ holds.\n")
    result = build_site(notebook, tmp_path / "site", workers=1)
    found = [(w.path, w.line, w.code) for w in result.warnings if w.code.startswith("math")]
    assert found == [("notes/2024/2024-03-03-pinv.md", 8, "math-delimiter")]


def test_build_and_check_name_an_unknown_command_alike(notebook: Path, tmp_path: Path) -> None:
    from tilbook.checks import Target, run_checks
    write_note(notebook, "2024/2024-03-04-ohm.md",
               "---\ndate: 2024-03-04\ncategory: CS\ntitle: Resistance\n---\nOhm's law:\n\n$$\nV = IR\\\\\nR = 5\\ohm\n$$\n")
    result = build_site(notebook, tmp_path / "site", workers=1)
    built = [(w.path, w.line, w.code, w.message) for w in result.warnings if w.code.startswith("math")]
    checked = [(f.path, f.line, f.rule, f.message) for f in run_checks(Target(notebook, True)) if f.rule.startswith("math")]
    message = "unknown LaTeX command \\ohm (did you mean \\Omega? or define it in [math.macros])"
    assert built == [("notes/2024/2024-03-04-ohm.md", 10, "math-error", message)]
    assert [c[1:] for c in checked] == [(10, "math-error", message)]


def test_a_derived_title_is_never_cut_inside_a_formula() -> None:
    from tilbook.notes import derive_title
    body = "Here we write " + "many words " * 5 + "$\\frac{a + b}{c + d} = \\sum_{i=1}^{n} x_i$ and more words after it."
    title = derive_title(body, limit=70)
    assert title.endswith("\\sum_{i=1}^{n} x_i$…") and title.count("$") == 2
