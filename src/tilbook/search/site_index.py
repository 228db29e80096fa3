"""The site's static search index: sharded by term, built by `tilbook build`, read by search.js.

Layout under `search/`:
- `meta.json`: format version, the shard key rule, document count.
- `t/<key>.json`: `{term: [doc, …]}` for every term whose shard key is `<key>` (hex code points of
  the term's first character for CJK bigrams, of its first two characters for words), so a query
  downloads one small shard per query word.
- `d/<xx>.json`: `{doc: [url, title, date, category, text]}` for documents whose id has `xx` at
  positions 3-4.
A document id is the note's day (3 base-36 digits, so ids sort newest-last and search.js can rank
by date before downloading any document) and a hash of its URL, so one note's change rewrites only
its own document chunk and the shards of the terms it gained or lost; files are byte-identical for
the same notes.
"""
from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import MutableMapping, Sequence
from dataclasses import dataclass
from typing import Any

from .tokens import is_cjk, normalise, runs, terms

FORMAT = 1
ID_LENGTH = 8


@dataclass(frozen=True, slots=True)
class SearchRecord:
    id: str
    url: str
    title: str
    date: str
    category: str
    tags: tuple[str, ...]
    text: str


def shard_key(term: str) -> str:
    """Which shard holds `term` (the same rule is in search.js)."""
    head = term[:1] if is_cjk(term[:1]) else term[:2]
    return "".join(f"{ord(c):x}" for c in head)


def _base36(number: int, width: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    for _ in range(width):
        number, rest = divmod(number, 36)
        out = digits[rest] + out
    return out


def doc_id(record: "SearchRecord", taken: set[str]) -> str:
    """Day since 2000 in base 36 (3 digits) + URL hash; longer only on a collision."""
    import datetime as dt
    try:
        days = (dt.date.fromisoformat(record.date) - dt.date(2000, 1, 1)).days
    except ValueError:
        days = 0
    prefix = _base36(min(max(days, 0), 36 ** 3 - 1), 3)
    digest = hashlib.sha1(record.id.encode("utf-8")).hexdigest()
    length = ID_LENGTH - 3
    while prefix + digest[:length] in taken:
        length += 1
    return prefix + digest[:length]


def chunk_of(doc: str) -> str:
    return doc[3:5]


def _record_terms(record: SearchRecord, cache: MutableMapping[str, Any] | None) -> list[str]:
    key = hashlib.sha1(json.dumps([record.title, record.tags, record.text], ensure_ascii=False).encode()).hexdigest()
    if cache is not None and key in cache:
        return cache[key].split("\n")  # one string per record: pickles far faster than 300 small ones
    found = sorted(terms(record.title) | terms(record.text) | {normalise(t) for t in record.tags})
    if cache is not None:
        cache[key] = "\n".join(found)
    return found


def _dump(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


def build_site_index(records: Sequence[SearchRecord], cache: MutableMapping[str, Any] | None = None) -> dict[str, bytes]:
    """Files of the index (path under `search/` → bytes); deterministic for the same records."""
    used_keys: set[str] = set()
    ids: set[str] = set()
    postings: dict[str, list[str]] = defaultdict(list)
    chunks: dict[str, dict[str, list[str]]] = defaultdict(dict)
    for record in sorted(records, key=lambda r: r.id):
        doc = doc_id(record, ids)
        ids.add(doc)
        chunks[chunk_of(doc)][doc] = [record.url, record.title, record.date, record.category, record.text]
        for term in _record_terms(record, cache):
            postings[term].append(doc)
    if cache is not None:  # keep the tokenisation of records that still exist only
        live = {hashlib.sha1(json.dumps([r.title, r.tags, r.text], ensure_ascii=False).encode()).hexdigest()
                for r in records}
        for stale in [k for k in cache if k not in live]:
            del cache[stale]
    shards: dict[str, dict[str, list[str]]] = defaultdict(dict)
    for term, docs in postings.items():
        shards[shard_key(term)][term] = sorted(docs)
        used_keys.add(shard_key(term))
    files = {f"t/{key}.json": _dump(shard) for key, shard in shards.items()}
    files.update({f"d/{prefix}.json": _dump(chunk) for prefix, chunk in chunks.items()})
    files["meta.json"] = _dump({"format": FORMAT, "documents": len(ids), "id_length": ID_LENGTH})
    return files


def search_files(files: dict[str, bytes], query: str, limit: int = 20) -> list[dict[str, str]]:
    """The query semantics of search.js, in Python (for tests and the benchmark): every query
    word must match; CJK parts as substrings (2+ characters), words by prefix."""
    words = [w for w in normalise(query).split() if w]
    if not words:
        return []

    def shard(key: str) -> dict[str, list[str]]:
        data = files.get(f"t/{key}.json")
        return json.loads(data) if data else {}

    candidates: set[str] | None = None
    for word in words:
        parts = runs(word)
        word_docs: set[str] | None = None
        for part in parts:
            if is_cjk(part):
                if len(part) < 2:
                    continue
                grams = [part[i:i + 2] for i in range(len(part) - 1)]
                docs = None
                for gram in grams:
                    found = set(shard(shard_key(gram)).get(gram, []))
                    docs = found if docs is None else docs & found
            else:
                table = shard(shard_key(part))
                docs = {d for term, ds in table.items() if term.startswith(part) for d in ds}
            word_docs = docs if word_docs is None else word_docs & (docs or set())
        if word_docs is None:
            continue
        candidates = word_docs if candidates is None else candidates & word_docs
    if not candidates:
        return []
    results = []
    for doc in sorted(candidates):
        url, title, date, category, text = json.loads(files[f"d/{chunk_of(doc)}.json"])[doc]
        haystack = normalise(title + "\n" + text)
        if all(_word_matches(word, haystack) for word in words):
            results.append({"url": url, "title": title, "date": date, "category": category})
    results.sort(key=lambda r: r["date"], reverse=True)
    return results[:limit]


def _word_matches(word: str, haystack: str) -> bool:
    if any(is_cjk(part) for part in runs(word)):
        return word in haystack
    words = runs(haystack)
    return all(any(run.startswith(part) for run in words) for part in runs(word))
