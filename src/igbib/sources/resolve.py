"""Identifiers to full records, with as few requests as the services allow.

For a batch of PMIDs, PMCIDs, DOIs and arXiv ids:

1. PMCIDs go to the PMC ID converter (200 a request) for their PMID and DOI
   (:func:`_convert_pmcids`).
2. DOIs are looked up in PubMed in one ``esearch`` (``"doi"[doi] OR ...``), so a
   DOI whose paper is in PubMed gets its PMID and the full PubMed record
   (:func:`_search_dois`).
3. Every PMID (given, converted or found) is fetched with one ``efetch`` per 200
   (:func:`_fetch_pmids`).
4. DOIs PubMed does not hold go to Crossref, then to doi.org content negotiation
   (DataCite DOIs, arXiv's among them: an arXiv id resolves as ``10.48550/arXiv.ID``)
   (:func:`_ask_crossref`).

A service that fails marks only the identifiers that needed it as failed; the
others are still resolved. So does a batch of PMIDs that fails, and a record that
cannot be read fails its own identifier only. The client bounds the time: once a
service has failed repeatedly, or the command's time limit has passed, what is
left fails at once with that cause.
"""

from __future__ import annotations

from dataclasses import dataclass

from igbib.errors import SourceError
from igbib.ids import LABELS
from igbib.model import Paper
from igbib.sources import crossref, pmc, pubmed

DOI_SEARCH_BATCH = 50
#: What became of an identifier. The last two are also the words a report uses.
PENDING, FOUND, NOT_FOUND, FAILED = "pending", "found", "not found", "failed"


@dataclass
class Outcome:
    """What became of one requested identifier."""

    text: str
    kind: str
    value: str
    paper: Paper | None = None
    status: str = PENDING
    reason: str = ""
    error: SourceError | None = None
    #: the PMID, or else the DOI, it is to be fetched by (worked out on the way)
    pmid: str | None = None
    doi: str | None = None
    doi_org_only: bool = False  # a DOI only doi.org knows (arXiv's): not searched elsewhere

    @property
    def label(self) -> str:
        return f"{LABELS[self.kind]} {self.value}"

    @property
    def pending(self) -> bool:
        return self.status == PENDING

    def found(self, paper: Paper) -> None:
        self.paper, self.status = paper, FOUND

    def not_found(self, reason: str) -> None:
        self.status, self.reason = NOT_FOUND, reason

    def fail(self, exc: SourceError) -> None:
        if self.pending:
            self.status, self.reason, self.error = FAILED, str(exc), exc


def resolve(http, wanted: list[tuple[str, str, str]], progress=None) -> list[Outcome]:
    """``wanted``: ``(text as typed, kind, value)``. One :class:`Outcome` each, in order.

    ``progress(message, done, total)`` is told what is being asked. When no
    identifier could be resolved because every service failed, the first
    failure is raised as it is: one clear error.
    """
    outcomes = [Outcome(text, kind, value) for text, kind, value in wanted]

    def say(message: str) -> None:
        if progress:
            progress(message, sum(not o.pending for o in outcomes), len(outcomes))

    _convert_pmcids(http, outcomes, say)
    _route(outcomes)
    found_pmids = _search_dois(http, outcomes, say)
    _fetch_pmids(http, outcomes, found_pmids, say)
    _ask_crossref(http, outcomes, say)
    say("done")
    if outcomes and all(o.status == FAILED for o in outcomes):
        raise outcomes[0].error  # nothing could be reached
    return outcomes


def _convert_pmcids(http, outcomes: list[Outcome], say) -> None:
    """Step 1: each PMCID's PMID (or, failing that, DOI) from the PMC ID converter."""
    asked = [o for o in outcomes if o.kind == "pmcid"]
    if not asked:
        return
    say(f"asking the PMC ID converter about {len(asked)} PMCIDs")
    try:
        converted = pmc.convert(http, sorted({o.value for o in asked}))
    except SourceError as exc:
        for o in asked:
            o.fail(exc)
        return
    for o in asked:
        record = converted.get(o.value)
        if record is None:
            o.not_found(f"the PMC ID converter does not know {o.value}")
        elif "pmid" in record:
            o.pmid = record["pmid"]
        elif "doi" in record:
            o.doi = record["doi"]
        else:
            o.not_found(f"{o.value} has neither a PMID nor a DOI")


def _route(outcomes: list[Outcome]) -> None:
    """The PMID or DOI each given identifier is fetched by."""
    for o in outcomes:
        if o.kind == "pmid":
            o.pmid = o.value
        elif o.kind == "doi":
            o.doi = o.value
        elif o.kind == "arxiv":
            o.doi, o.doi_org_only = f"10.48550/arxiv.{o.value}", True


def _search_dois(http, outcomes: list[Outcome], say) -> list[str]:
    """Step 2: the PMIDs PubMed gives for the DOIs (a failed search is not fatal)."""
    dois = sorted({o.doi for o in outcomes if o.doi and not o.doi_org_only})
    pmids: list[str] = []
    for start in range(0, len(dois), DOI_SEARCH_BATCH):
        batch = dois[start : start + DOI_SEARCH_BATCH]
        say(f"looking up {len(batch)} DOIs in PubMed")
        term = " OR ".join(f'"{d}"[doi]' for d in batch)
        try:
            _count, ids, _missing = pubmed.search(http, term, retmax=len(batch) * 2)
        except SourceError:
            continue  # PubMed is down: the DOIs still go to Crossref
        pmids.extend(ids)
    return pmids


def _fetch_pmids(http, outcomes: list[Outcome], found_pmids: list[str], say) -> None:
    """Step 3: fetch every PMID from PubMed; settle each identifier PubMed answers."""
    pmids = list(dict.fromkeys([*(o.pmid for o in outcomes if o.pmid), *found_pmids]))
    fetched = pubmed.Fetched()
    if pmids:
        message = f"fetching {len(pmids)} records from PubMed"
        say(message)
        fetched = pubmed.fetch(http, pmids, lambda done: say(f"{message}: {done} asked"))
    by_pmid = {p.pmid: p for p in fetched.papers}
    by_doi = {p.doi: p for p in fetched.papers if p.doi}
    for o in outcomes:
        if not o.pending:
            continue
        if o.pmid in fetched.failed:
            o.fail(fetched.failed[o.pmid])
        elif o.pmid:
            paper = by_pmid.get(o.pmid)
            if paper is not None:
                o.found(paper)
            else:
                o.not_found(f"PubMed has no record with PMID {o.pmid}")
        elif o.doi and o.doi in by_doi:
            o.found(by_doi[o.doi])


def _ask_crossref(http, outcomes: list[Outcome], say) -> None:
    """Step 4: the DOIs still open, from Crossref, then from doi.org."""
    answers: dict[str, Paper | None] = {}
    for o in outcomes:
        if not o.pending or not o.doi:
            continue
        if o.doi not in answers:
            say(f"asking {'doi.org' if o.doi_org_only else 'Crossref'} about {o.doi}")
            try:
                paper = None if o.doi_org_only else crossref.fetch_work(http, o.doi)
                answers[o.doi] = paper if paper is not None else crossref.fetch_csl(http, o.doi)
            except SourceError as exc:
                o.fail(exc)
                continue
        paper = answers[o.doi]
        if paper is None:
            o.not_found(f"DOI {o.doi} does not exist (neither Crossref nor doi.org knows it)")
        else:
            if o.doi_org_only and not paper.arxiv:
                paper.arxiv = o.value
            o.found(paper)
