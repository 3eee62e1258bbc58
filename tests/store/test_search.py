"""Search and list on the seed library: ranking, filters, and any user text being safe."""

import re

import pytest
from conftest import SEED

from igbib.errors import QueryError
from igbib.query import parse_query, parse_years
from igbib.search import search


def keys(library, query, **kwargs):
    return [p.citekey for p in search(library, query, **kwargs)]


def test_ranking_puts_title_matches_first(seed_library):
    results = search(seed_library, "glioblastoma")
    expected = [line for line in SEED.read_text().splitlines() if "glioblastoma" in line.lower()]
    assert len(results) == len(expected) == 16  # "glioblastomas" too: words are stemmed
    assert all("glioblastoma" in p.title.lower() for p in results)
    results = search(seed_library, "radiomics")
    assert "radiomics" in results[0].title.lower()


def test_field_filters(seed_library):
    assert keys(seed_library, "author:gevaert") == [
        "gevaert2014glioblastoma",
        "gevaert2012nonsmall",
    ]
    assert keys(seed_library, "journal:radiology year:2014", sort="title") == [
        "gevaert2014glioblastoma",
        "jamshidi2014illuminating",
        "karlo2014radiogenomics",
    ]
    assert {p.year for p in search(seed_library, "year:2010..2012")} == {2010, 2011, 2012}
    assert {p.year for p in search(seed_library, "year:..2008")} == {2007, 2008}
    assert keys(seed_library, "title:pten") == ["mccann2016quantitative"]
    assert keys(seed_library, 'section:"partially attributable"', sort="section") == [
        "lee2017radiomics",
        "bai2016imaging",
    ]
    assert len(search(seed_library, "pmid:27009765")) == 2
    assert keys(seed_library, "doi:10.1038/NCOMMS5006") == ["aerts2014decoding"]
    assert keys(seed_library, "pmcid:pmc4141648") == ["osborne201018ffdg"]
    assert keys(seed_library, "flag:bad-year") == ["huradiogenomics"]
    assert len(search(seed_library, "is:flagged")) == 4
    assert len(search(seed_library, "has:doi")) == 4
    assert keys(seed_library, "tag:review") == []


def test_phrases_prefixes_or_and_exclusion(seed_library):
    phrase = search(seed_library, '"gene expression"')
    assert phrase and all(re.search(r"gene\W+expression", p.title.lower()) for p in phrase)
    prefix = search(seed_library, "radiog*")
    assert len(prefix) > len(search(seed_library, "radiogenomics"))
    either = {p.citekey for p in search(seed_library, "prostate OR breast")}
    assert either == {p.citekey for p in search(seed_library, "prostate")} | {
        p.citekey for p in search(seed_library, "breast")
    }
    without = search(seed_library, "glioblastoma -multiforme")
    assert without and all("multiforme" not in p.title.lower() for p in without)
    only_excluded = search(seed_library, "-glioblastoma")
    assert len(only_excluded) == 52 - 16


def test_diacritics_and_case_are_ignored(seed_library):
    assert keys(seed_library, "GLIOBLÁSTOMA") == keys(seed_library, "glioblastoma")


@pytest.mark.parametrize(
    "text",
    [
        "glioma AND",
        '"unbalanced quote',
        "NEAR(",
        "'; drop table papers; --",
        "title:(",
        "a*b",
        "glioma)",
        "^glioma",
        'radiog* "',
        "-",
        "*",
        "OR",
        "glioma OR",
        "NOT",
        "year:20x4",
        "foo:bar",
        "has:cake",
        "year:2015..2010",
        "author:",
    ],
)
def test_any_text_gives_results_or_a_query_error(seed_library, text):
    try:
        results = search(seed_library, text)
    except QueryError as err:
        assert "\n" not in str(err) and str(err)
    else:
        assert isinstance(results, list)
    assert seed_library.count() == 52  # and nothing was dropped


def test_query_errors_say_what_is_wrong():
    with pytest.raises(QueryError, match="unknown field 'foo'"):
        parse_query("foo:bar")
    with pytest.raises(QueryError, match="not a year"):
        parse_query("year:abc")
    with pytest.raises(QueryError, match="nothing to search for"):
        parse_query("- *")
    with pytest.raises(QueryError, match="OR"):
        parse_query("glioma OR")
    with pytest.raises(QueryError, match="title: needs a value"):
        parse_query("glioma title:")
    assert parse_years("2010-2015") == (2010, 2015)
    assert parse_years("2016..") == (2016, None)


def test_list_sorts(seed_library):
    by_section = search(seed_library, "", sort="section")
    assert [p.first_author for p in by_section[:3]] == ["Lee", "Bai", "Halpenny"]
    by_year = search(seed_library, "", sort="year")
    years = [p.year for p in by_year if p.year]
    assert years == sorted(years, reverse=True) and by_year[-1].year is None
    by_title = [p.title.lower() for p in search(seed_library, "", sort="title")]
    assert by_title == sorted(by_title)
    assert len(search(seed_library, "", sort="added", limit=5)) == 5


def test_records_carry_sections_tags_and_flags(seed_library):
    zhao = search(seed_library, "author:zhao")[0]
    assert zhao.sections == [
        {"section": "Imaging Genomics (Radiogenomics, Imaging Genetics)", "position": 10}
    ]
    assert zhao.flags[0]["code"] == "shared-id"
    assert zhao.tags == []


def test_list_order_listed_papers_then_the_rest_by_id_at_any_limit(seed_db, tmp_path):
    from conftest import FIXTURES, igbib

    from igbib.store import Library

    assert igbib("--db", seed_db, "import", FIXTURES / "cdl-sample.bib").returncode == 0
    with Library.open(seed_db) as library:
        conn = library.conn
        place = {}
        for paper_id, section, position in conn.execute(
            "SELECT pl.paper_id, s.position, pl.position"
            " FROM placements pl JOIN sections s ON s.id = pl.section_id"
        ):
            place[paper_id] = min(place.get(paper_id, (section, position)), (section, position))
        every = [row[0] for row in conn.execute("SELECT id FROM papers")]
        unlisted = sorted(i for i in every if i not in place)
        expected = sorted(place, key=lambda i: (place[i], i)) + unlisted
        assert len(place) == 52 and len(unlisted) > 10
        assert [p.id for p in search(library, "", sort="section")] == expected
        for limit in (1, 51, 52, 53, 60, len(expected), len(expected) + 5):
            rows = list(library.listing(parse_query(""), sort="section", limit=limit))
            assert [row.id for row in rows] == expected[:limit]
        # a filter applies to both parts
        years = [p.id for p in search(library, "year:2016..", sort="section", limit=80)]
        assert years == [i for i in expected if i in set(years)]
        assert set(years) & set(place) and set(years) & set(unlisted)
