"""Streaming results: listing rows and batches of papers give what a full search gives."""

import pytest

from igbib.model import Paper
from igbib.search import ListRow, count, papers, rows, search

QUERIES = [
    ("", "section"),
    ("", "year"),
    ("", "title"),
    ("", "added"),
    ("glioblastoma", None),
    ("radiogenomics", "relevance"),
    ("-glioblastoma", None),
    ("is:flagged", None),
    ("has:identifier", "year"),
    ("flag:shared", None),
]


def as_row(paper: Paper) -> ListRow:
    return ListRow(
        paper.id, paper.first_author, paper.year, paper.title, paper.journal, bool(paper.flags)
    )


@pytest.mark.parametrize(("text", "sort"), QUERIES)
def test_listing_rows_are_the_searched_papers_in_the_same_order(seed_library, text, sort):
    expected = [as_row(p) for p in search(seed_library, text, sort=sort)]
    assert expected
    assert list(rows(seed_library, text, sort=sort)) == expected
    assert list(rows(seed_library, text, sort=sort, limit=3)) == expected[:3]


@pytest.mark.parametrize(("text", "sort"), QUERIES)
def test_paper_batches_are_the_searched_papers_in_the_same_order(seed_library, text, sort):
    expected = search(seed_library, text, sort=sort)
    for batch in (1, 7, 500):
        streamed = list(papers(seed_library, text, sort=sort, batch=batch))
        assert streamed == expected  # every field, sections and tags included
    assert list(papers(seed_library, text, sort=sort, limit=5, batch=2)) == expected[:5]


def test_rows_are_read_as_they_are_iterated(seed_library):
    listing = rows(seed_library, "", sort="section")
    first = next(listing)
    assert first.id == search(seed_library, "", sort="section", limit=1)[0].id
    assert len(list(listing)) == seed_library.count() - 1


def test_a_collective_first_author_is_listed_by_its_name(db_path):
    from igbib.store import Library

    stamp = {"source": "bibtex", "added": "2026-01-01", "updated": "2026-01-01"}
    with Library.open(db_path, write=True) as library, library.transaction():
        library.insert_papers(
            [
                Paper(citekey="a", title="A", authors=[{"literal": "ENIGMA Consortium"}], **stamp),
                Paper(
                    citekey="b", title="B", authors=[{"family": "", "literal": "Group"}], **stamp
                ),
                Paper(citekey="c", title="C", **stamp),
            ]
        )
    with Library.open(db_path) as library:
        assert [r.first_author for r in rows(library, "", sort="title")] == [
            "ENIGMA Consortium",
            "Group",
            "",
        ]


def test_counts_use_the_predicates_search_uses(seed_library):
    counts = seed_library.counts()
    assert counts["flagged"] == count(seed_library, "is:flagged") == 4
    assert counts["missing_identifier"] == count(seed_library, "-has:identifier")
    assert counts["missing_pmid"] == count(seed_library, "-has:pmid")
    assert counts["missing_doi"] == count(seed_library, "-has:doi")
