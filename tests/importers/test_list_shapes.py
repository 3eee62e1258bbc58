"""Each entry shape reading lists use, read into the same paper fields.

The shapes are those of the lists in ``fixtures/lists`` (whole files are tested in
``test_lists_corpus.py``); here each stands alone, so a change that breaks one
shape says which.
"""

import textwrap

import pytest

from igbib.importers.markdown import parse_markdown
from igbib.ops.flags import paper_flags


def read(text: str):
    parsed = parse_markdown(textwrap.dedent(text))
    return parsed, [e.paper for e in parsed.entries]


def one(text: str):
    parsed, papers = read(text)
    assert len(papers) == 1, (papers, parsed.others)
    return papers[0]


def test_title_link_then_authors_and_venue():
    paper = one(
        "- [Deep learning for glioma grading](https://arxiv.org/abs/2101.00001v2), "
        "A. Smith, B. Jones, MICCAI 2021\n"
    )
    assert paper.title == "Deep learning for glioma grading"
    assert paper.authors == [
        {"family": "Smith", "given": "A."},
        {"family": "Jones", "given": "B."},
    ]
    assert (paper.journal, paper.year, paper.arxiv) == ("MICCAI", 2021, "2101.00001")


def test_title_link_then_description():
    paper = one(
        "* [Radiomics: images are more than pictures](https://pubmed.ncbi.nlm.nih.gov/26579733/)"
        " - a review of the field.\n"
    )
    assert paper.title == "Radiomics: images are more than pictures"
    assert paper.pmid == "26579733" and paper.note == "a review of the field."


def test_bold_title_year_authors_and_a_pdf_label():
    paper = one(
        "* **Radiogenomics of glioblastoma** (2015), A. Author et al. "
        "[[pdf]](https://doi.org/10.1148/radiol.2016161382)\n"
    )
    assert paper.title == "Radiogenomics of glioblastoma"
    assert paper.authors == [{"family": "Author", "given": "A."}] and paper.et_al
    assert (paper.year, paper.doi) == (2015, "10.1148/radiol.2016161382")


def test_venue_tag_then_title_with_paper_and_code_labels():
    paper = one(
        "- [MICCAI 2019] Semi-supervised segmentation of the left atrium "
        "[[pdf]](https://arxiv.org/pdf/1907.07034.pdf) [[code]](https://github.com/yulequan/UA-MT)\n"
    )
    assert paper.title == "Semi-supervised segmentation of the left atrium"
    assert (paper.journal, paper.year, paper.arxiv) == ("MICCAI", 2019, "1907.07034")
    assert paper.listed["links"] == [{"label": "code", "url": "https://github.com/yulequan/UA-MT"}]


@pytest.mark.parametrize(
    "tag, venue, year",
    [("**CVPR'21**", "CVPR", 2021), ("**MedIA'24**", "MedIA", 2024), ("arXiv'2401", "arXiv", 2024)],
)
def test_short_venue_year_tags(tag, venue, year):
    paper = one(
        f"- Contrastive learning of medical images ({tag}) [[paper](https://arxiv.org/abs/2401.00001)]\n"
    )
    assert paper.title == "Contrastive learning of medical images"
    assert (paper.journal, paper.year) == (venue, year)


def test_a_badge_is_a_label_never_a_title_and_gives_venue_and_year():
    paper = one(
        "- Joint segmentation of lung nodules "
        "[![Paper](https://img.shields.io/badge/Paper-JPI%202013-blue)](https://doi.org/10.4103/2153-3539.109883)"
        " [![Code](https://img.shields.io/badge/Code-GitHub-black)](https://github.com/a/b)\n"
    )
    assert paper.title == "Joint segmentation of lung nodules"
    assert (paper.journal, paper.year, paper.doi) == ("JPI", 2013, "10.4103/2153-3539.109883")
    assert [link["url"] for link in paper.listed["links"]] == ["https://github.com/a/b"]


def test_a_line_of_badges_is_not_a_paper():
    parsed, papers = read(
        "[![Awesome](https://awesome.re/badge.svg)](https://awesome.re) "
        "[![License: MIT](https://img.shields.io/badge/License-MIT-yellow.svg)](LICENSE)\n"
    )
    assert papers == []
    assert [(o.line, o.kind) for o in parsed.others] == [(1, "badge")]


def test_numbered_item_with_authors_and_venue_on_sub_bullets():
    paper = one(
        """
        1. **Attention U-Net: learning where to look for the pancreas**
           - Ozan Oktay, Jo Schlemper, Loic Le Folgoc
           - MIDL 2018 [[arxiv]](https://arxiv.org/abs/1804.03999)
        """
    )
    assert paper.title == "Attention U-Net: learning where to look for the pancreas"
    assert [a["family"] for a in paper.authors] == ["Oktay", "Schlemper", "Le Folgoc"]
    assert (paper.year, paper.arxiv) == (2018, "1804.03999")


