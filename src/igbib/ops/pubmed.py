"""``igbib pubmed``: search PubMed, mark what the library holds, store what it lacks."""

from __future__ import annotations

from igbib.ids import KINDS
from igbib.model import Paper
from igbib.ops.ingest import ingest_papers
from igbib.ops.reports import STORED, Report
from igbib.sources import pubmed
from igbib.store import Library


def search(
    library: Library, http, query: str, *, limit: int = 20, since: int | None = None
) -> tuple[int, list[tuple[Paper, int | None]]]:
    """``(total, [(paper, its id in the library or None)])`` for a PubMed query, newest first.

    A found paper that could not be fetched or read is left out, and noted
    (:meth:`igbib.http.Http.note`) with the cause.
    """
    total, ids, _missing = pubmed.search(http, query, retmax=limit, mindate=since)
    fetched = pubmed.fetch(http, ids) if ids else pubmed.Fetched()
    if fetched.failed and len(fetched.failed) == len(ids):
        raise next(iter(fetched.failed.values()))  # nothing could be fetched: say why
    for pmid, error in fetched.failed.items():
        http.note(f"PMID {pmid} left out: {error}")
    papers = fetched.papers
    order = {pmid: i for i, pmid in enumerate(ids)}
    papers.sort(key=lambda p: order.get(p.pmid, len(order)))
    found = []
    for paper in papers:
        identifiers = {kind: getattr(paper, kind) for kind in KINDS if getattr(paper, kind)}
        found.append((paper, library.first_with_identifiers(identifiers)))
    return total, found


def add_found(
    library: Library,
    papers: list[Paper],
    *,
    section: str | None = None,
    tags: tuple[str, ...] = (),
) -> Report:
    """Store papers a PubMed search found (``igbib pubmed --add``): one row each."""
    stored = ingest_papers(
        library, papers, refs=[f"PMID {p.pmid}" for p in papers], section=section, tags=tags
    )
    return Report(rows=[row for row in stored.rows if row.status in STORED])
