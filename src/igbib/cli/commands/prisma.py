"""``igbib prisma``: the PRISMA 2020 flow counts, as the official template CSV."""

from __future__ import annotations

from igbib.cli import output
from igbib.cli.common import open_library, write_text
from igbib.cli.spec import DB, JSON, Command, Option

COMMAND = Command(
    "prisma",
    """The PRISMA 2020 flow counts, from the watches' runs, files of decisions and screening.

    Records identified (per source), duplicates removed, records screened and
    excluded, reports sought, not retrieved (excluded at full text as
    no-full-text), assessed and excluded with reasons, studies included. -o
    writes them into the official PRISMA 2020 template (the PRISMA2020 R package's
    and Shiny app's PRISMA.csv), which draws the diagram.
    """,
    (
        Option(
            ("--output", "-o"),
            "path",
            "Write the template CSV with the counts to FILE (- for standard output).",
            metavar="FILE",
            complete="files",
        ),
        Option(
            ("--previous",),
            "previous",
            "Studies in the previous version of the review (default: the list's papers"
            " that no screening added).",
            kind=int,
            metavar="N",
            minimum=0,
        ),
        JSON,
        DB,
    ),
    example="igbib prisma -o prisma.csv",
)


def run(path=None, previous=None, as_json=False, db=None):
    from igbib.ops import prisma

    if path and as_json:
        from igbib.errors import UsageError

        raise UsageError("--json and -o write two different things: give one")
    with open_library(db) as library:
        values = prisma.counts(library, previous=previous)
    if path:
        write_text(path, prisma.template_csv(values), "Wrote the PRISMA 2020 counts to {path}.")
        return None
    if as_json:
        output.print_json(values)
        return None
    width = max(len(label) for _key, label in prisma.SHOWN)
    for key, label in prisma.SHOWN:
        value = values.get(key)
        print(f"{label:<{width}}  {value if value not in ('', None) else '-'}")
    return None
