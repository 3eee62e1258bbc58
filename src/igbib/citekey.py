"""Citation keys: ``familyYEARfirstword``, ASCII only, unique, and never changed.

A key is assigned once, when a paper enters the library, and is stored; later
updates of the paper's metadata never touch it, because manuscripts cite it.
"""

from __future__ import annotations

import re

from igbib.latex import ascii_fold
from igbib.model import Paper, author_family

__all__ = ["STOPWORDS", "ascii_fold", "base_key", "key_parts", "unique_key"]

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
_TITLE_WORDS = re.compile(r"[\s/:–—]+")


def key_parts(paper: Paper) -> tuple[str, str, str]:
    """``(family, year, word)``: what a citation key is made of, each ASCII, lower case.

    ``family`` is the first author's family name (the first word of a collective
    name: ``Cancer Genome Atlas Research Network`` gives ``cancer``), or ``anon``;
    ``year`` is empty when unknown; ``word`` is the title's first word that is not a
    stopword, or empty. :func:`base_key` and the exporter's ``--key-format`` both
    build keys from these parts.
    """
    family = ""
    if paper.authors:
        first = paper.authors[0]
        words = (first.get("literal") or "").split()
        name = words[0] if words else author_family(first)
        family = _NOT_KEY.sub("", ascii_fold(name).lower())
    word = ""
    for candidate in _TITLE_WORDS.split(ascii_fold(paper.title or "").lower()):
        candidate = _NOT_KEY.sub("", candidate)
        if candidate and candidate not in STOPWORDS:
            word = candidate
            break
    return family or "anon", str(paper.year) if paper.year else "", word


def base_key(paper: Paper) -> str:
    """``familyYEARword``: the key a new paper gets, before it is made unique; a paper
    known only by its PMID (no author, year or title yet) gets ``pmidNNN``."""
    family, year, word = key_parts(paper)
    if family == "anon" and not year and not word and paper.pmid:
        return f"pmid{paper.pmid}"
    return family + year + word


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
