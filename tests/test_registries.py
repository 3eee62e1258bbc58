"""The format registries: one list of import and export formats that everything is built from."""

import json

import pytest

from igbib import exporters, importers
from igbib.errors import IgbibError, ImportFileError

SAMPLES = {
    "markdown": "# A list\n\n## Papers\n* Hu et al., [A title](https://doi.org/10.1000/x), *J*, 2014\n",
    "bibtex": "@article{hu2014, title = {A title}, year = 2014}\n",
    "ris": "TY  - JOUR\nTI  - A title\nPY  - 2014\nER  - \n",
    "csljson": json.dumps([{"type": "article-journal", "title": "A title", "id": "hu2014"}]),
}


def test_every_import_format_has_a_sample_and_a_detection_rank():
    assert set(SAMPLES) == set(importers.FORMATS) == set(importers.DETECTION_ORDER)
    assert importers.FORMATS == ("markdown", "bibtex", "ris", "csljson")


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_each_format_is_found_by_its_ending_and_by_its_content(tmp_path, name):
    for ending in (*importers.REGISTRY[name].extensions, ".txt"):
        path = tmp_path / f"refs{ending}"
        path.write_text(SAMPLES[name])
        parsed = importers.parse_file(path)
        assert parsed.format == name, ending
        assert [e.paper.title for e in parsed.entries] == ["A title"]


def test_a_binary_file_is_named_as_none_of_the_formats(tmp_path):
    path = tmp_path / "refs.ris"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(ImportFileError) as err:
        importers.parse_file(path)
    message = str(err.value)
    for label in ("Markdown", "BibTeX", "RIS", "CSL-JSON"):
        assert label in message


@pytest.mark.parametrize("name, label", [("ris", "RIS"), ("bibtex", "BibTeX")])
def test_a_file_with_no_records_says_which_format_it_was_read_as(tmp_path, name, label):
    path = tmp_path / f"empty{importers.REGISTRY[name].extensions[0]}"
    path.write_text("% nothing here\n" if name == "bibtex" else "\n")
    with pytest.raises(ImportFileError, match=f"no {label} entries found"):
        importers.parse_file(path)


def test_an_unknown_import_format_lists_the_known_ones(tmp_path):
    path = tmp_path / "refs.bib"
    path.write_text(SAMPLES["bibtex"])
    with pytest.raises(ImportFileError, match="known: markdown, bibtex, ris, csljson"):
        importers.parse_file(path, format="word")


def _papers():
    from conftest import NCBI

    from igbib.sources.pubmed import parse_efetch

    body = (NCBI / "hawc_TestPubMedFetch.test_multiquery.i0.body.xml").read_bytes()
    papers = parse_efetch(body)
    for n, paper in enumerate(papers):
        paper.citekey, paper.tags = f"key{n}", ["radiogenomics"]
    return papers


def test_export_formats_in_the_order_a_command_line_shows_them():
    assert exporters.FORMATS == (
        "md",
        "bibtex",
        "biblatex",
        "csljson",
        "ris",
        "csv",
        "json",
        "text",
        "html",
    )


@pytest.mark.parametrize("fmt", exporters.FORMATS)
def test_every_registered_export_format_renders(fmt):
    papers = _papers()
    text = exporters.render(fmt, papers, exporters.Options(whole_list=False))
    assert "microRNA-101" in text


def test_an_unknown_export_format_lists_the_known_ones():
    with pytest.raises(IgbibError, match="known: md, bibtex, biblatex, csljson, ris"):
        exporters.render("word", _papers(), exporters.Options())


@pytest.mark.parametrize("group_by", exporters.GROUP_BY)
def test_every_group_by_choice_groups_a_markdown_export(group_by):
    text = exporters.render("md", _papers(), exporters.Options(group_by=group_by))
    heading = {
        "year": "## 2008",
        "journal": "## Science (New York, N.Y.)",
        "tag": "## radiogenomics",
    }
    assert heading[group_by] in text.splitlines()


def test_an_unknown_group_by_is_an_error_not_a_grouping_by_tag():
    with pytest.raises(IgbibError, match="known: year, journal, tag"):
        exporters.render("md", _papers(), exporters.Options(group_by="author"))


@pytest.mark.parametrize("style", exporters.STYLES)
def test_every_short_style_name_is_a_real_csl_style(style):
    from pathlib import Path

    from igbib.exporters.formatted import style_path

    assert Path(style_path(style)).is_file()
    assert exporters.STYLES[0] == exporters.Options().style


def test_the_query_language_knows_every_identifier_kind():
    """``query`` and the store's ``has:`` list the kinds again (importing ``igbib.ids`` would
    slow every search's start): they must name the same ones."""
    from igbib.ids import KINDS
    from igbib.query import FILTER_FIELDS, HAS_VALUES
    from igbib.store.search import _HAS_COLUMNS

    assert set(KINDS) <= set(FILTER_FIELDS)
    assert set(KINDS) <= set(HAS_VALUES) and set(KINDS) <= set(_HAS_COLUMNS)
    assert set(HAS_VALUES) == {*_HAS_COLUMNS, "identifier"}
