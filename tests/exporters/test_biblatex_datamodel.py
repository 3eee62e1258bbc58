"""BibLaTeX that biber validates against biblatex's data model, and that reads back.

``biber --tool --validate-datamodel`` reports each field biblatex does not know
(igbib wrote ``pmid`` and ``pmcid``), each field a type has no place for, and each
missing mandatory field: on the shipped library and on papers parsed from real
recorded PubMed and Crossref answers it must report nothing. Skipped where no TeX
is installed (CI sets IGBIB_REQUIRE_TEX=1, see test_tex.py).
"""

import json
import re
import shutil
import subprocess
import zlib

import pytest
from conftest import DOI, NCBI, ROOT

from igbib.citekey import base_key, unique_key
from igbib.csl import paper_from_csl
from igbib.errors import SourceError
from igbib.exporters import Options, render
from igbib.importers.bibtex import parse_bibtex
from igbib.model import Paper
from igbib.search import search
from igbib.sources.pubmed import parse_efetch
from igbib.store import Library

needs_biber = pytest.mark.skipif(
    not all(shutil.which(t) for t in ("pdflatex", "biber")), reason="no TeX installed"
)


def fetched_papers() -> list[Paper]:
    """Every paper of the recorded PubMed efetch and Crossref answers, with unique keys."""
    papers: list[Paper] = []
    for path in sorted(NCBI.glob("*.xml")):
        try:
            papers += parse_efetch(path.read_bytes())
        except SourceError:
            continue  # an error answer, or an esearch one
    for path in sorted(DOI.glob("*.json")):
        data = json.loads(path.read_text())
        message = data.get("message", data)
        items = message.get("items", [message]) if isinstance(message, dict) else message
        papers += [paper_from_csl(item, "crossref") for item in items if item.get("title")]
    taken: set[str] = set()
    for paper in papers:
        paper.citekey = unique_key(base_key(paper), taken)
        taken.add(paper.citekey)
    return papers


def every_kind() -> list[Paper]:
    """Papers of each shape the exporter treats apart."""
    person = [{"family": "Doe", "given": "Jane"}]
    return [
        Paper(
            citekey="both",
            title="A journal article with a preprint",
            authors=person,
            journal="J",
            year=2020,
            pmid="123",
            pmcid="PMC456",
            arxiv="2001.00001",
            language="ger",
        ),
        Paper(citekey="preprint", title="A preprint", authors=person, arxiv="1902.02534"),
        Paper(
            citekey="server",
            title="Posted content",
            authors=person,
            publisher="Cold Spring Harbor Laboratory",
            doi="10.1101/1",
            pub_types=["preprint"],
            volume="3",
            year=2021,
        ),
        Paper(
            citekey="thesis",
            entry_type="phdthesis",
            title="A thesis",
            authors=person,
            journal="University of Somewhere",
            year=2019,
        ),
        Paper(
            citekey="report",
            entry_type="techreport",
            title="A report",
            authors=person,
            publisher="Institute of Something and Else",
            year=2018,
            issue="7",
        ),
        Paper(
            citekey="chapter",
            entry_type="incollection",
            title="A chapter",
            authors=person,
            journal="A Book",
            publisher="Springer",
            year=2015,
            pages="1-10",
        ),
        Paper(
            citekey="dataset",
            entry_type="misc",
            title="A dataset",
            extra={"type": "dataset"},
            publisher="Zenodo",
            year=2022,
        ),
        Paper(citekey="undated", title="No year", authors=person, journal="J", language="xyz"),
    ]


