"""Years, months and page ranges: one rule, the same answer from every importer and source."""

import json
import textwrap

import pytest
from conftest import DOI, NCBI

from igbib import normalize
from igbib.exporters import Options, render
from igbib.importers.bibtex import parse_bibtex
from igbib.importers.csljson import parse_csljson
from igbib.importers.markdown import parse_markdown
from igbib.importers.ris import parse_ris
from igbib.ops.flags import paper_flags
from igbib.sources.pubmed import parse_efetch


def _one(parsed):
    assert len(parsed.entries) == 1, parsed.failed
    return parsed.entries[0].paper


def from_markdown(year: str):
    return _one(
        parse_markdown(
            f"## Papers\n* Hu et al., [A title](https://doi.org/10.1000/x), *J*, {year}\n"
        )
    )


def from_bibtex(year: str):
    return _one(parse_bibtex(f"@article{{k, title = {{A title}}, year = {{{year}}}}}\n"))


def from_ris(year: str):
    return _one(parse_ris(f"TY  - JOUR\nTI  - A title\nPY  - {year}\nER  - \n"))


def from_csljson(year: str):
    item = {"type": "article-journal", "title": "A title", "issued": {"date-parts": [[year]]}}
    return _one(parse_csljson(json.dumps([item])))


IMPORTERS = [from_markdown, from_bibtex, from_ris, from_csljson]


@pytest.mark.parametrize("read", IMPORTERS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("bad", ["0201", "201", "1492", "2999"])
def test_a_bad_year_is_flagged_by_every_importer(read, bad):
    paper = read(bad)
    assert paper.year is None
    codes = {f["code"]: f["reason"] for f in paper_flags(paper)}
    assert "bad-year" in codes and bad in codes["bad-year"]


@pytest.mark.parametrize("read", IMPORTERS, ids=lambda f: f.__name__)
def test_a_good_year_reads_the_same_from_every_importer(read):
    paper = read("2014")
    assert paper.year == 2014
    assert not [f for f in paper_flags(paper) if f["code"] in ("bad-year", "no-year")]


@pytest.mark.parametrize(
    "text, year",
    [
        ("2014", 2014),
        (" 2014 ", 2014),
        ("2014-05-12", 2014),
        ("2014/05/12/", 2014),
        ("2014///", 2014),
        (2014, 2014),
        ("1800", 1800),
        ("2100", 2100),
        ("0201", None),
        ("201", None),
        ("20145", None),
        ("2014a", None),
        ("1799", None),
        ("2101", None),
        ("n.d.", None),
        ("", None),
        (None, None),
        ("２０１４", None),  # full-width digits are not a year
    ],
)
def test_year(text, year):
    assert normalize.year(text) == year


@pytest.mark.parametrize(
    "text, month",
    [
        ("jan", 1),
        ("Jan.", 1),
        ("January", 1),
        ("sep", 9),
        ("Sept", 9),
        ("sept.", 9),
        ("SEPTEMBER", 9),
        ("9", 9),
        ("09", 9),
        (12, 12),
        ("13", None),
        ("0", None),
        ("ja", None),
        ("Spring", None),
        ("septembre", None),
        ("", None),
        (None, None),
    ],
)
def test_month(text, month):
    assert normalize.month(text) == month


def test_every_month_survives_a_bibtex_export_and_reimport():
    from igbib.model import Paper

    papers = [
        Paper(citekey=f"k{m}", title="A title", year=2014, month=m, authors=[{"family": "Hu"}])
        for m in range(1, 13)
    ]
    text = render("bibtex", papers, Options())
    assert "\tmonth = sep\n" in text  # the macro, unbraced
    back = {e.paper.citekey: e.paper.month for e in parse_bibtex(text).entries}
    assert back == {f"k{m}": m for m in range(1, 13)}


def test_bibtex_month_names_and_dates():
    parsed = parse_bibtex(
        textwrap.dedent(
            """
            @article{a, title = {A}, year = 2014, month = {Sept.}}
            @article{b, title = {B}, date = {2015-03-02}}
            @article{c, title = {C}, date = {2016-13}}
            @article{d, title = {D}, year = 2014, month = {Spring}}
            """
        )
    )
    papers = {e.paper.citekey: e.paper for e in parsed.entries}
    assert (papers["a"].year, papers["a"].month) == (2014, 9)
    assert (papers["b"].year, papers["b"].month) == (2015, 3)
    assert (papers["c"].year, papers["c"].month) == (2016, None)  # there is no 13th month
    assert papers["d"].month is None and papers["d"].extra["month"] == "Spring"


@pytest.mark.parametrize(
    "text, pages",
    [
        ("519-27", "519-527"),
        ("1695-9", "1695-1699"),
        ("244--256", "244-256"),
        ("244 – 256", "244-256"),
        ("244—256", "244-256"),
        ("99-100", "99-100"),
        ("e0092424", "e0092424"),
        ("S12-S19", "S12-S19"),
        ("", None),
        (None, None),
    ],
)
def test_pages(text, pages):
    assert normalize.pages(text) == pages


def test_an_abbreviated_page_range_reads_the_same_from_every_importer_and_source():
    medline = parse_efetch((NCBI / "hawc_TestPubMedFetch.test_multiquery.i0.body.xml").read_bytes())
    assert medline[0].pages == "1695-1699"  # MEDLINE wrote 1695-9
    bib = _one(parse_bibtex("@article{k, title = {A}, year = 2008, pages = {1695--9}}"))
    ris = _one(parse_ris("TY  - JOUR\nTI  - A\nPY  - 2008\nSP  - 1695\nEP  - 9\nER  - \n"))
    work = json.loads((DOI / "habanero-2026_works_with_many_ids.body1.json").read_text())
    from igbib.csl import paper_from_csl

    crossref = paper_from_csl({**work["message"], "page": "1695–9"}, "crossref")
    assert bib.pages == ris.pages == crossref.pages == "1695-1699"


def test_the_bibtex_export_writes_page_ranges_with_two_hyphens():
    from igbib.model import Paper

    paper = Paper(citekey="k", title="A", year=2008, pages="1695-1699")
    assert "pages = {1695--1699}" in render("bibtex", [paper], Options())
