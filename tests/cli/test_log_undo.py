"""igbib log and igbib undo, as users run them."""

from __future__ import annotations

import json

import pytest
from conftest import FIXTURES, SEED, digest, exports, igbib

from igbib.store import Library


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


EDITED = "edited.md"


@pytest.mark.parametrize(
    "args",
    [
        ["check", "--fix"],
        ["edit", "huradiogenomics", "year=2016", "journal=Neuro-Oncology (Oxford)"],
        ["rm", "zhao2016reproducibility", "gevaert2014glioblastoma", "--yes"],
        ["merge", "aerts2014decoding", "lee2017radiomics", "--force"],
        ["move", "gevaert2014glioblastoma", "--section", "Radiomics"],
        ["section", "rename", "Radiomics", "Radiomics and more"],
        ["tag", "zhao2016reproducibility", "mccann2016quantitative", "+prostate", "-radiomics"],
        ["note", "mccann2016quantitative", "PMID belongs to Zhao et al."],
        ["import", EDITED, "--sync", "--prune"],
        ["dataset", "add", "TCGA-GBM"],
        ["dataset", "link", "gevaert2014glioblastoma", "TCGA-LUAD"],
        ["dataset", "rm", "TCGA-LUAD"],
    ],
    ids=lambda args: args[0],
)
def test_each_kind_of_change_is_undone_exactly_and_redone(seed_db, tmp_path, args):
    """After each command and its undo, every export is byte-identical to before;
    undoing the undo gives back exactly what the command made."""
    seed = SEED.read_text()
    # the list with its last entry and its first section's entries left out, for --sync
    first = seed.index("\n  * ", seed.index("Radiogenomics, Imaging Genetics"))
    (tmp_path / EDITED).write_text(seed[:first] + seed[seed.index("\n  * ", first + 1) :])
    prepared = [
        ("section", "add", "Radiomics"),
        ("tag", "zhao2016reproducibility", "+radiomics"),
    ]
    for line in prepared:
        assert igbib(*line, "--db", seed_db).returncode == 0
    if args[0] == "check":  # something --fix fixes: the dataset repeated, as older imports left it
        with Library.open(seed_db, write=True) as library, library.transaction():
            (dataset,) = library.datasets()
            library.insert_dataset({k: dataset[k] for k in ("name", "url", "description")})
    before = exports(seed_db)
    result = igbib(*args, "--db", seed_db, cwd=tmp_path)
    assert result.returncode in (0, 1), result
    after = exports(seed_db)
    assert after != before, "the command changed nothing"
    undone = igbib("undo", "--db", seed_db)
    assert undone.returncode == 0, undone
    assert exports(seed_db) == before
    redo = json.loads(igbib("log", "--json", "--limit", "1", "--db", seed_db).stdout)[0]["id"]
    assert igbib("undo", str(redo), "--db", seed_db).returncode == 0
    assert exports(seed_db) == after


def test_log_names_the_paper_and_dataset_of_a_link_and_says_what_a_tag_became(seed_db):
    igbib("dataset", "link", "--auto", "--accept", "--db", seed_db)
    igbib("dataset", "unlink", "shinagare2015radiogenomics", "TCGA-KIRC", "--db", seed_db)
    igbib(
        "tag", "nicolasjilwan2015tcga", "-site/glioma", "+modality/mri", "--db", seed_db
    )  # both the topic rules' tags: one taken off, one made the curator's
    log = igbib("log", "--change", "2", "--db", seed_db).stdout
    assert "nicolasjilwan2015tcga dataset 'TCGA-GBM' added (proposed, accepted)" in log
    unlink = igbib("log", "--change", "3", "--db", seed_db).stdout
    assert "shinagare2015radiogenomics dataset 'TCGA-KIRC' taken off (remembered)" in unlink
    tags = igbib("log", "--change", "4", "--db", seed_db).stdout
    assert "nicolasjilwan2015tcga tag 'site/glioma' taken off (remembered)" in tags
    assert "nicolasjilwan2015tcga tag 'modality/mri' made a curator's tag" in tags
    assert "changed" not in tags.splitlines()[-1] and "[" not in log
