"""The awesome-list importer, on the seed and on the forms hand-edited lists contain."""

import textwrap

from conftest import SEED

from igbib.importers import parse_file
from igbib.importers.markdown import looks_like_awesome_list, parse_markdown


def parse(text: str):
    return parse_markdown(textwrap.dedent(text))


def test_seed_entries_placeholders_sections_and_datasets():
    parsed = parse_file(SEED)
    assert len(parsed.entries) == 52
    assert len(parsed.skipped) == 7
    assert all(reason == "empty placeholder" for _, reason in parsed.skipped)
    assert [s.name for s in parsed.sections] == [
        "This paper list is partially attributable to the following papers.",
        "Imaging Genomics (Radiogenomics, Imaging Genetics)",
    ]
    assert sum(e.section == parsed.sections[0].name for e in parsed.entries) == 2
    assert len(parsed.datasets) == 4
    assert parsed.datasets[0]["url"] == "https://cancergenome.nih.gov/abouttcga/overview"
    assert parsed.datasets[0]["name"] == "The Cancer Genomic Atlas (TCGA)"


def test_seed_wrapped_title_is_joined():
    parsed = parse_file(SEED)
    bai = next(e.paper for e in parsed.entries if e.paper.first_author == "Bai")
    assert bai.title == "Imaging genomics in cancer research: limitations and promises"
    assert bai.pmid == "26864054"
    assert bai.journal == "The British Journal of Radiology"
    assert bai.year == 2016


def test_seed_identifiers_from_each_link_form():
    papers = {e.paper.title: e.paper for e in parse_file(SEED).entries}
    by_start = {t.split(":")[0][:30]: p for t, p in papers.items()}
    kick = by_start["Radiogenomics of glioblastoma"]
    assert kick.doi == "10.1148/radiol.2016161382"
    aerts = next(p for p in papers.values() if p.first_author == "Aerts")
    assert aerts.doi == "10.1038/ncomms5006"
    osborne = next(p for p in papers.values() if p.first_author == "Osborne")
    assert osborne.pmcid == "PMC4141648"
    lee = next(p for p in papers.values() if p.first_author == "Lee")
    assert lee.url == "https://www.pfmjournal.org/journal/view.php?number=9"
    assert lee.identifiers() == {}
    hu = next(p for p in papers.values() if p.first_author == "Hu")
    assert hu.year is None and hu.listed["year"] == "201"
    palaskas = next(p for p in papers.values() if p.first_author == "Palaskas")
    assert palaskas.listed["link"] == "" and palaskas.identifiers() == {}


def test_prose_is_kept_in_order():
    parsed = parse_file(SEED)
    kinds = [b["kind"] for b in parsed.blocks]
    assert kinds[0] == "prose" and kinds.count("section") == 2 and kinds.count("dataset") == 4
    assert parsed.blocks[0]["text"].startswith("# Awesome Imaging Genetics\nRecent advances")
    assert "* [ ] More datasets" in parsed.blocks[0]["text"]
    prose = "\n".join(b["text"] for b in parsed.blocks if b["kind"] == "prose")
    assert "## Datasets" in prose
    assert "et al., [](), **, 20" not in prose  # placeholders are not prose


def test_heading_sections_and_hand_edited_forms():
    parsed = parse(
        """
        # My list
        Some intro with a [link](https://example.org).

        ## Glioma
        * Smith and Jones, [A two-author paper](https://pubmed.ncbi.nlm.nih.gov/111/), *Radiology*, 2014
        - Lee, [A lone author](https://doi.org/10.1000/ABC), *Nature*, 2015 <!-- check year -->
        + **[A bold title](https://www.ncbi.nlm.nih.gov/pubmed/222)**, *J Neurooncol*, (2013)
        * [A title first](https://arxiv.org/abs/1902.00001v2) - Wu et al., *arXiv*, 2019

        ## Breast
        1. Park et al., [Journal wrapped over
           two lines](https://pubmed.ncbi.nlm.nih.gov/333/), *The Journal of
           Breast Imaging*, 2020
        * Smith and Jones, [A two-author paper](https://pubmed.ncbi.nlm.nih.gov/111/), *Radiology*, 2014
        """
    )
    assert [s.name for s in parsed.sections] == ["Glioma", "Breast"]
    assert [s.style for s in parsed.sections] == ["heading:2", "heading:2"]
    papers = [e.paper for e in parsed.entries]
    assert [e.section for e in parsed.entries] == ["Glioma"] * 4 + ["Breast"] * 2
    two = papers[0]
    assert two.authors == [{"family": "Smith"}, {"family": "Jones"}] and not two.et_al
    assert two.pmid == "111" and two.journal == "Radiology" and two.year == 2014
    lone = papers[1]
    assert lone.authors == [{"family": "Lee"}] and lone.doi == "10.1000/abc"
    assert lone.listed["comment"] == "check year" and lone.year == 2015
    bold = papers[2]
    assert bold.title == "A bold title" and bold.year == 2013 and bold.authors == []
    first = papers[3]
    assert first.arxiv == "1902.00001" and first.authors == [{"family": "Wu"}] and first.et_al
    wrapped = papers[4]
    assert wrapped.title == "Journal wrapped over two lines"
    assert wrapped.journal == "The Journal of Breast Imaging" and wrapped.year == 2020
    assert "Some intro" in parsed.blocks[0]["text"]
    assert "## Glioma" not in parsed.blocks[0]["text"]  # the heading is the section


def test_nested_bullet_sections_and_notes_under_entries():
    parsed = parse(
        """
        * Radiomics
          * Aerts et al., [Decoding tumour phenotype](https://www.nature.com/articles/ncomms5006), *Nature Communications*, 2014
            * code: [GitHub](https://github.com/example/radiomics)
        * Genomics
          * Segal et al., [Decoding global gene expression](https://www.nature.com/articles/nbt1306), *Nature Biotechnology*, 2007
        """
    )
    assert [s.name for s in parsed.sections] == ["Radiomics", "Genomics"]
    aerts, segal = (e.paper for e in parsed.entries)
    assert aerts.note == "code: GitHub"
    assert segal.doi == "10.1038/nbt1306"


def test_links_and_tasks_that_are_not_entries_stay_prose():
    text = """
    * [ ] Paper list
    * See [the guide](https://example.org) for more.
    * [Awesome Radiomics](https://github.com/x/y) - another list
    """
    parsed = parse(text)
    assert parsed.entries == []
    assert not looks_like_awesome_list(textwrap.dedent(text))


def test_placeholders_are_counted_not_imported():
    parsed = parse(
        """
        ## Papers
        *  et al., [](), **, 20
        * Kuo et al., [Radiogenomic analysis](https://www.ncbi.nlm.nih.gov/pubmed/17609439), *JVIR*, 2007
        *  et al., [](), **, 20
        """
    )
    assert len(parsed.entries) == 1
    assert [line for line, _ in parsed.skipped] == [3, 5]


def test_entries_before_any_heading_get_a_section():
    parsed = parse(
        "* Kuo et al., [Radiogenomic analysis](https://www.ncbi.nlm.nih.gov/pubmed/17609439), *JVIR*, 2007\n"
    )
    assert parsed.entries[0].section == "Papers"
    assert parsed.sections[0].style == "none"
