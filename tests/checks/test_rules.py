"""Each lint rule with a passing and a failing example, asserting the exact findings."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import write_note
from tests.posts import Posts
from tilbook.checks import Target, fix, run_checks

HEAD = "---\ndate: 2024-01-02\ncategory: Python\ntitle: T\n---\n"


def note_findings(notebook: Path, body: str, head: str = HEAD, name: str = "2024/2024-01-02-t.md") -> list[tuple[str, int, str]]:
    config = notebook / "tilbook.toml"
    if '"Python"' not in config.read_text(encoding="utf-8"):
        config.write_text(config.read_text(encoding="utf-8").replace("[categories]", '[categories]\n"Python" = "🥧"'),
                          encoding="utf-8")
    write_note(notebook, name, head + body)
    return [(f.rule, f.line, f.message) for f in run_checks(Target(notebook, True))]


def post_findings(tmp_path: Path, text: str) -> list[tuple[str, int, str]]:
    post = tmp_path / "post.md"
    post.write_text(text, encoding="utf-8")
    return [(f.rule, f.line, f.message) for f in run_checks(Target(post, False))]


def rules(found: list[tuple[str, int, str]]) -> list[tuple[str, int]]:
    return [(rule, line) for rule, line, _ in found]


def test_clean_note_has_no_findings(notebook: Path) -> None:
    assert note_findings(notebook, "A clean note[^1] with `code` and $x^2$.\n\n[^1]: A source.\n") == []


def test_footnote_malformed(notebook: Path) -> None:
    found = note_findings(notebook, "Text.[^1]\n\n[^1]: ok\n[^ 2]: broken label\n")
    assert rules(found) == [("footnote-malformed", 9)]
    assert "`[^ 2]:` is not a footnote definition" in found[0][2]


def test_footnote_undefined_and_unused(notebook: Path) -> None:
    found = note_findings(notebook, "Uses [^a] and [^b].\n\n[^a]: defined\n[^c]: never used\n")
    assert rules(found) == [("footnote-undefined", 6), ("footnote-unused", 9)]
    assert found[0][2].startswith("footnote [^b] has no definition")


def test_footnote_refs_inside_code_are_not_references(notebook: Path) -> None:
    assert note_findings(notebook, "Code `a[^x]` and\n\n```\nb[^y]\n[^ 3]: in code\n```\n") == []


def test_math_error_names_the_command_and_suggests(notebook: Path) -> None:
    found = note_findings(notebook, "Fine $\\alpha$.\n\n$$\nR = 5\\ohm\n$$\n")
    assert rules(found) == [("math-error", 9)]  # the line of \ohm inside the $$ block
    assert found[0][2] == "unknown LaTeX command \\ohm (did you mean \\Omega? or define it in [math.macros])"


def test_math_macro_makes_the_command_known(notebook: Path) -> None:
    config = notebook / "tilbook.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("[math.macros]", '[math.macros]\nohm = "\\\\Omega"'),
                      encoding="utf-8")
    assert note_findings(notebook, "$$\nR = 5\\ohm\n$$\n") == []


def test_math_that_does_not_parse(notebook: Path) -> None:
    found = note_findings(notebook, "Broken $\\frac{a$ here.\n")
    assert rules(found) == [("math-error", 6)] and "does not parse" in found[0][2]


def test_prices_are_not_math(notebook: Path) -> None:
    assert note_findings(notebook, "It costs $5 and $10, not \\ohm.\n") == []


def test_a_formula_kept_text_by_a_stray_space_is_reported_and_fixed(notebook: Path) -> None:
    body = ("Prices $5 and $10 stay text.\n\nThe pseudo-inverse is\n$A^+ = V \\Sigma^+ U^\\top $ here,"
            " `$x^2 $` in code.\n")
    found = note_findings(notebook, body)
    assert found == [("math-delimiter", 9, "`$A^+ = V \\Sigma^+ U^\\top $` is shown as text, not math: the space "
                      "inside the dollars stops it; write `$A^+ = V \\Sigma^+ U^\\top$` (--fix does this)")]
    changes = fix(Target(notebook, True))
    assert [c.line for c in changes] == [9]
    text = (notebook / "notes/2024/2024-01-02-t.md").read_text(encoding="utf-8")
    assert "$A^+ = V \\Sigma^+ U^\\top$ here, `$x^2 $` in code." in text
    assert note_findings(notebook, text.split("---\n", 2)[2]) == []


def test_image_missing_and_present(notebook: Path) -> None:
    (notebook / "notes/2024").mkdir(parents=True, exist_ok=True)
    (notebook / "notes/2024/here.png").write_bytes(b"\x89PNG")
    found = note_findings(notebook, "![ok](here.png)\n\n![gone](../img/gone.png)\n")
    assert rules(found) == [("image-missing", 8)] and "../img/gone.png" in found[0][2]


def test_link_broken_and_link_to_a_real_note(notebook: Path) -> None:
    write_note(notebook, "2024/2024-01-01-other.md", "---\ndate: 2024-01-01\ncategory: Python\n---\nOther.\n")
    found = note_findings(notebook, "See [other](2024-01-01-other.md) and [missing](2023-01-01-none.md).\n")
    assert rules(found) == [("link-broken", 6)] and "2023-01-01-none.md" in found[0][2]


def test_category_inconsistent_in_a_notebook(notebook: Path) -> None:
    head = HEAD.replace("category: Python", "category: python")
    found = note_findings(notebook, "Body.\n", head=head)
    assert rules(found) == [("category-inconsistent", 3)]
    assert "differs from `Python` only in case" in found[0][2]


def test_category_missing_from_table(notebook: Path) -> None:
    found = note_findings(notebook, "Body.\n", head=HEAD.replace("Python", "Rust"))
    assert rules(found) == [("category-inconsistent", 3)] and "not in [categories]" in found[0][2]


def test_date_in_the_future(notebook: Path) -> None:
    found = note_findings(notebook, "Body.\n", head=HEAD.replace("2024-01-02", "2999-01-01"))
    assert rules(found) == [("date-invalid", 2)]


def test_impossible_date_is_a_finding_not_a_crash(notebook: Path) -> None:
    found = note_findings(notebook, "Body.\n", head=HEAD.replace("2024-01-02", "2024-02-30"))
    assert rules(found) == [("date-invalid", 2)] and "day is out of range" in found[0][2]


def test_frontmatter_invalid(notebook: Path) -> None:
    found = note_findings(notebook, "Body.\n", head=HEAD.replace("title: T", 'draft: "false"\nmood: happy'))
    assert rules(found) == [("frontmatter-invalid", 4)] and "`draft` is 'false', not a boolean" in found[0][2]
    write_note(notebook, "2024/2024-01-02-t.md", HEAD.replace("title: T", "mood: happy") + "Body.\n")
    found = [(f.rule, f.severity, f.line) for f in run_checks(Target(notebook, True))]
    assert found == [("frontmatter-unknown-field", "warning", 4)]


def test_duplicate_note(notebook: Path) -> None:
    write_note(notebook, "2024/2024-01-02-copy.md", HEAD + "Same text.\n")
    found = note_findings(notebook, "Same  text.\n")
    assert rules(found) == [("duplicate-note", 1)]


def test_code_language(notebook: Path) -> None:
    found = note_findings(notebook, "```pythn\nx = 1\n```\n\n```python\ny = 2\n```\n")
    assert rules(found) == [("code-language", 6)] and "`pythn`" in found[0][2]


def test_rules_can_be_relevelled_or_switched_off(notebook: Path) -> None:
    config = notebook / "tilbook.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "[checks]", '[checks]\n"code-language" = "error"\n"footnote-unused" = "off"').replace(
        "[categories]", '[categories]\n"Python" = "🥧"'), encoding="utf-8")
    write_note(notebook, "2024/2024-01-02-t.md", HEAD + "```pythn\nx\n```\n\n[^z]: unused\n")
    found = [(f.rule, f.severity) for f in run_checks(Target(notebook, True))]
    assert found == [("code-language", "error")]


POST = """---
title: "Today I Learned"
draft: false
---

