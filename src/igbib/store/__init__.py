"""The library: one SQLite file, opened safely, read and written here and nowhere else.

:class:`Library` is the one object the rest of igbib holds. It is put together
from one class per concern, each in its own module, all sharing the connection:

- :mod:`~igbib.store.connection`: checking, opening and migrating the file;
- :mod:`~igbib.store.codec`: how a paper is kept in a row;
- :mod:`~igbib.store.papers`: papers, found by id, reference or identifier;
- :mod:`~igbib.store.lists`: the curated list's sections, placements, prose;
- :mod:`~igbib.store.datasets`: the registry of datasets and the papers linked to them;
- :mod:`~igbib.store.tags`: tags;
- :mod:`~igbib.store.history`: the record of every change, and reverting one;
- :mod:`~igbib.store.screening`: watches, candidates, screening decisions, searches;
- :mod:`~igbib.store.search`: queries to SQL, ids, listing rows and paper batches;
- :mod:`~igbib.store.migrations`: the schema.

Only these modules hold SQL. Importing this package imports nothing but
:mod:`sqlite3`, :mod:`json` and igbib's leaf modules, for a fast ``igbib search``.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from contextlib import contextmanager

from igbib.errors import LibraryError
from igbib.store.checks import Checks
from igbib.store.connection import (
    MEMORY,
    WriteLock,
    file_identity,
    open_file,
    open_memory,
    seal,
    seal_file,
    write_failure,
)
from igbib.store.datasets import Datasets, register_dataset_functions
from igbib.store.history import History
from igbib.store.lists import Lists
from igbib.store.papers import IdentifierChanges, Papers, now
from igbib.store.screening import Screening
from igbib.store.search import ListRow, Search
from igbib.store.tags import Tags

__all__ = ["Library", "ListRow", "now"]


class _NothingWritten(Exception):
    """A transaction that changed nothing: rolled back, so the file is not touched."""


class Library(Papers, Lists, Datasets, Tags, Search, History, Checks, Screening):
    """An open igbib library. Use :meth:`open`; close it (or use ``with``)."""

    #: What is writing, as the history records it: ``(command, command line)``. The
    #: command line sets it once for the run; a program using the library may too.
    command: tuple[str, str] = ("python", "")
    #: The libraries a transaction was committed to, in the order first written, since
    #: the command line last emptied it (for each command it runs): what an interrupted
    #: command has saved.
    saved: list[str] = []

    def __init__(self, path: str, conn: sqlite3.Connection, writable: bool, wait=None):
        self.path = path
        self.conn = conn
        register_dataset_functions(conn)
        self.writable = writable
        #: Told (with who holds it) when a write transaction waits for another igbib.
        self.wait = wait
        #: Transactions this object committed.
        self.commits = 0
        #: The file opened, as ``(device, inode)``: a write checks it is still at the path.
        self.identity: tuple[int, int] | None = None
        self.title_keys_checked = False
        self.identifier_changes = IdentifierChanges()
        #: The stamp of this connection's last commit, to seal the file with once closed
        #: (see :mod:`~igbib.store.connection`); ``None``: nothing to seal.
        self.stamp: int | None = None
        #: The change this run's writes are recorded under (see :mod:`~igbib.store.history`).
        self.change_id: int | None = None

    @classmethod
    def open(cls, path: str | os.PathLike, *, write: bool = False, wait=None) -> Library:
        """Open the library at ``path`` (see :func:`~igbib.store.connection.open_file`).

        ``wait(holder)`` is called, before waiting, when a write must wait for
        another igbib writing to the same library (see
        :class:`~igbib.store.connection.WriteLock`).
        """
        path = os.fspath(path)
        conn, stamp = open_file(path, write, wait)
        library = cls(path, conn, write, wait)
        library.identity = file_identity(path)
        library.stamp = stamp
        return library

    @classmethod
    def in_memory(cls) -> Library:
        """An empty library that lives only in memory (for dry runs and tests)."""
        return cls(MEMORY, open_memory(), True)

    def close(self) -> None:
        self.conn.close()
        if self.stamp is not None:
            seal_file(self.path, self.stamp)
            self.stamp = None

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def transaction(self):
        """All of it or none: ``BEGIN IMMEDIATE`` takes the write lock up front.

        A file library's transaction first takes igbib's own lock on writing it
        (:class:`~igbib.store.connection.WriteLock`), waiting as long as another
        igbib holds it. What the transaction writes is recorded in the history, as
        part of this run's change (:attr:`change_id` while it runs). A file
        library's transaction that changes something also records a new seal; one
        that fails leaves the file to be checked whole by the next write open.
        A transaction SQLite cannot write (a full disk, a failing disk, a read-only
        file, a lock another program keeps) raises
        :class:`~igbib.errors.LibraryError` saying so, never the error of the
        ``ROLLBACK`` that follows.
        """
        if not self.writable:
            raise LibraryError(f"{self.path} was opened read-only")
        lock = WriteLock(self.path, self.wait, self.command[1] or self.command[0])
        if self.path != MEMORY:
            lock.acquire()
        try:
            if self.identity is not None and file_identity(self.path) != self.identity:
                raise LibraryError(
                    f"{self.path} was removed or replaced while this command ran; nothing"
                    " was written to it: run the command again"
                )
            yield from self._transaction()
        finally:
            lock.release()

    def _transaction(self):
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            self._fail(exc)
            raise
        stamp, self.stamp = self.stamp, None
        before = self.change_id
        try:
            self.change_id, new = self.begin_change(before, *self.command)
            # a new change's rows are all this transaction's; else those after the last
            changes, since = self.conn.total_changes, (0 if new else self.last_row())
            yield self
            kept = False
            if self.conn.total_changes != changes:
                kept = self.end_change(self.change_id, since)
            if kept is False:
                raise _NothingWritten
            if kept is None:  # the run's writes, all told, changed nothing
                self.change_id = None
            if self.path != MEMORY:
                stamp = seal(self.conn)
        except _NothingWritten:
            # Nothing, or only rows written back as they were: leave the file untouched.
            self._rollback()
            self.change_id = before
            self.stamp = stamp
            return
        except BaseException as exc:
            self._rollback()
            self.change_id = before
            self._fail(exc)
            raise
        try:
            self.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            self._rollback()
            self.change_id = before
            self._fail(exc)
            raise
        except BaseException:  # interrupted as the commit returned: it is done
            self._committed()
            self.stamp = stamp
            raise
        self._committed()
        self.stamp = stamp

    def _rollback(self) -> None:
        """Roll back what is still open: SQLite has already rolled back a transaction
        that failed on a full disk, and a ``ROLLBACK`` would then fail too. One that
        fails all the same (a failing disk) is left to SQLite, which ignores what a
        transaction wrote to the log until it commits."""
        if self.conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("ROLLBACK")

    def _committed(self) -> None:
        self.commits += 1
        if self.path != MEMORY and self.path not in Library.saved:
            Library.saved.append(self.path)

    def _fail(self, exc: BaseException) -> None:
        """Raise what a failed write means for the user, if SQLite's error says."""
        message = write_failure(exc, self.path, kept=bool(self.commits))
        if message is not None:
            raise LibraryError(message) from exc

    @property
    def schema_version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]
