"""igbib.ops.add and ingest_papers on a library, against recorded service answers."""

import re

import pytest
from conftest import FIXTURES, NCBI, SEED, _file

from igbib.config import load_settings
from igbib.http import Http
from igbib.importers import parse_file
from igbib.importers.markdown import parse_markdown
from igbib.ops.add import add
from igbib.ops.ingest import import_parsed, ingest_papers
from igbib.sources.pubmed import parse_efetch
from igbib.store import Library

SCIENCE_2008 = NCBI / "hawc_TestPubMedSearch.test_standard_query.i1.body.xml"
VARAMBALLY_DOI = "10.1126/science.1165395"  # PMID 19008416


@pytest.fixture
def http(services):
    with Http(load_settings(), cache=False) as client:
        yield client


@pytest.fixture
def dois_in_pubmed(services, monkeypatch):
    """PubMed finds the Science 2008 papers by their DOIs (its recorded search answer)."""
    monkeypatch.setenv("IGBIB_EFETCH_BATCH", "3")  # the efetch recordings hold 3 papers each

    def handle(request):
        if request.path == "/eutils/esearch.fcgi" and "[doi]" in request.values.get("term", ""):
            return _file(SCIENCE_2008, "text/xml")
        return services.handle(request)

    services.server.clear_all_handlers()
    services.server.expect_request(re.compile(".*")).respond_with_handler(handle)
    return services


@pytest.fixture
def library(db_path):
    with Library.open(db_path, write=True) as library:
        yield library


def statuses(report):
    return [(row.ref, row.status) for row in report.rows]


def test_add_reports_each_identifier_in_the_order_given(library, http):
    report = add(library, http, ["19008416", "not-an-id", "10.1371/notarealdoi"])
    assert statuses(report) == [
        ("19008416", "added"),
        ("not-an-id", "invalid"),
        ("10.1371/notarealdoi", "not found"),
    ]
    assert report.problems == 2 and report.requests >= 3
    added = report.rows[0]
    assert library.get(added.paper_id).pmid == "19008416"
    assert added.citekey == "varambally2008genomic" and added.title.startswith("Genomic loss")
    again = add(library, http, ["https://pubmed.ncbi.nlm.nih.gov/19008416/"], tags=("mirna",))
    assert statuses(again) == [("https://pubmed.ncbi.nlm.nih.gov/19008416/", "already present")]
    assert again.requests == 0 and library.get(added.paper_id).tags == ["mirna"]
    assert statuses(add(library, http, ["19008416"], update=True)) == [("19008416", "unchanged")]


def test_two_identifiers_of_one_paper_add_it_once(dois_in_pubmed, library, http):
    report = add(library, http, ["19008416", VARAMBALLY_DOI])
    assert statuses(report) == [("19008416", "added"), (VARAMBALLY_DOI, "merged")]
    assert report.rows[0].paper_id == report.rows[1].paper_id
    assert library.count() == 1 and len(report.added) == 1


def test_add_does_not_read_every_stored_paper(seed_library, http, monkeypatch):
    def everything(self):
        raise AssertionError("add read every stored paper to match one")

    monkeypatch.setattr(Library, "match_rows", everything)
    report = add(seed_library, http, ["19008416"])
    assert statuses(report) == [("19008416", "added")]
    assert seed_library.count() == 53


def test_an_unlinked_listed_paper_is_found_by_its_title(library, http):
    listing = (
        "## Glioma\n* Varambally et al., [Genomic loss of microRNA-101 leads to overexpression"
        " of histone methyltransferase EZH2 in cancer](), *Science*, 2008\n"
    )
    import_parsed(library, parse_markdown(listing), "list.md")
    report = add(library, http, ["19008416"])
    (row,) = report.rows
    assert row.status == "updated" and row.citekey == "varambally2008genomic"
    assert "pmid" in row.fields and row.detail == ", ".join(row.fields)
    assert library.count() == 1
    assert not any(f["code"] == "no-link" for f in library.get(row.paper_id).flags)


def fetched_papers():
    return parse_efetch((NCBI / "hawc_TestPubMedFetch.test_multiquery.i0.body.xml").read_bytes())


def test_ingest_papers_takes_papers_and_what_each_was_asked_as(library):
    papers = fetched_papers()
    refs = [f"PMID {p.pmid}" for p in papers]
    report = ingest_papers(library, papers, refs=refs, section="Breast", tags=("mirna",))
    assert statuses(report)[:3] == [(ref, "added") for ref in refs]
    assert [row.line for row in report.rows] == [None] * len(report.rows)
    assert [s["name"] for s in library.sections()] == ["Breast"]
    again = ingest_papers(library, fetched_papers(), refs=refs)
    assert statuses(again) == [(ref, "unchanged") for ref in refs]
    assert library.count() == 3


def test_a_dry_run_ingest_writes_nothing(library):
    report = ingest_papers(library, fetched_papers(), dry_run=True)
    assert len(report.added) == 3 and report.dry_run
    assert library.count() == 0


def test_an_edited_list_and_a_bib_file_match_the_stored_papers(seed_db):
    """Stored papers found by lookup: one changed entry is an update, the rest unchanged."""
    text = SEED.read_text().replace("*Neuro-Oncology*, 201\n", "*Neuro-Oncology*, 2016\n")
    with Library.open(seed_db, write=True) as library:
        parsed = parse_markdown(text)
        report = import_parsed(library, parsed, "edited", dry_run=True)
        assert (len(report.added), len(report.updated), len(report.unchanged)) == (0, 1, 51)
        assert len(report.merged) == 0 and len(report.conflicts) == 0
        bib = parse_file(FIXTURES / "cdl-sample.bib")
        report = import_parsed(library, bib, "cdl", dry_run=True)
        assert len(report.added) == 54
