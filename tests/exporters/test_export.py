"""Exports: the awesome list round trip, BibTeX that parses back, atomic writes, filters."""

import json
import re
import textwrap
import unicodedata

import bibtexparser
import pytest
from conftest import FIXTURES, ROOT, SEED, igbib
from hypothesis import given, settings
from hypothesis import strategies as st
from pybtex.database import parse_string as pybtex_parse

from igbib.exporters import Options, render
from igbib.importers import parse_file
from igbib.importers.bibtex import parse_bibtex
from igbib.importers.markdown import parse_markdown
from igbib.model import Paper
from igbib.ops.ingest import import_parsed
from igbib.search import search
from igbib.store import Library

IDENTITY = ("title", "authors", "et_al", "journal", "year", "pmid", "doi", "pmcid", "url")
#: The seed's dataset, TCGA-LUAD, with the facts of the IDC collection index (domain.md §3.3).
DATASET_AS_WRITTEN = (
    "### \\[1\\] [TCGA-LUAD](https://doi.org/10.7937/k9/tcia.2016.jgnihep5) - lung adenocarcinoma (LUAD)\n"
    "Cancer type: Lung Adenocarcinoma; modalities: CT, NM, PT, SM; subjects: 560;"
    " genomic data: yes; licence: CC BY 3.0; linked papers: 0\n"
)


def everything(library):
    return search(library, "", sort="section")


def test_markdown_export_imports_back_to_the_same_list(seed_library, tmp_path):
    text = render("md", everything(seed_library), Options(), seed_library)
    assert "et al., [](), **, 20" not in text  # placeholders are not written back
    with Library.open(tmp_path / "again.sqlite", write=True) as again:
        import_parsed(again, parse_markdown(text), "export.md")
        before = [{k: getattr(p, k) for k in IDENTITY} for p in everything(seed_library)]
        after = [{k: getattr(p, k) for k in IDENTITY} for p in everything(again)]
        assert after == before
        assert [s["name"] for s in again.sections()] == [s["name"] for s in seed_library.sections()]
        assert again.document()[0]["text"] == seed_library.document()[0]["text"]
        facts = ("key", "name", "url", "dois", "cancer_type", "subjects", "description", "position")
        assert [{k: d[k] for k in facts} for d in again.datasets()] == [
            {k: d[k] for k in facts} for d in seed_library.datasets()
        ]
    report = import_parsed(seed_library, parse_markdown(text), SEED.name)
    assert (len(report.added), len(report.updated)) == (0, 0)  # re-importing changes nothing


def test_keep_links_gives_back_the_seed_but_for_wrapping_and_placeholders(seed_library):
    text = render("md", everything(seed_library), Options(keep_links=True), seed_library)
    original = SEED.read_text()
    original = original.replace("limitations\nand promises", "limitations and promises")
    original = "".join(
        line for line in original.splitlines(True) if "et al., [](), **, 20" not in line
    )
    # the four identical dataset headings are one dataset, written with its catalogue facts
    headings = re.findall(r"^### .*The Cancer Genomic Atlas.*\n", original, re.M)
    assert len(headings) == 4
    original = original.replace("".join(headings), DATASET_AS_WRITTEN)
    assert text == original


def test_canonical_links(seed_library):
    text = render("md", everything(seed_library), Options(), seed_library)
    assert "(https://pubmed.ncbi.nlm.nih.gov/24827998/)" in text
    assert "(https://doi.org/10.1038/ncomms5006)" in text
    assert "(https://www.ncbi.nlm.nih.gov/pmc/articles/PMC4141648/)" in text
    assert "ncbi.nlm.nih.gov/pubmed/" not in text.split("## Paper list")[1].split("## Datasets")[0]


def test_titles_cannot_break_the_list_or_inject_html(db_path):
    nasty = "A [bracketed] *starred* _under_ `code` <script>alert(1)</script> | piped title"
    paper = Paper(
        citekey="k",
        title=nasty,
        authors=[{"family": "Doe"}],
        journal="J | *x*",
        year=2020,
        pmid="1",
        source="bibtex",
        added="now",
        updated="now",
    )
    with Library.open(db_path, write=True) as library:
        with library.transaction():
            library.insert_papers([paper])
        text = render("md", everything(library), Options(), library)
    assert "<script>" not in text and "\\<script" in text
    (entry,) = parse_markdown(text).entries
    assert entry.paper.title == nasty and entry.paper.journal == "J | *x*"


