"""``igbib related``: papers the services link to library papers, merged and ranked.

PubMed (elink: similar, cited-by, references) is always available; OpenAlex
(related and referenced works) and Semantic Scholar (recommendations and
references) are asked when their key is set, or when asked for by name. Their
links are merged by identifier (PMID, else DOI, else the service's own id) into
one :class:`Candidate` each, which keeps every (service, kind) it came from. The
ranking rule is :func:`rank_key`. A service that fails is recorded in
:attr:`Related.failures` and costs only its own links.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from igbib.errors import NotFound, SourceError, UsageError
from igbib.model import Paper
from igbib.sources import elink

#: igbib's names of the services, and how they are shown
SERVICES = {"pubmed": "PubMed", "openalex": "OpenAlex", "s2": "Semantic Scholar"}
#: the kinds of link each service gives
SERVICE_KINDS = {
    "pubmed": tuple(elink.KINDS),
    "openalex": ("related", "references"),
    "s2": ("recommended", "references"),
}
#: every kind, in the order they are shown
KINDS = ("similar", "related", "recommended", "cited-by", "references")
#: the setting that turns each optional service on, and its variable
KEYS = {"openalex": ("openalex_api_key", "OPENALEX_API_KEY"), "s2": ("s2_api_key", "S2_API_KEY")}
#: what ``--source`` also accepts for a service
ALIASES = {"semanticscholar": "s2", "semantic-scholar": "s2", "ncbi": "pubmed"}
#: the source of a recommendation made from several papers together
SELECTION = "(selection)"
#: recommendations asked for in one request
RECOMMENDED = 100


@dataclass
class Candidate:
    """A paper some source papers link to, and how."""

    key: str
    pmid: str | None = None
    doi: str | None = None
    openalex: str | None = None
    s2: str | None = None
    title: str | None = None
    year: int | None = None
    #: source paper (its PMID, else ``doi:…``, or :data:`SELECTION`) -> (service, kind) links
    sources: dict[str, set[tuple[str, str]]] = field(default_factory=dict)
    score: int | None = None
    #: its first place in the answers (PubMed's, then OpenAlex's, then Semantic Scholar's)
    order: int = 0
    #: the library paper with this PMID or DOI, if any
    in_library: str | None = None
    #: some link came from a merged set (PubMed did not say which source paper)
    merged: bool = False

    @property
    def links(self) -> set[tuple[str, str]]:
        return set().union(*self.sources.values())

    @property
    def kinds(self) -> list[str]:
        found = {kind for _, kind in self.links}
        return [k for k in KINDS if k in found]

    @property
    def services(self) -> list[str]:
        found = {service for service, _ in self.links}
        return [s for s in SERVICES if s in found]

    @property
    def pointing(self) -> int:
        """How many library papers link to it; a recommendation made from several
        papers together, and nothing else, counts as one."""
        return len(self.sources.keys() - {SELECTION}) or 1

    def provenance(self) -> list[str]:
        """``kind (Service)`` for each link, by service then kind."""
        links = self.links
        return [
            f"{kind} ({SERVICES[service]})"
            for service in SERVICES
            for kind in KINDS
            if (service, kind) in links
        ]

    def ident(self) -> str | None:
        """What ``igbib add`` takes for it: the PMID, else the DOI."""
        return self.pmid or self.doi

    def to_dict(self) -> dict:
        return {
            "id": self.key,
            "pmid": self.pmid,
            "doi": self.doi,
            "openalex": self.openalex,
            "s2": self.s2,
            "title": self.title,
            "year": self.year,
            "kinds": self.kinds,
            "services": self.services,
            "found": self.provenance(),
            "count": self.pointing,
            "sources": {
                s: [k for k in KINDS if k in {kind for _, kind in links}]
                for s, links in sorted(self.sources.items())
            },
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
    #: the services asked, in order
    services: list[str] = field(default_factory=list)
    #: requests made, by service
    requests: dict[str, int] = field(default_factory=dict)
    #: PubMed's errors for some source PMIDs
    errors: dict[str, str] = field(default_factory=dict)
    merged: bool = False
    #: candidates left out as already in the library
    in_library: int = 0
    #: the one-line cause of each service that failed (none of its links are known)
    failures: dict[str, str] = field(default_factory=dict)
    #: the one-line cause of each service that failed after giving some links
    partial: dict[str, str] = field(default_factory=dict)
    #: source papers (PMID or ``doi:…``) a service does not hold, by service
    not_found: dict[str, list[str]] = field(default_factory=dict)
    #: papers given to Semantic Scholar as examples but left out (over its cap)
    seeds_left_out: int = 0
    #: why OpenAlex's works found could not be named (they are kept by OpenAlex id)
    unnamed: str | None = None
    #: works OpenAlex linked to but did not name when asked (kept by OpenAlex id)
    unnamed_works: int = 0

    @property
    def answered(self) -> list[str]:
        return [s for s in self.services if s not in self.failures]


class ServicesFailed(SourceError):
    """Every service asked failed: the last one's cause, and all of them in ``failures``."""

    def __init__(self, failures: dict[str, str]):
        super().__init__(list(failures.values())[-1])
        self.failures = failures


