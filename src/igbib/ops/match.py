"""Deciding that a record is a paper the library (or the same run) already holds.

1. Same identifier (PMID, DOI, PMCID or arXiv id) and the same title (ignoring
   case, accents and punctuation, or nearly equal: a fixed typo) -> the same paper.
2. No identifier in common, but the same title, a compatible year, the same first
   author and no contradicting identifier -> the same paper (a BibTeX record of a
   paper the list links by PMID, say).
3. No title and no identifier (a tool's paper the list names and links to a page),
   but the same address -> the same paper, so that importing a list again adds nothing.
4. Otherwise a new paper. When it shares an identifier with a paper of another
   title, both are kept and both are flagged: one of the links is wrong. igbib
   never merges two records it is not sure are one work, and never drops one.

A :class:`Matcher` looks in two places: the papers new in this run (held in
memory) and the stored ones. The stored papers it may need are read once, up
front, and only those: the papers with an identifier or a title key
(:func:`~igbib.model.title_key`, kept in an indexed column) of an incoming
record, looked up through the indexes a few hundred values a statement. So
matching costs what the incoming records ask for, whatever the size of the
library, and gives what comparing every stored paper would: no paper can match
a record unless it shares an identifier or the title key with it, and the
candidates come in the same order (stored papers by id, then new ones).
"""

from __future__ import annotations

import json

from igbib.ids import KINDS
from igbib.model import Paper, author_family, fold, title_key, titles_match

_AFTER_IDS = 1 + len(KINDS)  # in a match row: the id, the identifiers, then the rest


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

    __slots__ = (
        "paper_id", "paper", "ids", "title", "key", "year", "url", "_authors", "_family"
    )  # fmt: skip

    def __init__(
        self, ids, title, year, key, *, url=None, paper_id=None, paper=None, authors_json=None
    ):
        self.paper_id, self.paper = paper_id, paper
        self.ids, self.title, self.year, self.key, self.url = ids, title, year, key, url
        self._authors = authors_json
        self._family = None

    @classmethod
    def stored(cls, row) -> Candidate:
        """From a row of :func:`igbib.store.papers.match_columns`."""
        title, year, authors, url = row[_AFTER_IDS:]
        ids = {k: v for k, v in zip(KINDS, row[1:_AFTER_IDS], strict=True) if v}
        key = title_key(title)
        return cls(ids, title, year, key, url=url, paper_id=row[0], authors_json=authors)

    @classmethod
    def new(cls, paper: Paper, key: str) -> Candidate:
        return cls(paper.identifiers(), paper.title, paper.year, key, url=paper.url, paper=paper)

    @property
    def bare_url(self) -> str | None:
        """Its URL when nothing else can find it (no title, no identifier): rule 3."""
        return self.url if not self.title and not self.ids else None

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


def compatible(paper: Paper, cand: Candidate, ids=None, family=None) -> bool:
    """``paper`` may be ``cand`` although no identifier says so (rule 2).

    ``ids`` and ``family``: the paper's identifiers and :func:`first_family`, when
    already worked out (a record may be compared with many papers of its title).
    """
    if paper.year and cand.year and paper.year != cand.year:
        return False
    if cand.ids:
        for kind, value in (paper.identifiers() if ids is None else ids).items():
            other = cand.ids.get(kind)
            if other and other != value:
                return False
    if family is None:
        family = first_family(paper.authors)
    other = cand.family
    return not family or not other or family == other


class Index:
    """Candidates held in memory, found by identifier and by title key."""

    def __init__(self):
        self.by_id: dict[str, dict[str, list[Candidate]]] = {k: {} for k in KINDS}
        self.by_title: dict[str, list[Candidate]] = {}
        self.by_url: dict[str, list[Candidate]] = {}  # rule 3: the untitled, unidentified

    def add(self, cand: Candidate) -> None:
        for kind, value in cand.ids.items():
            self.by_id[kind].setdefault(value, []).append(cand)
        if cand.key:
            self.by_title.setdefault(cand.key, []).append(cand)
        if cand.bare_url:
            self.by_url.setdefault(cand.bare_url, []).append(cand)

    def with_identifier(self, kind: str, value: str) -> list[Candidate]:
        return self.by_id[kind].get(value, [])

    def titled(self, key: str, year: int | None) -> list[Candidate]:
        return self.by_title.get(key, [])

    @classmethod
    def of_library(cls, library) -> Index:
        """Every stored paper, read in one pass (what :meth:`of_records` must agree with)."""
        return cls.of_rows(library.match_rows())

    @classmethod
    def of_records(cls, library, papers: list[Paper], keys: list[str]) -> Index:
        """The stored papers sharing an identifier or the title key with one of ``papers``
        (``keys``: their title keys)."""
        if library.is_empty():  # a new library's first import: nothing to look up
            return cls()
        wanted: dict[str, set[str]] = {kind: set() for kind in KINDS}
        for paper in papers:
            for kind, value in paper.identifiers().items():
                wanted[kind].add(value)
        rows = {}
        for kind, values in wanted.items():
            if values:
                rows.update((row[0], row) for row in library.match_rows_with(kind, values))
        titled = set(keys) - {""}
        if titled:
            rows.update((row[0], row) for row in library.match_rows_titled(titled))
        bare = {p.url for p in papers if p.url and not p.title and not p.identifiers()}
        if bare:
            rows.update((row[0], row) for row in library.match_rows_untitled(bare))
        return cls.of_rows(rows[paper_id] for paper_id in sorted(rows))

    @classmethod
    def of_rows(cls, rows) -> Index:
        """The papers of these rows of :func:`igbib.store.papers.match_columns`, by id."""
        index = cls()
        for row in rows:
            index.add(Candidate.stored(row))
        return index


class Matcher:
    """Finds the paper a record is, among the stored ones and those new in this run."""

    def __init__(self, library, papers: list[Paper], keys: list[str]):
        """``papers``: every record the run will :meth:`find` (``keys``: their
        :func:`~igbib.model.title_key`), whose stored candidates are looked up now, in
        one batch."""
        self.stored = Index.of_records(library, papers, keys)
        self.new = Index()

    def add(self, cand: Candidate) -> None:
        """A paper new in this run, to be found by the records after it."""
        self.new.add(cand)

    def find(self, paper: Paper, key: str) -> tuple[Candidate | None, list[tuple]]:
        """``(match, conflicts)``; conflicts are ``(kind, value, candidate)`` sharing an
        identifier with ``paper`` but not its title."""
        conflicts = []
        seen = set()
        ids = paper.identifiers()
        for kind, value in ids.items():
            for place in (self.stored, self.new):
                for cand in place.with_identifier(kind, value):
                    if id(cand) in seen:
                        continue
                    seen.add(id(cand))
                    if not paper.title or not cand.title or titles_match(paper.title, cand.title):
                        return cand, []
                    conflicts.append((kind, value, cand))
        if key:
            family = None
            for place in (self.stored, self.new):
                for cand in place.titled(key, paper.year):
                    if family is None:
                        family = first_family(paper.authors)
                    if compatible(paper, cand, ids, family):
                        return cand, []
        elif not ids and paper.url:  # rule 3
            for place in (self.stored, self.new):
                for cand in place.by_url.get(paper.url, ()):
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