def validate(tmp_path, text: str) -> list[str]:
    """biber's warnings on ``text`` as a .bib file."""
    (tmp_path / "refs.bib").write_text(text)
    result = subprocess.run(
        ["biber", "--tool", "--validate-datamodel", "refs.bib"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "INFO - Found BibTeX data source" in result.stdout, result.stdout[-2000:]
    return [line for line in result.stdout.splitlines() if line.startswith("WARN")]


@needs_biber
def test_biber_validates_the_shipped_library(tmp_path):
    with Library.open(ROOT / "library.sqlite") as library:
        papers = search(library, "", sort="section")
        options = Options()
        text = render("biblatex", papers, options, library)
    assert len(papers) == 52 and "eprinttype = {pubmed}" in text
    # 47 before: pmid 44, pmcid 2, and a missing date, which stays: the paper has no year
    # (the list gives "201", which igbib flags), and biblatex prints "n.d." for it; the
    # export says so, as biber does
    assert options.warnings == [
        "huradiogenomics: written without a date, which biblatex requires:"
        " the year '201' is not one"
    ]
    assert validate(tmp_path, text) == [
        "WARN - Datamodel: Entry 'huradiogenomics' (refs.bib): Missing mandatory field - one"
        " of 'date, year' must be defined"
    ]


@needs_biber
def test_biber_validates_papers_fetched_from_pubmed_and_crossref(tmp_path):
    papers = fetched_papers()
    assert len(papers) > 20
    assert {p.source for p in papers} == {"pubmed", "crossref"}
    text = render("biblatex", papers, Options())
    assert validate(tmp_path, text) == []


@needs_biber
def test_biber_validates_every_kind_of_entry(tmp_path):
    options = Options()
    text = render("biblatex", every_kind(), options)
    # the two papers without a year, and only they: their date is missing indeed
    assert validate(tmp_path, text) == [
        f"WARN - Datamodel: Entry '{key}' (refs.bib): Missing mandatory field - one of"
        " 'date, year' must be defined"
        for key in ("preprint", "undated")
    ]
    # a preprint has no volume in biblatex: said, not dropped in silence; and the export
    # names the entries biber will find without a date
    assert options.warnings == [
        "preprint: written without a date, which biblatex requires: no year is known",
        "server: volume not written: @online has no volume field in biblatex",
        "undated: written without a date, which biblatex requires: no year is known",
    ]


def test_biblatex_identifiers_language_and_journal_abbreviation():
    text = render("biblatex", every_kind() + fetched_papers(), Options())
    both = text.split("@article{both,")[1].split("\n}")[0]
    assert "eprint = {123},\n\teprinttype = {pubmed}" in both
    assert "addendum = {PMCID: PMC456; arXiv: 2001.00001}" in both
    assert "langid = {german}" in both and "pmid" not in both and "pmcid" not in both
    preprint = text.split("@online{preprint,")[1].split("\n}")[0]
    assert "eprint = {1902.02534},\n\teprinttype = {arxiv}" in preprint
    assert "@inbook{chapter," in text and "@thesis{thesis," in text
    undated = text.split("@article{undated,")[1].split("\n}")[0]
    assert "date =" not in undated and "language = {xyz}" in undated
    varambally = text.split("@article{varambally2008genomic,")[1].split("\n}")[0]
    assert "shortjournal = {Science}" in varambally and "langid = {english}" in varambally
    assert "language" not in varambally


def test_the_bibtex_export_keeps_pmid_pmcid_and_says_the_language_in_babel_words():
    text = render("bibtex", every_kind() + fetched_papers(), Options())
    both = text.split("@article{both,")[1].split("\n}")[0]
    assert "pmid = {123}" in both and "pmcid = {PMC456}" in both
    assert "eprint = {2001.00001}" in both and "language = {german}" in both
    varambally = text.split("@article{varambally2008genomic,")[1].split("\n}")[0]
    assert "shortjournal = {Science}" in varambally and "language = {english}" in varambally


@pytest.mark.parametrize("fmt", ["biblatex", "bibtex"])
def test_an_export_reads_back_with_every_identifier(fmt):
    papers = every_kind() + fetched_papers()
    back = {e.paper.citekey: e.paper for e in parse_bibtex(render(fmt, papers, Options())).entries}
    for paper in papers:
        again = back[paper.citekey]
        for name in ("title", "year", "month", "pmid", "pmcid", "arxiv", "doi", "journal"):
            if (fmt, paper.citekey, name) == ("biblatex", "report", "journal"):
                # biblatex's report has no publisher: its institution is, and reads back
                assert again.journal == paper.publisher
                continue
            assert getattr(again, name) == getattr(paper, name), (paper.citekey, name)
        assert again.extra.get("journal_abbrev") == paper.extra.get("journal_abbrev")
        assert "year" not in again.extra and "addendum" not in again.extra  # no bad year
        assert not {"eprint", "archiveprefix", "langid", "shortjournal"} & set(again.extra)
        if paper.language:  # the same language, as babel names it
            from igbib.languages import babel

            assert babel(again.language) == babel(paper.language) or again.language == "xyz"
    assert back["thesis"].entry_type == "phdthesis" and back["report"].entry_type == "techreport"


def pdf_text(path) -> str:
    """The text pdfTeX wrote into a PDF: its TJ arrays, with a space where a word ends."""
    data = path.read_bytes()
    words = []
    for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            stream = zlib.decompress(m.group(1))
        except zlib.error:
            continue
        for array in re.findall(rb"\[(.*?)\]\s*TJ", stream, re.S):
            for piece in re.findall(rb"\((?:\\.|[^\\)])*\)|-?\d+(?:\.\d+)?", array):
                if piece.startswith(b"("):
                    words.append(piece[1:-1].decode("latin-1"))
                elif float(piece) < -200:
                    words.append(" ")
            words.append(" ")
    return "".join(words)


@needs_biber
def test_authoryear_prints_no_language_code(tmp_path):
    """``langid = {english}`` is for hyphenation and is not printed; ``language = {eng}`` was."""
    papers = [p for p in fetched_papers() if p.language in ("eng", "en")][:6]
    assert papers
    (tmp_path / "refs.bib").write_text(render("biblatex", papers, Options()))
    (tmp_path / "doc.tex").write_text(
        "\\documentclass{article}\n\\usepackage[T1]{fontenc}\n"
        "\\usepackage[backend=biber,style=authoryear]{biblatex}\n\\addbibresource{refs.bib}\n"
        "\\begin{document}\n\\nocite{*}\n\\printbibliography\n\\end{document}\n"
    )
    args = ("-interaction=nonstopmode", "-halt-on-error", "doc.tex")
    for tool in (("pdflatex", *args), ("biber", "doc"), ("pdflatex", *args)):
        result = subprocess.run(tool, cwd=tmp_path, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stdout[-2000:]
    assert "WARN" not in (tmp_path / "doc.blg").read_text()
    bbl = (tmp_path / "doc.bbl").read_text()
    assert bbl.count("\\field{langid}{english}") == len(papers)
    assert "{language}" not in bbl
    printed = pdf_text(tmp_path / "doc.pdf")
    assert "References" in printed and "PMID: 23878845" in printed
    assert not re.search(r"\b(?:eng|en|english)\b", printed, re.I), printed


def test_the_importer_reads_what_biblatex_has_no_field_for():
    text = r"""
@article{a,
  title = {A}, author = {Doe, J}, journaltitle = {J}, date = {XXXX},
  eprint = {24827998}, eprinttype = {pubmed}, addendum = {PMCID: PMC4141648; arXiv: 1902.02534},
  langid = {ngerman}, shortjournal = {J Abbr}
}
@article{b,
  title = {B}, author = {Doe, J}, journaltitle = {J}, date = {2014-05},
  addendum = {Erratum in: J 2015. PMCID: PMC1}
}
@thesis{c,
  title = {C}, author = {Doe, J}, institution = {Uni}, type = {phdthesis}, date = {2001}
}
@online{d,
  title = {D}, author = {Doe, J}, eprint = {PMC2684823}, eprinttype = {pmcid}, date = {2019}
}
"""
    papers = {e.paper.citekey: e.paper for e in parse_bibtex(text).entries}
    a = papers["a"]
    assert (a.pmid, a.pmcid, a.arxiv, a.year) == ("24827998", "PMC4141648", "1902.02534", None)
    assert a.language == "ngerman" and a.extra == {"journal_abbrev": "J Abbr"}
    b = papers["b"]  # an addendum of prose is kept, identifiers and all
    assert b.pmcid is None and b.extra == {"addendum": "Erratum in: J 2015. PMCID: PMC1"}
    c = papers["c"]
    assert (c.entry_type, c.journal, c.extra) == ("phdthesis", "Uni", {})
    assert papers["d"].pmcid == "PMC2684823" and papers["d"].extra == {}