@dataclass
class Link:
    """One link of a service, before merging."""

    service: str
    kind: str
    source: str
    pmid: str | None = None
    doi: str | None = None
    native: str | None = None  #: ``openalex:W…`` or ``s2:…``
    title: str | None = None
    year: int | None = None
    score: int | None = None
    merged: bool = False


def rank_key(candidate: Candidate) -> tuple:
    """The ranking rule: more library papers pointing, more services, more kinds, a
    higher score, then the order the services gave."""
    return (
        -candidate.pointing,
        -len(candidate.services),
        -len(candidate.kinds),
        -(candidate.score if candidate.score is not None else -1),
        candidate.order,
    )


def parse_kinds(text: str | None) -> list[str]:
    if not text:
        return list(KINDS)
    kinds = [k.strip() for k in text.split(",") if k.strip()]
    for kind in kinds:
        if kind not in KINDS:
            raise UsageError(f"unknown --kind {kind!r} (one or more of {', '.join(KINDS)})")
    return [k for k in KINDS if k in kinds]


def choose_services(text: str | None, settings) -> tuple[list[str], list[str]]:
    """The services to ask, and those of them asked without their key.

    Without ``--source``: PubMed, and each optional service whose key is set.
    With it: exactly the services named.
    """
    if not text:
        chosen = ["pubmed"] + [s for s, (key, _) in KEYS.items() if getattr(settings, key)]
        return chosen, []
    names = []
    for word in (w.strip().lower() for w in text.split(",") if w.strip()):
        name = ALIASES.get(word, word)
        if name not in SERVICES:
            raise UsageError(f"unknown --source {word!r} (one or more of {', '.join(SERVICES)})")
        names.append(name)
    chosen = [s for s in SERVICES if s in names]
    keyless = [s for s in chosen if s in KEYS and not getattr(settings, KEYS[s][0])]
    return chosen, keyless


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
    library,
    http,
    papers: list[Paper],
    kinds: list[str],
    *,
    services: tuple[str, ...] | list[str] = ("pubmed",),
    include_library: bool = False,
    negatives: tuple[Paper, ...] | list[Paper] = (),
) -> Related:
    """The papers the services link to ``papers``, merged and ranked by :func:`rank_key`.

    Papers already in the library are marked (``in_library``) and left out unless
    ``include_library``; the source papers themselves are always left out. A
    service that fails is recorded in ``failures``; the others' links are kept.
    When every service asked fails, :class:`ServicesFailed` is raised. ``negatives``:
    papers a curator excluded, given to the services that take examples of what is not
    wanted (Semantic Scholar's recommendations).
    """
    giving = [s for s in services if set(SERVICE_KINDS[s]) & set(kinds)]
    if not giving:
        raise UsageError(
            f"no service asked gives {', '.join(kinds)}"
            f" ({'; '.join(f'{SERVICES[s]}: ' + ', '.join(SERVICE_KINDS[s]) for s in services)})"
        )
    # PubMed is asked about PMIDs only; the other services about DOIs too.
    by_doi = any(s != "pubmed" for s in giving)
    asked = [p for p in papers if p.pmid or (by_doi and p.doi)]
    result = Related(
        sources=asked,
        no_pmid=[p for p in papers if not p.pmid],
        candidates=[],
        services=giving,
    )
    if not asked:
        return result
    links: list[Link] = []
    for service in result.services:
        wanted = [k for k in SERVICE_KINDS[service] if k in kinds]
        before = http.requests_made
        gathered: list[Link] = []
        try:
            if service == "s2":
                _ask_s2(http, asked, wanted, result, gathered, negatives)
            else:
                _ASK[service](http, asked, wanted, result, gathered)
        except SourceError as exc:
            # what the service gave before it failed is kept
            (result.partial if gathered else result.failures)[service] = str(exc)
        links.extend(gathered)
        result.requests[service] = http.requests_made - before
    if not result.answered:
        raise ServicesFailed(result.failures)
    own_pmids = {p.pmid for p in asked if p.pmid}
    own_dois = {p.doi.lower() for p in asked if p.doi}
    found = merge(links, own_pmids, own_dois)
    for candidate in found:
        paper_id = _in_library(library, candidate)
        if paper_id is not None:
            candidate.in_library = library.citekey_of(paper_id)
    ranked = sorted(found, key=rank_key)
    result.candidates = [c for c in ranked if include_library or c.in_library is None]
    result.in_library = sum(1 for c in ranked if c.in_library is not None)
    return result


