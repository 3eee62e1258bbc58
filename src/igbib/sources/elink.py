"""PubMed's links between papers through NCBI E-utilities ``elink``.

Similar articles (``pubmed_pubmed``), the papers citing a paper
(``pubmed_pubmed_citedin``) and those it cites (``pubmed_pubmed_refs``).

Each PMID is sent as its own ``id=`` parameter: PMIDs joined by commas in one
``id=`` come back as one merged set, which says nothing about which paper each
link belongs to. :func:`parse_elink` is pure (bytes of a real answer in, link
sets out); :func:`fetch_links` does the I/O through :class:`igbib.http.Http`,
one request per :data:`BATCH` PMIDs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from igbib.errors import SourceError
from igbib.sources.pubmed import _one_line, _params, _parse_xml, _reader

#: PMIDs per request (each its own ``id=``, in the address of a GET).
BATCH = 100
#: igbib's name of each kind of link, and PubMed's link name for it.
KINDS = {
    "similar": "pubmed_pubmed",
    "cited-by": "pubmed_pubmed_citedin",
    "references": "pubmed_pubmed_refs",
}
_KIND_OF = {name: kind for kind, name in KINDS.items()}


@dataclass
class LinkSet:
    """The links PubMed gave for one request's paper (or papers, when ``merged``)."""

    sources: list[str]
    #: (linked PMID, kind, score or None), in PubMed's order
    links: list[tuple[str, str, int | None]] = field(default_factory=list)
    #: several PMIDs answered as one set: each link belongs to one of them at least
    merged: bool = False
    #: what PubMed said instead of links (an ``<ERROR>`` of this set)
    error: str | None = None


def parse_elink(body: bytes | str) -> list[LinkSet]:
    """The link sets of an ``eLinkResult``; only the kinds in :data:`KINDS` are kept.

    An answer that is no elink result, or an ``<ERROR>`` for the whole request,
    is a :class:`SourceError`.
    """
    root = _parse_xml(body, "elink")
    if root.tag != "eLinkResult":
        raise SourceError(f"PubMed sent an answer that is not an elink result (<{root.tag[:40]}>)")
    top_error = root.find("ERROR")
    if top_error is not None and root.find("LinkSet") is None:
        raise SourceError(f"PubMed refused the request: {_one_line(top_error.text or '')}")
    sets = []
    for node in root.findall("LinkSet"):
        sources = [(i.text or "").strip() for i in node.findall("IdList/Id")]
        sources = [s for s in sources if s]
        found = LinkSet(sources=sources, merged=len(sources) > 1)
        error = node.find("ERROR")
        if error is not None:
            found.error = _one_line(error.text or "")
        for block in node.findall("LinkSetDb"):
            kind = _KIND_OF.get((block.findtext("LinkName") or "").strip())
            if kind is None:
                continue
            for link in block.findall("Link"):
                pmid = (link.findtext("Id") or "").strip()
                if not pmid.isdigit():
                    continue
                score = (link.findtext("Score") or "").strip()
                found.links.append((pmid, kind, int(score) if score.isdigit() else None))
        sets.append(found)
    return sets


def request_params(pmids: list[str], kinds: list[str]) -> tuple[str, dict]:
    """The query string holding one ``id=`` per PMID, and the other parameters.

    One kind asks for its link set alone, with scores (``cmd=neighbor_score``);
    several ask for every set of the papers (``cmd=neighbor``), of which igbib
    keeps those wanted.
    """
    params = {"dbfrom": "pubmed", "db": "pubmed", "retmode": "xml"}
    if len(kinds) == 1:
        params.update(cmd="neighbor_score", linkname=KINDS[kinds[0]])
    else:
        params["cmd"] = "neighbor"
    return urlencode([("id", p) for p in pmids]), params


def requests_needed(count: int) -> int:
    """How many requests :func:`fetch_links` makes for ``count`` PMIDs."""
    return -(-count // BATCH)


def fetch_links(http, pmids: list[str], kinds: list[str]) -> list[LinkSet]:
    """The link sets of ``pmids``, :data:`BATCH` PMIDs a request.

    A request that fails is a :class:`SourceError`: links are suggestions, and
    a partial answer would rank them wrongly.
    """
    sets: list[LinkSet] = []
    url = http.settings.eutils_url + "elink.fcgi"
    parse = _reader(http, "elink", parse_elink)
    for start in range(0, len(pmids), BATCH):
        query, params = request_params(pmids[start : start + BATCH], kinds)
        params = _params(http, **params)
        sets.extend(http.request("ncbi", "GET", f"{url}?{query}", params=params, parse=parse))
    return sets
