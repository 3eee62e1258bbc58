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
    ris = "ris"
    csljson = "csljson"


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
    file: Annotated[
        str, typer.Argument(help="An awesome-list Markdown, BibTeX, RIS or CSL-JSON file.")
    ],
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
    """Import an awesome-list Markdown file, a BibTeX, RIS or CSL-JSON file.

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


NoCacheOption = Annotated[
    bool, typer.Option("--no-cache", help="Ask the services again instead of using cached answers.")
]
SectionOption = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--section", metavar="NAME", help="Also list the papers in this section."),
]
TagOption = Annotated[
    Optional[list[str]],  # noqa: UP045
    typer.Option("--tag", metavar="TAG", help="Tag the papers (repeatable)."),
]


@app.command()
def add(
    ctx: typer.Context,
    ids: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Argument(help="PMIDs, PMCIDs, DOIs, arXiv ids or their links; - reads stdin."),
    ] = None,
    file: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--file", "-f", metavar="FILE", help="Read identifiers, one a line (# comments)."
        ),
    ] = None,
    update: Annotated[
        bool, typer.Option("--update", help="Fetch papers already in the library again.")
    ] = False,
    section: SectionOption = None,
    tag: TagOption = None,
    as_json: JsonOption = False,
    no_cache: NoCacheOption = False,
    db: DbOption = None,
) -> None:
    """Fetch papers from PubMed, the PMC ID converter, Crossref and doi.org, and store them.

    All PMIDs go in one request per 200; DOIs also get their PMID when PubMed has
    the paper. Exit 1 if any identifier was invalid, not found or failed.

    [dim]Example: igbib add 24827998 10.1038/ncomms5006 PMC4141648 --section Radiomics[/dim]
    """
    _finish(
        run.guarded(
            run.add,
            ids=ids or [],
            file=file,
            update=update,
            section=section,
            tags=tag or [],
            as_json=as_json,
            no_cache=no_cache,
            db=_db(ctx, db),
        )
    )


@app.command(context_settings={"ignore_unknown_options": True})
def refresh(
    ctx: typer.Context,
    query: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Argument(help="Only papers matching this search (default: every paper)."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would change; write nothing.")
    ] = False,
    accept: Annotated[
        bool,
        typer.Option(
            "--accept", help="Attach PubMed papers of the same title to unlinked entries."
        ),
    ] = False,
    as_json: JsonOption = False,
    no_cache: NoCacheOption = False,
    db: DbOption = None,
) -> None:
    """Complete papers from the online sources, and find links that point at another paper.

    Fills only what is missing (and author lists cut to "et al."); never overwrites
    titles, sections, tags, notes or citation keys. A paper whose identifier names
    a paper of another title is flagged as a probable wrong link.

    [dim]Example: igbib refresh --dry-run[/dim]
    """
    _finish(
        run.guarded(
            run.refresh,
            words=query or [],
            dry_run=dry_run,
            accept=accept,
            as_json=as_json,
            no_cache=no_cache,
            db=_db(ctx, db),
        )
    )


@app.command()
def pubmed(
    ctx: typer.Context,
    query: Annotated[list[str], typer.Argument(help="A PubMed query, as on pubmed.gov.")],
    limit: Annotated[int, typer.Option("--max", min=1, max=10000, help="At most this many.")] = 20,
    since: Annotated[
        Optional[int],  # noqa: UP045
        typer.Option("--since", metavar="YEAR", min=1800, max=2100, help="Published in or after."),
    ] = None,
    add_new: Annotated[
        bool, typer.Option("--add", help="Store the papers not yet in the library.")
    ] = False,
    section: SectionOption = None,
    tag: TagOption = None,
    as_json: JsonOption = False,
    no_cache: NoCacheOption = False,
    db: DbOption = None,
) -> None:
    """Search PubMed for papers to add; each result is marked new or in the library.

    [dim]Example: igbib pubmed "radiogenomics AND glioblastoma" --since 2020 --add[/dim]
    """
    _finish(
        run.guarded(
            run.pubmed,
            query=query,
            limit=limit,
            since=since,
            add_new=add_new,
            section=section,
            tags=tag or [],
            as_json=as_json,
            no_cache=no_cache,
            db=_db(ctx, db),
        )
    )


class ExportFormat(str, Enum):
    md = "md"
    bibtex = "bibtex"
    biblatex = "biblatex"
    csljson = "csljson"
    ris = "ris"
    csv = "csv"
    json = "json"
    text = "text"
    html = "html"


class GroupBy(str, Enum):
    year = "year"
    journal = "journal"
    tag = "tag"


@app.command("export", context_settings={"ignore_unknown_options": True})
def export_(
    ctx: typer.Context,
    query: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Argument(help="Only papers matching this search (default: all)."),
    ] = None,
    format: Annotated[ExportFormat, typer.Option("--format", "-f", help="Output format.")] = (
        ExportFormat.md
    ),
    output: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--output", "-o", metavar="FILE", help="Write to FILE (atomically)."),
    ] = None,
    tag: TagOption = None,
    section: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option("--section", metavar="NAME", help="Only papers of this section."),
    ] = None,
    year: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--year", metavar="RANGE", help="2014 or 2010..2015."),
    ] = None,
    has: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option("--has", metavar="FIELD", help="Only papers with a doi, pmid, ..."),
    ] = None,
    sort: Annotated[
        Optional[Sort],  # noqa: UP045
        typer.Option("--sort", help="Order (default: the list's)."),
    ] = None,
    keep_links: Annotated[
        bool, typer.Option("--keep-links", help="Markdown: the list's own links.")
    ] = False,
    group_by: Annotated[
        Optional[GroupBy],  # noqa: UP045
        typer.Option("--group-by", help="Markdown: headings by year, journal or tag."),
    ] = None,
    abstracts: Annotated[
        bool, typer.Option("--abstracts", help="BibTeX: include abstracts.")
    ] = False,
    ascii: Annotated[
        bool, typer.Option("--ascii", help="BibTeX: LaTeX commands instead of UTF-8.")
    ] = False,
    key_format: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--key-format", metavar="PATTERN", help="BibTeX keys, e.g. {family}_{year}."),
    ] = None,
    style: Annotated[
        str,
        typer.Option(
            "--style", metavar="STYLE", help="text/html: a CSL style (vancouver, apa...)."
        ),
    ] = "vancouver",
    db: DbOption = None,
) -> None:
    """Export: the awesome list (md), BibTeX, BibLaTeX, CSL-JSON, RIS, CSV, JSON, or a
    formatted reference list (text, html) in a CSL style.

    [dim]Example: igbib export --format bibtex -o exports/library.bib[/dim]
    """
    _finish(
        run.guarded(
            run.export,
            fmt=format.value,
            words=query or [],
            output=output,
            sort=sort.value if sort else None,
            tags=tag or [],
            sections=section or [],
            years=year,
            has=has or [],
            keep_links=keep_links,
            group_by=group_by.value if group_by else None,
            abstracts=abstracts,
            ascii=ascii,
            key_format=key_format,
            style=style,
            db=_db(ctx, db),
        )
    )


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
