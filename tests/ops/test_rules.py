"""igbib.ops.rules and igbib.ops.match: the one merge policy and the one matching rule."""

from igbib.model import Paper
from igbib.ops.match import Candidate, compatible, first_family, same_listing, same_person
from igbib.ops.rules import empty, merge_changes, reported_fields

LISTED = {"authors": "Kuo et al.", "title": "Radiogenomic analysis", "link": "", "year": "2007"}


def listed(**values):
    base = {"title": "Radiogenomic analysis", "authors": [{"family": "Kuo"}], "et_al": True}
    return Paper(source="markdown", listed=LISTED, **{**base, **values})


def test_what_counts_as_empty():
    assert all(empty(v) for v in (None, "", [], {}))
    assert not any(empty(v) for v in (0, False, " ", ["x"]))


def test_a_stronger_source_replaces_and_a_weaker_one_only_fills():
    stored = listed(journal="JVIR", year=2007)
    bibtex = Paper(
        source="bibtex",
        title="Radiogenomic analysis",
        journal="J Vasc Interv Radiol",
        volume="18",
        entry_type="inproceedings",
    )
    changes = merge_changes(stored, bibtex)
    assert changes["journal"] == "J Vasc Interv Radiol" and changes["volume"] == "18"
    assert changes["entry_type"] == "inproceedings" and changes["source"] == "bibtex"
    stronger = Paper(source="pubmed", journal="JVIR", volume="18", pmid="17609439")
    weaker = listed(journal="Another journal", issue="7")
    changes = merge_changes(stronger, weaker)
    assert changes == {
        "title": "Radiogenomic analysis",
        "authors": [{"family": "Kuo"}],
        "et_al": True,
        "issue": "7",
        "listed": LISTED,
    }
    assert "journal" not in merge_changes(stronger, weaker)


def test_filling_never_overwrites_and_leaves_the_listing_alone():
    stored = listed(journal="JVIR")
    fetched = Paper(
        source="pubmed",
        title="Radiogenomic analysis!",
        journal="J Vasc Interv Radiol",
        pmid="17609439",
        listed={"title": "other"},
    )
    changes = merge_changes(stored, fetched, fill_only=True)
    assert changes == {"pmid": "17609439", "source": "pubmed"}


def test_identifiers_are_only_ever_filled_in():
    stored = Paper(source="markdown", pmid="1", doi=None)
    changes = merge_changes(stored, Paper(source="pubmed", pmid="2", doi="10.1/x"))
    assert changes["doi"] == "10.1/x" and "pmid" not in changes


def test_extra_fields_merge_key_by_key_the_winner_on_top():
    stored = Paper(source="bibtex", extra={"issn": "1", "file": "a.pdf"})
    assert merge_changes(stored, Paper(source="pubmed", extra={"issn": "2"}))["extra"] == {
        "issn": "2",
        "file": "a.pdf",
    }
    weaker = merge_changes(stored, Paper(source="markdown", extra={"issn": "3", "x": "y"}))
    assert weaker["extra"] == {"issn": "1", "file": "a.pdf", "x": "y"}


def test_a_list_cut_short_is_completed_by_the_same_first_author_only():
    stored = listed()
    full = [{"family": "Kuo", "given": "Michael"}, {"family": "Gu", "given": "Jiajun"}]
    changes = merge_changes(stored, Paper(source="pubmed", authors=full), fill_only=True)
    assert changes["authors"] == full and changes["et_al"] is False
    other = [{"family": "Smith"}, {"family": "Gu"}]
    assert "authors" not in merge_changes(
        stored, Paper(source="pubmed", authors=other), fill_only=True
    )
    shorter = Paper(source="markdown", authors=[{"family": "Kuo"}], et_al=True)
    assert "authors" not in merge_changes(Paper(source="pubmed", authors=full), shorter)


def test_reported_fields_name_what_a_person_would_check():
    assert reported_fields({"year": 2016, "source": "bibtex", "et_al": True}) == ["year"]
    assert reported_fields({"listed": {}}) == ["listing"]
    assert reported_fields({"listed": {}, "title": "T"}) == ["title"]


def test_the_same_person_and_the_first_family_fold_case_and_accents():
    assert first_family([{"family": "Müller", "given": "A"}]) == "muller"
    assert first_family([{"literal": "ENIGMA Consortium"}]) == "enigma consortium"
    assert first_family([]) == ""
    assert same_person({"family": "MÜLLER"}, {"family": "Muller", "given": "B"})
    assert not same_person({"family": ""}, {"family": ""})


def test_a_title_match_needs_a_compatible_year_author_and_identifiers():
    stored = Candidate.stored(
        (
            7,
            "17609439",
            None,
            None,
            None,
            "Radiogenomic analysis",
            2007,
            '[{"family": "Kuo"}]',
            None,
        )
    )
    assert stored.family == "kuo" and stored.ids == {"pmid": "17609439"}
    assert compatible(listed(year=2007), stored)
    assert compatible(listed(), stored)  # no year: no contradiction
    assert not compatible(listed(year=2008), stored)
    assert not compatible(listed(authors=[{"family": "Sun"}]), stored)
    assert not compatible(listed(pmid="1"), stored)


def test_two_listings_are_the_same_whatever_the_link_form_and_wrapping():
    a = {**LISTED, "link": "https://www.ncbi.nlm.nih.gov/pubmed/17609439"}
    b = {
        **LISTED,
        "title": "Radiogenomic\n  analysis",
        "link": "https://pubmed.ncbi.nlm.nih.gov/17609439/",
    }
    assert same_listing(a, b) and same_listing(None, None)
    assert not same_listing(a, {**b, "journal": "JVIR"}) and not same_listing(a, None)
