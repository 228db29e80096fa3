"""Incremental builds: a build with nothing changed does nothing and says what the last one said;
any change to what a site is made from is seen; a kill while the state is being recorded leaves
the next build correct; and for random sequences of edits, adds, deletes, renames, config,
template, static file and image changes, the incremental site is byte-identical to a cold one."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import write_note
from tilbook.capture import init_notebook
from tilbook.site import steps
from tilbook.site.build import build_site


def tree(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def small_notebook(root: Path) -> None:
    init_notebook(root)
    config = root / "tilbook.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("[categories]", '[categories]\n"CS" = "💻"\n"ML" = "🤖"'),
                      encoding="utf-8")
    for number in range(4):
        write_note(root, f"2024/2024-0{number + 1}-0{number + 1}-n{number}.md",
                   f"---\ndate: 2024-0{number + 1}-0{number + 1}\ncategory: {'CS' if number % 2 else 'ML'}\n"
                   f"tags: [t{number % 2}]\n---\n{number}번 노트: $x_{number}^2$ 와 ![그림](../../images/pic.png) "
                   f"그리고 [다음 노트](../2025/2025-01-01-later.md).\n")


def test_a_build_with_nothing_changed_writes_nothing_and_repeats_its_warnings(tmp_path: Path) -> None:
    root = tmp_path / "nb"
    small_notebook(root)
    out = tmp_path / "out"
    first = build_site(root, out, workers=1)
    assert {w.code for w in first.warnings} == {"image-missing", "link-broken"}
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    again = build_site(root, out, workers=1)
    assert again.up_to_date and not first.up_to_date
    assert (again.changed, again.cache_hits, again.unchanged, again.pages) == (0, 0, first.pages, first.pages)
    assert again.summary().startswith(f"{first.notes} notes, {first.pages} pages, up to date")
    assert [str(w) for w in again.warnings] == [str(w) for w in first.warnings]
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == before


@pytest.mark.parametrize("change", ["edit", "add", "delete", "config", "template", "static", "image", "link target",
                                    "drafts", "output touched"])
def test_every_input_is_seen(change: str, tmp_path: Path) -> None:
    root = tmp_path / "nb"
    small_notebook(root)
    out = tmp_path / "out"
    build_site(root, out, workers=1)
    drafts = False
    note = root / "notes/2024/2024-01-01-n0.md"
    if change == "edit":
        note.write_text(note.read_text(encoding="utf-8") + "\n한 줄 더.\n", encoding="utf-8")
    elif change == "add":
        write_note(root, "2024/2024-05-05-n9.md", "---\ndate: 2024-05-05\ncategory: CS\n---\n새 노트.\n")
    elif change == "delete":
        note.unlink()
    elif change == "config":
        config = root / "tilbook.toml"
        config.write_text(config.read_text(encoding="utf-8").replace('title = "Today I Learned"', 'title = "배운 것"'),
                          encoding="utf-8")
    elif change == "template":
        (root / "templates").mkdir()
        (root / "templates" / "404.html").write_text("<!doctype html><title>없음</title><p>없는 쪽</p>\n", encoding="utf-8")
    elif change == "static":
        (root / "static").mkdir()
        (root / "static" / "extra.txt").write_text("추가 파일\n", encoding="utf-8")
    elif change == "image":
        (root / "images").mkdir()
        (root / "images" / "pic.png").write_bytes(b"\x89PNG a picture")
    elif change == "link target":
        write_note(root, "2025/2025-01-01-later.md", "---\ndate: 2025-01-01\ncategory: CS\n---\n나중 노트.\n")
    elif change == "drafts":
        drafts = True
    elif change == "output touched":
        (out / ".tilbook-site").write_text((out / ".tilbook-site").read_text(encoding="utf-8") + " ", encoding="utf-8")
    result = build_site(root, out, workers=1, drafts=drafts)
    assert not result.up_to_date, change
    shutil.rmtree(root / ".tilbook-cache")
    build_site(root, tmp_path / "cold", workers=1, drafts=drafts)
    assert tree(out) == tree(tmp_path / "cold")


KILLED_WHILE_RECORDING = r"""
import sys, time
from pathlib import Path
from tilbook.site import build, state
def reached(*_, **__):
    print("reached", flush=True)
    time.sleep(600)
