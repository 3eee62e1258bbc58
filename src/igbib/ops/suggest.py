"""``igbib suggest``: the papers the list is missing, by how many of its papers point to them.

Built on :func:`igbib.ops.related.related` over the library's papers (or those a
search selects), with the services chosen as ``related`` chooses them (PubMed,
and OpenAlex or Semantic Scholar when their keys are set): a paper many list
papers cite, are cited by or resemble comes first. Papers the library holds are
left out, and so are the candidates already known: those waiting in the
screening queue or decided, and the excluded ones, which are never suggested
again and are given to Semantic Scholar as examples of what is not wanted. The
records of the papers shown are fetched from PubMed in batches (one efetch per
200 PMIDs); a paper known by its DOI alone keeps what its service said of it.
``--queue`` puts them in the screening queue as citation searching (PRISMA's
"other methods"); ``--add`` includes them at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from igbib.model import Paper
from igbib.store import Library


@dataclass
class Suggested:
    """What ``suggest`` found, and what it cost."""

    related: object  # igbib.ops.related.Related
    shown: list = field(default_factory=list)  # related candidates, best first
    #: candidate key -> its record (fetched from PubMed, else as the service named it)
    records: dict[str, Paper] = field(default_factory=dict)
    #: PMID -> why its record could not be fetched
    unfetched: dict[str, str] = field(default_factory=dict)
    excluded: int = 0  # negatives left out
    queued: int = 0  # already candidates (waiting or decided), left out
    requests: int = 0

    def to_dict(self, keys: dict[str, str]) -> dict:
        out = []
        for c in self.shown:
            paper = self.records.get(c.key)
            item = c.to_dict()
            item["from"] = [keys.get(s, s) for s in sorted(c.sources)]
            if paper is not None:
                item.update(title=paper.title, year=paper.year, journal=paper.journal)
            out.append(item)
        return {
            "sources": len(self.related.sources),
            "services": self.related.services,
            "requests": self.requests,
            "requests_by_service": self.related.requests,
            "failures": self.related.failures,
            "in_library_left_out": self.related.in_library,
            "excluded_left_out": self.excluded,
            "queued_left_out": self.queued,
            "suggestions": out,
            "not_fetched": self.unfetched,
        }


def suggest(
    library: Library,
    http,
    papers: list[Paper],
    kinds: list[str],
    *,
    services=("pubmed",),
    limit: int = 20,
) -> Suggested:
    from igbib.ops.related import related
    from igbib.sources import pubmed

    before = http.requests_made
    negatives = [c.paper for c in library.candidates(["excluded"])]
    found = related(library, http, papers, kinds, services=services, negatives=negatives)
    result = Suggested(found)
    kept = []
    for candidate in found.candidates:
        known = library.known_candidate(pmid=candidate.pmid, doi=candidate.doi)
        if known is not None and known.status == "excluded":
            result.excluded += 1
        elif known is not None:
            result.queued += 1
        else:
            kept.append(candidate)
    result.shown = kept[:limit]
    for c in result.shown:  # what the service said, until PubMed says more
        if c.pmid or c.doi:
            result.records[c.key] = Paper(
                pmid=c.pmid, doi=c.doi, title=c.title, year=c.year, source=c.services[0]
            )
    wanted = [c.pmid for c in result.shown if c.pmid]
    if wanted:
        fetched = pubmed.fetch(http, wanted)
        by_pmid = {p.pmid: p for p in fetched.papers}
        for c in result.shown:
            if c.pmid in by_pmid:
                result.records[c.key] = by_pmid[c.pmid]
        result.unfetched = {pmid: str(why) for pmid, why in fetched.failed.items()}
        for pmid in fetched.missing:
            result.unfetched[pmid] = "PubMed has no record of it"
    result.requests = http.requests_made - before
    return result


def queue(library: Library, suggested: Suggested, *, source: str = "suggest"):
    """Put the suggestions shown into the screening queue (citation searching); one known
    only by a service's own id (no PMID, no DOI) cannot be found again, and is left out."""
    from igbib.ops.screen import offer

    papers = [suggested.records[c.key] for c in suggested.shown if c.key in suggested.records]
    with library.transaction():
        return offer(library, papers, source=source, route="other")
