"""The history: every write recorded in its own transaction, reverted exactly."""

from __future__ import annotations

import sqlite3

import pytest
from conftest import FIXTURES, SEED, digest, exports, igbib

from igbib.errors import NotFound, Refused
from igbib.importers import parse_file
from igbib.ops import history
from igbib.ops.ingest import import_parsed
from igbib.store import Library


def test_an_import_is_one_change_with_a_summary(seed_db):
    with Library.open(seed_db) as library:
        (change,) = library.changes()
    assert change.summary["papers"] == {"added": 52}
    assert change.summary["sections"] == {"added": 2}
    assert change.summary["datasets"] == {"added": 1}  # four identical headings, one dataset


def test_importing_the_same_list_again_records_nothing_and_leaves_the_file(seed_db):
    before = digest(seed_db)
    with Library.open(seed_db, write=True) as library:
        import_parsed(library, parse_file(SEED), name=SEED.name)
        assert len(library.changes()) == 1
    assert digest(seed_db) == before


def test_undo_restores_every_export_exactly(seed_db):
    before = exports(seed_db)
    with Library.open(seed_db, write=True) as library:
        with library.transaction():
            library.add_tags([1, 2, 3], ["glioma"])
            library.update_paper(5, {"title": "Another title", "year": 1999})
            library.conn.execute("DELETE FROM placements WHERE paper_id = 7")
            library.conn.execute("DELETE FROM paper_tags WHERE paper_id = 7")
            library.conn.execute("DELETE FROM papers WHERE id = 7")
        library.change_id = None  # the import is another command run
        import_parsed(library, parse_file(FIXTURES / "cdl-sample.bib"), name="cdl")
    changed = exports(seed_db)
    assert changed["bibtex"] != before["bibtex"]
    with Library.open(seed_db, write=True) as library:
        assert [c.id for c in history.undo(library)] == [3]
        assert [c.id for c in history.undo(library)] == [2]
        assert library.count() == 52
    assert exports(seed_db) == before


def test_an_undo_is_a_change_that_can_itself_be_undone(seed_db):
    with Library.open(seed_db, write=True) as library:
        with library.transaction():
            library.update_paper(1, {"journal": "Changed"})
        changed = library.get(1).to_dict()
        history.undo(library)  # change 3 undoes 2
        assert library.get(1).journal != "Changed"
        changes = library.changes()
        assert changes[0].undoes == [2] and changes[1].undone_by == 3
        history.undo(library, target=3)  # redo
        assert library.get(1).to_dict() == changed
        # The plain undo walks back past undos: the newest change in effect is 2 again.
        assert [c.id for c in history.plan(library)[0]] == [2]


def test_undo_refuses_when_a_later_change_touched_the_same_paper(seed_db):
    with Library.open(seed_db, write=True) as library:
        with library.transaction():
            library.update_paper(1, {"journal": "First"})
        library.change_id = None  # a second command run
        with library.transaction():
            library.update_paper(1, {"journal": "Second"})
    before = digest(seed_db)
    with Library.open(seed_db, write=True) as library:
        with pytest.raises(Refused, match=r"paper lee2017radiomics was changed since by change 3"):
            history.undo(library, target=2)
        assert library.get(1).journal == "Second"
    assert digest(seed_db) == before


def test_undo_to_reverts_every_later_change_in_one(seed_db):
    before = exports(seed_db)
    with Library.open(seed_db, write=True) as library:
        for journal in ("A", "B", "C"):
            library.change_id = None
            with library.transaction():
                library.update_paper(1, {"journal": journal})
                library.add_tags([1], [journal])
        reverted = history.undo(library, to=1)
        assert [c.id for c in reverted] == [4, 3, 2]
        assert library.changes()[0].undoes == [2, 3, 4]
    assert exports(seed_db) == before


def test_nothing_to_undo_and_unknown_changes(db_path):
    with Library.open(db_path, write=True) as library:
        with pytest.raises(NotFound, match="nothing to undo"):
            history.undo(library)
        with pytest.raises(NotFound, match="no change 9"):
            history.undo(library, target=9)


def test_writes_outside_igbib_are_not_recorded_and_block_an_undo(seed_db):
    with Library.open(seed_db, write=True) as library, library.transaction():
        library.update_paper(1, {"journal": "By igbib"})
    conn = sqlite3.connect(seed_db)
    conn.execute("UPDATE papers SET journal = 'By hand' WHERE id = 1")
    conn.commit()
    conn.close()
    with Library.open(seed_db, write=True) as library:
        assert len(library.changes()) == 2
        with pytest.raises(Refused, match="changed since by another program"):
            history.undo(library)


