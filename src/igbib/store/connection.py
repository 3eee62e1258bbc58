"""Opening the library file: check it, connect, migrate.

Opening checks the file before anything is written to it: a file that is not
SQLite, a SQLite database that is not an igbib library, a corrupt file or one
written by a newer igbib is refused with :class:`~igbib.errors.LibraryError`.
Read-only opens use SQLite's ``mode=ro``, so ``search``, ``list``, ``show``,
``info`` and ``export`` can never create or change a library; a library in a
read-only folder or on a read-only disk, where SQLite cannot make the files a
reader of a WAL library shares with writers, is read as an unchanging file
(``immutable=1``). Writers use WAL and ``BEGIN IMMEDIATE`` transactions, and
each write transaction first takes igbib's own lock (:class:`WriteLock`), so
igbib processes writing at once wait for each other for as long as it takes,
instead of giving up after SQLite's busy timeout and losing their work.

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

import contextlib
import os
import sqlite3
import time

from igbib.errors import LibraryError
from igbib.store.migrations import CURRENT_VERSION, SEALED_FROM

SQLITE_HEADER = b"SQLite format 3\x00"
#: How long a writer waits for a program other than igbib that holds the write lock.
BUSY_TIMEOUT_MS = 30_000
MEMORY = ":memory:"
#: igbib's writer lock, beside the library (``library.sqlite-lock``); see :class:`WriteLock`.
LOCK_SUFFIX = "-lock"

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from collections.abc import Callable

    #: Told, once, who holds the lock a writer is about to wait for.
    Waiting = Callable[[str], None]


def open_file(
    path: str, write: bool, wait: Waiting | None = None
) -> tuple[sqlite3.Connection, int | None]:
    """A checked, migrated connection to the library at ``path``, and the stamp to
    :func:`seal_file` it with once closed if it was migrated (else ``None``).

    ``write=False`` never creates the file and never writes to it, except to
    apply pending schema migrations to an older library (where the library cannot
    be written, a copy migrated in memory is read). ``write=True`` creates the
    file (and its folder) when it does not exist yet. ``wait`` is told when a
    migration waits for another igbib writing (see :class:`WriteLock`).
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
    try:
        if not write:
            conn, version = _connect_reading(path)
            if version == CURRENT_VERSION:
                return conn, None
            conn.close()  # an older library: migrated first
            return _migrate_for_reading(path, as_found, wait)
        return _open_for_writing(path, exists and as_found, wait)
    except sqlite3.DatabaseError as exc:
        raise LibraryError(_describe(exc, path, write)) from exc


def _open_for_writing(path: str, as_found, wait) -> tuple[sqlite3.Connection, int | None]:
    """A write connection, the file checked unless sealed, migrated if older.
    ``as_found``: the state of an existing file before it was opened (else false)."""
    conn, version = _connect_writing(path)
    stamp = None
    try:
        if as_found and version > 0 and not _sealed(conn, version, as_found):
            _check_integrity(conn, path)
        _prepare_for_writing(conn)
        if version < CURRENT_VERSION:
            from igbib.store.migrations import migrate

            with WriteLock(path, wait):
                migrate(conn)
                conn.execute("BEGIN IMMEDIATE")
                stamp = seal(conn)
                conn.execute("COMMIT")
    except BaseException:
        conn.close()
        raise
    return conn, stamp


def _migrate_for_reading(path: str, as_found, wait) -> tuple[sqlite3.Connection, int | None]:
    """An older library a reader opened: migrated in place, as any open does, or, where it
    cannot be written (a read-only file, folder or disk, a full disk), read from a copy
    migrated in memory."""
    if _writable(path):
        try:
            return _open_for_writing(path, as_found, wait)
        except sqlite3.OperationalError as exc:
            if write_failure(exc, path) is None and "unable to open" not in str(exc):
                raise
    return _migrated_copy(path), None


def _connect_writing(path: str) -> tuple[sqlite3.Connection, int]:
    conn = _connect(path, True)
    try:
        return conn, _version(conn, path)
    except BaseException:
        conn.close()
        raise


def _connect_reading(path: str) -> tuple[sqlite3.Connection, int]:
    """A read-only connection and the schema version, read as the first use of the file.

    SQLite cannot open a WAL library in a read-only folder (or on a read-only
    disk) where the shared-memory file its readers and writers share is missing
    and cannot be made. No one can write to such a library, so it is then read
    as an unchanging file (``immutable=1``), which needs none, unless a
    write-ahead log beside it holds changes that reading the file alone would miss.
    """
    conn = _connect(path, False)
    try:
        return conn, _version(conn, path)
    except sqlite3.OperationalError as exc:
        conn.close()
        # root meets a missing shared-memory file as "unable to open", other users
        # (who may not write the file either) as "attempt to write a readonly database"
        if "unable to open" not in str(exc) and "readonly database" not in str(exc):
            raise
        if _log_holds_changes(path):
            raise LibraryError(
                f"cannot read {path}: its write-ahead log ({path}-wal) holds changes not yet"
                f" in the file, and igbib cannot open it where it is ({exc}); it was not"
                " changed: read it once from a folder igbib can write to"
            ) from exc
    except BaseException:
        conn.close()
        raise
    conn = _connect(path, False, immutable=True)
    try:
        return conn, _version(conn, path)
    except BaseException:
        conn.close()
        raise


