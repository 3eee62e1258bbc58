"""igbib related: PubMed's links to library papers, against recorded elink answers."""

from __future__ import annotations

import json

import pytest
from conftest import FIXTURES, digest, igbib, one_line_error
from related.conftest import library_of

from igbib.sources.elink import BATCH, parse_elink, requests_needed

ELINK = FIXTURES / "elink"
LIST = """\
## Links
* Ann et al., [A paper with elink answers of 2026 and 2008](https://pubmed.ncbi.nlm.nih.gov/9298984/), *J*, 1997
* Bob et al., [A lonely paper answered under a term filter](https://pubmed.ncbi.nlm.nih.gov/12242737/), *J*, 2002
* Cy et al., [The first of two merged papers](https://pubmed.ncbi.nlm.nih.gov/11812492/), *J*, 2002
* Di et al., [The second of two merged papers](https://pubmed.ncbi.nlm.nih.gov/11774222/), *J*, 2001
* Ed et al., [A paper similar to the first](https://pubmed.ncbi.nlm.nih.gov/8794856/), *J*, 1996
* Fay et al., [A lonely paper without any identifier](), *J*, 2020
"""


@pytest.fixture
def library_db(db_path):
    return library_of(db_path, LIST)


def rows(stdout: str) -> list[list[str]]:
    return [line.split() for line in stdout.splitlines()[1:]]


# -- the parser, on the recorded shapes -------------------------------------------


def test_the_2008_answer_gives_scores_and_the_2026_one_none():
    (old,) = parse_elink((ELINK / "biopython_elink1_2008_scores.xml").read_bytes())
    assert old.sources == ["9298984"] and not old.merged
    assert old.links[:2] == [("9298984", "similar", 2147483647), ("8794856", "similar", 65259341)]
    assert len(old.links) == 144
    (new,) = parse_elink((ELINK / "biopython_elink1.xml").read_bytes())
    kinds = {kind for _, kind, _ in new.links}
    assert kinds == {"similar", "cited-by", "references"}  # _combined, _five, ... are not kept
    assert all(score is None for _, _, score in new.links)


def test_ids_sent_as_one_comma_list_come_back_merged():
    (merged,) = parse_elink((ELINK / "biopython_elink3.xml").read_bytes())
    assert merged.sources == ["11812492", "11774222"] and merged.merged
    assert sum(1 for _, kind, _ in merged.links if kind == "cited-by") == 3


def test_an_answer_that_is_no_elink_result_is_refused():
    from igbib.errors import SourceError

    with pytest.raises(SourceError, match="not an elink result"):
        parse_elink((FIXTURES / "ncbi" / "biopython_esearch8.xml").read_bytes())


def test_requests_are_one_per_batch():
    assert requests_needed(1) == 1 and requests_needed(44) == 1
    assert requests_needed(BATCH + 1) == 2


# -- the command ------------------------------------------------------------------


def test_one_paper_sends_its_pmid_as_its_own_id(library_db, links):
    result = igbib("related", "9298984", "--db", library_db)
    assert result.returncode == 0, result
    (asked,) = links.requests("/eutils/elink.fcgi")
    assert asked.args.getlist("id") == ["9298984"]
    assert asked.args["dbfrom"] == "pubmed" and asked.args["db"] == "pubmed"
    assert "(1 elink request)" in result.stderr
    table = rows(result.stdout)
    assert len(table) == 20  # --limit 20 by default
    pmids = [r[1] for r in table]
    assert "9298984" not in pmids  # the paper itself is no suggestion
    assert "8794856" not in pmids  # already in the library: left out, and said
    assert "in the library already" in result.stderr


def test_papers_already_in_the_library_are_marked_on_request(library_db, links):
    result = igbib("related", "9298984", "--in-library", "--limit", "200", "--db", library_db)
    line = next(x for x in result.stdout.splitlines() if " 8794856 " in x)
    assert "(in library: ed1996paper)" in line


