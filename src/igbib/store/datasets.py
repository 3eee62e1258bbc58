"""The registry of datasets, and which papers use which.

A dataset is a row of ``datasets``: ``name``, ``key`` (a collection's short title,
unique without regard to case), ``url``, ``dois`` (lower-cased), ``cancer_type``,
``modalities``, ``subjects``, ``supporting``, ``licence``, ``aliases``, ``catalogue``
(the bundled catalogue's collection it was filled from), ``note``, ``description``.
A dataset the list names has a ``position`` (its place in the list's datasets part,
which the document's ``dataset`` blocks take in order) and the ``line`` the list wrote;
one added otherwise has neither. ``paper_datasets`` links papers to datasets, with the
link's ``origin`` (``curator`` or ``auto``) and an automatic link's ``evidence``. A link
the curator took off stays as a row of origin ``rejected``: never proposed again, and
no link to anything that reads links (:data:`LINKED`).
"""

from __future__ import annotations

import json

#: The columns of a dataset, as :meth:`Datasets.datasets` gives them.
COLUMNS = (
    "id",
    "position",
    "name",
    "url",
    "description",
    "line",
    "key",
    "dois",
    "cancer_type",
    "modalities",
    "subjects",
    "supporting",
    "licence",
    "aliases",
    "catalogue",
    "note",
)
#: The origin of a link the curator took off (remembered, not a link).
REJECTED = "rejected"
#: The SQL condition that a ``paper_datasets pd`` row is a link (not one taken off).
LINKED = "pd.origin <> 'rejected'"
#: The SQL function ``NAMED(wanted, key, name, aliases, dois)``: whether ``wanted`` names
#: the dataset, by the one rule of :func:`igbib.datasets.names_dataset`.
NAMED = "igbib_dataset_named"
#: The columns held as JSON lists.
LISTS = frozenset({"dois", "modalities", "supporting", "aliases"})


def _named(wanted, key, name, aliases, dois) -> int:
    from igbib.datasets import names_dataset

    lists = {"aliases": json.loads(aliases or "[]"), "dois": json.loads(dois or "[]")}
    return int(names_dataset({"key": key, "name": name, **lists}, wanted or ""))


def register_dataset_functions(conn) -> None:
    """Give a connection the SQL function :data:`NAMED` (``dataset:`` in a search)."""
    conn.create_function(NAMED, 5, _named, deterministic=True)


def _row(values) -> dict:
    row = dict(zip(COLUMNS, values, strict=False))
    for column in LISTS:
        row[column] = json.loads(row[column] or "[]")
    return row


def _value(column: str, value):
    return json.dumps(list(value or ()), ensure_ascii=False) if column in LISTS else value


