"""Searching and listing the library: a :class:`~igbib.query.Query` to SQL, run, ranked.

Ranking is FTS5's bm25 with the title weighted highest, then authors and
keywords/MeSH, then journal, abstract and note. Every value from the user
reaches SQLite as a bound parameter.
"""

from __future__ import annotations

import sqlite3

from igbib.errors import QueryError
from igbib.model import Paper
from igbib.query import Query, parse_query
from igbib.store import Library

#: bm25 weights, in the FTS column order: title, authors, journal, abstract, keywords, note
WEIGHTS = (10.0, 4.0, 2.0, 1.0, 3.0, 1.0)
SORTS = ("relevance", "year", "added", "title", "section")
_RANK = "bm25(papers_fts, " + ", ".join(str(w) for w in WEIGHTS) + ")"
_ORDER = {
    "year": "p.year IS NULL, p.year DESC, p.title COLLATE NOCASE",
    "added": "p.added DESC, p.id DESC",
    "title": "p.title IS NULL, p.title COLLATE NOCASE, p.year",
    "section": (
        "(SELECT min(s.position * 1000000 + pl.position) FROM placements pl"
        " JOIN sections s ON s.id = pl.section_id WHERE pl.paper_id = p.id) IS NULL,"
        " (SELECT min(s.position * 1000000 + pl.position) FROM placements pl"
        " JOIN sections s ON s.id = pl.section_id WHERE pl.paper_id = p.id), p.id"
    ),
}
_ANY_ID = "(p.pmid IS NOT NULL OR p.doi IS NOT NULL OR p.pmcid IS NOT NULL OR p.arxiv IS NOT NULL)"
_HAS = {
    "pmid": "p.pmid IS NOT NULL",
    "doi": "p.doi IS NOT NULL",
    "pmcid": "p.pmcid IS NOT NULL",
    "arxiv": "p.arxiv IS NOT NULL",
    "abstract": "p.abstract IS NOT NULL",
    "url": "p.url IS NOT NULL",
    "identifier": _ANY_ID,
}


def search_sql(query: Query, sort: str | None = None, limit: int | None = None):
    """``(sql, params)`` selecting the matching paper ids, best first."""
    where: list[str] = []
    params: list = []
    expression = query.match_expression()
    if expression:
        source = "papers_fts JOIN papers p ON p.id = papers_fts.rowid"
        where.append("papers_fts MATCH ?")
        params.append(expression)
    else:
        source = "papers p"
        excluded = query.exclusion_expression()
        if excluded:
            where.append("p.id NOT IN (SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?)")
            params.append(excluded)
    for name, value in query.filters:
        clause, values = _filter_sql(name, value)
        where.append(clause)
        params.extend(values)
    sort = sort or ("relevance" if expression else "section")
    if sort not in SORTS:
        raise QueryError(f"unknown sort {sort!r} (use {', '.join(SORTS)})")
    if sort == "relevance":
        order = f"{_RANK}, p.year DESC" if expression else _ORDER["section"]
    else:
        order = _ORDER[sort]
    sql = f"SELECT p.id FROM {source}"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += f" ORDER BY {order}"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return sql, params


def _filter_sql(name: str, value) -> tuple[str, list]:
    if name == "any":  # filters joined by OR
        clauses, params = zip(*(_filter_sql(n, v) for n, v in value), strict=True)
        return "(" + " OR ".join(clauses) + ")", [p for ps in params for p in ps]
    negated = name.startswith("not-")
    name = name.removeprefix("not-")
    if name == "year":
        low, high = value
        parts, params = [], []
        if low is not None:
            parts.append("p.year >= ?")
            params.append(low)
        if high is not None:
            parts.append("p.year <= ?")
            params.append(high)
        clause = "(" + " AND ".join(parts) + ")"
    elif name == "tag":
        clause = (
            "EXISTS (SELECT 1 FROM paper_tags pt JOIN tags t ON t.id = pt.tag_id"
            " WHERE pt.paper_id = p.id AND t.name = ? COLLATE NOCASE)"
        )
        params = [value]
    elif name == "section":
        clause = (
            "EXISTS (SELECT 1 FROM placements pl JOIN sections s ON s.id = pl.section_id"
            " WHERE pl.paper_id = p.id AND s.name LIKE ? ESCAPE '\\')"
        )
        params = ["%" + _like_escape(value) + "%"]
    elif name in ("pmid", "doi", "pmcid", "arxiv"):
        from igbib import ids

        normalize = getattr(ids, f"normalize_{name}")
        clause = f"p.{name} = ?"
        params = [normalize(value) or value]
    elif name == "key":
        clause, params = "p.citekey = ?", [value]
    elif name == "type":
        clause, params = "p.entry_type = ?", [value.lower()]
    elif name == "has":
        clause, params = _HAS[value], []
    elif name == "is":
        listed = "EXISTS (SELECT 1 FROM placements pl WHERE pl.paper_id = p.id)"
        clause = {
            "flagged": "p.flags <> '[]'",
            "listed": listed,
            "unlisted": f"NOT {listed}",
        }[value]
        params = []
    elif name == "flag":
        clause = (
            "EXISTS (SELECT 1 FROM json_each(p.flags) f"
            " WHERE json_extract(f.value, '$.code') LIKE ? ESCAPE '\\')"
        )
        params = [_like_escape(value) + "%"]
    else:  # pragma: no cover - parse_query only produces the names above
        raise QueryError(f"unknown filter {name}")
    # A paper without the field (NULL) is one the negated filter keeps: -year:2016
    # includes the papers of unknown year.
    return (f"NOT coalesce({clause}, 0)" if negated else clause), params


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_ids(
    library: Library, query: Query | str, *, sort: str | None = None, limit: int | None = None
) -> list[int]:
    if isinstance(query, str):
        query = parse_query(query)
    sql, params = search_sql(query, sort, limit)
    try:
        return [row[0] for row in library.conn.execute(sql, params)]
    except sqlite3.OperationalError as exc:
        raise QueryError(f"cannot search for {query.text!r}: {exc}") from exc


def search(
    library: Library, query: Query | str, *, sort: str | None = None, limit: int | None = None
) -> list[Paper]:
    """The papers matching ``query``, best first (or in ``sort`` order)."""
    return library.get_papers(search_ids(library, query, sort=sort, limit=limit))


def count(library: Library, query: Query | str) -> int:
    if isinstance(query, str):
        query = parse_query(query)
    sql, params = search_sql(query, "year")
    return library.conn.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()[0]
