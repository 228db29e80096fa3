"""Texts written once and read back a few times, kept in a scratch file rather than in memory.

Every note's HTML is the largest thing a build holds (7.7 KB a note of the benchmark corpus as a
Python `str`: Hangul makes each character two bytes, a math letter four; 3.9 KB as UTF-8), from
the moment it is rendered until the last page that shows it is written: 390 MB to 770 MB of a
100,000-note build, and, once freed, holes in the C heap that later objects do not fill. A `Spill`
keeps each text as UTF-8 in an unlinked temporary file (the operating system's page cache holds
it, not the process) and reads it back with `pread`, so forked workers, which inherit the open
file, read it as the parent does. Texts are written with `pwrite` at their own offsets and never
buffered, so no process can write anything twice or out of place.
"""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path


class Spill:
    """An append-only scratch file (closed when the last `Spilled` of it goes)."""

    def __init__(self, folder: Path | None = None) -> None:
        try:
            if folder is not None:
                folder.mkdir(parents=True, exist_ok=True)
            self._file = tempfile.TemporaryFile(dir=folder)
        except OSError:  # a read-only notebook: the system's temporary folder
            self._file = tempfile.TemporaryFile()
        self._fd = self._file.fileno()
        self._end = 0

    def add(self, text: str) -> Spilled:
        return self.add_bytes(text.encode("utf-8", "surrogatepass"))

    def add_bytes(self, data: bytes) -> Spilled:
        at = self._end
        written = os.pwrite(self._fd, data, at)
        while written < len(data):  # a short write (a signal): the rest
            written += os.pwrite(self._fd, data[written:], at + written)
        self._end += len(data)
        return Spilled(self, at, len(data))

    def read(self, at: int, length: int) -> bytes:
        data = os.pread(self._fd, length, at)
        while len(data) < length:  # a short read (a signal): the rest
            more = os.pread(self._fd, length - len(data), at + len(data))
            if not more:
                raise OSError(f"a scratch file ends at {at + len(data)}, before {at + length}")
            data += more
        return data


@dataclass(frozen=True, slots=True)
class Spilled:
    """Where one text is in its `Spill`."""

    spill: Spill
    at: int
    length: int

    def data(self) -> bytes:
        return self.spill.read(self.at, self.length)

    def text(self) -> str:
        return self.data().decode("utf-8", "surrogatepass")
