"""igbib log and igbib undo, as users run them."""

from __future__ import annotations

import json

from conftest import FIXTURES, digest, igbib
from store.test_history import exports


def test_log_lists_changes_newest_first(seed_db):
    assert igbib("import", FIXTURES / "cdl-sample.bib", "--db", seed_db).returncode in (0, 1)
    result = igbib("log", "--db", seed_db)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split()[0] == "2" and "igbib import" in lines[0]
    assert "papers added" in lines[1]
    data = json.loads(igbib("log", "--json", "--db", seed_db).stdout)
    assert [c["id"] for c in data] == [2, 1] and data[1]["summary"]["papers"]["added"] == 52


def test_undo_then_redo_through_the_command_line(seed_db):
    before = exports(seed_db)
    assert igbib("import", FIXTURES / "cdl-sample.bib", "--db", seed_db).returncode in (0, 1)
    after_import = exports(seed_db)
    result = igbib("undo", "--db", seed_db)
    assert result.returncode == 0, result.stderr
    assert "Reverted change 2" in result.stderr and "igbib undo 3" in result.stderr
    assert exports(seed_db) == before
    assert igbib("undo", "3", "--db", seed_db).returncode == 0
    assert exports(seed_db) == after_import


def test_log_of_one_paper_shows_its_fields_even_once_removed(seed_db):
    igbib("undo", "--db", seed_db)  # the import itself: every paper removed
    result = igbib("log", "zhao2016reproducibility", "--db", seed_db)
    assert result.returncode == 0, result.stderr
    assert "paper zhao2016reproducibility removed" in result.stdout
    assert "paper zhao2016reproducibility added" in result.stdout


def test_bad_undo_input_is_one_line_and_changes_nothing(seed_db):
    before = digest(seed_db)
    for args, code, text in (
        (("undo", "7"), 1, "no change 7"),
        (("undo", "seven"), 2, "change number"),
        (("undo", "1", "--to", "0"), 2, "not both"),
        (("undo", "--to", "1"), 1, "nothing to undo"),
        (("log", "nosuchpaper"), 1, "no paper matches"),
        (("log", "--change", "5"), 1, "no change 5"),
    ):
        result = igbib(*args, "--db", seed_db)
        assert result.returncode == code, (args, result)
        assert result.stderr.count("\n") == 1 and text in result.stderr, (args, result.stderr)
    assert digest(seed_db) == before


def test_undo_dry_run_changes_nothing(seed_db):
    before = digest(seed_db)
    result = igbib("undo", "--dry-run", "--db", seed_db)
    assert result.returncode == 0 and "Would revert change 1" in result.stderr
    assert digest(seed_db) == before


def test_add_and_refresh_are_recorded_and_undone_exactly(services, db_path, tmp_path):
    from cli.test_online_commands import LIST

    listing = tmp_path / "list.md"
    listing.write_text(LIST)
    assert igbib("import", listing, "--db", db_path).returncode == 0
    imported = exports(db_path)
    assert igbib("refresh", "--db", db_path).returncode in (0, 1)
    refreshed = exports(db_path)
    assert refreshed != imported
    added = igbib("add", "18787170", "--section", "New", "--tag", "mtor", "--db", db_path)
    assert added.returncode == 0, added.stderr
    log = json.loads(igbib("log", "--json", "--db", db_path).stdout)
    assert [c["command"] for c in log] == ["add", "refresh", "import"]
    assert log[0]["summary"]["papers"] == {"added": 1}
    assert igbib("undo", "--db", db_path).returncode == 0
    assert exports(db_path) == refreshed
    assert igbib("undo", "--db", db_path).returncode == 0
    assert exports(db_path) == imported
