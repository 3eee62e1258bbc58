"""igbib related with OpenAlex and Semantic Scholar, against their recorded answers."""

from __future__ import annotations

import json

import pytest
from conftest import FIXTURES, digest, igbib, one_line_error
from related.conftest import library_of

from igbib.errors import SourceError
from igbib.sources.openalex import parse_works
from igbib.sources.semanticscholar import parse_batch, parse_recommendations

OPENALEX = FIXTURES / "openalex"
S2 = FIXTURES / "semanticscholar"
ARTICLE = OPENALEX / "commonmeta_openalex_test_journal_article.body1.json"
ELIFE = OPENALEX / "commonmeta_openalex_test_doi_with_data_citation.body1.json"
OA_KEY = "oa-key-4f1c9e2b"
S2_KEY = "s2-key-8d7a6b5c"
LIST = """\
## Linked
* Tim et al., [Triose phosphate isomerase deficiency, linked](https://pubmed.ncbi.nlm.nih.gov/17183658/), *PLoS One*, 2006
* Ann et al., [A paper with elink answers, linked](https://pubmed.ncbi.nlm.nih.gov/9298984/), *J*, 1997
* Bob et al., [A lonely paper answered under a term filter, linked](https://pubmed.ncbi.nlm.nih.gov/12242737/), *J*, 2002
* Eve et al., [Vascular morphodynamics in a hypocotyl, linked](https://doi.org/10.7554/eLife.01567), *eLife*, 2014

## Other
* Ed et al., [A paper similar to the first](https://pubmed.ncbi.nlm.nih.gov/8794856/), *J*, 1996
"""


@pytest.fixture
def library_db(db_path):
    return library_of(db_path, LIST)


@pytest.fixture
def keys(monkeypatch):
    monkeypatch.setenv("OPENALEX_API_KEY", OA_KEY)
    monkeypatch.setenv("S2_API_KEY", S2_KEY)


def related_json(*args) -> tuple[dict, str]:
    result = igbib("related", *args, "--json")
    assert result.returncode == 0, result
    return json.loads(result.stdout), result.stderr


# -- the parsers, on the recorded shapes -------------------------------------------


def test_an_openalex_work_gives_its_ids_related_and_referenced_works():
    (work,) = parse_works(ARTICLE.read_bytes())
    assert (work.id, work.pmid, work.doi) == (
        "W1982728624",
        "17183658",
        "10.1371/journal.pone.0000030",
    )
    assert work.year == 2006 and work.title.startswith("Triose Phosphate Isomerase Deficiency")
    assert len(work.related) == 10 and work.related[0] == "W2067402940"
    assert len(work.references) == 76 and all(w.startswith("W") for w in work.references)


@pytest.mark.parametrize(
    "body",
    [
        (S2 / "s2py_test_get_recommended_papers_from_lists.body1.json").read_bytes(),
        (FIXTURES / "elink" / "biopython_elink1.xml").read_bytes(),
        (S2 / "s2py_test_get_papers_not_found_warning.body1.json").read_bytes(),
    ],
    ids=["another-service-json", "xml", "a-json-list"],
)
def test_an_openalex_answer_of_another_shape_is_one_line(body):
    with pytest.raises(SourceError) as caught:
        parse_works(body)
    assert str(caught.value).startswith("OpenAlex sent") and "\n" not in str(caught.value)


def test_semantic_scholar_recommendations_are_read_best_first():
    papers = parse_recommendations(
        (S2 / "s2py_test_get_recommended_papers_from_lists.body1.json").read_bytes()
    )
    assert len(papers) == 100
    assert papers[0].paper_id == "df02b0118f4d23c7dcdc7ef22b15bdd6302e8da2"
    assert papers[0].title == "The path sequence of a graph"
    assert papers[0].pmid is None and papers[0].doi is None  # asked with fields=title only


def test_a_semantic_scholar_batch_keeps_the_order_and_the_papers_not_found():
    body = (S2 / "s2py_test_get_papers_not_found_warning.body1.json").read_bytes()
    papers = parse_batch(body, 4)
    assert papers[0] is None
    assert papers[1].doi == "10.2139/ssrn.288970" and papers[1].paper_id.startswith("c31c87c5")
    with pytest.raises(SourceError, match="a batch of 2 papers with 4 entries"):
        parse_batch(body, 2)
    with pytest.raises(SourceError, match="not a list"):
        parse_batch((S2 / "s2py_test_not_found.body1.json").read_bytes(), 1)


def test_a_recommendations_answer_without_its_list_is_one_line():
    with pytest.raises(SourceError, match="without a recommendedPapers list"):
        parse_recommendations(ARTICLE.read_bytes())


