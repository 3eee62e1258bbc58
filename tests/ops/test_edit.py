"""igbib.ops.edit and igbib.ops.tags: edits by the importers' rules, one transaction each."""

import sys
import textwrap

import pytest
from conftest import digest

from igbib.errors import IgbibError, Refused, UsageError
from igbib.ops import edit as ops
from igbib.ops.tags import counts, parse_words, tag
from igbib.store import Library


def codes(paper):
    return [f["code"] for f in paper.flags]


@pytest.mark.parametrize(
    ("field", "text", "value"),
    [
        ("year", "2014", 2014),
        ("year", "2014-05-12", 2014),
        ("month", "Sept.", 9),
        ("month", "09", 9),
        ("pages", "519 – 27", "519-527"),
        ("pmid", "https://pubmed.ncbi.nlm.nih.gov/24827998/", "24827998"),
        ("pmid", "0024827998", "24827998"),
        ("pmcid", "pmc4141648", "PMC4141648"),
        ("pmcid", "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC4141648/", "PMC4141648"),
        ("doi", "https://doi.org/10.1038/NCOMMS5006", "10.1038/ncomms5006"),
        ("arxiv", "arXiv:1902.00001v2", "1902.00001"),
        ("keywords", "radiomics; MRI;; radiomics", ["radiomics", "MRI"]),
        ("title", "  Decoding   tumour phenotype ", "Decoding tumour phenotype"),
        ("entry_type", "InProceedings", "inproceedings"),
        ("year", "", None),
        ("keywords", "", []),
    ],
)
def test_values_are_read_by_the_importers_rules(field, text, value):
    assert ops.parse_value(field, text) == value


def test_authors_are_read_as_a_list_and_et_al_goes_with_them():
    authors, et_al = ops.parse_value("authors", "Smith, J; Doe, A")
    assert authors == [{"family": "Smith", "given": "J"}, {"family": "Doe", "given": "A"}]
    assert not et_al
    authors, et_al = ops.parse_value("authors", ["Gevaert, Olivier", "et al."])
    assert authors == [{"family": "Gevaert", "given": "Olivier"}] and et_al
    assert ops.parse_value("authors", "") == ([], False)


@pytest.mark.parametrize(
    ("field", "text", "reason"),
    [
        ("year", "201", "not a valid year"),
        ("year", "2014a", "not a valid year"),
        ("month", "Spring", "not a month"),
        ("pmid", "12x", "not a valid PMID"),
        ("pmid", "https://example.org/paper", "not a valid PMID"),
        ("doi", "10.1038", "not a valid DOI"),
        ("pmcid", "4141648x", "not a valid PMCID"),
        ("url", "example.org", "not a web address"),
        ("citekey", "two words", "not a citation key"),
        ("citekey", "", "cannot be empty"),
        ("entry_type", "", "cannot be empty"),
    ],
)
def test_bad_values_are_refused_with_the_reason(field, text, reason):
    with pytest.raises(Refused, match=reason):
        ops.parse_value(field, text)


def test_assignments_name_editable_fields_once():
    assert ops.parse_assignments(["year=2016", "pmid="]) == {"year": 2016, "pmid": None}
    with pytest.raises(Refused, match="unknown field 'yaer'; editable fields: citekey"):
        ops.parse_assignments(["yaer=2016"])
    with pytest.raises(Refused, match="tags is not editable: use igbib tag"):
        ops.parse_assignments(["tags=x"])
    with pytest.raises(Refused, match="sections is not editable: use igbib move"):
        ops.parse_assignments(["sections=x"])
    with pytest.raises(UsageError, match="not FIELD=VALUE"):
        ops.parse_assignments(["2016"])
    with pytest.raises(UsageError, match="given twice"):
        ops.parse_assignments(["year=2016", "year=2017"])


