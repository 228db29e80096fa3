"""What the site's search downloads on a large notebook: at 10,000 generated notes, a query for a
Korean word of two to five syllables (or an English word) reads under 300 KB of the index and
still shows the newest notes that contain it."""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.site.generated import ENDINGS, ENGLISH, NOUNS, PARTICLES, note
from tilbook.site.search_index import update_site_index
from tilbook.site.search_reader import search_files
from tilbook.tokens import normalise

BOUND = 300_000
"""Bytes one query may download (as stored: no compression counted)."""


@dataclass(frozen=True)
class Notebook:
    files: dict[str, bytes]
    """The site's search index."""
    newest_first: list[tuple[str, str]]
    """(url, normalised title and text) of every note, in the order results are shown."""

    def downloaded(self, query: str) -> tuple[int, list[str]]:
        """Bytes search.js downloads for `query`, and the URLs it shows."""
        fetched: set[str] = set()
        found = search_files(self.files, query, fetched=fetched)
        return sum(len(self.files.get(rel, b"")) for rel in fetched), [hit["url"] for hit in found]

    def newest_containing(self, word: str) -> list[str]:
        return [url for url, text in self.newest_first if word in text][:10]


@pytest.fixture(scope="module")
def notebook() -> Notebook:
    """The index of 10,000 generated notes."""
    records = [note(number) for number in range(10_000)]
    state: dict = {}
    files, _ = update_site_index(records, state)
    ids = {record_id: entry[1] for record_id, entry in state["docs"].items()}
    return Notebook(files, [(r.url, normalise(r.title + "\n" + r.text))
                            for r in sorted(records, key=lambda r: ids[r.id], reverse=True)])


@pytest.mark.parametrize("query", ["동작합니다", "확인했습니다", "문자열에서", "객체에서", "텐서를", "메모리", "함수", "tensor", "dec"])
def test_a_query_downloads_under_the_bound_and_shows_the_newest_notes_with_the_word(notebook: Notebook, query: str) -> None:
    size, urls = notebook.downloaded(query)
    assert size <= BOUND, f"{query}: {size:,} bytes"
    if query.isascii():  # an English word matches by prefix: every hit has a word starting with it
        assert len(urls) == 10
    else:
        assert urls == notebook.newest_containing(query)


def test_every_word_of_the_notebook_downloads_under_the_bound(notebook: Notebook) -> None:
    """Every noun with every particle (the words whose bigrams are common apart but rarer side by
    side, so more candidates fail the text check), every Korean word of the verb endings, two-word
    queries: each under the bound, each showing newest-first notes that contain it."""
    words = {noun + particle for noun in NOUNS for particle in PARTICLES}
    words |= {word for ending in ENDINGS for word in ending.split() if len(word) > 1}
    words |= {f"{noun} {english}" for noun, english in zip(NOUNS, ENGLISH)}
    for word in sorted(words):
        size, urls = notebook.downloaded(word)
        assert size <= BOUND, f"{word}: {size:,} bytes"
        if " " not in word:
            assert urls == notebook.newest_containing(word), word
