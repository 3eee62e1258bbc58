"""Counting a selection of papers: by year, journal, section, tag, dataset and identifier.

Each function takes an open :class:`~igbib.store.Library` and a parsed
:class:`~igbib.query.Query` (an empty one selects every paper) and returns raw
counts; :mod:`igbib.ops.stats` turns them into charts. A paper is counted once
per value it has: a paper listed in two sections counts in both.
"""

from __future__ import annotations

import sqlite3

from igbib.errors import QueryError
from igbib.query import Query
from igbib.store.migrations import NO_IDENTIFIER_CONDITION
from igbib.store.search import has, like_escape, search_sql

#: A tag a curator took off a paper: kept so the topic rules never put it back, but not a tag.
REJECTED = "rejected"


def _selected(query: Query) -> tuple[str, list]:
    """``(sql, params)``: ``WITH sel(id) AS (...)`` naming the ids of the selected papers."""
    if not query.text and not query.filters:
        return "WITH sel(id) AS (SELECT id FROM papers) ", []
    sql, params = search_sql(query, "added")
    return f"WITH sel(id) AS ({sql}) ", list(params)


def _rows(library, query: Query, sql: str, params=()) -> list[tuple]:
    head, head_params = _selected(query)
    try:
        return library.conn.execute(head + sql, [*head_params, *params]).fetchall()
    except sqlite3.OperationalError as exc:
        raise QueryError(f"cannot search for {query.text!r}: {exc}") from exc


def totals(library, query: Query) -> tuple[int, int]:
    """``(papers selected, papers in the library)``."""
    ((selected, everything),) = _rows(
        library, query, "SELECT (SELECT count(*) FROM sel), (SELECT count(*) FROM papers)"
    )
    return selected, everything


def years(library, query: Query) -> list[tuple[int | None, int]]:
    """``(year, papers)`` for every year the selection has (None: no year), oldest first."""
    return _rows(
        library,
        query,
        "SELECT p.year, count(*) FROM sel JOIN papers p ON p.id = sel.id"
        " GROUP BY p.year ORDER BY p.year IS NULL, p.year",
    )


def journals(library, query: Query) -> list[tuple[str | None, int]]:
    """``(journal as stored, papers)`` (None: no journal), in no particular order."""
    return _rows(
        library,
        query,
        "SELECT nullif(trim(p.journal), ''), count(*) FROM sel JOIN papers p ON p.id = sel.id"
        " GROUP BY 1",
    )


def sections(library, query: Query) -> tuple[list[tuple[str, int]], int]:
    """``([(section, papers)] in the list's order, papers listed in no section)``."""
    counts = _rows(
        library,
        query,
        "SELECT s.name, (SELECT count(DISTINCT pl.paper_id) FROM placements pl"
        " JOIN sel ON sel.id = pl.paper_id WHERE pl.section_id = s.id)"
        " FROM sections s ORDER BY s.position",
    )
    ((unlisted,),) = _rows(
        library,
        query,
        "SELECT count(*) FROM sel WHERE NOT EXISTS"
        " (SELECT 1 FROM placements pl WHERE pl.paper_id = sel.id)",
    )
    return counts, unlisted


def _axis_tag(axis: str) -> tuple[str, list]:
    """The tag ``t`` belongs to ``axis`` (its name starts ``AXIS/``, in any case)."""
    return "t.name LIKE ? ESCAPE '\\'", [like_escape(axis + "/") + "%"]


def axis_tags(library, query: Query, axis: str) -> tuple[list[tuple[str, int]], int]:
    """``([(tag, papers)], papers with no tag of the axis)`` for the tags ``AXIS/...``.

    Rejected tags (:data:`REJECTED`) are not tags: they are neither counted nor
    keep a paper out of the "none" count.
    """
    condition, params = _axis_tag(axis)
    counts = _rows(
        library,
        query,
        "SELECT t.name, count(DISTINCT pt.paper_id) FROM paper_tags pt"
        " JOIN sel ON sel.id = pt.paper_id JOIN tags t ON t.id = pt.tag_id"
        f" WHERE pt.origin <> ? AND {condition} GROUP BY t.id",
        [REJECTED, *params],
    )
    ((untagged,),) = _rows(
        library,
        query,
        "SELECT count(*) FROM sel WHERE NOT EXISTS (SELECT 1 FROM paper_tags pt"
        " JOIN tags t ON t.id = pt.tag_id"
        f" WHERE pt.paper_id = sel.id AND pt.origin <> ? AND {condition})",
        [REJECTED, *params],
    )
    return counts, untagged


def datasets(library, query: Query) -> tuple[list[tuple[str, int]], int]:
    """``([(dataset's key, else its name), papers)], papers linked to no dataset)``."""
    counts = _rows(
        library,
        query,
        "SELECT coalesce(d.key, d.name, '#' || d.id), count(DISTINCT pd.paper_id)"
        " FROM paper_datasets pd JOIN sel ON sel.id = pd.paper_id"
        " JOIN datasets d ON d.id = pd.dataset_id GROUP BY d.id",
    )
    ((unlinked,),) = _rows(
        library,
        query,
        "SELECT count(*) FROM sel WHERE NOT EXISTS"
        " (SELECT 1 FROM paper_datasets pd WHERE pd.paper_id = sel.id)",
    )
    return counts, unlinked


def identifiers(library, query: Query, kinds: tuple[str, ...]) -> tuple[list[int], int]:
    """``([papers with each kind of identifier], papers with none of any kind)``."""
    columns = ", ".join(f"count(CASE WHEN {has(kind)} THEN 1 END)" for kind in kinds)
    ((*counts, without),) = _rows(
        library,
        query,
        f"SELECT {columns}, count(CASE WHEN {NO_IDENTIFIER_CONDITION} THEN 1 END)"
        " FROM sel JOIN papers p ON p.id = sel.id",
    )
    return counts, without
