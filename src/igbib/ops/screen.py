"""Candidates and screening: what discovery offers, what a curator decides.

A paper found by a watch, a related-paper link or a file of decisions is
*offered* (:func:`offer`): a paper the library holds, or a candidate already
known (pending, maybe, included or excluded), is counted as a duplicate and
never queued again; any other becomes a pending candidate. Every offer records
a search (its source, route and counts) for the PRISMA flow.

A *decision* (:func:`decide`) is appended, never changed: including a
candidate stores its paper in the library (in the candidate's section, with its
tags, or where the decision says); excluding one keeps it, with the reason, as
a negative; an exclusion of a candidate whose inclusion added a paper takes that
paper out again. Each decision and what it did is one change in the history,
so ``igbib undo`` takes it back.
"""

from __future__ import annotations

import getpass
import os
import re
from dataclasses import dataclass, field

from igbib.errors import NotFound, Refused, UsageError
from igbib.model import Paper, title_key
from igbib.store import Library, now
from igbib.store.screening import ROUTES, STATUS_OF, Candidate

DECISIONS = ("include", "exclude", "maybe")
STAGES = ("abstract", "fulltext")
#: Reason codes offered for an exclusion (any short code is accepted).
REASONS = (
    "off-topic",
    "no-imaging",
    "no-genomics",
    "not-research",
    "not-human",
    "no-full-text",
    "duplicate",
    "other",
)
_REASON = re.compile(r"[^\W_][\w .,:/()+-]{0,79}")


def reviewer(name: str | None = None) -> str:
    """Who decides: ``name``, else ``$IGBIB_REVIEWER``, else the login name."""
    name = (name or os.environ.get("IGBIB_REVIEWER") or "").strip()
    if not name:
        try:
            name = getpass.getuser()
        except Exception:  # no login name (a container): still a decision, by someone
            name = "unknown"
    if "\n" in name or len(name) > 80:
        raise UsageError("a reviewer's name is one line of at most 80 characters")
    return name


def check_reason(reason: str | None, decision: str) -> str | None:
    if decision != "exclude":
        if reason:
            raise UsageError("a reason goes with --exclude only")
        return None
    if reason is None:
        return None
    reason = reason.strip()
    if not _REASON.fullmatch(reason):
        raise UsageError(
            f"bad reason {reason[:40]!r}: a short code such as {', '.join(REASONS[:4])}"
            " (letters, digits, spaces and - . , : / ( ) +; at most 80)"
        )
    return reason


# -- offering what discovery found --------------------------------------------------


@dataclass
class Offered:
    """What became of the papers one search found."""

    source: str
    #: (candidate id, paper): new candidates, queued
    new: list[tuple[int, Paper]] = field(default_factory=list)
    #: (paper, library paper id): the library holds them
    in_library: list[tuple[Paper, int]] = field(default_factory=list)
    #: (paper, candidate): found before (pending, maybe, included or excluded)
    known: list[tuple[Paper, Candidate]] = field(default_factory=list)
    #: papers given twice in this search
    repeated: int = 0

    @property
    def duplicates(self) -> int:
        return len(self.in_library) + len(self.known) + self.repeated

    @property
    def found(self) -> int:
        return len(self.new) + self.duplicates

    def to_dict(self) -> dict:
        return {
            "source": self.source,
            "found": self.found,
            "new": [_paper_dict(p, candidate=c) for c, p in self.new],
            "in_library": [_paper_dict(p, paper_id=i) for p, i in self.in_library],
            "known": [_paper_dict(p, candidate=c.id, status=c.status) for p, c in self.known],
            "duplicates": self.duplicates,
        }


def _paper_dict(paper: Paper, **extra) -> dict:
    values = {
        "pmid": paper.pmid,
        "doi": paper.doi,
        "title": paper.title,
        "year": paper.year,
        "journal": paper.journal,
    }
    return {**{k: v for k, v in values.items() if v is not None}, **extra}


def offer(
    library: Library,
    papers: list[Paper],
    *,
    source: str,
    route: str = "database",
    query: str | None = None,
    section: str | None = None,
    tags: list[str] | tuple[str, ...] = (),
    record: bool = True,
) -> Offered:
    """Queue the papers neither the library nor the candidates hold; count the others.

    Call inside a transaction. ``record``: also record the search (its counts).
    """
    from igbib.ops.match import Matcher

    if route not in ROUTES:
        raise UsageError(f"unknown route {route!r} (one of {', '.join(ROUTES)})")
    keys = [title_key(p.title or "") for p in papers]
    matcher = Matcher(library, papers, keys)
    result = Offered(source)
    stamp = now()
    seen: set[tuple[str, str]] = set()
    for paper, key in zip(papers, keys, strict=True):
        ids = {(k, v) for k, v in paper.identifiers().items() if k in ("pmid", "doi")}
        if ids & seen:
            result.repeated += 1
            continue
        seen |= ids
        held = library_paper(matcher, paper, key)
        if held is not None:
            result.in_library.append((paper, held))
            continue
        known = library.known_candidate(paper.pmid, paper.doi, paper.title)
        if known is not None:
            result.known.append((paper, known))
            continue
        candidate_id = library.add_candidate(
            paper, source=source, route=route, section=section, tags=list(tags), added=stamp
        )
        result.new.append((candidate_id, paper))
    if record:
        library.record_search(
            source, route, query, stamp, result.found, result.duplicates, len(result.new)
        )
    return result


def library_paper(matcher, paper: Paper, key: str) -> int | None:
    """The library paper ``paper`` is: the one matching finds, else one holding its PMID or
    DOI under another title (a found record is never stored beside the paper it names)."""
    match, conflicts = matcher.find(paper, key)
    if match is not None:
        return match.paper_id
    for _kind, _value, other in conflicts:
        if other.paper_id is not None:
            return other.paper_id
    return None


