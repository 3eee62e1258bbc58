"""Every connection is set up the same way, the in-memory one of a dry run included."""

import sqlite3

import pytest

from igbib.store import Library

PRAGMAS = ("foreign_keys", "busy_timeout", "synchronous", "user_version")


def settings(library: Library) -> dict:
    return {name: library.conn.execute(f"PRAGMA {name}").fetchone()[0] for name in PRAGMAS}


def test_a_dry_run_library_is_set_up_exactly_as_a_real_one(db_path):
    with Library.open(db_path, write=True) as real, Library.in_memory() as dry:
        assert settings(dry) == settings(real)
        assert settings(dry)["foreign_keys"] == 1


def test_a_dry_run_refuses_what_a_real_run_refuses(db_path):
    """A placement of a paper that does not exist fails in both, not only in the real one."""
    for library in (Library.open(db_path, write=True), Library.in_memory()):
        with library, pytest.raises(sqlite3.IntegrityError), library.transaction():
            section = library.ensure_section("A", "heading:2")
            library.set_placements(section, [12345])


def test_a_reader_takes_no_write_lock_and_imports_no_locking_module(seed_db):
    """Reading stays as cheap as it was: no lock file, no ``fcntl``."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from igbib.cli import execute\n"
        "code = execute(['search', 'glioblastoma', '--db', sys.argv[1]])\n"
        "sys.stdout.flush()\n"
        "sys.stderr.write(str('fcntl' in sys.modules))\n"
        "sys.exit(code)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(seed_db)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0 and result.stderr == "False"
    assert not (seed_db.parent / (seed_db.name + "-lock")).exists()


def test_a_write_takes_the_lock_for_its_transaction_only(db_path):
    lock = db_path.parent / (db_path.name + "-lock")
    with Library.open(db_path, write=True) as library:
        assert not lock.exists()
        with library.transaction():
            library.set_meta("a", "1")
            assert lock.exists()
        assert not lock.exists()


def test_a_read_only_uri_may_say_the_file_never_changes(tmp_path):
    from igbib.store.connection import _read_only_uri

    path = tmp_path / "a %?#.sqlite"
    assert _read_only_uri(str(path)).endswith("/a %25%3f%23.sqlite?mode=ro")
    assert _read_only_uri(str(path), immutable=True).endswith("?mode=ro&immutable=1")
