"""``igbib list [QUERY...]``: every paper, in the list's order."""

from __future__ import annotations

from igbib.cli.common import build_query, open_library, show_papers
from igbib.cli.spec import DB, JSON, Command, limit_option, query_argument, sort_option

COMMAND = Command(
    "list",
    "Every paper (or those matching a search), in the list's curated order by default.",
    (
        query_argument("Optional words and field filters, as for search."),
        sort_option("Order: section (default), year, added, title or relevance.", "section"),
        limit_option(None),
        JSON,
        DB,
    ),
    example='igbib list section:"imaging genomics" --sort year',
)


def run(words=(), sort="section", limit=None, as_json=False, db=None) -> None:
    query = build_query(list(words))
    with open_library(db) as library:
        show_papers(library, query, sort=sort, limit=limit, as_json=as_json, empty_ok=True)
