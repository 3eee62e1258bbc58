"""igbib.sources.resolve: identifiers to records, against recorded service answers."""

import pytest

from igbib.config import load_settings
from igbib.errors import SourceError
from igbib.http import Http
from igbib.sources.resolve import resolve


@pytest.fixture
def http(services):
    with Http(load_settings(), cache=False) as client:
        yield client


def wanted(*items):
    return [(text, kind, value) for text, kind, value in items]


def test_pmids_are_fetched_together_in_the_order_asked(http, services):
    outcomes = resolve(
        http,
        wanted(("18787170", "pmid", "18787170"), ("PMID 19008416", "pmid", "19008416")),
    )
    assert [(o.text, o.status, o.paper.pmid) for o in outcomes] == [
        ("18787170", "found", "18787170"),
        ("PMID 19008416", "found", "19008416"),
    ]
    assert len(services.requests("/eutils/efetch.fcgi")) == 1
    assert outcomes[1].label == "PMID 19008416"


def test_a_doi_pubmed_lacks_goes_to_crossref_then_doi_org(http, services):
    crossref, missing = resolve(
        http,
        wanted(
            ("10.1038/srep16696", "doi", "10.1038/srep16696"),
            ("10.1371/notarealdoi", "doi", "10.1371/notarealdoi"),
        ),
    )
    assert crossref.status == "found" and crossref.paper.source == "crossref"
    assert missing.status == "not found" and "neither Crossref nor doi.org" in missing.reason
    assert len(services.requests("/eutils/esearch.fcgi")) == 1  # both DOIs in one search


def test_an_arxiv_id_is_asked_of_doi_org_only(http, services):
    (outcome,) = resolve(http, wanted(("arXiv:1902.00001", "arxiv", "1902.00001")))
    assert outcome.status == "not found" and outcome.label == "arXiv id 1902.00001"
    assert services.requests("/crossref/") == [] and services.requests("/eutils/") == []
    assert len(services.requests("/doi/10.48550/arxiv.1902.00001")) == 1


def test_a_failing_service_fails_only_the_ids_that_need_it(http, services):
    services.fail("/idconv/", 500, 500, 500, 500, 500)
    pmcid, pmid = resolve(
        http, wanted(("PMC4141648", "pmcid", "PMC4141648"), ("19008416", "pmid", "19008416"))
    )
    assert pmcid.status == "failed" and "PMC ID converter answered HTTP 500" in pmcid.reason
    assert pmid.status == "found"


def test_when_every_service_fails_the_first_failure_is_raised(http, services):
    services.fail("/eutils/", *[500] * 10)
    with pytest.raises(SourceError, match="HTTP 500"):
        resolve(http, wanted(("19008416", "pmid", "19008416")))


def test_progress_is_told_what_is_asked(http):
    said = []
    resolve(http, wanted(("19008416", "pmid", "19008416")), lambda *a: said.append(a))
    assert said[0] == ("fetching 1 records from PubMed", 0, 1) and said[-1] == ("done", 1, 1)
