import pytest

from igbib import ids
from igbib.errors import InvalidIdentifier


@pytest.mark.parametrize(
    "text, expected",
    [
        ("10.1038/NCOMMS5006", "10.1038/ncomms5006"),
        ("doi:10.1148/radiol.2016161382", "10.1148/radiol.2016161382"),
        ("https://doi.org/10.1148/radiol.2016161382.", "10.1148/radiol.2016161382"),
        ("http://dx.doi.org/10.1000/xyz%2Fabc", "10.1000/xyz/abc"),
        ("10.1016/S0140-6736(12)61728-0", "10.1016/s0140-6736(12)61728-0"),
        ("(10.1016/S0140-6736(12)61728-0)", None),
        ("10.1016/S0140-6736(12)61728-0),", "10.1016/s0140-6736(12)61728-0"),
        ("11.1000/abc", None),
        ("10.1000", None),
    ],
)
def test_normalize_doi(text, expected):
    assert ids.normalize_doi(text) == expected


def test_pmid_and_pmcid_normal_forms():
    assert ids.normalize_pmid("PMID: 024827998") == "24827998"
    assert ids.normalize_pmid("2482799a") is None
    assert ids.normalize_pmcid("pmc4141648") == "PMC4141648"
    assert ids.normalize_pmcid("4141648") is None


@pytest.mark.parametrize(
    "text, expected",
    [
        ("arXiv:1902.00001v3", "1902.00001"),
        ("2311.12345", "2311.12345"),
        ("hep-th/9901001v2", "hep-th/9901001"),
        ("math.GT/0309136", "math.GT/0309136"),
        ("1902.1", None),
    ],
)
def test_normalize_arxiv(text, expected):
    assert ids.normalize_arxiv(text) == expected


@pytest.mark.parametrize(
    "url, expected",
    [
        ("https://www.ncbi.nlm.nih.gov/pubmed/24827998", {"pmid": "24827998"}),
        ("https://pubmed.ncbi.nlm.nih.gov/24827998/", {"pmid": "24827998"}),
        # links as real reading lists write them (tests/fixtures/lists)
        ("https://arxiv.org/ftp/arxiv/papers/2206/2206.02392.pdf", {"arxiv": "2206.02392"}),
        ("https://arxiv.org/html/2401.01234v2", {"arxiv": "2401.01234"}),
        (
            "https://www.biorxiv.org/content/biorxiv/early/2024/09/21/2024.09.16.613342.full.pdf",
            {"doi": "10.1101/2024.09.16.613342"},
        ),
        (
            "https://genomebiology.biomedcentral.com/track/pdf/10.1186/s13059-021-02286-2.pdf",
            {"doi": "10.1186/s13059-021-02286-2"},
        ),
        (
            "https://link.springer.com/content/pdf/10.1007/s10278-019-00227-x.pdf",
            {"doi": "10.1007/s10278-019-00227-x"},
        ),
        (
            "https://www.frontiersin.org/articles/10.3389/fgene.2021.620453/full",
            {"doi": "10.3389/fgene.2021.620453"},
        ),
        (
            "https://www.biorxiv.org/content/biorxiv/early/2017/02/21/110346.full.pdf",
            {"doi": "10.1101/110346"},
        ),
        ("https://www.ncbi.nlm.nih.gov/pubmed/?term=24827998", {"pmid": "24827998"}),
        ("https://www.ncbi.nlm.nih.gov/pmc/articles/PMC4141648/", {"pmcid": "PMC4141648"}),
        ("https://pmc.ncbi.nlm.nih.gov/articles/PMC4141648/", {"pmcid": "PMC4141648"}),
        ("https://doi.org/10.1038/ncomms5006", {"doi": "10.1038/ncomms5006"}),
        ("https://www.nature.com/articles/ncomms5006", {"doi": "10.1038/ncomms5006"}),
        ("https://www.nature.com/articles/srep17787.pdf", {"doi": "10.1038/srep17787"}),
        (
            "https://pubs.rsna.org/doi/10.1148/radiol.2016161382",
            {"doi": "10.1148/radiol.2016161382"},
        ),
        (
            "https://onlinelibrary.wiley.com/doi/abs/10.1002/mp.12345",
            {"doi": "10.1002/mp.12345"},
        ),
        (
            "https://www.biorxiv.org/content/10.1101/2020.01.01.123456v2.full.pdf",
            {"doi": "10.1101/2020.01.01.123456"},
        ),
        ("https://arxiv.org/abs/1902.00001v2", {"arxiv": "1902.00001"}),
        ("https://arxiv.org/pdf/1902.00001.pdf", {"arxiv": "1902.00001"}),
        ("https://europepmc.org/article/MED/24827998", {"pmid": "24827998"}),
        # Oxford Academic: the site's article number after the DOI is not the DOI's
        (
            "https://academic.oup.com/database/article/doi/10.1093/database/baw068/2630414",
            {"doi": "10.1093/database/baw068"},
        ),
        (
            "https://academic.oup.com/bib/advance-article/doi/10.1093/bib/bbad081/7079707",
            {"doi": "10.1093/bib/bbad081"},
        ),
        (
            "https://academic.oup.com/nar/advance-article/doi/10.1093/nar/gkad055/7041952",
            {"doi": "10.1093/nar/gkad055"},
        ),
        # a PMC page named by the paper's PMID
        ("https://www.ncbi.nlm.nih.gov/pmc/articles/pmid/26377073/", {"pmid": "26377073"}),
        # two links run together in one address (as markdown-it gives it, ``]`` encoded):
        # the first is the address, the DOI stops before ``](``
        (
            "https://www.biorxiv.org/content/10.1101/2023.01.15.524109v1%5D"
            "(https://academic.oup.com/bioinformatics/article/39/2/btad075/7025496)",
            {"doi": "10.1101/2023.01.15.524109"},
        ),
        (
            "https://www.biorxiv.org/content/10.1101/2023.01.15.524109v1]"
            "(https://academic.oup.com/bioinformatics/article/39/2/btad075/7025496)",
            {"doi": "10.1101/2023.01.15.524109"},
        ),
        ("https://www.pfmjournal.org/journal/view.php?number=9", {}),
        ("https://cancergenome.nih.gov/abouttcga/overview", {}),
        ("", {}),
    ],
)
def test_ids_from_url(url, expected):
    assert ids.ids_from_url(url) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("arXiv preprint arXiv:2306.11650", "2306.11650"),  # FedNoisy's BibTeX journal
        ("arXiv preprint arXiv:2301.00813", "2301.00813"),
        ("arXiv:hep-th/9901001v2", "hep-th/9901001"),
        ("Nature Methods", None),
        ("arXiv preprint", None),
        (None, None),
    ],
)
def test_an_arxiv_id_named_in_text(text, expected):
    assert ids.arxiv_in_text(text) == expected


