"""The library: one SQLite file, opened safely, read and written here and nowhere else.

:class:`Library` is the one object the rest of igbib holds. It is put together
from one class per concern, each in its own module, all sharing the connection:

- :mod:`~igbib.store.connection`: checking, opening and migrating the file;
- :mod:`~igbib.store.codec`: how a paper is kept in a row;
- :mod:`~igbib.store.papers`: papers, found by id, reference or identifier;
- :mod:`~igbib.store.lists`: the curated list's sections, placements, prose, datasets;
- :mod:`~igbib.store.tags`: tags;
- :mod:`~igbib.store.search`: queries to SQL, ids, listing rows and paper batches;
- :mod:`~igbib.store.migrations`: the schema.

Only these modules hold SQL. Importing this package imports nothing but
:mod:`sqlite3`, :mod:`json` and igbib's leaf modules, for a fast ``igbib search``.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import contextmanager

from igbib.errors import LibraryError
from igbib.store.connection import MEMORY, open_file, open_memory
from igbib.store.lists import Lists
from igbib.store.papers import IdentifierChanges, Papers, now
from igbib.store.search import ListRow, Search
from igbib.store.tags import Tags

__all__ = ["Library", "ListRow", "now"]


class Library(Papers, Lists, Tags, Search):
    """An open igbib library. Use :meth:`open`; close it (or use ``with``)."""

    def __init__(self, path: str, conn: sqlite3.Connection, writable: bool):
        self.path = path
        self.conn = conn
        self.writable = writable
        self.title_keys_checked = False
        self.identifier_changes = IdentifierChanges()

    @classmethod
    def open(cls, path: str | os.PathLike, *, write: bool = False) -> Library:
        """Open the library at ``path`` (see :func:`~igbib.store.connection.open_file`)."""
        path = os.fspath(path)
        return cls(path, open_file(path, write), write)

    @classmethod
    def in_memory(cls) -> Library:
        """An empty library that lives only in memory (for dry runs and tests)."""
        return cls(MEMORY, open_memory(), True)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def transaction(self):
        """All of it or none: ``BEGIN IMMEDIATE`` takes the write lock up front."""
        if not self.writable:
            raise LibraryError(f"{self.path} was opened read-only")
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")

    @property
    def schema_version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]
