"""Real lines of the lists in ``fixtures/lists``, each read as a reader of the list reads it.

Every test names the file and the line(s) it checks; the whole file is parsed, so each
line is read in its place (under its heading, in its table).
"""

from functools import cache

import pytest
from conftest import FIXTURES

from igbib.importers import parse_file

LISTS = FIXTURES / "lists"
SSL4MIS = "HiLab-git__SSL4MIS__README.md"
HEALTHCARE = "Jianing-Qiu__Awesome-Healthcare-Foundation-Models__README.md"
SEGLOSS = "JunMa11__SegLossOdyssey__README.md"
OMICSML = "OmicsML__awesome-deep-learning-single-cell-papers__README.md"
FEDNOISY = "SMILELab-FL__FedNoisy__README.md"
BIOIE = "caufieldjh__awesome-bioie__README.md"
TTA = "lixiang007666__Awesome-Medical-TTA__README.md"
CANCER = "mdozmorov__Cancer_notes__README.md"
MULTIOMICS = "mikelove__awesome-multi-omics__README.md"


@cache
def parsed(name: str):
    return parse_file(LISTS / name)


def entries_at(name: str, line: int):
    return [e for e in parsed(name).entries if e.line == line]


def paper_at(name: str, line: int):
    found = entries_at(name, line)
    assert len(found) == 1, (line, [e.paper.title for e in found])
    return found[0].paper


def source_line(name: str, line: int) -> str:
    return (LISTS / name).read_text().split("\n")[line - 1]


# -- 1. a venue tag as a link's label is the paper's link ----------------------------------


@pytest.mark.parametrize("line", [63, 70, 89, 107, 160, 161, 166, 180, 244, 275, 291])
def test_a_venue_label_links_to_the_paper_not_to_a_page(line):
    # ``| … | [MedIA2020](https://www.sciencedirect.com/…) |``: the Reference column
    paper = paper_at(SSL4MIS, line)
    assert paper.url and paper.url.startswith("https://www.sciencedirect.com/")
    assert paper.url in source_line(SSL4MIS, line)
    assert all(link["url"] != paper.url for link in paper.listed.get("links", []))
    assert paper.journal == "MedIA"


# -- 2. a bold group heading right under a heading holds all its items ---------------------


def test_a_bold_group_right_under_a_heading_takes_all_its_items():
    # ``### General Domain`` / ``**CNNs**:`` / 7 items / ``**Vision Transformers**:``
    assert {e.section for line in range(226, 233) for e in entries_at(HEALTHCARE, line)} == {"CNNs"}
    # ``**Multi-modal Chatbot**`` / 1 item / ``**Representation learning**:`` / 17 items
    assert {e.section for line in range(300, 317) for e in entries_at(HEALTHCARE, line)} == {
        "Representation learning"
    }
    names = [s.name for s in parsed(HEALTHCARE).sections]
    assert names.index("Large Vision Models / General Domain") < names.index("CNNs")
    assert names.index("CNNs") < names.index("Vision Transformers")


# -- 3. titles: never a bold label, a tag's word, a link's label or a supplement's name -----


@pytest.mark.parametrize(
    "line, title",
    [
        # ``**Noise-robust Dice loss:** A Noise-robust Framework …`` (a table's title cell)
        (48, "A Noise-robust Framework for Automatic Segmentation of COVID-19 Pneumonia "
         "Lesions from CT Images"),
        (49, "Learning a Loss Function for Segmentation: A Feasibility Study"),
        # ``**TopK loss** Bridging …``: a lower-case name, then a capitalised title
        (77, "Bridging Category-level and Instance-level Semantic Image Segmentation"),
        # ``**"Sensitivity-Specifity loss"** Deep …``
        (78, "Deep Convolutional Encoder Networks for Multiple Sclerosis Lesion Segmentation"),
        # ``**clDice** - a Novel … [(keras and pytorch)](github…)``: the code link is no word
        (34, "clDice - a Novel Topology-Preserving Loss Function for Tubular Structure "
         "Segmentation"),
        # ``**PolyLoss**: A Polynomial …``: a colon after the bold name is the title's
        (30, "PolyLoss: A Polynomial Expansion Perspective of Classification Loss Functions"),
        (29, "blob loss: instance imbalance aware loss functions for semantic segmentation"),
        # ``The **Lovász-Softmax loss:** A tractable …``: words before the bold, one title
        (72, "The Lovász-Softmax loss: A tractable surrogate for the optimization of the "
         "intersection-over-union measure in neural networks"),
        # ``**Focal Loss** for Dense Object Detection``: the bold words start the title
        (69, "Focal Loss for Dense Object Detection"),
    ],
)  # fmt: skip
def test_a_bold_label_before_a_title_cell_is_not_the_title(line, title):
    assert paper_at(SEGLOSS, line).title == title


