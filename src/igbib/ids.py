"""Identifiers: PMID, PMCID, DOI and arXiv ids, bare or inside a URL.

The one table of identifier kinds (:data:`KINDS`, :data:`LABELS`,
:func:`normalize`) for every place that reads, stores, matches or shows an
identifier: the importers, the online sources, the store, search, ``igbib show
REF`` and ``igbib add``. Every function is pure; nothing here touches the network.

Normal forms (what the library stores and compares):

- PMID: the digits, no leading zeros (``24827998``)
- PMCID: ``PMC`` and the digits (``PMC4141648``)
- DOI: lower case, no ``doi:`` or resolver prefix, URL-decoded (``10.1038/ncomms5006``);
  DOIs are case-insensitive by definition, so lower case loses nothing
- arXiv: the id without ``arXiv:`` and without a version (``1902.00001``, ``hep-th/9901001``)
"""

from __future__ import annotations

import re

from igbib.errors import InvalidIdentifier

#: The identifier kinds, in the order igbib prefers them (to show, to fetch by).
KINDS = ("pmid", "pmcid", "doi", "arxiv")
#: How each kind is named to users.
LABELS = {"pmid": "PMID", "pmcid": "PMCID", "doi": "DOI", "arxiv": "arXiv id"}

_PMID = re.compile(r"^(?:pmid:?\s*)?0*([1-9][0-9]{0,8})$", re.I)
_PMCID = re.compile(r"^(?:pmcid:?\s*)?pmc\s*0*([1-9][0-9]{0,9})$", re.I)
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_DOI_PREFIX = re.compile(
    r"^(?:doi:\s*|(?:https?://)?(?:dx\.)?doi\.org/|(?:https?://)?hdl\.handle\.net/)", re.I
)
_ARXIV_NEW = re.compile(r"^(\d{4}\.\d{4,5})(?:v\d+)?$")
_ARXIV_OLD = re.compile(r"^([a-z-]+(?:\.[a-z]{2})?/\d{7})(?:v\d+)?$", re.I)
_ARXIV_PREFIX = re.compile(r"^arxiv:\s*", re.I)
# Publisher pages that carry the DOI in their path: ``/doi/10...``, ``/doi/abs/10...``,
# Springer's ``/article/10...``, Frontiers' ``/articles/10...``, bioRxiv's ``/content/10...``,
# BioMed Central's ``/track/pdf/10....pdf``.
_PUBLISHER_DOI_PATH = re.compile(
    r"/(?:doi(?:/(?:abs|full|pdf|epdf|pdfdirect|reader|book))?|article|articles|chapter|content"
    r"|content/pdf|track/pdf)/(10\.\d{4,9}/.+)$",
    re.I,
)
_BIORXIV_EARLY = re.compile(
    r"/early/\d{4}/\d{2}/\d{2}/((?:\d{4}\.\d{2}\.\d{2}\.)?\d{6})(?:v\d+)?(?:[./]|$)"
)
_PAGE_SUFFIX = re.compile(r"/(?:full|abstract|pdf|epdf|html|meta|fulltext)/?$", re.I)
_BIORXIV_SUFFIX = re.compile(r"(v\d+)?(\.full(\.pdf)?|\.abstract|\.pdf)?/?$", re.I)
_TRAILING = ".,;:'\"]}>"
_RUN_TOGETHER = re.compile(r"\]\(|%5D\(", re.I)
#: Oxford Academic's page number for an article, after its DOI in the page's path
_OUP_ARTICLE_NUMBER = re.compile(r"^(10\.\d{4,9}/[^/]+/[^/]+)/\d+/?$")
#: ``arXiv preprint arXiv:2306.11650`` (BibTeX ``journal``, Google Scholar's form)
_ARXIV_IN_TEXT = re.compile(r"\barxiv\s*:\s*([a-z-]+(?:\.[a-z]{2})?/\d{7}|\d{4}\.\d{4,5})", re.I)


def normalize_pmid(text: str) -> str | None:
    m = _PMID.match(text.strip())
    return m.group(1) if m else None


