"""Opening libraries safely: creation, migrations, refusals, concurrency."""

import sqlite3
import subprocess
import sys
import textwrap

import pytest
from conftest import FIXTURES, digest, version_1_library

from igbib.errors import LibraryError
from igbib.locate import find_library
from igbib.model import Paper
from igbib.search import search
from igbib.store import Library, migrations


def test_a_new_library_is_created_at_the_current_schema_in_wal_mode(db_path):
    with Library.open(db_path, write=True) as library:
        assert library.schema_version == migrations.CURRENT_VERSION
        assert library.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert library.count() == 0


def test_an_empty_file_is_initialised(db_path):
    db_path.write_bytes(b"")
    with Library.open(db_path, write=True) as library:
        assert library.schema_version == migrations.CURRENT_VERSION


def test_reading_never_creates_a_library(db_path):
    with pytest.raises(LibraryError, match="no igbib library"):
        Library.open(db_path)
    assert not db_path.exists()


def test_migrating_a_version_1_library_indexes_its_papers(db_path):
    version_1_library(db_path)
    with Library.open(db_path) as library:  # even a read migrates an older library
        assert library.schema_version == migrations.CURRENT_VERSION
        assert [p.citekey for p in search(library, "author:olivier glioblastoma")] == [
            "gevaert2014"
        ]


def test_a_library_from_a_newer_igbib_is_refused_and_untouched(seed_db):
    conn = sqlite3.connect(seed_db)
    conn.execute(f"PRAGMA user_version = {migrations.CURRENT_VERSION + 1}")
    conn.commit()
    conn.close()
    before = digest(seed_db)
    for write in (False, True):
        with pytest.raises(LibraryError, match="newer igbib"):
            Library.open(seed_db, write=write)
    assert digest(seed_db) == before


def test_a_file_that_is_not_sqlite_is_refused_and_untouched(db_path):
    db_path.write_text("# not a database\n")
    before = digest(db_path)
    with pytest.raises(LibraryError, match="not a SQLite database"):
        Library.open(db_path, write=True)
    assert digest(db_path) == before


def test_another_programs_database_is_refused(db_path):
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE customers (name TEXT)")
    conn.commit()
    conn.close()
    before = digest(db_path)
    with pytest.raises(LibraryError, match="not an igbib library"):
        Library.open(db_path, write=True)
    assert digest(db_path) == before


def test_a_corrupt_library_is_refused_and_untouched(seed_db):
    data = bytearray(seed_db.read_bytes())
    page = 4096
    data[page * 3 : page * 3 + 200] = b"\xff" * 200  # damage a b-tree page
    seed_db.write_bytes(bytes(data))
    before = digest(seed_db)
    with pytest.raises(LibraryError, match="corrupt"):
        Library.open(seed_db, write=True)
    assert digest(seed_db) == before


def test_writes_outside_a_transaction_are_refused_on_read_only_open(seed_db):
    with (
        Library.open(seed_db) as library,
        pytest.raises(LibraryError, match="read-only"),
        library.transaction(),
    ):
        library.insert_papers([Paper(citekey="x", source="bibtex")])


def test_library_location_order(tmp_path, monkeypatch):
    nested = tmp_path / "project" / "chapter" / "figures"
    nested.mkdir(parents=True)
    (tmp_path / "project" / "library.sqlite").write_bytes(b"")
    path, how = find_library(cwd=str(nested))
    assert path == str(tmp_path / "project" / "library.sqlite") and how == "nearest library.sqlite"
    monkeypatch.setenv("IGBIB_DB", str(tmp_path / "env.sqlite"))
    assert find_library(cwd=str(nested)) == (str(tmp_path / "env.sqlite"), "IGBIB_DB")
    assert find_library("x.sqlite", cwd=str(nested)) == ("x.sqlite", "--db")
    monkeypatch.delenv("IGBIB_DB")
    path, how = find_library(cwd=str(tmp_path))
    assert how == "user data directory" and path.startswith(str(tmp_path / "xdg-data"))


WRITER = textwrap.dedent(
    """
    import sys
    from igbib.importers.bibtex import parse_bibtex
    from igbib.ops.ingest import import_parsed
    from igbib.store import Library

    db, prefix, start = sys.argv[1], sys.argv[2], int(sys.argv[3])
    for batch in range(start, start + 20):
        text = "".join(
            f"@article{{{prefix}{batch}x{i}, title={{{prefix} paper {batch} {i}}},"
            f" year={{2000}}, doi={{10.1000/{prefix}.{batch}.{i}}}}}\\n"
            for i in range(10)
        )
        with Library.open(db, write=True) as library:
            import_parsed(library, parse_bibtex(text), prefix)
    """
)


def test_two_processes_writing_at_once_lose_nothing(db_path):
    Library.open(db_path, write=True).close()
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(db_path), prefix, "0"])
        for prefix in ("alpha", "beta")
    ]
    assert [w.wait(timeout=120) for w in writers] == [0, 0]
    with Library.open(db_path) as library:
        assert library.count() == 400
        assert len(search(library, "alpha", limit=1000)) == 200
        assert len(search(library, "beta", limit=1000)) == 200
        assert library.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_bibtex_fixture_round_trip_through_the_store(db_path):
    from igbib.importers import parse_file
    from igbib.ops.ingest import import_parsed

    parsed = parse_file(FIXTURES / "cdl-sample.bib")
    with Library.open(db_path, write=True) as library:
        import_parsed(library, parsed, "cdl")
        stored = {p.citekey: p for p in library.get_papers(list(range(1, 55)))}
    for entry in parsed.entries:
        original, saved = entry.paper, stored[entry.paper.citekey]
        for field in ("title", "authors", "et_al", "journal", "year", "pages", "extra"):
            assert getattr(saved, field) == getattr(original, field), field
