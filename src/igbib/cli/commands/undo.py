"""``igbib undo``: revert the last change, a given one, or every change after one."""

from __future__ import annotations

from igbib.cli import output
from igbib.cli.common import open_library
from igbib.cli.spec import DB, JSON, Argument, Command, Option

COMMAND = Command(
    "undo",
    "Revert the last change exactly (or change N, or every change after N).\n\n"
    "The undo is itself a change: 'igbib log' shows it and 'igbib undo ID' redoes\n"
    "what it reverted. An undo that would lose a later change to the same papers is\n"
    "refused, naming that change.",
    (
        Argument(
            "change",
            "The change to revert (its number in 'igbib log'); default: the last one.",
            metavar="N",
            required=False,
        ),
        Option(
            ("--to",),
            "to",
            "Revert every change after N, newest first (0: back to an empty history).",
            kind=int,
            metavar="N",
            minimum=0,
        ),
        Option(("--dry-run",), "dry_run", "Say what would be reverted; change nothing.", kind=bool),
        JSON,
        DB,
    ),
    example="igbib undo",
)


def run(change=None, to=None, dry_run=False, as_json=False, db=None) -> None:
    from igbib.errors import UsageError
    from igbib.ops import history

    target = None
    if change is not None:
        if not change.isdigit() or int(change) < 1:
            raise UsageError(f"change must be a change number from 'igbib log', not {change!r}")
        target = int(change)
    if target is not None and to is not None:
        raise UsageError("give a change number or --to, not both")
    with open_library(db, write=True) as library:
        if dry_run:
            reverted, _rows = history.plan(library, target, to)
            recorded = None
        else:
            reverted = history.undo(library, target, to)
            recorded = reverted.recorded
    if as_json:
        output.print_json(
            {
                "dry_run": dry_run,
                "reverted": [c.to_dict() for c in reverted],
                "recorded_as": recorded,
            }
        )
        return
    verb = "Would revert" if dry_run else "Reverted"
    for c in reverted:
        output.note(f"{verb} {history.describe(c)}: {c.args or c.command}")
        output.note(f"  {history.summary_text(c.summary, reverse=True)}")
    if recorded:
        output.note(f"Recorded as change {recorded}; 'igbib undo {recorded}' redoes it.")
    elif not dry_run:
        output.note("Reverting it changed nothing: the library already was as before it.")