def test_a_failed_transaction_records_nothing(seed_db):
    with Library.open(seed_db, write=True) as library:
        with pytest.raises(RuntimeError), library.transaction():
            library.update_paper(1, {"journal": "Lost"})
            raise RuntimeError
        assert len(library.changes()) == 1
        assert library.get(1).journal != "Lost"


def test_undo_refuses_when_a_later_change_uses_what_it_made(seed_db):
    assert igbib("tag", "23", "+x", "--db", seed_db).returncode == 0  # makes tag x
    assert igbib("tag", "24", "+x", "--db", seed_db).returncode == 0  # uses it
    before = digest(seed_db)
    result = igbib("undo", "2", "--db", seed_db)
    assert result.returncode == 1 and result.stderr.count("\n") == 1
    assert "in use by a later change" in result.stderr and "igbib undo --to 1" in result.stderr
    assert digest(seed_db) == before


def test_an_import_can_be_undone_once_a_later_edit_was_undone(seed_db):
    assert igbib("edit", "huradiogenomics", "year=2016", "--db", seed_db).returncode == 0
    assert igbib("undo", "--db", seed_db).returncode == 0  # the edit
    result = igbib("undo", "--db", seed_db)  # the import: its papers are as it left them
    assert result.returncode == 0, result.stderr
    with Library.open(seed_db) as library:
        assert library.count() == 0


def test_undo_redo_undo_of_an_import(seed_db):
    before = exports(seed_db)
    assert igbib("undo", "--db", seed_db).returncode == 0  # change 2 reverts the import
    assert igbib("undo", "2", "--db", seed_db).returncode == 0  # change 3 redoes it
    assert exports(seed_db) == before
    result = igbib("undo", "--db", seed_db)  # reverts change 3, the redo
    assert result.returncode == 0, result.stderr
    with Library.open(seed_db) as library:
        assert library.count() == 0


def test_undo_refuses_when_a_later_change_reordered_the_same_section(seed_db):
    section = "This paper list is partially attributable to the following papers."
    assert igbib("rm", "bai2016imaging", "--yes", "--db", seed_db).returncode == 0
    moved = igbib(
        "move",
        "zhao2016reproducibility",
        "--section",
        section,
        "--position",
        "1",
        "--copy",
        "--db",
        seed_db,
    )
    assert moved.returncode == 0, moved
    before = digest(seed_db)
    result = igbib("undo", "2", "--db", seed_db)
    assert result.returncode == 1 and "order of section" in result.stderr, result.stderr
    assert "change 3 (move" in result.stderr
    assert digest(seed_db) == before


def test_a_run_whose_writes_cancel_out_records_nothing(seed_db):
    with Library.open(seed_db, write=True) as library:
        paper = library.get(1)
        with library.transaction():
            library.update_paper(1, {"journal": "Elsewhere", "updated": "2000-01-01"})
        with library.transaction():  # the same run puts it back
            library.update_paper(1, {"journal": paper.journal, "updated": paper.updated})
        journal = paper.journal
        assert len(library.changes()) == 1 and library.get(1).journal == journal


def test_a_removed_papers_id_is_never_given_to_another(seed_db):
    with Library.open(seed_db) as library:
        last = library.conn.execute("SELECT max(id) FROM papers").fetchone()[0]
    assert igbib("rm", str(last), "--yes", "--db", seed_db).returncode == 0
    assert igbib("import", FIXTURES / "cdl-sample.bib", "--db", seed_db).returncode in (0, 1)
    with Library.open(seed_db) as library:
        assert last not in {p for (p,) in library.conn.execute("SELECT id FROM papers")}
        # its history is its own: removed by rm, added by the (Python) import of the seed
        assert [c.command for c in library.changes(last)] == ["rm", "python"]


def test_writes_are_kept_when_another_program_removed_the_history_triggers(db_path):
    with Library.open(db_path, write=True) as library:
        for (name,) in library.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'history_%'"
        ).fetchall():
            library.conn.execute(f"DROP TRIGGER {name}")
    result = igbib("import", SEED, "--db", db_path)
    assert result.returncode == 0, result.stderr
    with Library.open(db_path) as library:
        assert library.count() == 52 and library.changes() == []
