"""The seal: a library as igbib left it is not checked whole on every write open; one
anything else wrote to (or damaged) is, and is refused when damaged."""

import os
import shutil
import sqlite3

import pytest
from conftest import FIXTURES, digest, igbib, one_line_error

from igbib.errors import LibraryError
from igbib.importers import parse_file
from igbib.model import Paper
from igbib.ops.ingest import import_parsed
from igbib.store import Library, connection


@pytest.fixture
def checks(monkeypatch) -> list:
    """The paths the whole-file check ran on, in order."""
    ran = []
    real = connection._check_integrity

    def counted(conn, path):
        ran.append(path)
        real(conn, path)

    monkeypatch.setattr(connection, "_check_integrity", counted)
    return ran


def stamp(path) -> int:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT stamp FROM seal").fetchone()[0]
    finally:
        conn.close()


def mtime(path) -> int:
    return os.stat(path).st_mtime_ns


def damage(path) -> None:
    """Overwrite a b-tree page in place: same size, a moment after igbib wrote."""
    with open(path, "r+b") as f:
        f.seek(4096 * 3)
        f.write(b"\xff" * 200)


def test_a_library_igbib_wrote_is_not_checked_again(seed_db, checks):
    assert mtime(seed_db) == stamp(seed_db)
    with Library.open(seed_db, write=True) as library:
        import_parsed(library, parse_file(FIXTURES / "cdl-sample.bib"), "cdl")
    assert checks == [] and mtime(seed_db) == stamp(seed_db)
    Library.open(seed_db, write=True).close()
    assert checks == []


def test_a_library_another_program_wrote_to_is_checked_once(seed_db, checks):
    conn = sqlite3.connect(seed_db)
    conn.execute("UPDATE papers SET note = 'by hand' WHERE id = 1")
    conn.commit()
    conn.close()
    with Library.open(seed_db, write=True) as library:
        import_parsed(library, parse_file(FIXTURES / "cdl-sample.bib"), "cdl")
    assert checks == [str(seed_db)]
    Library.open(seed_db, write=True).close()
    assert checks == [str(seed_db)]  # sealed again by that import


def test_damage_just_after_a_write_is_refused_and_untouched(seed_db, checks):
    damage(seed_db)  # within the same clock tick as the seed's import, as likely as not
    before = digest(seed_db)
    with pytest.raises(LibraryError, match="corrupt"):
        Library.open(seed_db, write=True)
    assert checks == [str(seed_db)] and digest(seed_db) == before


def test_the_command_line_refuses_a_damaged_sealed_library_in_one_line(seed_db):
    damage(seed_db)
    before = digest(seed_db)
    line = one_line_error(igbib("import", FIXTURES / "cdl-sample.bib", "--db", seed_db), code=3)
    assert str(seed_db) in line and "corrupt" in line
    assert digest(seed_db) == before


def test_damage_with_the_time_of_another_file_is_refused(seed_db, tmp_path):
    other = tmp_path / "other.sqlite"
    shutil.copy2(seed_db, other)
    Library.open(other, write=True).close()
    with Library.open(other, write=True) as library:
        import_parsed(library, parse_file(FIXTURES / "cdl-sample.bib"), "cdl")
    damage(seed_db)
    os.utime(seed_db, ns=(mtime(other), mtime(other)))  # a stamp, but not this file's
    with pytest.raises(LibraryError, match="corrupt"):
        Library.open(seed_db, write=True)


def test_a_copy_keeps_its_seal_only_with_its_times(seed_db, tmp_path, checks):
    kept, plain = tmp_path / "kept.sqlite", tmp_path / "plain.sqlite"
    shutil.copy2(seed_db, kept)
    shutil.copyfile(seed_db, plain)
    Library.open(kept, write=True).close()
    Library.open(plain, write=True).close()
    assert checks == [str(plain)]


def test_reading_and_dry_runs_change_neither_the_file_nor_its_time(seed_db, checks):
    before = digest(seed_db), mtime(seed_db)
    with Library.open(seed_db) as library:
        assert library.count() == 52
    with Library.open(seed_db, write=True) as library:
        import_parsed(library, parse_file(FIXTURES / "cdl-sample.bib"), "cdl", dry_run=True)
    assert (digest(seed_db), mtime(seed_db)) == before and checks == []


def test_a_write_that_changes_nothing_writes_nothing(seed_db):
    with Library.open(seed_db, write=True) as library:
        import_parsed(library, parse_file(FIXTURES / "cdl-sample.bib"), "cdl")
    before = digest(seed_db), mtime(seed_db)
    with Library.open(seed_db, write=True) as library:
        report = import_parsed(library, parse_file(FIXTURES / "cdl-sample.bib"), "cdl")
    assert len(report.unchanged) == 54
    assert (digest(seed_db), mtime(seed_db)) == before


def test_a_failed_write_leaves_the_library_to_be_checked(seed_db, checks):
    with Library.open(seed_db, write=True) as library:
        with library.transaction():  # a write that commits
            library.update_paper(1, {"note": "committed"})
        with pytest.raises(sqlite3.IntegrityError), library.transaction():
            library.conn.execute("UPDATE papers SET note = 'x' WHERE id = 1")
            library.insert_papers([Paper(citekey=library.citekey_of(2), source="bibtex")])
    Library.open(seed_db, write=True).close()
    assert checks == [str(seed_db)]


def test_a_log_another_connection_holds_is_checked(seed_db, checks):
    other = sqlite3.connect(seed_db, isolation_level=None)
    other.execute("PRAGMA journal_mode = WAL")
    other.execute("PRAGMA wal_autocheckpoint = 0")
    other.execute("UPDATE papers SET note = 'pending' WHERE id = 1")  # in the log only
    try:
        with Library.open(seed_db, write=True) as library:
            assert library.get(1).note == "pending"
        assert checks == [str(seed_db)]
    finally:
        other.close()


def test_a_new_library_and_a_migrated_one_are_sealed(db_path, tmp_path, checks):
    Library.open(db_path, write=True).close()
    assert mtime(db_path) == stamp(db_path)

    from ops.test_import_scaling import version_2_library

    old = tmp_path / "old.sqlite"
    version_2_library(old)
    Library.open(old).close()  # a read migrates it, after checking it whole
    assert checks == [str(old)] and mtime(old) == stamp(old)
    Library.open(old, write=True).close()
    assert checks == [str(old)]