def test_labelled_block():
    paper = one(
        """
        **Title:** [Radiogenomic mapping of edema in glioblastoma](https://pubmed.ncbi.nlm.nih.gov/21998659/)
        **Authors:** Pascal O. Zinn, Bhanu Mahajan, Rivka R. Colen
        **Journal Info:** PLoS One, October 2011
        """
    )
    assert paper.title == "Radiogenomic mapping of edema in glioblastoma"
    assert [a["family"] for a in paper.authors] == ["Zinn", "Mahajan", "Colen"]
    assert (paper.journal, paper.year, paper.pmid) == ("PLoS One", 2011, "21998659")


def test_pipe_table_columns_found_by_their_headers():
    parsed, papers = read(
        """
        | Year | Venue | Title | Authors | Code |
        |------|-------|-------|---------|------|
        | 2020 | TMI | [Noise-robust segmentation of COVID-19 lesions](https://doi.org/10.1109/TMI.2020.3000314) | G. Wang and S. Zhang | [code](https://github.com/HiLab-git/COPLE-Net) |
        """
    )
    (paper,) = papers
    assert paper.title == "Noise-robust segmentation of COVID-19 lesions"
    assert (paper.year, paper.journal, paper.doi) == (2020, "TMI", "10.1109/tmi.2020.3000314")
    assert [a["family"] for a in paper.authors] == ["Wang", "Zhang"]
    assert paper.listed["links"][0]["url"] == "https://github.com/HiLab-git/COPLE-Net"


def test_html_table_title_in_one_cell_link_in_another():
    parsed, papers = read(
        """
        <table>
          <tr><th>Year</th><th>Paper</th><th>Venue</th><th>Link</th></tr>
          <tr><td>2022</td><td>Test-time adaptation for segmentation</td><td>MICCAI</td>
              <td><a href="https://arxiv.org/abs/2203.00001">arXiv</a></td></tr>
        </table>
        """
    )
    (paper,) = papers
    assert paper.title == "Test-time adaptation for segmentation"
    assert (paper.year, paper.journal, paper.arxiv) == (2022, "MICCAI", "2203.00001")


def test_bibtex_in_a_code_block_completes_its_entry():
    parsed, papers = read(
        """
        - [Loss odyssey in medical image segmentation](https://doi.org/10.1016/j.media.2021.102035)

          ```bibtex
          @article{ma2021loss, title = {Loss odyssey in medical image segmentation},
            author = {Ma, Jun and Chen, Jianan}, journal = {Medical Image Analysis}, year = {2021}}
          ```
        """
    )
    (paper,) = papers
    assert paper.journal == "Medical Image Analysis" and paper.year == 2021
    assert paper.authors == [
        {"family": "Ma", "given": "Jun"},
        {"family": "Chen", "given": "Jianan"},
    ]
    assert paper.citekey == "ma2021loss"


def test_wrapped_titles_unclosed_details_and_comments():
    papers = [
        e.paper
        for e in parse_markdown(
            "## Papers\n"
            "- Smith et al., [A title wrapped\n  over two lines](https://pubmed.ncbi.nlm.nih.gov/1/),"
            " *J*, 2020\n"
            "<!--\n- Hidden et al., [Not listed](https://pubmed.ncbi.nlm.nih.gov/2/), *J*, 2020\n-->\n"
            "- Tool - a tool <details><summary>Paper</summary>\n"
            "    Lee, Ann, and Bo Kim. “A cited paper title here.” Nature 1 (2021): 1."
            " https://doi.org/10.1038/s41586-021-03819-2\n"
        ).entries
    ]
    assert [p.title for p in papers] == [
        "A title wrapped over two lines",
        "A cited paper title here",
    ]
    assert papers[1].doi == "10.1038/s41586-021-03819-2" and papers[1].year == 2021
    assert papers[1].authors == [
        {"family": "Lee", "given": "Ann"},
        {"family": "Kim", "given": "Bo"},
    ]


def test_crlf_file(tmp_path):
    from igbib.importers import parse_file

    path = tmp_path / "list.md"
    path.write_bytes(
        b"## Papers\r\n- Smith et al., [A title](https://pubmed.ncbi.nlm.nih.gov/1/), *J*, 2020\r\n"
    )
    (entry,) = parse_file(path).entries
    assert entry.paper.title == "A title" and entry.paper.year == 2020


