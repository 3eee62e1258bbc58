"""``igbib refresh [QUERY...]``: complete papers from the online sources, find wrong links."""

from __future__ import annotations

from igbib.cli import output
from igbib.cli.commands.tag import NO_AUTO_TAGS, note_auto_tags
from igbib.cli.common import build_query, client, open_library
from igbib.cli.spec import DB, JSON, NO_CACHE, Command, Option, query_argument

COMMAND = Command(
    "refresh",
    """Complete papers from the online sources, and find links that point at another paper.

    Fills only what is missing (and author lists cut to "et al."); never overwrites
    titles, sections, tags, notes or citation keys. A paper whose identifier names
    a paper of another title is flagged as a probable wrong link.
    """,
    (
        query_argument("Only papers matching this search (default: every paper)."),
        Option(("--dry-run", "-n"), "dry_run", "Show what would change; write nothing.", kind=bool),
        Option(
            ("--accept",),
            "accept",
            "Attach PubMed papers of the same title to unlinked entries.",
            kind=bool,
        ),
        NO_AUTO_TAGS,
        JSON,
        NO_CACHE,
        DB,
    ),
    example="igbib refresh --dry-run",
)


def run(
    words=(),
    dry_run=False,
    accept=False,
    no_auto_tags=False,
    as_json=False,
    no_cache=False,
    db=None,
):
    from igbib import search as engine
    from igbib.cli.commands.add import countdown, print_notes
    from igbib.cli.reports import print_rows
    from igbib.ops.refresh import refresh

    query = build_query(list(words))
    with open_library(db, write=not dry_run) as library, client(no_cache) as http:
        papers = engine.search(library, query, sort="section")
        if not papers:
            output.note("No papers to refresh.")
            return None
        bar, say = output.progress(len(papers) > 3)
        http.countdown = countdown(bar)
        try:
            report = refresh(
                library,
                http,
                papers,
                dry_run=dry_run,
                accept=accept,
                progress=say,
                auto_tags=not no_auto_tags,
            )
        finally:
            if bar:
                bar.stop()
    if as_json:
        output.print_json([r.to_dict() for r in report.rows])
    else:
        print_rows(report, "igbib refresh")
    note_auto_tags(report)
    print_notes(http)
    return report
