"""The shipped library.sqlite holds exactly what importing the kept seed list gives."""

from conftest import ROOT, SEED

from igbib.importers import parse_file
from igbib.ops.ingest import import_parsed
from igbib.store import Library

SHIPPED = ROOT / "library.sqlite"
TIMESTAMPS = {"added", "updated"}


def content(library: Library) -> dict:
    papers = []
    for paper in library.get_papers([r[0] for r in library.conn.execute("SELECT id FROM papers")]):
        record = paper.to_dict()
        for key in TIMESTAMPS:
            record.pop(key)
        papers.append(record)
    return {
        "papers": papers,
        "sections": library.sections(),
        "placements": library.placements(),
        "datasets": library.datasets(),
        "document": library.document(),
        "schema": library.schema_version,
        "list_source": library.get_meta("list_source"),
    }


def test_shipped_library_matches_the_seed(tmp_path):
    with Library.open(tmp_path / "fresh.sqlite", write=True) as fresh:
        # named as the README's rebuild command names it, from the repository's root
        import_parsed(fresh, parse_file(SEED), "data/awesome-imaging-genetics.md")
        expected = content(fresh)
    with Library.open(SHIPPED) as shipped:
        assert content(shipped) == expected
    assert len(expected["papers"]) == 52
