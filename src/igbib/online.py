"""Library operations that use the online sources: add, refresh, PubMed search.

Each takes an open :class:`~igbib.store.Library` and an :class:`~igbib.http.Http`
client and returns a report; none prints. All writes go through
:mod:`igbib.importing` or one transaction here, so a failure leaves the
library as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from igbib.errors import InvalidIdentifier, SourceError
from igbib.flags import DERIVED
from igbib.ids import KINDS, parse_identifier
from igbib.importers import Entry, ParsedFile
from igbib.importing import import_parsed, place_and_tag, refresh_flags
from igbib.model import METADATA_FIELDS, Paper, titles_match
from igbib.resolve import LABELS, Outcome, resolve
from igbib.sources import pubmed
from igbib.store import Library, now


@dataclass
class Row:
    """One line of a report: an identifier or a paper, and what became of it."""

    ref: str
    status: str
    citekey: str = ""
    title: str = ""
    detail: str = ""
    paper_id: int | None = None

    def to_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v not in ("", None)}


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)
    dry_run: bool = False
    requests: int = 0

    @property
    def problems(self) -> int:
        return sum(r.status in ("not found", "failed", "invalid") for r in self.rows)


def parse_ids(texts: list[str]) -> tuple[list[tuple[str, str, str]], list[Row]]:
    """``(wanted, invalid rows)``: each text as ``(text, kind, value)`` or a named error."""
    wanted, invalid, seen = [], [], set()
    for text in texts:
        try:
            kind, value = parse_identifier(text)
        except InvalidIdentifier as exc:
            invalid.append(Row(text, "invalid", detail=str(exc)))
            continue
        if (kind, value) not in seen:
            seen.add((kind, value))
            wanted.append((text, kind, value))
    return wanted, invalid


def add(
    library: Library,
    http,
    texts: list[str],
    *,
    update: bool = False,
    section: str | None = None,
    tags: tuple[str, ...] = (),
    progress=None,
) -> Report:
    """Fetch and store the papers ``texts`` name; skip those already present unless ``update``."""
    wanted, invalid = parse_ids(texts)
    report = Report(rows=list(invalid))
    to_fetch = []
    present: list[tuple[str, int]] = []
    for text, kind, value in wanted:
        ids = library.find_ids(kind, value)
        if ids and not update:
            present.append((text, ids[0]))
        else:
            to_fetch.append((text, kind, value))
    before = http.requests_made
    outcomes = resolve(http, to_fetch, progress) if to_fetch else []
    report.requests = http.requests_made - before
    found = [o for o in outcomes if o.status == "found"]
    parsed = ParsedFile(format="online", entries=[Entry(o.paper, 0) for o in found])
    result = import_parsed(library, parsed, "online", section=section, tags=tags)
    if present and (section or tags):
        with library.transaction():
            place_and_tag(library, [pid for _, pid in present], section, tags)
    added = {c.citekey for c in result.added}
    updated = {c.citekey: c.fields for c in result.updated}
    stored = {p.id: p for p in library.get_papers([*result.paper_ids, *(i for _, i in present)])}
    for outcome, paper_id in zip(found, result.paper_ids, strict=True):
        paper = stored[paper_id]
        if paper.citekey in added:
            status, detail = "added", ""
        elif paper.citekey in updated:
            status, detail = "updated", ", ".join(updated[paper.citekey])
        else:
            status, detail = "unchanged", ""
        report.rows.append(
            Row(outcome.text, status, paper.citekey, paper.title or "", detail, paper_id)
        )
    for text, paper_id in present:
        paper = stored[paper_id]
        report.rows.append(
            Row(
                text,
                "already present",
                paper.citekey,
                paper.title or "",
                "--update refreshes it",
                paper_id,
            )
        )
    for outcome in outcomes:
        if outcome.status in ("not-found", "failed"):
            status = "not found" if outcome.status == "not-found" else "failed"
            report.rows.append(Row(outcome.text, status, detail=outcome.reason))
    order = {text: i for i, text in enumerate(texts)}
    report.rows.sort(key=lambda r: order.get(r.ref, len(order)))
    return report


def store(
    library: Library, papers: list[Paper], *, section: str | None = None, tags: tuple[str, ...] = ()
) -> Report:
    """Store papers already fetched (``igbib pubmed --add``)."""
    parsed = ParsedFile(format="online", entries=[Entry(p, 0) for p in papers])
    result = import_parsed(library, parsed, "online", section=section, tags=tags)
    added = {c.citekey for c in result.added}
    report = Report()
    for paper in library.get_papers(result.paper_ids):
        status = "added" if paper.citekey in added else "updated"
        report.rows.append(Row(f"PMID {paper.pmid}", status, paper.citekey, paper.title or ""))
    return report


# -- refresh ---------------------------------------------------------------------


def best_identifier(paper: Paper) -> tuple[str, str] | None:
    for kind in ("pmid", "pmcid", "doi", "arxiv"):
        value = getattr(paper, kind)
        if value:
            return kind, value
    return None


def fill_changes(stored: Paper, fetched: Paper) -> dict:
    """What ``fetched`` adds to ``stored`` without overwriting anything it already has.

    An author list the list cut short (``Gevaert et al.``) is replaced by the
    complete one when its first author is the same person.
    """
    changes = {}
    for name in METADATA_FIELDS:
        old, new = getattr(stored, name), getattr(fetched, name)
        if name in ("et_al", "entry_type", "extra") or new in (None, "", [], {}):
            continue
        if old in (None, "", [], {}):
            changes[name] = new
    if (
        stored.authors
        and fetched.authors
        and (stored.et_al or len(fetched.authors) > len(stored.authors))
    ) and _same_person(stored.authors[0], fetched.authors[0]):
        changes["authors"] = fetched.authors
        changes["et_al"] = fetched.et_al
    extra = {**fetched.extra, **stored.extra}
    if extra != stored.extra:
        changes["extra"] = extra
    return changes


def _same_person(a: dict, b: dict) -> bool:
    from igbib.model import fold

    name_a = fold(a.get("family") or a.get("literal") or "")
    name_b = fold(b.get("family") or b.get("literal") or "")
    return bool(name_a) and name_a == name_b


def refresh(
    library: Library,
    http,
    papers: list[Paper],
    *,
    dry_run: bool = False,
    accept: bool = False,
    progress=None,
) -> Report:
    """Complete ``papers`` from the online sources; flag those whose link names another paper."""
    report = Report(dry_run=dry_run)
    with_ids = [(p, best_identifier(p)) for p in papers]
    wanted = [(f"{LABELS[k]} {v}", k, v) for p, (k, v) in ((p, i) for p, i in with_ids if i)]
    before = http.requests_made
    outcomes = resolve(http, wanted, progress) if wanted else []
    plans: list[tuple[Paper, dict, list[dict] | None]] = []
    outcome_of = iter(outcomes)
    for paper, ident in with_ids:
        if ident is None:
            continue
        outcome: Outcome = next(outcome_of)
        row = Row(outcome.text, "", paper.citekey, paper.title or "", paper_id=paper.id)
        if outcome.status != "found":
            row.status = "not found" if outcome.status == "not-found" else "failed"
            row.detail = outcome.reason
        elif (
            paper.title
            and outcome.paper.title
            and not titles_match(paper.title, outcome.paper.title)
        ):
            reason = (
                f"{outcome.label} is \u201c{outcome.paper.title}\u201d ({outcome.paper.source}), "
                "not the listed title: probably a wrong link"
            )
            flags = [f for f in paper.flags if f["code"] != "title-mismatch"]
            flags.append({"code": "title-mismatch", "reason": reason})
            row.status, row.detail = "wrong link?", reason
            plans.append((paper, {}, flags))
        else:
            changes = fill_changes(paper, outcome.paper)
            flags = None
            if any(f["code"] == "title-mismatch" for f in paper.flags):
                flags = [f for f in paper.flags if f["code"] != "title-mismatch"]
            if changes:
                changes["source"] = outcome.paper.source
            row.status = "updated" if changes else "complete"
            row.detail = ", ".join(k for k in changes if k not in ("et_al", "source"))
            plans.append((paper, changes, flags))
        report.rows.append(row)
    candidates = [p for p, ident in with_ids if ident is None]
    for paper in candidates:
        report.rows.append(_candidates(http, library, paper, accept, plans))
    report.requests = http.requests_made - before
    if not dry_run and plans:
        _apply_refresh(library, plans)
    return report


def _candidates(http, library, paper: Paper, accept: bool, plans) -> Row:
    """PubMed papers whose title is this one's: offered, attached only with ``accept``."""
    row = Row(
        f"id {paper.id}", "no identifier", paper.citekey, paper.title or "", paper_id=paper.id
    )
    if not paper.title:
        row.detail = "no title to search for"
        return row
    try:
        _count, ids, _missing = pubmed.search(http, f"{paper.title}[Title]", retmax=3)
        found, _ = pubmed.fetch(http, ids) if ids else ([], [])
    except SourceError as exc:
        row.status, row.detail = "failed", str(exc)
        return row
    matching = [c for c in found if titles_match(paper.title, c.title)]
    if not found:
        row.detail = "PubMed has no paper with this title"
        return row
    listing = "; ".join(f"PMID {c.pmid}: {c.title} ({c.year})" for c in found)
    if accept and matching:
        choice = matching[0]
        changes = fill_changes(paper, choice)
        changes["source"] = choice.source
        plans.append((paper, changes, None))
        row.status, row.detail = "attached", f"PMID {choice.pmid}"
    else:
        row.status = "candidates"
        row.detail = listing + ("" if matching else " (none with the same title)")
        if matching:
            row.detail += "; --accept attaches the first with the same title"
    return row


def _apply_refresh(library: Library, plans) -> None:
    stamp = now()
    with library.transaction():
        touched = set()
        for paper, changes, flags in plans:
            if changes:
                library.update_paper(paper.id, {**changes, "updated": stamp})
            if flags is not None:
                library.set_flags(paper.id, [f for f in flags if f["code"] not in DERIVED])
            touched.add(paper.id)
        refresh_flags(library, touched)


# -- PubMed search ---------------------------------------------------------------


def pubmed_search(library: Library, http, query: str, *, limit: int = 20, since: int | None = None):
    """``(total, [(paper, id in the library or None)])`` for a PubMed query, newest first."""
    total, ids, _missing = pubmed.search(http, query, retmax=limit, mindate=since)
    papers, _ = pubmed.fetch(http, ids) if ids else ([], [])
    order = {pmid: i for i, pmid in enumerate(ids)}
    papers.sort(key=lambda p: order.get(p.pmid, len(order)))
    found = []
    for paper in papers:
        known = None
        for kind in KINDS:
            value = getattr(paper, kind)
            if value:
                matches = library.find_ids(kind, value)
                if matches:
                    known = matches[0]
                    break
        found.append((paper, known))
    return total, found
