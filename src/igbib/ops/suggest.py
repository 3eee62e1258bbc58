"""``igbib suggest``: the papers the list is missing, by how many of its papers point to them.

Built on :func:`igbib.ops.related.related` over the library's papers (or those a
search selects): a paper many list papers cite, are cited by or resemble comes
first. Papers the library holds are left out, and so are the candidates already
known: those waiting in the screening queue, and the excluded ones, which are
never suggested again. The titles of the papers shown are fetched from PubMed in
batches (one efetch per 200). ``--queue`` puts them in the screening queue as
citation searching (PRISMA's "other methods"); ``--add`` includes them at once.
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
    #: PMID -> its fetched record
    records: dict[str, Paper] = field(default_factory=dict)
    #: PMID -> why its record could not be fetched
    unfetched: dict[str, str] = field(default_factory=dict)
    excluded: int = 0  # negatives left out
    queued: int = 0  # already in the screening queue (pending or maybe), left out
    requests: int = 0

    def to_dict(self, keys: dict[str, str]) -> dict:
        out = []
        for c in self.shown:
            paper = self.records.get(c.pmid)
            item = c.to_dict()
            item["from"] = [keys.get(s, s) for s in sorted(c.sources)]
            if paper is not None:
                item.update(title=paper.title, year=paper.year, journal=paper.journal)
            out.append(item)
        return {
            "sources": len(self.related.sources),
            "requests": self.requests,
            "in_library_left_out": self.related.in_library,
            "excluded_left_out": self.excluded,
            "queued_left_out": self.queued,
            "suggestions": out,
            "not_fetched": self.unfetched,
        }


def suggest(
    library: Library, http, papers: list[Paper], kinds: list[str], *, limit: int = 20
) -> Suggested:
    from igbib.ops.related import related
    from igbib.sources import pubmed

    before = http.requests_made
    found = related(library, http, papers, kinds)
    result = Suggested(found)
    excluded = library.candidate_pmids(["excluded"])
    waiting = library.candidate_pmids(["pending", "maybe", "included"])
    kept = []
    for candidate in found.candidates:
        if candidate.pmid in excluded:
            result.excluded += 1
        elif candidate.pmid in waiting:
            result.queued += 1
        else:
            kept.append(candidate)
    result.shown = kept[:limit]
    wanted = [c.pmid for c in result.shown]
    if wanted:
        fetched = pubmed.fetch(http, wanted)
        result.records = {p.pmid: p for p in fetched.papers}
        result.unfetched = {pmid: str(why) for pmid, why in fetched.failed.items()}
        for pmid in fetched.missing:
            result.unfetched[pmid] = "PubMed has no record of it"
    result.requests = http.requests_made - before
    return result


def queue(library: Library, suggested: Suggested, *, source: str = "suggest"):
    """Put the suggestions shown into the screening queue (citation searching)."""
    from igbib.ops.screen import offer

    # one whose record could not be fetched goes by its PMID alone (screening shows so)
    papers = [
        suggested.records.get(c.pmid) or Paper(pmid=c.pmid, source="pubmed")
        for c in suggested.shown
    ]
    with library.transaction():
        return offer(library, papers, source=source, route="other")
