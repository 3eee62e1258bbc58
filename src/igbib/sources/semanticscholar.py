"""Semantic Scholar: papers recommended from a selection, and the papers each one cites.

- recommendations "like the whole selection" in one request:
  ``POST /recommendations/v1/papers/`` with ``{"positivePaperIds": ["PMID:…", …]}``
  (at most :data:`MAX_SEEDS` papers; ``limit`` up to :data:`MAX_RECOMMENDED`);
- the reference lists of up to :data:`BATCH` papers in one request:
  ``POST /graph/v1/paper/batch`` with ``{"ids": [...]}`` and
  ``fields=references.externalIds,…``, answered as a list in the order asked,
  with ``null`` for a paper Semantic Scholar does not hold.

Papers are named ``PMID:…`` or ``DOI:…``; the key goes in the ``x-api-key``
header. The parsers are pure; an answer of another shape is a
:class:`SourceError` of one line. These POST answers are not cached (the cache
keys requests by their address and form fields, not by a JSON body).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from igbib.errors import SourceError

#: papers a batch request may name (the API's limit)
BATCH = 500
#: papers given as positive examples in one recommendation request (igbib's choice)
MAX_SEEDS = 100
#: recommendations one request may return (the API's limit)
MAX_RECOMMENDED = 500
_FOUND_FIELDS = "externalIds,title,year"
REFERENCE_FIELDS = "externalIds,references.externalIds,references.title,references.year"


@dataclass
class S2Paper:
    """A paper as Semantic Scholar gave it (as much as was asked for)."""

    paper_id: str
    pmid: str | None = None
    doi: str | None = None  #: lower case
    title: str | None = None
    year: int | None = None
    references: list[S2Paper] = field(default_factory=list)


def parse_recommendations(body: bytes | str) -> list[S2Paper]:
    """The papers of a recommendations answer, best first."""
    data = _json(body)
    papers = data.get("recommendedPapers") if isinstance(data, dict) else None
    if not isinstance(papers, list):
        raise SourceError("Semantic Scholar sent recommendations without a recommendedPapers list")
    return [p for p in map(_paper, papers) if p is not None]


def parse_batch(body: bytes | str, asked: int) -> list[S2Paper | None]:
    """The papers of a batch answer, in the order asked; None where one was not found."""
    data = _json(body)
    if not isinstance(data, list):
        raise SourceError("Semantic Scholar sent a batch answer that is not a list")
    if len(data) != asked:
        raise SourceError(
            f"Semantic Scholar answered a batch of {asked} papers with {len(data)} entries"
        )
    papers: list[S2Paper | None] = []
    for item in data:
        paper = _paper(item)
        if paper is not None and isinstance(item.get("references"), list):
            paper.references = [r for r in map(_paper, item["references"]) if r is not None]
        papers.append(paper)
    return papers


def _json(body: bytes | str):
    try:
        return json.loads(body)
    except (ValueError, RecursionError) as exc:
        text = " ".join(str(exc).split())[:200]
        raise SourceError(f"Semantic Scholar sent an answer that is not JSON ({text})") from None


def _paper(item) -> S2Paper | None:
    if not isinstance(item, dict) or not isinstance(item.get("paperId"), str):
        return None  # null: not found; a reference Semantic Scholar cannot place has no id
    ids = item.get("externalIds") if isinstance(item.get("externalIds"), dict) else {}
    pmid = ids.get("PubMed")
    pmid = str(pmid).strip() if isinstance(pmid, (str, int)) else None
    doi = ids.get("DOI")
    doi = doi.strip().lower() if isinstance(doi, str) and doi.strip().startswith("10.") else None
    title = item.get("title")
    year = item.get("year")
    return S2Paper(
        paper_id=item["paperId"],
        pmid=pmid if pmid and pmid.isdigit() else None,
        doi=doi,
        title=" ".join(title.split()) if isinstance(title, str) and title.strip() else None,
        year=year if isinstance(year, int) and not isinstance(year, bool) else None,
    )


# -- requests -------------------------------------------------------------------


def paper_ids(pmids: list[str], dois: list[str]) -> list[str]:
    """Semantic Scholar's names of these papers: ``PMID:…``, then ``DOI:…``."""
    return [f"PMID:{p}" for p in pmids] + [f"DOI:{d}" for d in dois]


def recommend(http, ids: list[str], limit: int, negatives: list[str] = ()) -> list[S2Paper]:
    """Papers like all of ``ids`` together (the first :data:`MAX_SEEDS`) and unlike
    ``negatives`` (as many), best first."""
    url = http.settings.s2_url + "recommendations/v1/papers/"
    params = {"fields": _FOUND_FIELDS, "limit": str(max(1, min(limit, MAX_RECOMMENDED)))}
    body = {"positivePaperIds": ids[:MAX_SEEDS], "negativePaperIds": list(negatives)[:MAX_SEEDS]}
    answer = _post(http, url, params, body)
    return parse_recommendations(answer.content)


def references(http, ids: list[str]) -> list[S2Paper | None]:
    """Each paper of ``ids`` with its references, in order; None for one not found."""
    url = http.settings.s2_url + "graph/v1/paper/batch"
    found: list[S2Paper | None] = []
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        answer = _post(http, url, {"fields": REFERENCE_FIELDS}, {"ids": batch})
        found.extend(parse_batch(answer.content, len(batch)))
    return found


def requests_needed(count: int) -> int:
    """How many batch requests the references of ``count`` papers take."""
    return -(-count // BATCH)


def _post(http, url: str, params: dict, body: dict):
    headers = {"Content-Type": "application/json"}
    if http.settings.s2_api_key:
        headers["x-api-key"] = http.settings.s2_api_key
    answer = http.request("s2", "POST", url, params=params, data=json.dumps(body), headers=headers)
    if answer.status_code != 200:
        raise SourceError(
            f"Semantic Scholar answered HTTP {answer.status_code}{_said(http, answer)}"
        )
    return answer


def _said(http, answer) -> str:
    """``: the error it gave`` (its ``error`` or ``message``, else its text; secrets masked)."""
    from igbib.config import redact

    text = answer.text
    try:
        data = json.loads(answer.content)
    except (ValueError, RecursionError):
        data = None
    if isinstance(data, dict):
        said = data.get("error") or data.get("message")
        if isinstance(said, str):
            text = said
    text = redact(" ".join(text[:200].split()), http.settings.secrets())
    return f": {text}" if text else ""
