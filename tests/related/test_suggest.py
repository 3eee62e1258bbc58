"""igbib suggest: ranked by how many library papers point to a paper, without what the
library holds, what waits in the queue and what was excluded; against recorded elink
answers (one seed paper a request: the recordings each answer one PMID)."""

from __future__ import annotations

import json

import pytest
from conftest import digest, igbib, one_line_error
from related.conftest import library_of
from related.test_related import LIST

from igbib.importers.markdown import parse_markdown
from igbib.ops.ingest import import_parsed
from igbib.store import Library


@pytest.fixture
def library_db(db_path):
    return library_of(db_path, LIST)


def suggested(db, *args):
    result = igbib("--db", db, "suggest", "pmid:12242737", *args, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_suggestions_are_ranked_and_cost_one_elink_and_one_efetch(library_db, links):
    data = suggested(library_db, "--limit", "5")
    assert data["sources"] == 1 and data["requests"] == 2
    assert [s["pmid"] for s in data["suggestions"]] == [
        "15278705",  # similar and citing: two kinds of link first
        "38997184",
        "37474462",
        "36642882",
        "33097552",
    ]
    assert data["suggestions"][0]["kinds"] == ["similar", "cited-by"]
    assert data["suggestions"][0]["from"] == ["bob2002lonely"]
    assert [r.path for r in links.requests("/eutils/")] == [
        "/eutils/elink.fcgi",
        "/eutils/efetch.fcgi",
    ]
    # PubMed's efetch stand-in has no record of these: said, not hidden
    assert set(data["not_fetched"]) == {s["pmid"] for s in data["suggestions"]}


def test_excluded_papers_are_never_suggested_again(library_db, links):
    first = suggested(library_db, "--limit", "3", "--queue")
    assert len(first["queued"]) == 3
    top = first["suggestions"][0]["pmid"]
    assert igbib("--db", library_db, "screen", top, "--exclude", "off-topic").returncode == 0
    again = suggested(library_db, "--limit", "3")
    shown = [s["pmid"] for s in again["suggestions"]]
    assert top not in shown
    assert again["excluded_left_out"] == 1 and again["queued_left_out"] == 2
    prisma = json.loads(igbib("--db", library_db, "prisma", "--json").stdout)
    assert prisma["citations_results"] == 3 and prisma["other_sought_reports"] == 1


def test_suggest_refuses_in_one_line(library_db, links):
    before = digest(library_db)
    for args, code, start in [
        (["--queue", "--add"], 2, "error: give --queue"),
        (["--section", "S"], 2, "error: --section goes with --add"),
        (["--kind", "friends"], 2, "error: unknown --kind"),
    ]:
        result = igbib("--db", library_db, "suggest", *args)
        assert one_line_error(result, code).startswith(start), result.stderr
    nothing = igbib("--db", library_db, "suggest", "author:nobody")
    assert one_line_error(nothing).startswith("error: no paper matches")
    assert digest(library_db) == before


def test_the_shipped_library_is_asked_about_in_one_request(seed_db, links):
    """Its 44 papers with a PMID (43 distinct) go as 43 ids of one elink request. The
    recordings hold no answer for them, so the stand-in refuses it: one line, exit 4."""
    result = igbib("--db", seed_db, "suggest")
    assert one_line_error(result, 4).startswith("error: PubMed")
    (request,) = links.requests("/eutils/elink")
    ids = request.args.getlist("id")
    assert len(ids) == len(set(ids)) == 43


def test_excluded_papers_go_to_semantic_scholar_as_negatives(db_path, links, monkeypatch, tmp_path):
    """Semantic Scholar takes examples of what is not wanted: the excluded candidates'
    PMIDs and DOIs go as negativePaperIds, in the one recommendations request."""
    from related.test_sources import LIST as LINKED

    with Library.open(db_path, write=True) as library:
        import_parsed(library, parse_markdown(LINKED), "list.md")
    monkeypatch.setenv("S2_API_KEY", "s2-key-for-tests")
    decisions = tmp_path / "no.csv"
    decisions.write_text(
        "pmid,doi,label_included,exclusion_reason\n111,,0,off-topic\n,10.1000/x,0,\n"
    )
    assert igbib("--db", db_path, "screen", "--import", decisions, "--no-fetch").returncode == 0
    result = igbib("--db", db_path, "suggest", "--kind", "recommended", "--json")
    assert result.returncode == 0, result.stderr
    (ask,) = links.requests("/s2/recommendations")
    body = json.loads(ask.data)
    assert body["negativePaperIds"] == ["PMID:111", "DOI:10.1000/x"]
    assert body["positivePaperIds"][:3] == ["PMID:17183658", "PMID:9298984", "PMID:12242737"]
    data = json.loads(result.stdout)
    assert data["services"] == ["s2"] and data["requests_by_service"] == {"s2": 1}
