"""``igbib note REF [TEXT]``: read, set, extend or clear a paper's note."""

from __future__ import annotations

from igbib.cli import output
from igbib.cli.commands.edit import REF, show
from igbib.cli.common import open_library
from igbib.cli.spec import DB, JSON, Argument, Command, Option

COMMAND = Command(
    "note",
    """Print a paper's note, or set it.

    With TEXT the note becomes TEXT (--append adds TEXT as a line after it);
    --clear removes it. Notes are searched with note:WORD.
    """,
    (
        REF,
        Argument("text", "The note (quote it).", metavar="TEXT", required=False),
        Option(("--append", "-a"), "append", "Add TEXT as a new line of the note.", kind=bool),
        Option(("--clear",), "clear", "Remove the note.", kind=bool),
        JSON,
        DB,
    ),
    example='igbib note gevaert2014glioblastoma "Compare with the TCGA cohort." --append',
)


def run(ref, text=None, append=False, clear=False, as_json=False, db=None) -> None:
    from igbib.errors import UsageError

    if clear and (text is not None or append):
        raise UsageError("--clear takes no TEXT and no --append")
    if append and text is None:
        raise UsageError("--append needs the TEXT to add")
    if text is not None and not text.strip():
        raise UsageError("empty note: --clear removes the note")
    if text is None and not clear:
        with open_library(db) as library:
            paper = library.resolve(ref)
        if as_json:
            output.print_json({"id": paper.id, "citekey": paper.citekey, "note": paper.note})
        elif paper.note:
            print(paper.note)
        else:
            output.note(f"{paper.citekey} has no note.")
        return
    from igbib.ops.edit import set_note

    with open_library(db, write=True) as library:
        result = set_note(library, ref, None if clear else text, append=append)
    if as_json:
        paper = result.after
        output.print_json({"id": paper.id, "citekey": paper.citekey, "note": paper.note})
    else:
        show(result, False)
