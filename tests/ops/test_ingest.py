"""Applying files to a library: counts, flags, duplicates, updates, atomicity."""

import textwrap

import pytest
from conftest import FIXTURES, SEED

from igbib.importers import parse_file
from igbib.importers.bibtex import parse_bibtex
from igbib.importers.markdown import parse_markdown
from igbib.ops.ingest import import_parsed
from igbib.search import search
from igbib.store import Library


def md(text):
    return parse_markdown(textwrap.dedent(text))


def flags_by_author(library):
    return {
        (p.first_author, p.year): sorted(f["code"] for f in p.flags)
        for p in search(library, "is:flagged")
    }


def test_seed_import_counts_and_flags(seed_library):
    counts = seed_library.counts()
    assert counts["papers"] == 52
    assert counts["sections"] == 2 and counts["placements"] == 52 and counts["datasets"] == 1
    flagged = flags_by_author(seed_library)
    assert flagged == {
        ("Hu", None): ["bad-year"],
        ("Zhao", 2016): ["shared-id"],
        ("McCann", 2016): ["shared-id"],
        ("Palaskas", 2011): ["no-link"],
    }
    zhao = seed_library.get_papers(
        [r[0] for r in seed_library.conn.execute("SELECT id FROM papers WHERE pmid='27009765'")]
    )
    assert {p.first_author for p in zhao} == {"Zhao", "McCann"}
    reasons = {p.first_author: p.flags[0]["reason"] for p in zhao}
    assert "PMID 27009765" in reasons["Zhao"] and "mccann2016quantitative" in reasons["Zhao"]
    assert "zhao2016reproducibility" in reasons["McCann"]


def test_seed_report(tmp_path):
    with Library.open(tmp_path / "l.sqlite", write=True) as library:
        report = import_parsed(library, parse_file(SEED), "seed")
    assert (len(report.added), len(report.skipped), len(report.failed)) == (52, 7, 0)
    assert len(report.conflicts) == 1 and "27009765" in report.conflicts[0].detail
    assert len(report.flagged) == 4


def test_reimporting_the_same_file_changes_nothing(seed_db):
    before = dump(seed_db)
    with Library.open(seed_db, write=True) as library:
        report = import_parsed(library, parse_file(SEED), SEED.name)
    assert (len(report.added), len(report.updated), len(report.unchanged)) == (0, 0, 52)
    assert dump(seed_db) == before


def test_importing_an_edited_list_updates_adds_and_reports(seed_db, tmp_path):
    text = SEED.read_text()
    text = text.replace("*Neuro-Oncology*, 201\n", "*Neuro-Oncology*, 2016\n")
    text = text.replace(
        "genetic and cellular expression patterns",
        "genetic and cellular expression pattern",  # a fixed typo: still the same paper
    )
    new_line = (
        "  * Kuo et al., [Radiogenomic analysis to identify imaging phenotypes associated with"
        " drug response gene expression programs in hepatocellular carcinoma]"
        "(https://www.ncbi.nlm.nih.gov/pubmed/17609439), *JVIR*, 2007\n"
        "  * Sun et al., [A new radiogenomics paper](https://doi.org/10.1000/new.1), *Radiology*, 2020\n"
    )
    text = text.replace("  *  et al., [](), **, 20\n", new_line, 1)
    edited = tmp_path / "edited.md"
    edited.write_text(text)
    with Library.open(seed_db, write=True) as library:
        report = import_parsed(library, parse_file(edited), "edited")
        assert [c.citekey for c in report.added] == ["sun2020new"]
        updated = {c.citekey: c.fields for c in report.updated}
        assert updated.pop("huradiogenomics") == ["year"]
        assert list(updated.values()) == [["title"]]
        assert len(report.merged) == 1  # Kuo listed twice: one paper
        assert report.merged[0].citekey == "kuo2007radiogenomic"
        hu = library.resolve("27502248")
        assert hu.year == 2016 and hu.flags == []  # fixing the year clears its flag
        assert hu.citekey == "huradiogenomics"  # keys never change
        assert library.count() == 53


def test_an_entry_dropped_from_the_list_is_kept_but_unlisted(seed_db, tmp_path):
    text = SEED.read_text()
    gevaert = next(line for line in text.splitlines() if "24827998" in line)
    edited = tmp_path / "edited.md"
    edited.write_text(text.replace(gevaert + "\n", ""))
    with Library.open(seed_db, write=True) as library:
        report = import_parsed(library, parse_file(edited), "edited")
        assert [c.citekey for c in report.unlisted] == ["gevaert2014glioblastoma"]
        assert library.count() == 52
        assert library.resolve("24827998").sections == []


