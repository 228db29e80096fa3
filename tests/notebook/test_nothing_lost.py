"""Nothing a post holds is lost, for posts made at random from the pieces real digest posts are
made of: an intro, `> …` lines, notes with good, missing, placeholder and impossible dates,
`---` separators, `## section` headings with text, footnotes cited anywhere (list items, after a
colon), unused and local definitions, a stray paragraph before References (Hypothesis)."""
from __future__ import annotations

import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tilbook.capture import init_notebook
from tilbook.importer import import_posts
from tilbook.notes import load_notebook

WORD = st.sampled_from(["파이썬", "텐서", "모듈성", "generator", "socket", "함수를", "정리합니다", "lazy", "값"])
SENTENCE = st.lists(WORD, min_size=2, max_size=6).map(" ".join)
DATE_LINE = st.sampled_from(["*2021.04.25*", "*2021.05.02*", "*2021.00.00*", "*2021.02.30*", "", "**2021.6.1**"])
LABEL = st.sampled_from(["🥧 Python", "🧩  ML library", "👨💻 CS ", "🤖 ML & DL"])


@st.composite
def post(draw: st.DrawFn) -> tuple[str, int]:
    """A digest post, and how many notes it has."""
    lines = ["---", 'title: "Today I Learned"', 'date: "2021-04-25"', "---", ""]
    if draw(st.booleans()):
        lines += [draw(SENTENCE) + ".", ""]
    if draw(st.booleans()):
        lines += ["> " + draw(SENTENCE), ""]
    count = draw(st.integers(min_value=1, max_value=5))
    labels = draw(st.lists(st.sampled_from(["1", "2", "3", "a"]), min_size=0, max_size=3, unique=True))
    for number in range(count):
        lines += [f"##### {draw(LABEL)}"]
        date = draw(DATE_LINE)
        if date:
            lines += [date]
        lines += ["", f"노트{number} " + draw(SENTENCE) + "."]
        for label in labels:
            form = draw(st.sampled_from(["none", "plain", "list", "local"]))
            if form == "plain":
                lines += ["", f"{draw(SENTENCE)}[^{label}] 문장{number}."]
            elif form == "list":
                lines += ["", f"- 항목{number}[^{label}]: {draw(SENTENCE)}"]
            elif form == "local":
                lines += ["", f"로컬{number}[^L{number}{label}] 참조.", "", f"[^L{number}{label}]: 로컬 정의 {number}{label}"]
        if draw(st.booleans()):
            lines += ["", "```python", f"x = '{draw(WORD)}'  # [^{label if labels else 'z'}]: in code", "```"]
        if draw(st.booleans()) and number < count - 1:
            lines += ["", "---"]
        if draw(st.booleans()):
            lines += ["", f"## 구역 {number}", "", draw(SENTENCE) + " 구역 글."]
    if draw(st.booleans()):
        lines += ["", "---", "", "끝에 붙은 " + draw(SENTENCE) + "."]
    lines += ["", "### References", ""]
    lines += [f"[^{label}]: 출처 {label} {draw(SENTENCE)}" for label in labels]
    if draw(st.booleans()):
        lines += ["[^9]: 쓰이지 않는 출처"]
    if draw(st.booleans()):
        lines += ["[^ 7]: 라벨에 빈칸이 있는 출처"]
    return "\n".join(lines) + "\n", count


STRUCTURAL = re.compile(r"^(#####|\*{1,2}\d{4}\.\d{1,2}\.\d{1,2}\*{1,2}$|### References$|---$|title:|date:)")


def normalised(text: str) -> str:
    return " ".join(re.sub(r"\[\^ +", "[^", text).split())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(post())
def test_every_line_lands_in_a_note_or_the_report(made: tuple[str, int]) -> None:
    text, count = made
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "nb"
        init_notebook(root)
        source = Path(tmp) / "post.md"
        source.write_text(text, encoding="utf-8")
        result = import_posts(root, [source])
        notes = load_notebook(root).notes
        kept = normalised("\n".join(p.read_text(encoding="utf-8") for p in (root / "notes").rglob("*.md"))
                          + (root / "import-reports" / "post.md").read_text(encoding="utf-8"))
        assert len(result.created) + len(result.merged) + len(result.unchanged) == count
        assert len({n.rel for n in notes}) <= count
        body = text.split("---\n", 2)[2]
        lost = [line for line in body.split("\n")
                if line.strip() and not STRUCTURAL.match(line.strip()) and normalised(line) not in kept]
        assert lost == [], lost
        for note in notes:  # every reference of a note resolves inside the note
            cited = set(re.findall(r"(?<!^)\[\^([^\]\s]+)\]", note.body, re.M)) - {"z"}
            defined = set(re.findall(r"^\[\^([^\]\s]+)\]:", note.body, re.M))
            in_code = set(re.findall(r"# \[\^([^\]\s]+)\]: in code", note.body))
            assert cited - in_code <= defined, (note.rel, cited, defined)
