"""``igbib site``: one self-contained page, the list in its order, every text escaped."""

import json
import os
from html.parser import HTMLParser

import pytest
from conftest import ROOT, digest, igbib, one_line_error
from hostile_site import CLOSE, IMG, PAPERS, SCRIPT, SEPARATORS, STRINGS, hostile_library

from igbib.exporters import Options, render
from igbib.importers.markdown import parse_markdown
from igbib.search import search
from igbib.site import fold, render_site
from igbib.store import Library

#: Every element the page is made of; anything else was injected.
ELEMENTS = {
    "html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "p", "div",
    "form", "label", "span", "input", "fieldset", "legend", "select", "option", "button",
    "main", "section", "ol", "li", "a", "cite", "script",
}  # fmt: skip
GEVAERT = "Glioblastoma multiforme: exploratory radiogenomic analysis by using quantitative image features"


class Page(HTMLParser):
    """The page as a browser's parser reads it: elements, attributes, text, script bodies."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []
        self.scripts: dict[str | None, str] = {}
        self.rows: list[dict] = []  # one per <li class="paper">: its section and texts
        self.section: str | None = None
        self._in: list[str] = []  # the classes of the open elements that collect text
        self._script: str | None = None
        self._texts: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.elements.append((tag, attrs))
        cls = attrs.get("class") or ""
        if tag == "script":
            self._script = attrs.get("id")
            self.scripts[self._script] = ""
        elif tag == "h2":
            self.section = ""
            self._in.append("h2")
        elif tag == "li" and cls == "paper":
            self.rows.append({"section": self.section, "links": [], "hidden": "hidden" in attrs})
        elif self.rows and tag == "a" and self._in and self._in[0] == "li":
            self.rows[-1]["links"].append(attrs["href"])
        if tag in ("span", "a", "cite") and cls in ("title", "authors", "journal", "year", "note"):
            self._in.append(cls)
        if tag == "li":
            self._in.insert(0, "li")

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None
        elif tag == "h2":
            self.section = self.section.rsplit(" (", 1)[0]
            self._in.remove("h2")
        elif tag == "li":
            self._in = []
        elif tag in ("span", "a", "cite") and len(self._in) > 1:
            self._in.pop()

    def handle_data(self, data):
        self._texts.append(data)
        if self._script is not None:
            self.scripts[self._script] += data
        elif self._in and self._in[-1] == "h2":
            self.section += data
        elif self.rows and len(self._in) > 1:
            field = self._in[-1]
            self.rows[-1][field] = self.rows[-1].get(field, "") + data

    @property
    def text(self) -> str:
        return "".join(self._texts)

    def json(self, name: str):
        return json.loads(self.scripts[name])


@pytest.fixture
def hostile(tmp_path):
    with hostile_library(tmp_path / "hostile.sqlite") as library:
        yield library


def test_the_page_is_one_file_that_fetches_nothing(seed_library):
    text, count = render_site(seed_library)
    assert count == 52
    page = Page(text)
    for tag, attrs in page.elements:
        assert tag != "link" and tag != "img" and tag != "iframe"
        assert "src" not in attrs, (tag, attrs)  # no external script, image or frame
        if tag == "a":
            assert attrs["href"].startswith("https://"), attrs
    policy = next(a["content"] for t, a in page.elements if a.get("http-equiv"))
    assert "default-src 'none'" in policy and "img-src 'none'" in policy
    assert "unsafe-inline" not in policy  # only the page's own script and style run
    assert "http://" not in text.split("<script>")[-1]  # the script names no address


def test_the_same_library_gives_the_same_bytes(seed_db, tmp_path):
    first = igbib("site", "-o", tmp_path / "a", "--db", seed_db)
    second = igbib("site", "-o", tmp_path / "b", "--db", seed_db)
    assert first.returncode == second.returncode == 0
    assert first.stderr == f"Wrote 52 papers to {tmp_path / 'a' / 'index.html'}.\n"
    assert digest(tmp_path / "a" / "index.html") == digest(tmp_path / "b" / "index.html")


def test_sections_and_order_are_those_of_the_markdown_export(seed_library):
    papers = search(seed_library, "", sort="section")
    markdown = parse_markdown(render("md", papers, Options(), seed_library))
    expected = [(e.section, e.paper.title) for e in markdown.entries]
    page = Page(render_site(seed_library)[0])
    assert [(r["section"], r["title"]) for r in page.rows] == expected
    assert len(expected) == 52 and expected[0][0] != expected[-1][0]


def test_a_paper_in_no_section_and_one_in_two_are_where_the_markdown_export_puts_them(
    seed_library,
):
    with seed_library.transaction():
        first = seed_library.sections()[0]["id"]
        seed_library.append_placements(first, [23])  # gevaert2014glioblastoma, also in section 2
        # paper 29 as one added by igbib add: in no section, and never in the list
        seed_library.conn.execute("DELETE FROM placements WHERE paper_id = 29")
        seed_library.conn.execute("UPDATE papers SET listed = NULL WHERE id = 29")
    papers = search(seed_library, "", sort="section")
    markdown = parse_markdown(render("md", papers, Options(), seed_library))
    page = Page(render_site(seed_library)[0])
    assert [(r["section"], r["title"]) for r in page.rows] == [
        (e.section, e.paper.title) for e in markdown.entries
    ]
    assert page.rows[-1]["section"] == "Other papers"
    gevaert = [r["section"] for r in page.rows if r["title"] == GEVAERT]
    assert len(gevaert) == 2


def test_each_paper_reads_without_javascript(seed_library):
    page = Page(render_site(seed_library)[0])
    assert ("form", {"id": "filters", "class": "filters", "role": "search", "hidden": None}) in (
        page.elements
    )  # the search needs the script: without it, it is not shown
    rows = {r["title"]: r for r in page.rows}
    gevaert = rows[GEVAERT]
    assert (gevaert["authors"], gevaert["journal"], gevaert["year"]) == (
        "Gevaert et al.",
        "Radiology",
        "2014",
    )
    assert not any(r["hidden"] for r in page.rows)
    assert "52 papers" in page.text


def test_links_name_pubmed_doi_and_pmc_else_the_papers_own(seed_library):
    rows = {r["title"]: r["links"] for r in Page(render_site(seed_library)[0]).rows}
    assert rows[GEVAERT] == ["https://pubmed.ncbi.nlm.nih.gov/24827998/"] * 2  # title and label
    aerts = (
        "Decoding tumour phenotype by noninvasive imaging using a quantitative radiomics approach"
    )
    assert "https://doi.org/10.1038/ncomms5006" in rows[aerts]
    pmc = [links for links in rows.values() if links and "/pmc/articles/PMC4141648/" in links[0]]
    assert pmc == [["https://www.ncbi.nlm.nih.gov/pmc/articles/PMC4141648/"] * 2]
    lee = rows["Radiomics and imaging genomics in precision medicine"]
    assert lee == ["https://www.pfmjournal.org/journal/view.php?number=9"] * 2


def test_hostile_texts_are_text_and_never_markup(hostile):
    text, _ = render_site(hostile, title=f"List {SCRIPT}")
    page = Page(text)
    for tag, attrs in page.elements:
        assert tag in ELEMENTS, tag
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        if "href" in attrs:
            assert attrs["href"].startswith(("https://", "http://")), attrs
    assert [t for t, _ in page.elements].count("script") == 3  # two data blocks and the code
    assert set(page.scripts) == {"igbib-data", "igbib-export", None}
    for string in STRINGS:
        assert string in page.text
    titles = [r["title"] for r in page.rows]
    assert sorted(set(titles)) == sorted(PAPERS)
    assert f"<title>List {SCRIPT.replace('<', '&lt;').replace('>', '&gt;')}</title>" in text
    row = next(r for r in page.rows if r["title"] == IMG)
    assert (row["authors"], row["note"]) == (CLOSE, IMG)
    assert row["links"][0] == "https://doi.org/10.1000/x%3Cy%3E%22z%22%231"


def test_hostile_texts_come_back_whole_from_the_json(hostile):
    page = Page(render_site(hostile)[0])
    for name in ("igbib-data", "igbib-export"):
        body = page.scripts[name]
        assert not set(body) & set("<>&\u2028\u2029"), name  # nothing that could end the block
    items = {item["title"]: item for item in page.json("igbib-export")["csl"]}
    assert set(items) == set(PAPERS)
    first = items[f"Radiomics {SCRIPT} of glioma"]
    assert first["author"][0]["family"] == IMG and first["container-title"] == CLOSE
    assert first["note"].endswith(SEPARATORS)
    data = page.json("igbib-data")
    assert data["sections"] == [f"Section {IMG}", "Other papers"] and data["tags"] == [SCRIPT]
    texts = [p["text"] for p in data["papers"]]
    assert any(fold(SCRIPT) in t and "jorg muller" in t and fold(SEPARATORS) in t for t in texts)


def test_links_from_stored_data_are_only_http(hostile):
    rows = {r["title"]: r["links"] for r in Page(render_site(hostile)[0]).rows}
    assert rows[CLOSE] == [] and rows["A plain title"] == []
    assert all(not links for title, links in rows.items() if title.startswith("it's"))


def test_search_text_is_folded_as_the_page_folds_a_query():
    assert (
        fold("Müller ÉCOLE Straße ﬁbre Gołosz ØSTER") == "muller ecole strasse fibre golosz oster"
    )
    assert fold("ΣΊΣΥΦΟΣ") == "σισυφος"  # lower(): a final sigma, as JavaScript writes it


def test_the_title_is_the_lists_heading_unless_given(seed_db, tmp_path):
    igbib("site", "-o", tmp_path, "--db", seed_db)
    assert "<title>Awesome Imaging Genetics</title>" in (tmp_path / "index.html").read_text()
    igbib("site", "-o", tmp_path, "--title", "Radiogenomics <reading> list", "--db", seed_db)
    text = (tmp_path / "index.html").read_text()
    assert "<h1>Radiogenomics &lt;reading&gt; list</h1>" in text


def test_the_folder_is_created(seed_db, tmp_path):
    result = igbib("site", "-o", tmp_path / "a" / "b", "--db", seed_db)
    assert result.returncode == 0, result
    assert (tmp_path / "a" / "b" / "index.html").is_file()


def test_a_folder_that_cannot_be_written_is_one_line_and_exit_1(seed_db, tmp_path):
    a_file = tmp_path / "notes.txt"
    a_file.write_text("keep me\n")
    line = one_line_error(igbib("site", "-o", a_file, "--db", seed_db))
    assert "is a file, not a folder" in line and str(a_file) in line
    line = one_line_error(igbib("site", "-o", a_file / "site", "--db", seed_db))
    assert line.endswith(f"{a_file} is a file, not a folder")
    assert a_file.read_text() == "keep me\n"
    index = tmp_path / "site" / "index.html"
    index.mkdir(parents=True)  # index.html is a folder: it is not replaced
    assert "cannot write" in one_line_error(igbib("site", "-o", tmp_path / "site", "--db", seed_db))
    assert index.is_dir() and not os.listdir(index)


def test_an_empty_library_writes_nothing_and_says_why(tmp_path):
    db = tmp_path / "empty.sqlite"
    Library.open(db, write=True).close()
    before = digest(db)
    line = one_line_error(igbib("site", "-o", tmp_path / "site", "--db", db))
    assert "the library holds no papers" in line
    assert not (tmp_path / "site").exists() and digest(db) == before


def test_the_output_folder_is_required(seed_db):
    assert "--output DIR" in one_line_error(igbib("site", "--db", seed_db), code=2)


def test_the_shipped_library_gives_a_page(tmp_path):
    result = igbib("site", "-o", tmp_path, "--db", ROOT / "library.sqlite")
    assert result.returncode == 0, result
    assert len(Page((tmp_path / "index.html").read_text()).rows) == 52


def test_the_script_and_style_are_package_data():
    """A wheel carries them: the page of a non-editable install has its script and style."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    from importlib import resources

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert set(project["tool"]["setuptools"]["package-data"]["igbib.site"]) >= {"*.js", "*.css"}
    folder = resources.files("igbib.site")
    assert folder.joinpath("site.js").is_file() and folder.joinpath("site.css").is_file()


