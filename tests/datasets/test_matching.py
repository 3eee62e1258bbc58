"""Finding the datasets a paper's text names: real titles of the seed list, DOIs in any
case, and the ordinary words that must not be taken for a collection."""

from __future__ import annotations

import pytest
from conftest import SEED

from igbib import datasets
from igbib.importers import parse_file


def find(text: str, field: str = "abstract") -> dict[str, list[str]]:
    return datasets.find([(field, text)], datasets.collections())


@pytest.fixture(scope="module")
def seed_titles() -> dict[str, str]:
    return {e.paper.title: e.paper.title for e in parse_file(SEED).entries}


def test_the_seed_titles_name_two_collections_and_nothing_else(seed_titles):
    found = {title: named for title in seed_titles if (named := find(title, "title"))}
    by_dataset = {key: title for title, named in found.items() for key in named}
    assert set(by_dataset) == {"TCGA-GBM", "TCGA-KIRC"}
    assert "glioblastoma survival prediction in TCGA patients" in by_dataset["TCGA-GBM"]
    assert "(TCGA-RCC) Imaging Research Group" in by_dataset["TCGA-KIRC"]
    (evidence,) = found[by_dataset["TCGA-KIRC"]]["TCGA-KIRC"]
    assert evidence == "title: 'The Cancer Genome Atlas' and 'clear cell renal'"


def test_a_site_that_could_be_several_collections_proposes_none(seed_titles):
    colen = next(
        t for t in seed_titles if t.startswith("TCGA Glioma Phenotype Research Group. Imaging")
    )
    assert find(colen, "title") == {}  # "glioma": TCGA-GBM or TCGA-LGG
    assert find("Lung cancer radiogenomics in TCGA") == {}  # LUAD or LUSC


def test_dois_in_any_case_and_names_in_any_spelling():
    found = find("MR images (doi:10.7937/K9/TCIA.2016.RNYFUYE9). Also tcga lgg and ISPY1.")
    assert found["TCGA-GBM"] == ["abstract: DOI 10.7937/k9/tcia.2016.rnyfuye9"]
    assert found["TCGA-LGG"] == ["abstract: 'tcga lgg'"]
    assert found["ISPY1"] == ["abstract: 'ISPY1'"]
    found = find("the Cancer Genome Atlas lower-grade glioma cohort; TCGA breast cancer")
    assert set(found) == {"TCGA-LGG", "TCGA-BRCA"}


@pytest.mark.parametrize(
    "text",
    [
        "Radiomics of pancreas CT and prostate MRI in a soft-tissue sarcoma cohort.",
        "NSCLC radiomics with 4D lung CT and CT colonography; lung phantom scans.",
        "We catch the remind of a victre phantom.",  # CATCH, ReMIND, VICTRE only as written
        "TCGA-like pipelines were tuned on institutional data.",
        "Breast cancer imaging from the Cancer Imaging Archive.",  # TCIA holds many
        "doi:10.7937/k9/tcia.2016.jgnihep5x",  # not the DOI, a longer one
    ],
)
def test_ordinary_words_are_not_collections(text):
    assert find(text) == {}


def test_a_curators_dataset_is_found_by_its_name_alias_and_doi():
    mine = {
        "name": "BraTS 2021",
        "aliases": ["RSNA-ASNR-MICCAI BraTS"],
        "dois": ["10.7303/syn25829067"],
    }
    assert datasets.find([("note", "Trained on BraTS 2021.")], [mine]) == {
        "BraTS 2021": ["note: 'BraTS 2021'"]
    }
    assert set(datasets.find([("abstract", "see 10.7303/SYN25829067")], [mine])) == {"BraTS 2021"}


def test_the_facts_line_reads_back_as_the_facts_it_says():
    """For every collection of the catalogue, as a heading's paragraph and as an item."""
    from igbib.exporters.markdown import escape
    from igbib.ops.datasets import registry_values

    for collection in datasets.collections():
        values = registry_values(collection)
        line = datasets.facts_line({**values, "papers": 3})
        assert line.endswith("; linked papers: 3")
        back = datasets.parse_facts(line)
        assert back == datasets.parse_facts(f"  * {escape(line)}")
        for column in ("cancer_type", "modalities", "subjects", "licence"):
            said = values[column]  # a value's own ";" is written ","
            said = said.replace(";", ",") if isinstance(said, str) else said
            assert back.get(column) == (said if said not in (None, []) else None), column
        assert back.get("genomics") == datasets.genomics_of(values)
    assert datasets.parse_facts("Cancer type: glioma; a sentence of prose") is None