class Datasets:
    """The ``datasets`` and ``paper_datasets`` tables. Mixed into ``Library``."""

    _SELECT = f"SELECT {', '.join('d.' + c for c in COLUMNS)}"

    # -- reading ---------------------------------------------------------------
    def datasets(self, dataset_id: int | None = None) -> list[dict]:
        """The datasets the list names, in its order, then the others by name; each with
        ``papers``, how many papers it is linked to (``dataset_id``: that one only)."""
        where, params = ("WHERE d.id = ?", [dataset_id]) if dataset_id is not None else ("", [])
        return [
            {**_row(r[:-1]), "papers": r[-1]}
            for r in self.conn.execute(
                f"{self._SELECT}, (SELECT count(*) FROM paper_datasets pd"
                f" WHERE pd.dataset_id = d.id AND {LINKED}) FROM datasets d {where}"
                " ORDER BY d.position IS NULL, d.position, d.name COLLATE NOCASE, d.id",
                params,
            )
        ]

    def dataset(self, dataset_id: int) -> dict | None:
        found = self.datasets(dataset_id)
        return found[0] if found else None

    def dataset_papers(self, dataset_id: int) -> list[dict]:
        """The papers linked to a dataset: ``paper_id``, ``origin``, ``evidence``."""
        return [
            {"paper_id": r[0], "origin": r[1], "evidence": r[2]}
            for r in self.conn.execute(
                "SELECT paper_id, origin, evidence FROM paper_datasets pd WHERE dataset_id = ?"
                f" AND {LINKED} ORDER BY paper_id",
                (dataset_id,),
            )
        ]

    def paper_dataset_links(self, paper_id: int) -> list[dict]:
        """A paper's datasets: ``dataset_id``, ``name``, ``key``, ``origin``, ``evidence``."""
        return [
            {"dataset_id": r[0], "name": r[1], "key": r[2], "origin": r[3], "evidence": r[4]}
            for r in self.conn.execute(
                "SELECT d.id, d.name, d.key, pd.origin, pd.evidence FROM paper_datasets pd"
                " JOIN datasets d ON d.id = pd.dataset_id WHERE pd.paper_id = ?"
                f" AND {LINKED} ORDER BY d.name COLLATE NOCASE",
                (paper_id,),
            )
        ]

    def dataset_links(self) -> set[tuple[int, int]]:
        """Every ``(paper id, dataset id)`` link, and every link taken off (never to be
        proposed again)."""
        return set(self.conn.execute("SELECT paper_id, dataset_id FROM paper_datasets"))

    # -- writing (inside Library.transaction) ----------------------------------
    def insert_dataset(self, values: dict) -> int:
        columns = [c for c in COLUMNS if c != "id" and c in values]
        cursor = self.conn.execute(
            f"INSERT INTO datasets ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
            [_value(c, values[c]) for c in columns],
        )
        return cursor.lastrowid

    def update_dataset(self, dataset_id: int, values: dict, have: dict | None = None) -> None:
        """Set these columns of a dataset (only those that differ from ``have``, its row
        as read before, are written)."""
        if have is None:
            have = self.dataset(dataset_id) or {}
        changed = {c: v for c, v in values.items() if c in COLUMNS and have.get(c) != v}
        if changed:
            self.conn.execute(
                f"UPDATE datasets SET {', '.join(c + ' = ?' for c in changed)} WHERE id = ?",
                [*(_value(c, v) for c, v in changed.items()), dataset_id],
            )

    def delete_dataset(self, dataset_id: int) -> None:
        """Remove a dataset and its links."""
        self.conn.execute("DELETE FROM paper_datasets WHERE dataset_id = ?", (dataset_id,))
        self.conn.execute("DELETE FROM datasets WHERE id = ?", (dataset_id,))

    def link_dataset(
        self, paper_id: int, dataset_id: int, origin: str = "curator", evidence: str | None = None
    ) -> bool:
        """Link a paper to a dataset (a link taken off before is made again); False if it
        already was (the link stays as it was)."""
        cursor = self.conn.execute(
            "INSERT INTO paper_datasets (paper_id, dataset_id, origin, evidence)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (paper_id, dataset_id) DO UPDATE"
            " SET origin = excluded.origin, evidence = excluded.evidence"
            f" WHERE origin = '{REJECTED}'",
            (paper_id, dataset_id, origin, evidence),
        )
        return cursor.rowcount > 0

    def unlink_dataset(self, paper_id: int, dataset_id: int) -> bool:
        """Take a link off, remembered (origin ``rejected``: never proposed again); False
        if there was none."""
        cursor = self.conn.execute(
            f"UPDATE paper_datasets SET origin = '{REJECTED}', evidence = NULL"
            f" WHERE paper_id = ? AND dataset_id = ? AND origin <> '{REJECTED}'",
            (paper_id, dataset_id),
        )
        return cursor.rowcount > 0

    def move_dataset_links(self, from_paper: int, to_paper: int) -> None:
        """Give a paper's dataset links to another (a merge); the links it has already stay."""
        self.conn.execute(
            "INSERT OR IGNORE INTO paper_datasets (paper_id, dataset_id, origin, evidence)"
            " SELECT ?, dataset_id, origin, evidence FROM paper_datasets WHERE paper_id = ?",
            (to_paper, from_paper),
        )
        self.conn.execute("DELETE FROM paper_datasets WHERE paper_id = ?", (from_paper,))

    def move_links_to_dataset(self, from_dataset: int, to_dataset: int) -> None:
        """Give a dataset's paper links to another (a repeated dataset removed)."""
        self.conn.execute(
            "INSERT OR IGNORE INTO paper_datasets (paper_id, dataset_id, origin, evidence)"
            " SELECT paper_id, ?, origin, evidence FROM paper_datasets WHERE dataset_id = ?",
            (to_dataset, from_dataset),
        )
        self.conn.execute("DELETE FROM paper_datasets WHERE dataset_id = ?", (from_dataset,))