def test_same_paper_twice_is_one_paper_with_both_placements(db_path):
    parsed = md(
        """
        ## A
        * Kuo et al., [Radiogenomic analysis](https://www.ncbi.nlm.nih.gov/pubmed/17609439), *JVIR*, 2007
        ## B
        * Kuo et al., [Radiogenomic analysis](https://pubmed.ncbi.nlm.nih.gov/17609439/), *JVIR*, 2007
        """
    )
    with Library.open(db_path, write=True) as library:
        report = import_parsed(library, parsed, "x")
        assert (len(report.added), len(report.merged)) == (1, 1)
        paper = library.resolve("17609439")
        assert [s["section"] for s in paper.sections] == ["A", "B"]


def test_bibtex_record_of_a_listed_paper_merges_by_title(seed_db):
    bib = parse_bibtex(
        "@article{gev, author = {Gevaert, Olivier and Mitchell, Lex}, title = {Glioblastoma "
        "Multiforme: Exploratory Radiogenomic Analysis by Using Quantitative Image Features},"
        " journal = {Radiology}, year = {2014}, volume = {273}, number = {1}, pages = {168--174},"
        " doi = {10.1148/radiol.14131731}}\n"
        "@article{other, author = {Gevaert, Olivier}, title = {Glioblastoma multiforme: "
        "exploratory radiogenomic analysis by using quantitative image features},"
        " journal = {Radiology}, year = {2019}}\n"
    )
    with Library.open(seed_db, write=True) as library:
        report = import_parsed(library, bib, "x.bib")
        assert len(report.updated) == 1 and len(report.added) == 1  # the 2019 one differs
        paper = library.resolve("24827998")
        assert paper.doi == "10.1148/radiol.14131731" and paper.volume == "273"
        assert paper.authors[0] == {"family": "Gevaert", "given": "Olivier"}
        assert paper.source == "bibtex" and paper.citekey == "gevaert2014glioblastoma"
        assert [s["section"] for s in paper.sections] == [
            "Imaging Genomics (Radiogenomics, Imaging Genetics)"
        ]
        # The list (a weaker source) no longer overwrites what BibTeX gave.
        report = import_parsed(library, parse_file(SEED), "seed")
        assert library.resolve("24827998").authors[0]["given"] == "Olivier"


def test_bibtex_key_is_kept_and_a_taken_key_is_renamed(db_path):
    with Library.open(db_path, write=True) as library:
        import_parsed(library, parse_bibtex("@article{key1, title={One}, year={2001}}"), "a")
        report = import_parsed(
            library, parse_bibtex("@article{key1, title={Two}, year={2002}}"), "b"
        )
        assert [c.citekey for c in report.added] == ["key1a"]
        assert "key1" in report.renamed_keys[0].detail
        assert library.resolve("key1").title == "One"


def test_dry_run_reports_without_writing(seed_db, tmp_path):
    before = dump(seed_db)
    parsed = parse_file(FIXTURES / "cdl-sample.bib")
    with Library.open(seed_db, write=True) as library:
        report = import_parsed(library, parsed, "x", dry_run=True)
    assert len(report.added) == 54 and report.dry_run
    assert dump(seed_db) == before


def test_an_import_that_fails_midway_leaves_the_library_unchanged(seed_db, monkeypatch):
    before = dump(seed_db)
    parsed = parse_file(FIXTURES / "cdl-sample.bib")

    def broken_flags(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("igbib.ops.ingest.refresh_flags", broken_flags)
    with Library.open(seed_db, write=True) as library, pytest.raises(RuntimeError):
        import_parsed(library, parsed, "x")
    assert dump(seed_db) == before


def dump(path) -> list:
    """The library's content, table by table (timestamps included)."""
    with Library.open(path) as library:
        tables = ["papers", "sections", "placements", "datasets", "document", "tags", "meta"]
        return [list(library.conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2")) for t in tables]


def test_a_second_listing_that_fills_a_gap_clears_its_flag(db_path):
    parsed = md(
        """
        ## A
        * Kuo et al., [Radiogenomic analysis](), *JVIR*, 2007
        ## B
        * Kuo et al., [Radiogenomic analysis](https://pubmed.ncbi.nlm.nih.gov/17609439/), *JVIR*, 2007
        """
    )
    with Library.open(db_path, write=True) as library:
        report = import_parsed(library, parsed, "x")
        assert (len(report.added), len(report.merged)) == (1, 1)
        paper = library.resolve("17609439")
        assert paper.flags == [] and report.flagged == []
