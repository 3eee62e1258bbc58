"""``igbib refresh``: complete stored papers from the online sources, and check their links.

A paper with an identifier is fetched by it (the first of PMID, PMCID, DOI,
arXiv id it has). When the record's title is the paper's, the record fills what
the paper lacks (:func:`~igbib.ops.rules.merge_changes` with ``fill_only``: the
list's curated values are never overwritten). When it is another title, the
link is probably wrong: the paper is flagged ``title-mismatch`` and left as it
is. A paper with no identifier is looked up in PubMed by title; the papers
found are offered, and with ``accept`` the first of the same title is attached.
"""

from __future__ import annotations

from igbib.errors import SourceError
from igbib.ids import KINDS, LABELS
from igbib.model import Paper, titles_match
from igbib.ops.flags import TITLE_MISMATCH, kept, refresh_flags, title_mismatch, without
from igbib.ops.reports import (
    ATTACHED,
    CANDIDATES,
    COMPLETE,
    FAILED,
    NO_IDENTIFIER,
    WRONG_LINK,
    Report,
    Row,
)
from igbib.ops.rules import merge_changes, reported_fields
from igbib.sources import pubmed
from igbib.sources.resolve import FOUND, Outcome, resolve
from igbib.store import Library, now

CANDIDATES_SHOWN = 3


class _Plan:
    """What to write for one paper: its column changes and, if they change, its flags."""

    __slots__ = ("paper", "changes", "flags")

    def __init__(self, paper: Paper, changes: dict, flags: list[dict] | None = None):
        self.paper, self.changes, self.flags = paper, changes, flags


def best_identifier(paper: Paper) -> tuple[str, str] | None:
    """The identifier to fetch ``paper`` by: the first it has in :data:`igbib.ids.KINDS`."""
    for kind in KINDS:
        value = getattr(paper, kind)
        if value:
            return kind, value
    return None


def refresh(
    library: Library,
    http,
    papers: list[Paper],
    *,
    dry_run: bool = False,
    accept: bool = False,
    progress=None,
    auto_tags: bool = True,
) -> Report:
    """Complete ``papers`` from the online sources; flag those whose link names another paper.

    One row per paper: ``updated``, ``complete``, ``wrong link?``, ``not found``
    or ``failed`` for those with an identifier, then ``no identifier``,
    ``candidates``, ``attached`` or ``failed`` for those without. ``auto_tags``: the
    papers refreshed get the topic tags the rules give them now (``report.topics``).
    """
    rules = None
    if auto_tags and not dry_run:
        from igbib.topics import load_rules

        rules = load_rules()  # a bad rule file fails before anything is asked or written
    report = Report(dry_run=dry_run)
    linked = [(p, best_identifier(p)) for p in papers]
    linked = [(p, ident) for p, ident in linked if ident]
    wanted = [(f"{LABELS[kind]} {value}", kind, value) for _, (kind, value) in linked]
    before = http.requests_made
    outcomes = resolve(http, wanted, progress) if wanted else []
    plans: list[_Plan] = []
    for (paper, _ident), outcome in zip(linked, outcomes, strict=True):
        report.add(_check(paper, outcome, plans))
    for paper in papers:
        if best_identifier(paper) is None:
            report.add(_candidates(http, paper, accept, plans))
    report.requests = http.requests_made - before
    if not dry_run and (plans or rules is not None):
        report.topics = _write(library, plans, rules, [p.id for p in papers])
    return report


def _row(paper: Paper, ref: str, status: str = "", detail: str = "") -> Row:
    return Row(
        status, ref=ref, citekey=paper.citekey, title=paper.title, detail=detail, paper_id=paper.id
    )


def _check(paper: Paper, outcome: Outcome, plans: list[_Plan]) -> Row:
    """A paper fetched by its identifier: fill its gaps, or flag a wrong link."""
    fetched = outcome.paper
    if outcome.status != FOUND:
        return _row(paper, outcome.text, outcome.status, outcome.reason)
    if paper.title and fetched.title and not titles_match(paper.title, fetched.title):
        flag = title_mismatch(outcome.label, fetched)
        plans.append(_Plan(paper, {}, [*without(paper.flags, TITLE_MISMATCH), flag]))
        return _row(paper, outcome.text, WRONG_LINK, flag["reason"])
    changes = merge_changes(paper, fetched, fill_only=True)
    mismatch = any(f["code"] == TITLE_MISMATCH for f in paper.flags)
    plans.append(_Plan(paper, changes, without(paper.flags, TITLE_MISMATCH) if mismatch else None))
    if not changes:
        return _row(paper, outcome.text, COMPLETE)
    return _row(paper, outcome.text).mark_updated(reported_fields(changes))


def _candidates(http, paper: Paper, accept: bool, plans: list[_Plan]) -> Row:
    """PubMed papers whose title is this one's: offered, attached only with ``accept``."""
    row = _row(paper, f"id {paper.id}", NO_IDENTIFIER)
    if not paper.title:
        row.detail = "no title to search for"
        return row
    try:
        _count, ids, _missing = pubmed.search(
            http, f"{paper.title}[Title]", retmax=CANDIDATES_SHOWN
        )
        found = pubmed.fetch(http, ids).papers if ids else []
    except SourceError as exc:
        row.status, row.detail = FAILED, str(exc)
        return row
    if not found:
        row.detail = "PubMed has no paper with this title"
        return row
    matching = [c for c in found if titles_match(paper.title, c.title)]
    if accept and matching:
        choice = matching[0]
        plans.append(_Plan(paper, merge_changes(paper, choice, fill_only=True)))
        row.status, row.detail = ATTACHED, f"PMID {choice.pmid}"
        return row
    row.status = CANDIDATES
    row.detail = "; ".join(f"PMID {c.pmid}: {c.title} ({c.year})" for c in found)
    if matching:
        row.detail += "; --accept attaches the first with the same title"
    else:
        row.detail += " (none with the same title)"
    return row


def _write(library: Library, plans: list[_Plan], rules, ids: list[int]):
    """Write the plans and, with ``rules``, the topic tags of the papers ``ids``; return
    what the rules did (``None`` without them)."""
    stamp = now()
    topics = None
    with library.transaction():
        for plan in plans:
            if plan.changes:
                library.update_paper(plan.paper.id, {**plan.changes, "updated": stamp})
            if plan.flags is not None:
                library.set_flags(plan.paper.id, kept(plan.flags))
        refresh_flags(library, {plan.paper.id for plan in plans})
        if rules is not None:
            from igbib.ops.topics import update_touched

            topics = update_touched(library, ids, rules)
        elif any(plan.changes for plan in plans):
            from igbib.ops.topics import mark_stale

            mark_stale(library)
    return topics
