"""igbib.ops.refresh on a library, against recorded service answers."""

import pytest

from igbib.config import load_settings
from igbib.http import Http
from igbib.importers.markdown import parse_markdown
from igbib.model import Paper
from igbib.ops.ingest import import_parsed
from igbib.ops.refresh import best_identifier, refresh
from igbib.search import search
from igbib.store import Library

LIST = """\
## Glioma
* Varambally et al., [Genomic loss of microRNA-101 leads to overexpression of histone methyltransferase EZH2 in cancer](https://pubmed.ncbi.nlm.nih.gov/19008416/), *Science*, 2008
* Someone et al., [A different paper listed behind the wrong DOI](https://doi.org/10.1038/srep16696), *Sci Rep*, 2015
* Nobody et al., [An unlinked paper PubMed does not have](), *Journal*, 2020
"""
UNLINKED = (
    "## Glioma\n* Varambally et al., [Genomic loss of microRNA-101 leads to overexpression of"
    " histone methyltransferase EZH2 in cancer](), *Science*, 2008\n"
)


@pytest.fixture
def http(services):
    with Http(load_settings(), cache=False) as client:
        yield client


def listed(db_path, text):
    library = Library.open(db_path, write=True)
    import_parsed(library, parse_markdown(text), "list.md")
    return library


def by_key(report):
    return {row.citekey: row for row in report.rows}


def test_refresh_fills_gaps_and_flags_wrong_links(db_path, http):
    with listed(db_path, LIST) as library:
        report = refresh(library, http, search(library, "", sort="section"))
        rows = by_key(report)
        assert [r.status for r in report.rows] == ["updated", "wrong link?", "no identifier"]
        assert rows["varambally2008genomic"].ref == "PMID 19008416"
        assert {"doi", "pmcid", "authors"} <= set(rows["varambally2008genomic"].fields)
        assert rows["someone2015different"].detail.startswith("DOI 10.1038/srep16696 is “")
        assert rows["nobody2020unlinked"].detail == "PubMed has no paper with this title"
        assert report.problems == 0 and report.requests > 0
        paper = library.resolve("varambally2008genomic")
        assert len(paper.authors) == 20 and not paper.et_al and paper.source == "pubmed"
        assert paper.journal == "Science"  # the list's value is kept
        wrong = library.resolve("someone2015different")
        assert [f["code"] for f in wrong.flags] == ["title-mismatch"]
        assert wrong.title == "A different paper listed behind the wrong DOI"


def test_a_dry_run_refresh_reports_and_writes_nothing(db_path, http):
    with listed(db_path, LIST) as library:
        before = [p.to_dict() for p in search(library, "")]
        report = refresh(library, http, search(library, ""), dry_run=True)
        assert report.dry_run and "wrong link?" in report.counts()
        assert [p.to_dict() for p in search(library, "")] == before


def test_a_fixed_link_clears_the_title_mismatch_flag(db_path, http):
    with listed(db_path, LIST) as library:
        refresh(library, http, search(library, "key:someone2015different"))
        wrong = library.resolve("someone2015different")
        title = (
            "Single-molecule FRET studies on alpha-synuclein oligomerization of Parkinson's"
            " disease genetically related mutants"
        )  # what the DOI names: the listing is corrected
        with library.transaction():
            library.update_paper(wrong.id, {"title": title})
        report = refresh(library, http, [library.get(wrong.id)])
        assert report.rows[0].status in ("updated", "complete")
        assert library.get(wrong.id).flags == []


def test_unlinked_papers_get_candidates_and_accept_attaches_one(db_path, http, monkeypatch):
    monkeypatch.setenv("IGBIB_EFETCH_BATCH", "3")
    with listed(db_path, UNLINKED) as library, Http(load_settings(), cache=False) as client:
        (offered,) = refresh(library, client, search(library, "")).rows
        assert offered.status == "candidates" and offered.ref == f"id {offered.paper_id}"
        assert "PMID 19008416" in offered.detail and "--accept" in offered.detail
        assert library.get(offered.paper_id).pmid is None
        (attached,) = refresh(library, client, search(library, ""), accept=True).rows
        assert (attached.status, attached.detail) == ("attached", "PMID 19008416")
        paper = library.get(attached.paper_id)
        assert paper.pmid == "19008416" and paper.source == "pubmed"
        assert not any(f["code"] == "no-link" for f in paper.flags)


def test_the_identifier_to_fetch_by_is_the_first_known():
    paper = Paper(doi="10.1/x", arxiv="1902.00001", pmcid="PMC1")
    assert best_identifier(paper) == ("pmcid", "PMC1")
    paper.pmid = "1"
    assert best_identifier(paper) == ("pmid", "1")
    assert best_identifier(Paper(url="https://example.org")) is None
