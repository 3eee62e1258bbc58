"""Opening the library file: check it, connect, migrate.

Opening checks the file before anything is written to it: a file that is not
SQLite, a SQLite database that is not an igbib library, a corrupt file or one
written by a newer igbib is refused with :class:`~igbib.errors.LibraryError`.
Read-only opens use SQLite's ``mode=ro``, so ``search``, ``list``, ``show``,
``info`` and ``export`` can never create or change a library. Writers use WAL,
a busy timeout and ``BEGIN IMMEDIATE`` transactions, so two igbib processes
writing at once wait for each other instead of losing writes.

Every connection, the in-memory one of a dry run included, is made by
:func:`_connect`, so it has the same pragmas (foreign keys, busy timeout) as
any other: a dry run checks what a real run would.
"""

from __future__ import annotations

import os
import sqlite3

from igbib.errors import LibraryError
from igbib.store.migrations import CURRENT_VERSION

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 30_000
MEMORY = ":memory:"


def open_file(path: str, write: bool) -> sqlite3.Connection:
    """A checked, migrated connection to the library at ``path``.

    ``write=False`` never creates the file and never writes to it, except to
    apply pending schema migrations to an older library. ``write=True``
    creates the file (and its folder) when it does not exist yet.
    """
    exists = os.path.exists(path)
    if exists and not os.path.isfile(path):
        raise LibraryError(f"{path} is not a file")
    if not exists and not write:
        raise LibraryError(
            f"no igbib library at {path} (create one with 'igbib import FILE', "
            "or choose one with --db or IGBIB_DB)"
        )
    if exists:
        _check_header(path)
    else:
        folder = os.path.dirname(os.path.abspath(path))
        try:
            os.makedirs(folder, exist_ok=True)
        except OSError as exc:
            raise LibraryError(f"cannot create {folder}: {exc.strerror}") from exc
    try:
        conn = _connect(path, write)
        version = _version(conn, path)
        if version < CURRENT_VERSION and not write:
            conn.close()
            conn = _connect(path, True)
            version = _version(conn, path)
        if version < CURRENT_VERSION or write:
            if exists and version > 0:
                _check_integrity(conn, path)
            _prepare_for_writing(conn)
        if version < CURRENT_VERSION:
            from igbib.store.migrations import migrate

            migrate(conn)
    except sqlite3.DatabaseError as exc:
        raise LibraryError(_describe(exc, path)) from exc
    return conn


def open_memory() -> sqlite3.Connection:
    """An empty, migrated library in memory, set up as :func:`open_file` sets up a file."""
    from igbib.store.migrations import migrate

    conn = _connect(MEMORY, True)
    _prepare_for_writing(conn)  # WAL does not apply in memory; the rest does
    migrate(conn)
    return conn


def _connect(path: str, write: bool) -> sqlite3.Connection:
    if write:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    else:
        conn = sqlite3.connect(
            _read_only_uri(path), uri=True, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None
        )
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def _prepare_for_writing(conn: sqlite3.Connection) -> None:
    """WAL lets readers go on while one process writes; set only once the file is checked."""
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")


def _read_only_uri(path: str) -> str:
    """A ``file:`` URI opening ``path`` read-only (``%``, ``?`` and ``#`` escaped)."""
    uri = os.path.abspath(path).replace(os.sep, "/")
    for char, escaped in (("%", "%25"), ("?", "%3f"), ("#", "%23")):
        uri = uri.replace(char, escaped)
    if not uri.startswith("/"):
        uri = "/" + uri  # C:/... on Windows
    return f"file:{uri}?mode=ro"


def _version(conn: sqlite3.Connection, path: str) -> int:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > CURRENT_VERSION:
        raise LibraryError(
            f"{path} was written by a newer igbib (schema version {version}; this igbib "
            f"knows up to {CURRENT_VERSION}): upgrade igbib to use it"
        )
    if version == 0:
        tables = conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[
            0
        ]
        if tables:
            raise LibraryError(f"{path} is a SQLite database but not an igbib library")
    return version


def _check_header(path: str) -> None:
    try:
        with open(path, "rb") as f:
            header = f.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise LibraryError(f"cannot read {path}: {exc.strerror}") from exc
    if header and header != SQLITE_HEADER:
        raise LibraryError(f"{path} is not an igbib library (not a SQLite database)")


def _check_integrity(conn: sqlite3.Connection, path: str) -> None:
    """Refuse to write to a damaged file: writing could make it worse."""
    result = conn.execute("PRAGMA quick_check(1)").fetchone()[0]
    if result != "ok":
        raise LibraryError(f"{path} is corrupt ({result}); it was not changed")


def _describe(exc: sqlite3.DatabaseError, path: str) -> str:
    message = str(exc)
    if "not a database" in message or "malformed" in message or "corrupt" in message:
        return f"{path} is corrupt or not a SQLite database ({message}); it was not changed"
    if "locked" in message or "busy" in message:
        return f"{path} is locked by another program ({message})"
    if "readonly" in message or "unable to open" in message:
        return f"cannot open {path} for writing ({message})"
    return f"{path}: {message}"
