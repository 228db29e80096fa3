"""What every benchmark starts from: the shared `digest` corpus imported into a fresh notebook."""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "bench"
TILBOOK = str(Path(sys.executable).parent / "tilbook")


def imported_notebook(n: int, work: Path) -> tuple[Path, float]:
    """A notebook of the first `n` corpus notes in `work`, and the seconds `tilbook import` took."""
    corpus = work / f"corpus-{n}"
    subprocess.run([sys.executable, str(SHARED / "make_corpus.py"), str(corpus), str(n), "--flavor", "digest"],
                   check=True, stdout=subprocess.DEVNULL)
    nb = work / f"nb-{n}"
    subprocess.run([TILBOOK, "init", str(nb)], check=True, stdout=subprocess.DEVNULL)
    started = time.perf_counter()
    subprocess.run([TILBOOK, "import", str(corpus / "digest.md")], cwd=nb, check=True, stdout=subprocess.DEVNULL)
    return nb, time.perf_counter() - started


def set_aside(path: Path, trash: Path) -> None:
    """Move a previous output out of the way instead of deleting it before a cold build. This
    machine's ext4 has no journal, and then the kernel skips, one by one, inodes deleted in the
    last minutes (up to six while their blocks are dirty) whenever it makes a new one: a cold build
    right after `rm -rf` of the last one's 29,000 files and folders took 21.6 s (14.5 s in the
    kernel) against 16.2 s (5.1 s) a few minutes later (docs/performance.md). Delete `trash` when
    the timings are done."""
    if path.exists():
        trash.mkdir(parents=True, exist_ok=True)
        path.rename(trash / f"{path.name}-{time.monotonic_ns()}")