def test_parse_identifier_reads_bare_ids_and_links():
    assert ids.parse_identifier("24827998") == ("pmid", "24827998")
    assert ids.parse_identifier("PMC4141648") == ("pmcid", "PMC4141648")
    assert ids.parse_identifier("10.1038/ncomms5006") == ("doi", "10.1038/ncomms5006")
    assert ids.parse_identifier("https://www.nature.com/articles/nbt1306") == (
        "doi",
        "10.1038/nbt1306",
    )


@pytest.mark.parametrize("bad", ["", "glioma", "https://example.org/paper", "PMC"])
def test_parse_identifier_names_what_it_cannot_read(bad):
    with pytest.raises(InvalidIdentifier) as err:
        ids.parse_identifier(bad)
    if bad:
        assert repr(bad.strip()) in str(err.value)


# -- storing identifiers: one rule for every importer and source --------------------


def test_set_identifiers_stores_normal_forms_and_keeps_bad_ones_in_extra():
    from igbib.model import Paper

    paper = Paper()
    ids.set_identifiers(
        paper,
        {"pmid": "0024827998", "pmcid": "pmc4141648", "doi": "not a doi", "arxiv": ""},
        links=["https://doi.org/10.1148/RADIOL.14131731", "https://arxiv.org/abs/1902.00001v2"],
    )
    assert (paper.pmid, paper.pmcid) == ("24827998", "PMC4141648")
    # a link fills a kind the record gave badly, but the bad value stays flagged
    assert paper.doi == "10.1148/radiol.14131731" and paper.extra == {"doi": "not a doi"}
    assert paper.arxiv == "1902.00001"


def test_set_identifiers_takes_the_first_valid_value_of_a_kind():
    from igbib.model import Paper

    paper = Paper()
    ids.set_identifiers(paper, [("doi", "10.1000"), ("doi", "10.1000/ABC"), ("doi", "10.1/x")])
    assert paper.doi == "10.1000/abc" and paper.extra == {}


def test_guessed_identifiers_are_taken_only_when_valid():
    from igbib.model import Paper

    paper = Paper()
    ids.set_identifiers(paper, {}, guesses={"pmid": "WOS:000337913900013", "pmcid": "PMC123"})
    assert paper.pmid is None and paper.pmcid == "PMC123" and paper.extra == {}


