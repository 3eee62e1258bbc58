"""BibTeX that every reader takes whole: any text, any brace, any character.

bibtexparser, pybtex and igbib's importer must read every field an export writes,
as the text it was written from; BibTeX must compile it (with or without T1 fonts,
in styles that lower-case titles and abbreviate given names); an ASCII export
writes every character LaTeX can print and names each one it cannot.
The TeX tests are skipped where no TeX is installed (CI sets IGBIB_REQUIRE_TEX=1).
"""

import re
import shutil
import subprocess
import unicodedata

import bibtexparser
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pybtex.database import parse_string as pybtex_parse

from igbib.exporters import Options, render
from igbib.importers.bibtex import parse_bibtex
from igbib.latex import TABLE, decode, to_ascii
from igbib.model import Paper

needs_tex = pytest.mark.skipif(
    not all(shutil.which(t) for t in ("pdflatex", "bibtex")), reason="no TeX installed"
)
#: What an ASCII export writes as what LaTeX prints the same (decode reads the latter).
SAME = {"‘": "`", "’": "'", "\u00a0": " ", "\u2010": "-", "\u2011": "-"}


def paper(**fields) -> Paper:
    values = {"citekey": "k", "title": "T", "authors": [{"family": "Doe", "given": "J"}]}
    values.update(year=2020, doi="10.1000/xyz", journal="J", pmid="123")
    values.update(fields)
    return Paper(**values)


def parsed_by_everyone(text: str, n: int) -> tuple[list, dict]:
    """bibtexparser's and pybtex's entries for ``text``, checking each has every field."""
    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == [], [b.error for b in library.failed_blocks]
    assert len(library.entries) == n
    entries = pybtex_parse(text, "bibtex").entries
    assert len(entries) == n
    for entry in library.entries:
        other = entries[entry.key]
        # pybtex keeps the names apart from the fields
        assert len(other.fields) + len(other.persons) == len(entry.fields), entry.key
        for field in entry.fields:
            if field.key not in ("author", "month"):
                assert other.fields[field.key] == field.value, (entry.key, field.key)
    return library.entries, entries


def run(tool, *args, cwd):
    return subprocess.run(
        [tool, *args], cwd=cwd, capture_output=True, text=True, errors="replace", timeout=300
    )


def compile_bibtex(tmp_path, bib: str, style: str = "plain", fonts: str = "") -> str:
    """The .bbl of a document citing every entry of ``bib``; fails on any TeX error."""
    (tmp_path / "refs.bib").write_text(bib)
    (tmp_path / "doc.tex").write_text(
        "\\documentclass{article}\n" + fonts + "\n\\tracinglostchars=2\n\\begin{document}\n"
        f"\\nocite{{*}}\n\\bibliographystyle{{{style}}}\n\\bibliography{{refs}}\n\\end{{document}}\n"
    )
    args = ("-interaction=nonstopmode", "-halt-on-error", "doc.tex")
    assert run("pdflatex", *args, cwd=tmp_path).returncode == 0
    bibtex = run("bibtex", "doc", cwd=tmp_path)
    log = (tmp_path / "doc.blg").read_text(errors="replace")
    assert bibtex.returncode == 0 and "error message" not in log, log[-2000:]
    result = run("pdflatex", *args, cwd=tmp_path)
    assert result.returncode == 0, result.stdout[-3000:]
    log = (tmp_path / "doc.log").read_text(errors="replace")
    assert "Missing character" not in log, re.findall(r"Missing character.*", log)[:5]
    return (tmp_path / "doc.bbl").read_text(errors="replace")


# -- braces -------------------------------------------------------------------------

UNBALANCED = [
    "Interval notation [0, 1} in a title",
    "Interval notation [0, 1{ in a title",
    "a { b } c } d {",
    "}{ reversed",
    "{{{ three",
    "x}}",
    "back\\slash {and} a brace}",
]


@pytest.mark.parametrize("ascii", [False, True])
def test_a_title_with_a_brace_without_its_pair_loses_no_field(ascii):
    """BibTeX counts escaped braces too: one \\} ended the title, and the year and DOI with it."""
    papers = [
        paper(citekey=f"k{i}", title=title, note=title, authors=[{"family": title, "given": "A"}])
        for i, title in enumerate(UNBALANCED)
    ]
    text = render("bibtex", papers, Options(ascii=ascii))
    assert "1\\textbraceright{} in a title" in text
    ours, theirs = parsed_by_everyone(text, len(papers))
    for entry in ours:
        assert {"year", "doi", "pmid", "title", "note", "journal"} <= set(entry.fields_dict)
        assert theirs[entry.key].fields["year"] == "2020"
    back = {e.paper.citekey: e.paper for e in parse_bibtex(text).entries}
    for original in papers:
        again = back[original.citekey]
        assert (again.title, again.note, again.year, again.doi) == (
            original.title,
            original.title,
            2020,
            "10.1000/xyz",
        )
        assert again.authors == original.authors


