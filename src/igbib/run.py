"""What each command does, shared by the Typer application and the fast launcher.

Each function takes plain values, calls the library, prints, and returns an
exit code. :func:`guarded` turns igbib's own errors into one ``error:`` line on
stderr and the error's exit code; anything else is a bug and shows a traceback.
"""

from __future__ import annotations

import os
import sqlite3
import sys

from igbib.errors import IgbibError

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_LIBRARY = 3
EXIT_INTERRUPTED = 130
DETAIL_ROWS = 25  # report rows shown per kind before "... and N more"


def error(message: str) -> None:
    prefix = "\x1b[1;31merror:\x1b[0m" if sys.stderr.isatty() else "error:"
    sys.stderr.write(f"{prefix} {message}\n")


def guarded(func, **kwargs) -> int:
    try:
        return func(**kwargs) or EXIT_OK
    except IgbibError as err:
        error(str(err))
        return err.exit_code
    except sqlite3.DatabaseError as exc:
        error(f"the library cannot be read: {exc}")
        return EXIT_LIBRARY
    except KeyboardInterrupt:
        error("interrupted; the library is unchanged by the unfinished step")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # `igbib list | head`: the reader left; not an error.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK


def open_library(db: str | None, write: bool = False):
    from igbib.locate import find_library
    from igbib.store import Library

    path, _how = find_library(db)
    return Library.open(path, write=write)


def _query(words: list[str], filters: list[tuple[str, object]] | None = None):
    from igbib.query import parse_query

    return parse_query(" ".join(words), filters)


def search(words, limit=20, as_json=False, db=None, sort=None, filters=None) -> int:
    from igbib import search as engine

    query = _query(words, filters)
    with open_library(db) as library:
        papers = engine.search(library, query, sort=sort, limit=limit)
        return _print_results(library, query, papers, limit, as_json)


def list_papers(words=(), sort="section", limit=None, as_json=False, db=None, filters=None):
    from igbib import search as engine
    from igbib.query import Query

    query = _query(list(words), filters) if words or filters else Query("")
    with open_library(db) as library:
        papers = engine.search(library, query, sort=sort, limit=limit)
        return _print_results(library, query, papers, limit, as_json, empty_ok=True)


def _print_results(library, query, papers, limit, as_json, empty_ok=False) -> int:
    from igbib import display

    if as_json:
        display.print_json([p.to_dict() for p in papers])
        return EXIT_OK
    if not papers:
        if not empty_ok or query.text or query.filters:
            sys.stderr.write(f"No papers match {query.text!r}.\n" if query.text else "No papers.\n")
        return EXIT_OK
    total = None
    if limit is not None and len(papers) == limit and display.is_terminal():
        from igbib import search as engine

        total = engine.count(library, query)
    display.print_papers(papers, total=total)
    return EXIT_OK


def show(ref: str, as_json=False, db=None) -> int:
    from igbib import display

    with open_library(db) as library:
        paper = library.resolve(ref)
    if as_json:
        display.print_json(paper.to_dict())
    else:
        display.print_paper(paper)
    return EXIT_OK


def info(as_json=False, db=None) -> int:
    from igbib import __version__, display
    from igbib.locate import find_library

    path, how = find_library(db)
    with open_library(db) as library:
        data = {
            "path": os.path.abspath(path),
            "chosen_by": how,
            "schema_version": library.schema_version,
            "igbib_version": __version__,
            **library.counts(),
            "size_bytes": os.path.getsize(path),
            "list_source": library.get_meta("list_source"),
        }
    if as_json:
        display.print_json(data)
        return EXIT_OK
    labels = {
        "path": "library",
        "chosen_by": "chosen by",
        "schema_version": "schema version",
        "igbib_version": "igbib version",
        "missing_pmid": "papers without a PMID",
        "missing_doi": "papers without a DOI",
        "missing_identifier": "papers without any identifier",
        "flagged": "flagged papers",
        "size_bytes": "size (bytes)",
        "list_source": "list imported from",
    }
    width = max(len(labels.get(k, k)) for k in data)
    for key, value in data.items():
        if value is not None:
            print(f"{labels.get(key, key).ljust(width)}  {value}")
    return EXIT_OK


