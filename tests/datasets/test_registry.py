"""The registry on the seed list: one dataset for its four headings, the dataset command,
links (curator and auto), search, show, merge, undo, check, and the Markdown round trip."""

from __future__ import annotations

import json
import re

from conftest import SEED, digest, igbib, one_line_error

from igbib.exporters import Options, render
from igbib.importers import parse_file
from igbib.importers.markdown import parse_markdown
from igbib.ops import check as lint
from igbib.ops.ingest import import_parsed
from igbib.search import search
from igbib.store import Library

NICOLASJILWAN = "nicolasjilwan2015tcga"
SHINAGARE = "shinagare2015radiogenomics"
OLD_COLUMNS = ("name", "url", "description", "line")  # a dataset row before the registry


def datasets_of(db) -> list[dict]:
    return json.loads(igbib("dataset", "list", "--json", "--db", db).stdout)


def test_the_seeds_four_identical_headings_are_one_dataset_with_its_real_facts(db_path):
    result = igbib("import", SEED, "--db", db_path)
    assert result.returncode == 0, result
    assert (
        "lines 84, 85, 86, 87: 4 headings of the same dataset merged into one dataset, TCGA-LUAD"
        in result.stdout
    )
    assert "'The Cancer Genomic Atlas (TCGA)' is the catalogue's TCGA-LUAD" in result.stdout
    (dataset,) = datasets_of(db_path)
    assert dataset["key"] == "TCGA-LUAD" and dataset["catalogue"] == "tcga_luad"
    assert dataset["cancer_type"] == "Lung Adenocarcinoma" and dataset["subjects"] == 560
    assert dataset["dois"][0] == "10.7937/k9/tcia.2016.jgnihep5" and dataset["genomics"]
    assert dataset["description"] == "lung adenocarcinoma (LUAD)"  # as the list wrote it
    report = json.loads(igbib("import", SEED, "--json", "--db", db_path).stdout)
    assert report["datasets"] == 1 and len(report["dataset_notes"]) == 2
    with Library.open(db_path) as library:
        assert len(library.changes()) == 1  # importing it again writes nothing
        assert sum(b["kind"] == "dataset" for b in library.document()) == 1


def test_list_is_a_table_of_name_cancer_type_modalities_subjects_papers(seed_db):
    lines = igbib("dataset", "list", "--db", seed_db).stdout.splitlines()
    assert lines == ["TCGA-LUAD\tLung Adenocarcinoma\tCT, NM, PT, SM\t560\t0"]


def test_add_from_the_catalogue_or_by_hand_and_undo(seed_db):
    added = json.loads(igbib("dataset", "add", "tcga gbm", "--json", "--db", seed_db).stdout)
    assert added["key"] == "TCGA-GBM" and added["from_catalogue"]
    assert added["url"] == "https://doi.org/10.7937/k9/tcia.2016.rnyfuye9"
    before = digest(seed_db)
    again = one_line_error(igbib("dataset", "add", "TCGA-GBM", "--db", seed_db))
    assert "already" in again
    bad = one_line_error(igbib("dataset", "add", "X", "--doi", "nope", "--db", seed_db), code=2)
    assert "'nope' is not a DOI" in bad
    taken = one_line_error(
        igbib("dataset", "add", "GBM MR", "--doi", "10.7937/K9/TCIA.2016.RNYFUYE9", "--db", seed_db)
    )
    assert "10.7937/k9/tcia.2016.rnyfuye9" in taken and "TCGA-GBM" in taken
    assert digest(seed_db) == before
    result = igbib(
        "dataset", "add", "BraTS 2021", "--url", "https://www.synapse.org/brats",
        "--modality", "MR,SEG", "--cancer-type", "Glioma", "--subjects", "2040",
        "--genomics", "no", "--db", seed_db,
    )  # fmt: skip
    assert result.stdout == "Added dataset 'BraTS 2021'\n"
    shown = json.loads(igbib("dataset", "show", "brats 2021", "--json", "--db", seed_db).stdout)
    assert shown["modalities"] == ["MR", "SEG"] and shown["subjects"] == 2040
    assert igbib("undo", "--db", seed_db).returncode == 0
    assert [d["name"] for d in datasets_of(seed_db)] == ["TCGA-LUAD", "TCGA-GBM"]


