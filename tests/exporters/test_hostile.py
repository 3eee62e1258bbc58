"""Hostile text is inert in every format, and every export reads back with its own reader.

Titles, names and notes come from users' lists and from services: they may hold
markup (``<script>``), Markdown, LaTeX, spreadsheet formulas, link schemes that run
code, control characters. Each export writes them as text: the reference reader of
the format (rispy, json, csv, an HTML parser, a CommonMark parser) gives back the
same text, and nothing in it becomes a tag, a link or a formula. The BibTeX side
(bibtexparser and pybtex) has its own tests in test_bibtex_fidelity.py.
"""

import csv
import io
import json
from html.parser import HTMLParser

from hypothesis import example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from igbib.exporters import Options, render
from igbib.model import Paper

# Any text but control characters and surrogates: what a title or a name may hold.
text_chars = st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"))
words = st.text(text_chars, min_size=1, max_size=60).filter(lambda t: t.strip())
notes = st.text(st.characters(blacklist_categories=("Cs",)), max_size=80)
HOSTILE_TITLES = [
    "<script>alert(1)</script> T",
    '"><img src=x onerror=alert(1)>',
    "Interval notation [0, 1} in a title",
    '=HYPERLINK("http://evil","x")',
    "+1 -2 @SUM(A1) ; DROP TABLE papers; --",
    "[link](javascript:alert(1)) **bold** `code` <b>b</b> &amp; &copy; \\ | x",
]


def paper(title, family="Zhao", note=None, url=None):
    return Paper(
        id=1,
        citekey="k1",
        title=title,
        authors=[{"family": family, "given": "Li"}],
        et_al=True,
        journal="Radiology",
        year=2020,
        pmid="24827998",
        note=note,
        url=url,
    )


def same(text):
    return " ".join(text.split())


