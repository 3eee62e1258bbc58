"""Counting a selection of papers: by year, journal, section, tag, dataset and identifier.

Each function takes an open :class:`~igbib.store.Library` and a parsed
:class:`~igbib.query.Query` (an empty one selects every paper) and returns raw
counts; :mod:`igbib.ops.stats` turns them into charts. A paper is counted once
per value it has: a paper listed in two sections counts in both.

The selection is a condition on a paper id: none at all for every paper, so the
counts of a whole library read the same indexes ``igbib info`` reads; else the
query's ids, which SQLite gathers once per statement.
"""

from __future__ import annotations

import sqlite3

from igbib.errors import QueryError
from igbib.query import Query
from igbib.store.migrations import NO_IDENTIFIER_CONDITION
from igbib.store.search import has, search_sql
from igbib.store.tags import SHOWN, axis_sql


class _Selection:
    """The papers ``query`` selects, as SQL: ``where(column)`` is true of their ids."""

    def __init__(self, library, query: Query):
        self.library = library
        self.query = query
        self.everything = not query.text and not query.filters
        self.sql, self.params = ("", []) if self.everything else search_sql(query, "added")

    def where(self, column: str) -> str:
        return "1" if self.everything else f"{column} IN sel"

    def rows(self, sql: str, params=()) -> list[tuple]:
        head = "" if self.everything else f"WITH sel(id) AS ({self.sql}) "
        values = [*([] if self.everything else self.params), *params]
        try:
            return self.library.conn.execute(head + sql, values).fetchall()
        except sqlite3.OperationalError as exc:
            raise QueryError(f"cannot search for {self.query.text!r}: {exc}") from exc

    def one(self, sql: str, params=()):
        return self.rows(sql, params)[0][0]


def totals(library, query: Query) -> tuple[int, int]:
    """``(papers selected, papers in the library)``."""
    sel = _Selection(library, query)
    return (
        sel.one(f"SELECT count(*) FROM papers p WHERE {sel.where('p.id')}"),
        library.count(),
    )


def years(library, query: Query) -> list[tuple[int | None, int]]:
    """``(year, papers)`` for every year the selection has (None: no year), oldest first."""
    sel = _Selection(library, query)
    return sel.rows(
        f"SELECT p.year, count(*) FROM papers p WHERE {sel.where('p.id')}"
        " GROUP BY p.year ORDER BY p.year IS NULL, p.year"
    )


def journals(library, query: Query) -> list[tuple[str | None, int]]:
    """``(journal as stored, papers)`` (None: no journal), in no particular order."""
    sel = _Selection(library, query)
    return sel.rows(
        f"SELECT nullif(trim(p.journal), ''), count(*) FROM papers p WHERE {sel.where('p.id')}"
        " GROUP BY 1"
    )


def sections(library, query: Query) -> tuple[list[tuple[str, int]], int]:
    """``([(section, papers)] in the list's order, papers listed in no section)``."""
    sel = _Selection(library, query)
    counts = sel.rows(
        "SELECT s.name, (SELECT count(DISTINCT pl.paper_id) FROM placements pl"
        f" WHERE pl.section_id = s.id AND {sel.where('pl.paper_id')})"
        " FROM sections s ORDER BY s.position"
    )
    unlisted = sel.one(
        f"SELECT count(*) FROM papers p WHERE {sel.where('p.id')} AND NOT EXISTS"
        " (SELECT 1 FROM placements pl WHERE pl.paper_id = p.id)"
    )
    return counts, unlisted


def tags(library, query: Query) -> tuple[list[tuple[str, int]], dict[str, int]]:
    """``([(tag, papers)], {axis: papers with a tag on it})`` of the selection.

    A tag's axis is :func:`igbib.store.tags.axis_sql`'s (:func:`igbib.topics.split_tag`
    in SQL). A tag a curator rejected is no tag of the paper's: not counted.
    """
    sel = _Selection(library, query)
    kept = f"{SHOWN} AND {sel.where('pt.paper_id')}"
    counts = sel.rows(
        "SELECT t.name, count(*) FROM paper_tags pt JOIN tags t ON t.id = pt.tag_id"
        f" WHERE {kept} GROUP BY t.id"
    )
    tagged = sel.rows(
        f"SELECT {axis_sql('t.name')} AS axis, count(DISTINCT pt.paper_id) FROM paper_tags pt"
        f" JOIN tags t ON t.id = pt.tag_id WHERE {kept} AND axis IS NOT NULL GROUP BY axis"
    )
    return counts, dict(tagged)


def datasets(library, query: Query) -> tuple[list[tuple[str, int]], int]:
    """``([(dataset's name, else its key), papers)], papers linked to no dataset)``;
    a link the curator took off (origin ``rejected``) is none."""
    from igbib.store.datasets import LINKED

    sel = _Selection(library, query)
    counts = sel.rows(
        "SELECT coalesce(d.name, d.key, '#' || d.id), count(*) FROM paper_datasets pd"
        f" JOIN datasets d ON d.id = pd.dataset_id WHERE {LINKED}"
        f" AND {sel.where('pd.paper_id')} GROUP BY d.id"
    )
    unlinked = sel.one(
        f"SELECT count(*) FROM papers p WHERE {sel.where('p.id')} AND NOT EXISTS"
        f" (SELECT 1 FROM paper_datasets pd WHERE pd.paper_id = p.id AND {LINKED})"
    )
    return counts, unlinked


def identifiers(library, query: Query, kinds: tuple[str, ...]) -> tuple[list[int], int]:
    """``([papers with each kind of identifier], papers with none of any kind)``, counted,
    for a whole library, on the identifiers' indexes as ``igbib info`` counts them."""
    sel = _Selection(library, query)
    selected = sel.where("p.id")
    counts = [
        sel.one(f"SELECT count(*) FROM papers p WHERE {has(kind)} AND {selected}") for kind in kinds
    ]
    without = sel.one(
        f"SELECT count(*) FROM papers p WHERE {NO_IDENTIFIER_CONDITION} AND {selected}"
    )
    return counts, without
