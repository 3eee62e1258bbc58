"""``igbib import FILE``: a reading list or bibliography file into the library."""

from __future__ import annotations

import os

from igbib.cli import output
from igbib.cli.commands.tag import NO_AUTO_TAGS, note_auto_tags
from igbib.cli.common import creating_library
from igbib.cli.spec import DB, JSON, Argument, Command, Option
from igbib.errors import UsageError


def _formats() -> tuple[str, ...]:
    from igbib.importers import FORMATS

    return FORMATS


COMMAND = Command(
    "import",
    """Import an awesome-list Markdown file, a BibTeX, RIS or CSL-JSON file.

    Papers already in the library are updated, not copied; re-importing the same
    file changes nothing. The whole import is one transaction.
    """,
    (
        Argument(
            "file",
            "An awesome-list Markdown, BibTeX, RIS or CSL-JSON file.",
            metavar="FILE",
            complete="files",
        ),
        Option(
            ("--format", "-f"),
            "fmt",
            "The file's format (default: found by extension, then by content).",
            metavar="FORMAT",
            choices=_formats,
        ),
        Option(("--dry-run", "-n"), "dry_run", "Show what would change; write nothing.", kind=bool),
        Option(
            ("--sync",),
            "sync",
            "A reading list: also drop the sections it no longer has (their papers are"
            " unlisted, kept in the library).",
            kind=bool,
        ),
        Option(
            ("--prune",),
            "prune",
            "With --sync: remove from the library the papers no longer listed anywhere.",
            kind=bool,
        ),
        Option(
            ("--explain",),
            "explain",
            "List every item of a reading list that is not taken as a paper, with its line"
            " and the reason.",
            kind=bool,
        ),
        NO_AUTO_TAGS,
        JSON,
        DB,
    ),
    example="igbib import data/awesome-imaging-genetics.md",
)


def run(
    file,
    fmt=None,
    dry_run=False,
    sync=False,
    prune=False,
    explain=False,
    no_auto_tags=False,
    as_json=False,
    db=None,
):
    from igbib.cli.reports import print_import_report
    from igbib.errors import ImportFileError
    from igbib.importers import parse_file
    from igbib.locate import find_library
    from igbib.ops.ingest import import_parsed
    from igbib.store import Library

    if prune and not sync:
        raise UsageError("--prune removes the papers --sync unlists: add --sync")
    parsed = parse_file(file, fmt)  # fails before the library is touched
    if explain and not parsed.is_list:
        raise UsageError(
            f"--explain lists the items of a reading list that are not papers; {file} is"
            f" {parsed.format}, whose every record is read as a paper"
        )
    if sync and not parsed.is_list:
        raise UsageError(
            f"--sync makes the library's list follow a reading list; {file} is not one"
        )
    if not no_auto_tags:
        from igbib.topics import load_rules

        load_rules()  # a bad rule file fails before the library is made
    nothing = not parsed.entries and not parsed.skipped and not parsed.failed
    path, _how = find_library(db)
    exists = os.path.exists(path)
    if nothing or (dry_run and not exists):
        # a list with no paper is reported in full, and nothing is written
        library = Library.in_memory() if not exists else creating_library(db)
        why = "not created by a dry run" if dry_run else "not created: nothing to import"
        where = path if exists else f"{path} ({why})"
    else:
        library, where = creating_library(db), path
    with library as opened:
        report = import_parsed(
            opened,
            parsed,
            name=str(file),
            dry_run=dry_run or nothing,  # nothing to import: the same work, rolled back
            sync=sync,
            prune=prune,
            auto_tags=not no_auto_tags,
        )
    report.dry_run = dry_run  # the report speaks of the import asked for
    if report.topics is not None:  # the topic tags of a rolled-back import were not written
        report.topics.dry_run = dry_run or nothing
    if as_json:
        topics = report.topics.to_dict() if report.topics is not None else None
        output.print_json({"library": where, **report.to_dict(), "auto_tags": topics})
    else:
        print_import_report(report, where, explain=explain)
        note_auto_tags(report)
    if nothing:
        others = len(parsed.others)
        hint = "; --explain lists them" if others and not explain and not as_json else ""
        raise ImportFileError(
            f"{file}: no item reads as a paper ({others} other item{'s' * (others != 1)}"
            f"{hint}); nothing imported"
        )
    return report