> Newest notes are at the bottom.

##### 🥧 Python

*2024.01.02*

First.[^1]

##### 🥧 Python

*2024.01.01*

Second, out of order.

### References

[^1]: one
"""


def test_post_date_order_follows_the_declared_order(tmp_path: Path) -> None:
    assert rules(post_findings(tmp_path, POST)) == [("date-order", 14)]
    assert rules(post_findings(tmp_path, POST.replace("2024.01.01", "2024.01.03"))) == []


def test_post_duplicate_note(tmp_path: Path) -> None:
    text = POST.replace("2024.01.01", "2024.01.02").replace("Second, out of order.", "First.[^1]")
    assert ("duplicate-note", 14) in rules(post_findings(tmp_path, text))


def test_check_reports_every_defect_of_the_digest_where_it_is(posts: Posts) -> None:
    found: dict[str, list[int]] = {}
    for finding in run_checks(Target(posts.digest, False)):
        found.setdefault(finding.rule, []).append(finding.line)
    assert found == posts.expect["findings"]


def test_fix_leaves_only_what_a_machine_cannot_fix(tmp_path: Path, posts: Posts) -> None:
    post = tmp_path / "000.md"
    shutil.copy(posts.digest, post)
    typo_lines = [line for line in posts.digest.read_text(encoding="utf-8").splitlines() if posts.expect["typo"] in line]
    changes = fix(Target(post, False))
    assert [c.line for c in changes] == posts.expect["fixed_lines"]
    left = sorted({f.rule for f in run_checks(Target(post, False))})
    assert left == ["footnote-unused", "image-missing", "math-error"]
    fixed = post.read_text(encoding="utf-8").splitlines()
    assert typo_lines and all(line in fixed for line in typo_lines)  # code is never touched


def test_fix_in_a_notebook_normalises_category_and_expands_macros(notebook: Path) -> None:
    config = notebook / "tilbook.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("[math.macros]", '[math.macros]\nohm = "\\\\Omega"'),
                      encoding="utf-8")
    note_findings(notebook, "R = 5 $\\ohm$ but `$\\ohm$` in code stays.\n\n```\n$\\ohm$\n```\n",
                  head=HEAD.replace("category: Python", "category: python"))
    changes = fix(Target(notebook, True))
    text = (notebook / "notes/2024/2024-01-02-t.md").read_text(encoding="utf-8")
    assert [c.line for c in changes] == [3, 6]
    assert "category: Python\n" in text and "R = 5 $\\Omega$ but `$\\ohm$` in code stays." in text
    assert "```\n$\\ohm$\n```" in text


def test_topic_post_has_no_error(posts: Posts) -> None:
    assert [f for f in run_checks(Target(posts.topic, False)) if f.severity == "error"] == []


@pytest.mark.parametrize("args,code", [(("check", "--json"), 1), (("check",), 1)])
def test_exit_codes_and_json(notebook: Path, tilbook, args: tuple[str, ...], code: int) -> None:  # noqa: ANN001
    import json
    write_note(notebook, "2024/2024-01-02-t.md", HEAD + "[^ 1]: x\n")
    result = tilbook(*args, cwd=notebook)
    assert result.code == code
    if "--json" in args:
        rows = [json.loads(line) for line in result.out.splitlines()]
        assert {(r["rule"], r["line"]) for r in rows} >= {("footnote-malformed", 6)}
        assert set(rows[0]) == {"rule", "severity", "path", "line", "message"}
    else:
        assert result.out.splitlines()[-1].endswith("in 1 file")


def test_unusable_input_is_exit_2(tmp_path: Path, tilbook) -> None:  # noqa: ANN001
    result = tilbook("check", str(tmp_path / "missing.md"), cwd=tmp_path)
    assert result.code == 2 and "does not exist" in result.err