# -- which services are asked -------------------------------------------------------


def test_without_keys_only_pubmed_is_asked(library_db, links):
    answer, stderr = related_json("linked", "--db", library_db)
    assert answer["services"] == ["pubmed"]
    assert not links.requests("/openalex/") and not links.requests("/s2/")
    assert answer["requests_by_service"] == {"pubmed": 1}
    assert "API key" not in stderr


def test_a_service_named_without_its_key_runs_and_says_so(library_db, links):
    answer, stderr = related_json("17183658", "--source", "openalex", "--db", library_db)
    assert answer["services"] == ["openalex"]
    assert not links.requests("/eutils/") and not links.requests("/s2/")
    assert "note: OpenAlex runs without an API key (OPENALEX_API_KEY) and may be limited" in stderr
    (single, *_) = links.requests("/openalex/")
    assert single.path == "/openalex/works/pmid:17183658" and "api_key" not in single.args
    assert single.args["select"] == "id,ids,doi,related_works,referenced_works"


def test_an_unknown_source_is_a_usage_error(library_db, links):
    line = one_line_error(igbib("related", "linked", "--source", "scopus", "--db", library_db), 2)
    assert "'scopus'" in line and "openalex" in line
    assert not links.server.log


def test_a_kind_no_service_asked_gives_is_a_usage_error(library_db, links):
    result = igbib("related", "linked", "--source", "s2", "--kind", "similar", "--db", library_db)
    line = one_line_error(result, 2)
    assert "similar" in line and "Semantic Scholar: recommended, references" in line
    assert not links.server.log


# -- merged results -----------------------------------------------------------------


def test_with_keys_every_service_is_asked_in_as_few_requests_as_it_allows(library_db, links, keys):
    answer, stderr = related_json("linked", "--limit", "500", "--db", library_db)
    assert answer["services"] == ["pubmed", "openalex", "s2"]
    assert answer["requests_by_service"] == {"pubmed": 1, "openalex": 4, "s2": 2}
    assert answer["requests"] == 7
    (elink,) = links.requests("/eutils/elink.fcgi")
    assert elink.args.getlist("id") == ["17183658", "9298984", "12242737"]
    batch, single, *named = links.requests("/openalex/")
    assert batch.args["filter"] == "ids.pmid:17183658|9298984|12242737"
    assert batch.args["per_page"] == "100" and batch.args["api_key"] == OA_KEY
    assert single.path == "/openalex/works/doi:10.7554/elife.01567"  # the DOI-only paper
    # 86 + 39 works found, named 100 a request
    assert [len(r.args["filter"].split("|")) for r in named] == [100, 25]
    assert named[0].args["select"] == "id,ids,doi,title,publication_year"
    recommend, references = links.requests("/s2/")
    assert recommend.headers["x-api-key"] == S2_KEY
    ids = ["PMID:17183658", "PMID:9298984", "PMID:12242737", "DOI:10.7554/elife.01567"]
    assert json.loads(recommend.data)["positivePaperIds"] == ids
    assert json.loads(references.data) == {"ids": ids}
    assert "references.externalIds" in references.args["fields"]
    # each service's papers not found are named
    assert "note: OpenAlex does not hold 9298984, 12242737" in stderr
    # the works found were not named by the answer served (see the fixtures' SOURCES.md)
    assert answer["unnamed_works"] == 125
    assert "note: OpenAlex did not name 125 of the works it links to" in stderr
    assert "note: Semantic Scholar does not hold 17183658" in stderr


def test_each_candidate_says_where_it_came_from(library_db, links, keys):
    answer, _ = related_json("linked", "--limit", "1000", "--db", library_db)
    found = answer["candidates"]
    by_service = {}
    for c in found:
        for name in c["found"]:
            by_service.setdefault(name, []).append(c)
    assert set(by_service) == {
        "similar (PubMed)",
        "cited-by (PubMed)",
        "references (PubMed)",
        "related (OpenAlex)",
        "references (OpenAlex)",
        "recommended (Semantic Scholar)",
    }
    related = by_service["related (OpenAlex)"]
    assert {c["openalex"] for c in related} >= {"W2067402940", "W2461588151"}
    assert all(c["id"] == "openalex:" + c["openalex"] for c in related)  # not named here
    # the DOI-only paper is credited by its DOI
    assert any("doi:10.7554/elife.01567" in c["sources"] for c in related)
    recommended = by_service["recommended (Semantic Scholar)"]
    assert len(recommended) == 100
    assert recommended[0]["title"] == "The path sequence of a graph"
    assert recommended[0]["sources"] == {"(selection)": ["recommended"]}
    # the papers linking to each other are no candidates; those in the library are left out
    ids = {c["pmid"] for c in found}
    assert not ids & {"17183658", "9298984", "12242737", "8794856"}
    assert answer["in_library_left_out"] == 1


