"""``igbib search QUERY...``: ranked full-text search."""

from __future__ import annotations

from igbib.cli.common import build_query, open_library, show_papers
from igbib.cli.spec import DB, JSON, Command, limit_option, query_argument, sort_option

COMMAND = Command(
    "search",
    """Full-text search, ranked by relevance (title counts most).

    Fields: author: title: journal: abstract: keyword: note: year:2014 year:2010..2015
    tag: section: pmid: doi: pmcid: key: has:doi is:flagged flag:bad-year.
    Also "a phrase", prefix*, OR, -excluded. After --, words that look like
    options (--json) are query words too.
    """,
    (
        query_argument("Words, phrases and field filters.", required=True),
        limit_option(20),
        sort_option("Order: relevance (default), year, added, title or section."),
        JSON,
        DB,
    ),
    example="igbib search glioblastoma year:2014..2016 author:gevaert",
)


def run(words, limit=20, sort=None, as_json=False, db=None) -> None:
    query = build_query(words)
    with open_library(db) as library:
        show_papers(library, query, sort=sort, limit=limit, as_json=as_json)
