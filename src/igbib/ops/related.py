"""``igbib related``: papers PubMed links to library papers (similar, cited by, references)."""

from __future__ import annotations

from dataclasses import dataclass, field

from igbib.errors import NotFound, UsageError
from igbib.model import Paper
from igbib.sources import elink


@dataclass
class Candidate:
    """A PMID some source papers link to, and how."""

    pmid: str
    #: source PMID -> the kinds of link from it
    sources: dict[str, set[str]] = field(default_factory=dict)
    score: int | None = None
    #: its first place in PubMed's answers (PubMed lists similar articles best first)
    order: int = 0
    #: the library paper with this PMID, if any
    in_library: str | None = None
    #: some link came from a merged set (PubMed did not say which source paper)
    merged: bool = False

    @property
    def kinds(self) -> list[str]:
        found = set().union(*self.sources.values())
        return [k for k in elink.KINDS if k in found]

    def to_dict(self) -> dict:
        return {
            "pmid": self.pmid,
            "kinds": self.kinds,
            "count": len(self.sources),
            "sources": {s: sorted(k) for s, k in sorted(self.sources.items())},
            "score": self.score,
            "in_library": self.in_library,
            "merged": self.merged,
        }


@dataclass
class Related:
    """What ``related`` found for some library papers."""

    sources: list[Paper]
    #: source papers without a PMID (nothing to ask PubMed)
    no_pmid: list[Paper]
    candidates: list[Candidate]
    requests: int = 0
    #: PubMed's errors for some source PMIDs
    errors: dict[str, str] = field(default_factory=dict)
    merged: bool = False
    #: candidates left out as already in the library
    in_library: int = 0


def parse_kinds(text: str | None) -> list[str]:
    if not text:
        return list(elink.KINDS)
    kinds = [k.strip() for k in text.split(",") if k.strip()]
    for kind in kinds:
        if kind not in elink.KINDS:
            raise UsageError(f"unknown --kind {kind!r} (one or more of {', '.join(elink.KINDS)})")
    return [k for k in elink.KINDS if k in kinds]


def select_papers(library, words: list[str]) -> list[Paper]:
    """The paper one word names (as other commands resolve it), else those a search finds."""
    from igbib import search as engine
    from igbib.query import parse_query

    if not words:
        raise UsageError("give a paper (citation key, id, PMID, ...) or a search")
    first_error = None
    if len(words) == 1:
        try:
            return [library.resolve(words[0])]
        except NotFound as exc:
            first_error = exc
    papers = engine.search(library, parse_query(" ".join(words)), sort="section")
    if not papers:
        if first_error is not None:
            raise NotFound(f"{first_error}, and no paper matches it as a search")
        raise NotFound(f"no paper matches {' '.join(words)!r}")
    return papers


def related(
    library, http, papers: list[Paper], kinds: list[str], *, include_library: bool = False
) -> Related:
    """The PMIDs PubMed links to ``papers``, ranked: by how many of them link to each,
    then by how many kinds of link, then by score, then by PubMed's order.

    Papers already in the library are marked (``in_library``) and left out unless
    ``include_library``; the source papers themselves are always left out.
    """
    with_pmid = [p for p in papers if p.pmid]
    result = Related(sources=with_pmid, no_pmid=[p for p in papers if not p.pmid], candidates=[])
    if not with_pmid:
        return result
    pmids = list(dict.fromkeys(p.pmid for p in with_pmid))
    before = http.requests_made
    sets = elink.fetch_links(http, pmids, kinds)
    result.requests = http.requests_made - before
    own = set(pmids)
    found: dict[str, Candidate] = {}
    order = 0
    for link_set in sets:
        if link_set.error:
            for source in link_set.sources or ["?"]:
                result.errors[source] = link_set.error
        result.merged |= link_set.merged
        for pmid, kind, score in link_set.links:
            if kind not in kinds or pmid in own:
                continue
            candidate = found.get(pmid)
            if candidate is None:
                candidate = found[pmid] = Candidate(pmid, order=order)
                order += 1
            for source in link_set.sources:
                candidate.sources.setdefault(source, set()).add(kind)
            candidate.merged |= link_set.merged
            if score is not None and (candidate.score is None or score > candidate.score):
                candidate.score = score
    for candidate in found.values():
        ids = library.find_ids("pmid", candidate.pmid)
        if ids:
            candidate.in_library = library.citekey_of(ids[0])
    ranked = sorted(
        found.values(),
        key=lambda c: (-len(c.sources), -len(c.kinds), -(c.score or -1), c.order),
    )
    result.candidates = [c for c in ranked if include_library or c.in_library is None]
    result.in_library = sum(1 for c in ranked if c.in_library is not None)
    return result
