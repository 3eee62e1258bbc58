"""igbib.ops.pubmed: a PubMed search marked against the library, and its papers added."""

import pytest

from igbib.config import load_settings
from igbib.http import Http
from igbib.ops.pubmed import add_found, search

QUERY = "science[journal] AND breast cancer AND 2008[pdat]"


@pytest.fixture
def http(services, monkeypatch):
    monkeypatch.setenv("IGBIB_EFETCH_BATCH", "3")
    with Http(load_settings(), cache=False) as client:
        yield client


def test_results_are_marked_and_new_ones_added(seed_library, http):
    total, found = search(seed_library, http, QUERY, limit=6)
    assert total == 6 and [known for _, known in found] == [None] * 6
    pmids = [paper.pmid for paper, _ in found]
    assert pmids[0] == "19008416"  # PubMed's order
    report = add_found(seed_library, [p for p, _ in found], section="Breast", tags=("mirna",))
    assert [(r.ref, r.status) for r in report.rows] == [(f"PMID {p}", "added") for p in pmids]
    assert all(r.paper_id for r in report.rows) and report.problems == 0
    _total, again = search(seed_library, http, QUERY, limit=6)
    assert [known for _, known in again] == [r.paper_id for r in report.rows]
    assert seed_library.count() == 52 + 6
    assert seed_library.resolve("19008416").tags == ["mirna"]


def test_a_paper_stored_already_is_reported_unchanged_not_updated(seed_library, http):
    _total, found = search(seed_library, http, QUERY, limit=6)
    papers = [paper for paper, _ in found]
    add_found(seed_library, papers[:2])
    report = add_found(seed_library, papers[:3])
    assert [row.status for row in report.rows] == ["unchanged", "unchanged", "added"]
