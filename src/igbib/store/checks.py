"""What ``igbib check`` reads of a library in one pass, and the few rows ``--fix`` writes."""

from __future__ import annotations

import sqlite3

#: The columns of a check row, in order (see :meth:`Checks.check_rows`).
CHECK_COLUMNS = (
    "id",
    "citekey",
    "title",
    "title_key",
    "authors",
    "et_al",
    "journal",
    "year",
    "pmid",
    "pmcid",
    "doi",
    "arxiv",
    "url",
    "listed",
    "flags",
    "extra",
    "line",
)


class Checks:
    """Reads for :mod:`igbib.ops.check`. Mixed into :class:`~igbib.store.Library`."""

    conn: sqlite3.Connection

    def check_rows(self):
        """Every paper as a row of :data:`CHECK_COLUMNS`, by id, streamed: its JSON columns
        as stored (text) and ``line``, the first list line it is placed at (or NULL)."""
        rows = self.conn.execute(
            "SELECT p.id, p.citekey, p.title, p.title_key, p.authors, p.et_al, p.journal,"
            " p.year, p.pmid, p.pmcid, p.doi, p.arxiv, p.url, p.listed, p.flags, p.extra,"
            " (SELECT min(pl.line) FROM placements pl WHERE pl.paper_id = p.id)"
            " FROM papers p ORDER BY p.id"
        )
        if self.title_keys_current():
            return rows
        # Keys folded by another Python's Unicode: fold them here, without writing (a check
        # only reads; the next write folds the stored ones again).
        from igbib.store.codec import fold_title

        return ((*r[:3], fold_title(r[2]), *r[4:]) for r in rows)

    def remove_datasets(self, ids: list[int]) -> None:
        """Delete these datasets of the list (inside ``Library.transaction``)."""
        self.conn.executemany("DELETE FROM datasets WHERE id = ?", [(i,) for i in ids])
