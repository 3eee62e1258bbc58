"""Citation keys: ``familyYEARfirstword``, ASCII only, unique, and never changed.

A key is assigned once, when a paper enters the library, and is stored; later
updates of the paper's metadata never touch it, because manuscripts cite it.
"""

from __future__ import annotations

import re

from igbib.latex import ascii_fold
from igbib.model import Paper, author_family

__all__ = ["STOPWORDS", "ascii_fold", "base_key", "unique_key"]

STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "on",
        "of",
        "in",
        "for",
        "and",
        "to",
        "with",
        "by",
        "from",
        "at",
        "is",
        "are",
        "as",
        "into",
        "via",
        "using",
        "toward",
        "towards",
    ]
)
_NOT_KEY = re.compile(r"[^a-z0-9]+")


def base_key(paper: Paper) -> str:
    family = author_family(paper.authors[0]) if paper.authors else ""
    family = _NOT_KEY.sub("", ascii_fold(family).lower())
    if family and paper.authors and "literal" in paper.authors[0]:
        family = _NOT_KEY.sub("", ascii_fold(paper.authors[0]["literal"].split()[0]).lower())
    word = ""
    for candidate in re.split(r"[\s/:–—]+", ascii_fold(paper.title or "").lower()):
        candidate = _NOT_KEY.sub("", candidate)
        if candidate and candidate not in STOPWORDS:
            word = candidate
            break
    year = str(paper.year) if paper.year else ""
    return f"{family or 'anon'}{year}{word}"


def unique_key(base: str, taken: set[str]) -> str:
    """``base``, else ``base`` + a, b, ... z, aa, ab, ... the first one not taken."""
    if base not in taken:
        return base
    n = 0
    while True:
        suffix, i = "", n
        while True:
            suffix = chr(ord("a") + i % 26) + suffix
            i = i // 26 - 1
            if i < 0:
                break
        if base + suffix not in taken:
            return base + suffix
        n += 1
