"""``igbib stats``: its counts agree with what the other commands show of the same papers."""

import json
from collections import Counter

import pytest
from conftest import igbib, one_line_error

from igbib.ops.stats import AXES, CHARTS


def stats_json(db, *args) -> dict:
    result = igbib("--db", db, "stats", "--json", *args)
    assert result.returncode == 0, result
    return json.loads(result.stdout)


def listing(db, *query) -> list[dict]:
    result = igbib("--db", db, "list", "--json", *query)
    assert result.returncode == 0, result
    return json.loads(result.stdout)


def values(chart) -> dict:
    return {v["value"]: v["papers"] for v in chart["values"]}


def test_year_counts_are_those_of_the_listing_with_every_year_between(seed_db):
    papers = listing(seed_db)
    years = Counter(p["year"] for p in papers)
    chart = stats_json(seed_db)["charts"]["year"]
    shown = values(chart)
    assert chart["none"]["papers"] == years.pop(None, 0) > 0  # the seed has an undated paper
    assert {y: n for y, n in shown.items() if n} == years
    # the years without papers between the first and the last are there, with 0
    assert list(shown) == list(range(min(years), max(years) + 1))
    assert any(n == 0 for n in shown.values())


def test_journal_counts_are_those_of_the_listing_with_the_rest_as_other(seed_db):
    papers = listing(seed_db)
    journals = Counter(p["journal"] for p in papers if p["journal"])
    everything = stats_json(seed_db, "--top", "1000")["charts"]["journal"]
    assert values(everything) == journals
    assert everything["other"] is None
    assert everything["none"]["papers"] == sum(1 for p in papers if not p["journal"])
    ranked = [v["papers"] for v in everything["values"]]
    assert ranked == sorted(ranked, reverse=True)

    top = stats_json(seed_db, "--top", "3")["charts"]["journal"]
    assert [v["value"] for v in top["values"]] == [v["value"] for v in everything["values"][:3]]
    assert top["other"]["values"] == len(journals) - 3
    assert top["other"]["papers"] == sum(journals.values()) - sum(values(top).values())


def test_section_counts_are_those_of_the_listing_in_the_list_order(seed_db):
    papers = listing(seed_db)
    sections = Counter(s["section"] for p in papers for s in p["sections"])
    chart = stats_json(seed_db)["charts"]["section"]
    listed = igbib("--db", seed_db, "section", "list", "--json")
    order = [s["name"] for s in json.loads(listed.stdout)]
    assert [v["value"] for v in chart["values"]] == order
    assert values(chart) == sections
    assert chart["none"] == {"label": "not listed", "papers": 0, "percent": 0.0}


def test_identifier_coverage_is_what_info_reports(seed_db):
    info = json.loads(igbib("--db", seed_db, "info", "--json").stdout)
    data = stats_json(seed_db)
    chart = data["charts"]["identifier"]
    shown = values(chart)
    assert data["papers"] == info["papers"]
    assert shown["pmid"] == info["papers"] - info["missing_pmid"]
    assert shown["doi"] == info["papers"] - info["missing_doi"]
    assert chart["none"]["papers"] == info["missing_identifier"]
    papers = listing(seed_db)
    assert shown["pmcid"] == sum(1 for p in papers if p["pmcid"])
    assert shown["arxiv"] == sum(1 for p in papers if p["arxiv"])
    pmid = next(v for v in chart["values"] if v["value"] == "pmid")
    assert pmid["percent"] == round(100 * shown["pmid"] / info["papers"], 1)


def test_a_query_selects_the_papers_search_finds(seed_db):
    papers = listing(seed_db, "glioblastoma", "year:2010..2016")
    assert 0 < len(papers) < 52
    data = stats_json(seed_db, "glioblastoma", "year:2010..2016")
    assert data["query"] == "glioblastoma year:2010..2016"
    assert (data["papers"], data["library_papers"]) == (len(papers), 52)
    assert values(data["charts"]["year"]) == dict(
        sorted(Counter(p["year"] for p in papers).items())
    )
    assert sum(values(data["charts"]["journal"]).values()) + (
        data["charts"]["journal"]["other"] or {"papers": 0}
    )["papers"] == len(papers)


def test_json_keys_are_stable_and_by_chooses_the_charts(seed_db):
    data = stats_json(seed_db)
    assert set(data) == {"query", "papers", "library_papers", "charts"}
    assert list(data["charts"]) == list(CHARTS)
    for chart in data["charts"].values():
        assert set(chart) == {"title", "values", "other", "none"}
        assert set(chart["none"]) == {"label", "papers", "percent"}
        for value in chart["values"]:
            assert set(value) == {"value", "label", "papers", "percent"}
    chosen = stats_json(seed_db, "--by", "identifier,year")
    assert list(chosen["charts"]) == ["year", "identifier"]  # in the usual order
    assert chosen["charts"]["year"] == data["charts"]["year"]


