"""``igbib show REF``: every field of one paper."""

from __future__ import annotations

from igbib.cli import output
from igbib.cli.common import open_library
from igbib.cli.spec import DB, JSON, Argument, Command

COMMAND = Command(
    "show",
    "Every field of one paper.",
    (
        Argument(
            "ref",
            "Id, citation key, PMID, PMCID, DOI or arXiv id of the paper, bare or as a link.",
            metavar="REF",
        ),
        JSON,
        DB,
    ),
    example="igbib show 24827998",
)


def run(ref, as_json=False, db=None) -> None:
    with open_library(db) as library:
        paper = library.resolve(ref)
        aliases = library.aliases_of([paper.id]).get(paper.id, [])
        datasets = library.paper_dataset_links(paper.id)
    if as_json:
        output.print_json({**paper.to_dict(), "aliases": aliases, "datasets": datasets})
    else:
        output.print_paper(paper, aliases=aliases, extra=_dataset_rows(datasets))


def _dataset_rows(datasets: list[dict]) -> list[tuple[str, str]]:
    """A row for each dataset the paper is linked to, with how the link was made."""
    rows = []
    for index, link in enumerate(datasets):
        how = link["origin"] + (f": {link['evidence']}" if link["evidence"] else "")
        rows.append(("datasets" if index == 0 else "", f"{link['name'] or link['key']} ({how})"))
    return rows