# -- finding candidates -------------------------------------------------------------


def resolve_candidate(library: Library, ref: str) -> Candidate:
    """The candidate ``ref`` names: ``c12`` (its number), a PMID, a DOI, or a library
    paper an inclusion made."""
    from igbib.errors import InvalidIdentifier
    from igbib.ids import parse_identifier

    text = ref.strip()
    match = re.fullmatch(r"[cC](\d+)", text)
    if match:
        found = library.candidate(int(match.group(1)))
        if found is None:
            raise NotFound(f"no candidate c{match.group(1)} (igbib screen --list shows the queue)")
        return found
    try:
        kind, value = parse_identifier(text)
    except InvalidIdentifier:
        kind, value = "", ""
    if kind in ("pmid", "doi"):
        found = library.known_candidate(**{kind: value})
        if found is not None:
            return found
    try:
        paper = library.resolve(text)
    except NotFound:
        paper = None
    if paper is not None:
        found = library.known_candidate(paper.pmid, paper.doi, paper.title)
        if found is not None:
            return found
    raise NotFound(f"no candidate is {text!r} (igbib screen --list shows the queue)")


# -- deciding -----------------------------------------------------------------------


@dataclass
class Decided:
    candidate: Candidate
    decision: str
    reason: str | None
    before: str
    #: the library paper an inclusion stored or matched (its citation key)
    citekey: str | None = None
    #: what the decision did to the library, in words
    effect: str = ""

    def to_dict(self) -> dict:
        return {
            "candidate": self.candidate.id,
            **_paper_dict(self.candidate.paper),
            "decision": self.decision,
            "reason": self.reason,
            "was": self.before,
            "citekey": self.citekey,
            "effect": self.effect,
        }


def decide(
    library: Library,
    candidates: list[Candidate],
    decision: str,
    *,
    reason: str | None = None,
    stage: str = "abstract",
    who: str | None = None,
    origin: str = "screen",
    section: str | None = None,
    auto_tags: bool = True,
) -> list[Decided]:
    """Record ``decision`` on each candidate, in one transaction, and do what it means."""
    from igbib.ops.ingest import read_rules

    if decision not in DECISIONS:
        raise UsageError(f"unknown decision {decision!r} (one of {', '.join(DECISIONS)})")
    if stage not in STAGES:
        raise UsageError(f"unknown stage {stage!r} (one of {', '.join(STAGES)})")
    reason = check_reason(reason, decision)
    name = reviewer(who)
    rules = read_rules(auto_tags) if decision == "include" else None
    unique = list({c.id: c for c in candidates}.values())  # c1 c1: one decision
    with library.transaction():
        return [
            _decide_one(library, c, decision, reason, stage, name, origin, section, rules)
            for c in unique
        ]


def _decide_one(library, candidate, decision, reason, stage, who, origin, section, rules, at=None):
    # read again: an earlier decision of the same run may have changed it
    candidate = library.candidate(candidate.id)
    done = Decided(candidate, decision, reason, candidate.status)
    library.add_decision(
        candidate.id,
        decision,
        reason=reason,
        stage=stage,
        reviewer=who,
        at=at or now(),
        origin=origin,
    )
    library.set_candidate_status(candidate.id, STATUS_OF[decision], reason)
    if decision == "include":
        _include(library, candidate, section, rules, done)
    elif decision == "maybe":
        pass  # decided later: a paper an inclusion added stays until an exclusion
    elif candidate.paper_id is not None and candidate.made:
        _take_out(library, candidate, done)
    elif candidate.paper_id is not None:
        key = library.citekey_of(candidate.paper_id)
        done.citekey = key
        done.effect = f"{key} was in the library before; it stays"
    return done


def _include(library, candidate: Candidate, section, rules, done: Decided) -> None:
    from igbib.ops.ingest import ingest_in_transaction
    from igbib.ops.reports import ADDED

    if candidate.paper_id is not None:
        done.citekey = library.citekey_of(candidate.paper_id)
        done.effect = "already in the library"
        return
    paper = candidate.paper
    paper.source = paper.source or "screen"
    report = ingest_in_transaction(
        library,
        [paper],
        refs=[candidate.label],
        section=section or candidate.section or _DEFAULT_SECTION,
        tags=candidate.tags,
        rules=rules,
    )
    row = report.rows[0]
    if row.paper_id is None:  # pragma: no cover - ingest stores or matches every paper
        raise Refused(f"{candidate.label} could not be stored: {row.detail or row.status}")
    made = row.status == ADDED
    library.set_candidate_paper(candidate.id, row.paper_id, made)
    done.citekey = library.citekey_of(row.paper_id)
    place = section or candidate.section or _DEFAULT_SECTION
    done.effect = f"added as {done.citekey} to {place!r}" if made else "matched a library paper"


def _take_out(library, candidate: Candidate, done: Decided) -> None:
    key = library.citekey_of(candidate.paper_id)
    library.delete_papers([candidate.paper_id])
    library.delete_unused_tags()
    library.set_candidate_paper(candidate.id, None, False)
    done.citekey = key
    done.effect = f"{key} taken out of the library (its inclusion had added it)"


#: Where an included candidate goes when neither it nor the decision names a section.
_DEFAULT_SECTION = "Screened in"


def queue(library: Library, *, maybe: bool = False) -> list[Candidate]:
    """The candidates waiting for a decision (and those decided "maybe")."""
    return library.candidates(["pending", "maybe"] if maybe else ["pending"])
