"""Parsers on real recorded responses: actual field values, not just "it parsed"."""

import json

import pytest
from conftest import DOI, NCBI

from igbib.csl import jats_to_text, paper_from_csl
from igbib.errors import SourceError
from igbib.sources.pubmed import parse_efetch, parse_esearch


def efetch(name):
    return parse_efetch((NCBI / name).read_bytes())


def work(name):
    data = json.loads((DOI / name).read_text())
    return paper_from_csl(data.get("message", data), "crossref")


def test_pubmed_article_fields():
    papers = efetch("hawc_TestPubMedFetch.test_multiquery.i0.body.xml")
    assert [p.pmid for p in papers] == ["19008416", "18927361", "18787170"]
    paper = papers[0]
    assert paper.title.startswith("Genomic loss of microRNA-101 leads to overexpression")
    assert not paper.title.endswith(".")
    assert len(paper.authors) == 20
    assert paper.authors[0] == {"family": "Varambally", "given": "Sooryanarayana"}
    assert (paper.year, paper.month, paper.volume, paper.issue) == (2008, 12, "322", "5908")
    assert paper.pages == "1695-1699"  # MEDLINE wrote 1695-9
    assert (paper.doi, paper.pmcid) == ("10.1126/science.1165395", "PMC2684823")
    assert paper.journal == "Science (New York, N.Y.)"
    assert paper.extra["journal_abbrev"] == "Science"
    assert "Breast Neoplasms" in paper.mesh and "Journal Article" in paper.pub_types
    assert paper.language == "eng" and paper.source == "pubmed"


def test_diacritics_orcid_and_character_references():
    paper = efetch("metapub_pmid_39382274.xml")[0]
    assert paper.authors[0] == {
        "family": "Blanco-Martín",
        "given": "Tania",
        "orcid": "0009-0003-1636-6429",
    }
    assert paper.authors[1]["family"] == "López-Hernández"
    assert "β-lactams" in paper.title
    assert "MIC50/MIC90" in paper.abstract  # <sub> flattened into the text


def test_the_same_record_from_2015_and_2024_reads_the_same():
    old = efetch("biocommons_efetch_pubmed_23121403_dtd2015.xml")[0]  # raw UTF-8
    new = efetch("biocommons_test_eutils_xmlfacades_pubmedarticle_23121403.body.xml")[0]  # &#x..;
    old_record, new_record = old.to_dict(), new.to_dict()
    # NLM changed the journal abbreviation's style between the two: "N. Engl. J. Med." -> "N Engl J Med"
    assert old_record.pop("extra")["issn"] == new_record.pop("extra")["issn"] == "1533-4406"
    assert old_record == new_record
    assert {"literal": "ASPIRE Investigators"} in old.authors
    assert not any("Cristófaro" in str(a) for a in old.authors)  # an investigator, not an author


def test_collective_authors_and_orcids_together():
    paper = efetch("biopython_pubmed7.xml")[0]
    assert {"literal": "Canadian Respiratory Research Network"} in paper.authors
    assert paper.authors[1] == {
        "family": "Capaldi",
        "given": "Dante",
        "orcid": "0000-0002-4590-7461",
    }
    only = efetch("hawc_TestPubMedFetch.test_collective_author.body.xml")[0]
    assert only.authors == [{"literal": "National Toxicology Program"}]


def test_medline_date_gives_the_year_and_month():
    papers = efetch("hawc2020_TestPubMedFetch.test_utf8.body.xml")
    assert (papers[0].pmid, papers[0].year, papers[0].month) == ("23878845", 2013, 11)


def test_structured_abstract_keeps_its_labels():
    paper = efetch("hawc_TestPubMedFetch.test_structured_abstract.body.xml")[0]
    sections = paper.abstract.split("\n\n")
    assert sections[0].startswith("BACKGROUND: People living or working in eastern Ohio")
    assert sections[1].startswith("OBJECTIVES: ")
    assert len(sections) >= 4


