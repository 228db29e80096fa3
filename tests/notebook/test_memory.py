"""What keeps a big build's memory down: the scratch file of note HTML, results taken from workers
a few at a time, caches pickled without keeping copies, and the note loader's cache round trip."""
from __future__ import annotations

import multiprocessing
import os
import pickle
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE
from tilbook import cachefiles, notes
from tilbook.parallel import in_order
from tilbook.spill import Spill

TEXTS = ["", "plain <p>html</p>", "텐서플로우의 map_fn", "𝒩(0, 1) and ℝ", "x" * 70_000, "\ud800 lone surrogate"]


def test_spill_gives_back_every_text(tmp_path: Path) -> None:
    spill = Spill(tmp_path / "cache")
    spilled = [spill.add(text) for text in TEXTS]
    assert [s.text() for s in reversed(spilled)] == list(reversed(TEXTS))
    assert spill.add_bytes(b"\x00raw").data() == b"\x00raw"
    assert list((tmp_path / "cache").iterdir()) == []  # unlinked: nothing left behind


def _read_in_child(spilled: object, out: object) -> None:
    out.send(spilled.text())  # type: ignore[attr-defined]


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="page workers need fork")
def test_spill_is_read_by_forked_workers(tmp_path: Path) -> None:
    spill = Spill(tmp_path)
    first, second = spill.add(TEXTS[2]), spill.add(TEXTS[3])
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_read_in_child, args=(second, send))
    child.start()
    assert receive.recv() == TEXTS[3]
    child.join()
    assert first.text() == TEXTS[2] and spill.add("after").text() == "after"


def test_in_order_keeps_order_and_stays_ahead_by_at_most_ahead() -> None:
    started: list[int] = []
    taken: list[int] = []
    lock = threading.Lock()

    def work(chunk: list[int]) -> list[int]:
        with lock:
            started.append(chunk[0])
            assert len(started) - len(taken) <= 3  # never more than `ahead` submitted and not taken
        return [n * n for n in chunk]

    chunks = [[n, n + 1] for n in range(0, 40, 2)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = []
        for chunk, squares in in_order(pool, work, chunks, ahead=3):
            taken.append(chunk[0])
            results.extend(zip(chunk, squares))
    assert results == [(n, n * n) for n in range(40)]


def test_in_order_closed_early_cancels_what_has_not_started() -> None:
    gate = threading.Event()
    ran: list[int] = []

    def work(chunk: list[int]) -> int:
        gate.wait(5)
        ran.append(chunk[0])
        return chunk[0]

    with ThreadPoolExecutor(max_workers=1) as pool:
        results = in_order(pool, work, [[n] for n in range(10)], ahead=4)
        gate.set()
        assert next(results) == ([0], 0)
        results.close()
    assert len(ran) < 10


def test_cachefiles_save_streams_and_forget_drops_the_memory_copy(tmp_path: Path) -> None:
    path = tmp_path / "c.pickle"
    value = {"big": b"x" * 1_000_000, "text": "텐서" * 1000}
    cachefiles.save(path, value)
    assert pickle.loads(path.read_bytes()) == value
    assert cachefiles.load(path) is value  # the memory copy
    cachefiles.forget(path)
    loaded = cachefiles.load(path)
    assert loaded == value and loaded is not value and path.exists()


def test_loader_cache_reads_back_what_was_parsed(tmp_path: Path) -> None:
    import shutil
    root = tmp_path / "nb"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("site", ".tilbook-cache"))
    first = notes.load_notebook(root)
    for path in (root / ".tilbook-cache").glob("notes-*.pickle"):
        cachefiles.forget(path)  # read from the files, as the next process would
    again = notes.load_notebook(root)
    assert again.notes == first.notes
    bodies = {type(fields[notes._BODY]) for path in (root / ".tilbook-cache").glob("notes-*.pickle")
              for _, _, fields in pickle.loads(path.read_bytes())[1].values()}
    assert bodies == {bytes}  # stored as UTF-8 (see notes._stored)
    assert len({id(n.field_lines) for n in again.notes}) < len(again.notes)  # equal lines shared
    assert os.listdir(root / ".tilbook-cache")
