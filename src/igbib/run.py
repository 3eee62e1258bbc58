"""What each command does, shared by the Typer application and the fast launcher.

Each function takes plain values, calls the library, prints, and returns an
exit code. :func:`guarded` turns igbib's own errors into one ``error:`` line on
stderr and the error's exit code; anything else is a bug and shows a traceback.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import sys

from igbib.errors import IgbibError

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_LIBRARY = 3
EXIT_NETWORK = 4
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
    from igbib.locate import find_library
    from igbib.ops.ingest import import_parsed
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

    details("Failed", [(line(r.line), r.detail) for r in report.failed], "red")
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
        lines = ", ".join(str(r.line) for r in report.skipped[:DETAIL_ROWS])
        console.print(f"\n[dim]Skipped placeholders at lines {lines}[/]")
    if report.dry_run:
        console.print("\n[bold]Dry run:[/] nothing was written.")


# -- online commands ---------------------------------------------------------------


def _client(no_cache: bool):
    from igbib.config import load_settings
    from igbib.http import Http

    return Http(load_settings(), cache=not no_cache)


def read_id_texts(ids: list[str], file: str | None) -> list[str]:
    """Identifiers from arguments, ``-`` (stdin) and ``-f FILE`` (one a line, ``#`` comments)."""
    texts: list[str] = []
    sources = []
    for text in ids:
        if text == "-":
            sources.append(sys.stdin.read())
        else:
            texts.append(text)
    if file:
        from igbib.errors import ImportFileError
        from igbib.importers import read_text

        if file == "-":
            sources.append(sys.stdin.read())
        else:
            try:
                sources.append(read_text(file))
            except ImportFileError as exc:
                raise ImportFileError(str(exc)) from None
    for source in sources:
        for line in source.splitlines():
            line = line.split("#", 1)[0].strip()
            if line:
                texts.extend(line.split())
    if not texts:
        raise IgbibError("no identifiers given (as arguments, with -f FILE or - for stdin)")
    return texts


def _progress(enabled: bool):
    """A progress bar on a terminal (stderr) for more than a few ids; nothing when piped."""
    if not enabled or not sys.stderr.isatty():
        return None, None
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    task = bar.add_task("contacting the services", total=None)
    bar.start()

    def update(message: str, done: int, total: int) -> None:
        bar.update(task, description=message, completed=done, total=total)

    return bar, update


def add(
    ids, file=None, update=False, section=None, tags=(), as_json=False, no_cache=False, db=None
):
    from igbib.locate import find_library
    from igbib.ops.add import add as add_ids

    texts = read_id_texts(list(ids), file)
    path, _how = find_library(db)
    created = not os.path.exists(path)
    try:
        with open_library(db, write=True) as library, _client(no_cache) as http:
            status, say = _progress(len(texts) > 3)
            try:
                report = add_ids(
                    library,
                    http,
                    texts,
                    update=update,
                    section=section,
                    tags=tuple(tags),
                    progress=say,
                )
            finally:
                if status:
                    status.stop()
            stored_ids = [
                r.paper_id for r in report.rows if r.paper_id and r.status != "already present"
            ]
            records = library.get_papers(stored_ids) if as_json else []
            empty = library.count() == 0
    except IgbibError:
        if created:
            _remove_library(path)  # a failed first add leaves no empty library behind
        raise
    if created and empty:
        _remove_library(path)
    if as_json:
        from igbib import display

        display.print_json([p.to_dict() for p in records])
        for row in report.rows:
            if row.status in ("not found", "failed", "invalid"):
                error(f"{row.ref}: {row.status}: {row.detail}")
    else:
        _print_rows(report, "igbib add")
    return EXIT_ERROR if report.problems else EXIT_OK


def _remove_library(path: str) -> None:
    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(OSError):
            os.remove(path + suffix)


def refresh(words=(), dry_run=False, accept=False, as_json=False, no_cache=False, db=None):
    from igbib import search as engine
    from igbib.ops.refresh import refresh as refresh_papers
    from igbib.query import Query

    query = _query(list(words)) if words else Query("")
    with open_library(db, write=True) as library, _client(no_cache) as http:
        papers = engine.search(library, query, sort="section")
        if not papers:
            sys.stderr.write("No papers to refresh.\n")
            return EXIT_OK
        status, say = _progress(len(papers) > 3)
        try:
            report = refresh_papers(
                library, http, papers, dry_run=dry_run, accept=accept, progress=say
            )
        finally:
            if status:
                status.stop()
    if as_json:
        from igbib import display

        display.print_json([r.to_dict() for r in report.rows])
    else:
        _print_rows(report, "igbib refresh")
    return EXIT_ERROR if report.problems else EXIT_OK


def pubmed(
    query,
    limit=20,
    since=None,
    add_new=False,
    section=None,
    tags=(),
    as_json=False,
    no_cache=False,
    db=None,
):
    from igbib.ops.pubmed import add_found
    from igbib.ops.pubmed import search as pubmed_search

    text = " ".join(query).strip()
    if not text:
        raise IgbibError("give a PubMed query, such as 'radiogenomics AND glioblastoma'")
    from igbib.locate import find_library
    from igbib.store import Library

    path, _how = find_library(db)
    if not add_new and not os.path.exists(path):
        library = Library.in_memory()  # no library yet: every result is new
    else:
        library = open_library(db, write=add_new)
    with library, _client(no_cache) as http:
        total, found = pubmed_search(library, http, text, limit=limit, since=since)
        added = None
        if add_new:
            new = [p for p, known in found if known is None]
            if new:
                added = add_found(library, new, section=section, tags=tuple(tags))
    if as_json:
        from igbib import display

        display.print_json(
            {
                "query": text,
                "total": total,
                "results": [{**p.to_dict(), "in_library": known} for p, known in found],
                "added": [r.to_dict() for r in added.rows] if added else [],
            }
        )
        return EXIT_OK
    _print_candidates(text, total, found)
    if added is not None:
        _print_rows(added, "igbib pubmed --add")
    elif add_new:
        print("Nothing new to add.")
    return EXIT_ERROR if added is not None and added.problems else EXIT_OK


def _print_rows(report, title: str) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    counts: dict[str, int] = {}
    for row in report.rows:
        counts[row.status] = counts.get(row.status, 0) + 1
    summary = ", ".join(f"{n} {status}" for status, n in counts.items())
    requests = f"; {report.requests} requests" if report.requests else ""
    dry = " (dry run: nothing was written)" if report.dry_run else ""
    if not sys.stdout.isatty():  # one tab-separated line a row, for scripts
        for row in report.rows:
            text = row.title if row.status in _TITLED else row.detail
            if row.status in _TITLED and row.detail:
                text = f"{row.title} ({row.detail})"
            print("\t".join((row.ref, row.status, row.citekey, " ".join(text.split()))))
        print(f"{title}: {summary}{requests}{dry}")
        return
    console = Console(highlight=False)
    table = Table(title=None, show_lines=False, pad_edge=False)
    table.add_column("requested", no_wrap=True)
    table.add_column("result", no_wrap=True)
    table.add_column("citekey", no_wrap=True)
    table.add_column("title / reason", overflow="fold")
    styles = {
        "added": "green",
        "updated": "cyan",
        "attached": "cyan",
        "not found": "red",
        "failed": "red",
        "invalid": "red",
        "wrong link?": "yellow",
        "candidates": "yellow",
    }
    for row in report.rows:
        style = styles.get(row.status, "")
        status = f"[{style}]{row.status}[/]" if style else row.status
        if row.status in _TITLED:
            text = escape(row.title)
            if row.detail:
                text += f" [dim]({escape(row.detail)})[/dim]"
        else:
            text = escape(row.detail)
        table.add_row(escape(row.ref), status, row.citekey, text)
    console.print(table)
    console.print(f"{title}: {summary}{requests}{dry}")


_TITLED = ("added", "already present", "updated", "unchanged", "complete")


def _print_candidates(query: str, total: int, found) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    new = sum(1 for _, known in found if not known)
    footer = f"PubMed: {total} papers match {query!r}; {len(found)} shown, {new} new."
    if not sys.stdout.isatty():
        for paper, known in found:
            fields = (
                paper.pmid or "",
                "in library" if known else "new",
                paper.first_author,
                str(paper.year or ""),
                paper.title or "",
                paper.journal or "",
            )
            print("\t".join(" ".join(f.split()) for f in fields))
        print(footer)
        return
    console = Console(highlight=False)
    table = Table(pad_edge=False)
    table.add_column("PMID", no_wrap=True)
    table.add_column("", no_wrap=True)
    table.add_column("author", no_wrap=True, max_width=18, overflow="ellipsis")
    table.add_column("year", no_wrap=True)
    table.add_column("title", overflow="fold")
    table.add_column("journal", max_width=28, overflow="ellipsis", no_wrap=True)
    for paper, known in found:
        mark = "[dim]in library[/]" if known else "[green]new[/]"
        table.add_row(
            paper.pmid or "",
            mark,
            escape(paper.first_author),
            str(paper.year or ""),
            escape(paper.title or ""),
            escape(paper.journal or ""),
        )
    console.print(table)
    console.print(footer)


# -- export --------------------------------------------------------------------------


def export(
    fmt="md",
    words=(),
    output=None,
    sort=None,
    tags=(),
    sections=(),
    years=None,
    has=(),
    keep_links=False,
    group_by=None,
    abstracts=False,
    ascii=False,
    key_format=None,
    style="vancouver",
    db=None,
):
    from igbib import search as engine
    from igbib.exporters import Options, render, write_atomic
    from igbib.query import Query

    filters = [("tag", t) for t in tags] + [("section", s) for s in sections]
    filters += [("has", h) for h in has] + ([("year", years)] if years else [])
    query = _query(list(words), filters) if words or filters else Query("")
    options = Options(
        keep_links=keep_links,
        group_by=group_by,
        abstracts=abstracts,
        ascii=ascii,
        key_format=key_format,
        style=style,
        whole_list=not (words or filters),
    )
    with open_library(db) as library:
        papers = engine.search(library, query, sort=sort or "section")
        text = render(fmt, papers, options, library)
    if output and output != "-":
        write_atomic(output, text)
        sys.stderr.write(f"Wrote {len(papers)} papers to {output} ({fmt}).\n")
    else:
        sys.stdout.write(text)
    return EXIT_OK