def normalize_pmcid(text: str) -> str | None:
    m = _PMCID.match(text.strip())
    return f"PMC{m.group(1)}" if m else None


def normalize_doi(text: str) -> str | None:
    """The normal form of a DOI, or None if ``text`` is not one."""
    doi = _DOI_PREFIX.sub("", text.strip())
    if "%" in doi:  # urllib.parse only when needed: it is slow to import
        from urllib.parse import unquote

        doi = unquote(doi)
    doi = doi.strip()
    doi = _strip_trailing(doi)
    if not _DOI.match(doi):
        return None
    return doi.lower()


def normalize_arxiv(text: str) -> str | None:
    t = _ARXIV_PREFIX.sub("", text.strip())
    m = _ARXIV_NEW.match(t) or _ARXIV_OLD.match(t)
    return m.group(1) if m else None


def arxiv_in_text(text: str | None) -> str | None:
    """The arXiv id a piece of text names as ``arXiv:ID`` (``arXiv preprint arXiv:2306.11650``)."""
    m = _ARXIV_IN_TEXT.search(text or "")
    return normalize_arxiv(m.group(1)) if m else None


def _strip_trailing(text: str) -> str:
    """Drop punctuation that ends a sentence rather than an identifier.

    A closing parenthesis is kept when it closes one opened inside the id
    (``10.1016/S0140-6736(12)61728-0``).
    """
    while text:
        last = text[-1]
        if last in _TRAILING or (last == ")" and text.count("(") < text.count(")")):
            text = text[:-1]
        else:
            break
    return text


