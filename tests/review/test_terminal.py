"""The interactive loop in a real terminal (a pty driven by pexpect): keys 3, 4, s, q, the
summary, and Ctrl-C mid-review losing nothing already rated."""
from __future__ import annotations

import io
import json
import os
import re
import sys
from pathlib import Path

import pexpect

from tests.review.helpers import add_notes
from tilbook.reviewlog import LOG_PATH

TILBOOK = str(Path(sys.executable).parent / "tilbook")


def _spawn(notebook: Path, *args: str) -> pexpect.spawn:
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "100", "LINES": "40"}
    child = pexpect.spawn(TILBOOK, ["review", *args], cwd=str(notebook), env=env, encoding="utf-8",
                          timeout=20, dimensions=(40, 100))
    child.logfile_read = io.StringIO()
    return child


def _screen(child: pexpect.spawn) -> str:
    """Everything the child printed, without terminal escapes (Rich styles the counts bold)."""
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", child.logfile_read.getvalue())


def _log(notebook: Path) -> list[dict]:
    path = notebook / LOG_PATH
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def test_keys_in_a_terminal(notebook: Path) -> None:
    add_notes(notebook, 4)
    child = _spawn(notebook)
    child.expect("notes to review")
    child.expect("Title 1")
    child.send(" ")  # show the note
    child.expect("Fact number 1 about things")
    child.send("3")
    child.expect("good")
    child.expect("Title 2")
    child.send("4")
    child.expect("easy")
    child.expect("Title 3")
    child.send("s")
    child.expect("Title 4")
    child.send("q")
    child.expect(pexpect.EOF)
    child.close()
    assert "Reviewed 2 (1 good, 1 easy), skipped 1." in _screen(child)
    assert re.search(r"Next review due \S+ \S+ \(in 10 min\)\. Streak: 1 day\.", _screen(child))
    assert child.exitstatus == 0
    assert [(e["title"], e["rating"]) for e in _log(notebook)] == [("Title 1", 3), ("Title 2", 4)]


def test_ctrl_c_keeps_ratings(notebook: Path) -> None:
    add_notes(notebook, 3)
    child = _spawn(notebook)
    child.expect("Title 1")
    child.send("4")
    child.expect("Title 2")
    child.send("1")  # Again: due in a minute, so shown again at the end of this session
    child.expect("Title 3")
    child.sendintr()  # Ctrl-C while a note waits for its rating
    child.expect(pexpect.EOF)
    child.close()
    assert "Interrupted. Reviewed 2 (1 again, 1 easy)." in _screen(child)
    assert child.exitstatus == 130 or child.signalstatus is not None
    assert [(e["title"], e["rating"]) for e in _log(notebook)] == [("Title 1", 4), ("Title 2", 1)]
    # and the next session starts where this one stopped: Title 2 (Again) comes back, Title 1 does not
    child = _spawn(notebook, "--limit", "5")
    child.expect("Title 2")
    child.send("q")
    child.expect(pexpect.EOF)
    assert "Title 1" not in child.before


def test_again_comes_back_in_the_session(notebook: Path) -> None:
    add_notes(notebook, 1)
    child = _spawn(notebook)
    child.expect("Title 1")
    child.send("1")
    child.expect("next in 1 min")
    child.expect("Title 1")  # learning step inside the learn-ahead window: shown again
    child.send("3")
    child.expect("Title 1")  # 10 minutes: still inside it
    child.send("4")
    child.expect(pexpect.EOF)
    assert "Reviewed 3 (1 again, 1 good, 1 easy)." in _screen(child)
    assert [e["rating"] for e in _log(notebook)] == [1, 3, 4]