def test_inline_markup_in_titles_is_flattened():
    paper = efetch("biopython_pubmed4.xml")[0]
    assert paper.title == (
        "Leucocyte telomere length, genetic variants at the TERT gene region "
        "and risk of pancreatic cancer"
    )
    assert "<sup>" not in paper.abstract and "r2<0.25" in paper.abstract


def test_book_and_chapter_records():
    book = efetch("hawc_TestPubMedFetch.test_book.body.xml")[0]
    assert (book.entry_type, book.pmid, book.doi) == ("book", "26468569", "10.17226/21775")
    assert book.publisher == "National Academies Press (US)" and book.year == 2015
    assert len(book.authors) == 6 and all("literal" in a for a in book.authors)
    chapter = efetch("hawc_TestPubMedFetch.test_book_chapter.body.xml")[0]
    assert chapter.entry_type == "incollection" and chapter.journal == "GeneReviews®"
    assert chapter.title == "Single Large-Scale Mitochondrial DNA Deletion Syndromes"


def test_empty_sets_and_error_answers():
    assert efetch("metapub_pmid_37909814.xml") == []
    assert efetch("sulpub_efetch_nonexistent_ids_empty_set.body.xml") == []
    with pytest.raises(SourceError, match="Supplied id parameter is empty"):
        efetch("sulpub_efetch_empty_id_error_then_12529422.i0.body.xml")


def test_esearch_answers():
    count, ids, missing = parse_esearch(
        (NCBI / "hawc_TestPubMedSearch.test_standard_query.i1.body.xml").read_bytes()
    )
    assert count == 6 and ids[0] == "19008416" and missing == []
    count, ids, missing = parse_esearch((NCBI / "biopython_esearch8.xml").read_bytes())
    assert (count, ids, missing) == (0, [], ["abcXYZ"])


def test_crossref_work_fields():
    paper = work("habanero-2026_works_with_many_ids.body3.json")
    assert paper.doi == "10.1038/srep16696" and paper.entry_type == "article"
    assert paper.title.startswith("Single-molecule FRET studies on alpha-synuclein")
    assert (paper.journal, paper.volume, paper.issue) == ("Scientific Reports", "5", "1")
    assert paper.pages == "16696"  # an article number, no page range
    assert (paper.year, paper.month) == (2015, 11)
    assert len(paper.authors) == 8 and paper.authors[0] == {"family": "Tosatto", "given": "Laura"}
    assert paper.abstract.startswith("Oligomers of alpha-synuclein are toxic")
    assert "<jats" not in paper.abstract and not paper.abstract.startswith("Abstract")


def test_crossref_partial_dates_missing_dates_and_other_types():
    aging = work("habanero-2026_works_with_many_ids.body1.json")
    assert (aging.year, aging.month, aging.pages) == (2012, 3, "588-602")
    assert len(aging.authors) == 11
    proceedings = work("habanero-2026_works_with_many_ids.body4.json")
    assert proceedings.entry_type == "inproceedings" and proceedings.pages == "877-882"
    chapter = work("commonmeta_crossref_book_chapter.body2.json")
    assert chapter.entry_type == "incollection" and chapter.journal == "Shoulder Stiffness"
    preprint = work("commonmeta_posted_content_biorxiv.body2.json")
    assert preprint.entry_type == "misc" and preprint.doi == "10.1101/2020.12.01.406702"


def test_csl_json_from_content_negotiation():
    paper = work("habanero-2026_transform_csljson.body2.json")
    assert paper.doi == "10.1126/science.169.3946.635"
    assert paper.title.startswith("The Structure of Ordinary Water")
    assert (paper.journal, paper.volume, paper.issue, paper.pages) == (
        "Science",
        "169",
        "3946",
        "635-641",
    )
    assert paper.authors[0] == {"family": "Frank", "given": "Henry S."}
    assert paper.year == 1970


def test_jats_to_text():
    assert (
        jats_to_text(
            "<jats:title>Abstract</jats:title><jats:p>One &amp; two.</jats:p><jats:p>Three</jats:p>"
        )
        == "One & two.\n\nThree"
    )
