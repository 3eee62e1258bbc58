"""Answers of a valid format but an unexpected shape: read where they can be, else one line.

Each hostile answer is a real recording (tests/fixtures, SOURCES.md) changed in one
place by the test, mechanically: a field given another type, an element moved, the
record nested deep. A record that cannot be read fails its own identifier only.
"""

import json
import re

import pytest
from conftest import DOI, NCBI
from werkzeug import Response

from igbib.config import load_settings
from igbib.csl import paper_from_csl
from igbib.errors import SourceError
from igbib.http import Answer, Http
from igbib.sources import pubmed
from igbib.sources.crossref import read_csl, read_work
from igbib.sources.pmc import parse_idconv
from igbib.sources.pubmed import parse_efetch, parse_esearch, read_efetch

THREE = (NCBI / "hawc_TestPubMedFetch.test_multiquery.i0.body.xml").read_bytes()
PMIDS = ["19008416", "18927361", "18787170"]
WORK = DOI / "habanero-2026_works_with_many_ids.body3.json"
DOI_ = "10.1038/srep16696"


def crossref(change) -> Answer:
    data = json.loads(WORK.read_text())
    change(data)
    return Answer(200, json.dumps(data).encode(), {"Content-Type": "application/json"})


def message(change):
    def on_message(data):
        change(data["message"])

    return on_message


def records(body: bytes) -> list[bytes]:
    return re.findall(rb"<PubmedArticle>.*?</PubmedArticle>", body, re.S)


def changed_record(index: int, change) -> bytes:
    """THREE with its ``index``-th record changed by ``change(record bytes)``."""
    record = records(THREE)[index]
    return THREE.replace(record, change(record), 1)


# -- Crossref and doi.org -------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d.update(message=json.dumps(d["message"])), "its message is a string"),
        (lambda d: d.update(message=[d["message"]]), "its message is a list"),
        (lambda d: d.pop("message"), "its message is missing"),
    ],
    ids=["a string", "a list", "missing"],
)
def test_a_crossref_message_that_is_no_record_is_one_line(change, expected):
    with pytest.raises(SourceError) as err:
        read_work(crossref(change), DOI_)
    assert str(err.value) == (
        f"Crossref sent an answer for {DOI_} without a record ({expected}, not an object)"
    )


def test_authors_given_as_strings_are_read_as_names():
    def as_strings(m):
        m["author"] = [f"{a['given']} {a['family']}" for a in m["author"]]

    paper = read_work(crossref(message(as_strings)), DOI_)
    assert paper.authors[0] == {"literal": "Laura Tosatto"} and len(paper.authors) == 8


def test_fields_of_other_types_are_left_out_not_guessed():
    def odd(m):
        m["issued"] = "2015-11-19"  # a date that is not an object of date-parts
        m["published-online"] = {"date-parts": "2015"}
        m["created"] = {"date-parts": [2015, 11]}
        m["published"] = ["2015"]
        m["title"] = [{"value": m["title"][0]}]  # an object where text is expected
        m["container-title"] = m["container-title"][0]  # a string, not a list: read
        m["author"] = {"given": "Laura", "family": "Tosatto"}  # one author, not a list
        m["volume"] = ["5"]
        m["ISSN"] = "2045-2322"
        m["abstract"] = {"jats": m["abstract"]}
        m["DOI"] = [m["DOI"]]

    paper = read_work(crossref(message(odd)), DOI_)
    assert paper.title is None and paper.year is None and paper.abstract is None
    assert paper.journal == "Scientific Reports" and paper.volume is None
    assert paper.authors == [{"family": "Tosatto", "given": "Laura"}]
    assert paper.extra["issn"] == "2045-2322"
    record = json.dumps(paper.to_dict())
    assert "value" not in record and "jats" not in record  # nothing read from a repr


def test_deeply_nested_json_is_one_line():
    body = b"[" * 100_000 + WORK.read_bytes() + b"]" * 100_000
    with pytest.raises(SourceError, match=r"^Crossref sent an unreadable answer for 10\.1038"):
        read_work(Answer(200, body), DOI_)


def test_a_csl_item_that_is_no_record_is_one_line():
    body = json.dumps([json.loads(WORK.read_text())["message"]["title"]]).encode()
    answer = Answer(200, body, {"Content-Type": "application/vnd.citationstyles.csl+json"})
    with pytest.raises(SourceError, match="that is not a record \\(a list, not an object\\)"):
        read_csl(answer, DOI_)


@pytest.mark.parametrize("value", ["Tosatto", 7, None, ["Tosatto"], {"x": 1}, True])
def test_any_value_in_any_field_reads(value):
    item = json.loads(WORK.read_text())["message"]
    for key in list(item):
        paper_from_csl({**item, key: value}, "crossref")  # never raises


# -- efetch ---------------------------------------------------------------------------


def test_a_record_whose_article_is_elsewhere_fails_its_pmid_only():
    def move_article(record):
        article = re.search(rb"<Article\b.*?</Article>", record, re.S).group()
        return record.replace(article, b"", 1).replace(
            b"</MedlineCitation>", b"</MedlineCitation>" + article, 1
        )

    papers, bad = read_efetch(changed_record(1, move_article))
    assert [p.pmid for p in papers] == [PMIDS[0], PMIDS[2]]
    assert bad == {
        PMIDS[1]: "PubMed's record of PMID 18927361 cannot be read "
        "(ValueError: no MedlineCitation/Article)"
    }


