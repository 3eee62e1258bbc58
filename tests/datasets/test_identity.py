"""A dataset's identity and names: renaming, the one name rule (the dataset command and
``dataset:`` in a search alike), DOIs and aliases added and taken off, web pages, and
the facts a curator edits surviving an export and an import."""

from __future__ import annotations

import json

from conftest import digest, igbib, one_line_error

from igbib.store import Library

NICOLASJILWAN = "nicolasjilwan2015tcga"
GEVAERT = "gevaert2014glioblastoma"


def run(db, *args):
    return igbib(*args, "--db", db)


def show(db, name) -> dict:
    return json.loads(run(db, "dataset", "show", name, "--json").stdout)


def found(db, query) -> set[str]:
    result = run(db, "search", query, "--json")
    assert result.returncode == 0, result
    return {p["citekey"] for p in json.loads(result.stdout)}


def test_edited_catalogue_facts_survive_export_and_import(seed_db, tmp_path):
    run(seed_db, "dataset", "add", "TCGA-GBM")
    run(seed_db, "dataset", "link", NICOLASJILWAN, "TCGA-GBM")
    edited = run(
        seed_db, "dataset", "edit", "TCGA-GBM", "--subjects", "9999", "--licence", "My licence"
    )
    assert edited.returncode == 0, edited
    listed = tmp_path / "list.md"
    assert run(seed_db, "export", "-o", listed).returncode == 0
    assert "subjects: 9999" in listed.read_text() and "licence: My licence" in listed.read_text()
    fresh = tmp_path / "fresh.sqlite"
    assert igbib("import", listed, "--db", fresh).returncode == 0
    back = show(fresh, "TCGA-GBM")
    assert (back["subjects"], back["licence"]) == (9999, "My licence")
    assert back["cancer_type"] == "Glioblastoma Multiforme"  # the rest: the catalogue's


def test_genomic_data_no_is_shown_and_read_back(seed_db, tmp_path):
    run(seed_db, "dataset", "add", "Glioma-X", "--url", "https://example.org/x", "--genomics", "no")
    assert "genomic data: no" in run(seed_db, "dataset", "show", "Glioma-X").stdout
    run(seed_db, "dataset", "add", "TCGA-LGG")
    run(seed_db, "dataset", "edit", "TCGA-LGG", "--genomics", "no")
    listed = tmp_path / "list.md"
    run(seed_db, "export", "-o", listed)
    fresh = tmp_path / "fresh.sqlite"
    igbib("import", listed, "--db", fresh)
    assert show(fresh, "TCGA-LGG")["genomics"] is False
    assert show(fresh, "Glioma-X")["genomics"] is False


def test_a_name_the_catalogue_gives_another_collection_is_refused(seed_db):
    run(seed_db, "dataset", "add", "TCGA-GBM")
    run(seed_db, "dataset", "add", "My cohort", "--url", "https://example.org/c")
    before = digest(seed_db)
    for args in (
        ["TCGA-GBM", "--name", "TCGA-LGG"],
        ["TCGA-GBM", "--name", "tcga lgg"],
        ["TCGA-GBM", "--alias", "TCGA-LUAD"],  # the seed list's dataset
        ["My cohort", "--name", "TCGA-GBM"],
        ["My cohort", "--alias", "tcga_gbm"],
    ):
        error = one_line_error(run(seed_db, "dataset", "edit", *args))
        assert "TCGA-" in error, args
    assert digest(seed_db) == before
    added = run(seed_db, "dataset", "add", "TCGA-LGG")
    assert added.returncode == 0, added
    assert show(seed_db, "TCGA-LGG")["cancer_type"] == "Low Grade GLioma"  # IDC's, verbatim


def test_a_renamed_dataset_is_shown_by_its_name_and_still_named_by_its_key(seed_db, tmp_path):
    run(seed_db, "dataset", "add", "TCGA-GBM")
    assert run(seed_db, "dataset", "edit", "TCGA-GBM", "--name", "GBM (TCIA)").returncode == 0
    proposed = run(seed_db, "dataset", "link", "--auto", "glioblastoma").stdout
    assert proposed.startswith(f"{NICOLASJILWAN} -> GBM (TCIA)\n")
    run(seed_db, "dataset", "link", NICOLASJILWAN, "TCGA-GBM")
    listed = run(seed_db, "dataset", "list").stdout.splitlines()
    assert listed[1].startswith("GBM (TCIA)\tGlioblastoma Multiforme")
    assert show(seed_db, "tcga gbm")["name"] == "GBM (TCIA)"  # the key names it still
    assert found(seed_db, 'dataset:"GBM (TCIA)"') == found(seed_db, "dataset:TCGA-GBM")
    stats = json.loads(run(seed_db, "stats", "--json").stdout)
    assert "GBM (TCIA)" in [v["label"] for v in stats["charts"]["dataset"]["values"]]
    out = tmp_path / "list.md"
    run(seed_db, "export", "-o", out)
    assert "[GBM (TCIA)](https://doi.org/10.7937/k9/tcia.2016.rnyfuye9)" in out.read_text()
    linked = run(seed_db, "dataset", "link", GEVAERT, "GBM (TCIA)").stdout
    assert linked == f"Linked 1 paper to GBM (TCIA): {GEVAERT}\n"


