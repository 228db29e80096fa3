"""The site's static search index: sharded by term, built by `tilbook build`, read by search.js.

Layout under `search/`:
- `meta.json`: format version, document count, id length, `chunk_bits`: how many bits of a
  document id's hash pick its chunk, chosen so a chunk holds about DOCS_PER_CHUNK documents, and
  `page_postings`: the page size of split postings.
- `t/<key>.json`: `{term: [doc, …]}` for every term whose shard key is `<key>` (hex code points of
  the term's first character for CJK bigrams, of its first two characters for words), so a query
  downloads one small shard per query part. A term in more than SPLIT_POSTINGS documents is listed
  as `{term: count}` and its documents, oldest first, are in pages `p/<hex of term>-<n>.json`
  (`postings_pages`), each one space-separated string. Results are shown newest first, so a query
  reads the newest page of each term and goes further back only while it has too few results: a
  common bigram costs one page, not every document it is in.
- `d/<key>.json`: `{doc: [url, title, date, category, text]}` for the documents of one chunk
  (`chunk_of`: the top `chunk_bits` bits of the id's hex digits 3-5, in hex).
A document id is the note's day (3 base-36 digits, so ids sort newest-last and search.js can rank
by date before downloading any document) and a hash of its URL, so one note's change rewrites only
its own document chunk and the shards of the terms it gained or lost (and, for a split term, its
pages from the note's one onward; a new note, the newest, only the last page); files are
byte-identical for the same notes.
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

from ..tokens import is_cjk, normalise, terms

FORMAT = 4
ID_LENGTH = 8
SPLIT_POSTINGS = 256
"""Terms in more documents than this get their own postings file (common words stay cheap)."""
SPLIT_TERM_LENGTH = 24
"""Longer terms always stay inline (their hex file name would be too long)."""
DOCS_PER_CHUNK = 3
"""About this many documents share a chunk file: small downloads, not too many files."""
PAGE_POSTINGS = 512
"""A split term's documents are in pages of this many, oldest first; the newest page also takes the
remainder (PAGE_POSTINGS to twice that), so a new note rewrites only the last page and the
first page a query reads is never a near-empty one."""
MAX_CHUNKS = 40
"""A query stops after this many document chunks (a word whose bigrams are common but which is
rare itself: many candidates fail the text check)."""


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


def postings_pages(documents: int, page: int) -> int:
    """How many pages hold the documents of a split term in `documents` notes (the same rule is in
    search.js)."""
    return max(1, documents // page)


def _page_rel(term: str, page: int) -> str:
    return f"p/{_hex(term)}-{page}.json"


def _shard_files(key: str, table: Mapping[str, list[str]]) -> dict[str, bytes]:
    """The files of one shard: its term table, and the postings pages of each common term."""
    inline: dict[str, list[str] | int] = {}
    files: dict[str, bytes] = {}
    size = PAGE_POSTINGS
    for term, docs in table.items():
        if len(docs) > SPLIT_POSTINGS and len(term) <= SPLIT_TERM_LENGTH:
            inline[term] = len(docs)
            last = postings_pages(len(docs), size) - 1
            for page in range(last + 1):
                listed = docs[page * size:] if page == last else docs[page * size:(page + 1) * size]
                files[_page_rel(term, page)] = _dump(" ".join(listed))
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
            table[term] = []
            for page in range(postings_pages(value, PAGE_POSTINGS)):
                rel = _page_rel(term, page)
                used.add(rel)
                table[term] += json.loads(files[rel]).split(" ")
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


def record_terms(record: SearchRecord) -> str:
    """A record's index terms as the index lists them (a quick build diffs a note's old and new)."""
    return _record_terms(record)


def _fingerprint(record: SearchRecord) -> str:
    if record.fingerprint:
        return record.fingerprint
    fields = (record.id, record.url, record.title, record.date, record.category, record.tags, record.text)
    return hashlib.blake2b(repr(fields).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _dump(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


def _meta(documents: int) -> bytes:
    return _dump({"format": FORMAT, "documents": documents, "id_length": ID_LENGTH,
                  "chunk_bits": chunk_bits(documents), "page_postings": PAGE_POSTINGS})


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


class Shards:
    """Term shards of an index read on demand from its files and changed in place (a patch):
    `made()` gives their files again, None for a file that goes."""

    def __init__(self, files: Mapping[str, bytes]) -> None:
        self.files = files
        self.tables: dict[str, dict[str, list[str]]] = {}
        self.sources: set[str] = set()

    def table(self, term: str) -> dict[str, list[str]]:
        key = shard_key(term)
        if key not in self.tables:
            self.tables[key], used = _read_shard(self.files, key)
            self.sources.update(used)
        return self.tables[key]

    def drop(self, term: str, doc: str) -> None:
        table = self.table(term)
        listed = table.get(term, [])
        if doc in listed:
            listed.remove(doc)
        if not listed:
            table.pop(term, None)

    def add(self, term: str, doc: str) -> None:
        listed = self.table(term).setdefault(term, [])
        if doc not in listed:
            insort(listed, doc)

    def made(self) -> dict[str, bytes | None]:
        made: dict[str, bytes | None] = {rel: None for rel in self.sources}
        for key, table in self.tables.items():
            made.update(_shard_files(key, table))
        return made


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
    shards = Shards(files)
    chunks: dict[str, dict[str, list[str]]] = {}

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
            shards.drop(term, doc)
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
            shards.add(term, doc)
        chunk(doc)[doc] = _entry(record)
    made = shards.made()
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