def test_one_kind_asks_for_its_scores_and_ranks_by_them(library_db, links):
    result = igbib("related", "9298984", "--kind", "similar", "--json", "--db", library_db)
    assert result.returncode == 0, result
    (asked,) = links.requests("/eutils/elink.fcgi")
    assert asked.args["cmd"] == "neighbor_score" and asked.args["linkname"] == "pubmed_pubmed"
    found = json.loads(result.stdout)["candidates"]
    scores = [c["score"] for c in found]
    assert scores == sorted(scores, reverse=True) and scores[0] == 60347327
    assert found[0]["pmid"] == "9700164" and found[0]["sources"] == {"9298984": ["similar"]}


def test_cited_by_alone(library_db, links):
    result = igbib("related", "12242737", "--kind", "cited-by", "--json", "--db", library_db)
    (asked,) = links.requests("/eutils/elink.fcgi")
    assert asked.args["linkname"] == "pubmed_pubmed_citedin"
    found = json.loads(result.stdout)["candidates"]
    assert len(found) == 6 and all(c["kinds"] == ["cited-by"] for c in found)


def test_a_search_asks_for_each_paper_and_says_which_have_no_pmid(library_db, links):
    result = igbib("related", "merged", "--json", "--db", library_db)
    (asked,) = links.requests("/eutils/elink.fcgi")
    assert asked.args.getlist("id") == ["11812492", "11774222"]
    answer = json.loads(result.stdout)
    assert answer["merged"] and answer["requests"] == 1
    first = answer["candidates"][0]
    assert first["count"] == 2 and first["merged"]  # credited to both: PubMed did not say which
    result = igbib("related", "lonely", "--kind", "cited-by", "--db", library_db)
    assert "no PMID, not asked to PubMed: fay2020lonely" in result.stderr


def test_a_paper_without_pmid_is_one_line(library_db, links):
    before = digest(library_db)
    line = one_line_error(igbib("related", "fay2020lonely", "--db", library_db))
    assert "no PMID" in line and "fay2020lonely" in line
    assert not links.requests("/eutils/") and digest(library_db) == before


def test_an_unknown_ref_is_one_line(library_db, links):
    line = one_line_error(igbib("related", "nobody2030nothing", "--db", library_db))
    assert "'nobody2030nothing'" in line


def test_an_unknown_kind_is_a_usage_error(library_db, links):
    line = one_line_error(igbib("related", "1", "--kind", "siblings", "--db", library_db), 2)
    assert "'siblings'" in line


def test_the_service_down_is_one_line_and_changes_nothing(library_db, links):
    before = digest(library_db)
    links.fail("/eutils/", *[503] * 8)
    line = one_line_error(igbib("related", "9298984", "--add", "--db", library_db), code=4)
    assert "503" in line
    assert digest(library_db) == before


def test_add_fetches_the_papers_shown(library_db, links):
    result = igbib(
        "related", "12242737", "--kind", "cited-by", "--limit", "2", "--add", "--db", library_db
    )
    (fetch,) = links.requests("/eutils/efetch.fcgi")
    shown = [r[1] for r in rows(result.stdout.split("\n\n")[0])][:2]
    assert len(shown) == 2
    assert sorted(fetch.args["id"].split(",")) == sorted(shown)
    # no efetch recording holds these PMIDs: the local server answers an empty set
    assert result.returncode == 1 and "not found" in result.stdout + result.stderr


def test_a_paper_linked_in_two_ways_comes_before_those_linked_in_one(library_db, links):
    result = igbib("related", "12242737", "--json", "--db", library_db)
    found = json.loads(result.stdout)["candidates"]
    both = [c["pmid"] for c in found if c["kinds"] == ["similar", "cited-by"]]
    assert both and [c["pmid"] for c in found[: len(both)]] == both


def test_an_answer_with_an_empty_error_body_ends_without_a_dangling_colon(tmp_path):
    """An HTTP error with no body is named by its status alone."""
    from igbib.sources.pubmed import _check

    class Answer:
        status_code = 404
        text = ""

    class Client:
        class settings:
            @staticmethod
            def secrets():
                return []

    from igbib.errors import SourceError

    try:
        _check(Client, Answer, "elink")
    except SourceError as err:
        assert str(err) == "PubMed elink answered HTTP 404"
    else:
        raise AssertionError("no error")
