"""merge, move, section and import --sync as users run them: output, exit codes, no damage."""

import json

import pytest
from conftest import SEED, digest, exports, igbib, one_line_error

from igbib.ops.history import undo
from igbib.store import Library

IMAGING = "Imaging Genomics (Radiogenomics, Imaging Genetics)"
PREFACE = "This paper list is partially attributable to the following papers."


def test_merge_then_the_old_key_is_found_by_show_search_and_export(seed_db):
    result = igbib("merge", "aerts2014decoding", "lee2017radiomics", "--force", "--db", seed_db)
    assert result.returncode == 0, result
    assert "Merged aerts2014decoding (id 30) into lee2017radiomics (id 1)" in result.stdout
    assert "aliases      aerts2014decoding" in result.stdout
    shown = igbib("show", "aerts2014decoding", "--db", seed_db)
    assert "citekey    lee2017radiomics\naliases    aerts2014decoding\n" in shown.stdout
    record = json.loads(igbib("show", "aerts2014decoding", "--json", "--db", seed_db).stdout)
    assert record["aliases"] == ["aerts2014decoding"] and record["doi"] == "10.1038/ncomms5006"
    found = igbib("search", "key:aerts2014decoding", "--json", "--db", seed_db)
    assert [r["id"] for r in json.loads(found.stdout)] == [1]
    bib = igbib("export", "-f", "biblatex", "key:aerts2014decoding", "--db", seed_db).stdout
    assert "@article{lee2017radiomics," in bib and "\tids = {aerts2014decoding}" in bib
    with Library.open(seed_db) as library:
        assert library.changes()[0].command == "merge"


def test_merge_json_and_dry_run(seed_db):
    before = digest(seed_db)
    result = igbib("merge", "30", "1", "--dry-run", "--force", "--json", "--db", seed_db)
    assert result.returncode == 0, result
    report = json.loads(result.stdout)
    assert report["dry_run"] and report["survivor"] == {"id": 1, "citekey": "lee2017radiomics"}
    assert report["aliases"] == ["aerts2014decoding"] and report["fields"] == ["doi"]
    assert digest(seed_db) == before


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (["merge", "23"], 2, "two or more"),
        (["merge", "23", "gevaert2014glioblastoma"], 2, "itself"),
        (["merge", "23", "nosuchkey"], 1, "no paper matches 'nosuchkey'"),
        (["merge", "23", "29"], 1, "different identifiers"),
        (["merge", "12", "13", "23"], 1, "PMID 27009765 (zhao2016reproducibility, mccann"),
        (["move", "23"], 2, "missing --section"),
        (["move", "23", "--section", "Imaging genomic"], 1, "closest is 'Imaging Genomics"),
        (["move", "23", "--section", PREFACE, "--position", "0"], 2, "at least 1"),
        (["move", "23", "--section", PREFACE, "--from", PREFACE], 1, "not listed in"),
        (["section"], 2, "missing ACTION"),
        (["section", "frob"], 2, "use one of add, rename, rm, list"),
        (["section", "add"], 2, "takes one name"),
        (["section", "rename", PREFACE], 2, "OLD NEW"),
        (["section", "add", IMAGING], 1, "already exists"),
        (["section", "rm", PREFACE], 1, "lists 2 papers"),
        (["section", "rm", "Nothing"], 1, "no section 'Nothing'"),
        (["section", "list", "--force"], 2, "--force is an option of 'igbib section rm'"),
        (["import", SEED, "--prune"], 2, "add --sync"),
    ],
)
def test_bad_input_is_one_line_and_leaves_the_library_unchanged(seed_db, args, code, words):
    before = digest(seed_db)
    line = one_line_error(igbib(*args, "--db", seed_db), code=code)
    assert words in line
    assert digest(seed_db) == before


def test_move_and_section_commands(seed_db):
    db = ["--db", seed_db]
    result = igbib("section", "add", "Radiomics", "--after", PREFACE, *db)
    assert result.stdout == f"Added section 'Radiomics' after {PREFACE!r}\n"
    result = igbib("move", "aerts2014decoding", "--section", "Radiomics", *db)
    assert result.stdout == f"Moved aerts2014decoding from {IMAGING!r} to 'Radiomics', position 1\n"
    moved = json.loads(
        igbib("move", "23", "--section", "Radiomics", "--copy", "--json", *db).stdout
    )
    assert moved["position"] == 2 and len(moved["sections"]) == 2
    listing = json.loads(igbib("section", "list", "--json", *db).stdout)
    assert [(s["name"], s["papers"]) for s in listing] == [
        (PREFACE, 2),
        ("Radiomics", 2),
        (IMAGING, 49),
    ]
    assert "Radiomics\tbullet:0:-\t2" in igbib("section", "list", *db).stdout
    assert "\n- Radiomics\n  * Aerts et al." in igbib("export", *db).stdout
    igbib("section", "rename", "Radiomics", "Radiomics papers", *db)
    result = igbib("section", "rm", "Radiomics papers", "--force", *db)
    assert result.returncode == 0 and "2 papers unlisted" in result.stdout
    assert "(1 now in no section" in result.stdout
    with Library.open(seed_db) as library:
        assert [c.command for c in library.changes()[:5]] == [
            "section",
            "section",
            "move",
            "move",
            "section",
        ]


