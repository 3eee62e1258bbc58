"""``igbib move REF --section S``: a paper to another place in the list."""

from __future__ import annotations

from igbib.cli import output
from igbib.cli.common import open_library
from igbib.cli.spec import DB, JSON, Argument, Command, Option
from igbib.errors import UsageError

COMMAND = Command(
    "move",
    """Move a paper within or into a section of the list.

    The paper leaves the section it is in (--from SECTION when it is in several);
    --copy lists it in SECTION too. Positions are numbered 1..n; a position
    beyond the end is the last.
    """,
    (
        Argument(
            "ref",
            "Id, citation key, PMID, PMCID, DOI or arXiv id of the paper.",
            metavar="REF",
        ),
        Option(
            ("--section",),
            "section",
            "The section to move the paper to.",
            metavar="NAME",
            complete="sections",
        ),
        Option(
            ("--position",),
            "position",
            "Its place in the section, from 1 (default: last).",
            kind=int,
            metavar="N",
            minimum=1,
        ),
        Option(
            ("--from",),
            "from_section",
            "The section it leaves, when it is listed in several.",
            metavar="NAME",
            complete="sections",
        ),
        Option(
            ("--copy",), "copy", "Keep its other placements: list it in SECTION too.", kind=bool
        ),
        JSON,
        DB,
    ),
    example=(
        "igbib move gevaert2014glioblastoma"
        ' --section "Imaging Genomics (Radiogenomics, Imaging Genetics)" --position 1'
    ),
)


def run(ref, section=None, position=None, from_section=None, copy=False, as_json=False, db=None):
    from igbib.ops.sections import move

    if not section:
        raise UsageError("missing --section NAME: the section to move the paper to")
    with open_library(db, write=True) as library:
        result = move(
            library, ref, section, position=position, from_section=from_section, copy=copy
        )
    if as_json:
        output.print_json(result)
        return
    verb = "Copied" if copy else "Moved"
    source = f" from {result['from']!r}" if result["from"] and result["from"] != section else ""
    print(
        f"{verb} {result['citekey']}{source} to {result['section']!r}, position"
        f" {result['position']}"
    )