@pytest.mark.parametrize(
    "change",
    [
        lambda r: r.replace(b"<AuthorList", b"<Nothing").replace(b"</AuthorList>", b"</Nothing>"),
        lambda r: re.sub(
            rb"<Journal>.*?</Journal>", b"<Journal>Science</Journal>", r, count=1, flags=re.S
        ),
        lambda r: re.sub(rb"<PubDate>.*?</PubDate>", b"<PubDate><Year>20O8</Year></PubDate>", r),
        lambda r: re.sub(rb"<LastName>[^<]*</LastName>", b"", r),
        lambda r: re.sub(rb"<ArticleIdList>.*?</ArticleIdList>", b"", r, count=1, flags=re.S),
        lambda r: r.replace(b"<PubmedData>", b"<PubmedData><PubmedData>").replace(
            b"</PubmedData>", b"</PubmedData></PubmedData>"
        ),
    ],
    ids=[
        "no author list",
        "a journal of text",
        "a year of letters",
        "no names",
        "no ids",
        "nested",
    ],
)
def test_elements_in_odd_places_are_read_where_they_can_be(change):
    papers, bad = read_efetch(changed_record(1, change))
    assert [p.pmid for p in papers] == PMIDS and bad == {}


def test_a_title_nested_deep_is_read():
    def deep(record):
        return re.sub(
            rb"<ArticleTitle>(.*?)</ArticleTitle>",
            lambda m: (
                b"<ArticleTitle>" + b"<i>" * 5000 + m.group(1) + b"</i>" * 5000 + b"</ArticleTitle>"
            ),
            record,
            count=1,
            flags=re.S,
        )

    papers, bad = read_efetch(changed_record(0, deep))
    assert papers[0].title.startswith("Genomic loss of microRNA-101") and bad == {}


def without_pmid(record: bytes) -> bytes:
    record = re.sub(rb"<PMID[^>]*>\d+</PMID>", b"", record)
    return re.sub(rb'<ArticleId IdType="pubmed">\d+</ArticleId>', b"", record)


def test_a_record_without_a_pmid_is_no_paper():
    papers, bad = read_efetch(changed_record(2, without_pmid))
    assert [p.pmid for p in papers] == PMIDS[:2]
    assert bad == {"record 3": "PubMed sent a record without a PMID"}


def test_the_pmid_a_record_without_one_may_be_fails_with_its_cause(faults_free_http):
    http, served = faults_free_http
    served.append(changed_record(2, without_pmid))
    fetched = pubmed.fetch(http, PMIDS)
    assert [p.pmid for p in fetched.papers] == PMIDS[:2] and fetched.missing == []
    assert str(fetched.failed["18787170"]) == "PubMed sent a record without a PMID"


@pytest.fixture
def faults_free_http(httpserver, monkeypatch, tmp_path):
    """A client whose PubMed answers each efetch with the next body of ``served``."""
    served = []
    httpserver.expect_request("/eutils/efetch.fcgi").respond_with_handler(
        lambda request: Response(served.pop(0), content_type="text/xml")
    )
    monkeypatch.setenv("IGBIB_EUTILS_URL", httpserver.url_for("/eutils/"))
    monkeypatch.setenv("IGBIB_CONFIG", str(tmp_path / "none.ini"))
    with Http(load_settings(), cache=False) as http:
        yield http, served


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (THREE[: len(THREE) // 2], "PubMed sent an unreadable efetch answer (no element found"),
        (
            (DOI / "habanero-2026_cn_doi_404.body1.html").read_bytes(),
            "PubMed sent an unreadable efetch answer (not well-formed",
        ),
        (
            (NCBI / "sulpub_efetch_empty_id_error_then_12529422.i0.body.xml").read_bytes(),
            "PubMed refused the request: Supplied id parameter is empty.",
        ),
        (
            (NCBI / "biopython_esearch8.xml").read_bytes(),
            "PubMed sent an answer that is not an efetch result (<eSearchResult>)",
        ),
        (THREE.decode().encode("utf-16"), "PubMed sent an efetch answer that is not UTF-8"),
    ],
    ids=["cut short", "an HTML page", "an ERROR", "another answer", "UTF-16"],
)
def test_an_answer_that_is_no_efetch_result_is_one_line(body, expected):
    with pytest.raises(SourceError) as err:
        read_efetch(body)
    assert str(err.value).startswith(expected) and "\n" not in str(err.value)


def test_entities_are_refused():
    laughs = THREE.replace(
        b"<PubmedArticleSet>",
        b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b"<PubmedArticleSet>",
        1,
    ).replace(b"<ArticleTitle>", b"<ArticleTitle>&b;", 1)
    with pytest.raises(SourceError, match="declares XML entities; refused"):
        read_efetch(laughs)
    external = THREE.replace(
        b"<PubmedArticleSet>",
        b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><PubmedArticleSet>',
        1,
    ).replace(b"<ArticleTitle>", b"<ArticleTitle>&e;", 1)
    with pytest.raises(SourceError, match="declares XML entities; refused"):
        parse_efetch(external)


def test_an_esearch_count_that_is_no_number_is_one_line():
    body = (NCBI / "hawc_TestPubMedSearch.test_standard_query.i1.body.xml").read_bytes()
    body = re.sub(rb"<Count>\d+</Count>", b"<Count>many</Count>", body, count=1)
    with pytest.raises(SourceError, match="count is not a number"):
        parse_esearch(body)
    with pytest.raises(SourceError, match=r"not a search result \(<PubmedArticleSet>\)"):
        parse_esearch(THREE)


def test_idconv_records_of_another_shape_are_skipped():
    # shaped as the service's documentation gives it (no recording exists, SOURCES.md)
    assert parse_idconv({"status": "ok", "records": "PMC3531190"}) == {}
    assert parse_idconv({"status": "ok", "records": ["PMC3531190", None, 7]}) == {}
    with pytest.raises(SourceError, match="unreadable"):
        parse_idconv(["PMC3531190"])
