"""Related notes: TF-IDF over the search tokens (words and CJK bigrams, `tokens.terms`), with
shared tags and the category as boosts.

Each note is a set of terms (binary term frequency: notes are short, and the render cache already
holds each note's term set for the search index, so no note is tokenised again). A term's weight
is its inverse document frequency; two notes' similarity is the cosine of their weight vectors.

To stay fast at 10,000 notes the candidates of a note are found as Elasticsearch's
more-like-this finds them: through the postings of the note's most specific terms only (the
`QUERY_TERMS` shared terms with the highest weight, terms in more than `COMMON` of the notes
left out as stop words), and scored by those terms. A pair sharing only common words is not
related anyway.

Order is deterministic: score, then the newer note, then the path.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .model import Note
from .tokens import normalise, terms

LIMIT = 5
QUERY_TERMS = 40
COMMON = 0.25
"""A term in more than this share of the notes (and in more than a few) is a stop word here."""
TAG_BOOST = 0.15
"""Added to the score per tag two notes share."""
CATEGORY_BOOST = 0.05
MIN_SCORE = 0.02


@dataclass(frozen=True, slots=True)
class Doc:
    """What related-notes scoring reads of one note."""

    key: str
    """The note's path (`Note.rel`): its identity and the last tie-break."""
    terms: frozenset[str]
    tags: frozenset[str]
    """Case-folded."""
    category: str
    day: int
    """The note's date as an ordinal (newer wins a tie)."""


def note_doc(note: Note, text_terms: Iterable[str]) -> Doc:
    """A note as related-notes scoring reads it: the terms of its text (as the search index
    has them) and its title, its tags, category and date."""
    return Doc(note.rel, frozenset(text_terms) | terms(note.title), frozenset(normalise(t) for t in note.tags),
               note.category, note.date.toordinal())


@dataclass(frozen=True, slots=True)
class Related:
    key: str
    score: float


class RelatedIndex:
    """Postings and weights of a set of notes; `related(key)` answers for one of them."""

    def __init__(self, docs: Iterable[Doc]) -> None:
        self.docs = sorted(docs, key=lambda d: d.key)
        self.position = {doc.key: i for i, doc in enumerate(self.docs)}
        postings: dict[str, list[int]] = {}
        for i, doc in enumerate(self.docs):
            for term in doc.terms:
                postings.setdefault(term, []).append(i)
        count = len(self.docs)
        common = max(8, int(count * COMMON))
        self.postings = {t: ids for t, ids in postings.items() if 1 < len(ids) <= common}
        self.weight2 = {t: math.log(count / len(ids)) ** 2 for t, ids in postings.items()}
        """Squared idf of every term (common and unique terms count in a note's length)."""
        self.norm = [math.sqrt(sum(self.weight2[t] for t in doc.terms)) or 1.0 for doc in self.docs]
        by_tag: dict[str, list[int]] = {}
        for i, doc in enumerate(self.docs):
            for tag in doc.tags:
                by_tag.setdefault(tag, []).append(i)
        self.by_tag = {tag: ids for tag, ids in by_tag.items() if len(ids) <= common}
        """Notes of each tag that is not on most notes: they are candidates with no shared term."""

    def related(self, key: str, limit: int = LIMIT) -> list[Related]:
        """Up to `limit` notes most like the note `key`, best first."""
        at = self.position.get(key)
        if at is None:
            return []
        doc = self.docs[at]
        shared = [t for t in doc.terms if t in self.postings]
        shared.sort(key=lambda t: (-self.weight2[t], t))
        scores: dict[int, float] = {}
        get = scores.get
        for term in shared[:QUERY_TERMS]:
            w2 = self.weight2[term]
            for other in self.postings[term]:
                scores[other] = get(other, 0.0) + w2
        for tag in doc.tags:  # notes that share a tag are candidates even with no specific term
            for other in self.by_tag.get(tag, ()):
                scores.setdefault(other, 0.0)
        scores.pop(at, None)
        found = []
        norm = self.norm[at]
        for other, dot in scores.items():
            peer = self.docs[other]
            score = dot / (norm * self.norm[other]) + TAG_BOOST * len(doc.tags & peer.tags)
            if peer.category == doc.category:
                score += CATEGORY_BOOST
            if score >= MIN_SCORE:
                found.append((-round(score, 6), -peer.day, peer.key, score))
        found.sort()
        return [Related(k, round(s, 4)) for _, _, k, s in found[:limit]]

    def all_related(self, limit: int = LIMIT, keys: Sequence[str] | None = None) -> dict[str, list[Related]]:
        return {key: self.related(key, limit) for key in (keys if keys is not None else [d.key for d in self.docs])}
