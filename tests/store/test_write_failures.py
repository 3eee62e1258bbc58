"""A write that fails, or a command interrupted, ends with one true line and its exit code.

A full disk is a real one where the tests run as root (a small tmpfs); for anyone
else, SQLite is given a page limit (``PRAGMA max_page_count``), which makes it
fail with the very error of a full disk, ``SQLITE_FULL``.
"""

import os
import shutil
import sqlite3
import subprocess

import pytest
from conftest import FIXTURES, SEED, igbib, one_line_error, version_1_library
from processes import CDL_1000, counts, integrity
from system import needs_root, unavailable

from igbib.store import connection


@pytest.fixture
def small_disk(tmp_path):
    """A folder on a 600 KB file system: the seed library fits, a 1,000-paper import does not."""
    needs_root("mount a small file system (the page-limit tests cover others)")
    folder = tmp_path / "small"
    folder.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=600k", "tmpfs", str(folder)], capture_output=True
    )
    if done.returncode != 0:
        unavailable("cannot mount a tmpfs here")
    yield folder
    subprocess.run(["umount", str(folder)], capture_output=True)


@pytest.fixture
def page_limit(monkeypatch):
    """Writers may grow a library by 80 pages at most: SQLite then fails with SQLITE_FULL."""
    real = connection._prepare_for_writing

    def limited(conn):
        real(conn)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {max(pages, 40) + 80}")

    monkeypatch.setattr(connection, "_prepare_for_writing", limited)


def full_disk_line(result, db) -> str:
    line = one_line_error(result, 3)
    assert "cannot rollback" not in line and "no such table" not in line
    assert line == (
        f"error: cannot write to {db}: the disk is full (database or disk is full);"
        " it was not changed"
    )
    return line


def test_a_full_disk_during_an_import_is_one_true_line_and_changes_nothing(small_disk, seed_db):
    """Was: "the library cannot be read: cannot rollback - no transaction is active"."""
    db = small_disk / "library.sqlite"
    shutil.copy(seed_db, db)
    full_disk_line(igbib("import", CDL_1000, "--db", db), db)
    assert counts(db)[0] == 52 and integrity(db) == "ok"


def test_a_full_disk_as_an_import_creates_a_library_leaves_nothing(small_disk):
    """Was: "the library cannot be read: no such table: temp.igbib_staging"."""
    db = small_disk / "library.sqlite"
    full_disk_line(igbib("import", CDL_1000, "--db", db), db)
    assert list(small_disk.iterdir()) == []


def test_a_library_full_to_its_page_limit_is_the_same_true_line(seed_db, page_limit):
    full_disk_line(igbib("import", CDL_1000, "--db", seed_db), seed_db)
    assert counts(seed_db)[0] == 52 and integrity(seed_db) == "ok"
    # what fits is still written, and the file is as good as before
    assert igbib("import", FIXTURES / "cdl-sample.bib", "--db", seed_db).returncode == 0
    assert counts(seed_db)[0] == 52 + 54


def test_a_new_library_that_fills_its_page_limit_is_not_left_behind(page_limit, db_path):
    full_disk_line(igbib("import", CDL_1000, "--db", db_path), db_path)
    assert not db_path.exists()


def test_ctrl_c_after_the_commit_says_what_was_saved(monkeypatch, db_path):
    """Was: "interrupted; the library is unchanged by the unfinished step", with the
    import committed."""
    from igbib.cli import reports

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(reports, "print_import_report", interrupted)
    result = igbib("import", SEED, "--db", db_path)
    line = one_line_error(result, 130)
    assert line == (
        f"error: interrupted after saving changes to {db_path}: they are kept"
        " ('igbib log' shows them, 'igbib undo' reverts them)"
    )
    assert counts(db_path)[0] == 52  # the new library is kept: it holds the import
    log = igbib("log", "--db", db_path)
    assert "52 papers added" in log.stdout


def test_ctrl_c_before_the_commit_says_the_library_is_unchanged(monkeypatch, seed_db):
    from igbib.ops import ingest

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(ingest, "_flag", interrupted)
    result = igbib("import", FIXTURES / "cdl-sample.bib", "--db", seed_db)
    assert one_line_error(result, 130) == "error: interrupted; the library is unchanged"
    assert counts(seed_db)[0] == 52


def test_ctrl_c_before_the_first_commit_to_a_new_library_leaves_none(monkeypatch, db_path):
    from igbib.ops import ingest

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(ingest, "_flag", interrupted)
    result = igbib("import", SEED, "--db", db_path)
    assert one_line_error(result, 130) == "error: interrupted; the library is unchanged"
    assert not db_path.exists()


def test_a_library_removed_while_a_command_ran_is_not_written_to_unseen(db_path):
    """A write to a file no longer at its path would be lost without a word."""
    from igbib.errors import LibraryError
    from igbib.store import Library

    igbib("import", SEED, "--db", db_path)
    with Library.open(db_path, write=True) as library:
        os.rename(db_path, db_path.with_name("moved.sqlite"))
        removed = pytest.raises(LibraryError, match="was removed or replaced while this command")
        with removed, library.transaction():
            library.set_meta("x", "y")


def test_a_write_failure_names_its_cause_not_the_rollback():
    """SQLite rolls back on its own on a full disk; the ROLLBACK after it fails with
    "no transaction is active", and that error is not what the user is told."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        try:
            raise sqlite3.OperationalError("database or disk is full")
        except sqlite3.OperationalError:
            conn.execute("ROLLBACK")
    except sqlite3.OperationalError as exc:
        message = connection.write_failure(exc, "lib.sqlite")
    assert message == (
        "cannot write to lib.sqlite: the disk is full (database or disk is full);"
        " it was not changed"
    )


def test_an_older_library_a_reader_cannot_migrate_for_a_full_disk_is_read_all_the_same(
    db_path, monkeypatch
):

    version_1_library(db_path)
    real = connection._prepare_for_writing

    def full(conn):  # not one more page
        real(conn)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")

    monkeypatch.setattr(connection, "_prepare_for_writing", full)
    result = igbib("search", "author:olivier", "--db", db_path)
    assert result.returncode == 0, result
    assert result.stdout.startswith("1\tGevaert")
    check = sqlite3.connect(db_path)
    assert check.execute("PRAGMA user_version").fetchone()[0] == 1
    assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    check.close()