def test_link_unlink_rm_and_undo(seed_db):
    assert igbib("dataset", "add", "TCGA-GBM", "--db", seed_db).returncode == 0
    linked = igbib(
        "dataset", "link", "gevaert2014glioblastoma", NICOLASJILWAN, "tcga-gbm", "--db", seed_db
    )
    assert linked.stdout.startswith("Linked 2 papers to TCGA-GBM")
    found = igbib("search", "dataset:TCGA-GBM", "--json", "--db", seed_db).stdout
    assert {p["citekey"] for p in json.loads(found)} == {"gevaert2014glioblastoma", NICOLASJILWAN}
    shown = igbib("show", NICOLASJILWAN, "--db", seed_db).stdout
    assert "datasets     TCGA-GBM (curator)" in shown
    before = digest(seed_db)
    refused = one_line_error(igbib("dataset", "rm", "TCGA-GBM", "--db", seed_db))
    assert "2 papers are linked" in refused and "--force" in refused
    assert digest(seed_db) == before
    unlinked = igbib(
        "dataset", "unlink", NICOLASJILWAN, "10.7937/K9/TCIA.2016.RNYFUYE9", "--db", seed_db
    )
    assert unlinked.stdout == f"Unlinked 1 paper from TCGA-GBM: {NICOLASJILWAN}\n"
    removed = igbib("dataset", "rm", "TCGA-GBM", "--force", "--db", seed_db)
    assert "and its links to 1 paper (the papers stay)" in removed.stdout
    assert igbib("search", "dataset:TCGA-GBM", "--db", seed_db).stdout == ""
    assert igbib("undo", "--db", seed_db).returncode == 0  # the dataset and its link are back
    assert [d["papers"] for d in datasets_of(seed_db)] == [0, 1]
    assert f"{NICOLASJILWAN}  " not in igbib("dataset", "show", "TCGA-GBM", "--db", seed_db).stdout
    missing = one_line_error(igbib("dataset", "link", NICOLASJILWAN, "TCGA-BRCA", "--db", seed_db))
    assert "igbib dataset add TCGA-BRCA" in missing


def test_link_auto_proposes_with_evidence_and_applies_only_with_accept(seed_db):
    before = digest(seed_db)
    out = json.loads(igbib("dataset", "link", "--auto", "--json", "--db", seed_db).stdout)
    proposals = {(p["citekey"], p["dataset"]): p for p in out["proposals"]}
    assert set(proposals) == {(NICOLASJILWAN, "TCGA-GBM"), (SHINAGARE, "TCGA-KIRC")}
    assert proposals[(NICOLASJILWAN, "TCGA-GBM")]["evidence"] == [
        "title: 'TCGA' and 'glioblastoma'"
    ]
    assert out["accepted"] is None and digest(seed_db) == before
    only = igbib("dataset", "link", "--auto", "kidney OR renal", "--db", seed_db).stdout
    assert SHINAGARE in only and NICOLASJILWAN not in only
    done = igbib("dataset", "link", "--auto", "--accept", "--db", seed_db)
    assert "Linked 2 papers" in done.stdout and "TCGA-GBM, TCGA-KIRC" in done.stdout
    with Library.open(seed_db) as library:
        (link,) = library.paper_dataset_links(library.resolve(SHINAGARE).id)
        assert link["origin"] == "auto" and "clear cell renal" in link["evidence"]
    again = igbib("dataset", "link", "--auto", "--db", seed_db)
    assert again.stdout == "" and "No links to propose" in again.stderr
    assert igbib("undo", "--db", seed_db).returncode == 0
    assert [d["key"] for d in datasets_of(seed_db)] == ["TCGA-LUAD"]


def test_a_merge_keeps_the_links_of_the_merged_paper(seed_db):
    igbib("dataset", "link", "aerts2014decoding", "TCGA-LUAD", "--db", seed_db)
    result = igbib("merge", "lee2017radiomics", "aerts2014decoding", "--force", "--db", seed_db)
    assert result.returncode == 0, result
    found = json.loads(igbib("search", "dataset:tcga-luad", "--json", "--db", seed_db).stdout)
    assert [p["citekey"] for p in found] == ["lee2017radiomics"]


def test_usage_errors_are_one_line_and_change_nothing(seed_db):
    before = digest(seed_db)
    for args, code in (
        (["dataset", "frob"], 2),
        (["dataset", "show"], 2),
        (["dataset", "link", "TCGA-LUAD"], 2),
        (["dataset", "list", "--force"], 2),
        (["dataset", "link", "x", "y", "--accept"], 2),
        (["dataset", "edit", "TCGA-LUAD"], 2),
        (["dataset", "show", "nothing-like-it"], 1),
        (["dataset", "link", "no-such-paper", "TCGA-LUAD"], 1),
    ):
        one_line_error(igbib(*args, "--db", seed_db), code=code)
    assert digest(seed_db) == before


