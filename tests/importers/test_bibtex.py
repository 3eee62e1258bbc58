"""The BibTeX importer on a real lab bibliography and on broken input."""

import textwrap

from conftest import FIXTURES

from igbib.importers import parse_file
from igbib.importers.bibtex import parse_bibtex

SAMPLE = FIXTURES / "cdl-sample.bib"


def by_key(parsed):
    return {e.paper.citekey: e.paper for e in parsed.entries}


def test_real_file_imports_every_entry_with_capitalised_field_names():
    parsed = parse_file(SAMPLE)
    assert len(parsed.entries) == 54
    assert parsed.failed == []
    papers = by_key(parsed)
    rame = papers["Rame72"]
    assert rame.title == "An iterative procedure for the polygonal approximation of plane curves"
    assert rame.journal == "Computer Graphics and Image Processing"
    assert (rame.year, rame.volume, rame.issue, rame.pages) == (1972, "1", "3", "244-256")
    assert rame.authors == [{"family": "Ramer", "given": "U"}]
    assert papers["Thor13"].entry_type == "book"
    assert papers["Thor13"].publisher == "Teachers College, Columbia University"


def test_latex_names_are_decoded_and_braced_names_kept_whole():
    papers = by_key(parse_file(SAMPLE))
    families = {a.get("family") or a.get("literal") for p in papers.values() for a in p.authors}
    for name in ("Gołosz", "Großberger", "Mächler", "Vélez", "Čadik", "Uğurbil", "La Joie"):
        assert name in families, name
    assert "SciPy 1 0 Contributors" in families
    scipy = next(p for p in papers.values() if any("SciPy" in str(a) for a in p.authors))
    assert {"literal": "SciPy 1 0 Contributors"} in scipy.authors
    assert {"family": "van der Walt", "given": "Stéfan J"} in scipy.authors
    assert {"family": "Polat", "given": "İlhan"} in scipy.authors
    davos = next(p for p in papers.values() if p.title and p.title.startswith("Davos"))
    assert davos.title.startswith("Davos: A Python package “smuggler”")


def test_identifiers_are_recognised_and_other_fields_kept():
    parsed = parse_bibtex(
        textwrap.dedent(
            r"""
            @article{gevaert2014,
              author = {Gevaert, Olivier and Mitchell, Lex A and others},
              title = {Glioblastoma multiforme: exploratory radiogenomic analysis},
              journal = {Radiology}, year = 2014, month = jul,
              doi = {https://doi.org/10.1148/RADIOL.14131731}, pmid = {24827998},
              pmcid = {PMC4313294}, keywords = {radiogenomics; glioblastoma},
              address = {Oak Brook}
            }
            @misc{preprint, title = {A preprint}, author = {Wu, Li}, year = {2019},
              eprint = {1902.00001v2}, archivePrefix = {arXiv}}
            @misc{other, title = {Another preprint}, author = {Wu, Li}, year = {2021},
              arxiv = {arXiv:2101.00001v2}}
            """
        )
    )
    gevaert, preprint, other = (e.paper for e in parsed.entries)
    assert other.arxiv == "2101.00001" and other.extra == {}  # an ``arxiv`` field is one
    assert gevaert.doi == "10.1148/radiol.14131731"
    assert (gevaert.pmid, gevaert.pmcid, gevaert.month) == ("24827998", "PMC4313294", 7)
    assert gevaert.et_al and len(gevaert.authors) == 2
    assert gevaert.keywords == ["radiogenomics", "glioblastoma"]
    assert gevaert.extra == {"address": "Oak Brook"}
    assert preprint.arxiv == "1902.00001" and preprint.entry_type == "misc"


def test_broken_entries_are_listed_with_line_numbers_and_good_ones_kept():
    parsed = parse_bibtex(
        textwrap.dedent(
            """\
            @article{good1, title = {First}, year = {2014}}

            @article{broken,
              title = {Missing brace,
              year = 2014,

            @article{good2, title = {Second}, year = {2015}}
            @article{twice, title = {A}, title = {B}, year = {2000}}
            """
        )
    )
    assert [e.paper.citekey for e in parsed.entries] == ["good1", "good2"]
    assert [line for line, _ in parsed.failed] == [3, 8]
    assert "broken" in parsed.failed[0][1]
    assert "twice" in parsed.failed[1][1] and "title" in parsed.failed[1][1]


def test_a_repeated_key_is_still_imported():
    parsed = parse_bibtex(
        "@article{k, title={One}, year={2001}}\n@article{k, title={Two}, year={2002}}\n"
    )
    assert [e.paper.title for e in parsed.entries] == ["One", "Two"]


def test_keywords_with_commas_stay_one_term_through_an_export():
    from igbib.exporters import Options, render
    from igbib.model import Paper

    paper = Paper(
        citekey="k",
        title="T",
        year=2020,
        keywords=["radiomics"],
        mesh=["Cell Line, Tumor", "Humans"],
    )
    text = render("bibtex", [paper], Options())
    assert "keywords = {radiomics, {Cell Line, Tumor}, Humans}" in text
    back = parse_bibtex(text).entries[0].paper
    assert back.keywords == ["radiomics", "Cell Line, Tumor", "Humans"]


def test_eprints_are_arxiv_ids_only_when_they_read_as_one():
    parsed = parse_bibtex(
        textwrap.dedent(
            """
            @misc{a, title = {A}, year = 2019, eprint = {1902.00001v2}}
            @misc{b, title = {B}, year = 2019, eprint = {not-an-id}, archivePrefix = {arXiv}}
            @misc{c, title = {C}, year = 2019, eprint = {12345}, archivePrefix = {HAL}}
            @misc{d, title = {D}, year = 2019, eprint = {12345}}
            """
        )
    )
    papers = by_key(parsed)
    assert papers["a"].arxiv == "1902.00001" and "eprint" not in papers["a"].extra
    # named as an arXiv id but not one: the error channel, like a bad PMID or DOI
    assert papers["b"].arxiv is None and papers["b"].extra["arxiv"] == "not-an-id"
    assert papers["c"].extra == {"archiveprefix": "hal", "eprint": "12345"}
    assert papers["d"].arxiv is None and papers["d"].extra == {"eprint": "12345"}


def test_a_missing_comma_between_fields_is_reported_not_read_as_a_name():
    # as in a real README: ``author = {…}`` with no comma before ``doi = {…}``
    parsed = parse_bibtex(
        textwrap.dedent(
            """\
            @article{LossOdyssey,
            title = {Loss Odyssey in Medical Image Segmentation},
            year = {2021},
            author = {Jun Ma and Jianan Chen}
            doi = {https://doi.org/10.1016/j.media.2021.102035},
            }
            @article{good, title = {A fine entry}, author = {Lee, Ann}, year = {2020}}
            """
        )
    )
    assert [e.paper.citekey for e in parsed.entries] == ["good"]
    assert parsed.failed == [
        (1, "entry LossOdyssey: author runs into the next field (a comma missing after it?)")
    ]