def _writable(path: str) -> bool:
    """Whether this process may write the file and make its log beside it."""
    folder = os.path.dirname(os.path.abspath(path))
    return os.access(path, os.W_OK) and os.access(folder, os.W_OK)


def _log_holds_changes(path: str) -> bool:
    try:
        return os.path.getsize(path + "-wal") > 0
    except OSError:
        return False


def _migrated_copy(path: str) -> sqlite3.Connection:
    """An older library that cannot be written, copied into memory and migrated there,
    so the read-only commands read it as this igbib reads a library."""
    from igbib.store.migrations import migrate

    source, _ = _connect_reading(path)
    try:
        copy = _connect(MEMORY, True)
        source.backup(copy)
    finally:
        source.close()
    migrate(copy)
    return copy


def open_memory() -> sqlite3.Connection:
    """An empty, migrated library in memory, set up as :func:`open_file` sets up a file."""
    from igbib.store.migrations import migrate

    conn = _connect(MEMORY, True)
    _prepare_for_writing(conn)  # WAL does not apply in memory; the rest does
    migrate(conn)
    return conn


def _connect(path: str, write: bool, immutable: bool = False) -> sqlite3.Connection:
    if write:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    else:
        conn = sqlite3.connect(
            _read_only_uri(path, immutable),
            uri=True,
            timeout=BUSY_TIMEOUT_MS / 1000,
            isolation_level=None,
        )
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def _prepare_for_writing(conn: sqlite3.Connection) -> None:
    """WAL lets readers go on while one process writes; set only once the file is checked."""
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")


def _read_only_uri(path: str, immutable: bool = False) -> str:
    """A ``file:`` URI opening ``path`` read-only (``%``, ``?`` and ``#`` escaped);
    ``immutable``: as a file nothing changes, read without locks or shared memory."""
    uri = os.path.abspath(path).replace(os.sep, "/")
    for char, escaped in (("%", "%25"), ("?", "%3f"), ("#", "%23")):
        uri = uri.replace(char, escaped)
    if not uri.startswith("/"):
        uri = "/" + uri  # C:/... on Windows
    return f"file:{uri}?mode=ro" + ("&immutable=1" if immutable else "")


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


def _describe(exc: sqlite3.DatabaseError, path: str, write: bool) -> str:
    exc = original_error(exc)
    message = str(exc)
    if "not a database" in message or "malformed" in message or "corrupt" in message:
        return f"{path} is corrupt or not a SQLite database ({message}); it was not changed"
    if not write and any(
        cause in message for cause in ("unable to open", "disk I/O error", "locked", "busy")
    ):
        return f"cannot read {path} ({message}); it was not changed"
    failure = write_failure(exc, path)
    if failure is not None:
        return failure
    if "unable to open" in message:
        if not _writable(path):
            return f"cannot write to {path}: it or its folder is read-only ({message})"
        return f"cannot open {path} for writing ({message})"
    return f"{path}: {message}"


def write_failure(exc: BaseException, path: str, kept: bool = False) -> str | None:
    """What a write SQLite refused means, in one line; ``None`` for an error that is not
    one of these. ``kept``: earlier transactions of the same command were committed."""
    exc = original_error(exc)
    if not isinstance(exc, sqlite3.OperationalError):
        return None
    message = str(exc)
    hint = ""
    if "disk is full" in message:
        why = f"the disk is full ({message})"
    elif "disk I/O error" in message:
        why = f"the disk failed ({message})"
    elif "readonly" in message:
        why = f"it is read-only ({message})"
    elif "locked" in message or "busy" in message:
        why = (
            f"another program has been writing to it for over {BUSY_TIMEOUT_MS / 1000:g} s"
            f" ({message})"
        )
        hint = ": try again when it is done"
    else:
        return None
    outcome = "what was saved before is kept" if kept else "it was not changed"
    return f"cannot write to {path}: {why}; {outcome}{hint}"