def test_an_edit_fixes_a_field_and_its_flag_in_one_transaction(seed_library):
    before = seed_library.resolve("huradiogenomics")
    assert codes(before) == ["bad-year"]
    last = seed_library.last_change_id()
    result = ops.edit(seed_library, "huradiogenomics", {"year": 2016, "month": 3})
    after = seed_library.resolve("huradiogenomics")
    assert after.year == 2016 and after.month == 3 and after.flags == []
    assert after.updated >= before.updated
    assert [c[0] for c in result.changed] == ["year", "month", "flags"]
    assert seed_library.last_change_id() == last + 1  # one change
    assert len(seed_library.changes()[0].summary) == 1  # the papers table only


def test_an_edit_that_changes_nothing_writes_nothing(seed_db):
    before = digest(seed_db)
    with Library.open(seed_db, write=True) as library:
        result = ops.edit(library, "gevaert2014glioblastoma", {"year": 2014})
    assert result.changed == [] and digest(seed_db) == before


def test_an_identifier_another_paper_has_is_refused_unless_forced(seed_db):
    before = digest(seed_db)
    with Library.open(seed_db, write=True) as library:
        with pytest.raises(Refused) as refused:
            ops.edit(library, "aerts2014decoding", {"pmid": "24827998"})
        message = str(refused.value)
        assert "PMID 24827998 is already given for gevaert2014glioblastoma (id 23)" in message
        assert "igbib merge aerts2014decoding gevaert2014glioblastoma" in message
    assert digest(seed_db) == before
    with Library.open(seed_db, write=True) as library:
        ops.edit(library, "aerts2014decoding", {"pmid": "24827998"}, force=True)
        assert codes(library.get(23)) == ["shared-id"]
        assert "shared-id" in codes(library.resolve("aerts2014decoding"))


def test_taking_a_shared_identifier_away_clears_the_others_flag(seed_library):
    assert codes(seed_library.resolve("mccann2016quantitative")) == ["shared-id"]
    ops.edit(seed_library, "zhao2016reproducibility", {"pmid": None})
    assert seed_library.resolve("mccann2016quantitative").flags == []
    assert seed_library.resolve("27009765").citekey == "mccann2016quantitative"


def test_a_citekey_stays_unique(seed_library):
    with pytest.raises(Refused, match="taken by gevaert2014glioblastoma"):
        ops.edit(seed_library, "aerts2014decoding", {"citekey": "gevaert2014glioblastoma"})
    ops.edit(seed_library, "aerts2014decoding", {"citekey": "aerts2014"})
    assert seed_library.resolve("aerts2014").doi == "10.1038/ncomms5006"
    # the former key stays the paper's, as an alias: manuscripts citing it still find it,
    # and no other paper may take it
    assert seed_library.resolve("aerts2014decoding").citekey == "aerts2014"
    with pytest.raises(Refused, match="taken by aerts2014"):
        ops.edit(seed_library, "lee2017radiomics", {"citekey": "aerts2014decoding"})
    ops.edit(seed_library, "aerts2014", {"citekey": "aerts2014decoding"})  # given back
    assert seed_library.aliases_of([30]) == {30: ["aerts2014"]}


@pytest.mark.parametrize("key", ["24827998", "10.1038/ncomms5006", "PMC4059926", "2101.00001"])
def test_a_citekey_may_not_read_as_another_reference(seed_library, key):
    with pytest.raises(Refused, match="citekey"):
        ops.edit(seed_library, "aerts2014decoding", {"citekey": key})


def test_notes_are_set_appended_and_cleared(seed_library):
    ops.set_note(seed_library, "23", "Read first.")
    ops.set_note(seed_library, "23", "Then the TCGA part.", append=True)
    assert seed_library.get(23).note == "Read first.\nThen the TCGA part."
    ops.set_note(seed_library, "23", None)
    assert seed_library.get(23).note is None


