"""Citation keys: one set of parts for the stored key and for ``--key-format``."""

import pytest
from conftest import NCBI, SEED

from igbib.citekey import base_key, key_parts
from igbib.exporters import Options, render
from igbib.exporters.bibtex import keys_for
from igbib.importers import parse_file
from igbib.model import Paper
from igbib.sources.pubmed import parse_efetch


def collective():
    """A real PubMed record whose first author is a collective name."""
    body = (NCBI / "hawc_TestPubMedFetch.test_collective_author.body.xml").read_bytes()
    paper = parse_efetch(body)[0]
    assert paper.authors[0] == {"literal": "National Toxicology Program"}
    paper.citekey = "national2011nitrofen"
    return paper


def test_key_format_word_for_a_collective_author():
    paper = collective()
    assert key_parts(paper) == ("national", "2011", "nitrofen")
    assert keys_for([paper], "{word}") == ["nitrofen"]
    assert keys_for([paper], "{Family}{year}") == ["National2011"]
    text = render("bibtex", [paper], Options(key_format="{word}-{year}"))
    assert "{nitrofen-2011," in text


def real_papers():
    papers = [e.paper for e in parse_file(SEED).entries]
    for name in (
        "hawc_TestPubMedFetch.test_multiquery.i0.body.xml",
        "hawc_TestPubMedFetch.test_book.body.xml",
        "hawc2020_TestPubMedFetch.test_utf8.body.xml",
        "metapub_pmid_39382274.xml",
    ):
        papers.extend(parse_efetch((NCBI / name).read_bytes()))
    return [*papers, collective()]


def test_the_default_key_format_gives_the_key_a_new_paper_gets():
    papers = real_papers()
    assert len(papers) > 50
    assert keys_for(papers, "{family}{year}{word}") == _unique([base_key(p) for p in papers])


def _unique(keys):
    from igbib.citekey import unique_key

    taken: set[str] = set()
    out = []
    for key in keys:
        out.append(unique_key(key, taken))
        taken.add(out[-1])
    return out


@pytest.mark.parametrize(
    "author, key",
    [
        ({"family": "Müller", "given": "A"}, "muller2014glioma"),
        ({"family": "Gołosz"}, "golosz2014glioma"),
        ({"family": "Þórsson"}, "thorsson2014glioma"),  # Icelandic thorn
        ({"family": "Ðoković"}, "dokovic2014glioma"),  # capital eth
        ({"family": "Đorđević"}, "dordevic2014glioma"),
        ({"literal": "The Cancer Genome Atlas Research Network"}, "the2014glioma"),
        ({"literal": "   "}, "anon2014glioma"),
    ],
)
def test_keys_spell_every_latin_letter_in_ascii(author, key):
    paper = Paper(title="The glioma atlas", year=2014, authors=[author])
    assert base_key(paper) == key


def test_a_paper_with_nothing_gets_anon():
    assert key_parts(Paper()) == ("anon", "", "")
    assert base_key(Paper(title="On the of")) == "anon"
