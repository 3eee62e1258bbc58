"""``igbib tags``: every tag, with how many papers have it."""

from __future__ import annotations

import sys

from igbib.cli import output
from igbib.cli.common import open_library
from igbib.cli.spec import DB, JSON, Command

COMMAND = Command(
    "tags",
    "Every tag, with how many papers have it (search them with tag:NAME).",
    (JSON, DB),
    example="igbib tags --json",
)


def run(as_json=False, db=None) -> None:
    from igbib.ops.tags import counts

    with open_library(db) as library:
        tags = counts(library)
    if as_json:
        output.print_json([{"tag": name, "papers": count} for name, count in tags])
        return
    if not tags:
        output.note("No tags.")
        return
    if not output.is_terminal(sys.stdout):
        for name, count in tags:
            print(f"{name}\t{count}")
        return
    from rich import box
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("tag")
    table.add_column("papers", justify="right")
    for name, count in tags:
        table.add_row(escape(name), str(count))
    Console(file=sys.stdout).print(table)
