"""``igbib site -o DIR``: a searchable web page of the library, in one file."""

from __future__ import annotations

from igbib.cli.common import open_library
from igbib.cli.output import note
from igbib.cli.spec import DB, Command, Option
from igbib.errors import UsageError

COMMAND = Command(
    "site",
    """Write a searchable web page of the library: DIR/index.html, one file with
    nothing to fetch (search, facets, BibTeX and CSL-JSON downloads; readable
    without JavaScript).
    """,
    (
        Option(
            ("--output", "-o"),
            "output",
            "Folder to write index.html in (created if missing).",
            metavar="DIR",
            complete="files",
        ),
        Option(
            ("--title",),
            "title",
            "The page's title (default: the list's own # heading).",
            metavar="TEXT",
        ),
        DB,
    ),
    example="igbib site -o site/",
)


def run(output=None, title=None, db=None) -> None:
    from igbib.site import write_site

    if not output:
        raise UsageError("missing option -o/--output DIR (the folder to write index.html in)")
    if output == "-":
        raise UsageError("igbib site writes a folder, not standard output: give -o DIR")
    warnings: list[str] = []
    with open_library(db) as library:
        path, count = write_site(library, output, title=title, warnings=warnings)
    for warning in warnings:
        note(f"warning: {warning}")
    papers = "paper" if count == 1 else "papers"
    note(f"Wrote {count} {papers} to {path}.")
