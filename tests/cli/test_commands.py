"""The command line as users run it: real processes, real exit codes, real stderr."""

import json

import pytest
from conftest import FIXTURES, SEED, digest, igbib, one_line_error

from igbib import __version__
from igbib.store.migrations import CURRENT_VERSION


def test_version():
    assert igbib("--version").stdout.strip() == f"igbib {__version__}"


def test_import_seed_then_search_list_show_info(db_path):
    result = igbib("--db", db_path, "import", SEED)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "52  added" in out and "7  skipped" in out and "4  flagged" in out
    assert "line 27  huradiogenomics: bad-year" in out
    assert "line 68  palaskas201118ffluorodeoxyglucose: no-link" in out

    result = igbib("search", "glioblastoma", "--limit", "3", "--db", db_path)
    assert result.returncode == 0
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert len(rows) == 3 and all(len(r) == 5 for r in rows)
    assert all("glioblastoma" in r[3].lower() for r in rows)

    records = json.loads(igbib("search", "author:gevaert", "--json", "--db", db_path).stdout)
    assert [r["pmid"] for r in records] == ["24827998", "22723499"]
    assert set(records[0]) >= {
        "id",
        "citekey",
        "title",
        "authors",
        "journal",
        "year",
        "pmid",
        "doi",
        "pmcid",
        "url",
        "sections",
        "tags",
        "flags",
    }

    everything = json.loads(igbib("list", "--json", "--db", db_path).stdout)
    assert len(everything) == 52 and everything[0]["authors"] == [{"family": "Lee"}]

    shown = igbib("show", "10.1038/NCOMMS5006", "--db", db_path)
    assert shown.returncode == 0 and "Decoding tumour phenotype" in shown.stdout
    by_key = json.loads(igbib("show", "aerts2014decoding", "--json", "--db", db_path).stdout)
    assert by_key["doi"] == "10.1038/ncomms5006"

    info = json.loads(igbib("info", "--json", "--db", db_path).stdout)
    assert (
        info["papers"] == 52 and info["schema_version"] == CURRENT_VERSION and info["flagged"] == 4
    )
    assert info["datasets"] == 1 and info["sections"] == 2 and info["missing_pmid"] == 8


def test_library_is_found_from_a_subdirectory(seed_db, tmp_path):
    sub = tmp_path / "chapter"
    sub.mkdir()
    info = json.loads(igbib("info", "--json", cwd=sub).stdout)
    assert info["path"] == str(seed_db) and info["chosen_by"] == "nearest library.sqlite"


def test_options_mean_the_same_in_any_order_and_form(seed_db):
    plain = igbib("search", "radiogenomics", "--limit", "5", "--db", seed_db)
    assert plain.returncode == 0 and plain.stdout.count("\n") == 5
    for args in (
        ["--db", seed_db, "search", "radiogenomics", "--limit", "5"],
        [f"--db={seed_db}", "search", "--limit=5", "radiogenomics", "--sort", "relevance"],
        ["search", "--db", seed_db, "--limit", "5", "--", "radiogenomics"],
    ):
        assert igbib(*args).stdout == plain.stdout, args
    as_json = igbib("search", "radiogenomics", "--json", "--db", seed_db)
    reordered = igbib("--db", seed_db, "search", "--json", "radiogenomics", "--sort", "relevance")
    assert json.loads(as_json.stdout) == json.loads(reordered.stdout)


def test_excluded_words_reach_the_query(seed_db):
    result = igbib("search", "glioblastoma", "-multiforme", "--json", "--db", seed_db)
    titles = [r["title"].lower() for r in json.loads(result.stdout)]
    assert titles and all("multiforme" not in t for t in titles)


def test_read_only_commands_never_create_a_library(tmp_path):
    missing = tmp_path / "nothing.sqlite"
    for args in (["search", "glioma"], ["list"], ["show", "1"], ["info"]):
        result = igbib(*args, "--db", missing)
        assert "no igbib library" in one_line_error(result, code=3)
    assert not missing.exists()