def test_search_names_a_dataset_as_the_dataset_command_does(seed_db):
    run(seed_db, "dataset", "add", "TCGA-GBM")
    run(seed_db, "dataset", "link", NICOLASJILWAN, "TCGA-GBM")
    run(seed_db, "dataset", "add", "Ünicode-DS", "--url", "https://example.org/u", "--alias", "UDS")
    run(seed_db, "dataset", "link", GEVAERT, "ünicode ds")
    for query in (
        'dataset:"tcga gbm"',
        "dataset:tcga_gbm",
        "dataset:10.7937/K9/TCIA.2016.RNYFUYE9",
        "dataset:https://doi.org/10.7937/k9/tcia.2016.rnyfuye9",
    ):
        assert found(seed_db, query) == {NICOLASJILWAN}, query
    for query in ("dataset:ünicode-ds", "dataset:ÜNICODE_DS", "dataset:uds"):
        assert found(seed_db, query) == {GEVAERT}, query
    assert found(seed_db, "dataset:TCGA-GBM OR dataset:UDS") == {NICOLASJILWAN, GEVAERT}
    assert NICOLASJILWAN not in found(seed_db, "-dataset:tcga-gbm")
    nothing = run(seed_db, "search", "dataset:nosuchdataset")  # a name no dataset has
    assert nothing.returncode == 0 and nothing.stdout == ""


def test_names_are_folded_alike_when_added_and_when_a_list_is_imported(seed_db):
    assert run(seed_db, "dataset", "add", "Ünicode DS", "--url", "https://e.org").returncode == 0
    error = one_line_error(run(seed_db, "dataset", "add", "ünicode_ds"))
    assert "already" in error
    with Library.open(seed_db, write=True) as library:
        from igbib.ops.datasets import sync_listed

        headings = [
            {"name": n, "url": "https://e.org/x", "description": "d", "line": f"### {n}"}
            for n in ("Ünicode-X", "ünicode x")
        ]
        with library.transaction():
            merged, _notes = sync_listed(library, headings)
        assert merged == [1]  # the second heading is the first dataset


def test_doi_and_alias_are_added_and_taken_off_and_the_page_follows(seed_db):
    run(seed_db, "dataset", "add", "Mine", "--doi", "10.1234/one")
    assert show(seed_db, "Mine")["url"] == "https://doi.org/10.1234/one"
    run(seed_db, "dataset", "edit", "Mine", "--doi", "10.1234/two", "--alias", "M1")
    mine = show(seed_db, "Mine")
    assert mine["dois"] == ["10.1234/one", "10.1234/two"] and mine["aliases"] == ["M1"]
    run(seed_db, "dataset", "edit", "Mine", "--remove-doi", "10.1234/ONE", "--remove-alias", "m1")
    mine = show(seed_db, "Mine")
    assert mine["dois"] == ["10.1234/two"] and mine["aliases"] == []
    assert mine["url"] == "https://doi.org/10.1234/two"  # not the DOI taken off
    before = digest(seed_db)
    error = one_line_error(run(seed_db, "dataset", "edit", "Mine", "--remove-doi", "10.1/x"), 2)
    assert "--remove-doi" in error
    assert digest(seed_db) == before


def test_a_web_page_is_an_http_address(seed_db):
    before = digest(seed_db)
    for url in ("javascript:alert(1)", "file:///etc/passwd", "example.org", "https://"):
        error = one_line_error(run(seed_db, "dataset", "add", "X", "--url", url), 2)
        assert "web address" in error
        error = one_line_error(run(seed_db, "dataset", "edit", "TCGA-LUAD", "--url", url), 2)
    assert digest(seed_db) == before
    assert run(seed_db, "dataset", "add", "X", "--url", "HTTPS://example.org").returncode == 0


def test_a_doi_is_written_as_a_safe_link(seed_db, tmp_path):
    run(seed_db, "dataset", "add", "Odd", "--doi", "10.1234/a<b>(c")
    with Library.open(seed_db, write=True) as library:  # a page no longer given
        (odd,) = [d for d in library.datasets() if d["name"] == "Odd"]
        with library.transaction():
            library.update_dataset(odd["id"], {"url": None})
    out = tmp_path / "list.md"
    run(seed_db, "export", "-o", out)
    (line,) = [x for x in out.read_text().splitlines() if "[Odd]" in x]
    assert "<" not in line and ">" not in line
    assert "10.1234/a%3Cb%3E%28c" in line or "10.1234/a%3Cb%3E(c" in line


def test_an_unknown_dataset_suggests_only_a_close_name(seed_db):
    error = one_line_error(run(seed_db, "dataset", "show", "NOPE"))
    assert error == "error: no dataset 'NOPE' in the library"
    error = one_line_error(run(seed_db, "dataset", "show", "TCGA-LAUD"))
    assert "(the closest is 'TCGA-LUAD')" in error
    for blank in ("", "  ", "-"):
        error = one_line_error(run(seed_db, "dataset", "show", blank), 2)
        assert error == "error: a dataset needs a name"
