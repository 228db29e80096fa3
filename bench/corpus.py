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
