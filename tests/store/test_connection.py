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