def test_the_code_link_in_a_title_cell_is_kept_as_a_link():
    paper = paper_at(SEGLOSS, 34)
    assert paper.listed["links"] == [
        {"label": "keras and pytorch", "url": "https://github.com/jocpae/clDice"}
    ]


@pytest.mark.parametrize(
    "line, title, doi",
    [
        # ``[2019 Nature Methods, **Harmony**] **Fast, sensitive …**``: a bold word in a tag
        (337, "Fast, sensitive and accurate integration of single-cell data with Harmony",
         "10.1038/s41592-019-0619-0"),
        # ``**Clustering …** [[Survey]](nature.com…)``: a bracketed label is no title
        (519, "Clustering of single-cell multi-omics data with a multimodal deep learning method",
         "10.1038/s41467-022-35031-9"),
        (520, "A benchmark study of deep learning-based multi-omics data fusion methods for cancer",
         "10.1186/s13059-022-02739-2"),
    ],
)  # fmt: skip
def test_bold_titles_beside_bracketed_tags_and_labels(line, title, doi):
    paper = paper_at(OMICSML, line)
    assert (paper.title, paper.doi) == (title, doi)


@pytest.mark.parametrize(
    "line, family, title",
    [
        (347, "Hammerl", "Spatial Immunophenotypes Predict Response to Anti-PD1 Treatment"),
        (647, "Park", "Higher Order Genetic Interactions Switch Cancer Genes"),
        (752, "Alečković", "Breast Cancer Prevention by Short-Term Inhibition of TGFβ Signaling"),
        (775, "Cook", "Transcriptional Census of Epithelial-Mesenchymal Plasticity in Cancer"),
        (994, "Huang", "Defining Super-Enhancer Landscape in Triple-Negative Breast Cancer"),
    ],
)
def test_a_supplement_link_in_a_description_gives_way_to_the_folded_citation(line, family, title):
    # ``- … 42 genes, [Supplementary Dataset 1](…#Sec27) lists them`` / ``<details>``
    # ``<summary>Paper</summary>`` Hammerl, Dora, … “Spatial Immunophenotypes …”
    paper = paper_at(CANCER, line)
    assert paper.title.startswith(title)
    assert paper.authors[0]["family"] == family
    assert not paper.title.lower().startswith("suppl")
    # the supplement's link stays on the paper, under its own label
    assert any(link["label"].lower().startswith("suppl") for link in paper.listed["links"])


def test_a_consortium_citation_folded_under_a_data_link():
    paper = paper_at(CANCER, 883)
    assert paper.title == "Genomic Basis for RNA Alterations in Cancer"
    assert paper.doi == "10.1038/s41586-020-1970-0"


# -- 4. identifiers from the links and BibTeX lists give ----------------------------------


def test_an_oxford_academic_link_gives_the_doi_without_the_article_number():
    paper = paper_at(BIOIE, 225)
    assert paper.doi == "10.1093/database/baw068"
    # the corpus's own link, its name's closing bracket kept
    assert paper.listed["links"][0]["label"] == "BioCreAtIvE V CDR Task Corpus (BC5CDR)"


def test_two_links_run_together_give_the_first_ones_doi_not_the_whole_text():
    # ``[[paper]](https://www.biorxiv.org/content/10.1101/…v1](https://academic.oup.com/…))``
    assert paper_at(OMICSML, 484).doi == "10.1101/2023.01.15.524109"


def test_a_pmc_link_named_by_pmid_gives_the_pmid():
    paper = paper_at(MULTIOMICS, 50)
    assert paper.pmid == "26377073"


def test_an_arxiv_id_in_a_bibtex_journal_field():
    # ```latex @article{liang2023fednoisy, … journal={arXiv preprint arXiv:2306.11650}
    paper = paper_at(FEDNOISY, 713)
    assert (paper.citekey, paper.arxiv) == ("liang2023fednoisy", "2306.11650")


# -- 5. table columns found by their header's name ------------------------------------------


