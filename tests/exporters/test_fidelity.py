"""Nothing igbib knows is lost between formats: RIS and CSL-JSON read back field for field.

Papers parsed from recorded PubMed and Crossref answers (and the shipped list) are
exported and imported again by igbib's own importers, and by the reference reader
of each format (rispy, json); every bibliographic field comes back, including the
facts the review found lost: an author list cut to "et al.", a name suffix, the
NLM journal abbreviation, the month.
"""

import json

import rispy
from exporters.test_pandoc import fetched_papers, shipped_papers

from igbib.exporters import Options, render
from igbib.importers.csljson import parse_csljson
from igbib.importers.ris import parse_ris
from igbib.model import Paper

FIELDS = ("title", "authors", "et_al", "journal", "year", "volume", "issue", "pages")
IDS = ("pmid", "doi", "pmcid")


def facts(paper):
    values = {name: getattr(paper, name) for name in FIELDS + IDS}
    values["authors"] = [
        {k: v for k, v in a.items() if k in ("family", "given", "suffix", "literal")}
        for a in paper.authors
    ]
    values["journal_abbrev"] = paper.extra.get("journal_abbrev")
    return values


def corpus():
    papers = fetched_papers() + shipped_papers()
    papers[0].note = "Read first: the methods section.\n\nThen the supplement."
    assert sum(p.et_al for p in papers) > 40 and sum(bool(p.month) for p in papers) > 10
    assert sum(bool(p.extra.get("journal_abbrev")) for p in papers) > 10
    return papers


def test_ris_reads_back_every_fact():
    papers = corpus()
    back = [e.paper for e in parse_ris(render("ris", papers, Options())).entries]
    assert len(back) == len(papers)
    for before, after in zip(papers, back, strict=True):
        expected = facts(before)
        expected["title"] = " ".join(before.title.split()) if before.title else None
        assert facts(after) == expected, before.citekey
        assert after.url == before.url, before.citekey
        assert (after.month or None) == (before.month or None) or not before.year


def test_csljson_reads_back_every_fact():
    papers = corpus()
    back = [e.paper for e in parse_csljson(render("csljson", papers, Options())).entries]
    assert len(back) == len(papers)
    for before, after in zip(papers, back, strict=True):
        assert facts(after) == facts(before), before.citekey
        assert after.month == before.month
        assert (after.url, after.note) == (before.url, before.note), before.citekey


def test_the_cut_suffix_and_abbreviation_in_each_format():
    paper = Paper(
        citekey="lee2020",
        title="A title",
        authors=[{"family": "Lee", "given": "Tom", "suffix": "Jr."}, {"family": "Kim"}],
        et_al=True,
        journal="Science (New York, N.Y.)",
        year=2008,
        month=12,
        pmid="19008416",
        extra={"journal_abbrev": "Science"},
    )
    ris = rispy.loads(render("ris", [paper], Options()))[0]
    assert ris["authors"] == ["Lee, Tom, Jr.", "Kim", "et al."]
    assert (ris["secondary_title"], ris["alternate_title1"]) == (
        "Science (New York, N.Y.)",
        "Science",
    )
    assert (ris["accession_number"], ris["name_of_database"], ris["date"]) == (
        "19008416",
        "PubMed",
        "2008/12",
    )
    assert "journal_name" not in ris  # JO is the abbreviation for Zotero: never the full title
    item = json.loads(render("csljson", [paper], Options()))[0]
    assert item["author"][0] == {"family": "Lee", "given": "Tom", "suffix": "Jr."}
    assert item["author"][-1] == {"literal": "others"}
    assert item["container-title-short"] == "Science"
    text = render("text", [paper], Options(style="vancouver"))
    assert text.startswith("1. Lee T Jr., Kim, et al. A title. Science. 2008 Dec.")
    csv_text = render("csv", [paper], Options())
    assert "Lee, Tom, Jr.; Kim; et al." in csv_text


def test_family_names_of_two_words_and_group_names_read_back_from_ris():
    authors = [{"family": "Santos Silva"}, {"literal": "TCGA Research Network, Inc."}]
    paper = Paper(citekey="k", title="T", authors=authors, journal="J", year=2020)
    back = parse_ris(render("ris", [paper], Options())).entries[0].paper
    assert back.authors == authors


def test_leading_numbers_stay_in_the_text_of_unnumbered_styles():
    papers = [
        Paper(citekey="a", title="Adhesives", authors=[{"literal": "3M Company"}], year=2011),
        Paper(citekey="b", title="18F-FDG PET imaging of tumours", journal="J Nucl", year=2010),
    ]
    apa = render("text", papers, Options(style="apa"))
    assert "\n3M Company. (2011). Adhesives.\n" in apa and apa.startswith("18F-FDG PET")
    vancouver = render("text", papers, Options(style="vancouver")).splitlines()
    assert vancouver == [
        "1. 3M Company. Adhesives. 2011.",
        "2. 18F-FDG PET imaging of tumours. J Nucl. 2010.",
    ]


def test_east_asian_names_are_written_whole():
    paper = Paper(
        citekey="w", title="A study", authors=[{"family": "王", "given": "小明"}], year=2020
    )
    for style in ("apa", "ieee", "vancouver", "nature", "harvard", "ama"):
        text = render("text", [paper], Options(style=style))
        assert "王小明" in text and ". 小明" not in text, (style, text)


def test_page_ranges_keep_their_digits_when_the_pages_differ_in_length():
    """Vancouver shortens ranges (minimal): 1979-1987 is 1979-87, but 1-10 is 1-10."""
    ranges = {"1-12": "1–12", "5-51": "5–51", "12-123": "12–123", "1979-1987": "1979–87"}
    for pages, shown in ranges.items():
        paper = Paper(
            citekey="p",
            title="T",
            authors=[{"family": "Lee", "given": "T"}],
            journal="J",
            year=2008,
            volume="249",
            pages=pages,
        )
        text = render("text", [paper], Options(style="vancouver"))
        assert f"249:{shown}." in text, (pages, text)
