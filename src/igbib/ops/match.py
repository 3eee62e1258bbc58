"""Deciding that a record is a paper the library (or the same run) already holds.

1. Same identifier (PMID, DOI, PMCID or arXiv id) and the same title (ignoring
   case, accents and punctuation, or nearly equal: a fixed typo) -> the same paper.
2. No identifier in common, but the same title, a compatible year, the same first
   author and no contradicting identifier -> the same paper (a BibTeX record of a
   paper the list links by PMID, say).
3. Otherwise a new paper. When it shares an identifier with a paper of another
   title, both are kept and both are flagged: one of the links is wrong. igbib
   never merges two records it is not sure are one work, and never drops one.

A :class:`Matcher` looks in two places: the papers new in this run (held in
memory) and the stored ones. For a few records (``igbib add``) the stored
papers are looked up one record at a time: by identifier through the
identifier indexes, by title among the papers of the record's year (the year
index; a title match needs a compatible year). For many records (a file of
thousands) every stored paper is read once, which is faster than thousands of
lookups. Either way the candidates come in the same order (stored papers by id,
then new ones), so the result is the same.
"""

from __future__ import annotations

import json

from igbib.ids import KINDS
from igbib.model import Paper, author_family, fold, title_key, titles_match

_AFTER_IDS = 1 + len(KINDS)  # in a match row: the id, the identifiers, then the rest
#: Fewer incoming papers than this are looked up one by one; more read every stored paper once.
LOOKUP_BELOW = 20


def looks_up(incoming: int) -> bool:
    """Whether ``incoming`` papers are matched by lookups rather than by reading every paper."""
    return incoming < LOOKUP_BELOW


def first_family(authors: list[dict]) -> str:
    """The first author's family (or collective) name, folded: what matching compares."""
    return fold(author_family(authors[0])) if authors else ""


def same_person(a: dict, b: dict) -> bool:
    """Two author records name the same person (the same folded family name)."""
    name = first_family([a])
    return bool(name) and name == first_family([b])


class Candidate:
    """What matching needs of a paper: a stored one (``paper_id``) or one new in this run
    (``paper``, the object that will be stored)."""

    __slots__ = ("paper_id", "paper", "ids", "title", "key", "year", "_authors", "_family")

    def __init__(self, ids, title, year, key, *, paper_id=None, paper=None, authors_json=None):
        self.paper_id, self.paper = paper_id, paper
        self.ids, self.title, self.year, self.key = ids, title, year, key
        self._authors = authors_json
        self._family = None

    @classmethod
    def stored(cls, row) -> Candidate:
        """From a row of :func:`igbib.store.papers.match_columns`."""
        title, year, authors = row[_AFTER_IDS:]
        ids = {k: v for k, v in zip(KINDS, row[1:_AFTER_IDS], strict=True) if v}
        return cls(ids, title, year, title_key(title), paper_id=row[0], authors_json=authors)

    @classmethod
    def new(cls, paper: Paper, key: str) -> Candidate:
        return cls(paper.identifiers(), paper.title, paper.year, key, paper=paper)

    @property
    def family(self) -> str:
        """:func:`first_family` of its authors, worked out once and only when needed."""
        if self._family is None:
            if self.paper is not None:
                authors = self.paper.authors
            else:
                authors = json.loads(self._authors) if self._authors else []
            self._family = first_family(authors)
        return self._family


def compatible(paper: Paper, cand: Candidate) -> bool:
    """``paper`` may be ``cand`` although no identifier says so (rule 2)."""
    if paper.year and cand.year and paper.year != cand.year:
        return False
    if cand.ids:
        for kind, value in paper.identifiers().items():
            other = cand.ids.get(kind)
            if other and other != value:
                return False
    family = first_family(paper.authors)
    other = cand.family
    return not family or not other or family == other


class Index:
    """Candidates held in memory, found by identifier and by title key."""

    def __init__(self):
        self.by_id: dict[str, dict[str, list[Candidate]]] = {k: {} for k in KINDS}
        self.by_title: dict[str, list[Candidate]] = {}

    def add(self, cand: Candidate) -> None:
        for kind, value in cand.ids.items():
            self.by_id[kind].setdefault(value, []).append(cand)
        if cand.key:
            self.by_title.setdefault(cand.key, []).append(cand)

    def with_identifier(self, kind: str, value: str) -> list[Candidate]:
        return self.by_id[kind].get(value, [])

    def titled(self, key: str, year: int | None) -> list[Candidate]:
        return self.by_title.get(key, [])

    @classmethod
    def of_library(cls, library) -> Index:
        """Every stored paper, read in one pass."""
        index = cls()
        for row in library.match_rows():
            index.add(Candidate.stored(row))
        return index


class Lookup:
    """Stored candidates looked up in the library as they are asked for."""

    def __init__(self, library):
        self.library = library
        self.seen: dict[int, Candidate] = {}  # one object per paper, as in an Index

    def _candidates(self, rows) -> list[Candidate]:
        out = []
        for row in rows:
            if row[0] not in self.seen:
                self.seen[row[0]] = Candidate.stored(row)
            out.append(self.seen[row[0]])
        return out

    def with_identifier(self, kind: str, value: str) -> list[Candidate]:
        return self._candidates(self.library.match_rows_with(kind, value))

    def titled(self, key: str, year: int | None) -> list[Candidate]:
        return self._candidates(self.library.match_rows_titled(key, year))


class Matcher:
    """Finds the paper a record is, among the stored ones and those new in this run."""

    def __init__(self, library, incoming: int):
        if looks_up(incoming):
            self.stored = Lookup(library)
        else:
            self.stored = Index.of_library(library)
        self.new = Index()

    def add(self, cand: Candidate) -> None:
        """A paper new in this run, to be found by the records after it."""
        self.new.add(cand)

    def find(self, paper: Paper, key: str) -> tuple[Candidate | None, list[tuple]]:
        """``(match, conflicts)``; conflicts are ``(kind, value, candidate)`` sharing an
        identifier with ``paper`` but not its title."""
        conflicts = []
        seen = set()
        for kind, value in paper.identifiers().items():
            for place in (self.stored, self.new):
                for cand in place.with_identifier(kind, value):
                    if id(cand) in seen:
                        continue
                    seen.add(id(cand))
                    if not paper.title or not cand.title or titles_match(paper.title, cand.title):
                        return cand, []
                    conflicts.append((kind, value, cand))
        if key:
            for place in (self.stored, self.new):
                for cand in place.titled(key, paper.year):
                    if compatible(paper, cand):
                        return cand, []
        return None, conflicts


def same_listing(a: dict | None, b: dict | None) -> bool:
    """Two listings of a paper say the same: equal text once wrapping and escapes are
    ignored, and links to the same identifiers (``/pubmed/1`` is ``pubmed.../1/``).

    So importing the list igbib exported (canonical links, titles on one line)
    changes nothing.
    """
    if a is None or b is None:
        return a is b
    from igbib.ids import ids_from_url

    def norm(listing: dict, key: str) -> str:
        return " ".join(str(listing.get(key) or "").replace("\\", "").split())

    for key in ("authors", "title", "journal", "year", "comment"):
        if norm(a, key) != norm(b, key):
            return False
    link_a, link_b = a.get("link") or "", b.get("link") or ""
    if link_a == link_b:
        return True
    found_a, found_b = ids_from_url(link_a), ids_from_url(link_b)
    return bool(found_a) and found_a == found_b
