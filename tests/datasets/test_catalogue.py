"""The bundled catalogue: made by scripts/build_catalogue.py from the real IDC collection
index, never drifting from it, and holding the facts domain research checked in it."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import subprocess
import sys

import pytest
from conftest import FIXTURES, ROOT

from igbib import datasets

PARQUET = FIXTURES / "tcia" / "idc-index-data-25.0.5_collections_index.parquet"
SCRIPT = ROOT / "scripts" / "build_catalogue.py"


def _script():
    spec = importlib.util.spec_from_file_location("build_catalogue", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def by_key() -> dict:
    return {c["key"]: c for c in datasets.collections()}


def test_the_shipped_catalogue_is_exactly_what_the_script_makes_of_the_index():
    pytest.importorskip("pyarrow")
    made = _script().build(PARQUET)
    assert datasets.CATALOGUE.read_text(encoding="utf-8") == made


def test_the_script_checks_without_writing(tmp_path):
    pytest.importorskip("pyarrow")
    out = tmp_path / "datasets.json"
    stale = subprocess.run(
        [sys.executable, SCRIPT, PARQUET, "-o", out, "--check"], capture_output=True, text=True
    )
    assert stale.returncode == 1 and not out.exists()
    made = subprocess.run([sys.executable, SCRIPT, PARQUET, "-o", out], capture_output=True)
    assert made.returncode == 0 and out.read_bytes() == datasets.CATALOGUE.read_bytes()


def test_the_header_names_its_source_and_the_file_stays_small():
    source = datasets.catalogue()["source"]
    assert source["sha256"] == hashlib.sha256(PARQUET.read_bytes()).hexdigest()
    assert source["sha256"].startswith("af3d6464")  # the index SOURCES.md describes
    assert source["idc_release"] == "v25" and source["idc_index_data"].startswith("25.0.5")
    assert "MIT" in source["licence"]
    assert datasets.CATALOGUE.stat().st_size < 200_000


def test_every_collection_of_the_index_with_lower_cased_dois():
    collections = datasets.collections()
    assert len(collections) == 179
    assert sum(c["genomics"] for c in collections) == 40  # "40 collections list Genomics"
    for collection in collections:
        assert all(doi == doi.lower() and doi.startswith("10.") for doi in collection["dois"])


def test_tcga_gbm_and_lgg_have_their_tcia_only_mr_dois_from_the_description():
    found = by_key()
    gbm, lgg = found["TCGA-GBM"], found["TCGA-LGG"]
    assert gbm["tcia_dois"] == ["10.7937/k9/tcia.2016.rnyfuye9"]
    assert lgg["tcia_dois"] == ["10.7937/k9/tcia.2016.l4ltd3tk"]
    # IDC hosts only their slide microscopy; the radiology DOI comes first and is the link
    assert gbm["modalities"] == ["SM"] and gbm["dois"][1] == "10.5281/zenodo.12690010"
    assert gbm["url"] == "https://doi.org/10.7937/k9/tcia.2016.rnyfuye9"
    assert lgg["restricted"] and not gbm["restricted"]
    # DOIs compare without regard to case: TCIA prints them upper-case
    assert datasets.lookup("10.7937/K9/TCIA.2016.RNYFUYE9")["key"] == "TCGA-GBM"
    assert datasets.lookup("https://doi.org/10.7937/K9/TCIA.2016.L4LTD3TK")["key"] == "TCGA-LGG"


@pytest.mark.parametrize(
    "key, cancer_type, subjects, modalities, licences",
    [  # rows of the table in domain research §3.3, drawn from the same index
        (
            "NSCLC Radiogenomics",
            "Non-small Cell Lung Cancer",
            211,
            ["CT", "PT", "SEG"],
            ["CC BY 3.0"],
        ),
        ("TCGA-BRCA", "Breast Cancer", 1098, ["MG", "MR", "SM"], ["CC BY 3.0"]),
        (
            "TCGA-KIRC",
            "Kidney Renal Clear Cell Carcinoma",
            537,
            ["CR", "CT", "MR", "SM"],
            ["CC BY 3.0"],
        ),
        ("Duke-Breast-Cancer-MRI", "Breast Cancer", 922, ["MR", "SEG"], ["CC BY-NC 4.0"]),
        ("UPENN-GBM", "Glioblastoma", 630, ["MR"], ["CC BY 4.0"]),
    ],
)
def test_facts_of_collections_that_matter_to_radiogenomics(
    key, cancer_type, subjects, modalities, licences
):
    collection = by_key()[key]
    assert (collection["cancer_type"], collection["subjects"]) == (cancer_type, subjects)
    assert collection["modalities"] == modalities and collection["licences"] == licences


def test_analysis_results_are_not_a_collections_dois():
    # BAMF's AIMI segmentations cover NSCLC Radiogenomics and TCGA-LUAD: not theirs
    assert "10.5281/zenodo.8345959" not in by_key()["TCGA-LUAD"]["dois"]
    assert by_key()["TCGA-LUAD"]["dois"] == [
        "10.7937/k9/tcia.2016.jgnihep5",
        "10.5281/zenodo.12689915",
    ]


def test_names_are_found_in_any_spelling_but_never_two_collections_share_one():
    assert datasets.lookup("tcga gbm")["key"] == "TCGA-GBM"
    assert datasets.lookup("NSCLC-Radiogenomics")["key"] == "NSCLC Radiogenomics"
    assert datasets.lookup("tcga_luad")["key"] == "TCGA-LUAD"  # the collection id
    assert datasets.lookup("REMBRANDT") is None  # not in the IDC index
    owners: dict[str, set[str]] = {}
    for c in datasets.collections():
        for name in (*datasets.spellings(c), c["collection_id"]):
            owners.setdefault(datasets.fold_name(name), set()).add(c["key"])  # the one rule
    assert {name: keys for name, keys in owners.items() if len(keys) > 1} == {}
    for c in datasets.collections():
        for name in (*datasets.spellings(c), c["collection_id"], *c["dois"]):
            assert datasets.lookup(name) is c, name


def test_reading_the_catalogue_needs_no_parquet_reader():
    code = (
        "import sys, igbib.datasets as d; assert len(d.collections()) == 179;"
        " assert not {'pyarrow', 'pandas', 'duckdb', 'polars'} & set(sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
    json.loads(datasets.CATALOGUE.read_text(encoding="utf-8"))
