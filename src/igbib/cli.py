"""The ``igbib`` command line: Typer over the library. No SQL and no parsing here.

Every command takes ``--db PATH`` (also accepted before the command name). The
library is chosen by ``--db``, then ``IGBIB_DB``, then the nearest
``library.sqlite`` in this directory or its parents, then the per-user data
directory; ``igbib info`` says which one is in use.
"""

from __future__ import annotations

import sys
from enum import Enum
from typing import Annotated, Optional

import typer

from igbib import __version__, run

app = typer.Typer(
    name="igbib",
    help="A bibliography manager for imaging genetics (radiogenomics) research.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    pretty_exceptions_show_locals=False,
)

DbOption = Annotated[
    Optional[str],  # noqa: UP045 - Typer needs Optional on Python 3.10
    typer.Option(
        "--db",
        metavar="PATH",
        help="Library file (default: $IGBIB_DB, else the nearest library.sqlite, "
        "else the user data directory).",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


class Sort(str, Enum):
    relevance = "relevance"
    year = "year"
    added = "added"
    title = "title"
    section = "section"


class Format(str, Enum):
    markdown = "markdown"
    bibtex = "bibtex"


def _finish(code: int) -> None:
    if code:
        raise typer.Exit(code)


def _db(ctx: typer.Context, db: str | None) -> str | None:
    return db or (ctx.obj or {}).get("db")


def _version(value: bool) -> None:
    if value:
        print(f"igbib {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    db: DbOption = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """Curate an imaging-genetics reading list: import, search and export it."""
    ctx.obj = {"db": db}


@app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[str, typer.Argument(help="An awesome-list Markdown file or a BibTeX file.")],
    format: Annotated[
        Optional[Format],  # noqa: UP045
        typer.Option("--format", "-f", help="Skip detection (by extension, then content)."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", "-n", help="Show what would change; write nothing.")
    ] = False,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Import an awesome-list Markdown file or a BibTeX file.

    Papers already in the library are updated, not copied; re-importing the same
    file changes nothing. The whole import is one transaction.

    [dim]Example: igbib import data/awesome-imaging-genetics.md[/dim]
    """
    fmt = format.value if format else None
    _finish(
        run.guarded(
            run.import_file, file=file, fmt=fmt, dry_run=dry_run, as_json=as_json, db=_db(ctx, db)
        )
    )


@app.command(context_settings={"ignore_unknown_options": True})
def search(
    ctx: typer.Context,
    query: Annotated[list[str], typer.Argument(help="Words, phrases and field filters.")],
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most this many.")] = 20,
    sort: Annotated[
        Optional[Sort],  # noqa: UP045
        typer.Option("--sort", help="Order (default: relevance)."),
    ] = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Full-text search, ranked by relevance (title counts most).

    Fields: author: title: journal: abstract: keyword: note: year:2014 year:2010..2015
    tag: section: pmid: doi: pmcid: key: has:doi is:flagged flag:bad-year.
    Also "a phrase", prefix*, OR, -excluded.

    [dim]Example: igbib search glioblastoma year:2014..2016 author:gevaert[/dim]
    """
    _finish(
        run.guarded(
            run.search,
            words=query,
            limit=limit,
            sort=sort.value if sort else None,
            as_json=as_json,
            db=_db(ctx, db),
        )
    )


@app.command("list", context_settings={"ignore_unknown_options": True})
def list_(
    ctx: typer.Context,
    query: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Argument(help="Optional words and field filters, as for search."),
    ] = None,
    sort: Annotated[Sort, typer.Option("--sort", help="Order.")] = Sort.section,
    limit: Annotated[
        Optional[int],  # noqa: UP045
        typer.Option("--limit", min=1, help="At most this many."),
    ] = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Every paper, in the list's curated order by default.

    [dim]Example: igbib list section:"imaging genomics" --sort year[/dim]
    """
    _finish(
        run.guarded(
            run.list_papers,
            words=query or [],
            sort=sort.value,
            limit=limit,
            as_json=as_json,
            db=_db(ctx, db),
        )
    )


@app.command()
def show(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="Id, citekey, PMID, PMCID or DOI.")],
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Every field of one paper.

    [dim]Example: igbib show 24827998[/dim]
    """
    _finish(run.guarded(run.show, ref=ref, as_json=as_json, db=_db(ctx, db)))


@app.command()
def info(ctx: typer.Context, as_json: JsonOption = False, db: DbOption = None) -> None:
    """Which library is in use, its schema version and what it holds.

    [dim]Example: igbib info --json[/dim]
    """
    _finish(run.guarded(run.info, as_json=as_json, db=_db(ctx, db)))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
