"""The site's static search index: sharded by term, built by `tilbook build`, read by search.js.

Layout under `search/`:
- `meta.json`: format version, document count, id length, and `chunk_bits`: how many bits of a
  document id's hash pick its chunk, chosen so a chunk holds about DOCS_PER_CHUNK documents.
- `t/<key>.json`: `{term: [doc, …]}` for every term whose shard key is `<key>` (hex code points of
  the term's first character for CJK bigrams, of its first two characters for words), so a query
  downloads one small shard per query part. A term in more than SPLIT_POSTINGS documents is listed
  as `{term: count}` and its documents are in `p/<hex of term>.json` as one space-separated
  string, fetched only when a query needs that term.
- `d/<key>.json`: `{doc: [url, title, date, category, text]}` for the documents of one chunk
  (`chunk_of`: the top `chunk_bits` bits of the id's hex digits 3-5, in hex).
A document id is the note's day (3 base-36 digits, so ids sort newest-last and search.js can rank
by date before downloading any document) and a hash of its URL, so one note's change rewrites only
its own document chunk and the shards of the terms it gained or lost; files are byte-identical for
the same notes.
"""
from __future__ import annotations

import hashlib
import json
import math
from bisect import insort
from collections import defaultdict
from collections.abc import Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..tokens import is_cjk, normalise, runs, terms

FORMAT = 3
ID_LENGTH = 8
SPLIT_POSTINGS = 256
"""Terms in more documents than this get their own postings file (common words stay cheap)."""
SPLIT_TERM_LENGTH = 24
"""Longer terms always stay inline (their hex file name would be too long)."""
DOCS_PER_CHUNK = 8
"""About this many documents share a chunk file: small downloads, not too many files."""


@dataclass(frozen=True, slots=True)
class SearchRecord:
    id: str
    url: str
    title: str
    date: str
    category: str
    tags: tuple[str, ...]
    text: str
    fingerprint: str = ""
    """Changes whenever any other field does (the build passes the note's output key); if empty,
    it is computed from the fields."""
    text_terms: str = ""
    """`terms(text)`, sorted and "\\n"-joined, when already known (the build's render workers find
    them); if empty, they are computed here."""


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


def chunk_bits(documents: int) -> int:
    """Bits of the URL hash that pick a document's chunk (4 to 12): 2 to the bits chunks."""
    return max(4, min(12, round(math.log2(max(documents, 1) / DOCS_PER_CHUNK))))


def chunk_of(doc: str, bits: int = 8) -> str:
    """The chunk key: the top `bits` bits of the hash's first three hex digits, in hex."""
    return f"{int(doc[3:6], 16) >> (12 - bits):0{(bits + 3) // 4}x}"


def _hex(text: str) -> str:
    return "".join(f"{ord(c):x}" for c in text)


def _postings_rel(term: str) -> str:
    return f"p/{_hex(term)}.json"


def _shard_files(key: str, table: Mapping[str, list[str]]) -> dict[str, bytes]:
    """The files of one shard: its term table, and a postings file per common term."""
    inline: dict[str, list[str] | int] = {}
    files: dict[str, bytes] = {}
    for term, docs in table.items():
        if len(docs) > SPLIT_POSTINGS and len(term) <= SPLIT_TERM_LENGTH:
            inline[term] = len(docs)
            files[_postings_rel(term)] = _dump(" ".join(docs))
        else:
            inline[term] = docs
    if inline:
        files[f"t/{key}.json"] = _dump(inline)
    return files


def _read_shard(files: Mapping[str, bytes], key: str) -> tuple[dict[str, list[str]], set[str]]:
    """One shard's full table (split postings read back in) and the files it came from."""
    data = files.get(f"t/{key}.json")
    if not data:
        return {}, set()
    table: dict[str, list[str]] = {}
    used = {f"t/{key}.json"}
    for term, value in json.loads(data).items():
        if isinstance(value, int):
            rel = _postings_rel(term)
            used.add(rel)
            table[term] = json.loads(files[rel]).split(" ")
        else:
            table[term] = value
    return table, used


def _record_terms(record: SearchRecord) -> str:
    """The record's index terms, sorted, one string ("\\n"-joined: pickles far faster than a list)."""
    text = set(record.text_terms.split("\n")) if record.text_terms else terms(record.text)
    return "\n".join(sorted(text | terms(record.title) | {normalise(t) for t in record.tags}))


def _kept(found: str) -> bytes:
    """A record's terms as the state keeps them: UTF-8 bytes. The state is pickled for the next
    build, and pickling a `str` makes CPython keep a UTF-8 copy inside it as long as it lives."""
    return found.encode("utf-8", "surrogatepass")