def test_bibtex_parses_back_with_both_parsers_and_keeps_the_data(seed_library):
    import_parsed(seed_library, parse_file(FIXTURES / "cdl-sample.bib"), "cdl")
    papers = everything(seed_library)
    for ascii in (False, True):
        text = render("bibtex", papers, Options(ascii=ascii))
        if ascii:
            assert text.isascii()
        library = bibtexparser.parse_string(text)
        assert len(library.entries) == len(papers) and library.failed_blocks == []
        pybtex = pybtex_parse(text, "bibtex").entries
        assert len(pybtex) == len(papers)
        for entry in library.entries:  # pybtex reads the same fields bibtexparser does
            other = pybtex[entry.key]
            for field in entry.fields:
                if field.key not in ("author", "month"):
                    assert other.fields[field.key] == field.value, (entry.key, field.key)
            authors = entry.fields_dict.get("author")
            if authors:
                names = authors.value.split(" and ")  # pybtex keeps "others" as a person
                assert len(other.persons["author"]) == len(names), entry.key
        back = {e.paper.citekey: e.paper for e in parse_bibtex(text).entries}
        for paper in papers:
            again = back[paper.citekey]
            assert again.title == paper.title, paper.citekey
            assert again.authors == paper.authors, paper.citekey
            assert (again.year, again.doi, again.pmid, again.journal) == (
                paper.year,
                paper.doi,
                paper.pmid,
                paper.journal,
            ), paper.citekey


def test_bibtex_protects_acronyms_and_proper_nouns_and_escapes(seed_library):
    text = render("bibtex", everything(seed_library), Options())
    for word in ("{MRI-based}", "{TCGA}", "{BRAF}", "{PTEN}", "{kappaB}"):
        assert word in text, word
    assert re.search(r"\{[^{}]*F-FDG\}", text)
    assert "title = {Radiomics and imaging genomics in precision medicine}" in text
    assert "author = {{De Ruysscher} and others}" in text
    paper = Paper(
        citekey="x",
        title="Cost & benefit: 100% of $5 #1 a_b ~ x^2 {y}",
        authors=[{"literal": "TCGA Research Network"}],
        year=2020,
        month=7,
        pages="1695-1699",
    )
    entry = render("bibtex", [paper], Options())
    assert (
        r"Cost \& benefit: 100\% of \$5 \#1 a\_b \textasciitilde{} x\textasciicircum{}2 \{y\}"
        in entry
    )
    assert "{TCGA Research Network}" in entry and "month = jul" in entry and "1695--1699" in entry
    assert parse_bibtex(entry).entries[0].paper.title == paper.title


def test_biblatex_types_and_dates():
    preprint = Paper(citekey="p", title="A preprint", arxiv="1902.02534", year=2019, month=2)
    text = render("biblatex", [preprint], Options())
    assert "@online{p," in text and "date = {2019-02}" in text and "eprinttype = {arxiv}" in text
    bibtex = render("bibtex", [preprint], Options())
    assert "@misc{p," in bibtex and "archiveprefix = {arXiv}" in bibtex


special = st.text(
    st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp", "Zs"))
    | st.sampled_from(" {}%&#_$~^\\"),
    min_size=1,
    max_size=40,
).filter(lambda t: t.strip() and "--" not in t and "''" not in t and "``" not in t)


@settings(max_examples=150, deadline=None)
@given(title=special, family=special)
def test_any_title_and_name_survive_bibtex(title, family):
    # NFC: decoding composes accents, which also maps compatibility characters (U+F900)
    title, family = (unicodedata.normalize("NFC", " ".join(t.split())) for t in (title, family))
    paper = Paper(citekey="k", title=title, authors=[{"literal": family}], year=2020)
    text = render("bibtex", [paper], Options())
    parsed = parse_bibtex(text)
    assert parsed.failed == []
    back = parsed.entries[0].paper
    assert back.title == title
    assert back.authors == [{"literal": family}] or back.authors[0].get("family") == family


def test_csljson_items(seed_library):
    items = json.loads(render("csljson", everything(seed_library), Options()))
    gevaert = next(i for i in items if i["id"] == "gevaert2014glioblastoma")
    assert gevaert["type"] == "article-journal" and gevaert["PMID"] == "24827998"
    assert gevaert["issued"] == {"date-parts": [[2014]]}
    # "Gevaert et al." in the list: the cut stays visible (pandoc's mark)
    assert gevaert["author"] == [{"family": "Gevaert"}, {"literal": "others"}]
    assert all(set(i) >= {"id", "type"} for i in items)


