"""What several commands do the same way: open the library, build a query, show papers."""

from __future__ import annotations

import os
from contextlib import contextmanager

from igbib.cli import output


def open_library(db: str | None, write: bool = False):
    """The library in use, which must exist (read-only unless ``write``)."""
    from igbib.locate import find_library
    from igbib.store import Library

    path, _how = find_library(db)
    return Library.open(path, write=write and os.path.exists(path))


@contextmanager
def creating_library(db: str | None):
    """The library in use, for writing, created if it does not exist yet.

    A library this command created is removed again if the command fails or
    leaves it empty (no paper and no list), so a mistaken first command leaves
    nothing behind.
    """
    from igbib.locate import find_library, remove_library
    from igbib.store import Library

    path, _how = find_library(db)
    created = not os.path.exists(path)
    try:
        with Library.open(path, write=True) as library:
            yield library
            empty = library.count() == 0 and not library.document()
    except BaseException:
        if created:
            remove_library(path)
        raise
    if created and empty:
        remove_library(path)


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
