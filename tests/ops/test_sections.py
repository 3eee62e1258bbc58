"""Moving papers and editing sections: positions 1..n, the document kept in step, undoable."""

import pytest

from igbib import search
from igbib.errors import NotFound, Refused, UsageError
from igbib.exporters import Options, render
from igbib.ops import sections
from igbib.ops.history import undo

IMAGING = "Imaging Genomics (Radiogenomics, Imaging Genetics)"
PREFACE = "This paper list is partially attributable to the following papers."


def exports(library) -> dict[str, str]:
    papers = search.search(library, "", sort="section")
    return {fmt: render(fmt, papers, Options(), library) for fmt in ("bibtex", "md", "json")}


def positions(library, name: str) -> list[int]:
    section = library.section_named(name)
    return [pid for pid, _ in library.section_entries(section["id"])]


def test_move_within_a_section_renumbers_it(seed_library):
    before = positions(seed_library, IMAGING)
    result = sections.move(seed_library, "gevaert2014glioblastoma", IMAGING, position=1)
    after = positions(seed_library, IMAGING)
    assert result["position"] == 1 and after[0] == 23
    assert sorted(after) == sorted(before) and len(after) == 50
    places = seed_library.conn.execute(
        "SELECT position FROM placements WHERE section_id = 2 ORDER BY position"
    ).fetchall()
    assert [p for (p,) in places] == list(range(1, 51))


def test_move_into_another_section_beyond_the_end_is_last(seed_library):
    result = sections.move(seed_library, "23", PREFACE, position=99)
    assert result["position"] == 3 and result["from"] == IMAGING
    assert positions(seed_library, PREFACE) == [1, 2, 23]
    assert 23 not in positions(seed_library, IMAGING)
    assert seed_library.get(23).sections == [{"section": PREFACE, "position": 3}]


def test_copy_keeps_the_other_placement_and_several_need_from(seed_library):
    sections.move(seed_library, "23", PREFACE, position=1, copy=True)
    assert [s["section"] for s in seed_library.get(23).sections] == [PREFACE, IMAGING]
    with pytest.raises(UsageError, match="listed in 2 sections.*--from"):
        sections.move(seed_library, "23", PREFACE, position=2)
    sections.move(seed_library, "23", PREFACE, position=2, from_section=PREFACE)
    assert positions(seed_library, PREFACE) == [1, 23, 2]
    with pytest.raises(Refused, match="already listed"):
        sections.move(seed_library, "23", IMAGING, from_section=PREFACE)


def test_an_unknown_section_names_the_closest(seed_library):
    with pytest.raises(NotFound, match="no section 'imaging genomic'.*closest is 'Imaging"):
        sections.move(seed_library, "23", "imaging genomic")
    with pytest.raises(NotFound, match="no paper"):
        sections.move(seed_library, "nosuchpaper", IMAGING)


def test_a_new_section_is_written_in_the_markdown_list(seed_library):
    result = sections.add_section(seed_library, "Radiomics", after=PREFACE)
    assert result["style"] == "bullet:0:-"
    assert [s["name"] for s in seed_library.sections()] == [PREFACE, "Radiomics", IMAGING]
    md = exports(seed_library)["md"]
    assert "\n- Radiomics\n" in md and md.index("- Radiomics") < md.index(f"* {IMAGING}")
    sections.move(seed_library, "aerts2014decoding", "Radiomics")
    md = exports(seed_library)["md"]
    assert "- Radiomics\n  * Aerts et al., [Decoding tumour phenotype" in md
    with pytest.raises(Refused, match="already exists"):
        sections.add_section(seed_library, "radiomics")
    with pytest.raises(UsageError):
        sections.add_section(seed_library, "  ")


def test_rename_keeps_the_sections_papers_and_place(seed_library):
    sections.rename_section(seed_library, PREFACE, "Reviews")
    assert [s["name"] for s in seed_library.sections()] == ["Reviews", IMAGING]
    assert "\n- Reviews\n  * Lee et al." in exports(seed_library)["md"]
    with pytest.raises(Refused, match="already exists"):
        sections.rename_section(seed_library, "Reviews", IMAGING)
    with pytest.raises(NotFound, match="closest is 'Reviews'"):
        sections.rename_section(seed_library, "Review", "Other")


def test_removing_a_section_with_papers_needs_force_and_keeps_the_papers(seed_library):
    with pytest.raises(Refused, match="lists 2 papers.*--force"):
        sections.remove_section(seed_library, PREFACE)
    result = sections.remove_section(seed_library, PREFACE, force=True)
    assert [p["citekey"] for p in result["unlisted"]] == ["lee2017radiomics", "bai2016imaging"]
    assert seed_library.count() == 52 and [s["name"] for s in seed_library.sections()] == [IMAGING]
    assert all(b["section_id"] != 1 for b in seed_library.document())
    assert len(search.search(seed_library, "is:unlisted")) == 2


def test_list_gives_name_style_and_paper_count(seed_library):
    assert sections.list_sections(seed_library) == [
        {"name": PREFACE, "style": "bullet:0:-", "papers": 2, "position": 1},
        {"name": IMAGING, "style": "bullet:0:*", "papers": 50, "position": 2},
    ]


@pytest.mark.parametrize(
    "change",
    [
        lambda lib: sections.move(lib, "23", PREFACE, position=1),
        lambda lib: sections.move(lib, "23", PREFACE, copy=True),
        lambda lib: sections.add_section(lib, "Radiomics", after=PREFACE),
        lambda lib: sections.rename_section(lib, PREFACE, "Reviews"),
        lambda lib: sections.remove_section(lib, PREFACE, force=True),
    ],
)
def test_each_change_is_recorded_and_undone_exactly(seed_library, change):
    before = exports(seed_library)
    count = len(seed_library.changes())
    change(seed_library)
    assert len(seed_library.changes()) == count + 1
    assert exports(seed_library) != before
    undo(seed_library)
    assert exports(seed_library) == before