class Text(HTMLParser):
    """The text of a page and every tag and attribute in it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text, self.tags = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_data(self, data):
        self.text.append(data)


def parse_html(page):
    parser = Text()
    parser.feed(page)
    return "".join(parser.text), parser.tags


def markdown_link(md_text):
    """``(text, href)`` of the first link of the first list item, as CommonMark reads it."""
    tokens = MarkdownIt("commonmark").parse(md_text)
    for token in tokens:
        if token.type == "inline":
            children = token.children or []
            for i, child in enumerate(children):
                if child.type == "link_open":
                    inner = []
                    for c in children[i + 1 :]:
                        if c.type == "link_close":
                            break
                        inner.append(c.content)
                    return "".join(inner), child.attrs.get("href")
    return None, None


@settings(max_examples=150, deadline=None)
@given(title=words, family=words, note=notes)
def test_any_text_reads_back_from_ris_csljson_json_and_csv(title, family, note):
    family = family.strip()
    p = paper(title, family, note)
    import rispy

    record = rispy.loads(render("ris", [p], Options()))[0]
    assert record["title"] == same(title)
    assert record["authors"][0].startswith(same(family).split(",")[0].strip())
    expected = same(note.translate(CONTROL_FREE))
    assert record.get("notes") == ([expected] if expected else None)

    item = json.loads(render("csljson", [p], Options()))[0]
    assert _without_nocase(item["title"]) == title
    assert item["author"][0]["family"] == family

    rows = list(csv.reader(io.StringIO(render("csv", [p], Options()))))
    header, row = rows
    cell = row[header.index("title")]
    assert (cell[1:] if cell.startswith("'") and title[:1] in "=+-@" else cell) == title


CONTROL_FREE = {c: None for c in [*range(9), *range(11, 32), *range(127, 160)]}


def _without_nocase(title):
    return title.replace('<span class="nocase">', "").replace("</span>", "")


@settings(max_examples=150, deadline=None)
@given(title=words)
def test_any_title_is_text_in_the_html_reference_list(title):
    page = render("html", [paper(title)], Options())
    text, tags = parse_html(page)
    assert {tag for tag, _ in tags} <= {"html", "head", "meta", "title", "style", "body"} | {
        "h1",
        "ol",
        "ul",
        "li",
        "a",
        "i",
        "b",
    }
    assert all(
        attr in ("href", "class", "charset", "name", "content", "lang")
        for _, attrs in tags
        for attr, _ in attrs
    )
    flat = same(text).replace("’", "'")
    assert same(title).replace("’", "'").rstrip(".") in flat


@settings(max_examples=150, deadline=None)
@given(title=words)
@example(title="&copy; &amp; &#65; &#x41;")
@example(title="![img](x) <http://x.org> *a* _b_ ~~c~~ # h")
@example(title="a\\b [c] (d) `e` | f")
@example(title="1. numbered")
def test_any_title_reads_back_from_the_markdown_list(title):
    md_text = render("md", [paper(title)], Options(whole_list=False), None)
    text, href = markdown_link(md_text)
    assert text == same(title)
    assert href == "https://pubmed.ncbi.nlm.nih.gov/24827998/"


def test_hostile_titles_are_inert_in_html_and_markdown():
    papers = [paper(t) for t in HOSTILE_TITLES]
    for number, p in enumerate(papers):
        p.id, p.citekey = number + 1, f"k{number}"
    page = render("html", papers, Options())
    assert "<script>" not in page and "<img" not in page and "<b>b</b>" not in page
    text, _ = parse_html(page)
    for title in HOSTILE_TITLES:
        assert same(title).replace("’", "'") in same(text).replace("’", "'")
    md_text = render("md", papers, Options(whole_list=False), None)
    html_out = MarkdownIt("commonmark").render(md_text)
    assert (
        "<script>" not in html_out
        and "<img" not in html_out
        and "javascript:" not in (html_out.replace("[link](javascript:alert(1))", ""))
    )
    assert 'href="javascript' not in html_out


def test_unsafe_link_schemes_are_never_written_as_links():
    for url in ("javascript:alert(1)", "JaVaScRiPt:alert(1)", " data:text/html,<x>", "vbscript:x"):
        p = paper("A title", url=url)
        p.pmid = None
        md_text = render("md", [p], Options(whole_list=False), None)
        _, href = markdown_link(md_text)
        assert not href, (url, md_text)
        page = render("html", [p], Options())
        assert 'href="javascript' not in page.lower() and 'href="data' not in page.lower()
    p = paper("A title", url="https://example.org/a (b")
    p.pmid = None
    _, href = markdown_link(render("md", [p], Options(whole_list=False), None))
    assert href == "https://example.org/a%20%28b" or href == "https://example.org/a%28b"


def test_csv_cells_that_start_a_formula_are_text():
    papers = [paper(t) for t in ("=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(1)", "Plain")]
    rows = list(csv.reader(io.StringIO(render("csv", papers, Options()))))
    titles = [row[rows[0].index("title")] for row in rows[1:]]
    assert titles == ["'=1+1", "'+cmd|' /C calc'!A0", "'-2+3", "'@SUM(1)", "Plain"]


def test_control_characters_never_reach_an_export_and_are_reported():
    p = paper("A\x00B\x1b[31m title\x85", family="Zh\x07ao", note="line 1\nline 2\x0c")
    for fmt in ("bibtex", "biblatex", "csljson", "ris", "csv", "json", "text", "html", "md"):
        options = Options(whole_list=False)
        text = render(fmt, [p], options, None)
        assert not any(ord(c) < 32 and c not in "\n\t" or 127 <= ord(c) < 160 for c in text), fmt
        assert options.warnings == ["k1: control characters left out of title, authors, note"]
    assert p.title == "A\x00B\x1b[31m title\x85"  # the stored paper is not changed


def test_section_names_write_no_html_into_the_markdown_list(seed_library):
    from igbib.ops.sections import add_section, move
    from igbib.search import search

    name = "<img src=x onerror=alert(1)> Imaging <script>x</script>"
    add_section(seed_library, name)
    move(seed_library, "gevaert2014glioblastoma", name)
    papers = search(seed_library, "", sort="section")
    md_text = render("md", papers, Options(), seed_library)
    html_out = MarkdownIt("commonmark").render(md_text)
    assert "<img src=x" not in html_out and "<script>" not in html_out  # the list's own
    assert "&lt;img src=x onerror=alert(1)&gt; Imaging &lt;script&gt;x&lt;/script&gt;" in html_out
