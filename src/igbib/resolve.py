"""Identifiers to full records, with as few requests as the services allow.

For a batch of PMIDs, PMCIDs, DOIs and arXiv ids:

1. PMCIDs go to the PMC ID converter (200 a request) for their PMID and DOI.
2. DOIs are looked up in PubMed in one ``esearch`` (``"doi"[doi] OR ...``), so a
   DOI whose paper is in PubMed gets its PMID and the full PubMed record.
3. Every PMID (given, converted or found) is fetched with one ``efetch`` per 200.
4. DOIs PubMed does not hold go to Crossref, then to doi.org content negotiation
   (DataCite DOIs, arXiv's among them: an arXiv id resolves as ``10.48550/arXiv.ID``).

A service that fails marks only the identifiers that needed it as failed; the
others are still resolved.
"""

from __future__ import annotations

from dataclasses import dataclass

from igbib.errors import SourceError
from igbib.model import Paper
from igbib.sources import crossref, pmc, pubmed

DOI_SEARCH_BATCH = 50
LABELS = {"pmid": "PMID", "pmcid": "PMCID", "doi": "DOI", "arxiv": "arXiv"}


@dataclass
class Outcome:
    """What became of one requested identifier."""

    text: str
    kind: str
    value: str
    paper: Paper | None = None
    status: str = "pending"  # found, not-found, failed
    reason: str = ""
    error: SourceError | None = None

    @property
    def label(self) -> str:
        return f"{LABELS[self.kind]} {self.value}"


def resolve(http, wanted: list[tuple[str, str, str]], progress=None) -> list[Outcome]:
    """``wanted``: ``(text as typed, kind, value)``. One :class:`Outcome` each, in order."""
    outcomes = [Outcome(text, kind, value) for text, kind, value in wanted]

    def say(message: str) -> None:
        if progress:
            progress(message, sum(o.status != "pending" for o in outcomes), len(outcomes))

    pmid_of: dict[int, str] = {}
    doi_of: dict[int, str] = {}
    csl_only: set[int] = set()

    pmc_outcomes = [o for o in outcomes if o.kind == "pmcid"]
    if pmc_outcomes:
        say(f"asking the PMC ID converter about {len(pmc_outcomes)} PMCIDs")
        try:
            converted = pmc.convert(http, sorted({o.value for o in pmc_outcomes}))
        except SourceError as exc:
            _fail(pmc_outcomes, exc)
            converted = {}
        for o in pmc_outcomes:
            if o.status != "pending":
                continue
            record = converted.get(o.value)
            if record is None:
                _not_found(o, f"the PMC ID converter does not know {o.value}")
            elif "pmid" in record:
                pmid_of[id(o)] = record["pmid"]
            elif "doi" in record:
                doi_of[id(o)] = record["doi"]
            else:
                _not_found(o, f"{o.value} has neither a PMID nor a DOI")
    for o in outcomes:
        if o.kind == "pmid":
            pmid_of[id(o)] = o.value
        elif o.kind == "doi":
            doi_of[id(o)] = o.value
        elif o.kind == "arxiv":
            doi_of[id(o)] = f"10.48550/arxiv.{o.value}"
            csl_only.add(id(o))

    searched_pmids: list[str] = []
    dois = sorted({doi_of[id(o)] for o in outcomes if id(o) in doi_of and id(o) not in csl_only})
    for start in range(0, len(dois), DOI_SEARCH_BATCH):
        batch = dois[start : start + DOI_SEARCH_BATCH]
        say(f"looking up {len(batch)} DOIs in PubMed")
        term = " OR ".join(f'"{d}"[doi]' for d in batch)
        try:
            _count, ids, _missing = pubmed.search(http, term, retmax=len(batch) * 2)
        except SourceError:
            continue  # PubMed is down: the DOIs still go to Crossref
        searched_pmids.extend(ids)

    pmids = list(dict.fromkeys([*pmid_of.values(), *searched_pmids]))
    by_pmid: dict[str, Paper] = {}
    if pmids:
        say(f"fetching {len(pmids)} records from PubMed")
        try:
            papers, _missing = pubmed.fetch(http, pmids)
            by_pmid = {p.pmid: p for p in papers}
        except SourceError as exc:
            _fail([o for o in outcomes if id(o) in pmid_of], exc)
    by_doi = {p.doi: p for p in by_pmid.values() if p.doi}

    for o in outcomes:
        if o.status != "pending":
            continue
        if id(o) in pmid_of:
            paper = by_pmid.get(pmid_of[id(o)])
            if paper is not None:
                _found(o, paper)
            else:
                _not_found(o, f"PubMed has no record with PMID {pmid_of[id(o)]}")
        elif id(o) in doi_of and doi_of[id(o)] in by_doi:
            _found(o, by_doi[doi_of[id(o)]])

    rest = [o for o in outcomes if o.status == "pending" and id(o) in doi_of]
    answers: dict[str, Paper | None] = {}
    for o in rest:
        doi = doi_of[id(o)]
        if doi not in answers:
            say(f"asking {'doi.org' if id(o) in csl_only else 'Crossref'} about {doi}")
            try:
                paper = None if id(o) in csl_only else crossref.fetch_work(http, doi)
                answers[doi] = paper if paper is not None else crossref.fetch_csl(http, doi)
            except SourceError as exc:
                _fail([o], exc)
                continue
        paper = answers[doi]
        if paper is None:
            _not_found(o, f"DOI {doi} does not exist (neither Crossref nor doi.org knows it)")
        else:
            if id(o) in csl_only and not paper.arxiv:
                paper.arxiv = o.value
            _found(o, paper)
    say("done")
    if outcomes and all(o.status == "failed" for o in outcomes):
        raise outcomes[0].error  # nothing could be reached: one clear error
    return outcomes


def _found(outcome: Outcome, paper: Paper) -> None:
    outcome.paper, outcome.status = paper, "found"


def _not_found(outcome: Outcome, reason: str) -> None:
    outcome.status, outcome.reason = "not-found", reason


def _fail(outcomes: list[Outcome], exc: SourceError) -> None:
    for outcome in outcomes:
        if outcome.status == "pending":
            outcome.status, outcome.reason, outcome.error = "failed", str(exc), exc
