"""The math module: MathML Core out of KaTeX, problems named with their command, plain forms."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from tests.render.gallery import GALLERY, GALLERY_MACROS
from tilbook.render.math import plain_math, render_math
from tilbook.render.mathplain import text_with_plain_math

MATHML = "{http://www.w3.org/1998/Math/MathML}"
CORE_ELEMENTS = set("math mi mn mo ms mtext mspace mrow mfrac msqrt mroot mstyle merror mpadded mphantom msub msup "
                    "msubsup munder mover munderover mmultiscripts mprescripts none mtable mtr mtd semantics "
                    "annotation annotation-xml".split())
"""MathML Core's elements (https://w3c.github.io/mathml-core/#mathml-elements-and-attributes)."""
GLOBAL_ATTRIBUTES = {"class", "id", "dir", "displaystyle", "scriptlevel", "mathvariant"}
CORE_ATTRIBUTES = {
    "math": {"xmlns", "display", "alttext"},
    "mo": {"form", "fence", "separator", "lspace", "rspace", "stretchy", "symmetric", "maxsize", "minsize",
           "largeop", "movablelimits"},
    "mfrac": {"linethickness"}, "mspace": {"width", "height", "depth"},
    "mpadded": {"width", "height", "depth", "lspace", "voffset"}, "munder": {"accentunder"}, "mover": {"accent"},
    "munderover": {"accent", "accentunder"}, "mtd": {"columnspan", "rowspan"}, "annotation": {"encoding"},
}
"""Attributes MathML Core gives each element; `mathvariant` only as `normal` (checked apart)."""


def core_violations(html: str) -> list[str]:
    """Elements and attributes in `html` (one or more `<math>`) that are not MathML Core."""
    root = ET.fromstring(f'<div xmlns:m="http://www.w3.org/1998/Math/MathML">{html}</div>')
    out = []
    for element in root.iter():
        if element is root:
            continue
        name = element.tag.removeprefix(MATHML)
        if name not in CORE_ELEMENTS:
            out.append(f"<{name}>")
        for attribute, value in element.attrib.items():
            if attribute not in GLOBAL_ATTRIBUTES | CORE_ATTRIBUTES.get(name, set()):
                out.append(f"<{name} {attribute}>")
            elif attribute == "mathvariant" and value != "normal":
                out.append(f'<{name} mathvariant="{value}">')
    return out


def render(tex: str, display: bool = True) -> str:
    html, problems = render_math(tex, display=display, macros=GALLERY_MACROS)
    assert problems == [], tex
    return html


def test_the_gallery_renders_to_mathml_core_only() -> None:
    assert len(GALLERY) >= 100
    problems = {tex: p for tex, display in GALLERY if (p := render_math(tex, display=display, macros=GALLERY_MACROS)[1])}
    assert problems == {}
    html = "".join(render(tex, display) for tex, display in GALLERY)
    assert core_violations(html) == []
    assert "linebreak" not in html and "<menclose" not in html and "mathcolor" not in html
    # an element inside <mo>/<mi>… is read as HTML by a browser's parser
    assert not re.search(r"<(?:mi|mn|mo|ms|mtext)(?: [^>]*)?><", html)


def test_core_violations_sees_what_katex_writes() -> None:
    katex_like = '<math><mi mathvariant="double-struck">R</mi><mspace linebreak="newline"/><menclose/></math>'
    assert core_violations(katex_like) == ['<mi mathvariant="double-struck">', "<mspace linebreak>", "<menclose>"]


@pytest.mark.parametrize(("tex", "drawn"), [
    (r"\mathbb{R}", "<mi>ℝ</mi>"), (r"\mathcal{N}", "<mi>𝒩</mi>"), (r"\mathbf{x}", "<mi>𝐱</mi>"),
    (r"\boldsymbol{\theta}", "<mi>𝜽</mi>"), (r"\mathfrak{g}", "<mi>𝔤</mi>"), (r"\mathbb{1}", "<mn>𝟙</mn>"),
    (r"\mathsf{A}", "<mi>𝖠</mi>"), (r"\mathtt{B}", "<mi>𝙱</mi>"),
])
def test_letter_styles_are_unicode_letters(tex: str, drawn: str) -> None:
    assert drawn in render(tex, display=False)


def test_a_top_level_newline_makes_table_rows() -> None:
    html = render(r"A x = b \\ U \Sigma V^\top x = b")
    assert html.count("<mtr>") == 2 and "<mtable" in html and "linebreak" not in html
    assert 'alttext="A x = b \\\\ U \\Sigma V^\\top x = b"' in html