def test_the_table_shows_services_kinds_titles_and_counts(library_db, links, keys):
    result = igbib("related", "linked", "--limit", "2000", "--db", library_db)
    assert result.returncode == 0, result
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["#", "ID", "from", "score", "found"]
    assert any("related (OpenAlex)" in line for line in lines)
    line = next(x for x in lines if "recommended (Semantic Scholar)" in x)
    assert line.split()[1].startswith("s2:")
    assert "(1 elink request, 4 OpenAlex requests, 2 Semantic Scholar requests)" in result.stderr


# -- one service failing --------------------------------------------------------------


def test_a_service_down_is_one_line_and_the_others_are_kept(library_db, links, keys):
    links.fail("/openalex/", *[503] * 8)
    answer, stderr = related_json("linked", "--limit", "1000", "--db", library_db)
    notes = [line for line in stderr.splitlines() if line.startswith("note: OpenAlex")]
    assert len(notes) == 1 and "503" in notes[0] and "OpenAlex's links are missing" in notes[0]
    assert answer["failures"].keys() == {"openalex"}
    services = {s for c in answer["candidates"] for s in c["services"]}
    assert services == {"pubmed", "s2"}


def test_a_service_answering_another_shape_is_one_line(library_db, links, keys):
    links.instead["/openalex/"] = (
        S2,
        "s2py_test_get_recommended_papers_from_lists.body1.json",
        200,
    )
    result = igbib("related", "linked", "--db", library_db)
    assert result.returncode == 0 and "Traceback" not in result.stderr
    (note,) = [x for x in result.stderr.splitlines() if x.startswith("note: OpenAlex")]
    assert "neither a work nor a list" in note


def test_works_openalex_cannot_name_are_kept_by_their_id(library_db, links, keys):
    links.instead["/openalex/works$"] = (FIXTURES / "elink", "biopython_elink1.xml", 200)
    answer, stderr = related_json("17183658", "--source", "openalex", "--db", library_db)
    assert answer["unnamed"].startswith("OpenAlex sent an answer that is not JSON")
    assert len(answer["candidates"]) == 20 and answer["candidates"][0]["id"].startswith(
        "openalex:W"
    )
    (note,) = [x for x in stderr.splitlines() if x.startswith("note: OpenAlex")]
    assert note.endswith("OpenAlex's works are shown by their OpenAlex id")


def test_a_404_of_semantic_scholar_keeps_its_recommendations(library_db, links, keys):
    # asked about one paper, the batch request was not recorded: the recorded 404 answers it
    answer, stderr = related_json(
        "17183658", "--source", "openalex,s2", "--limit", "1000", "--db", library_db
    )
    assert answer["partial_failures"] == {
        "s2": "Semantic Scholar answered HTTP 404: Paper with id 0 not found"
    }
    assert "some of Semantic Scholar's links are missing" in stderr
    recommended = [c for c in answer["candidates"] if c["services"] == ["s2"]]
    assert len(recommended) == 100
    assert recommended[0]["sources"] == {"17183658": ["recommended"]}  # one paper: credited


def test_a_service_timing_out_is_one_line(library_db, links, keys, monkeypatch):
    monkeypatch.setenv("IGBIB_TIMEOUT", "1")
    monkeypatch.setenv("IGBIB_RETRIES", "0")
    links.slow["/s2/"] = 2.5
    answer, stderr = related_json("linked", "--db", library_db)
    (note,) = [x for x in stderr.splitlines() if x.startswith("note: Semantic Scholar")]
    assert "timed out" in note
    assert answer["failures"].keys() == {"s2"} and answer["candidates"]


def test_every_service_failing_is_an_error_exit_4(library_db, links, keys):
    before = digest(library_db)
    for prefix in ("/eutils/", "/openalex/", "/s2/"):
        links.fail(prefix, *[503] * 8)
    result = igbib("related", "linked", "--add", "--db", library_db)
    assert result.returncode == 4, result
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 3 and lines[-1].startswith("error: Semantic Scholar")
    assert "PubMed" in lines[0] and "OpenAlex" in lines[1]
    assert digest(library_db) == before