@needs_tex
def test_bibtex_compiles_titles_with_braces_without_their_pair(tmp_path):
    papers = [paper(citekey=f"k{i}", title=title) for i, title in enumerate(UNBALANCED)]
    bbl = compile_bibtex(tmp_path, render("bibtex", papers, Options()))
    assert bbl.count("2020") == len(papers)  # every entry kept its year
    assert "Interval notation [0, 1\\textbraceright{} in a title" in bbl


# -- any text -----------------------------------------------------------------------

text = (
    st.text(
        st.characters(blacklist_categories=("Cc", "Cs")) | st.sampled_from(" {}%&#_$~^\\-'`"),
        min_size=1,
        max_size=30,
    )
    .map(lambda t: unicodedata.normalize("NFC", " ".join(t.split())))
    .filter(bool)
)


def person_parts(person) -> tuple[str, str]:
    family = " ".join(person.prelast_names + person.last_names)
    given = " ".join(person.first_names + person.middle_names)
    return decode(family), decode(given)


def check_any_text(title, family_name, given_name, literal, note, ascii):
    authors = [{"family": family_name, "given": given_name}, {"literal": literal}]
    entry = paper(title=title, authors=authors, note=note)
    options = Options(ascii=ascii)
    exported = render("bibtex", [entry], options)
    ours, theirs = parsed_by_everyone(exported, 1)
    fields = ours[0].fields_dict
    assert {"author", "title", "note", "year", "doi", "pmid", "journal"} == set(fields)
    persons = theirs["k"].persons["author"]
    assert len(persons) == 2
    if ascii:
        assert exported.isascii()
        if options.warnings:  # a character written as ? or its compatibility form
            assert all(w.startswith("k: cannot write ") for w in options.warnings)
            return
    assert decode(fields["title"].value) == title
    assert decode(fields["note"].value) == note
    assert decode(theirs["k"].fields["title"]) == title
    assert person_parts(persons[0]) == (family_name, given_name)
    assert person_parts(persons[1]) == (literal, "")
    back = parse_bibtex(exported).entries[0].paper
    assert (back.title, back.note, back.authors[0]) == (title, note, authors[0])
    # a braced name is a collective one or one family name: the words decide
    assert back.authors[1] in ({"literal": literal}, {"family": literal})


@settings(max_examples=300, deadline=None)
@given(title=text, family_name=text, given_name=text, literal=text, note=text)
def test_any_title_name_and_note_reads_back_from_bibtex(
    title, family_name, given_name, literal, note
):
    check_any_text(title, family_name, given_name, literal, note, ascii=False)


no_equivalents = text.filter(lambda t: not set(t) & set(SAME))


@settings(max_examples=200, deadline=None)
@given(
    title=no_equivalents, family_name=no_equivalents, literal=no_equivalents, note=no_equivalents
)
def test_any_text_reads_back_from_ascii_bibtex_or_is_reported(title, family_name, literal, note):
    check_any_text(title, family_name, "Ann", literal, note, ascii=True)


# -- ASCII ---------------------------------------------------------------------------


def test_ascii_never_changes_text_in_silence():
    entries = [
        paper(citekey="half", title="A ½-dose trial at 5 ‰ and 37 ℃"),
        paper(
            citekey="ngo", title="Ŋgo and Þór in Dąbrowski's Ștefan", authors=[{"family": "Ŋgo"}]
        ),
        paper(citekey="cjk", title="中文 and ﬁnal", authors=[{"family": "Иванов", "given": "中"}]),
    ]
    options = Options(ascii=True)
    text = render("bibtex", entries, options)
    assert text.isascii()
    assert "{\\textonehalf}-dose" in text and "12-dose" not in text
    assert "{{\\UseTextSymbol{T1}{\\NG}}}go" in text and "?go" not in text
    assert options.warnings == [
        "cjk: cannot write 'И' (U+0418), 'в' (U+0432), 'а' (U+0430), 'н' (U+043D), 'о' (U+043E),"
        " '中' (U+4E2D), '文' (U+6587), 'ﬁ' (U+FB01) in ASCII LaTeX;"
        " written as '?', '?', '?', '?', '?', '?', '?', 'fi' (in that order)"
    ]
    back = {e.paper.citekey: e.paper for e in parse_bibtex(text).entries}
    assert back["half"].title == entries[0].title
    assert back["ngo"].title == entries[1].title and back["ngo"].authors == [{"family": "Ŋgo"}]
    assert back["cjk"].title == "?? and final"