def import_file(file: str, fmt: str | None = None, dry_run=False, as_json=False, db=None) -> int:
    from igbib.importers import parse_file
    from igbib.importing import import_parsed
    from igbib.locate import find_library
    from igbib.store import Library

    parsed = parse_file(file, fmt)  # fails before the library is touched
    path, _how = find_library(db)
    if dry_run and not os.path.exists(path):
        library, where = Library.in_memory(), f"{path} (not created by a dry run)"
    else:
        library, where = Library.open(path, write=True), path
    with library:
        report = import_parsed(library, parsed, name=str(file), dry_run=dry_run)
    if as_json:
        from igbib import display

        display.print_json({"library": where, **report.to_dict()})
    else:
        _print_report(report, where)
    return EXIT_ERROR if report.failed else EXIT_OK


def _print_report(report, where: str) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console(highlight=False, soft_wrap=True)
    verb = "Would import" if report.dry_run else "Imported"
    console.print(f"{verb} [bold]{escape(report.file)}[/] ({report.format}) into {escape(where)}")
    summary = Table(show_header=False, box=None, pad_edge=False)
    summary.add_column(justify="right", style="bold")
    summary.add_column()
    rows = [
        (len(report.added), "added"),
        (len(report.updated), "updated"),
        (len(report.unchanged), "unchanged"),
        (len(report.merged), "merged duplicates (listed more than once)"),
        (len(report.conflicts), "identifier conflicts (kept apart, flagged)"),
        (len(report.skipped), "skipped (empty placeholders)"),
        (len(report.failed), "failed (could not be read)"),
        (len(report.flagged), "flagged"),
    ]
    if report.format == "markdown":
        rows.append((len(report.sections), "sections"))
        rows.append((report.datasets, "datasets"))
    if report.unlisted:
        rows.append((len(report.unlisted), "no longer listed (kept in the library)"))
    for number, label in rows:
        summary.add_row(str(number), label)
    console.print(summary)

    def details(title: str, rows: list[tuple[str, str]], style: str) -> None:
        if not rows:
            return
        console.print(f"\n[bold {style}]{title}[/]")
        for where_, text in rows[:DETAIL_ROWS]:
            console.print(f"  [dim]{escape(where_)}[/]  {escape(text)}")
        if len(rows) > DETAIL_ROWS:
            console.print(f"  … and {len(rows) - DETAIL_ROWS} more (--json lists them all)")

    def line(n: int) -> str:
        return f"line {n}" if n else ""

    details("Failed", [(line(n), why) for n, why in report.failed], "red")
    details(
        "Identifier conflicts",
        [(line(c.line), f"{c.citekey}: {c.detail}") for c in report.conflicts],
        "yellow",
    )
    details(
        "Flagged", [(line(c.line), f"{c.citekey}: {c.detail}") for c in report.flagged], "yellow"
    )
    details(
        "Updated",
        [(line(c.line), f"{c.citekey}: {', '.join(c.fields)}") for c in report.updated],
        "cyan",
    )
    details("Merged", [(line(c.line), f"{c.citekey}: {c.detail}") for c in report.merged], "cyan")
    details("Keys", [(line(c.line), c.detail) for c in report.renamed_keys], "cyan")
    details("No longer listed", [("", f"{c.citekey}: {c.title}") for c in report.unlisted], "cyan")
    if report.skipped:
        lines = ", ".join(str(n) for n, _ in report.skipped[:DETAIL_ROWS])
        console.print(f"\n[dim]Skipped placeholders at lines {lines}[/]")
    if report.dry_run:
        console.print("\n[bold]Dry run:[/] nothing was written.")
