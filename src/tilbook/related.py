"""Related notes: TF-IDF over the search tokens (words and CJK bigrams, `tokens.terms`), with
shared tags and the category as boosts.

Each note is a set of terms (binary term frequency: notes are short, and the render cache already
holds each note's term set for the search index, so no note is tokenised again). A term's weight
is its inverse document frequency; two notes' similarity is the cosine of their weight vectors
over the specific terms (`kept`: in more than one note and in no more than `COMMON` of them).
Common words are stop words and unique words match nothing, so neither counts in a note's
length either: an edit that only adds or drops such words leaves every note's related notes as
they were (a quick build relies on it, `is_specific`).

To stay fast at 10,000 notes the candidates of a note are found as Elasticsearch's
more-like-this finds them: through the postings of the note's most specific terms only (the
`QUERY_TERMS` shared terms with the highest weight, terms in more than `COMMON` of the notes
left out as stop words), and scored by those terms. A pair sharing only common words is not
related anyway.

Order is deterministic: score, then the newer note, then the path.
"""
from __future__ import annotations

import heapq
import math
import sys
from collections import Counter
from itertools import chain
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from .model import Note
from .tokens import normalise, terms

LIMIT = 5
QUERY_TERMS = 40
COMMON = 0.25
"""A term in more than this share of the notes (and in more than a few) is a stop word here."""
MAX_POSTINGS = 100
"""Nor is a term in more notes than this a way to find candidates (it still counts in scores'
lengths): at 10,000 notes, a word in 2% of them says little about which ones are related."""
BUDGET = 100
"""Postings read per note at most (its most specific terms first): bounds the time per note."""
MAX_TAG_NOTES = 30
"""A tag on more notes than this does not make candidates by itself (it still boosts scores)."""
TAG_BOOST = 0.15
"""Added to the score per tag two notes share."""
CATEGORY_BOOST = 0.05
MIN_SCORE = 0.02


def common_limit(count: int) -> int:
    """In more notes than this (of `count`), a term is a stop word."""
    return max(8, min(int(count * COMMON), MAX_POSTINGS))


def is_specific(df: int, count: int) -> bool:
    """Whether a term in `df` of `count` notes is one related notes are scored by."""
    return 1 < df <= common_limit(count)


@dataclass(frozen=True, slots=True)
class Doc:
    """What related-notes scoring reads of one note."""

    key: str
    """The note's path (`Note.rel`): its identity and the last tie-break."""
    terms: Collection[str]
    """Each term once (`note_doc` gives a tuple of interned strings: a frozenset of ~140 terms
    costs ~8 KB, and with a copy of every term string a doc cost ~17 KB, 1.7 GB at 100,000 notes)."""
    tags: frozenset[str]
    """Case-folded."""
    category: str
    day: int
    """The note's date as an ordinal (newer wins a tie)."""


def note_doc(note: Note, text_terms: Iterable[str]) -> Doc:
    """A note as related-notes scoring reads it: the terms of its text (as the search index
    has them) and its title, its tags, category and date."""
    unique = set(map(sys.intern, text_terms)).union(terms(note.title))  # interned: one copy of a term for all notes
    return Doc(note.rel, tuple(unique), frozenset(normalise(t) for t in note.tags), note.category,
               note.date.toordinal())


@dataclass(frozen=True, slots=True)
class Related:
    key: str
    score: float


class RelatedIndex:
    """Postings and weights of a set of notes; `related(key)` answers for one of them."""

    def __init__(self, docs: Iterable[Doc]) -> None:
        self.docs = sorted(docs, key=lambda d: d.key)
        self.position = {doc.key: i for i, doc in enumerate(self.docs)}
        count = len(self.docs)
        df = self.df = Counter(chain.from_iterable(doc.terms for doc in self.docs))
        common = common_limit(count)
        kept = frozenset(t for t, n in df.items() if 1 < n <= common)
        self.weight2 = {t: math.log(count / df[t]) ** 2 for t in kept}
        """Squared idf of every specific term."""
        self.kept = kept
        self.rank = {t: i for i, t in enumerate(sorted(kept, key=lambda t: (df[t], t)))}
        """Kept terms, most specific first (fewest notes, then the term)."""
        self.postings: dict[str, list[int]] = {t: [] for t in kept}
        for i, doc in enumerate(self.docs):
            for term in kept.intersection(doc.terms):
                self.postings[term].append(i)
        weight = self.weight2.__getitem__
        self.norm = [math.sqrt(math.fsum(map(weight, kept.intersection(doc.terms)))) or 1.0 for doc in self.docs]  # fsum: any order
        by_tag: dict[str, list[int]] = {}
        for i, doc in enumerate(self.docs):
            for tag in doc.tags:
                by_tag.setdefault(tag, []).append(i)
        self.by_tag = {tag: ids for tag, ids in by_tag.items() if len(ids) <= min(common, MAX_TAG_NOTES)}
        """Notes of each tag on few notes: candidates even with no specific term."""

    def related(self, key: str, limit: int = LIMIT) -> list[Related]:
        """Up to `limit` notes most like the note `key`, best first."""
        at = self.position.get(key)
        if at is None:
            return []
        doc = self.docs[at]
        specific = self.kept.intersection(doc.terms)
        if not specific and not doc.tags:
            return []
        query = heapq.nsmallest(QUERY_TERMS, specific, key=self.rank.__getitem__)
        scores: dict[int, float] = {}
        get = scores.get
        budget = BUDGET
        for term in query:
            ids = self.postings[term]
            budget -= len(ids)
            if budget < 0:  # terms come rarest first: the rest are commoner still
                break
            w2 = self.weight2[term]
            for other in ids:
                scores[other] = get(other, 0.0) + w2
        for tag in doc.tags:  # notes that share a rare tag are candidates even with no specific term
            for other in self.by_tag.get(tag, ()):
                scores.setdefault(other, 0.0)
        scores.pop(at, None)
        norm, norms, docs, tags = self.norm[at], self.norm, self.docs, doc.tags
        found = []
        for other, dot in scores.items():
            peer = docs[other]
            score = dot / (norm * norms[other])
            if tags:
                score += TAG_BOOST * len(tags & peer.tags)
            if peer.category == doc.category:
                score += CATEGORY_BOOST
            if score >= MIN_SCORE:
                found.append((-score, -peer.day, peer.key))
        return [Related(k, round(-s, 4)) for s, _, k in heapq.nsmallest(limit, found)]

    def all_related(self, limit: int = LIMIT, keys: Sequence[str] | None = None) -> dict[str, list[Related]]:
        return {key: self.related(key, limit) for key in (keys if keys is not None else [d.key for d in self.docs])}
