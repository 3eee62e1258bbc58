"""Searching the library: the public entry point for queries.

Each function takes an open :class:`~igbib.store.Library` and a query, as the
text a user typed or an already parsed :class:`~igbib.query.Query`::

    from igbib.search import search
    from igbib.store import Library

    with Library.open("library.sqlite") as library:
        for paper in search(library, "author:gevaert glioblastoma", limit=5):
            print(paper.citekey, paper.title)

The SQL is :mod:`igbib.store.search`'s; nothing here touches the database.
"""

from __future__ import annotations

from igbib.model import Paper
from igbib.query import Query, parse_query
from igbib.store import Library
from igbib.store.search import BATCH, SORTS, WEIGHTS, ListRow

__all__ = ["BATCH", "SORTS", "WEIGHTS", "ListRow", "count", "papers", "rows", "search"]


def _parsed(query: Query | str) -> Query:
    return parse_query(query) if isinstance(query, str) else query


def search(
    library: Library, query: Query | str, *, sort: str | None = None, limit: int | None = None
) -> list[Paper]:
    """The papers matching ``query``, best first (or in ``sort`` order), complete."""
    return library.get_papers(library.search_ids(_parsed(query), sort=sort, limit=limit))


def count(library: Library, query: Query | str) -> int:
    """How many papers match ``query`` (whatever a ``limit`` would show)."""
    return library.count_matching(_parsed(query))


def rows(library: Library, query: Query | str, *, sort: str | None = None, limit=None):
    """A :class:`ListRow` (id, first author, year, title, journal, flagged) per match,
    in :func:`search` order, read as they are iterated: for listings of any size."""
    return library.listing(_parsed(query), sort=sort, limit=limit)


def papers(
    library: Library,
    query: Query | str,
    *,
    sort: str | None = None,
    limit: int | None = None,
    batch: int = BATCH,
):
    """The papers :func:`search` gives, in its order, read ``batch`` at a time: for exports."""
    return library.iter_papers(_parsed(query), sort=sort, limit=limit, batch=batch)
