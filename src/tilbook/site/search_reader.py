"""The reference reader of the site's search index: what search.js does, step for step, in
Python (`search_files`), for tests and benchmarks that check what a query finds and downloads."""
from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping
from typing import Any

from ..tokens import bigrams, is_cjk, normalise, runs
from .search_index import MAX_CHUNKS, PAGE_POSTINGS, _page_rel, chunk_of, postings_pages, shard_key


class _Postings:
    """What a reader knows of one term's documents: inline ones at once, a split term's page by
    page from the newest (search.js's `source` has the same fields)."""
    __slots__ = ("term", "count", "docs", "next", "floor")

    def __init__(self, term: str, value: list[str] | int, page_size: int) -> None:
        self.term = term
        self.count = value if isinstance(value, int) else len(value)
        self.docs: set[str] = set() if isinstance(value, int) else set(value)
        self.next = postings_pages(value, page_size) - 1 if isinstance(value, int) else -1
        """The page to read next; -1 when every document is known."""
        self.floor = ""
        """Every document of the term from this id on is known ("" once all are)."""

    def read_next(self, load: Callable[[str], Any]) -> None:
        listed = load(_page_rel(self.term, self.next))
        page = listed.split(" ") if isinstance(listed, str) and listed else []
        self.docs.update(page)
        self.floor = "" if self.next == 0 else (page[0] if page else self.floor)
        self.next -= 1


def search_files(files: Mapping[str, bytes], query: str, limit: int = 10,
                 fetched: set[str] | None = None) -> list[dict[str, str]]:
    """The query semantics of search.js, step for step in Python (for tests and the benchmark):
    every query word must match; CJK parts as substrings (2+ characters), words by prefix; the
    `limit` newest matching notes. `fetched` collects the files search.js downloads for the same
    query."""
    seen = fetched if fetched is not None else set()

    def load(rel: str) -> Any:
        seen.add(rel)
        data = files.get(rel)
        return json.loads(data) if data else None

    meta = load("meta.json") or {}
    bits = int(meta.get("chunk_bits", 8))
    page_size = int(meta.get("page_postings", PAGE_POSTINGS))
    documents = int(meta.get("documents", 0))
    words = [w for w in normalise(query).split() if w]
    # one group per CJK bigram and per other word part: a note must be in every group, and is in a
    # group when it is in the postings of any of its terms (the words a prefix starts)
    wanted: list[tuple[str, Callable[[str], bool]]] = []
    for word in words:
        for part in runs(word):
            if not is_cjk(part):
                wanted.append((shard_key(part), functools.partial(_starts_with, part)))
            elif len(part) >= 2:  # every bigram: a page each, and the text check fetches fewer chunks
                wanted += [(shard_key(gram), gram.__eq__) for gram in dict.fromkeys(bigrams(part))]
    if not wanted:
        return []
    groups: list[list[_Postings]] = []
    for key, matches in wanted:
        table: dict[str, list[str] | int] = load(f"t/{key}.json") or {}
        groups.append([_Postings(term, value, page_size) for term, value in sorted(table.items()) if matches(term)])
    if not all(groups):
        return []
    # a group with a term in every note rules nothing out: its pages are not read (one group stays)
    groups = [group for group in groups if all(s.count != documents for s in group)] or groups[:1]
    results: list[dict[str, str]] = []
    chunks: dict[str, dict[str, list[str]]] = {}
    checked: set[str] = set()
    due = [source for group in groups for source in group if source.next >= 0]
    while True:
        for source in due:
            source.read_next(load)
        floor = max(max(source.floor for source in group) for group in groups)
        known = set.intersection(*(set().union(*(source.docs for source in group)) for group in groups))
        candidates = sorted((doc for doc in known if doc >= floor and doc not in checked), reverse=True)
        checked.update(candidates)
        capped = _check(candidates, words, limit, bits, chunks, load, results)
        if len(results) >= limit or capped or not floor:
            return results
        due = [source for group in groups for source in group if source.floor == floor]


def _check(candidates: list[str], words: list[str], limit: int, bits: int, chunks: dict[str, dict[str, list[str]]],
           load: Callable[[str], Any], results: list[dict[str, str]]) -> bool:
    """Add the candidates whose text has every query word to `results`, newest first, until it
    holds `limit`; each batch's document chunks are loaded together, as search.js fetches them.
    True when MAX_CHUNKS stopped it."""
    at = 0
    capped = False
    while at < len(candidates) and len(results) < limit and not capped:
        batch = candidates[at:at + limit]
        for index, doc in enumerate(batch):
            key = chunk_of(doc, bits)
            if key not in chunks:
                if len(chunks) >= MAX_CHUNKS:
                    batch, capped = batch[:index], True
                    break
                chunks[key] = load(f"d/{key}.json") or {}
        for doc in batch:
            at += 1
            entry = chunks[chunk_of(doc, bits)].get(doc)
            if entry is None:
                continue
            url, title, date, category, text = entry
            haystack = normalise(title + "\n" + text)
            if all(_word_matches(word, haystack) for word in words):
                results.append({"url": url, "title": title, "date": date, "category": category})
                if len(results) == limit:
                    break
    return capped


def _starts_with(prefix: str, term: str) -> bool:
    return term.startswith(prefix)


def _word_matches(word: str, haystack: str) -> bool:
    if any(is_cjk(part) for part in runs(word)):
        return word in haystack
    words = runs(haystack)
    return all(any(run.startswith(part) for run in words) for part in runs(word))