def merge(links: list[Link], own_pmids: set[str], own_dois: set[str]) -> list[Candidate]:
    """One candidate per paper: links meet on their PMID, else DOI, else service id."""
    by: dict[str, Candidate] = {}
    found: list[Candidate] = []
    for link in links:
        if (link.pmid and link.pmid in own_pmids) or (link.doi and link.doi in own_dois):
            continue
        names = [n for n in (link.pmid, link.doi and f"doi:{link.doi}", link.native) if n]
        if not names:
            continue
        candidate = next((by[n] for n in names if n in by), None)
        if candidate is None:
            candidate = Candidate(key=names[0], order=len(found))
            found.append(candidate)
        _absorb(candidate, link)
        for name in names:
            by.setdefault(name, candidate)
    return found


def _absorb(candidate: Candidate, link: Link) -> None:
    candidate.pmid = candidate.pmid or link.pmid
    candidate.doi = candidate.doi or link.doi
    if link.native:
        service, _, native = link.native.partition(":")
        if service == "openalex":
            candidate.openalex = candidate.openalex or native
        else:
            candidate.s2 = candidate.s2 or native
    candidate.key = candidate.pmid or (candidate.doi and f"doi:{candidate.doi}") or candidate.key
    candidate.title = candidate.title or link.title
    candidate.year = candidate.year or link.year
    candidate.sources.setdefault(link.source, set()).add((link.service, link.kind))
    candidate.merged |= link.merged
    if link.score is not None and (candidate.score is None or link.score > candidate.score):
        candidate.score = link.score


def _in_library(library, candidate: Candidate) -> int | None:
    for kind, value in (("pmid", candidate.pmid), ("doi", candidate.doi)):
        if value:
            ids = library.find_ids(kind, value)
            if ids:
                return ids[0]
    return None


def _source_name(paper: Paper) -> str:
    return paper.pmid or f"doi:{paper.doi.lower()}"


# -- each service ----------------------------------------------------------------