def _terms_kept(entry: tuple[str, str, str | bytes]) -> str:
    """The terms of a state entry (a state written before `_kept` holds them as `str`)."""
    found = entry[2]
    return found if isinstance(found, str) else found.decode("utf-8", "surrogatepass")


def _fingerprint(record: SearchRecord) -> str:
    if record.fingerprint:
        return record.fingerprint
    fields = (record.id, record.url, record.title, record.date, record.category, record.tags, record.text)
    return hashlib.blake2b(repr(fields).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _dump(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


def _meta(documents: int) -> bytes:
    return _dump({"format": FORMAT, "documents": documents, "id_length": ID_LENGTH,
                  "chunk_bits": chunk_bits(documents)})


def _entry(record: SearchRecord) -> list[str]:
    return [record.url, record.title, record.date, record.category, record.text]


def build_site_index(records: Sequence[SearchRecord]) -> dict[str, bytes]:
    """Files of the index (path under `search/` → bytes); deterministic for the same records."""
    return _full_build(records, {})[0]


def _full_build(records: Sequence[SearchRecord], known: Mapping[str, tuple[str, str, str | bytes]]
                ) -> tuple[dict[str, bytes], dict[str, tuple[str, str, str | bytes]]]:
    """Every file, and per record id its (fingerprint, doc id, terms); `known` saves re-tokenising."""
    ids: set[str] = set()
    docs: dict[str, tuple[str, str, str | bytes]] = {}
    postings: dict[str, list[str]] = defaultdict(list)
    chunks: dict[str, dict[str, list[str]]] = defaultdict(dict)
    bits = chunk_bits(len(records))
    for record in sorted(records, key=lambda r: r.id):
        doc = doc_id(record, ids)
        ids.add(doc)
        chunks[chunk_of(doc, bits)][doc] = _entry(record)
        fingerprint = _fingerprint(record)
        before = known.get(record.id)
        found = _terms_kept(before) if before is not None and before[0] == fingerprint else _record_terms(record)
        docs[record.id] = (fingerprint, doc, _kept(found))
        for term in found.split("\n") if found else ():
            postings[term].append(doc)
    shards: dict[str, dict[str, list[str]]] = defaultdict(dict)
    for term, listed in postings.items():
        listed.sort()  # in place: the postings are the biggest thing made here
        shards[shard_key(term)][term] = listed
    postings.clear()
    files: dict[str, bytes] = {}
    for key in list(shards):  # each shard's lists go as soon as its files are made
        files.update(_shard_files(key, shards.pop(key)))
    for prefix in list(chunks):
        files[f"d/{prefix}.json"] = _dump(chunks.pop(prefix))
    files["meta.json"] = _meta(len(ids))
    return files, docs


def update_site_index(records: Sequence[SearchRecord], state: MutableMapping[str, Any]) -> tuple[dict[str, bytes], set[str]]:
    """The index files for `records` and which of them differ from the last call with `state`.

    `state` (kept in the build cache) holds the previous files and each record's fingerprint, doc
    id and terms, so after a few notes change only their document chunks and the shards of the
    terms they lost or gained are re-made. The result is byte-identical to `build_site_index`:
    the patch is only taken when no doc id was lengthened by a hash collision (the only
    order-dependent part of a full build)."""
    old_docs, old_files = state.get("docs"), state.get("files")
    if isinstance(old_docs, dict) and isinstance(old_files, dict):
        patched = _patch(records, old_docs, old_files)
        if patched is not None:
            files, docs, changed = patched
            state["docs"], state["files"] = docs, files
            return files, changed
    files, docs = _full_build(records, old_docs if isinstance(old_docs, dict) else {})
    before = old_files if isinstance(old_files, dict) else {}
    state["docs"], state["files"] = docs, files
    return files, {rel for rel in files if before.get(rel) != files[rel]} | (set(before) - set(files))


def _patch(records: Sequence[SearchRecord], old_docs: dict[str, tuple[str, str, str | bytes]], old_files: dict[str, bytes]
           ) -> tuple[dict[str, bytes], dict[str, tuple[str, str, str | bytes]], set[str]] | None:
    if any(len(entry[1]) != ID_LENGTH for entry in old_docs.values()):
        return None
    current = {r.id: r for r in records}
    fingerprints = {r.id: _fingerprint(r) for r in records}
    gone = [i for i, entry in old_docs.items() if fingerprints.get(i) != entry[0]]
    added = sorted(i for i, fp in fingerprints.items() if i not in old_docs or old_docs[i][0] != fp)
    if len(gone) + len(added) > max(64, len(records) // 10):
        return None  # much changed: a full build is as quick and simpler
    bits = chunk_bits(len(old_docs))
    if chunk_bits(len(records)) != bits:
        return None  # every document moves to a new chunk
    docs = dict(old_docs)
    files = dict(old_files)
    shards: dict[str, dict[str, list[str]]] = {}
    shard_sources: set[str] = set()
    chunks: dict[str, dict[str, list[str]]] = {}

    def shard(term: str) -> dict[str, list[str]]:
        key = shard_key(term)
        if key not in shards:
            shards[key], used = _read_shard(files, key)
            shard_sources.update(used)
        return shards[key]

    def chunk(doc: str) -> dict[str, list[str]]:
        key = chunk_of(doc, bits)
        if key not in chunks:
            data = files.get(f"d/{key}.json")
            chunks[key] = json.loads(data) if data else {}
        return chunks[key]

    for record_id in gone:
        entry = docs.pop(record_id)
        doc, found = entry[1], _terms_kept(entry)
        for term in found.split("\n") if found else ():
            table = shard(term)
            listed = table.get(term, [])
            if doc in listed:
                listed.remove(doc)
            if not listed:
                table.pop(term, None)
        chunk(doc).pop(doc, None)
    taken = {entry[1] for entry in docs.values()}
    for record_id in added:
        record = current[record_id]
        doc = doc_id(record, taken)
        if len(doc) != ID_LENGTH:
            return None
        taken.add(doc)
        found = _record_terms(record)
        docs[record_id] = (fingerprints[record_id], doc, _kept(found))
        for term in found.split("\n") if found else ():
            insort(shard(term).setdefault(term, []), doc)
        chunk(doc)[doc] = _entry(record)
    made: dict[str, bytes | None] = {rel: None for rel in shard_sources}  # None: the file goes
    for key, table in shards.items():
        made.update(_shard_files(key, table))
    for key, entries in chunks.items():
        made[f"d/{key}.json"] = _dump(entries) if entries else None
    made["meta.json"] = _meta(len(docs))
    changed: set[str] = set()
    for rel, data in made.items():
        if data is None:
            files.pop(rel, None)
        else:
            files[rel] = data
        if old_files.get(rel) != data:
            changed.add(rel)
    return files, docs, changed


def covering_bigrams(part: str) -> list[str]:
    """Bigrams that together cover a CJK run (every second one, and the last): enough to find the
    candidates, since each candidate's text is checked for the whole run anyway."""
    grams = [part[i:i + 2] for i in range(0, len(part) - 1, 2)]
    if len(part) % 2 == 1 and len(part) > 2:
        grams.append(part[-2:])
    return grams


def search_files(files: Mapping[str, bytes], query: str, limit: int = 10,
                 fetched: set[str] | None = None) -> list[dict[str, str]]:
    """The query semantics of search.js, in Python (for tests and the benchmark): every query
    word must match; CJK parts as substrings (2+ characters), words by prefix. `fetched` collects
    the files search.js downloads for the same query."""
    seen = fetched if fetched is not None else set()

    def load(rel: str) -> Any:
        seen.add(rel)
        data = files.get(rel)
        return json.loads(data) if data else None

    meta = load("meta.json") or {}
    bits = int(meta.get("chunk_bits", 8))
    words = [w for w in normalise(query).split() if w]

    def postings(table: dict[str, Any], term: str) -> set[str]:
        value = table.get(term)
        if isinstance(value, int):
            return set((load(_postings_rel(term)) or "").split(" "))
        return set(value or [])

    candidates: set[str] | None = None
    for word in words:
        for part in runs(word):
            if is_cjk(part):
                if len(part) < 2:
                    continue
                docs: set[str] | None = None
                for gram in covering_bigrams(part):
                    found = postings(load(f"t/{shard_key(gram)}.json") or {}, gram)
                    docs = found if docs is None else docs & found
            else:
                table = load(f"t/{shard_key(part)}.json") or {}
                docs = set()
                for term in table:
                    if term.startswith(part):
                        docs |= postings(table, term)
            candidates = docs if candidates is None else candidates & (docs or set())
    if not candidates:
        return []
    results = []
    for doc in sorted(candidates, reverse=True):  # newest first, as search.js
        entry = (load(f"d/{chunk_of(doc, bits)}.json") or {}).get(doc)
        if entry is None:
            continue
        url, title, date, category, text = entry
        haystack = normalise(title + "\n" + text)
        if all(_word_matches(word, haystack) for word in words):
            results.append({"url": url, "title": title, "date": date, "category": category})
            if len(results) == limit:
                break
    return results


def _word_matches(word: str, haystack: str) -> bool:
    if any(is_cjk(part) for part in runs(word)):
        return word in haystack
    words = runs(haystack)
    return all(any(run.startswith(part) for run in words) for part in runs(word))
