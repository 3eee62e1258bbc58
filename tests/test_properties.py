"""Properties that must hold for any input, checked with generated data."""

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from igbib.errors import QueryError
from igbib.importers.markdown import parse_markdown
from igbib.names import _plain_bibtex_names
from igbib.search import search

SETTINGS = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(st.text(max_size=60))
def test_any_query_text_gives_results_or_a_query_error(seed_library, text):
    try:
        results = search(seed_library, text, limit=5)
    except QueryError as err:
        assert str(err) and "\n" not in str(err)
    else:
        assert len(results) <= 5


title_chars = st.characters(
    blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="[]\\*_`<>|\n\r"
)


@settings(max_examples=200, deadline=None)
@given(
    title=st.text(title_chars, min_size=1, max_size=80).filter(lambda t: t.strip()),
    family=st.from_regex(r"(van |de |De )?[A-Z][a-z']{1,10}(-[A-Z][a-z]{1,8})?", fullmatch=True),
    year=st.integers(1900, 2030),
)
def test_a_listed_entry_reads_back_its_title_author_and_year(title, family, year):
    line = (
        f"* {family} et al., [{title}](https://pubmed.ncbi.nlm.nih.gov/123/), *Radiology*, {year}\n"
    )
    parsed = parse_markdown("## Papers\n" + line)
    assert len(parsed.entries) == 1, line
    paper = parsed.entries[0].paper
    assert paper.title == " ".join(title.split())
    assert paper.authors[0]["family"] == family and paper.et_al
    assert (paper.year, paper.pmid, paper.journal) == (year, "123", "Radiology")


name_word = st.text(string.ascii_letters, min_size=1, max_size=8)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(name_word, min_size=1, max_size=4), min_size=1, max_size=5))
def test_fast_name_splitting_agrees_with_bibtexparser(people):
    from bibtexparser.middlewares.names import (
        parse_single_name_into_parts,
        split_multiple_persons_names,
    )

    value = " and ".join(" ".join(words) for words in people)
    expected = []
    for raw in split_multiple_persons_names(value):
        if raw.strip().lower() == "others":
            continue
        parts = parse_single_name_into_parts(raw, strict=False)
        person = {"family": " ".join(parts.von + parts.last)}
        if parts.first:
            person["given"] = " ".join(parts.first)
        if parts.jr:
            person["suffix"] = " ".join(parts.jr)
        expected.append(person)
    assert _plain_bibtex_names(value)[0] == expected


markdownish = st.lists(
    st.sampled_from(
        list("ab 1\n\r\t-*_[]()<>!#|`\"'.,:;@{}=")
        + ["http://", "](", "<a href='", "</a>", "<details>", "<td>", "<tr>", "doi.org/10.1000/x"]
    ),
    max_size=120,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(markdownish)
def test_any_markdown_reads_without_error_and_lines_stay_in_the_file(text):
    parsed = parse_markdown(text)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1
    found = [e.line for e in parsed.entries] + [o.line for o in parsed.others]
    assert all(1 <= line <= lines for line in found)