def test_the_venue_column_is_the_one_named_venue_not_the_track():
    # <th>Year</th><th>Title</th><th>Track</th><th>Venue</th>…<th>Notes</th>
    venues = {e.line: (e.paper.journal, e.paper.year) for e in parsed(TTA).entries}
    assert venues == {
        30: ("ICLR", 2021),
        42: ("NeurIPS", 2021),
        54: ("IEEE TMI", 2022),
        66: ("IEEE TMI", 2025),
        78: ("CVPR", 2022),
        90: ("CVPR", 2024),
    }
    # the Notes column is the paper's description
    assert paper_at(TTA, 30).note == "Canonical entropy minimization baseline"


@pytest.mark.parametrize(
    "name, line, families",
    [
        (SEGLOSS, 48, ["Wang"]),  # | Date | First Author | Title | Venue |
        (SSL4MIS, 75, ["Basak", "yin"]),  # | Date | The First and Last Authors | …
    ],
)
def test_a_first_author_column_gives_an_incomplete_author_list(name, line, families):
    paper = paper_at(name, line)
    assert [a["family"] for a in paper.authors] == families
    assert paper.et_al


# -- 6. the description after a row of labelled links ---------------------------------------


@pytest.mark.parametrize(
    "line, name, described",
    [
        # ``* [SciBERT](github) - [paper](arxiv) - A BERT model trained on …``
        (192, "SciBERT", "A BERT model trained on >1M papers from the Semantic Scholar database."),
        # ``- [paper](…) - [code](…) - …``: after the code link too
        (188, "BioBERT", "A PubMed and PubMed Central-trained version of the BERT language model."),
        # a link inside the description keeps its words
        (169, "SemEHR", "an IE infrastructure for electronic health records (EHR). Built on the "
         "CogStack project."),
        (261, "Disease Ontology", "An ontology of human diseases. Has cross-links to MeSH, ICD, "
         "NCI Thesaurus, SNOMED, and OMIM. Public domain. Available on GitHub and on the OBO "
         "Foundry."),
    ],
)  # fmt: skip
def test_the_description_after_a_paper_link_is_kept(line, name, described):
    paper = paper_at(BIOIE, line)
    assert paper.listed["name"] == name
    assert paper.listed["description"] == described
    assert paper.note == f"{name} - {described}"


# -- 7. two table rows on one source line ----------------------------------------------------


def test_a_row_run_into_the_row_before_it_is_read_not_dropped():
    # ``|2022-01|H. Yao and X. Li|Enhancing …|None|[AAAI2022](…)|H. Basak and A. Chatterjee|
    # An Embarrassingly Simple …|[Code](…)|[ISBI2022](https://arxiv.org/abs/2202.00677)|``
    first, second = (e.paper for e in entries_at(SSL4MIS, 185))
    assert first.title.startswith("Enhancing Pseudo Label Quality")
    assert second.title.startswith("An Embarrassingly Simple Consistency Regularization")
    assert [a["family"] for a in second.authors] == ["Basak", "Chatterjee"]
    assert (second.journal, second.year, second.arxiv) == ("ISBI", 2022, "2202.00677")
    assert second.listed["links"] == [
        {"label": "Code", "url": "https://github.com/hritam-98/ICT-MedSeg"}
    ]


# -- 9. a bracket tag's venue, without the list's words after it ----------------------------


@pytest.mark.parametrize(
    "line, venue, year",
    [
        (180, "arxiv", 2023),  # ``[2023 arxiv survey from CS field]``
        (194, "ICLR", 2020),  # ``[2020 ICLR, image-gene expression pretraining]``
        (507, "CHIL", 2022),  # ``[2022 CHIL '20: Proceedings of the ACM Conference on …]``
        (337, "Nature Methods", 2019),  # ``[2019 Nature Methods, **Harmony**]``
        (538, "NeurIPS", 2019),  # ``[2019 NeurIPS multi-lingual pretraining for multi-omics]``
        (522, "PLoS computational biology", 2019),  # a name in lower case stays whole
    ],
)
def test_a_tags_venue_is_the_venue_only(line, venue, year):
    paper = paper_at(OMICSML, line)
    assert (paper.journal, paper.year) == (venue, year)


def test_a_venue_name_with_a_series_of_commas_stays_whole():
    paper = paper_at("amirhossein-kz__Awesome-Diffusion-Models-in-Medical-Imaging__README.md", 1736)
    assert paper.journal == (
        "IEEE Transactions on Ultrasonics, Ferroelectrics, and Frequency Control Journal"
    )
