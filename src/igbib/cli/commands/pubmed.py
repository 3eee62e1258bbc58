"""``igbib pubmed QUERY``: search PubMed for papers to add."""

from __future__ import annotations

import os

from igbib.cli import output
from igbib.cli.common import client, creating_library, open_library
from igbib.cli.spec import (
    DB,
    JSON,
    NO_CACHE,
    Argument,
    Command,
    Option,
)
from igbib.errors import UsageError

COMMAND = Command(
    "pubmed",
    "Search PubMed for papers to add; each result is marked new or in the library.",
    (
        Argument("query", "A PubMed query, as on pubmed.gov.", metavar="QUERY", many=True),
        Option(
            ("--max",),
            "limit",
            "Show at most this many.",
            kind=int,
            metavar="N",
            default=20,
            minimum=1,
            maximum=10000,
        ),
        Option(
            ("--since",),
            "since",
            "Only papers published in or after YEAR.",
            kind=int,
            metavar="YEAR",
            minimum=1800,
            maximum=2100,
        ),
        Option(("--add",), "add_new", "Store the papers not yet in the library.", kind=bool),
        Option(
            ("--section",),
            "section",
            "With --add: list the new papers in this section.",
            metavar="NAME",
            complete="sections",
        ),
        Option(
            ("--tag",),
            "tags",
            "With --add: tag the new papers (repeatable).",
            metavar="TAG",
            multiple=True,
            complete="tags",
        ),
        JSON,
        NO_CACHE,
        DB,
    ),
    example='igbib pubmed "radiogenomics AND glioblastoma" --since 2020 --add',
)


def run(
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
    from igbib.cli.commands.add import countdown, print_notes
    from igbib.cli.reports import print_candidates, print_rows
    from igbib.locate import find_library
    from igbib.ops import pubmed
    from igbib.store import Library

    text = " ".join(query).strip()
    if not text:
        raise UsageError("give a PubMed query, such as 'radiogenomics AND glioblastoma'")
    if (section or tags) and not add_new:
        raise UsageError("--section and --tag say where --add puts the new papers: add --add")
    path, _how = find_library(db)
    if add_new:
        library = creating_library(db)
    elif os.path.exists(path):
        library = open_library(db)
    else:
        library = Library.in_memory()  # no library yet: every result is new
    with library as opened, client(no_cache) as http:
        http.countdown = countdown()
        total, found = pubmed.search(opened, http, text, limit=limit, since=since)
        # excluded in screening: shown as such, and never added by --add
        excluded = opened.candidate_pmids(["excluded"])
        added = None
        if add_new:
            new = [p for p, known in found if known is None and p.pmid not in excluded]
            if new:
                added = pubmed.add_found(opened, new, section=section, tags=tuple(tags))
    if as_json:
        output.print_json(
            {
                "query": text,
                "total": total,
                "results": [
                    {**p.to_dict(), "in_library": known, "excluded": p.pmid in excluded}
                    for p, known in found
                ],
                "added": [r.to_dict() for r in added.rows] if added else [],
            }
        )
        print_notes(http)
        return added
    print_candidates(text, total, found, excluded)
    if added is not None:
        print_rows(added, "igbib pubmed --add")
    elif add_new:
        print("Nothing new to add.")
    print_notes(http)
    return added
