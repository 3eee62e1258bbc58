"""Searching and listing: a :class:`~igbib.query.Query` to SQL, run, ranked.

Ranking is FTS5's bm25 with the title weighted highest, then authors and
keywords/MeSH, then journal, abstract and note. Every value from the user
reaches SQLite as a bound parameter.

The named predicates below (``FLAGGED``, :func:`has_identifier`, ``HAS_FLAG``,
``SECTION_ORDER``) are the one definition of each idea; ``info``'s counts use
the same ones, so ``is:flagged`` finds exactly the papers ``info`` counts.

Results come three ways: ids (:meth:`Search.search_ids`), light rows with only
what a listing shows (:meth:`Search.listing`), and full papers a batch at a
time (:meth:`Search.iter_papers`); the last two stream, so memory stays flat
however large the library grows.
"""

from __future__ import annotations

import sqlite3
from collections import namedtuple
from itertools import islice

from igbib.errors import QueryError
from igbib.query import Query
from igbib.store.datasets import LINKED, NAMED
from igbib.store.migrations import FLAGGED_CONDITION

#: bm25 weights, in the FTS column order: title, authors, journal, abstract, keywords, note
WEIGHTS = (10.0, 4.0, 2.0, 1.0, 3.0, 1.0)
SORTS = ("relevance", "year", "added", "title", "section")
#: papers read per batch when full papers are streamed
BATCH = 500

# -- the named predicates (``p`` is the papers row) ----------------------------------
#: The paper carries at least one flag.
FLAGGED = f"p.{FLAGGED_CONDITION}"
#: The paper carries a flag whose code is LIKE the one parameter (escaped with ``\``).
#: (Most papers carry none: ``FLAGGED`` first spares parsing their JSON.)
HAS_FLAG = (
    f"({FLAGGED} AND EXISTS (SELECT 1 FROM json_each(p.flags) f"
    " WHERE json_extract(f.value, '$.code') LIKE ? ESCAPE '\\'))"
)
#: Each listed paper's place in the curated list (section, then position), as a table
#: ``(paper_id, place)`` to join: one pass over the placements, not a subquery per paper.
SECTION_ORDER = (
    "(SELECT pl.paper_id, min(s.position * 1000000 + pl.position) AS place"
    " FROM placements pl JOIN sections s ON s.id = pl.section_id GROUP BY pl.paper_id)"
)
#: The paper is listed in some section.
LISTED = "EXISTS (SELECT 1 FROM placements pl WHERE pl.paper_id = p.id)"
#: The family name (or collective name) of the paper's first author, '' when none.
FIRST_AUTHOR = (
    "coalesce(nullif(json_extract(p.authors, '$[0].family'), ''),"
    " json_extract(p.authors, '$[0].literal'), '')"
)


def has(column: str) -> str:
    """The paper has a value in ``column``."""
    return f"p.{column} IS NOT NULL"


def has_identifier() -> str:
    """The paper has at least one identifier (any kind of :data:`igbib.ids.KINDS`)."""
    from igbib.ids import KINDS  # not at import: igbib.ids is slow to import

    return "(" + " OR ".join(has(kind) for kind in KINDS) + ")"


_RANK = "bm25(papers_fts, " + ", ".join(str(w) for w in WEIGHTS) + ")"
_ORDER = {
    "year": "p.year IS NULL, p.year DESC, p.title COLLATE NOCASE",
    "added": "p.added DESC, p.id DESC",
    "title": "p.title IS NULL, p.title COLLATE NOCASE, p.year",
    "section": "listed.place IS NULL, listed.place, p.id",  # joins SECTION_ORDER as listed
}
_HAS_COLUMNS = ("pmid", "doi", "pmcid", "arxiv", "abstract", "url")
_IS = {"flagged": FLAGGED, "listed": LISTED, "unlisted": f"NOT {LISTED}"}

#: One line of a listing: what ``igbib list`` shows of a paper, and no more.
ListRow = namedtuple("ListRow", "id first_author year title journal flagged")
_LIST_SELECT = f"p.id, {FIRST_AUTHOR}, p.year, p.title, p.journal, {FLAGGED}"


