"""Hostile input, group 5: pathological markdown renders (or is refused) within a time limit.

Each case runs in its own process, killed after TIME_LIMIT seconds, as cmark's pathological tests do.
"""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

TIME_LIMIT = 10

CASES = {
    "nested quotes": "> " * 5000 + "deep",
    "nested lists": "".join("  " * i + "- item\n" for i in range(2000)),
    "unclosed emphasis": "*a _b " * 20000,
    "backtick runs": "".join("`" * i + "x" for i in range(1, 2000)),
    "brackets": "[" * 30000 + "a" + "]" * 30000,
    "link openers": "[a](" * 20000,
    "math dollars": "$x" * 30000,
    "footnote storm": "".join(f"[^{i}] " for i in range(20000)) + "\n\n" + "".join(f"[^{i}]: d\n" for i in range(0, 20000, 7)),
    "html entities": "&#" * 50000,
    "table columns": "|" + "a|" * 5000 + "\n|" + "-|" * 5000 + "\n",
}


def run_case(body: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    source = tmp_path / "body.md"
    source.write_text(body, encoding="utf-8")
    script = textwrap.dedent(f"""
        from pathlib import Path
        from tilbook.render.markdown import Renderer
        out = Renderer().render(Path({str(source)!r}).read_text(encoding="utf-8"), id_prefix="p")
        print(len(out.html))
    """)
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=TIME_LIMIT)


@pytest.mark.parametrize("case", sorted(CASES))
def test_pathological_markdown_renders_in_time(case: str, tmp_path: Path) -> None:
    result = run_case(CASES[case], tmp_path)
    assert result.returncode == 0, result.stderr[-500:]
    assert "RecursionError" not in result.stderr and int(result.stdout) > 0


def test_ten_megabyte_note_is_refused_with_a_message(tmp_path: Path) -> None:
    from tilbook.capture import init_notebook
    root = tmp_path / "nb"
    init_notebook(root)
    note = root / "notes" / "2024" / "2024-01-01-huge.md"
    note.parent.mkdir(parents=True)
    note.write_text("---\ndate: 2024-01-01\ncategory: CS\n---\n" + ("가나다 abc " * 10) * 100_000, encoding="utf-8")
    result = subprocess.run([sys.executable, "-c", "from tilbook.cli import main; main()", "build"], cwd=root,
                            capture_output=True, text=True, timeout=TIME_LIMIT)
    assert result.returncode == 2
    size = note.stat().st_size / 1_000_000
    assert result.stderr.strip() == (f"error: notes/2024/2024-01-01-huge.md: the note is {size:.1f} MB; "
                                     "tilbook reads notes up to 2 MB (split it into several notes)")