def test_the_keys_never_show_nor_enter_the_cache(library_db, links, keys, tmp_path, monkeypatch):
    links.fail("/openalex/", *[503] * 8)
    links.fail("/s2/", *[503] * 8)
    result = igbib("related", "linked", "--db", library_db)
    assert OA_KEY not in result.stdout + result.stderr
    assert S2_KEY not in result.stdout + result.stderr
    # a second run with other keys is answered from the cache: the key is no part of it
    igbib("related", "17183658", "--source", "openalex", "--db", library_db)
    asked = len(links.requests("/openalex/"))
    monkeypatch.setenv("OPENALEX_API_KEY", "another-key-123")
    result = igbib("related", "17183658", "--source", "openalex", "--db", library_db)
    assert result.returncode == 0 and len(links.requests("/openalex/")) == asked
    assert "answered from the cache" in result.stderr
    cache = (tmp_path / "cache" / "answers.sqlite").read_bytes()
    assert OA_KEY.encode() not in cache and b"another-key" not in cache


# -- adding ---------------------------------------------------------------------------


def test_add_passes_pmids_and_says_which_have_none(library_db, links, keys):
    result = igbib(
        "related",
        "17183658",
        "--source",
        "openalex,s2",
        "--limit",
        "3",
        "--add",
        "--db",
        library_db,
    )
    assert "have neither PMID nor DOI: not added" in result.stderr
    # OpenAlex's and Semantic Scholar's papers here are known by their own ids only
    assert not links.requests("/eutils/efetch.fcgi")


# -- the merging and ranking rule -----------------------------------------------------


def test_links_meet_on_pmid_then_doi_and_rank_by_papers_services_kinds():
    from igbib.ops.related import Link, merge, rank_key

    links = [
        # one paper: PubMed knows its PMID, OpenAlex its PMID and DOI, Semantic Scholar its DOI
        Link("pubmed", "similar", "9298984", pmid="8794856", score=65259341),
        Link("openalex", "related", "17183658", pmid="8794856", doi="10.1/x", native="openalex:W1"),
        Link("s2", "recommended", "(selection)", doi="10.1/x", native="s2:abc", title="X"),
        # another, linked by three library papers through PubMed alone
        Link("pubmed", "cited-by", "9298984", pmid="15278705"),
        Link("pubmed", "cited-by", "12242737", pmid="15278705"),
        Link("pubmed", "similar", "17183658", pmid="15278705"),
        # one linked by two library papers, in two kinds of one service
        Link("pubmed", "similar", "9298984", pmid="38997184"),
        Link("pubmed", "cited-by", "12242737", pmid="38997184"),
        # a third, known to OpenAlex by its id alone, and a library paper itself
        Link("openalex", "references", "17183658", native="openalex:W2"),
        Link("s2", "references", "17183658", pmid="12242737"),
    ]
    found = sorted(merge(links, {"9298984", "17183658", "12242737"}, set()), key=rank_key)
    # papers pointing first, then services, then kinds
    assert [c.key for c in found] == ["15278705", "8794856", "38997184", "openalex:W2"]
    three, one, _, alone = found
    assert three.pointing == 3 and three.provenance() == ["similar (PubMed)", "cited-by (PubMed)"]
    assert one.services == ["pubmed", "openalex", "s2"] and one.pointing == 2
    assert one.provenance() == [
        "similar (PubMed)",
        "related (OpenAlex)",
        "recommended (Semantic Scholar)",
    ]
    assert (one.doi, one.openalex, one.s2, one.title) == ("10.1/x", "W1", "abc", "X")
    assert one.ident() == "8794856" and alone.ident() is None


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("IGBIB_S2_URL", "ftp://api.semanticscholar.org/", "IGBIB_S2_URL"),
        ("IGBIB_OPENALEX_URL", "not a url", "IGBIB_OPENALEX_URL"),
        ("S2_API_KEY", "two words", "S2_API_KEY"),
        ("OPENALEX_API_KEY", "tab\there", "OPENALEX_API_KEY"),
    ],
)
def test_a_bad_setting_is_one_line_naming_it_not_its_value(
    library_db, links, monkeypatch, variable, value, expected
):
    monkeypatch.setenv(variable, value)
    line = one_line_error(igbib("related", "linked", "--db", library_db), 2)
    assert f"bad setting {expected}" in line and value not in line
    assert not links.server.log


def test_semantic_scholar_is_asked_once_a_second_with_a_key_and_once_in_3_s_without(
    links, monkeypatch
):
    from igbib.config import load_settings
    from igbib.http import Http

    for key, wait in (("", 3.0), (S2_KEY, 1.0)):
        monkeypatch.setenv("S2_API_KEY", key)
        slept: list[float] = []
        http = Http(load_settings(), cache=False, sleep=slept.append, clock=lambda: 100.0)
        for _ in range(3):
            http.limiters["s2"].wait()
        assert slept == [pytest.approx(wait), pytest.approx(2 * wait)]
        http.close()
