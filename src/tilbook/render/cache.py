"""Markdown → HTML for every note, cached by content hash and spread over the cores.

The cache key of a note is its file hash plus the renderer settings and tilbook's version, so an
unchanged note is never parsed, highlighted or math-rendered again. Uncached notes are rendered
in a process pool; results come back in note order, so the output is the same as one process.
"""
from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, overload

from .. import cachefiles
from ..parallel import in_order, split_for_workers, worker_count
from ..spill import Spill, Spilled
from ..tokens import terms
from .markdown import Renderer, Rendered, RenderWarning

RENDER_CACHE_VERSION = 8  # 5: KaTeX + MathML Core math, plain math in text, footnote warnings; 6: wikilinks;
# 7: code blocks focusable (they scroll by keyboard), task checkboxes inside their label; 8: texts stored as UTF-8
PARALLEL_THRESHOLD = 64
"""Fewer uncached notes than this render in-process: starting workers costs more (env TILBOOK_PARALLEL_THRESHOLD)."""
CHUNK = 256
"""Notes a render worker is sent at a time, at most; four chunks a worker are asked for ahead."""


@dataclass(frozen=True, slots=True)
class RenderJob:
    key: str
    body: str
    anchor: str


def settings_key(macros: dict[str, str], allow_html: bool, version: str) -> str:
    text = repr((sorted(macros.items()), allow_html, version, RENDER_CACHE_VERSION))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def job_key(note_hash: str, anchor: str) -> str:
    return hashlib.sha256(f"{note_hash}\0{anchor}".encode()).hexdigest()


Kept = tuple[bytes | Spilled, str, tuple[RenderWarning, ...], tuple[tuple[str, int], ...], tuple[tuple[str, int], ...]]
"""A rendered note as the cache holds it in memory: its HTML as UTF-8, in memory when it was read
from a cache file and in the cache's scratch file when it was rendered in this process (see
spill.py), then its text, warnings, images and links as `Rendered` has them. As `str`, HTML costs
two bytes a character as soon as a note has one Hangul syllable, four with one math letter (𝒩):
7.7 KB a corpus note against 3.9 KB of UTF-8, the largest part of a build's memory."""


def _html_of(kept: Kept) -> bytes:
    html = kept[0]
    return html if isinstance(html, bytes) else html.data()

_worker_renderer: Renderer | None = None


def _init_worker(macros: dict[str, str], allow_html: bool) -> None:
    global _worker_renderer
    _worker_renderer = Renderer(macros=macros, allow_html=allow_html)


def _render_chunk(jobs: list[tuple[bytes, str]]) -> list[tuple[Kept, str]]:
    """Worker: each (body as UTF-8, anchor) rendered, as the cache keeps it."""
    assert _worker_renderer is not None
    return [_rendered_with_terms(_worker_renderer, _decoded(body), anchor) for body, anchor in jobs]


def _sent(jobs: list[RenderJob]) -> list[tuple[bytes, str]]:
    """Jobs as sent to a worker: bodies as UTF-8 bytes (see `_encoded`)."""
    return [(_encoded(job.body), job.anchor) for job in jobs]


def _rendered_with_terms(renderer: Renderer, body: str, anchor: str) -> tuple[Kept, str]:
    """A note's HTML and text, and the search-index terms of its text (found here, so that this
    work too is spread over the workers and cached)."""
    rendered = renderer.render(body, id_prefix=anchor)
    kept = (_encoded(rendered.html), rendered.text, rendered.warnings, rendered.images, rendered.links)
    return kept, "\n".join(sorted(terms(rendered.text)))


class RenderCache:
    """Rendered notes of the last build, per renderer setting, in 16 pickles by the key's first hex
    digit (plain tuples: fast to load), so a build that re-rendered one note rewrites one file."""

    SHARDS = "0123456789abcdef"

    def __init__(self, folder: Path, settings: str) -> None:
        self.folder = folder
        self.settings = settings
        self.entries: dict[str, Kept] = {}
        self.text_terms: dict[str, str] = {}
        """Search-index terms of each rendered note's text, "\\n"-joined."""
        self.stored: dict[str, set[str]] = {}
        """Keys in each shard file as last read or written."""
        self.hits = 0
        self._spill: Spill | None = None
        for shard in self.SHARDS:
            loaded = cachefiles.load(self._path(shard), _from_tuples)
            if isinstance(loaded, tuple):
                entries, text_terms = loaded
                self.entries.update(entries)
                self.text_terms.update(text_terms)
                self.stored[shard] = set(entries)

    def _path(self, shard: str) -> Path:
        return self.folder / f"render-{self.settings}-{shard}.pickle"

    def rendered(self, key: str) -> Rendered:
        """The note rendered under `key` (its HTML decoded now: see `Kept`)."""
        kept = self.entries[key]
        return Rendered(_decoded(_html_of(kept)), *kept[1:])

    def add(self, key: str, kept: Kept, text_terms: str) -> None:
        """A note rendered in this process: its HTML goes to the scratch file."""
        if self._spill is None:
            self._spill = Spill(self.folder)
        html = kept[0]
        self.entries[key] = (self._spill.add_bytes(html) if isinstance(html, bytes) else html, *kept[1:])
        self.text_terms[key] = text_terms

    def save(self, used: set[str]) -> None:
        """Write back the shards whose notes this build rendered or dropped."""
        by_shard: dict[str, set[str]] = {shard: set() for shard in self.SHARDS}
        for key in used:
            by_shard[key[0]].add(key)
        for shard, keys in by_shard.items():
            if keys == self.stored.get(shard, set()):
                continue
            entries = {key: self.entries[key] for key in keys}
            text_terms = {key: self.text_terms.get(key, "") for key in keys}
            cachefiles.save(self._path(shard), {key: (*_as_tuple(entries[key]), _encoded(text_terms[key]))
                                                for key in keys}, (entries, text_terms))
            self.stored[shard] = keys

    def forget(self) -> None:
        """Let go of every entry, here and in the memory copies `cachefiles` keeps of the shards,
        for a process that builds once (`tilbook build`) and has taken what it needs; what it
        saved stays on disk for the next build. Nothing is left to save or hand out afterwards."""
        self.entries = {}
        self.text_terms = {}
        self._spill = None
        for shard in self.SHARDS:
            cachefiles.forget(self._path(shard))


