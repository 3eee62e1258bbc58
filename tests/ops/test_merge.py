"""Merging papers: everything kept, the oldest key kept and the others still found, undoable."""

import pytest
from conftest import SEED

from igbib import search
from igbib.errors import NotFound, Refused, UsageError
from igbib.exporters import Options, render
from igbib.model import similar_titles
from igbib.ops.history import undo
from igbib.ops.merge import MERGED_IDENTIFIERS, merge

IMAGING = "Imaging Genomics (Radiogenomics, Imaging Genetics)"
PREFACE = "This paper list is partially attributable to the following papers."


def exports(library) -> dict[str, str]:
    papers = search.search(library, "", sort="section")
    return {fmt: render(fmt, papers, Options(), library) for fmt in ("bibtex", "md", "json")}


def test_merge_keeps_every_identifier_note_tag_placement_and_the_older_key(seed_library):
    library = seed_library
    # lee2017radiomics (id 1, no identifier, in the preface); aerts2014decoding (DOI) and
    # bai2016imaging (PMID) in the two sections
    library.add_tags([30], ["radiomics"])
    library.add_tags([2], ["review"])
    with library.transaction():
        library.update_paper(30, {"note": "cited in chapter 2"})
        library.update_paper(2, {"note": "a review"})
    result = merge(library, ["aerts2014decoding", "bai2016imaging", "lee2017radiomics"], force=True)
    paper = library.get(1)
    assert result.survivor.id == 1 and paper.citekey == "lee2017radiomics"
    assert paper.doi == "10.1038/ncomms5006" and paper.pmid == "26864054"
    assert paper.note == "a review\ncited in chapter 2"
    assert paper.tags == ["radiomics", "review"]
    # bai (#2 of the preface) and lee (#1): one placement, the earlier; aerts' in the other
    assert paper.sections == [
        {"section": PREFACE, "position": 1},
        {"section": IMAGING, "position": 28},
    ]
    assert [s["papers"] for s in library.sections()] == [1, 50]
    assert sorted(library.placements()[2]) == sorted(set(library.placements()[2]))
    assert library.placements()[1] == [1]
    assert result.aliases == ["aerts2014decoding", "bai2016imaging"]
    assert library.count() == 50
    for old in ("aerts2014decoding", "bai2016imaging", "26864054", "10.1038/ncomms5006"):
        assert library.resolve(old).id == 1
    assert [p.id for p in search.search(library, "key:aerts2014decoding")] == [1]
    assert [p.id for p in search.search(library, "key:lee2017radiomics")] == [1]
    bib = render("biblatex", [paper], Options(), library)
    assert "\tids = {aerts2014decoding, bai2016imaging}" in bib
    assert library.changes()[0].command == library.command[0]


def test_a_merged_papers_aliases_move_to_the_survivor(seed_library):
    merge(seed_library, ["gevaert2012nonsmall", "kuo2007radiogenomic"], force=True)
    merge(seed_library, ["gevaert2014glioblastoma", "gevaert2012nonsmall"], force=True)
    survivor = seed_library.resolve("kuo2007radiogenomic")
    assert survivor.citekey == "gevaert2014glioblastoma"
    assert seed_library.aliases_of([survivor.id]) == {
        survivor.id: ["gevaert2012nonsmall", "kuo2007radiogenomic"]
    }


def test_different_identifiers_are_refused_unless_forced(seed_library):
    before = exports(seed_library)
    with pytest.raises(Refused, match="PMID 24827998 .gevaert2014glioblastoma., 22723499"):
        merge(seed_library, ["gevaert2014glioblastoma", "gevaert2012nonsmall"])
    assert exports(seed_library) == before
    result = merge(seed_library, ["gevaert2012nonsmall", "gevaert2014glioblastoma"], force=True)
    paper = seed_library.get(23)
    assert result.survivor.id == 23 and paper.pmid == "24827998"
    assert paper.extra[MERGED_IDENTIFIERS] == {"pmid": ["22723499"]}
    assert not any(f["code"] == "bad-identifier" for f in paper.flags)


def test_merging_the_two_papers_behind_one_pmid_clears_their_shared_id_flags(seed_library):
    assert any(f["code"] == "shared-id" for f in seed_library.get(12).flags)
    merge(seed_library, ["13", "12"], force=True)
    assert not seed_library.get(12).flags
    assert seed_library.counts()["flagged"] == 2


def test_a_paper_with_itself_or_alone_is_a_usage_error(seed_library):
    with pytest.raises(UsageError, match="itself"):
        merge(seed_library, ["23", "gevaert2014glioblastoma"])
    with pytest.raises(UsageError, match="two or more"):
        merge(seed_library, ["23"])
    with pytest.raises(NotFound):
        merge(seed_library, ["23", "nosuchkey"])
    assert seed_library.count() == 52


def test_dry_run_says_what_would_be_merged_and_writes_nothing(seed_library):
    before = exports(seed_library)
    changes = len(seed_library.changes())
    result = merge(
        seed_library, ["aerts2014decoding", "lee2017radiomics"], dry_run=True, force=True
    )
    assert result.dry_run and result.survivor.doi == "10.1038/ncomms5006"
    assert result.aliases == ["aerts2014decoding"]
    assert exports(seed_library) == before and len(seed_library.changes()) == changes


def test_undo_restores_every_export_byte_for_byte(seed_library):
    before = exports(seed_library)
    merge(
        seed_library, ["aerts2014decoding", "bai2016imaging", "12", "lee2017radiomics"], force=True
    )
    assert exports(seed_library) != before
    undo(seed_library)
    assert exports(seed_library) == before
    assert seed_library.resolve("aerts2014decoding").id == 30


def test_a_new_paper_never_takes_a_former_key(seed_library, tmp_path):
    from igbib.importers import parse_file
    from igbib.ops.ingest import import_parsed

    merge(seed_library, ["lee2017radiomics", "aerts2014decoding"], force=True)
    # the seed again: its aerts entry gives the survivor's DOI with another title, so it is
    # kept apart (the import's rule) as a new paper, which may not take the former key
    report = import_parsed(seed_library, parse_file(SEED), name=SEED.name)
    assert [row.citekey for row in report.added] == ["aerts2014decodinga"]
    assert seed_library.resolve("aerts2014decoding").id == 1


def test_papers_with_unlike_titles_are_refused_unless_forced(seed_library):
    before = exports(seed_library)
    with pytest.raises(Refused, match="the titles differ"):
        merge(seed_library, ["zhao2016reproducibility", "mccann2016quantitative"])
    assert exports(seed_library) == before


@pytest.mark.parametrize(
    ("a", "b", "alike"),
    [
        (
            "Decoding tumour phenotype by noninvasive imaging",
            "Decoding tumor phenotype by non-invasive imaging",
            True,
        ),
        ("Radiogenomics of glioblastoma: a pilot study", "Radiogenomics of glioblastoma", True),
        (
            "Radiomics and imaging genomics in precision medicine",
            "Imaging genomics in cancer research: limitations and promises",
            False,
        ),
        (None, "Anything", True),
    ],
)
def test_similar_titles(a, b, alike):
    assert similar_titles(a, b) is alike
