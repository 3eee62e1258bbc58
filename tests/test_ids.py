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
        ("https://www.pfmjournal.org/journal/view.php?number=9", {}),
        ("https://cancergenome.nih.gov/abouttcga/overview", {}),
        ("", {}),
    ],
)
def test_ids_from_url(url, expected):
    assert ids.ids_from_url(url) == expected


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
