"""``igbib add``: fetch the papers some identifiers name, and store them."""

from __future__ import annotations

from igbib.errors import InvalidIdentifier
from igbib.ids import parse_identifier
from igbib.ops.ingest import ingest_papers, place_and_tag
from igbib.ops.reports import ALREADY_PRESENT, INVALID, STORED, Report, Row
from igbib.sources.resolve import FOUND, resolve
from igbib.store import Library


def parse_ids(texts: list[str], report: Report) -> list[tuple[str, str, str]]:
    """Each text as ``(text, kind, value)``, once each; an :data:`INVALID` row for the rest."""
    wanted, seen = [], set()
    for text in texts:
        try:
            kind, value = parse_identifier(text)
        except InvalidIdentifier as exc:
            report.add(Row(INVALID, ref=text, detail=str(exc)))
            continue
        if (kind, value) not in seen:
            seen.add((kind, value))
            wanted.append((text, kind, value))
    return wanted


def add(
    library: Library,
    http,
    texts: list[str],
    *,
    update: bool = False,
    section: str | None = None,
    tags: tuple[str, ...] = (),
    progress=None,
    auto_tags: bool = True,
) -> Report:
    """Fetch and store the papers ``texts`` name; skip those already present unless ``update``.

    One row per identifier, in the order given: ``added``, ``updated``,
    ``unchanged``, ``merged`` (another identifier given named the same paper),
    ``already present``, ``invalid``, ``not found`` or ``failed``.
    ``section`` and ``tags`` go to every paper named, present ones included.
    ``auto_tags``: the papers stored get the topic tags the rules give (``report.topics``).
    """
    report = Report()
    present: list[tuple[str, int]] = []
    to_fetch = []
    for text, kind, value in parse_ids(texts, report):
        ids = library.find_ids(kind, value)
        if ids and not update:
            present.append((text, ids[0]))
        else:
            to_fetch.append((text, kind, value))
    before = http.requests_made
    outcomes = resolve(http, to_fetch, progress) if to_fetch else []
    report.requests = http.requests_made - before
    found = [o for o in outcomes if o.status == FOUND]
    if found:
        stored = ingest_papers(
            library,
            [o.paper for o in found],
            refs=[o.text for o in found],
            section=section,
            tags=tags,
            auto_tags=auto_tags,
        )
        report.rows.extend(row for row in stored.rows if row.status in STORED)
        report.topics = stored.topics
    if present:
        if section or tags:
            with library.transaction():
                place_and_tag(library, [pid for _, pid in present], section, tags)
        papers = {p.id: p for p in library.get_papers([pid for _, pid in present])}
        for text, paper_id in present:
            paper = papers[paper_id]
            report.add(
                Row(
                    ALREADY_PRESENT,
                    ref=text,
                    citekey=paper.citekey,
                    title=paper.title,
                    detail="--update refreshes it",
                    paper_id=paper_id,
                )
            )
    for outcome in outcomes:
        if outcome.status != FOUND:
            report.add(Row(outcome.status, ref=outcome.text, detail=outcome.reason))
    order = {text: i for i, text in enumerate(texts)}
    report.rows.sort(key=lambda r: order.get(r.ref, len(order)))
    return report
