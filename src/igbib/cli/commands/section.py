"""``igbib section add|rename|rm|list``: the sections of the list."""

from __future__ import annotations

from igbib.cli import output
from igbib.cli.common import open_library
from igbib.cli.spec import DB, JSON, Argument, Command, Option
from igbib.errors import UsageError

#: Each action -> the names it takes.
ACTIONS = {"add": ("NAME",), "rename": ("OLD", "NEW"), "rm": ("NAME",), "list": ()}

COMMAND = Command(
    "section",
    """Add, rename, remove or list the sections of the list.

    section add NAME [--after S]; section rename OLD NEW; section rm NAME
    (refused while papers are listed in it, unless --force, which unlists them:
    they stay in the library); section list (name, style, papers).
    """,
    (
        Argument("action", "add, rename, rm or list.", metavar="ACTION"),
        Argument(
            "names",
            "The section's name (rename: OLD NEW).",
            metavar="NAME",
            many=True,
            required=False,
            complete="sections",
        ),
        Option(
            ("--after",),
            "after",
            "add: put the new section after this one (default: last).",
            metavar="NAME",
            complete="sections",
        ),
        Option(
            ("--force",),
            "force",
            "rm: remove a section that lists papers, unlisting them.",
            kind=bool,
        ),
        JSON,
        DB,
    ),
    example=(
        'igbib section add "Radiomics" --after "Imaging Genomics (Radiogenomics, Imaging Genetics)"'
    ),
)


def run(action, names=(), after=None, force=False, as_json=False, db=None) -> None:
    from igbib.ops import sections

    names = list(names)
    wanted = ACTIONS.get(action)
    if wanted is None:
        raise UsageError(
            f"no such action {action!r} for igbib section (use one of {', '.join(ACTIONS)})"
        )
    if len(names) != len(wanted):
        usage = " ".join(["igbib section", action, *wanted])
        count = {0: "no name", 1: "one name"}.get(len(wanted), f"{len(wanted)} names")
        raise UsageError(f"igbib section {action} takes {count}: {usage}")
    if after is not None and action != "add":
        raise UsageError("--after is an option of 'igbib section add'")
    if force and action != "rm":
        raise UsageError("--force is an option of 'igbib section rm'")
    if action == "list":
        with open_library(db) as library:
            rows = sections.list_sections(library)
        _print_list(rows, as_json)
        return
    with open_library(db, write=True) as library:
        if action == "add":
            result = sections.add_section(library, names[0], after=after)
            text = f"Added section {result['name']!r}" + (
                f" after {result['after']!r}" if result["after"] else ""
            )
        elif action == "rename":
            result = sections.rename_section(library, *names)
            text = f"Renamed section {result['old']!r} to {result['name']!r}"
        else:
            result = sections.remove_section(library, names[0], force=force)
            text = f"Removed section {result['name']!r}"
            if result["papers"]:
                text += f"; {result['papers']} papers unlisted from it"
                if result["unlisted"]:
                    text += f" ({len(result['unlisted'])} now in no section, kept in the library)"
    if as_json:
        output.print_json(result)
    else:
        print(text)


def _print_list(rows: list[dict], as_json: bool) -> None:
    if as_json:
        output.print_json(rows)
        return
    for row in rows:
        print(f"{row['name']}\t{row['style']}\t{row['papers']}")