def _crossref_message(name="habanero-2026_works_with_many_ids.body1.json"):
    import json

    from conftest import DOI

    return json.loads((DOI / name).read_text())["message"]


def test_crossref_and_csl_records_store_pmids_in_their_normal_form():
    # No recorded Crossref or doi.org answer carrying a PMID was found in the shared
    # fixtures; CSL-JSON from Zotero and others writes one, sometimes zero-padded. The
    # input is a real recorded Crossref work with only the PMID and PMCID added.
    from igbib.csl import paper_from_csl

    item = {**_crossref_message(), "PMID": "0024827998", "PMCID": "PMC04141648"}
    paper = paper_from_csl(item, "crossref")
    assert (paper.pmid, paper.pmcid) == ("24827998", "PMC4141648")
    assert paper.doi == "10.1016/j.neurobiolaging.2010.03.024"


def test_a_bad_identifier_in_a_csl_json_or_ris_file_is_flagged_not_stored():
    import json

    from igbib.importers.csljson import parse_csljson
    from igbib.importers.ris import parse_ris
    from igbib.ops.flags import paper_flags

    item = {**_crossref_message(), "PMID": "PMID-24827998x"}
    csl = parse_csljson(json.dumps([item])).entries[0].paper
    ris = parse_ris("TY  - JOUR\nTI  - A title\nPY  - 2014\nDO  - 11.1148/x\nER  - \n")
    ris = ris.entries[0].paper
    assert csl.pmid is None and ris.doi is None
    for paper, bad in ((csl, "PMID-24827998x"), (ris, "11.1148/x")):
        reasons = [f["reason"] for f in paper_flags(paper) if f["code"] == "bad-identifier"]
        assert reasons and bad in reasons[0]


def test_a_ris_accession_number_that_is_no_pmid_is_ignored_without_a_flag():
    from igbib.importers.ris import parse_ris
    from igbib.ops.flags import paper_flags

    text = "TY  - JOUR\nTI  - A title\nPY  - 2014\nAN  - WOS:000337913900013\nER  - \n"
    paper = parse_ris(text).entries[0].paper
    assert paper.pmid is None
    assert not [f for f in paper_flags(paper) if f["code"] == "bad-identifier"]


def test_a_zero_padded_pmid_in_a_csl_json_file_matches_the_paper_already_held(tmp_path):
    """A CSL-JSON file that names a paper by a zero-padded PMID only is the paper, not a new one."""
    import json

    from conftest import NCBI

    from igbib.exporters.csl import csl_item
    from igbib.importers import Entry, ParsedFile, parse_file
    from igbib.ops.ingest import import_parsed
    from igbib.sources.pubmed import parse_efetch
    from igbib.store import Library

    body = (NCBI / "hawc_TestPubMedFetch.test_multiquery.i0.body.xml").read_bytes()
    pubmed = parse_efetch(body)[0]
    item = csl_item(pubmed)
    del item["DOI"], item["PMCID"]
    item["PMID"] = "00" + item["PMID"]
    path = tmp_path / "zotero.json"
    path.write_text(json.dumps([item]))
    with Library.open(tmp_path / "lib.sqlite", write=True) as library:
        import_parsed(library, ParsedFile("online", [Entry(pubmed, 0)]), "online")
        import_parsed(library, parse_file(path), path.name)
        assert library.count() == 1
        assert library.find_ids("pmid", "19008416") == [1]


def test_a_broken_identifier_address_is_told_from_a_page_of_the_service():
    from igbib.ids import malformed_ids

    assert malformed_ids("https://pubmed.ncbi.nlm.nih.gov/abc/") == {"pmid": "abc"}
    assert malformed_ids("https://doi.org/notadoi") == {"doi": "notadoi"}
    assert malformed_ids("https://www.ncbi.nlm.nih.gov/pmc/articles/PMCxyz/") == {"pmcid": "PMCxyz"}
    assert malformed_ids("https://arxiv.org/abs/99999.1") == {"arxiv": "99999.1"}
    for page in (
        "https://pubmed.ncbi.nlm.nih.gov/advanced/",
        "https://pubmed.ncbi.nlm.nih.gov/collections/123/",
        "https://pubmed.ncbi.nlm.nih.gov/?term=glioma",
        "https://pubmed.ncbi.nlm.nih.gov/12345/",  # a good one
        "https://www.ncbi.nlm.nih.gov/pubmed/?term=glioma",
    ):
        assert malformed_ids(page) == {}, page
