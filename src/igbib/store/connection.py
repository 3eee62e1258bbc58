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

**The seal.** Checking a whole file (``PRAGMA quick_check``) takes time that
grows with the library, so it is skipped when the file is exactly as igbib
left it. Every write transaction records a stamp, a time in nanoseconds, in
the ``seal`` table (:func:`seal`); when the last connection has closed and
the write-ahead log is gone, igbib sets the file's modification time to that
stamp (:func:`seal_file`). Any other program that writes to the file, copies
it without its times or damages it gives it another modification time (the
system's clock, never that very nanosecond), so the stamp and the time no
longer agree and the next write open checks the whole file, as it does a file
never sealed, one with a log left behind, or one on a file system that cannot
keep nanoseconds. A file that passed the check is sealed by the writes that
follow; a session whose transaction failed seals nothing.
"""

from __future__ import annotations

import os
import sqlite3
import time

from igbib.errors import LibraryError
from igbib.store.migrations import CURRENT_VERSION, SEALED_FROM

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 30_000
MEMORY = ":memory:"


def open_file(path: str, write: bool) -> tuple[sqlite3.Connection, int | None]:
    """A checked, migrated connection to the library at ``path``, and the stamp to
    :func:`seal_file` it with once closed if it was migrated (else ``None``).

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
    if exists and not write and os.path.getsize(path) == 0:
        # Only a command that writes may make an empty file a library.
        raise LibraryError(f"{path} is an empty file, not an igbib library; it was not changed")
    if exists:
        _check_header(path)
        as_found = _file_state(path)  # before a connection makes a log
    else:
        folder = os.path.dirname(os.path.abspath(path))
        try:
            os.makedirs(folder, exist_ok=True)
        except OSError as exc:
            raise LibraryError(f"cannot create {folder}: {exc.strerror}") from exc
    stamp = None
    try:
        conn = _connect(path, write)
        version = _version(conn, path)
        if version < CURRENT_VERSION and not write:
            conn.close()
            conn = _connect(path, True)
            version = _version(conn, path)
        if version < CURRENT_VERSION or write:
            if exists and version > 0 and not _sealed(conn, version, as_found):
                _check_integrity(conn, path)
            _prepare_for_writing(conn)
        if version < CURRENT_VERSION:
            from igbib.store.migrations import migrate

            migrate(conn)
            conn.execute("BEGIN IMMEDIATE")
            stamp = seal(conn)
            conn.execute("COMMIT")
    except sqlite3.DatabaseError as exc:
        raise LibraryError(_describe(exc, path)) from exc
    return conn, stamp


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


def seal(conn: sqlite3.Connection) -> int:
    """Record a new stamp in the write transaction under way; return it for :func:`seal_file`."""
    stamp = time.time_ns()
    conn.execute("INSERT OR REPLACE INTO seal (id, stamp) VALUES (1, ?)", (stamp,))
    return stamp


def seal_file(path: str, stamp: int) -> None:
    """Once the connection that committed ``stamp`` is closed: make it the file's
    modification time, unless another connection still holds the file (its log is
    there), which leaves the file unsealed."""
    try:
        if not os.path.exists(path + "-wal"):
            os.utime(path, ns=(os.stat(path).st_atime_ns, stamp))
    except OSError:
        pass  # not ours to retime: the next write open checks the whole file


def _file_state(path: str) -> tuple[int, bool]:
    """The file's modification time (ns), and whether a write-ahead log holds changes."""
    try:
        log = os.path.getsize(path + "-wal") > 0
    except OSError:
        log = False
    return os.stat(path).st_mtime_ns, log


def _sealed(conn: sqlite3.Connection, version: int, as_found: tuple[int, bool]) -> bool:
    """The file is as igbib left it: timed with the stamp it records, and no log."""
    mtime, log = as_found
    if log or version < SEALED_FROM:
        return False
    row = conn.execute("SELECT stamp FROM seal WHERE id = 1").fetchone()
    return row is not None and row[0] == mtime


def _check_integrity(conn: sqlite3.Connection, path: str) -> None:
    """Refuse to write to a damaged file: writing could make it worse."""
    result = conn.execute("PRAGMA quick_check(1)").fetchone()[0]
    if result != "ok":  # SQLite's report spans lines; an error is one
        raise LibraryError(f"{path} is corrupt ({' '.join(result.split())}); it was not changed")


def _describe(exc: sqlite3.DatabaseError, path: str) -> str:
    message = str(exc)
    if "not a database" in message or "malformed" in message or "corrupt" in message:
        return f"{path} is corrupt or not a SQLite database ({message}); it was not changed"
    if "locked" in message or "busy" in message:
        return f"{path} is locked by another program ({message})"
    if "readonly" in message or "unable to open" in message:
        return f"cannot open {path} for writing ({message})"
    return f"{path}: {message}"
