"""The site's search index patched for a quick build (`site/replay.py`): only the files one
edited note's gained or lost terms and its document chunk are in, read from the live site."""
from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping, Sequence

from .search_index import SearchRecord, Shards, _dump, _entry, _fingerprint, _meta, _record_terms, chunk_bits, chunk_of, doc_id


def patch_documents(changes: Sequence[tuple[tuple[str, str, str], SearchRecord]], documents: int,
                    read: Callable[[str], bytes | None]) -> tuple[dict[str, bytes | None], dict[str, tuple[str, str, str]]] | None:
    """The index files that a few notes' new text changes, for a quick build: `changes` holds
    each note's entry in the index as built (fingerprint, document id, terms) and its new record
    (same URL and date), `documents` the index's document count, `read` the current file under
    `search/` (None if absent). Only the terms a note gained or lost and its document chunk are
    touched; the result equals a full build's. Returns the files (None: the file goes) and the
    notes' new entries; None when a note would get another document id, or when the index on disk
    is not this layout (`meta.json` from before a FORMAT change)."""
    if read("meta.json") != _meta(documents):
        return None
    bits = chunk_bits(documents)
    files = _Files(read)
    shards = Shards(files)
    chunks: dict[str, dict[str, list[str]]] = {}
    entries: dict[str, tuple[str, str, str]] = {}

    for (_, doc, old_terms), record in changes:
        if doc_id(record, set()) != doc:
            return None
        found = _record_terms(record)
        if isinstance(old_terms, bytes):  # as the index state keeps them (`_kept`)
            old_terms = old_terms.decode("utf-8", "surrogatepass")
        before, after = set(old_terms.split("\n")) - {""}, set(found.split("\n")) - {""}
        for term in before - after:
            shards.drop(term, doc)
        for term in sorted(after - before):
            shards.add(term, doc)
        key = chunk_of(doc, bits)
        if key not in chunks:
            data = files.get(f"d/{key}.json")
            chunks[key] = json.loads(data) if data else {}
        chunks[key][doc] = _entry(record)
        entries[record.id] = (_fingerprint(record), doc, found)
    made = shards.made()
    for key, listed_docs in chunks.items():
        made[f"d/{key}.json"] = _dump(listed_docs)
    return made, entries


class _Files(Mapping[str, bytes]):
    """Index files read on demand (a quick build reads only the shards it patches)."""

    def __init__(self, read: Callable[[str], bytes | None]) -> None:
        self._read = read

    def __getitem__(self, rel: str) -> bytes:
        data = self._read(rel)
        if data is None:
            raise KeyError(rel)
        return data

    def __iter__(self) -> Iterator[str]:
        raise NotImplementedError("index files are read one by one")

    def __len__(self) -> int:
        raise NotImplementedError("index files are read one by one")