class RenderedView(Sequence[Rendered]):
    """Rendered notes in job order, each made from the cache when it is asked for: a list of them
    all would hold every note's HTML as `str` at once (see `Kept`)."""

    def __init__(self, cache: RenderCache, keys: list[str]) -> None:
        self._cache = cache
        self._keys = keys

    def __len__(self) -> int:
        return len(self._keys)

    @overload
    def __getitem__(self, index: int) -> Rendered: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Rendered]: ...

    def __getitem__(self, index: int | slice) -> Rendered | Sequence[Rendered]:
        if isinstance(index, slice):
            return [self._cache.rendered(key) for key in self._keys[index]]
        return self._cache.rendered(self._keys[index])

    def __iter__(self) -> Iterator[Rendered]:
        return map(self._cache.rendered, self._keys)


def _encoded(text: str) -> bytes:
    """A long text as pickled or sent to a worker: UTF-8 bytes. Pickling a `str` makes CPython
    keep its UTF-8 form inside the string for as long as the string lives (`PyUnicode_AsUTF8`), so
    pickling every note's HTML, text and terms as `str` grew a build by their UTF-8 size for the
    rest of it (~500 MB at 100,000 notes)."""
    return text.encode("utf-8", "surrogatepass")


def _decoded(data: bytes) -> str:
    return data.decode("utf-8", "surrogatepass")


def _as_tuple(kept: Kept) -> tuple[object, ...]:
    """Plain tuples pickle and load several times faster than dataclasses."""
    _, text, warnings, images, links = kept
    return _html_of(kept), _encoded(text), tuple((w.line, w.code, w.message) for w in warnings), images, links


def _from_tuples(stored: dict[str, tuple[Any, ...]]) -> tuple[dict[str, Kept], dict[str, str]]:
    entries: dict[str, Kept] = {
        key: (html, _decoded(text), tuple(RenderWarning(*w) for w in warnings), images, links)
        for key, (html, text, warnings, images, links, _) in stored.items()}
    return entries, {key: _decoded(value[5]) for key, value in stored.items()}


def render_all(jobs: list[RenderJob], cache: RenderCache, *, macros: dict[str, str], allow_html: bool,
               workers: int | None = None, progress: Callable[[int, int], None] | None = None) -> RenderedView:
    """Rendered output for every job, in job order; only cache misses are rendered.
    `progress(done, total)` is told as the cache misses are rendered."""
    missing = [job for job in jobs if job.key not in cache.entries]
    cache.hits = len(jobs) - len(missing)
    workers = worker_count(workers)
    threshold = int(os.environ.get("TILBOOK_PARALLEL_THRESHOLD", PARALLEL_THRESHOLD))
    if missing and workers > 1 and len(missing) >= threshold:
        from concurrent.futures import ProcessPoolExecutor  # only when many notes render
        chunks = split_for_workers(missing, workers, smallest=8, largest=CHUNK)
        done = 0
        with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker,
                                 initargs=(macros, allow_html)) as pool:
            for _, results in in_order(pool, _render_chunk, map(_sent, chunks), ahead=4 * workers):
                for job, (kept, text_terms) in zip(missing[done:done + len(results)], results):
                    cache.add(job.key, kept, text_terms)
                done += len(results)
                if progress:
                    progress(done, len(missing))
    elif missing:
        renderer = Renderer(macros=macros, allow_html=allow_html)
        for done, job in enumerate(missing, 1):
            cache.add(job.key, *_rendered_with_terms(renderer, job.body, job.anchor))
            if progress and done % 50 == 0:
                progress(done, len(missing))
    return RenderedView(cache, [job.key for job in jobs])