def tag(db, *words):
    result = igbib("--db", db, "tag", *words)
    assert result.returncode == 0, result


@pytest.fixture
def untagged_seed_db(db_path):
    """The seed list imported without the topic rules: every tag is the test's own."""
    from conftest import SEED

    from igbib.importers import parse_file
    from igbib.ops.ingest import import_parsed
    from igbib.store import Library

    with Library.open(db_path, write=True) as library:
        import_parsed(library, parse_file(SEED), name=SEED.name, auto_tags=False)
    return db_path


def test_topic_axes_count_papers_per_value_and_not_rejected_tags(untagged_seed_db):
    seed_db = untagged_seed_db
    tag(seed_db, "gevaert2014glioblastoma", "26337765", "+site/glioma", "+modality/MRI")
    tag(seed_db, "gevaert2014glioblastoma", "+target/IDH1", "+glioma")  # a tag of no axis
    # tags that only look like a topic's: none of them is a site
    tag(seed_db, "zhao2016reproducibility", "+site/", "+sites/lung", "+site", "+/glioma")
    data = stats_json(seed_db)["charts"]
    papers = listing(seed_db, "tag:site/glioma")
    assert len(papers) == 2
    assert values(data["site"]) == {"glioma": 2}
    assert data["site"]["none"]["papers"] == 50
    tag(seed_db, "zhao2016reproducibility", "+SITE/Lung")  # the axis in any case
    data = stats_json(seed_db)["charts"]
    assert values(data["site"]) == {"glioma": 2, "Lung": 1}
    assert data["site"]["none"]["papers"] == 49
    assert values(data["modality"]) == {"MRI": 2}
    assert values(data["target"]) == {"IDH1": 1}
    assert data["method"]["values"] == [] and data["method"]["none"]["papers"] == 52
    assert data["site"]["title"] == "Papers by topic: site"


def test_an_automatic_tag_a_curator_took_off_is_not_counted(seed_db):
    before = values(stats_json(seed_db)["charts"]["site"])
    assert before["glioma"] > 1  # the topic rules tag the seed's glioma papers
    tag(seed_db, "gevaert2014glioblastoma", "-site/glioma")
    after = stats_json(seed_db)["charts"]["site"]
    assert values(after) == {**before, "glioma": before["glioma"] - 1}
    assert igbib("--db", seed_db, "tag", "--auto").returncode == 0  # the rules do not put it back
    assert stats_json(seed_db)["charts"]["site"] == after


def test_papers_per_dataset(seed_db):
    papers = listing(seed_db, "glioblastoma")[:3]
    keys = [p["citekey"] for p in papers]
    for args in (
        ["add", "TCGA-GBM"],  # from the catalogue, shown by its key
        ["add", "REMBRANDT", "--url", "https://example.org/rembrandt"],  # by its name
        ["link", *keys, "tcga-gbm"],
        ["link", keys[0], "REMBRANDT"],
    ):
        done = igbib("--db", seed_db, "dataset", *args)
        assert done.returncode == 0, (args, done)
    chart = stats_json(seed_db)["charts"]["dataset"]
    assert values(chart) == {"TCGA-GBM": 3, "REMBRANDT": 1}  # by key, else by name
    assert chart["none"]["papers"] == 52 - 3
    one = stats_json(seed_db, f"key:{papers[1]['citekey']}")["charts"]["dataset"]
    assert values(one) == {"TCGA-GBM": 1}
    assert one["none"]["papers"] == 0


@pytest.mark.parametrize("axis", AXES)
def test_each_axis_is_a_chart_of_its_own(seed_db, axis):
    data = stats_json(seed_db, "--by", axis)
    assert list(data["charts"]) == [axis]


def test_a_query_that_selects_nothing_is_one_line(seed_db):
    line = one_line_error(igbib("--db", seed_db, "stats", "nosuchwordanywhere"))
    assert "no papers match 'nosuchwordanywhere'" in line


def test_an_empty_library_is_one_line(db_path):
    from igbib.store import Library

    Library.open(db_path, write=True).close()
    line = one_line_error(igbib("--db", db_path, "stats"))
    assert "the library holds no papers" in line


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--by", "year,colour"], "unknown chart 'colour'"),
        (["--by", ","], "no chart named"),
        (["--top", "0"], "at least 1"),
        (["--plot", "charts.pdf"], "not a .pdf file"),
        (["--plot", "charts"], "not a file without an extension"),
    ],
)
def test_bad_options_are_usage_errors_naming_what_is_valid(seed_db, args, expected):
    line = one_line_error(igbib("--db", seed_db, "stats", *args), code=2)
    assert expected in line
    if "--by" in args:
        assert "year, journal, section, site, modality, target, method, dataset" in line
    if "--plot" in args:
        assert ".png or .svg" in line