def test_the_markdown_export_writes_the_registry_and_reads_back_the_same(seed_library, tmp_path):
    with seed_library.transaction():
        gevaert = seed_library.resolve("gevaert2014glioblastoma").id
        (luad,) = seed_library.datasets()
        seed_library.link_dataset(gevaert, luad["id"])
    from igbib.ops.datasets import add_dataset

    add_dataset(
        seed_library, "BraTS 2021", {"url": "https://www.synapse.org/brats", "modalities": ["MR"]}
    )
    text = render("md", search(seed_library, "", sort="section"), Options(), seed_library)
    part = text[text.index("## Datasets") :]
    assert "### \\[1\\] [TCGA-LUAD](https://doi.org/10.7937/k9/tcia.2016.jgnihep5)" in part
    assert "subjects: 560; genomic data: yes; licence: CC BY 3.0; linked papers: 1" in part
    assert (
        "### \\[2\\] [BraTS 2021](https://www.synapse.org/brats)\nModalities: MR; linked papers: 0"
        in part
    )
    with Library.open(tmp_path / "again.sqlite", write=True) as again:
        report = import_parsed(again, parse_markdown(text), "export.md")
        assert report.datasets == 2 and not report.unreadable
        # the same list but for the link, which a list does not hold
        same = text.replace("linked papers: 1", "linked papers: 0")
        assert render("md", search(again, "", sort="section"), Options(), again) == same
        names = [d["name"] for d in again.datasets()]
        assert names == ["TCGA-LUAD", "BraTS 2021"]
        assert "Modalities: MR" not in "".join(b["text"] or "" for b in again.document())


def test_check_finds_a_dataset_registered_twice_and_fix_keeps_its_links(seed_library):
    (luad,) = seed_library.datasets()
    with seed_library.transaction():  # as an older import left it: a row of its own
        copy = seed_library.insert_dataset({"name": "LUAD copy", "dois": luad["dois"][:1]})
        seed_library.link_dataset(seed_library.resolve("gevaert2014glioblastoma").id, copy)
    report = lint.check_library(seed_library)
    (finding,) = [f for f in report.findings if f.code == "duplicate-dataset"]
    assert "'LUAD copy' is listed again" in finding.message
    lint.fix(seed_library, report)
    (kept,) = seed_library.datasets()
    assert kept["key"] == "TCGA-LUAD" and kept["papers"] == 1


def test_a_library_imported_before_gets_one_dataset_and_keeps_its_links(seed_library):
    headings = parse_file(SEED).datasets
    with seed_library.transaction():  # as the seed's import was before the registry
        (luad,) = seed_library.datasets()
        seed_library.delete_dataset(luad["id"])
        ids = [
            seed_library.insert_dataset({"position": n, **{k: h[k] for k in OLD_COLUMNS}})
            for n, h in enumerate(headings, start=1)
        ]
        blocks = seed_library.document()
        at = next(i for i, b in enumerate(blocks) if b["kind"] == "dataset")
        seed_library.set_document_blocks(blocks[:at] + blocks[at : at + 1] * 4 + blocks[at + 1 :])
        seed_library.link_dataset(seed_library.resolve("gevaert2014glioblastoma").id, ids[3])
    report = import_parsed(seed_library, parse_file(SEED), SEED.name)
    assert report.datasets == 1
    (dataset,) = seed_library.datasets()
    assert dataset["key"] == "TCGA-LUAD" and dataset["papers"] == 1
    assert sum(b["kind"] == "dataset" for b in seed_library.document()) == 1


def test_datasets_listed_as_items_keep_their_style_and_facts_through_a_round_trip(tmp_path):
    # the seed with its dataset headings written as items of a list
    seed = SEED.read_text()
    items = re.sub(r"^### \\\[\d\\\] ", "* ", seed, flags=re.M)
    assert items.count("\n* The Cancer Genomic Atlas") == 4
    texts = []
    for n, text in enumerate([items, None, None]):
        with Library.open(tmp_path / f"{n}.sqlite", write=True) as library:
            import_parsed(library, parse_markdown(text or texts[-1]), "list.md")
            (dataset,) = library.datasets()
            assert dataset["key"] == "TCGA-LUAD" and dataset["subjects"] == 560
            texts.append(render("md", search(library, "", sort="section"), Options(), library))
    part = texts[0][texts[0].index("## Datasets") :]
    assert (
        "* [TCGA-LUAD](https://doi.org/10.7937/k9/tcia.2016.jgnihep5) - lung adenocarcinoma (LUAD)\n  * Cancer type: Lung Adenocarcinoma;"
        in part
    )
    assert texts[1] == texts[0] and texts[2] == texts[0]
