"""Loading a notebook: the parallel first load gives exactly the serial one, errors included."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE, write_note
from tilbook import notes
from tilbook.errors import InputError


def test_parallel_first_load_equals_serial(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "nb"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("site", ".tilbook-cache"))
    serial = notes.load_notebook(root)
    shutil.rmtree(root / ".tilbook-cache")
    monkeypatch.setattr(notes, "PARALLEL_PARSE", 1)
    parallel = notes.load_notebook(root)
    assert parallel.notes == serial.notes and len(parallel.notes) > 30


def test_parallel_load_reports_the_first_bad_note(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "nb"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("site", ".tilbook-cache"))
    write_note(root, "2020/2020-01-01-broken.md", "---\ndate: 2020-02-30\ncategory: CS\n---\nBody.\n")
    with pytest.raises(InputError) as serial:
        notes.load_notebook(root)
    monkeypatch.setattr(notes, "PARALLEL_PARSE", 1)
    with pytest.raises(InputError) as parallel:
        notes.load_notebook(root)
    assert str(parallel.value) == str(serial.value) and "2020-01-01-broken.md" in str(parallel.value)
    loose = notes.load_notebook(root, strict=False)
    assert [str(p) for p in loose.problems] == [str(serial.value)]
