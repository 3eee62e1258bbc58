"""``igbib tags``: every tag, with how many papers have it; the topic rules' tags apart."""

from __future__ import annotations

import sys

from igbib.cli import output
from igbib.cli.common import open_library
from igbib.cli.spec import DB, JSON, Command

COMMAND = Command(
    "tags",
    """Every tag, with how many papers have it (search them with tag:NAME).

    The curator's tags come first; then the topic tags the rules gave (igbib tag
    --auto), axis by axis, with how many papers each axis tags. In a pipe a
    curator's tag is written NAME<TAB>PAPERS, an automatic one NAME<TAB>PAPERS<TAB>auto.
    """,
    (JSON, DB),
    example="igbib tags --json",
)


def run(as_json=False, db=None) -> None:
    from igbib.ops.tags import counts_by_origin, papers_per_axis
    from igbib.ops.topics import tag_order

    with open_library(db) as library:
        rows = counts_by_origin(library)
        axes = papers_per_axis(library)
    from igbib.topics import split_tag

    mine = [(name, n) for name, n, _ in rows if n]
    # site, modality, target, method, then by value: as tag --auto lists them
    auto = sorted(((name, n) for name, _, n in rows if n), key=lambda item: tag_order(item[0]))
    if as_json:

        def entry(name, count, origin):
            found = split_tag(name)
            return {"tag": name, "papers": count, "origin": origin, "axis": found and found[0]}

        output.print_json(
            [entry(n, c, "curator") for n, c in mine] + [entry(n, c, "auto") for n, c in auto]
        )
        return
    if not rows:
        output.note("No tags.")
        return
    if not output.is_terminal(sys.stdout):
        for name, count in mine:
            print(f"{name}\t{count}")
        for name, count in auto:
            print(f"{name}\t{count}\tauto")
        return
    from rich import box
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console(file=sys.stdout)
    if mine:
        table = Table(box=box.SIMPLE_HEAD, pad_edge=False, title="curator's tags")
        table.add_column("tag")
        table.add_column("papers", justify="right")
        for name, count in mine:
            table.add_row(escape(name), str(count))
        console.print(table)
    if auto:
        table = Table(box=box.SIMPLE_HEAD, pad_edge=False, title="auto tags (igbib tag --auto)")
        table.add_column("tag")
        table.add_column("papers", justify="right")
        for name, count in auto:
            table.add_row(escape(name), str(count))
        console.print(table)
        per_axis = ", ".join(f"{axis} {n}" for axis, n in axes.items())
        console.print(f"[dim]papers with an auto tag per axis: {per_axis}[/dim]")