def test_the_export_command_prints_what_ascii_could_not_write(tmp_path):
    from conftest import igbib

    bib = tmp_path / "in.bib"
    bib.write_text("@article{cjk, title = {中文 title}, author = {Li, Wei}, year = {2020}}\n")
    db = tmp_path / "lib.sqlite"
    assert igbib("import", bib, "--db", db).returncode == 0
    result = igbib("export", "-f", "bibtex", "--ascii", "--db", db)
    assert result.returncode == 0 and "title = {?? title}" in result.stdout
    assert (
        "warning: cjk: cannot write '中' (U+4E2D), '文' (U+6587) in ASCII LaTeX; written as '?'"
        in result.stderr
    )


def written_characters() -> dict[str, str]:
    """Every character an ASCII export writes as LaTeX: igbib's table, pylatexenc's, accents."""
    from pylatexenc.latexencode import get_builtin_uni2latex_dict

    chars = {chr(c) for c in get_builtin_uni2latex_dict() if c > 127}
    chars |= {c for _, c, _, _ in TABLE if not c.isascii()}
    chars |= {chr(c) for c in [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]}
    written = {}
    for char in sorted(chars):
        lost = []
        form = to_ascii(char, lost)
        if not lost:
            written[char] = form
    return written


def same(char: str) -> str:
    """What decode() reads for ``char`` written as LaTeX (Ω, the ohm sign, is Ω in NFC)."""
    return SAME.get(char, unicodedata.normalize("NFC", char))


def test_every_character_an_ascii_export_writes_reads_back_as_itself():
    written = written_characters()
    assert len(written) > 600
    for char, form in written.items():
        assert form.isascii()
        assert decode(f"a{form}b") == f"a{same(char)}b", (char, form)


@needs_tex
@pytest.mark.parametrize("style", ["plain", "abbrv"])
@pytest.mark.parametrize("fonts", ["", r"\usepackage[T1]{fontenc}"])
def test_every_character_an_ascii_export_writes_compiles(tmp_path, style, fonts):
    """In a title (which plain lower-cases) and in names (which abbrv abbreviates)."""
    chars = list(written_characters())
    chunks = [chars[i : i + 60] for i in range(0, len(chars), 60)]
    entries = [
        paper(
            citekey=f"c{i}",
            title="Symbols " + " ".join(chunk),
            authors=[{"family": c + "x", "given": c + "y"} for c in chunk[:20]],
        )
        for i, chunk in enumerate(chunks)
    ]
    options = Options(ascii=True)
    text = render("bibtex", entries, options)
    assert options.warnings == [] and text.isascii()
    compile_bibtex(tmp_path, text, style, fonts)
    back = {e.paper.citekey: e.paper.title for e in parse_bibtex(text).entries}
    for i, chunk in enumerate(chunks):
        expected = "Symbols " + " ".join(same(c) for c in chunk)
        assert back[f"c{i}"] == " ".join(expected.split())  # spaces (a tie, U+2009) are one


@needs_tex
@pytest.mark.parametrize("style", ["plain", "abbrv"])
def test_bibtex_compiles_any_printable_text(tmp_path, style):
    """Titles, names and notes of every printable ASCII character, in random order."""
    import random
    import string

    rng = random.Random(20240611)
    alphabet = string.ascii_letters[:8] + string.digits[:3] + string.punctuation + "  "

    def garbage() -> str:
        return " ".join("".join(rng.choices(alphabet, k=rng.randint(1, 25))).split()) or "x"

    entries = [
        paper(
            citekey=f"g{i}",
            title=garbage(),
            note=garbage(),
            authors=[{"family": garbage(), "given": garbage()}, {"literal": garbage()}],
        )
        for i in range(150)
    ]
    text = render("bibtex", entries, Options())
    parsed_by_everyone(text, len(entries))
    bbl = compile_bibtex(tmp_path, text, style)
    assert len(re.findall(r"\\bibitem", bbl)) == len(entries)
    back = {e.paper.citekey: e.paper for e in parse_bibtex(text).entries}
    for entry in entries:
        again = back[entry.citekey]
        assert (again.title, again.note, again.year) == (entry.title, entry.note, 2020)