def test_sections_from_bold_lines_and_software_kept_out():
    parsed, papers = read(
        """
        **Segmentation**

        - [U-Net: convolutional networks for biomedical image segmentation](https://arxiv.org/abs/1505.04597)
        - [nnU-Net](https://github.com/MIC-DKFZ/nnUNet) - a self-configuring framework
        """
    )
    assert [p.title for p in papers] == [
        "U-Net: convolutional networks for biomedical image segmentation"
    ]
    assert [s.name for s in parsed.sections] == ["Segmentation"]
    assert [(o.line, o.kind) for o in parsed.others] == [(5, "software")]


def test_a_link_labelled_with_the_papers_identifier_is_its_link_not_its_title():
    paper = one(
        """
        **From sequence to function: deep learning for protein design.**
        Ann Lee, Bo Kim, Cy Park.
        *Preprint, September 2022.*
        [[10.1101/2022.08.31.505981](https://doi.org/10.1101/2022.08.31.505981)]
        """
    )
    assert paper.title == "From sequence to function: deep learning for protein design"
    assert [a["family"] for a in paper.authors] == ["Lee", "Kim", "Park"]
    assert (paper.journal, paper.year, paper.doi) == ("Preprint", 2022, "10.1101/2022.08.31.505981")


def test_a_bold_venue_tag_in_brackets_and_a_title_wrapped_before_a_hard_break():
    paper = one(
        "[**NeurIPS 2022 Workshop**] Local alignment in image-text contrastive learning via\n"
        "medical images \\\n"
        "_Ann Lee, Bo Kim_ \\\n"
        "[[paper](https://arxiv.org/abs/2303.14153)]\n"
    )
    assert paper.title == "Local alignment in image-text contrastive learning via medical images"
    assert (paper.journal, paper.year, paper.arxiv) == ("NeurIPS Workshop", 2022, "2303.14153")
    assert [a["family"] for a in paper.authors] == ["Lee", "Kim"]


def test_a_named_citation_and_authors_ending_with_and():
    named = one(
        '- **TrackIt:** Ann Lee, Bo Kim, Cy Park.<br />\n  "Tracking with human intent." '
        "ArXiv (2023).\n  [[paper](https://arxiv.org/abs/2312.17448)]\n"
    )
    assert named.title == "Tracking with human intent"
    assert [a["family"] for a in named.authors] == ["Lee", "Kim", "Park"]
    assert (named.year, named.arxiv, named.note) == (2023, "2312.17448", "TrackIt")
    anded = one(
        "- [SNP-based heritability](https://pubmed.ncbi.nlm.nih.gov/28854176/); "
        "Jian Yang, Naomi R. Wray, and Peter M. Visscher. 2017.\n"
    )
    assert [a["family"] for a in anded.authors] == ["Yang", "Wray", "Visscher"]
    assert (anded.year, anded.journal) == (2017, None)


def test_venue_and_year_at_the_end_of_a_bold_title():
    paper = one(
        """
        - **Graph smoothing splines neural network (AAAI 2020)**
          - Ann Lee, Bo Kim
          - [[Paper]](https://arxiv.org/abs/2001.00001)
        """
    )
    assert paper.title == "Graph smoothing splines neural network"
    assert (paper.journal, paper.year) == ("AAAI", 2020)


def test_a_table_row_with_a_title_and_no_link_is_a_paper_without_a_link():
    parsed, papers = read(
        """
        | Date | First Author | Title |
        |------|--------------|-------|
        | 20201008 | Ann Lee | Automatic aneurysm segmentation via 3D U-Net ensemble |
        """
    )
    (paper,) = papers
    assert (paper.title, paper.year) == (
        "Automatic aneurysm segmentation via 3D U-Net ensemble",
        2020,
    )
    assert any(f["code"] == "no-link" for f in paper_flags(paper))


def test_an_empty_link_among_contents_links_is_contents_not_a_paper():
    parsed, papers = read(
        """
        - [General GWAS](#gwas)
        - [Integration of gene-expression and GWAS data]()
        """
    )
    assert papers == []
    assert [(o.line, o.kind) for o in parsed.others] == [
        (2, "table of contents"),
        (3, "table of contents"),
    ]


def test_sentences_figures_and_bare_addresses():
    parsed, papers = read(
        """
        - Check out this awesome [paper](https://arxiv.org/abs/2001.00001)
        - **The future of imaging is here** [[paper]](https://arxiv.org/abs/2001.00002)
        - A survey of radiogenomics https://arxiv.org/abs/2001.00003
        - ![overview](fig.png) Smith et al., [A title](https://doi.org/10.1038/nature12345), *Nature*, 2020
        """
    )
    assert [(p.title, p.arxiv or p.doi) for p in papers] == [
        ("The future of imaging is here", "2001.00002"),
        ("A survey of radiogenomics", "2001.00003"),
        ("A title", "10.1038/nature12345"),
    ]
    assert papers[2].authors == [{"family": "Smith"}]  # not the figure's alt text
    assert [(o.line, o.kind) for o in parsed.others] == [(2, "text")]
