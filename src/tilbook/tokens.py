"""Tokens shared by every search path (local SQLite, Datasette export, the site's index).

Hangul and other CJK runs become overlapping character bigrams, so a two-syllable word is found
anywhere inside a longer one (`텐서` in `텐서플로우의`); other words are lowercased whole words,
matched by prefix. The site's search.js applies the same rules to queries.
"""
from __future__ import annotations

import functools
import re
import unicodedata

CJK = "\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7a3\uf900-\ufaff"
_WORD = rf"[^\W{CJK}_]+(?:['’][^\W{CJK}_]+)*"
"""A non-CJK word: letters and digits, with inner apostrophes (don't)."""
_RUN = rf"[{CJK}]+|{_WORD}"
_CJK_BIGRAM = rf"(?=([{CJK}]{{2}}))"
_CJK_SINGLE = rf"(?<![{CJK}])[{CJK}](?![{CJK}])"
_CJK_RUN = re.compile(rf"^[{CJK}]+$")
"""Compiled at import, unlike the others: `is_cjk` runs once a character when indexing (search/fts.py)."""


@functools.cache
def _compiled(pattern: str) -> re.Pattern[str]:
    """One of the patterns above, compiled on first use: their big classes take milliseconds
    each to compile, and most commands use few of them or none (str patterns are re.UNICODE)."""
    return re.compile(pattern)


def normalise(text: str) -> str:
    return unicodedata.normalize("NFC", text).lower()  # lower(), as JavaScript toLowerCase()


def is_cjk(run: str) -> bool:
    return bool(_CJK_RUN.match(run))


def runs(text: str) -> list[str]:
    """Word runs and CJK runs of the normalised text, in order."""
    return _compiled(_RUN).findall(normalise(text))


def bigrams(run: str) -> list[str]:
    return [run[i:i + 2] for i in range(len(run) - 1)] or [run]


def terms(text: str) -> set[str]:
    """Index terms of a text: CJK bigrams (single CJK characters too) and whole words.

    The same as taking `runs` and splitting CJK runs into `bigrams`, done by three regular
    expressions in C (this is most of the site index's build time)."""
    flat = normalise(text)
    found = set(_compiled(_CJK_BIGRAM).findall(flat))
    found.update(_compiled(_CJK_SINGLE).findall(flat))
    found.update(_compiled(_WORD).findall(flat))
    return found


def bigram_text(text: str) -> str:
    """The text as space-separated tokens for a unicode61 FTS table: words, CJK runs and their bigrams."""
    out: list[str] = []
    for run in runs(text):
        out.append(run)
        if is_cjk(run) and len(run) > 2:
            out.extend(bigrams(run))
    return " ".join(out)
