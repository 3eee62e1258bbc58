"""``igbib edit REF [FIELD=VALUE...]``: set a paper's fields, or edit it in an editor."""

from __future__ import annotations

import os
import sys

from igbib.cli import output
from igbib.cli.common import confirm, interactive, open_library
from igbib.cli.spec import DB, JSON, Argument, Command, Option

REF = Argument(
    "ref",
    "Id, citation key, PMID, PMCID, DOI or arXiv id of the paper, bare or as a link.",
    metavar="REF",
)

COMMAND = Command(
    "edit",
    """Set fields of a paper, or edit its record in your editor.

    FIELD=VALUE sets a field, read as an import reads it: year=2014, month=sep,
    pages=519-27, pmid=https://pubmed.ncbi.nlm.nih.gov/24827998/, doi=10.1038/x,
    authors="Smith, J; Doe, A; et al.", keywords="radiomics; MRI". FIELD= clears it.
    A bad value is refused and nothing changes. An identifier another paper has is
    refused (if they are one paper, igbib merge joins them) unless --force.
    Without FIELD=VALUE the record opens as TOML in $VISUAL, else $EDITOR, else vi;
    save it unchanged or empty to cancel. Tags: igbib tag; notes: igbib note too.
    """,
    (
        REF,
        Argument(
            "assignments",
            "Fields to set, as FIELD=VALUE (FIELD= clears one).",
            metavar="FIELD=VALUE",
            many=True,
            required=False,
        ),
        Option(
            ("--force",),
            "force",
            "Store an identifier another paper has too (both are flagged shared-id).",
            kind=bool,
        ),
        JSON,
        DB,
    ),
    example='igbib edit huradiogenomics year=2016 authors="Hu, L S; et al."',
)


def run(ref, assignments=(), force=False, as_json=False, db=None) -> None:
    from igbib.ops import edit as ops

    values = ops.parse_assignments(list(assignments)) if assignments else None
    if values is None:
        chosen = os.environ.get("VISUAL", "").strip() or os.environ.get("EDITOR", "").strip()
        if not chosen and not (sys.stdin.isatty() and sys.stdout.isatty()):
            from igbib.errors import UsageError

            raise UsageError(
                f"igbib edit {ref} without FIELD=VALUE opens an editor, which needs a terminal;"
                " give FIELD=VALUE pairs, or set $VISUAL or $EDITOR"
            )
    with open_library(db, write=True) as library:
        if values is not None:
            result = ops.edit(library, ref, values, force=force)
        else:
            command = ops.editor_command()
            ask = _ask_again if interactive() else None
            result = ops.edit_in_editor(library, ref, command, ask=ask, force=force)
    show(result, as_json)


def _ask_again(reason: str) -> bool:
    # said once: declined, the refusal ends the command as its error
    output.note(f"Refused: {reason}")
    return confirm("Edit the record again?", default=True)


def show(result, as_json: bool) -> None:
    """What an edit changed: ``field: old -> new`` lines, or the paper as JSON."""
    if as_json:
        output.print_json(result.after.to_dict())
        return
    key = result.after.citekey
    if result.cancelled:
        output.note(f"{key}: edit cancelled; nothing changed.")
        return
    if not result.changed:
        output.note(f"{key}: nothing changed.")
        return
    for name, old, new in result.changed:
        print(f"{name}: {shown(name, old)} -> {shown(name, new)}")


def shown(name: str, value, width: int = 80) -> str:
    """A field's value on one line, as a change report shows it."""
    from igbib.model import author_full

    if name == "et_al":
        return "yes" if value else "no"
    if name == "flags":
        return ", ".join(f["code"] for f in value) or "(none)"
    if value in (None, "", []):
        return "(empty)"
    if name == "authors":
        text = "; ".join(author_full(a) for a in value)
    elif isinstance(value, list):
        text = "; ".join(value)
    else:
        lines = (" ".join(line.split()) for line in str(value).splitlines())
        text = " / ".join(line for line in lines if line)
    return text if len(text) <= width else text[: width - 1] + "…"