def test_export_command_filters_formats_and_bad_values(seed_db, tmp_path):
    out = tmp_path / "list.bib"
    result = igbib(
        "export", "-f", "bibtex", "--year", "2014", "--has", "pmid", "-o", out, "--db", seed_db
    )
    assert result.returncode == 0, result.stderr
    keys = re.findall(r"^@article\{([^,]+),", out.read_text(), re.M)
    assert len(keys) == 7 and "aerts2014decoding" not in keys  # 2014, with a PMID
    csv_text = igbib("export", "-f", "csv", "author:gevaert", "--db", seed_db).stdout
    assert (
        csv_text.splitlines()[0].startswith("id,citekey,type,title") and csv_text.count("\n") == 3
    )
    assert igbib("export", "-f", "word", "--db", seed_db).returncode == 2
    bad = igbib("export", "--year", "soon", "--db", seed_db)
    assert bad.returncode == 2 and bad.stderr.startswith("error: option --year: year:soon")


def test_a_failed_export_leaves_the_old_file_intact(seed_db, tmp_path, monkeypatch):
    from igbib import exporters

    target = tmp_path / "library.bib"
    target.write_text("% the good export\n")

    def broken(*args, **kwargs):  # the export fails once half of it is written
        yield "@article{half,\n"
        raise RuntimeError("disk full halfway")

    monkeypatch.setattr(exporters, "stream", broken)
    with pytest.raises(RuntimeError):
        igbib("export", "-f", "bibtex", "-o", target, "--db", seed_db)
    assert target.read_text() == "% the good export\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".igbib-")] == []


def test_write_atomic_cleans_up_when_the_write_fails(tmp_path, monkeypatch):
    import os

    from igbib.errors import IgbibError
    from igbib.exporters import write_atomic

    target = tmp_path / "out.md"
    target.write_text("old\n")

    def no_space(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", no_space)
    with pytest.raises(IgbibError, match="No space left on device; it was not changed"):
        write_atomic(str(target), "new\n")
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".igbib-")] == []


def test_shipped_exports_are_in_sync_with_the_shipped_library():
    with Library.open(ROOT / "library.sqlite") as library:
        papers = everything(library)
        assert (ROOT / "exports" / "README.md").read_text() == render(
            "md", papers, Options(), library
        )
        assert (ROOT / "exports" / "library.bib").read_text() == render("bibtex", papers, Options())


def test_keys_never_change_when_a_paper_is_updated(seed_db, tmp_path):
    bib = tmp_path / "update.bib"
    bib.write_text(
        textwrap.dedent("""\
        @article{somethingelse,
          author = {Gevaert, Olivier and Mitchell, Lex A},
          title = {Glioblastoma multiforme: exploratory radiogenomic analysis by using quantitative image features},
          journal = {Radiology}, year = {2014}, pmid = {24827998}, volume = {273}
        }
        """)
    )
    assert igbib("import", bib, "--db", seed_db).returncode == 0
    text = igbib("export", "-f", "bibtex", "pmid:24827998", "--db", seed_db).stdout
    assert "@article{gevaert2014glioblastoma," in text and "volume = {273}" in text


CSL_TYPES = set(
    "article article-journal article-magazine article-newspaper bill book broadcast chapter "
    "classic collection dataset document entry entry-dictionary entry-encyclopedia event figure "
    "graphic hearing interview legal_case legislation manuscript map motion_picture musical_score "
    "pamphlet paper-conference patent performance periodical personal_communication post "
    "post-weblog regulation report review review-book software song speech standard thesis "
    "treaty webpage".split()
)


def cdl_and_seed(seed_library):
    import_parsed(seed_library, parse_file(FIXTURES / "cdl-sample.bib"), "cdl")
    return everything(seed_library)


def test_csljson_follows_the_csl_data_model_and_renders(seed_library):
    papers = cdl_and_seed(seed_library)
    items = json.loads(render("csljson", papers, Options()))
    assert len(items) == len(papers)
    for item in items:
        assert item["type"] in CSL_TYPES and isinstance(item["id"], str)
        for person in item.get("author", []):
            assert set(person) <= {"family", "given", "suffix", "literal"} and person
        if "issued" in item:
            assert all(isinstance(n, int) for n in item["issued"]["date-parts"][0])
    text = render("text", papers, Options(style="vancouver"))
    assert len(text.splitlines()) == len(papers)  # the CSL processor rendered every item


@pytest.mark.parametrize("fmt, suffix", [("csljson", ".json"), ("ris", ".ris"), ("bibtex", ".bib")])
def test_exports_import_back_to_the_same_papers(seed_library, tmp_path, fmt, suffix):
    papers = cdl_and_seed(seed_library)
    path = tmp_path / f"export{suffix}"
    path.write_text(render(fmt, papers, Options()))
    parsed = parse_file(path)
    assert parsed.failed == [] and len(parsed.entries) == len(papers)
    back = {e.paper.citekey: e.paper for e in parsed.entries}
    for paper in papers:
        again = back[paper.citekey]
        assert (again.title, again.year, again.pmid, again.doi) == (
            paper.title,
            paper.year,
            paper.pmid,
            paper.doi,
        ), (fmt, paper.citekey)
        assert [a.get("family") or a.get("literal") for a in again.authors] == [
            a.get("family") or a.get("literal") for a in paper.authors
        ], (fmt, paper.citekey)
    with Library.open(tmp_path / "again.sqlite", write=True) as again_library:
        report = import_parsed(again_library, parsed, path.name)
        assert len(report.added) == len(papers)
        report = import_parsed(again_library, parse_file(path), path.name)
        assert (len(report.added), len(report.updated)) == (0, 0)