def test_remove_takes_placements_tags_and_flags_with_it(seed_library):
    zhao = seed_library.resolve("zhao2016reproducibility")
    tag(seed_library, [str(zhao.id)], ["reproducibility"], [])
    papers = ops.resolve_all(seed_library, ["zhao2016reproducibility", str(zhao.id)])
    assert [p.id for p in papers] == [zhao.id]
    deleted = ops.remove(seed_library, papers)
    assert deleted == ["reproducibility"] and "reproducibility" not in seed_library.tag_names()
    assert seed_library.count() == 51
    assert zhao.id not in {pid for ids in seed_library.placements().values() for pid in ids}
    assert seed_library.resolve("27009765").flags == []  # mccann shares it no more


# -- the editor view ----------------------------------------------------------------------


def test_the_view_reads_back_as_it_was_written(seed_library):
    paper = seed_library.resolve("gevaert2014glioblastoma")
    paper.note = 'A "quoted" note\\ with\ttabs\nand a second line — ünïcode'
    text = ops.view(paper)
    assert text.startswith("# igbib edit: gevaert2014glioblastoma (id 23)")
    assert "save the file empty" in text
    assert ops.values_from_view(paper, text) == {}
    edited = text.replace("year = 2014", "year = 2015").replace('pmcid = ""', 'pmcid = "pmc1"')
    assert ops.values_from_view(paper, edited) == {"year": 2015, "pmcid": "PMC1"}


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (("year = 2014", "year = 201"), "not a valid year"),
        (("year = 2014", "year = "), "not valid TOML"),
        (("year = 2014", "year = 2014\ntags = []"), "tags is not editable"),
        (("year = 2014", "year = 2014\ncolour = 'red'"), "unknown field 'colour'"),
        (("keywords = []", "keywords = 3"), "keywords must be a list of strings"),
    ],
)
def test_a_bad_view_is_refused(seed_library, change, reason):
    paper = seed_library.resolve("gevaert2014glioblastoma")
    with pytest.raises(Refused, match=reason):
        ops.values_from_view(paper, ops.view(paper).replace(*change))


def editor(tmp_path, body: str) -> list[str]:
    """A real editor: a Python script run on the file, as $VISUAL would be."""
    script = tmp_path / "editor.py"
    script.write_text(
        "import pathlib, sys\n"
        "path = pathlib.Path(sys.argv[-1])\n"
        "state = pathlib.Path(sys.argv[0]).with_suffix('.runs')\n"
        "runs = int(state.read_text()) + 1 if state.exists() else 1\n"
        "state.write_text(str(runs))\n"
        "text = path.read_text(encoding='utf-8')\n" + textwrap.dedent(body)
    )
    return [sys.executable, str(script)]


def test_the_editor_edits_the_record(seed_library, tmp_path):
    command = editor(tmp_path, "path.write_text(text.replace('year = \"\"', 'year = 2016'))\n")
    result = ops.edit_in_editor(seed_library, "huradiogenomics", command)
    assert not result.cancelled and [c[0] for c in result.changed] == ["year", "flags"]
    assert seed_library.resolve("huradiogenomics").year == 2016


def test_the_editor_saving_nothing_or_an_empty_file_cancels(seed_db, tmp_path):
    before = digest(seed_db)
    for body in ("pass\n", "path.write_text('')\n"):
        with Library.open(seed_db, write=True) as library:
            result = ops.edit_in_editor(library, "8", editor(tmp_path, body))
        assert result.cancelled and result.changed == []
    assert digest(seed_db) == before


def test_a_refused_edit_is_offered_again_with_the_users_text(seed_library, tmp_path):
    body = """
    if runs == 1:
        path.write_text(text.replace('year = ""', 'year = "201"'))
    elif 'year = "201"' in text:  # the user's text, kept
        path.write_text(text.replace('year = "201"', 'year = 2016'))
    else:
        sys.exit(3)
    """
    asked = []
    result = ops.edit_in_editor(
        seed_library, "huradiogenomics", editor(tmp_path, body), ask=lambda r: asked.append(r) or 1
    )
    assert asked == ["year '201' is not a valid year (four digits, 1800-2100)"]
    assert result.after.year == 2016


