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


#: The files of exports/, each with the command that writes it (the README lists them).
SHIPPED_EXPORTS = {
    "README.md": ["export"],
    "library.bib": ["export", "-f", "bibtex"],
    "library.biblatex.bib": ["export", "-f", "biblatex"],
    "library.csl.json": ["export", "-f", "csljson"],
    "library.ris": ["export", "-f", "ris"],
    "references.html": ["export", "-f", "html"],
    "site/index.html": ["site"],
}


def test_every_shipped_export_is_what_its_command_writes(tmp_path):
    from conftest import igbib

    readme = (ROOT / "README.md").read_text()
    for name, command in SHIPPED_EXPORTS.items():
        target = f"exports/{name.split('/')[0]}" if command == ["site"] else f"exports/{name}"
        assert f"igbib {' '.join(command)} -o {target}" in readme, name
        out = tmp_path / name.replace("/", "-")
        args = [*command, "-o", out.parent / "site" if command == ["site"] else out]
        result = igbib(*args, "--db", SHIPPED)
        assert result.returncode == 0, result.stderr
        written = out.parent / "site" / "index.html" if command == ["site"] else out
        assert written.read_bytes() == (ROOT / "exports" / name).read_bytes(), name