def test_a_newline_inside_an_environment_stays_in_it() -> None:
    html = render(r"\begin{aligned} a &= b \\ &= c \end{aligned}")
    assert html.count("<mtable") == 1 and html.count("<mtr>") == 2
    assert '<mtd class="a-r">' in html and '<mtd class="a-l">' in html


def test_operatorname_star_is_upright_with_limits_below() -> None:
    html = render(r"\operatorname*{arg\,min}_x f(x)")
    assert '<munder><mrow><mi mathvariant="normal">arg\u2009min</mi><mo>\u2061</mo></mrow><mi>x</mi></munder>' in html


def test_array_rules_and_alignment_are_classes() -> None:
    html = render(r"\begin{array}{l|r} a & b \end{array}")
    assert '<mtd class="a-l rule-solid">' in html and '<mtd class="a-r">' in html


def test_unknown_commands_are_drawn_as_errors_and_each_reported() -> None:
    html, problems = render_math(r"R = 5\ohm + \alpah", display=False, macros={})
    assert [(p.command, p.offset, p.message) for p in problems] == [
        ("\\ohm", 5, "unknown LaTeX command \\ohm (did you mean \\Omega? or define it in [math.macros])"),
        ("\\alpah", 12, "unknown LaTeX command \\alpah (did you mean \\alpha? or define it in [math.macros])"),
    ]
    assert html.count("<merror><mtext>") == 2 and "<mn>5</mn><merror><mtext>\\ohm</mtext></merror>" in html


@pytest.mark.parametrize(("tex", "message"), [
    (r"\frac{a", "LaTeX does not parse: "),
    (r"{a \\ b}", "LaTeX does not render in browsers: a `\\\\` inside braces"),
    (r"\color{#123456}{x}", "LaTeX does not render in browsers: colour #123456"),
    (r"\begin{foo} x \end{foo}", "LaTeX does not parse: No such environment: foo"),
])
def test_what_cannot_be_drawn_is_shown_as_source_and_reported(tex: str, message: str) -> None:
    html, problems = render_math(tex, display=True, macros={})
    assert html.startswith('<code class="math-error">') and len(problems) == 1
    assert problems[0].message.startswith(message)


def test_macros_take_arguments_and_mbox_still_works() -> None:
    html = render(r"\norm{x} \mbox{if } x \in \R")
    assert "<mo stretchy=\"false\" lspace=\"0em\" rspace=\"0em\">∥</mo><mi>x</mi>" in html and "<mtext>if\xa0</mtext>" in html and "<mi>ℝ</mi>" in html


@pytest.mark.parametrize(("tex", "plain"), [
    (r"\sigma(z)_i = \frac{e^{z_i}}{\sum_j e^{z_j}}", "σ(z)_i = e^{z_i}/∑_j e^{z_j}"),
    (r"\mathcal N (0, 1)", "𝒩 (0, 1)"),
    (r"\operatorname*{arg\,min}_x \lVert Ax - b \rVert", "arg min_x ‖ Ax - b ‖"),
    (r"\left( \frac{a}{b} \right)", "( a/b )"),
    (r"\hat{y} \in \mathbb{R}^n", "ŷ ∈ ℝ^n"),
    (r"\sqrt{x+1} + \sqrt[3]{2}", "√(x+1) + ∛2"),
    (r"\text{손실} = \ohm", "손실 = ohm"),
    (r"a \\ b", "a ; b"),
])
def test_plain_math(tex: str, plain: str) -> None:
    assert plain_math(tex) == plain


def test_plain_text_replaces_formulas_but_not_prices() -> None:
    assert text_with_plain_math(r"$\sigma(z)$ 는 softmax, $5 and $10") == "σ(z) 는 softmax, $5 and $10"


def _render_in_child(tex: str) -> str:
    return render_math(tex, display=False, macros={})[0]


def test_a_forked_worker_renders_after_the_parent_did() -> None:
    """Builds render in forked workers; KaTeX's runtime, made in the parent, works in the child."""
    import multiprocessing

    parent = render_math(r"\mathbb{R}", display=False, macros={})[0]
    with multiprocessing.get_context("fork").Pool(1) as pool:
        child = pool.apply(_render_in_child, (r"\mathbb{R}",))
    assert child == parent and "<mi>ℝ</mi>" in child
