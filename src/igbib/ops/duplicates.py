"""Likely duplicates: titles that differ by case, punctuation, accents or a typo.

Comparing every pair of titles is quadratic: 5 billion pairs at 100,000 papers.
Instead, two cheap blocking passes propose candidate pairs and only those are
compared (rapidfuzz's ``ratio`` on the folded titles):

- **rare tokens**: each title is indexed under its :data:`RARE` rarest words
  (by how many titles of the library use them); titles sharing one of them are
  candidates. A typo changes at most one word, so a second rare word still
  pairs the two titles. A word more than :data:`MAX_BLOCK` titles use is too
  common to block on: skipped.
- **sorted neighbourhood**: titles sorted by their folded key, each compared
  with the :data:`WINDOW` that follow it (a typo late in a title keeps it near);
  and sorted again by the key read backwards, so that a typo early in a title
  keeps it near too (in a large library of one field, every word of a title may
  be too common to block on: the two orders still pair a title with its copy).

So the cost grows with the number of papers times a small constant, never with
its square. A candidate pair is a likely duplicate when the similarity reaches
the threshold, the years differ by at most one (a preprint and its published
version), the first authors agree (or one is unknown) and the titles carry the
same numbers ("Part 1" and "Part 2" are two papers).
"""

from __future__ import annotations

import re
from collections import Counter

from igbib.model import fold

#: The default similarity (0-100) from which two titles are taken for one.
THRESHOLD = 90
#: How many of a title's rarest words it is indexed under.
RARE = 2
#: A word used by more titles than this is not a block.
MAX_BLOCK = 50
#: How many following titles (sorted by key) each title is compared with.
WINDOW = 4

_WORD = re.compile(r"[^\W_]+")
_NUMBER = re.compile(r"\d+")
_STOP = frozenset(
    "the and for with from into using via based study analysis its are was were"
    " not but can our their this that".split()
)


class Titled:
    """What fuzzy matching needs of a paper: its index, folded title, key, year, author."""

    __slots__ = ("ref", "text", "key", "year", "family")

    def __init__(self, ref, title: str, key: str, year: int | None, family: str):
        self.ref = ref
        self.text = " ".join(_WORD.findall(fold(title)))
        self.key = key
        self.year = year
        self.family = family


def words(text: str) -> set[str]:
    """The words of a folded title worth blocking on (3 letters or more, not stop words)."""
    return {w for w in text.split() if len(w) > 2 and w not in _STOP}


def candidate_pairs(items: list[Titled]) -> set[tuple[int, int]]:
    """Pairs of indexes into ``items`` worth comparing (``i < j``)."""
    per_item = [words(item.text) for item in items]
    frequency = Counter(w for ws in per_item for w in ws)
    blocks: dict[str, list[int]] = {}
    for index, ws in enumerate(per_item):
        for word in sorted(ws, key=lambda w: (frequency[w], w))[:RARE]:
            if 1 < frequency[word] <= MAX_BLOCK:
                blocks.setdefault(word, []).append(index)
    pairs: set[tuple[int, int]] = set()
    for members in blocks.values():
        for a, i in enumerate(members):
            for j in members[a + 1 :]:
                pairs.add((i, j))
    for key in (lambda i: items[i].key, lambda i: items[i].key[::-1]):
        order = sorted(range(len(items)), key=key)
        for a, i in enumerate(order):
            for j in order[a + 1 : a + 1 + WINDOW]:
                pairs.add((min(i, j), max(i, j)))
    return pairs


def compatible(a: Titled, b: Titled) -> bool:
    """Year within one, the same first author (or one unknown), the same numbers."""
    if a.year and b.year and abs(a.year - b.year) > 1:
        return False
    if a.family and b.family and a.family != b.family:
        return False
    return _NUMBER.findall(a.text) == _NUMBER.findall(b.text)


def likely_duplicates(items: list[Titled], threshold: int = THRESHOLD):
    """``(a, b, score)`` for each pair of ``items`` that are probably one work, in order."""
    from rapidfuzz.fuzz import ratio

    found = []
    for i, j in candidate_pairs(items):
        a, b = items[i], items[j]
        score = ratio(a.key, b.key, score_cutoff=threshold)
        if score and compatible(a, b):
            found.append((i, j, a, b, round(score, 1)))
    found.sort(key=lambda f: (f[0], f[1]))
    return [f[2:] for f in found]