state.record = reached
build.build_site(Path(sys.argv[1]), Path(sys.argv[2]), workers=1)
"""


def test_a_kill_while_the_state_is_recorded_leaves_the_next_build_right(tmp_path: Path) -> None:
    """Killed after the new site is in place but before its state is recorded: the next build
    must not trust the state of the build before (it was dropped when this one started)."""
    root = tmp_path / "nb"
    small_notebook(root)
    out = tmp_path / "out"
    build_site(root, out, workers=1)
    note = root / "notes/2024/2024-02-02-n1.md"
    note.write_text(note.read_text(encoding="utf-8") + "\n고친 문장.\n", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-c", KILLED_WHILE_RECORDING, str(root), str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        assert proc.stdout.readline() == "reached\n", proc.stderr.read() if proc.poll() is not None else ""  # type: ignore[union-attr]
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    note.write_text(note.read_text(encoding="utf-8") + "\n또 고친 문장.\n", encoding="utf-8")
    result = build_site(root, out, workers=1)
    assert not result.up_to_date and result.changed > 0
    shutil.rmtree(root / ".tilbook-cache")
    build_site(root, tmp_path / "cold", workers=1)
    assert tree(out) == tree(tmp_path / "cold")


STEPS = st.lists(st.sampled_from(["edit", "reword", "reword", "add", "delete", "rename", "config", "template", "static",
                                  "image", "draft", "nothing"]), min_size=1, max_size=5)
"""`reword` keeps a note's words (a quick build, `site/quick.py`), `edit` adds new ones (a full build)."""


def apply(step: str, root: Path, number: int) -> None:
    notes = sorted((root / "notes").rglob("*.md"))
    if step == "edit" and notes:
        notes[number % len(notes)].write_text(notes[number % len(notes)].read_text(encoding="utf-8") + f"\n덧붙임 {number}.\n",
                                              encoding="utf-8")
    elif step == "reword" and notes:
        target = notes[number % len(notes)]
        target.write_text(target.read_text(encoding="utf-8") + "\n노트 그리고 와 노트.\n" * (number % 2 + 1), encoding="utf-8")
    elif step == "add":
        day = f"2024-0{number % 9 + 1}-1{number % 10}"
        write_note(root, f"2024/{day}-added{number}.md",
                   f"---\ndate: {day}\ncategory: {'CS' if number % 2 else 'ML'}\ntags: [t{number % 3}]\n---\n추가 {number}: $y^{number}$.\n")
    elif step == "delete" and len(notes) > 1:
        notes[number % len(notes)].unlink()
    elif step == "rename" and notes:
        source = notes[number % len(notes)]
        source.rename(source.with_name(source.stem + f"-r{number}.md"))
    elif step == "config":
        config = root / "tilbook.toml"
        text = config.read_text(encoding="utf-8")
        config.write_text(text.replace('order = "asc"', 'order = "desc"') if 'order = "asc"' in text
                          else text.replace('order = "desc"', 'order = "asc"'), encoding="utf-8")
    elif step == "template":
        (root / "templates").mkdir(exist_ok=True)
        (root / "templates" / "404.html").write_text(f"<!doctype html><title>없음 {number}</title>\n", encoding="utf-8")
    elif step == "static":
        (root / "static").mkdir(exist_ok=True)
        (root / "static" / "extra.txt").write_text(f"버전 {number}\n", encoding="utf-8")
    elif step == "image":
        (root / "images").mkdir(exist_ok=True)
        (root / "images" / "pic.png").write_bytes(f"picture {number}".encode())
    elif step == "draft" and notes:
        target = notes[number % len(notes)]
        text = target.read_text(encoding="utf-8")
        target.write_text(text.replace("---\n", "---\ndraft: true\n", 1) if "draft: true" not in text
                          else text.replace("draft: true\n", ""), encoding="utf-8")


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(STEPS)
def test_incremental_site_equals_a_cold_build(monkeypatch: pytest.MonkeyPatch, steps_taken: list[str]) -> None:
    monkeypatch.setattr(steps, "DIGEST_PAGE_NOTES", 2)  # digest pages, years and parts move too
    with tempfile.TemporaryDirectory() as tmp:
        root, out = Path(tmp) / "nb", Path(tmp) / "inc"
        small_notebook(root)
        build_site(root, out, workers=1)
        for number, step in enumerate(steps_taken):
            apply(step, root, number)
            build_site(root, out, workers=1)
        cold_root = Path(tmp) / "cold-nb"
        shutil.copytree(root, cold_root, ignore=shutil.ignore_patterns(".tilbook-cache", "site"))
        build_site(cold_root, Path(tmp) / "cold", workers=1)
        assert tree(out) == tree(Path(tmp) / "cold"), steps_taken


def test_a_commit_is_seen_for_the_dates_from_git(tmp_path: Path) -> None:
    """Pages show dates from git; a commit changes them without touching a note file."""
    root = tmp_path / "nb"
    small_notebook(root)
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@e", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@e", "GIT_AUTHOR_DATE": "2024-06-01T10:00:00", "GIT_COMMITTER_DATE": "2024-06-01T10:00:00"}
    subprocess.run(["git", "init", "-q"], cwd=root, check=True, env=env)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True, env=env)
    subprocess.run(["git", "commit", "-qm", "first"], cwd=root, check=True, env=env)
    out = tmp_path / "out"
    build_site(root, out, workers=1)
    assert build_site(root, out, workers=1).up_to_date
    subprocess.run(["git", "commit", "-q", "--allow-empty", "-m", "second"], cwd=root, check=True, env=env)
    assert not build_site(root, out, workers=1).up_to_date