def ids_from_url(url: str) -> dict[str, str]:
    """The identifiers a link points at: ``{}`` for a link that names none."""
    # ``…/10.1101/2023.01.15.524109v1](https://academic.oup.com/…)``: two Markdown links
    # run together in one address (``%5D(`` once encoded); the first is the address
    url = _RUN_TOGETHER.split(url.strip(), maxsplit=1)[0]
    if not url:
        return {}
    if "://" not in url and not url.startswith("//"):
        url = "https://" + url
    from urllib.parse import unquote, urlsplit

    try:
        parts = urlsplit(url)
    except ValueError:  # ``http://[zz``: not an address (a raw HTML href may be anything)
        return {}
    host = (parts.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    path = parts.path
    segments = [s for s in path.split("/") if s]

    if host in ("doi.org", "dx.doi.org"):
        doi = normalize_doi(unquote(path.lstrip("/")))
        return {"doi": doi} if doi else {}
    if host == "pubmed.ncbi.nlm.nih.gov" and segments:
        pmid = normalize_pmid(segments[0])
        return {"pmid": pmid} if pmid else {}
    if host == "ncbi.nlm.nih.gov" or host.endswith(".ncbi.nlm.nih.gov"):
        return _ncbi_ids(host, segments, parts.query)
    if host == "europepmc.org":
        return _europepmc_ids(segments)
    if host in ("arxiv.org", "export.arxiv.org") and len(segments) >= 2:
        if segments[0] in ("abs", "pdf", "html"):
            ident = "/".join(segments[1:])
        elif segments[:3] == ["ftp", "arxiv", "papers"] and len(segments) == 5:
            ident = segments[4]  # /ftp/arxiv/papers/2206/2206.02392.pdf
        else:
            return {}
        if ident.endswith(".pdf"):
            ident = ident[:-4]
        arxiv = normalize_arxiv(ident)
        return {"arxiv": arxiv} if arxiv else {}
    if host.endswith(("biorxiv.org", "medrxiv.org")):
        # /content/biorxiv/early/2024/09/21/2024.09.16.613342.full.pdf: the DOI's suffix
        m = _BIORXIV_EARLY.search(path)
        if m:
            return {"doi": f"10.1101/{m.group(1)}"}
    if host == "nature.com" and len(segments) == 2 and segments[0] == "articles":
        article = segments[1]
        if article.endswith(".pdf"):
            article = article[:-4]
        doi = normalize_doi(f"10.1038/{article}")
        return {"doi": doi} if doi else {}

    m = _PUBLISHER_DOI_PATH.search(unquote(path))
    if m:
        doi_text = m.group(1)
        if host.endswith(("biorxiv.org", "medrxiv.org")):
            doi_text = _BIORXIV_SUFFIX.sub("", doi_text)
        elif doi_text.lower().endswith(".pdf"):  # the article's PDF, not part of its DOI
            doi_text = doi_text[:-4]
        doi_text = _PAGE_SUFFIX.sub("", doi_text)  # Frontiers' ``/articles/10…/full``
        if host.endswith("oup.com"):  # ``/doi/10.1093/database/baw068/2630414``
            doi_text = _OUP_ARTICLE_NUMBER.sub(r"\1", doi_text)
        doi = normalize_doi(doi_text.rstrip("/"))
        if doi:
            return {"doi": doi}
    for key in ("doi", "id"):
        for value in _query_values(parts.query, key):
            doi = normalize_doi(value)
            if doi:
                return {"doi": doi}
    return {}


#: PubMed's own pages, which are no papers' addresses.
_PUBMED_PAGES = frozenset(
    "advanced clipboard collections help trending about myncbi search".split()
)


def malformed_ids(url: str) -> dict[str, str]:
    """``{kind: text}`` for a link to an identifier's own address whose identifier is
    not one (``pubmed.ncbi.nlm.nih.gov/abc``, ``doi.org/notadoi``, ``pmc/articles/PMCxyz``,
    ``arxiv.org/abs/99999.1``): a broken link, not a web page. ``{}`` for any other link."""
    if ids_from_url(url):
        return {}
    from urllib.parse import unquote, urlsplit

    text = url.strip()
    if "://" not in text and not text.startswith("//"):
        text = "https://" + text
    try:
        parts = urlsplit(text)
    except ValueError:
        return {}
    host = (parts.hostname or "").lower().removeprefix("www.")
    segments = [unquote(s) for s in parts.path.split("/") if s]
    if host in ("doi.org", "dx.doi.org") and segments:
        return {"doi": "/".join(segments)}
    if host == "pubmed.ncbi.nlm.nih.gov" and segments and segments[0] not in _PUBMED_PAGES:
        return {"pmid": segments[0]}
    if host == "ncbi.nlm.nih.gov" and len(segments) >= 2 and segments[0] == "pubmed":
        return {"pmid": segments[1]}
    if host.endswith("ncbi.nlm.nih.gov") and "articles" in segments[:2]:
        after = segments[segments.index("articles") + 1 :]
        if after and after[0] != "pmid":
            return {"pmcid": after[0]}
    if host == "arxiv.org" and len(segments) >= 2 and segments[0] in ("abs", "pdf"):
        return {"arxiv": "/".join(segments[1:])}
    return {}


def _query_values(query: str, key: str) -> list[str]:
    from urllib.parse import parse_qs

    return parse_qs(query).get(key, [])


def _ncbi_ids(host: str, segments: list[str], query: str) -> dict[str, str]:
    if host == "pmc.ncbi.nlm.nih.gov" and len(segments) >= 2 and segments[0] == "articles":
        pmcid = normalize_pmcid(segments[1])
        return {"pmcid": pmcid} if pmcid else {}
    if not segments:
        return {}
    if segments[0] == "pubmed":
        if len(segments) >= 2:
            pmid = normalize_pmid(segments[1])
            return {"pmid": pmid} if pmid else {}
        for term in _query_values(query, "term"):
            pmid = normalize_pmid(term)
            if pmid:
                return {"pmid": pmid}
        return {}
    if segments[0] == "pmc" and len(segments) >= 3 and segments[1] == "articles":
        if segments[2] == "pmid" and len(segments) >= 4:  # /pmc/articles/pmid/26377073/
            pmid = normalize_pmid(segments[3])
            return {"pmid": pmid} if pmid else {}
        pmcid = normalize_pmcid(segments[2])
        return {"pmcid": pmcid} if pmcid else {}
    return {}


def _europepmc_ids(segments: list[str]) -> dict[str, str]:
    # europepmc.org/article/MED/12345, /article/PMC/PMC123, /abstract/MED/12345
    if len(segments) >= 3 and segments[0] in ("article", "abstract", "articles"):
        source, ident = segments[1].upper(), segments[2]
        if source == "MED":
            pmid = normalize_pmid(ident)
            return {"pmid": pmid} if pmid else {}
        if source in ("PMC", "PMCID"):
            pmcid = normalize_pmcid(ident)
            return {"pmcid": pmcid} if pmcid else {}
    return {}


_NORMALIZERS = {
    "pmid": normalize_pmid,
    "pmcid": normalize_pmcid,
    "doi": normalize_doi,
    "arxiv": normalize_arxiv,
}


def normalize(kind: str, text: str) -> str | None:
    """The normal form of ``text`` as an identifier of ``kind``, or None if it is not one."""
    return _NORMALIZERS[kind](str(text))


def set_identifiers(paper, raw=(), *, guesses=None, links=()) -> None:
    """Give ``paper`` the identifiers a record names, each in its normal form.

    Every importer and source stores identifiers through here, so a PMID written
    ``0024827998`` by one file and ``24827998`` by PubMed is one PMID.

    - ``raw``: what the record gives for each kind of :data:`KINDS`, as a mapping
      ``{kind: text}`` or as ``(kind, text)`` pairs, best first, when a record may
      give a kind more than once. The first valid text of a kind wins. When a kind
      is given but none of its texts is valid, the first is kept, as written, in
      ``paper.extra[kind]``: the error channel :func:`igbib.ops.flags.paper_flags`
      reports as ``bad-identifier`` (see :class:`igbib.model.Paper`).
    - ``guesses``: ``{kind: text}`` for fields that may hold an identifier but need
      not (RIS's accession number is a PMID in PubMed's files and a Web of Science
      id in others): taken when valid, otherwise ignored without a flag.
    - ``links``: URLs; the identifiers they name fill the kinds still missing.

    Empty texts count as not given.
    """
    pairs = raw.items() if isinstance(raw, dict) else raw
    bad: dict[str, str] = {}
    found: dict[str, str] = {}
    for kind, text in pairs:
        text = "" if text is None else str(text).strip()
        if not text or kind in found:
            continue
        value = normalize(kind, text)
        if value:
            found[kind] = value
        else:
            bad.setdefault(kind, text)
    for kind, text in (guesses or {}).items():
        value = normalize(kind, text) if text is not None and kind not in found else None
        if value:
            found[kind] = value
    for kind, value in found.items():
        setattr(paper, kind, value)
    for kind, text in bad.items():
        if kind not in found:
            paper.extra[kind] = text
    for link in links:
        for kind, value in ids_from_url(link).items():
            if not getattr(paper, kind):
                setattr(paper, kind, value)
    for link in links:  # a broken identifier link: kept, as written, to be flagged
        for kind, text in malformed_ids(link).items():
            if not getattr(paper, kind) and kind not in paper.extra:
                paper.extra[kind] = text


def parse_identifier(text: str) -> tuple[str, str]:
    """``(kind, value)`` for one identifier typed by a user, bare or as a URL.

    Raises :class:`InvalidIdentifier` naming the text when it is none of them.
    """
    raw = text.strip()
    if not raw:
        raise InvalidIdentifier("empty identifier")
    for kind in KINDS:
        value = normalize(kind, raw)
        if value:
            return kind, value
    if re.match(r"^(https?://|www\.)", raw, re.I):
        found = ids_from_url(raw)
        for kind in KINDS:
            if kind in found:
                return kind, found[kind]
        raise InvalidIdentifier(f"no PMID, PMCID, DOI or arXiv id in the link {raw!r}")
    raise InvalidIdentifier(f"{raw!r} is not a PMID, PMCID, DOI, arXiv id or article link")


def pubmed_url(pmid: str) -> str:
    return f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/"


def pmc_url(pmcid: str) -> str:
    return f"https://www.ncbi.nlm.nih.gov/pmc/articles/{pmcid}/"


def doi_url(doi: str) -> str:
    return f"https://doi.org/{doi}"


def arxiv_url(arxiv: str) -> str:
    return f"https://arxiv.org/abs/{arxiv}"
