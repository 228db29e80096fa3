"""`init`, `new`, and the bad-input contract: exit 2, one line naming file and line."""
from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from tests.conftest import write_note


def test_init_refuses_an_existing_notebook(notebook: Path, tilbook) -> None:  # noqa: ANN001
    config = (notebook / "tilbook.toml").read_bytes()
    result = tilbook("init", notebook)
    assert result.code == 2 and "already holds a notebook" in result.err
    assert (notebook / "tilbook.toml").read_bytes() == config


@pytest.mark.parametrize("title", ['My "TIL" \\ notes', "줄\n바꿈 and a tab\t", "'single' = [not, toml]"])
def test_init_keeps_any_title(title: str, tmp_path: Path, tilbook) -> None:  # noqa: ANN001
    """Fails on a title pasted between quotes into the TOML (a quote or backslash made it unreadable)."""
    assert tilbook("init", "--title", title, tmp_path / "nb").code == 0
    write_note(tmp_path / "nb", "2024/a.md", "---\ndate: 2024-01-01\ncategory: CS\n---\nA note.\n")
    result = tilbook("list", "--json", cwd=tmp_path / "nb")
    assert result.code == 0 and '"date": "2024-01-01"' in result.out
    from tilbook.config import load_config
    assert load_config(tmp_path / "nb" / "tilbook.toml").title == title


def test_new_twice_with_same_title_writes_two_files(notebook: Path, tilbook) -> None:  # noqa: ANN001
    tilbook("new", "첫 줄.", "-c", "Tools", "--new-category", "--date", "2024-03-01", "--title", "같은 제목", cwd=notebook)
    first = tilbook("new", "둘째 줄.", "-c", "tools", "--date", "2024-03-01", "--title", "같은 제목", cwd=notebook)
    files = sorted(p.name for p in (notebook / "notes" / "2024").iterdir())
    assert files == ["2024-03-01-같은-제목-2.md", "2024-03-01-같은-제목.md"]
    assert first.out.strip() == "notes/2024/2024-03-01-같은-제목-2.md"
    assert "첫 줄." in (notebook / "notes/2024/2024-03-01-같은-제목.md").read_text(encoding="utf-8")


def test_new_reads_stdin_and_derives_title(notebook: Path, tilbook) -> None:  # noqa: ANN001
    result = tilbook("new", "-c", "Tools", "--new-category", "--date", "2024-03-02", "-t", "shell",
                     cwd=notebook, stdin="`set -e` stops a script at the first failing command. Except in pipes.\n")
    text = (notebook / result.out.strip()).read_text(encoding="utf-8")
    assert text.startswith('---\ndate: 2024-03-02\ncategory: Tools\ntags: [shell]\n'
                           'title: "set -e stops a script at the first failing command."\ndraft: false\n---\n')


def test_unknown_category_lists_known_ones(notebook: Path, tilbook) -> None:  # noqa: ANN001
    tilbook("new", "x.", "-c", "Python", "--new-category", cwd=notebook)
    result = tilbook("new", "y.", "-c", "Rust", cwd=notebook)
    assert result.code == 2
    assert result.err.strip() == ("error: unknown category `Rust`; known: Python "
                                  "(pick one of those, or pass --new-category to add it)")


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_folder_is_an_error_not_a_traceback(notebook: Path, tilbook) -> None:  # noqa: ANN001
    folder = notebook / "notes" / "2024"
    folder.mkdir(parents=True)
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        result = tilbook("new", "x.", "-c", "T", "--new-category", "--date", "2024-01-01", cwd=notebook)
    finally:
        folder.chmod(0o755)
    assert result.code == 2 and "Traceback" not in result.err


BAD = {
    "invalid yaml": ("---\ndate: [2022-05-02\n---\nbody\n", ":2: invalid front matter"),
    "python tag": ("---\ndate: 2022-05-02\ntitle: !!python/object/apply:os.getcwd []\n---\nbody\n",
                   ":3: invalid front matter: a YAML tag that would construct an object"),
    "impossible date": ("---\ndate: 2021-02-30\ncategory: CS\n---\nbody\n", ":2: invalid date: day is out of range"),
    "string draft": ('---\ndate: 2022-05-02\ncategory: CS\ndraft: "yes"\n---\nbody\n', ":4: `draft` is 'yes', not a boolean"),
    "yaml 1.1 yes": ("---\ndate: 2022-05-02\ncategory: CS\ndraft: yes\n---\nbody\n", ":4: `draft` is 'yes', not a boolean"),
    "alias bomb": ("---\ndate: 2022-05-02\ncategory: CS\na: &a [x, x]\nb: [*a, *a]\n---\nbody\n",
                   ":4: invalid front matter: anchors and aliases"),
    "duplicate key": ("---\ndate: 2022-05-02\ncategory: CS\ncategory: ML\n---\nbody\n", ":4: invalid front matter: duplicate key `category`"),
    "not a mapping": ("---\n- a\n- b\n---\nbody\n", ":2: front matter is not a set of `key: value` fields"),
    "unclosed": ("---\ndate: 2022-05-02\nbody\n", ":1: front matter is not closed"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_front_matter_is_one_line_with_file_and_line(case: str, notebook: Path, tilbook) -> None:  # noqa: ANN001
    text, expected = BAD[case]
    write_note(notebook, "2022/broken-note.md", text)
    result = tilbook("list", "--json", cwd=notebook)
    assert result.code == 2
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.err
    assert lines[0].startswith("error: notes/2022/broken-note.md" + expected), lines[0]


def test_non_utf8_bytes_name_the_line(notebook: Path, tilbook) -> None:  # noqa: ANN001
    write_note(notebook, "2022/latin1.md", "---\ndate: 2022-05-02\ncategory: CS\n---\ncaf\xe9\n".encode("latin-1"))
    result = tilbook("list", cwd=notebook)
    assert result.code == 2 and result.err.strip() == (
        "error: notes/2022/latin1.md:5: is not UTF-8 text (save the file as UTF-8)")


def test_bom_and_crlf_read_like_the_clean_file(notebook: Path) -> None:
    from tilbook.notes import load_notebook
    clean = "---\ndate: 2022-05-02\ncategory: CS\ntitle: T\n---\nBody 줄바꿈.\nSecond line.\n"
    write_note(notebook, "2022/a.md", clean)
    write_note(notebook, "2023/b.md", ("\ufeff" + clean.replace("2022-05-02", "2023-05-02")).replace("\n", "\r\n").encode())
    a, b = load_notebook(notebook).notes
    assert (a.title, a.body, a.body_line) == (b.title, b.body, b.body_line) == ("T", "Body 줄바꿈.\nSecond line.", 6)


def test_the_first_category_of_a_new_notebook_needs_no_flag(notebook: Path, tilbook) -> None:  # noqa: ANN001
    first = tilbook("new", "첫 노트입니다.", "-c", "Python", cwd=notebook)
    assert first.code == 0 and first.out.strip().startswith("notes/")
    assert '"Python" = ""' in (notebook / "tilbook.toml").read_text(encoding="utf-8")
    typo = tilbook("new", "둘째 노트.", "-c", "Pyhton", cwd=notebook)
    assert typo.code == 2 and "unknown category `Pyhton`; known: Python" in typo.err