def edited_seed(tmp_path):
    """The seed list without its first section (two papers) and two entries of the other."""
    lines = SEED.read_text().splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith("- This paper list"))
    end = next(i for i, line in enumerate(lines) if line.startswith(f"* {IMAGING}"))
    halpenny = end + 1
    assert "Halpenny et al." in lines[halpenny] and "Demerath et al." in lines[halpenny + 1]
    kept = lines[:start] + lines[end:halpenny] + lines[halpenny + 2 :]
    path = tmp_path / "edited.md"
    path.write_text("".join(kept))
    return path


def test_import_without_sync_keeps_the_sections_the_list_dropped(seed_db, tmp_path):
    report = json.loads(igbib("import", edited_seed(tmp_path), "--json", "--db", seed_db).stdout)
    assert [r["citekey"] for r in report["unlisted"]] == [
        "halpenny2017radiogenomic",
        "demerath2016mesoscopic",
    ]
    assert "pruned" not in report
    sections = json.loads(igbib("section", "list", "--json", "--db", seed_db).stdout)
    assert [s["papers"] for s in sections] == [48, 2]


def test_import_sync_drops_sections_and_unlists_papers(seed_db, tmp_path):
    edited = edited_seed(tmp_path)
    result = igbib("import", edited, "--sync", "--json", "--db", seed_db)
    report = json.loads(result.stdout)
    assert report["removed_sections"] == [PREFACE] and report["pruned"] == []
    unlisted = {r["citekey"] for r in report["unlisted"]}
    assert unlisted == {
        "lee2017radiomics",
        "bai2016imaging",
        "halpenny2017radiogenomic",
        "demerath2016mesoscopic",
    }
    info = json.loads(igbib("info", "--json", "--db", seed_db).stdout)
    assert info["papers"] == 52 and info["sections"] == 1 and info["placements"] == 48
    unlisted_now = json.loads(igbib("list", "is:unlisted", "--json", "--db", seed_db).stdout)
    assert {r["citekey"] for r in unlisted_now} == unlisted
    published = igbib("export", "--db", seed_db).stdout
    assert PREFACE not in published
    # out of the list the curator publishes, still in the library
    assert "Other papers" not in published and "Radiomics and imaging genomics" not in published
    assert "lee2017radiomics" in igbib("export", "-f", "bibtex", "--db", seed_db).stdout
    again = igbib("import", edited, "--sync", "--db", seed_db)
    assert again.returncode == 0 and "0  sections removed" in again.stdout


def test_import_sync_prune_removes_and_counts_and_undo_restores(seed_db, tmp_path):
    before = exports(seed_db)
    result = igbib("import", edited_seed(tmp_path), "--sync", "--prune", "--db", seed_db)
    assert result.returncode == 0, result
    assert "4  removed from the library (listed nowhere)" in result.stdout
    assert "1  sections removed (no longer in the list)" in result.stdout
    assert "  lee2017radiomics: Radiomics and imaging genomics" in result.stdout
    info = json.loads(igbib("info", "--json", "--db", seed_db).stdout)
    assert info["papers"] == 48 and info["sections"] == 1
    assert one_line_error(igbib("show", "lee2017radiomics", "--db", seed_db))
    with Library.open(seed_db, write=True) as library:
        assert library.changes()[0].command == "import"
        undo(library)
    assert exports(seed_db) == before


def test_import_sync_dry_run_writes_nothing(seed_db, tmp_path):
    before = digest(seed_db)
    result = igbib("import", edited_seed(tmp_path), "--sync", "--prune", "-n", "--db", seed_db)
    assert "4  removed from the library" in result.stdout and "Dry run" in result.stdout
    assert digest(seed_db) == before


def test_sync_needs_a_reading_list(seed_db, tmp_path):
    bib = tmp_path / "one.bib"
    bib.write_text(igbib("export", "-f", "bibtex", "pmid:24827998", "--db", seed_db).stdout)
    before = digest(seed_db)
    assert "not one" in one_line_error(igbib("import", bib, "--sync", "--db", seed_db), code=2)
    assert digest(seed_db) == before


@pytest.mark.parametrize(
    "args",
    [
        ["merge", "aerts2014decoding", "bai2016imaging", "lee2017radiomics", "--force"],
        ["move", "23", "--section", PREFACE, "--position", "2"],
        ["section", "add", "Radiomics"],
        ["section", "rename", PREFACE, "Reviews"],
        ["section", "rm", PREFACE, "--force"],
    ],
)
def test_each_command_is_undone_exactly(seed_db, args):
    before = exports(seed_db)
    assert igbib(*args, "--db", seed_db).returncode == 0
    assert exports(seed_db) != before
    with Library.open(seed_db, write=True) as library:
        assert library.changes()[0].command == args[0]
        undo(library)
    assert exports(seed_db) == before


def test_merge_says_which_values_it_does_not_keep(seed_db):
    result = igbib(
        "merge", "aerts2014decoding", "lee2017radiomics", "--force", "--json", "--db", seed_db
    )
    report = json.loads(result.stdout)
    assert report["not_kept"]["journal"] == [["aerts2014decoding", "Nature Communications"]]
    assert report["not_kept"]["year"] == [["aerts2014decoding", 2014]]
