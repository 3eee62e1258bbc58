"""The history of changes: every row a command inserted, updated or deleted, and undo.

A *change* is what one command run wrote (:meth:`History.begin_change` opens it
in the run's first write transaction, later transactions of the same run add to
it). While a change is open, triggers on every table of the library's content
(:data:`TABLES`) copy each row they see written, before and after, as JSON, into
``history_rows``, in the same transaction as the write itself: a change is
recorded if and only if it is committed, and nothing a command writes escapes
the record, whichever code path wrote it.

Reverting a change writes every one of its rows back as it was, newest first
(:meth:`History.revert`); because whole rows are restored (ids, positions,
timestamps and flags included), the library after an undo is exactly what it
was before the change, and so is every export of it.

The schema of a recorded table is read when the triggers are made: a migration
that adds a column to one of them calls :func:`create_triggers` again.
"""

from __future__ import annotations

import json
import sqlite3

#: Each recorded table -> (its primary-key columns, the column naming the paper a row
#: concerns, if any).
TABLES = {
    "papers": (("id",), "id"),
    "tags": (("id",), None),
    "paper_tags": (("paper_id", "tag_id"), "paper_id"),
    "sections": (("id",), None),
    "placements": (("paper_id", "section_id"), "paper_id"),
    "datasets": (("id",), None),
    "document": (("position",), None),
    "meta": (("key",), None),
    "aliases": (("alias",), "paper_id"),
    "paper_datasets": (("paper_id", "dataset_id"), "paper_id"),
    "watches": (("id",), None),
    "candidates": (("id",), "paper_id"),
    "decisions": (("id",), None),
    "searches": (("id",), None),
}
_OPEN = "(SELECT id FROM history WHERE open = 1)"


def columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]


def _row_json(conn: sqlite3.Connection, table: str, prefix: str) -> str:
    """SQL making a JSON object of a whole row of ``table`` (``prefix``: new, old or a name)."""
    pairs = ", ".join(f"'{c}', {prefix}.{c}" for c in columns(conn, table))
    return f"json_object({pairs})"


def _key(table: str, prefix: str) -> str:
    return "json_array(" + ", ".join(f"{prefix}.{c}" for c in TABLES[table][0]) + ")"


def _paper(table: str, prefix: str) -> str:
    column = TABLES[table][1]
    return f"{prefix}.{column}" if column else "NULL"


def create_triggers(conn: sqlite3.Connection) -> None:
    """(Re)make the triggers that record every write to :data:`TABLES` while a change is open."""
    for table in TABLES:
        if not columns(conn, table):
            continue  # a table a later migration makes (it remakes the triggers)
        new, old = _row_json(conn, table, "new"), _row_json(conn, table, "old")
        record = "INSERT INTO history_rows (change_id, tbl, key, paper_id, action, old, new) VALUES"
        # An added row is recorded by its key alone: it is in the table, and undoing
        # its addition removes it. A large import then costs little history.
        statements = {
            "insert": (
                "",
                f"({_OPEN}, '{table}', {_key(table, 'new')}, {_paper(table, 'new')},"
                " 'added', NULL, NULL)",
            ),
            "update": (
                f" AND {old} IS NOT {new}",
                f"({_OPEN}, '{table}', {_key(table, 'new')}, {_paper(table, 'new')},"
                f" 'changed', {old}, {new})",
            ),
            "delete": (
                "",
                f"({_OPEN}, '{table}', {_key(table, 'old')}, {_paper(table, 'old')},"
                f" 'removed', {old}, NULL)",
            ),
        }
        for event, (condition, values) in statements.items():
            name = f"history_{table}_{event}"
            conn.execute(f"DROP TRIGGER IF EXISTS {name}")
            conn.execute(
                f"CREATE TRIGGER {name} AFTER {event.upper()} ON {table}"
                f" WHEN EXISTS (SELECT 1 FROM history WHERE open = 1){condition}"
                f" BEGIN {record} {values}; END"
            )


