"""Links proposed and taken off: a link the curator took off is never proposed again
and counts nowhere; what link --auto says when its query selects nothing; how a paper
shows its datasets; what the dataset command needs at start-up."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import digest, igbib, one_line_error

from igbib import datasets

NICOLASJILWAN = "nicolasjilwan2015tcga"
SHINAGARE = "shinagare2015radiogenomics"


def run(db, *args):
    return igbib(*args, "--db", db)


def test_a_link_taken_off_is_remembered_never_proposed_and_counted_nowhere(seed_db, tmp_path):
    run(seed_db, "dataset", "link", "--auto", "--accept")
    assert run(seed_db, "dataset", "unlink", SHINAGARE, "TCGA-KIRC").returncode == 0
    proposed = json.loads(run(seed_db, "dataset", "link", "--auto", "--json").stdout)
    assert proposed["proposals"] == []  # nor after the catalogue is asked again
    kirc = json.loads(run(seed_db, "dataset", "show", "TCGA-KIRC", "--json").stdout)
    assert kirc["papers"] == 0 and kirc["linked"] == []
    assert run(seed_db, "search", "dataset:TCGA-KIRC").stdout == ""
    assert "TCGA-KIRC" not in run(seed_db, "show", SHINAGARE).stdout
    stats = json.loads(run(seed_db, "stats", "--json").stdout)["charts"]["dataset"]
    assert "TCGA-KIRC" not in [v["label"] for v in stats["values"]]
    assert stats["none"]["papers"] == 51  # every paper but the one linked to TCGA-GBM
    out = tmp_path / "list.md"
    run(seed_db, "export", "-o", out)
    (facts,) = [x for x in out.read_text().splitlines() if "Clear Cell" in x and "papers:" in x]
    assert facts.endswith("linked papers: 0")
    again = run(seed_db, "dataset", "link", SHINAGARE, "TCGA-KIRC")  # the curator's, again
    assert again.stdout.startswith("Linked 1 paper to TCGA-KIRC")
    assert run(seed_db, "search", "dataset:TCGA-KIRC").stdout.split("\t")[0] != ""


def test_link_auto_fails_when_its_query_selects_no_paper(seed_db):
    before = digest(seed_db)
    for accept in ([], ["--accept"]):
        error = one_line_error(run(seed_db, "dataset", "link", "--auto", "nosuchword", *accept))
        assert "nosuchword" in error
    assert digest(seed_db) == before
    none = run(seed_db, "dataset", "link", "--auto", "radiomics")  # papers, none naming one
    assert none.returncode == 0 and none.stdout == ""
    assert none.stderr.strip() == "No links to propose."


def test_kidney_alone_names_no_tcga_collection():
    text = "Papillary renal cell carcinoma of the kidney in TCGA"
    assert set(datasets.find([("title", text)], datasets.collections())) == {"TCGA-KIRP"}
    assert datasets.find([("title", "Kidney cancer in TCGA")], datasets.collections()) == {}


def test_a_paper_shows_its_datasets_among_its_fields(seed_db):
    run(seed_db, "dataset", "link", "--auto", "--accept")
    lines = run(seed_db, "show", NICOLASJILWAN).stdout.splitlines()
    labels = [line.split("  ")[0].strip() for line in lines]
    assert labels.index("datasets") < labels.index("updated")
    assert lines[labels.index("datasets")].endswith(
        "TCGA-GBM (auto: title: 'TCGA' and 'glioblastoma')"
    )


def test_dataset_show_gives_the_collections_page_on_tcia(seed_db):
    run(seed_db, "dataset", "add", "TCGA-GBM")
    shown = run(seed_db, "dataset", "show", "TCGA-GBM").stdout
    assert "modalities:   SM\n" in shown
    (tcia,) = [line for line in shown.splitlines() if line.startswith("on TCIA:")]
    assert "https://doi.org/10.7937/k9/tcia.2016.rnyfuye9" in tcia


def test_loading_the_dataset_modules_compiles_and_imports_nothing_more():
    code = (
        "import functools, pathlib, re, sys, igbib.ids, igbib.errors, igbib.ops.edit\n"
        "before = len(re._cache) if hasattr(re, '_cache') else len(re._cache2)\n"
        "import igbib.datasets, igbib.ops.datasets\n"
        "after = len(re._cache) if hasattr(re, '_cache') else len(re._cache2)\n"
        "assert after == before, (before, after)\n"
        "assert 'difflib' not in sys.modules\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