def test_formatted_reference_lists(seed_library):
    papers = search(seed_library, "author:gevaert OR author:aerts", sort="section")
    vancouver = render("text", papers, Options(style="vancouver")).splitlines()
    assert vancouver[0].startswith("1. Gevaert et al. Glioblastoma multiforme")
    assert "PMID: 24827998" in vancouver[0] and vancouver[2].startswith("3. Aerts et al.")
    apa = render("html", papers, Options(style="apa", fragment=True))
    assert apa.startswith('<ul class="references">')  # APA's list is not numbered
    assert apa.index("Aerts") < apa.index("Gevaert")  # APA sorts by author
    assert '<a href="https://doi.org/10.1038/ncomms5006">' in apa
    assert '<a href="https://pubmed.ncbi.nlm.nih.gov/24827998/">PMID: 24827998</a>' in apa
    from igbib.errors import IgbibError

    with pytest.raises(IgbibError, match="unknown citation style"):
        render("text", papers, Options(style="no-such-style"))


rtl_or_accented = st.text(
    st.sampled_from(list("abcXYZ éüßøłİ שלום مرحبا 中文 -'")), min_size=1, max_size=30
).filter(
    # "--" and "''" are an en dash and a closing quote in LaTeX
    lambda t: t.strip(" -'") and "  " not in t and "--" not in t and "''" not in t
)


@settings(max_examples=60, deadline=None)
@given(title=rtl_or_accented, family=rtl_or_accented)
def test_unicode_and_right_to_left_text_round_trips_through_every_format(title, family):
    title, family = title.strip(), family.strip(" -'")
    paper = Paper(
        citekey="k",
        title=title,
        authors=[{"family": family, "given": "A"}],
        year=2021,
        journal="J",
        pmid="1",
    )
    for fmt, parse in (
        ("bibtex", lambda t: parse_bibtex(t)),
        (
            "csljson",
            lambda t: __import__("igbib.importers.csljson", fromlist=["x"]).parse_csljson(t),
        ),
        ("ris", lambda t: __import__("igbib.importers.ris", fromlist=["x"]).parse_ris(t)),
    ):
        back = parse(render(fmt, [paper], Options())).entries[0].paper
        assert back.title == unicodedata.normalize("NFC", title), fmt
        assert back.authors[0]["family"] == unicodedata.normalize("NFC", family), fmt


def test_an_export_to_a_symbolic_link_writes_its_target(seed_db, tmp_path):
    target = tmp_path / "thesis" / "library.bib"
    target.parent.mkdir()
    target.write_text("% old\n")
    link = tmp_path / "library.bib"
    link.symlink_to(target)
    assert igbib("export", "-f", "bibtex", "-o", link, "--db", seed_db).returncode == 0
    assert link.is_symlink() and target.read_text().count("@") == 52


@pytest.mark.parametrize("content", ["not xml at all\n", "<x/>"])
def test_a_file_that_is_no_csl_style_is_one_line(seed_db, tmp_path, content):
    style = tmp_path / "style.csl"
    style.write_text(content)
    result = igbib("export", "-f", "text", "--style", style, "--db", seed_db)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"error: {style} is not a CSL style")
    assert len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize("fmt", ["bibtex", "biblatex", "csljson", "json", "ris", "csv"])
def test_exports_are_written_a_batch_at_a_time_and_read_as_one(seed_db, monkeypatch, fmt):
    """The streaming formats never hold more than a batch of papers, and the batches join
    into exactly the text of the whole list rendered at once."""
    from igbib import exporters
    from igbib.cli.commands import export
    from igbib.search import search
    from igbib.store import Library

    with Library.open(seed_db) as library:
        whole = exporters.render(fmt, search(library, "", sort="section"), exporters.Options())
    asked = []
    get_papers = Library.get_papers

    def counting(self, ids):
        asked.append(len(ids))
        return get_papers(self, ids)

    monkeypatch.setattr(export, "BATCH", 7)
    monkeypatch.setattr(Library, "get_papers", counting)
    result = igbib("export", "-f", fmt, "--db", seed_db)
    assert result.returncode == 0
    assert result.stdout == whole
    assert sum(asked) == 52 and max(asked) <= 7