def search_sql(
    query: Query, sort: str | None = None, limit: int | None = None, select: str = "p.id"
):
    """``(sql, params)`` selecting ``select`` of the matching papers, best first."""
    source, where, params, order = _plan(query, sort)
    if "listed.place" in order:
        source += f" LEFT JOIN {SECTION_ORDER} listed ON listed.paper_id = p.id"
    return _statement(select, source, where, params, order, limit)


def search_parts(
    query: Query, sort: str | None = None, limit: int | None = None, select: str = "p.id"
) -> list[tuple[str, list]]:
    """What :func:`search_sql` selects, as statements to run one after the other.

    In the list's order, the listed papers (sorted: usually a few hundred) come
    first and the unlisted ones follow in id order, read straight from the table:
    ``list --limit 20`` of a 100,000-paper library imported from BibTeX does not
    sort 100,000 rows to show 20.
    """
    source, where, params, order = _plan(query, sort)
    if "listed.place" not in order:
        return [_statement(select, source, where, params, order, limit)]
    listed = f"{source} JOIN {SECTION_ORDER} listed ON listed.paper_id = p.id"
    return [
        _statement(select, listed, where, params, "listed.place, p.id", limit),
        _statement(select, source, [*where, f"NOT {LISTED}"], params, "p.id", limit),
    ]


def _plan(query: Query, sort: str | None) -> tuple[str, list[str], list, str]:
    """The source, conditions, parameters and order of a search."""
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
    if sort == "relevance" and expression:
        order = f"{_RANK}, p.year DESC"
    else:
        order = _ORDER["section" if sort == "relevance" else sort]
    return source, where, params, order


def _statement(
    select: str, source: str, where: list[str], params: list, order: str, limit: int | None
) -> tuple[str, list]:
    sql = f"SELECT {select} FROM {source}"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += f" ORDER BY {order}"
    params = list(params)
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
    params: list = []
    if name == "year":
        low, high = value
        parts = []
        if low is not None:
            parts.append("p.year >= ?")
            params.append(low)
        if high is not None:
            parts.append("p.year <= ?")
            params.append(high)
        clause = "(" + " AND ".join(parts) + ")"
    elif name == "tag":
        clause, params = _tag_sql(value)
    elif name == "section":
        clause = (
            "EXISTS (SELECT 1 FROM placements pl JOIN sections s ON s.id = pl.section_id"
            " WHERE pl.paper_id = p.id AND s.name LIKE ? ESCAPE '\\')"
        )
        params = ["%" + like_escape(value) + "%"]
    elif name == "dataset":
        # linked to the dataset this names, by the dataset command's rule (key, name,
        # alias or DOI: igbib.datasets.names_dataset); a name no dataset has: no paper
        clause = (
            "EXISTS (SELECT 1 FROM paper_datasets pd WHERE pd.paper_id = p.id"
            f" AND {LINKED} AND pd.dataset_id IN (SELECT id FROM datasets"
            f" WHERE {NAMED}(?, key, name, aliases, dois)))"
        )
        params = [value]
    elif name == "key":
        # a former key (an alias a merge kept) still finds its paper
        clause = (
            "(p.citekey = ? OR EXISTS (SELECT 1 FROM aliases a"
            " WHERE a.alias = ? AND a.paper_id = p.id))"
        )
        params = [value, value]
    elif name == "type":
        clause, params = "p.entry_type = ?", [value.lower()]
    elif name == "has":
        clause = has_identifier() if value == "identifier" else has(_has_column(value))
    elif name == "is":
        clause = _IS[value]
    elif name == "flag":
        clause, params = HAS_FLAG, [like_escape(value) + "%"]
    else:
        clause, params = _identifier_sql(name, value)
    # A paper without the field (NULL) is one the negated filter keeps: -year:2016
    # includes the papers of unknown year.
    return (f"NOT coalesce({clause}, 0)" if negated else clause), params