def test_a_refused_edit_not_taken_up_again_changes_nothing(seed_db, tmp_path):
    before = digest(seed_db)
    body = "path.write_text(text.replace('year = \"\"', 'year = \"201\"'))\n"
    for ask in (None, lambda reason: False):
        with (
            Library.open(seed_db, write=True) as library,
            pytest.raises(Refused, match="not a valid year"),
        ):
            ops.edit_in_editor(library, "huradiogenomics", editor(tmp_path, body), ask=ask)
    assert digest(seed_db) == before


def test_a_failing_editor_is_an_error(seed_db, tmp_path):
    before = digest(seed_db)
    with Library.open(seed_db, write=True) as library:
        with pytest.raises(IgbibError, match="exited with status 5"):
            ops.edit_in_editor(library, "8", editor(tmp_path, "sys.exit(5)\n"))
        with pytest.raises(IgbibError, match="not found"):
            ops.edit_in_editor(library, "8", [str(tmp_path / "no-such-editor")])
    assert digest(seed_db) == before


def test_the_editor_is_visual_then_editor_then_vi():
    assert ops.editor_command({"VISUAL": "code --wait", "EDITOR": "nano"}) == ["code", "--wait"]
    assert ops.editor_command({"VISUAL": " ", "EDITOR": "nano"}) == ["nano"]
    assert ops.editor_command({}) == (["notepad"] if sys.platform == "win32" else ["vi"])
    with pytest.raises(IgbibError, match="cannot read \\$VISUAL"):
        ops.editor_command({"VISUAL": "code 'unclosed"})


# -- tags ----------------------------------------------------------------------------------


def test_tag_words_are_refs_then_signed_tags():
    assert parse_words(["1", "gevaert2014glioblastoma", "+Glioma", "-review"]) == (
        ["1", "gevaert2014glioblastoma"],
        ["Glioma"],
        ["review"],
    )
    for words, reason in (
        (["1", "+glioma", "review"], "write \\+review to add it"),
        (["+glioma"], "missing REF"),
        (["1"], "no tags given"),
        (["1", "+"], "names no tag"),
        (["1", "+glioma", "-GLIOMA"], "both added and removed"),
    ):
        with pytest.raises(UsageError, match=reason):
            parse_words(words)


def test_tags_ignore_case_and_unused_tags_go(seed_library):
    results, deleted = tag(seed_library, ["23", "29"], ["Glioma", "review"], [])
    assert [r.added for r in results] == [["Glioma", "review"]] * 2 and deleted == []
    assert counts(seed_library) == [("Glioma", 2), ("review", 2)]
    results, deleted = tag(seed_library, ["23"], ["glioma"], ["REVIEW", "radiomics"])
    assert results[0].had == ["glioma"] and results[0].removed == ["REVIEW"]
    assert results[0].absent == ["radiomics"] and results[0].tags == ["Glioma"]
    results, deleted = tag(seed_library, ["29"], [], ["review"])
    assert deleted == ["review"] and counts(seed_library) == [("Glioma", 2)]


def test_entry_types_are_those_bibtex_and_biblatex_know(seed_library):
    ops.edit(seed_library, "23", {"entry_type": ops.parse_value("entry_type", "InProceedings")})
    assert seed_library.get(23).entry_type == "inproceedings"
    with pytest.raises(Refused, match="not a BibTeX or biblatex entry type"):
        ops.parse_value("entry_type", "weird")


def test_control_characters_are_refused_except_line_breaks_in_a_note():
    with pytest.raises(Refused, match="control character"):
        ops.parse_value("journal", "Neuro\x01Oncology")
    assert ops.parse_value("note", "first\nsecond") == "first\nsecond"
