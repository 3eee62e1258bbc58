"""What several commands do the same way: open the library, build a query, show papers."""

from __future__ import annotations

import os
from contextlib import contextmanager

from igbib.cli import output


def open_library(db: str | None, write: bool = False):
    """The library in use, which must exist (read-only unless ``write``).

    A command that changes a library never creates one, so an empty file is
    refused as a read-only command refuses it, and left as it is.
    """
    from igbib.errors import LibraryError
    from igbib.locate import find_library
    from igbib.store import Library

    path, _how = find_library(db)
    exists = os.path.exists(path)
    if write and exists and os.path.isfile(path) and os.path.getsize(path) == 0:
        raise LibraryError(
            f"{path} is an empty file, not an igbib library; it was not changed"
            " ('igbib import FILE' or 'igbib add ID' makes it one)"
        )
    return Library.open(path, write=write and exists, wait=waiting_note(path))


@contextmanager
def creating_library(db: str | None):
    """The library in use, for writing, created if it does not exist yet.

    A library this command created is removed again if the command leaves it
    empty (no paper and no list), failing or not, so a mistaken first command
    leaves nothing behind; one it saved papers to is kept, even if it then fails
    or is interrupted. Whether it is empty is judged holding the write lock, so
    a library another igbib has written to meanwhile is kept too.
    """
    from igbib.locate import find_library, remove_library
    from igbib.store import Library

    path, _how = find_library(db)
    created = not os.path.exists(path)
    wait = waiting_note(path)
    try:
        library = Library.open(path, write=True, wait=wait)
    except BaseException:
        if created:
            remove_library(path)
        raise
    try:
        yield library
    finally:
        if created:
            _remove_if_empty(library, wait)
        else:
            library.close()


def _remove_if_empty(library, wait) -> None:
    """Close a library this command created, and remove it if nothing is in it."""
    import sqlite3

    from igbib.locate import remove_library
    from igbib.store.connection import WriteLock

    with WriteLock(library.path, wait):
        try:
            empty = library.count() == 0 and not library.document()
        except sqlite3.Error:  # a library that could not be written to (a full disk)
            empty = not library.commits
        library.close()
        if empty:
            remove_library(library.path)


def waiting_note(path: str):
    """On a terminal: what to say when a write waits for another igbib writing to ``path``
    (it may wait long: as long as that one writes)."""
    import sys

    if not sys.stderr.isatty():
        return None

    def note(holder: str) -> None:
        output.note(f"waiting for {holder} to finish writing {path} (Ctrl-C stops waiting)")

    return note


def interrupted(saved: list[str]) -> str:
    """The line an interrupted command ends with: whether it had saved anything."""
    if not saved:
        return "interrupted; the library is unchanged"
    where = ", ".join(saved)
    return (
        f"interrupted after saving changes to {where}: they are kept"
        " ('igbib log' shows them, 'igbib undo' reverts them)"
    )


def output_failed(exc: OSError, saved: list[str]) -> str:
    """The line a command ends with when its standard output could not be written."""
    why = exc.strerror or str(exc)
    if not saved:
        return f"cannot write the output ({why}); the library is unchanged"
    return (
        f"cannot write the output ({why}); the changes to {', '.join(saved)} are saved"
        " ('igbib log' shows them, 'igbib undo' reverts them)"
    )


def build_query(words: list[str], filters: list[tuple[str, object]] | None = None):
    """The query of a command's words and filter options; an empty query selects everything."""
    from igbib.query import Query, parse_query

    if not words and not filters:
        return Query("")
    return parse_query(" ".join(words), filters)


def client(no_cache: bool):
    from igbib.config import load_settings
    from igbib.http import Http

    return Http(load_settings(), cache=not no_cache)


def show_papers(library, query, *, sort, limit, as_json, empty_ok=False) -> None:
    """Search results: JSON records, a table on a terminal, tab-separated lines in a pipe.

    Rows are read from the library as they are printed, so a listing of any size
    takes little memory; only ``--json`` reads whole records.
    """
    from igbib import search

    if as_json:
        papers = search.papers(library, query, sort=sort, limit=limit)
        output.print_json_list(p.to_dict() for p in papers)
        return
    rows = search.rows(library, query, sort=sort, limit=limit)
    shown = output.print_papers(rows, limit=limit, total=lambda: search.count(library, query))
    if not shown and (not empty_ok or query.text or query.filters):
        output.note(f"No papers match {query.text!r}." if query.text else "No papers.")


def interactive() -> bool:
    """Whether a person can be asked: standard input and error are terminals."""
    import sys

    return sys.stdin.isatty() and sys.stderr.isatty()


def confirm(question: str, *, default: bool = False) -> bool:
    """Ask ``question`` on stderr and read the answer (y or n; Enter gives ``default``)."""
    import sys

    sys.stderr.write(question + (" [Y/n] " if default else " [y/N] "))
    sys.stderr.flush()
    try:
        answer = input().strip().lower()
    except EOFError:
        return False
    return default if not answer else answer in ("y", "yes")


def write_text(path: str, text: str, said: str) -> None:
    """``text`` to standard output (``-``) or, whole or not at all, to the file ``path``,
    then ``said`` (``Wrote ... to {path}``) on standard error."""
    import sys

    if path == "-":
        sys.stdout.write(text)
        return
    from igbib.exporters import write_atomic

    write_atomic(path, text)
    output.note(said.format(path=path))