def _ask_pubmed(http, papers: list[Paper], kinds: list[str], result: Related, links) -> None:
    pmids = list(dict.fromkeys(p.pmid for p in papers if p.pmid))
    if not pmids:
        return
    for link_set in elink.fetch_links(http, pmids, kinds):
        if link_set.error:
            for source in link_set.sources or ["?"]:
                result.errors[source] = link_set.error
        result.merged |= link_set.merged
        for pmid, kind, score in link_set.links:
            if kind not in kinds:
                continue
            for source in link_set.sources:
                links.append(
                    Link("pubmed", kind, source, pmid=pmid, score=score, merged=link_set.merged)
                )


def _ask_openalex(http, papers: list[Paper], kinds: list[str], result: Related, links) -> None:
    from igbib.sources import openalex

    pmids = list(dict.fromkeys(p.pmid for p in papers if p.pmid))
    dois = list(dict.fromkeys(p.doi.lower() for p in papers if not p.pmid and p.doi))
    works = openalex.fetch_sources(http, pmids, dois)
    by_pmid = {w.pmid: w for w in works if w.pmid}
    by_doi = {w.doi: w for w in works if w.doi}
    pairs = []  # (source name, work)
    for paper in papers:
        work = by_pmid.get(paper.pmid) if paper.pmid else None
        if work is None and paper.doi:
            work = by_doi.get(paper.doi.lower())
        if work is None:
            result.not_found.setdefault("openalex", []).append(_source_name(paper))
        else:
            pairs.append((_source_name(paper), work))
    own = {work.id for _, work in pairs}
    wanted = [
        (source, kind, wid)
        for source, work in pairs
        for kind in kinds
        for wid in (work.related if kind == "related" else work.references)
        if wid not in own
    ]
    wids = list(dict.fromkeys(wid for _, _, wid in wanted))
    try:
        named = openalex.fetch_found(http, wids)
    except SourceError as exc:
        named = {}
        result.unnamed = str(exc)
    else:
        result.unnamed_works = sum(1 for wid in wids if wid not in named)
    for source, kind, wid in wanted:
        work = named.get(wid)
        links.append(
            Link(
                "openalex",
                kind,
                source,
                pmid=work.pmid if work else None,
                doi=work.doi if work else None,
                native=f"openalex:{wid}",
                title=work.title if work else None,
                year=work.year if work else None,
            )
        )


def _ask_s2(
    http, papers: list[Paper], kinds: list[str], result: Related, links, negatives=()
) -> None:
    from igbib.sources import semanticscholar as s2

    unique = list({_source_name(p): p for p in papers}.values())
    ids = s2.paper_ids(
        [p.pmid for p in unique if p.pmid], [p.doi.lower() for p in unique if not p.pmid and p.doi]
    )
    names = [p.pmid for p in unique if p.pmid] + [
        _source_name(p) for p in unique if not p.pmid and p.doi
    ]
    if "recommended" in kinds:
        source = names[0] if len(names) == 1 else SELECTION
        result.seeds_left_out = max(0, len(ids) - s2.MAX_SEEDS)
        unwanted = s2.paper_ids(
            [p.pmid for p in negatives if p.pmid],
            [p.doi.lower() for p in negatives if not p.pmid and p.doi],
        )
        for paper in s2.recommend(http, ids, RECOMMENDED, unwanted):
            links.append(_s2_link(paper, "recommended", source))
    if "references" in kinds:
        for name, paper in zip(names, s2.references(http, ids), strict=True):
            if paper is None:
                result.not_found.setdefault("s2", []).append(name)
                continue
            links.extend(_s2_link(cited, "references", name) for cited in paper.references)


def _s2_link(paper, kind: str, source: str) -> Link:
    return Link(
        "s2",
        kind,
        source,
        pmid=paper.pmid,
        doi=paper.doi,
        native=f"s2:{paper.paper_id}",
        title=paper.title,
        year=paper.year,
    )


_ASK = {"pubmed": _ask_pubmed, "openalex": _ask_openalex, "s2": _ask_s2}