def test_control_characters_never_reach_the_page_and_are_reported(tmp_path):
    db = tmp_path / "controls.sqlite"
    item = {
        "id": "esc",
        "type": "article-journal",
        "title": "Glioma \u001b[2J radiomics\u0000",
        "author": [{"family": "Zhao\u0085"}],
        "note": "a\u0007note",
        "issued": {"date-parts": [[2020]]},
    }
    records = tmp_path / "controls.json"
    records.write_text(json.dumps([item]))
    assert igbib("import", records, "--db", db).returncode == 0
    result = igbib("site", "-o", tmp_path / "site", "--db", db)
    assert result.returncode == 0, result.stderr
    assert "control characters left out of" in result.stderr
    page = (tmp_path / "site" / "index.html").read_text()
    assert not any(ord(c) < 32 and c not in "\n\t" or 127 <= ord(c) < 160 for c in page)
    assert "\\u001b" not in page and "\\u0000" not in page
    assert "Glioma [2J radiomics" in page


def test_site_without_a_folder_or_to_standard_output_is_a_usage_error(tmp_path, seed_db):
    tmp_path = tmp_path / "here"
    tmp_path.mkdir()
    line = one_line_error(igbib("site", "--db", seed_db, cwd=tmp_path), 2)
    assert line == "error: missing option -o/--output DIR (the folder to write index.html in)"
    line = one_line_error(igbib("site", "-o", "-", "--db", seed_db, cwd=tmp_path), 2)
    assert line == "error: igbib site writes a folder, not standard output: give -o DIR"
    assert list(tmp_path.iterdir()) == []


def test_the_tag_facet_holds_the_topic_tags_as_search_finds_them(seed_db):
    """The page filters on the tags the topic rules gave, as `tag:` searches do."""
    from igbib.store import Library

    with Library.open(seed_db) as library:
        text, _ = render_site(library)
    data = Page(text).json("igbib-data")
    assert "site/glioma" in data["tags"] and "modality/mri" in data["tags"]
    for tag in ("site/glioma", "modality/mri", "method/radiogenomics"):
        rank = data["tags"].index(tag)
        keys = {p["key"] for p in data["papers"] if rank in p["tags"]}
        found = igbib("search", f"tag:{tag}", "--json", "--limit", "1000", "--db", seed_db)
        assert keys == {p["citekey"] for p in json.loads(found.stdout)}, tag
    assert igbib("tag", "gevaert2014glioblastoma", "-site/glioma", "--db", seed_db).returncode == 0
    with Library.open(seed_db) as library:
        data = Page(render_site(library)[0]).json("igbib-data")
    rank = data["tags"].index("site/glioma")
    assert not any(
        p["key"] == "gevaert2014glioblastoma" and rank in p["tags"] for p in data["papers"]
    )