class Change:
    """One recorded change, as ``igbib log`` shows it."""

    __slots__ = ("id", "at", "command", "args", "summary", "undoes", "undone_by")

    def __init__(self, id, at, command, args, summary, undoes):
        self.id = id
        self.at = at
        self.command = command
        self.args = args
        self.summary = json.loads(summary) if summary else {}
        self.undoes = json.loads(undoes) if undoes else []
        self.undone_by: int | None = None

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "at": self.at,
            "command": self.command,
            "args": self.args,
            "summary": self.summary,
            "undoes": self.undoes,
            "undone_by": self.undone_by,
        }


class RowChange:
    """One row of one table as a change found it (``old``) and left it (``new``).

    ``action`` is ``added``, ``changed`` or ``removed``. The history does not keep
    an added row's values (they are in the table): ``new`` is then ``None`` unless
    filled from the table for showing it.
    """

    __slots__ = ("change_id", "table", "key", "paper_id", "action", "old", "new")

    def __init__(self, change_id, table, key, paper_id, action, old, new):
        self.change_id = change_id
        self.table = table
        self.key = key
        self.paper_id = paper_id
        self.action = action
        self.old = json.loads(old) if old is not None else None
        self.new = json.loads(new) if new is not None else None


class History:
    """The ``history`` and ``history_rows`` tables. Mixed into ``Library``."""

    conn: sqlite3.Connection

    # -- recording (inside Library.transaction) --------------------------------------
    def begin_change(self, change_id: int | None, command: str, args: str) -> tuple[int, bool]:
        """Open the change ``change_id`` again, or a new one; return its id and whether new."""
        if change_id is not None:
            self.conn.execute("UPDATE history SET open = 1 WHERE id = ?", (change_id,))
            return change_id, False
        from igbib.store.papers import now

        cursor = self.conn.execute(
            "INSERT INTO history (at, command, args, open) VALUES (?, ?, ?, 1)",
            (now(), command, args),
        )
        return cursor.lastrowid, True

    def mark_undo(self, change_ids: list[int]) -> None:
        """Record that the open change reverts these changes."""
        from igbib.store.codec import dumps

        self.conn.execute("UPDATE history SET undoes = ? WHERE open = 1", (dumps(change_ids),))

    def last_row(self) -> int:
        """The sequence number of the last recorded row (0: none), to tell a transaction's
        rows (those after it) from those of the change's earlier transactions."""
        return self.conn.execute("SELECT coalesce(max(seq), 0) FROM history_rows").fetchone()[0]

    def end_change(self, change_id: int, since: int = 0) -> bool | None:
        """Close the change with its summary. ``False``: the rows recorded after ``since``
        (this transaction's) change nothing (they were written back as they were), so the
        transaction can be rolled back;
        ``None``: they change something, but the whole change, earlier transactions
        included, sums up to nothing, so it is dropped from the history; ``True``: kept.

        The summary counts, per table, the rows the change added, removed or
        changed, each row once, by how it found and left it: a row written and
        then written back as it was (a list imported again) is no change.
        """
        recorded = self.conn.execute(
            "SELECT 1 FROM history_rows WHERE change_id = ? AND seq > ? LIMIT 1",
            (change_id, since),
        ).fetchone()
        if recorded is None:
            if self._recording():
                return False  # only values written over with themselves
            # A library whose triggers another program removed: what was written is kept,
            # with no change to show.
            summary = self._net(change_id) if since else {}
        else:
            ours = self._net(change_id, since)
            if not ours:
                return False
            summary = self._net(change_id) if since else ours  # since 0: a new change
        if not summary:
            self.conn.execute("DELETE FROM history_rows WHERE change_id = ?", (change_id,))
            self.conn.execute("DELETE FROM history WHERE id = ?", (change_id,))
            return None
        from igbib.store.codec import dumps

        self.conn.execute(
            "UPDATE history SET open = NULL, summary = ? WHERE id = ?", (dumps(summary), change_id)
        )
        return True

    def _recording(self) -> bool:
        """Whether the triggers that record the history are all in place."""
        count = self.conn.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'history_%'"
        ).fetchone()[0]
        return count == 3 * len(TABLES)

    def _net(self, change_id: int, since: int = 0) -> dict[str, dict[str, int]]:
        """Per table, how many rows the change's rows after ``since`` added, changed, removed."""
        summary: dict[str, dict[str, int]] = {}
        # Each row once: as the change first found it and last left it. A row added
        # and removed again is no change; one removed and added again is compared
        # with what is in the table now.
        for table, key, action, count, old in self.conn.execute(
            "WITH k AS (SELECT tbl, key, min(seq) AS first, max(seq) AS last FROM history_rows"
            " WHERE change_id = ? AND seq > ? GROUP BY tbl, key)"
            " SELECT k.tbl, CASE WHEN f.action = 'removed' AND l.action = 'added' THEN k.key END,"
            " CASE WHEN f.action = 'added' THEN 'added' WHEN l.action = 'removed' THEN 'removed'"
            " ELSE 'changed' END, count(*), f.old"
            " FROM k JOIN history_rows f ON f.seq = k.first JOIN history_rows l ON l.seq = k.last"
            " WHERE NOT (f.action = 'added' AND l.action = 'removed')"
            " AND NOT (f.action = 'changed' AND l.action = 'changed' AND f.old IS l.new)"
            " GROUP BY 1, 2, 3",
            (change_id, since),
        ):
            if key is not None and self.current_row(table, json.loads(key)) == json.loads(old):
                continue
            actions = summary.setdefault(table, {})
            actions[action] = actions.get(action, 0) + count
        return summary

    # -- reading ----------------------------------------------------------------
    def changes(self, paper_id: int | None = None, limit: int | None = None) -> list[Change]:
        """Recorded changes, newest first (those touching ``paper_id`` if given), each
        with the undo that cancelled it, if any."""
        every = [
            Change(*row)
            for row in self.conn.execute(
                "SELECT id, at, command, args, summary, undoes FROM history"
                " WHERE open IS NULL ORDER BY id DESC"
            )
        ]
        cancelled = cancelled_by(every)
        for change in every:
            change.undone_by = cancelled.get(change.id)
        if paper_id is not None:
            touching = {
                r[0]
                for r in self.conn.execute(
                    "SELECT DISTINCT change_id FROM history_rows WHERE paper_id = ?", (paper_id,)
                )
            }
            every = [c for c in every if c.id in touching]
        return every[:limit] if limit else every

    def change_rows(self, change_ids, paper_id: int | None = None) -> list[RowChange]:
        """The rows of these changes, in the order they were written."""
        ids = list(change_ids)
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        sql = (
            "SELECT change_id, tbl, key, paper_id, action, old, new FROM history_rows"
            f" WHERE change_id IN ({marks})"
        )
        params = ids
        if paper_id is not None:
            sql += " AND paper_id = ?"
            params = [*ids, paper_id]
        return [RowChange(*row) for row in self.conn.execute(sql + " ORDER BY seq", params)]

    def papers_in_history(self, ref: str) -> list[int]:
        """Ids of papers, removed ones included, the history knows by this id or citekey."""
        if ref.isdigit():
            row = self.conn.execute(
                "SELECT 1 FROM history_rows WHERE paper_id = ? LIMIT 1", (int(ref),)
            ).fetchone()
            return [int(ref)] if row else []
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT DISTINCT paper_id FROM history_rows WHERE tbl = 'papers' AND"
                " (json_extract(old, '$.citekey') = ? OR json_extract(new, '$.citekey') = ?)",
                (ref, ref),
            )
        ]

    def names_of(self, table: str, ids) -> dict[int, str]:
        """The name (citekey for papers) of each of these sections, tags or papers by id,
        removed ones included (as the history last recorded them)."""
        column = "citekey" if table == "papers" else "name"
        ids = list(dict.fromkeys(ids))
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        out = dict(
            self.conn.execute(f"SELECT id, {column} FROM {table} WHERE id IN ({marks})", ids)
        )
        missing = [i for i in ids if i not in out]
        if missing:
            marks = ",".join("?" * len(missing))
            for key, name in self.conn.execute(
                f"SELECT json_extract(key, '$[0]'), json_extract(coalesce(old, new), '$.{column}')"
                f" FROM history_rows WHERE tbl = ? AND json_extract(key, '$[0]') IN ({marks})"
                " ORDER BY seq",
                [table, *missing],
            ):
                out[key] = name
        return out

    def last_change_id(self) -> int:
        return self.conn.execute("SELECT coalesce(max(id), 0) FROM history").fetchone()[0]

    def current_row(self, table: str, key: list) -> dict | None:
        """The row of ``table`` with primary key ``key`` now, as the history records rows."""
        sql = self._row_sql.get(table) if hasattr(self, "_row_sql") else None
        if sql is None:
            where = " AND ".join(f"{c} = ?" for c in TABLES[table][0])
            sql = f"SELECT {_row_json(self.conn, table, table)} FROM {table} WHERE {where}"
            if not hasattr(self, "_row_sql"):
                self._row_sql: dict[str, str] = {}
            self._row_sql[table] = sql
        row = self.conn.execute(sql, key).fetchone()
        return json.loads(row[0]) if row else None

    def later_rows(self, table: str, key: str, after: int) -> list[RowChange]:
        """The rows of changes after ``after`` that wrote this row, in the order written."""
        return [
            RowChange(*row)
            for row in self.conn.execute(
                "SELECT change_id, tbl, key, paper_id, action, old, new FROM history_rows"
                " WHERE tbl = ? AND key = ? AND change_id > ? ORDER BY seq",
                (table, key, after),
            )
        ]

    def changes_placing(self, section_ids, after: int) -> list[int]:
        """The changes after ``after`` that wrote a placement in one of these sections."""
        ids = sorted(section_ids)
        marks = ",".join("?" * len(ids))
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT DISTINCT change_id FROM history_rows WHERE tbl = 'placements'"
                f" AND change_id > ? AND json_extract(key, '$[1]') IN ({marks})"
                " ORDER BY change_id",
                (after, *ids),
            )
        ]

    # -- reverting (inside Library.transaction) -----------------------------------
    def revert(self, rows: list[RowChange]) -> None:
        """Write every row back as it was before ``rows`` (given in the order written)."""
        for row in reversed(rows):
            pk = TABLES[row.table][0]
            key = json.loads(row.key)
            where = " AND ".join(f"{c} = ?" for c in pk)
            if row.action == "added":
                self.conn.execute(f"DELETE FROM {row.table} WHERE {where}", key)
            elif row.action == "removed":
                names = list(row.old)
                self.conn.execute(
                    f"INSERT INTO {row.table} ({', '.join(names)})"
                    f" VALUES ({', '.join('?' * len(names))})",
                    [row.old[n] for n in names],
                )
            else:
                names = list(row.old)
                assignments = ", ".join(f"{n} = ?" for n in names)
                self.conn.execute(
                    f"UPDATE {row.table} SET {assignments} WHERE {where}",
                    [*(row.old[n] for n in names), *key],
                )


def cancelled_by(changes: list[Change]) -> dict[int, int]:
    """Change id -> the undo that cancelled it, for changes given newest first.

    An undo that was itself undone cancels nothing: walking from the newest,
    a change already cancelled does not cancel what it names.
    """
    cancelled: dict[int, int] = {}
    for change in changes:
        if change.id in cancelled:
            continue
        for target in change.undoes:
            cancelled.setdefault(target, change.id)
    return cancelled
