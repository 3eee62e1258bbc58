"""igbib.ops.flags: flags derived from a paper and from its neighbours, kept up to date."""

from igbib.model import Paper
from igbib.ops.flags import (
    DERIVED,
    kept,
    paper_flags,
    refresh_flags,
    title_mismatch,
    without,
)
from igbib.store import Library, now


def codes(flags):
    return [f["code"] for f in flags]


def test_flags_derived_from_the_paper():
    listed = {"authors": "Hu et al.", "title": "T", "year": "201", "link": ""}
    paper = Paper(title="T", listed=listed, extra={"pmid": "12x"})
    assert codes(paper_flags(paper)) == ["bad-year", "no-link", "bad-identifier"]
    assert "'12x' is not a valid PMID" in paper_flags(paper)[-1]["reason"]
    assert codes(paper_flags(Paper(year=2020))) == ["no-title"]
    assert codes(paper_flags(Paper(title="T"))) == ["no-year"]


def test_flags_a_check_set_are_kept_and_derived_ones_recomputed():
    mismatch = title_mismatch("PMID 1", Paper(title="Another paper", source="pubmed"))
    assert (
        mismatch["code"] == "title-mismatch" and "PMID 1 is “Another paper”" in mismatch["reason"]
    )
    stale = {"code": "no-year", "reason": "no year given"}
    paper = Paper(title="T", year=2020, flags=[mismatch, stale])
    assert paper_flags(paper) == [mismatch]  # the stale derived flag goes, the check's stays
    assert kept(paper.flags) == [mismatch] and stale["code"] in DERIVED
    assert without(paper.flags, "title-mismatch") == [stale]


def test_a_shared_identifier_flags_both_papers_until_one_is_fixed(db_path):
    stored = {
        "year": 2016,
        "pmid": "27009765",
        "source": "bibtex",
        "added": now(),
        "updated": now(),
    }
    papers = [
        Paper(citekey="zhao", title="Reproducibility of radiomics", **stored),
        Paper(citekey="mccann", title="Quantitative analysis", **stored),
    ]
    with Library.open(db_path, write=True) as library:
        with library.transaction():
            library.insert_papers(papers)
            flags = refresh_flags(library, set())
        assert {pid: codes(f) for pid, f in flags.items()} == {
            papers[0].id: ["shared-id"],
            papers[1].id: ["shared-id"],
        }
        assert "mccann (Quantitative analysis)" in flags[papers[0].id][0]["reason"]
        with library.transaction():
            library.update_paper(papers[1].id, {"pmid": "1"})
            refresh_flags(library, {papers[1].id})
        assert [library.get(p.id).flags for p in papers] == [[], []]