def original_error(exc: BaseException) -> BaseException:
    """The error behind ``exc``. On some errors (a full or failing disk) SQLite rolls the
    transaction back itself, so what runs next in it fails in turn (the ``ROLLBACK``
    with "cannot rollback - no transaction is active", dropping a temporary table
    with "no such table") and would hide what happened."""
    seen = set()
    error = exc
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, sqlite3.OperationalError) and any(
            cause in str(error) for cause in _DISK_ERRORS
        ):
            return error
        error = error.__context__
    while "no transaction is active" in str(exc) and exc.__context__ is not None:
        exc = exc.__context__
    return exc


#: SQLite's errors of a disk that cannot take a write.
_DISK_ERRORS = ("disk is full", "disk I/O error")


class WriteLock:
    """igbib's lock on writing one library, held for each write transaction.

    SQLite's own write lock makes a second writer wait at most the busy
    timeout, then fail: a long import (a 50 MB list holds the lock for half a
    minute) made a concurrent ``add`` fail with "database is locked" and a
    second import lose its work. So igbib's writers first take this lock, an
    advisory ``flock`` on ``<library>-lock`` beside the library, and wait for it
    as long as it is held: the system releases it when its holder ends, however
    it ends (``kill -9`` included), so a writer waits exactly as long as a live
    igbib writes, and never for a dead one. The file names its holder (process
    id and command) for the message of a writer that waits; the holder removes
    it when done (a writer that got the lock of a file removed meanwhile takes
    the new one's instead). Programs other than igbib do not take it: SQLite's
    busy timeout still bounds the wait for them.

    Where the lock cannot be had (Windows, a folder igbib cannot write to) the
    transaction goes on with SQLite's lock alone. A process holding the lock of
    a library does not wait for itself: its other connections share it.
    """

    #: lock file -> [descriptor, holders in this process]
    _held: dict[str, list[int]] = {}

    def __init__(self, path: str, wait: Waiting | None = None, holder: str = "igbib"):
        self.path = os.path.abspath(path) + LOCK_SUFFIX
        self.wait = wait
        self.holder = holder
        self.taken = False

    def __enter__(self) -> WriteLock:
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()

    def acquire(self) -> None:
        held = self._held.get(self.path)
        if held is None:
            fd = self._lock()
            if fd is None:
                return
            held = self._held[self.path] = [fd, 0]
        held[1] += 1
        self.taken = True

    def release(self) -> None:
        if not self.taken:
            return
        self.taken = False
        held = self._held[self.path]
        held[1] -= 1
        if held[1]:
            return
        del self._held[self.path]
        with contextlib.suppress(OSError):  # else left for the next writer, who takes it
            os.unlink(self.path)  # before unlocking: a writer waiting on it then looks again
        os.close(held[0])

    def _lock(self) -> int | None:
        """The descriptor of the locked file, once no other process holds it; ``None``
        where it cannot be locked."""
        try:
            import fcntl  # imported by writers only: reading starts faster
        except ImportError:  # Windows: SQLite's lock alone
            return None
        cloexec = getattr(os, "O_CLOEXEC", 0)
        told = False
        while True:
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT | cloexec, 0o666)
            except OSError:
                try:  # another user's lock file: a lock needs no write access
                    fd = os.open(self.path, os.O_RDONLY | cloexec)
                except OSError:
                    return None  # a folder igbib cannot write to: SQLite's lock alone
            try:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    if self.wait is not None and not told:
                        self.wait(_holder(fd))
                        told = True
                    fcntl.flock(fd, fcntl.LOCK_EX)
            except OSError:  # a file system without locks
                os.close(fd)
                return None
            except BaseException:  # interrupted while waiting
                os.close(fd)
                raise
            if _same_file(fd, self.path):
                _name_holder(fd, self.holder)
                return fd
            os.close(fd)  # removed by the holder waited for: lock the file there now


def file_identity(path: str) -> tuple[int, int] | None:
    """``(device, inode)`` of the file at ``path``; ``None`` if there is none."""
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_dev, found.st_ino


def _same_file(fd: int, path: str) -> bool:
    try:
        here, there = os.fstat(fd), os.stat(path)
    except OSError:
        return False
    return (here.st_dev, here.st_ino) == (there.st_dev, there.st_ino)


def _holder(fd: int) -> str:
    """Who holds the lock, as its file says: ``igbib import list.md (process 123)``."""
    try:
        text = os.pread(fd, 1000, 0).decode("utf-8", "replace").strip()
    except OSError:
        text = ""
    pid, _, command = text.partition(" ")
    if not pid.isdigit() or not _alive(int(pid)):  # a holder that could not name itself
        return "another igbib"
    return f"{command or 'igbib'} (process {pid})"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (OSError, OverflowError):
        pass  # another user's: alive
    return True


def _name_holder(fd: int, holder: str) -> None:
    with contextlib.suppress(OSError):  # opened read-only: a waiter is told less
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()} {holder[:500]}\n".encode("utf-8", "replace"), 0)
