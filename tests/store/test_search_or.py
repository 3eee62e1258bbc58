"""OR between field filters: key:a OR key:b, pmid:x OR pmid:y, year:2014 OR year:2016."""

import pytest

from igbib.errors import QueryError
from igbib.search import search


def keys(library, text):
    return {p.citekey for p in search(library, text)}


def test_or_joins_filters_of_any_kind(seed_library):
    assert keys(seed_library, "key:gevaert2014glioblastoma OR key:aerts2014decoding") == {
        "gevaert2014glioblastoma",
        "aerts2014decoding",
    }
    assert len(keys(seed_library, "pmid:24827998 OR pmid:22723499")) == 2
    years = {p.year for p in search(seed_library, "year:2014 OR year:2016")}
    assert years == {2014, 2016}
    either = keys(seed_library, "year:2014 OR year:2016")
    assert either == keys(seed_library, "year:2014") | keys(seed_library, "year:2016")


def test_or_groups_are_anded_with_the_rest_of_the_query(seed_library):
    both = search(seed_library, "year:2014 OR year:2016 glioblastoma")
    assert both and all(p.year in (2014, 2016) for p in both)
    assert all("glioblastoma" in (p.title + (p.abstract or "")).lower() for p in both)
    three = keys(seed_library, "key:gevaert2014glioblastoma OR key:aerts2014decoding OR tag:none")
    assert len(three) == 2
    negated = keys(seed_library, "-year:2016 OR year:2016")
    assert len(negated) == len(keys(seed_library, ""))


def test_or_between_author_filters_keeps_working(seed_library):
    found = {p.authors[0]["family"] for p in search(seed_library, "author:gevaert OR author:aerts")}
    assert found == {"Gevaert", "Aerts"}


@pytest.mark.parametrize(
    "text", ["glioma OR year:2014", "year:2014 OR glioma", "year:2014 OR", "OR key:a"]
)
def test_or_between_a_word_and_a_filter_is_refused_in_words(seed_library, text):
    with pytest.raises(QueryError, match="OR"):
        search(seed_library, text)
