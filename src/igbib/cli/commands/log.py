"""``igbib log [REF]``: the history of changes, newest first."""

from __future__ import annotations

import sys

from igbib.cli import output
from igbib.cli.common import open_library
from igbib.cli.spec import DB, JSON, Argument, Command, Option, limit_option

COMMAND = Command(
    "log",
    "The history of changes, newest first: what each command changed, and when.\n\n"
    "With REF, only the changes to that paper, field by field. Every change can be\n"
    "reverted with 'igbib undo'.",
    (
        Argument(
            "ref",
            "Only changes to this paper (id, citation key, PMID, DOI, ...; a removed "
            "paper's id or key works too).",
            metavar="REF",
            required=False,
        ),
        Option(
            ("--change",),
            "change",
            "Show every row change N wrote.",
            kind=int,
            metavar="N",
            minimum=1,
        ),
        limit_option(None),
        JSON,
        DB,
    ),
    example="igbib log zhao2016reproducibility",
)


def run(ref=None, change=None, limit=None, as_json=False, db=None) -> None:
    from igbib.ops import history

    with open_library(db) as library:
        paper_id = history.paper_for_log(library, ref) if ref else None
        changes = library.changes(paper_id)
        if change is not None:
            changes = [c for c in changes if c.id == change]
            if not changes:
                from igbib.errors import NotFound

                raise NotFound(f"no change {change} in the history (see 'igbib log')")
        changes = changes[:limit] if limit else changes
        detailed = paper_id is not None or change is not None
        rows = library.change_rows([c.id for c in changes], paper_id) if detailed else []
        rows = history.net_rows(rows, library)
        names = history.Names(library, rows)
    if as_json:
        by_change: dict[int, list] = {}
        for row in rows:
            by_change.setdefault(row.change_id, []).append(history.row_dict(row))
        output.print_json(
            [
                {**c.to_dict(), **({"rows": by_change.get(c.id, [])} if detailed else {})}
                for c in changes
            ]
        )
        return
    if not changes:
        output.note("No changes recorded." if ref is None else f"No recorded change to {ref}.")
        return
    lines_of: dict[int, list[str]] = {}
    for row in rows:
        lines_of.setdefault(row.change_id, []).extend(history.describe_row(row, names))
    out = sys.stdout
    for c in changes:
        status = ""
        if c.undone_by:
            status = f"  (undone by {c.undone_by})"
        if c.undoes:
            status += f"  (undoes {history.id_ranges(c.undoes)})"
        out.write(f"{c.id:>4}  {c.at.replace('T', ' ')[:16]}  {c.args or c.command}{status}\n")
        out.write(f"      {history.summary_text(c.summary)}\n")
        for line in lines_of.get(c.id, []):
            out.write(f"        {line}\n")