BAD_FILES = {
    "missing.md": None,
    "binary.bib": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    "latin1.md": "* Müller et al., [Titel](https://doi.org/10.1000/x), *J*, 2014\n".encode(
        "latin-1"
    ),
    "empty.md": b"",
    "notes.txt": b"Just some notes.\nNo references here.\n",
    "nothing.bib": b"% a comment only\n",
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_import_files_get_one_line_and_leave_the_library_unchanged(seed_db, tmp_path, name):
    path = tmp_path / name
    if BAD_FILES[name] is not None:
        path.write_bytes(BAD_FILES[name])
    before = digest(seed_db)
    line = one_line_error(igbib("import", path, "--db", seed_db))
    assert name in line
    assert digest(seed_db) == before


def test_importing_a_directory_or_with_a_wrong_format(seed_db, tmp_path):
    before = digest(seed_db)
    assert "directory" in one_line_error(igbib("import", tmp_path, "--db", seed_db))
    wrong = igbib("import", SEED, "--format", "bibtex", "--db", seed_db)
    assert "no BibTeX entries" in one_line_error(wrong)
    assert igbib("import", SEED, "--format", "word", "--db", seed_db).returncode == 2
    assert digest(seed_db) == before


def test_a_bib_with_broken_entries_imports_the_rest_and_exits_1(db_path, tmp_path):
    bib = tmp_path / "refs.bib"
    bib.write_text(
        "@article{good, title = {Good}, year = {2014}}\n\n"
        "@article{broken,\n  title = {Missing brace,\n  year = 2014,\n\n"
        "@article{fine, title = {Fine}, year = {2015}}\n"
    )
    result = igbib("import", bib, "--db", db_path)
    assert result.returncode == 1
    assert "line 3" in result.stdout and "broken" in result.stdout
    report = json.loads(igbib("import", bib, "--json", "--db", db_path).stdout)
    assert report["failed"][0]["line"] == 3
    assert len(report["unchanged"]) == 2 and report["added"] == []


def test_dry_run_writes_nothing_even_a_new_file(tmp_path):
    target = tmp_path / "new.sqlite"
    result = igbib("import", SEED, "--dry-run", "--db", target)
    assert result.returncode == 0 and "52  added" in result.stdout and "Dry run" in result.stdout
    assert not target.exists()


def test_bad_queries_and_references(seed_db):
    before = digest(seed_db)
    assert "unknown field" in one_line_error(igbib("search", "foo:bar", "--db", seed_db))
    assert "not a year" in one_line_error(igbib("list", "year:20x4", "--db", seed_db))
    assert "no paper matches" in one_line_error(igbib("show", "nosuchkey", "--db", seed_db))
    shared = one_line_error(igbib("show", "27009765", "--db", seed_db))
    assert "shared by 2 papers" in shared
    result = igbib("search", "'; drop table papers; --", "--db", seed_db)
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert igbib("search", "--limit", "0", "glioma", "--db", seed_db).returncode == 2
    assert digest(seed_db) == before


@pytest.mark.parametrize(
    "content", [b"not a database at all", b"SQLite format 3\x00" + b"\x00" * 90]
)
def test_a_damaged_library_is_reported_not_traced(tmp_path, content):
    db = tmp_path / "bad.sqlite"
    db.write_bytes(content)
    for args in (["search", "glioma"], ["import", str(FIXTURES / "cdl-sample.bib")]):
        line = one_line_error(igbib(*args, "--db", db), code=3)
        assert str(db) in line
    assert db.read_bytes() == content


def test_every_command_has_help_with_an_example():
    from igbib.cli.commands import NAMES

    for command in NAMES:
        result = igbib(command, "--help")
        assert result.returncode == 0 and "Example: igbib " + command in result.stdout


def test_json_that_is_not_csl_json_is_refused(seed_db, tmp_path):
    path = tmp_path / "data.json"
    path.write_text('{"not": "a reference"}')
    before = digest(seed_db)
    assert "not CSL-JSON" in one_line_error(igbib("import", path, "--db", seed_db))
    assert digest(seed_db) == before