def _tag_sql(value: str) -> tuple[str, list]:
    """``tag:NAME``: the paper has the tag, a curator's or the topic rules' (not one a
    curator rejected); ``tag:site/`` or ``tag:site/*``: any tag on that axis (as
    :func:`igbib.topics.split_tag` reads tags); any other name ending in ``*``: any tag
    that begins so."""
    from igbib.store.tags import SHOWN, axis_sql  # igbib.store.tags imports this module
    from igbib.topics import split_tag

    head = value[:-1] if value.endswith("/*") else value
    axis = split_tag(head + "x") if head.find("/") == len(head) - 1 else None
    if axis is not None:  # tag:site/: the tags split_tag puts on the axis
        test, param = f"{axis_sql('t.name')} = ?", axis[0]
    elif value.endswith(("*", "/")):
        test, param = "t.name LIKE ? ESCAPE '\\'", like_escape(value.rstrip("*")) + "%"
    else:
        test, param = "t.name = ? COLLATE NOCASE", value
    clause = (
        "EXISTS (SELECT 1 FROM paper_tags pt JOIN tags t ON t.id = pt.tag_id"
        f" WHERE pt.paper_id = p.id AND {SHOWN} AND {test})"
    )
    return clause, [param]


def _identifier_sql(kind: str, value: str) -> tuple[str, list]:
    from igbib.ids import KINDS, normalize

    if kind not in KINDS:  # pragma: no cover - parse_query only produces known names
        raise QueryError(f"unknown filter {kind}")
    return f"p.{kind} = ?", [normalize(kind, value) or value]


def _has_column(value: str) -> str:
    if value not in _HAS_COLUMNS:  # pragma: no cover - parse_query checks the names
        raise QueryError(f"unknown has: value {value!r}")
    return value


def like_escape(text: str) -> str:
    """``text`` matched literally by ``LIKE ... ESCAPE '\\'``."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class Search:
    """Running queries. Mixed into :class:`~igbib.store.Library`."""

    def _run(self, query: Query, sql: str, params):
        try:
            return self.conn.execute(sql, params)
        except sqlite3.OperationalError as exc:
            raise QueryError(f"cannot search for {query.text!r}: {exc}") from exc

    def _rows(self, query: Query, sort: str | None, limit: int | None, select: str = "p.id"):
        """The rows ``select`` of the matching papers, in order, read as iterated (a bad
        query fails here, not when iterated)."""
        parts = search_parts(query, sort, limit, select)
        first = self._run(query, *parts[0])
        return self._chain(query, first, parts[1:], limit)

    def _chain(self, query: Query, cursor, rest, limit: int | None):
        shown = 0
        for row in cursor:
            shown += 1
            yield row
        for sql, params in rest:
            if limit is not None:
                if shown >= limit:
                    return
                params = [*params[:-1], limit - shown]
            for row in self._run(query, sql, params):
                shown += 1
                yield row

    def search_ids(
        self, query: Query, *, sort: str | None = None, limit: int | None = None
    ) -> list[int]:
        """The ids of the papers matching ``query``, best first (or in ``sort`` order)."""
        return [row[0] for row in self._rows(query, sort, limit)]

    def count_matching(self, query: Query) -> int:
        sql, params = search_sql(query, "year")
        return self._run(query, f"SELECT count(*) FROM ({sql})", params).fetchone()[0]

    def listing(self, query: Query, *, sort: str | None = None, limit: int | None = None):
        """:class:`ListRow` of each matching paper, in ``search_ids`` order, read as iterated."""
        rows = self._rows(query, sort, limit, select=_LIST_SELECT)
        return (
            ListRow(paper_id, first_author, year, title, journal, bool(flagged))
            for paper_id, first_author, year, title, journal, flagged in rows
        )

    def iter_papers(
        self,
        query: Query,
        *,
        sort: str | None = None,
        limit: int | None = None,
        batch: int = BATCH,
    ):
        """Each matching paper, complete, in ``search_ids`` order, read ``batch`` at a time."""
        return self._papers_in_batches(self._rows(query, sort, limit), batch)

    def _papers_in_batches(self, rows, batch: int):
        while True:
            ids = [row[0] for row in islice(rows, batch)]
            if not ids:
                return
            yield from self.get_papers(ids)
