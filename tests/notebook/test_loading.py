"""Loading a notebook: the parallel first load gives exactly the serial one, errors included.

The parallel path is forced (two workers, threshold 1) whatever the machine's CPU count: on one
CPU the loader would otherwise load serially twice and compare serial with serial. Shown failing:
with `worker_count` left alone on a one-CPU machine (simulated by making it return 1), the
`in_workers` assertion fails, as it does if the workers' results are dropped."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE, write_note
from tilbook import notes
from tilbook.errors import InputError


def force_parallel(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Two workers from the first note on; returns a list that counts the notes parsed in workers."""
    monkeypatch.setattr(notes, "PARALLEL_PARSE", 1)
    monkeypatch.setattr(notes, "worker_count", lambda asked=None: 2)
    in_workers: list[int] = []
    real = notes._parse_many

    def counting(root: Path, paths: list[Path]) -> list:  # noqa: ANN001
        parsed = real(root, paths)
        in_workers.append(sum(fields is not None for fields in parsed))
        return parsed

    monkeypatch.setattr(notes, "_parse_many", counting)
    return in_workers


def test_parallel_first_load_equals_serial(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "nb"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("site", ".tilbook-cache"))
    serial = notes.load_notebook(root)
    shutil.rmtree(root / ".tilbook-cache")
    in_workers = force_parallel(monkeypatch)
    parallel = notes.load_notebook(root)
    assert parallel.notes == serial.notes and len(parallel.notes) > 30
    assert in_workers == [len(serial.notes)]  # every note was parsed by a worker, none here


def test_parallel_load_reports_the_first_bad_note(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "nb"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("site", ".tilbook-cache"))
    write_note(root, "2020/2020-01-01-broken.md", "---\ndate: 2020-02-30\ncategory: CS\n---\nBody.\n")
    with pytest.raises(InputError) as serial:
        notes.load_notebook(root)
    in_workers = force_parallel(monkeypatch)
    with pytest.raises(InputError) as parallel:
        notes.load_notebook(root)
    assert str(parallel.value) == str(serial.value) and "2020-01-01-broken.md" in str(parallel.value)
    assert in_workers and in_workers[0] > 30  # the good notes were parsed in workers
    loose = notes.load_notebook(root, strict=False)
    assert [str(p) for p in loose.problems] == [str(serial.value)]
