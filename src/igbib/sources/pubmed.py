"""PubMed through NCBI E-utilities: ``efetch`` (records), ``esearch`` (queries).

``parse_efetch``, ``read_efetch`` and ``parse_esearch`` are pure: bytes of a real
response in, papers or ids out. The fetch functions do the I/O through
:class:`igbib.http.Http`: one ``efetch`` per 200 PMIDs (POST beyond a short list,
as NCBI asks), with ``tool``, ``email`` and ``api_key`` sent as NCBI's usage
policy wants.

Each record of an efetch answer is read on its own: a record of an unexpected
shape fails its PMID only, with the cause, and a batch that fails (the service
down, an unreadable answer) fails its PMIDs only; the others are kept.

A response is untrusted input. It is parsed with the C parser of the standard
library (defusedxml's pure-Python parser took as long as the rest of ``add``),
which reads no external DTD or entity, after refusing any answer that declares
entities (:func:`_refuse_entities`: what defusedxml forbids by default, and all a
"billion laughs" or an external entity needs).
"""

from __future__ import annotations

import gc
import re
from contextlib import contextmanager
from dataclasses import dataclass, field

from igbib import ids, normalize
from igbib.errors import SourceError
from igbib.model import Paper

BATCH = 200
GET_LIMIT = 40  # ids per GET; longer lists are POSTed
_SPACE = re.compile(r"\s+")
_YEAR = re.compile(r"\b\d{4}\b")
#: What a record of an unexpected shape raises while it is read.
_SHAPE_ERRORS = (AttributeError, TypeError, ValueError, KeyError, IndexError, RecursionError)


def _refuse_entities(body: bytes | str, what: str) -> None:
    """Refuse what the parser must not see: entity declarations, and encodings the check
    below cannot read (an entity is declared with ``<!ENTITY`` in the document itself,
    as the parser loads no external DTD)."""
    head = body[:4]
    if isinstance(body, bytes):
        if b"\x00" in head or head.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise SourceError(f"PubMed sent an {what} answer that is not UTF-8; refused")
        declares = b"<!ENTITY" in body
    else:
        declares = "<!ENTITY" in body
    if declares:
        raise SourceError(f"PubMed sent an {what} answer that declares XML entities; refused")


def _unreadable(what: str, exc) -> SourceError:
    return SourceError(f"PubMed sent an unreadable {what} answer ({_one_line(exc)})")


def _one_line(exc) -> str:
    return " ".join(str(exc).split())[:200]


def _parse_xml(body: bytes | str, what: str):
    from xml.etree.ElementTree import ParseError, fromstring

    _refuse_entities(body, what)
    try:
        return fromstring(body)
    except (ParseError, RecursionError) as exc:
        raise _unreadable(what, exc) from None


def _children(body: bytes | str, what: str):
    """``(root tag, None)``, then ``(tag, element)`` for each child of the root.

    Each child is dropped from the tree once the caller has it, so the records
    read are freed as the next ones are. A document cut short or malformed is a
    :class:`SourceError` before any child: nothing in it is trusted.
    """
    root = _parse_xml(body, what)
    yield root.tag, None
    while len(root):
        child = root[0]
        yield child.tag, child
        del root[0]


def _text(element) -> str | None:
    """An element's text with inline markup (``<i>``, ``<sup>``, ``<sub>``) flattened."""
    if element is None:
        return None
    text = element.text
    if len(element) == 0 and text is not None:
        text = " ".join(text.split())  # no markup: no need to walk the element
    else:
        text = _SPACE.sub(" ", "".join(element.itertext())).strip()
    return text or None


def parse_efetch(body: bytes | str) -> list[Paper]:
    """Papers from an efetch ``PubmedArticleSet`` (articles and book articles).

    A record igbib cannot read is left out; :func:`read_efetch` says which and why.
    """
    return read_efetch(body)[0]


@contextmanager
def _collector_paused():
    """The cyclic garbage collector paused while one answer is read.

    An answer's element tree and its papers are hundreds of thousands of objects,
    none in a cycle; the collector, run every 700 new objects, would scan them,
    and the papers of the answers before, again and again: a third of the time
    of reading 20,000 records. One answer is at most :data:`igbib.http.MAX_ANSWER_BYTES`.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def read_efetch(body: bytes | str) -> tuple[list[Paper], dict[str, str]]:
    """``(papers, {PMID: why its record cannot be read})`` from an efetch answer.

    An answer that is no efetch result (an ``<ERROR>``, an HTML page, XML cut
    short) is a :class:`SourceError`: nothing in it is trusted.
    """
    with _collector_paused():
        return _read_efetch(body)


def _read_efetch(body: bytes | str) -> tuple[list[Paper], dict[str, str]]:
    papers: list[Paper] = []
    bad: dict[str, str] = {}
    for tag, node in _children(body, "efetch"):
        if node is None:
            if tag not in ("PubmedArticleSet", "eFetchResult"):
                raise SourceError(
                    f"PubMed sent an answer that is not an efetch result (<{tag[:40]}>)"
                )
            continue
        if tag == "ERROR":
            raise SourceError(f"PubMed refused the request: {_one_line(node.text or '')}")
        if tag not in ("PubmedArticle", "PubmedBookArticle"):
            continue
        pmid = _record_pmid(node)
        try:
            paper = _article(node) if tag == "PubmedArticle" else _book(node)
        except _SHAPE_ERRORS as exc:
            reason = f"{type(exc).__name__}: {_one_line(exc)}"
            bad[pmid or f"record {len(papers) + len(bad) + 1}"] = (
                f"PubMed's record of PMID {pmid} cannot be read ({reason})"
                if pmid
                else f"PubMed sent a record without a PMID ({reason})"
            )
            continue
        if not paper.pmid:
            bad[f"record {len(papers) + len(bad) + 1}"] = "PubMed sent a record without a PMID"
            continue
        papers.append(paper)
    return papers, bad


def _record_pmid(node) -> str | None:
    text = node.findtext("MedlineCitation/PMID") or node.findtext("BookDocument/PMID")
    return ids.normalize_pmid(text) if text else None


def _article(node) -> Paper:
    citation = node.find("MedlineCitation")
    article = citation.find("Article") if citation is not None else None
    if article is None:
        raise ValueError("no MedlineCitation/Article")
    journal = article.find("Journal")
    issue = journal.find("JournalIssue") if journal is not None else None
    paper = Paper(
        entry_type="article",
        title=_title(article.find("ArticleTitle")) or _title(article.find("VernacularTitle")),
        journal=_text(journal.find("Title")) if journal is not None else None,
        volume=_text(issue.find("Volume")) if issue is not None else None,
        issue=_text(issue.find("Issue")) if issue is not None else None,
        pages=_pages(article),
        abstract=_abstract(article.find("Abstract")),
        language=_text(article.find("Language")),
        source="pubmed",
    )
    paper.authors, paper.et_al = _authors(article.find("AuthorList"))
    pub_date = issue.find("PubDate") if issue is not None else None
    _set_date(paper, pub_date, article.find("ArticleDate"))
    abbrev = journal.findtext("ISOAbbreviation") if journal is not None else None
    if abbrev:
        paper.extra["journal_abbrev"] = abbrev
    issn = journal.findtext("ISSN") if journal is not None else None
    if issn:
        paper.extra["issn"] = issn
    ids.set_identifiers(
        paper,
        _identifiers(
            citation.findtext("PMID"),
            node.find("PubmedData/ArticleIdList"),
            article.findall("ELocationID"),
        ),
    )
    paper.mesh = [
        t
        for t in (
            _text(h.find("DescriptorName"))
            for h in citation.iterfind("MeshHeadingList/MeshHeading")
        )
        if t
    ]
    paper.concepts = _concepts(citation)
    paper.keywords = [t for t in (_text(k) for k in citation.iterfind("KeywordList/Keyword")) if t]
    paper.pub_types = [
        t for t in (_text(p) for p in article.iterfind("PublicationTypeList/PublicationType")) if t
    ]
    return paper


def _concepts(citation) -> list[dict]:
    """The MeSH concepts a citation is indexed with, each ``{"ui", "name", "kind"}``: its
    descriptors (``major``: a major topic), supplementary concepts and chemicals."""
    out: list[dict] = []
    for heading in citation.iterfind("MeshHeadingList/MeshHeading"):
        descriptor = heading.find("DescriptorName")
        name = _text(descriptor) if descriptor is not None else None
        if name:
            concept = {"ui": descriptor.get("UI"), "name": name, "kind": "descriptor"}
            concept["major"] = descriptor.get("MajorTopicYN") == "Y"
            out.append(concept)
    for kind, path in (
        ("supplementary", "SupplMeshList/SupplMeshName"),
        ("chemical", "ChemicalList/Chemical/NameOfSubstance"),
    ):
        for node in citation.iterfind(path):
            name = _text(node)
            if name:
                out.append({"ui": node.get("UI"), "name": name, "kind": kind})
    return out


def _book(node) -> Paper:
    document = node.find("BookDocument")
    if document is None:
        raise ValueError("no BookDocument")
    book = document.find("Book")
    chapter_title = _title(document.find("ArticleTitle"))
    book_title = _title(book.find("BookTitle")) if book is not None else None
    paper = Paper(
        entry_type="incollection" if chapter_title else "book",
        title=chapter_title or book_title,
        journal=book_title if chapter_title else None,
        publisher=_text(book.find("Publisher/PublisherName")) if book is not None else None,
        abstract=_abstract(document.find("Abstract")),
        language=_text(document.find("Language")),
        source="pubmed",
    )
    authors = document.find("AuthorList")
    if authors is None and book is not None:
        authors = book.find("AuthorList")
    paper.authors, paper.et_al = _authors(authors)
    _set_date(paper, book.find("PubDate") if book is not None else None)
    locations = book.findall("ELocationID") if book is not None else []
    ids.set_identifiers(
        paper, _identifiers(document.findtext("PMID"), document.find("ArticleIdList"), locations)
    )
    if book is not None:
        isbn = book.findtext("Isbn")
        if isbn:
            paper.extra["isbn"] = isbn
    paper.pub_types = [t for t in (_text(p) for p in document.iterfind("PublicationType")) if t]
    paper.keywords = [t for t in (_text(k) for k in document.iterfind("KeywordList/Keyword")) if t]
    return paper


def _title(element) -> str | None:
    """PubMed ends titles with a period; a list and a BibTeX file do not."""
    title = _text(element)
    if title and title.endswith(".") and not title.endswith("..."):
        title = title[:-1]
    return title


def _authors(author_list) -> tuple[list[dict], bool]:
    if author_list is None:
        return [], False
    authors = []
    for author in author_list.iterfind("Author"):
        if author.get("ValidYN", "Y") != "Y":
            continue
        collective = _text(author.find("CollectiveName"))
        if collective:
            person = {"literal": collective}
        else:
            family = _text(author.find("LastName"))
            if not family:
                continue
            person = {"family": family}
            given = _text(author.find("ForeName")) or _text(author.find("Initials"))
            if given:
                person["given"] = given
            suffix = _text(author.find("Suffix"))
            if suffix:
                person["suffix"] = suffix
        for identifier in author.iterfind("Identifier"):
            if identifier.get("Source") == "ORCID" and identifier.text:
                person["orcid"] = identifier.text.strip().rsplit("/", 1)[-1]
        authors.append(person)
    return authors, author_list.get("CompleteYN", "Y") == "N"


def _set_date(paper: Paper, *nodes) -> None:
    """Year and month from PubDate (Year/Month or MedlineDate ``2013 Nov-Dec``) or ArticleDate."""
    dates = []  # (year, month) texts of each date given, best first
    for node in nodes:
        if node is None:
            continue
        year_text, month_text = node.findtext("Year") or "", node.findtext("Month") or ""
        medline = node.findtext("MedlineDate") or ""
        if not year_text and medline:
            m = _YEAR.search(medline)
            year_text = m.group() if m else ""
            parts = medline.split()
            month_text = month_text or (parts[1] if len(parts) > 1 else "")
        if year_text:
            dates.append((year_text, month_text))
    normalize.set_year(paper, *(year for year, _ in dates))
    for year, month in dates:
        if normalize.year(year):
            paper.month = normalize.month(month.partition("-")[0])
            break


def _pages(article) -> str | None:
    pages = article.findtext("Pagination/MedlinePgn")
    if pages:
        return normalize.pages(pages)
    for location in article.iterfind("ELocationID"):
        if location.get("EIdType") != "doi" and location.text:
            return location.text.strip()
    return None


def _abstract(abstract) -> str | None:
    if abstract is None:
        return None
    parts = []
    for section in abstract.iterfind("AbstractText"):
        text = _text(section)
        if not text:
            continue
        label = section.get("Label")
        parts.append(f"{label}: {text}" if label else text)
    return "\n\n".join(parts) or None


_ID_TYPES = {"pubmed": "pmid", "pmc": "pmcid", "doi": "doi"}


def _identifiers(pmid: str | None, id_list, locations) -> list[tuple[str, str | None]]:
    """``(kind, text)`` of every identifier a record gives, in the order they are trusted."""
    found = [("pmid", pmid)]
    if id_list is not None:
        for article_id in id_list.iterfind("ArticleId"):
            kind = _ID_TYPES.get(article_id.get("IdType"))
            if kind:
                found.append((kind, article_id.text))
    found.extend(("doi", loc.text) for loc in locations if loc.get("EIdType") == "doi")
    return found


def parse_esearch(body: bytes | str) -> tuple[int, list[str], list[str]]:
    """``(count, pmids, phrases PubMed did not find)`` from an esearch answer."""
    root = _parse_xml(body, "esearch")
    if root.tag != "eSearchResult":
        raise SourceError(f"PubMed sent an answer that is not a search result (<{root.tag[:40]}>)")
    error = root.findtext("ERROR")
    if error:
        raise SourceError(f"PubMed refused the search: {_one_line(error)}")
    try:
        count = int(root.findtext("Count") or 0)
    except ValueError:
        raise SourceError("PubMed sent a search result whose count is not a number") from None
    pmids = [i.text.strip() for i in root.iterfind("IdList/Id") if i.text and i.text.strip()]
    missing = [p.text.strip() for p in root.iterfind("ErrorList/PhraseNotFound") if p.text]
    return count, pmids, missing


# -- I/O -------------------------------------------------------------------------


@dataclass
class Fetched:
    """What efetch gave for some PMIDs."""

    papers: list[Paper] = field(default_factory=list)
    #: PMID -> why it was not fetched (the batch failed) or its record not read
    failed: dict[str, SourceError] = field(default_factory=dict)
    #: PMIDs PubMed returned no record for
    missing: list[str] = field(default_factory=list)


def _params(http, **params) -> dict:
    params["tool"] = "igbib"
    if http.settings.email:
        params["email"] = http.settings.email
    if http.settings.ncbi_api_key:
        params["api_key"] = http.settings.ncbi_api_key
    return params


def fetch(http, pmids: list[str], progress=None) -> Fetched:
    """Records for ``pmids`` in batches of 200 (``IGBIB_EFETCH_BATCH``).

    A batch that fails fails its PMIDs only, and a record that cannot be read its
    own PMID only; the papers of the others are kept. ``progress(done)`` is told
    how many PMIDs have been asked after each batch.
    """
    result = Fetched()
    url = http.settings.eutils_url + "efetch.fcgi"
    size = getattr(http.settings, "efetch_batch", BATCH)
    for start in range(0, len(pmids), size):
        batch = pmids[start : start + size]
        params = _params(http, db="pubmed", retmode="xml", id=",".join(batch))
        parse = _reader(http, "efetch", read_efetch)
        try:
            if len(batch) <= GET_LIMIT:
                papers, bad = http.request("ncbi", "GET", url, params=params, parse=parse)
            else:
                papers, bad = http.request("ncbi", "POST", url, data=params, parse=parse)
        except SourceError as exc:
            for pmid in batch:
                result.failed[pmid] = exc
        else:
            result.papers.extend(papers)
            returned = {p.pmid for p in papers}
            unread = [why for pmid, why in bad.items() if pmid not in batch]
            for pmid in batch:
                if pmid in bad:
                    result.failed[pmid] = SourceError(bad[pmid])
                elif pmid not in returned and unread:
                    # a record without a readable PMID may have been this one
                    result.failed[pmid] = SourceError(unread[0])
                elif pmid not in returned:
                    result.missing.append(pmid)
        if progress:
            progress(min(start + size, len(pmids)))
    return result


def search(http, term: str, *, retmax: int = 20, mindate: int | None = None):
    """``(count, pmids, phrases not found)`` for a PubMed query, newest first."""
    params = _params(
        http, db="pubmed", retmode="xml", term=term, retmax=str(retmax), sort="pub_date"
    )
    if mindate:
        params.update(datetype="pdat", mindate=str(mindate), maxdate="3000")
    url = http.settings.eutils_url + "esearch.fcgi"
    parse = _reader(http, "esearch", parse_esearch)
    if len(term) > 1500:
        return http.request("ncbi", "POST", url, data=params, parse=parse)
    return http.request("ncbi", "GET", url, params=params, parse=parse)


#: The most ids one esearch answer holds (NCBI's limit for retmax).
SEARCH_PAGE = 10000


def search_entered(
    http, term: str, *, since: str | None = None, until: str | None = None, count_only=False
) -> tuple[int, list[str]]:
    """``(count, pmids)`` of the papers ``term`` finds that PubMed entered (its Entrez date,
    EDAT) from ``since`` to ``until`` (``YYYY/MM/DD``, both days included), every page.

    ``count_only``: the count alone, in one request (a watch's baseline).
    """
    params = _params(http, db="pubmed", retmode="xml", term=term, sort="pub_date")
    if since:
        params.update(datetype="edat", mindate=since, maxdate=until or "3000")
    url = http.settings.eutils_url + "esearch.fcgi"
    parse = _reader(http, "esearch", parse_esearch)
    pmids: list[str] = []
    start = 0
    while True:
        params.update(retstart=str(start), retmax="0" if count_only else str(SEARCH_PAGE))
        if len(term) > 1500:
            answer = http.request("ncbi", "POST", url, data=params, parse=parse, fresh=True)
        else:
            answer = http.request("ncbi", "GET", url, params=params, parse=parse, fresh=True)
        count, ids, _missing = answer
        pmids.extend(ids)
        start += len(ids)
        if count_only or not ids or start >= count:
            return count, list(dict.fromkeys(pmids))


def _reader(http, what: str, read):
    """What makes a value of an answer: ``read`` of its body, or the error of another status."""

    def parse(answer):
        _check(http, answer, what)
        return read(answer.content)

    return parse


def _check(http, response, what: str) -> None:
    if response.status_code != 200:
        from igbib.config import redact

        text = redact(" ".join(response.text[:200].split()), http.settings.secrets())
        said = f": {text}" if text else ""
        raise SourceError(f"PubMed {what} answered HTTP {response.status_code}{said}")
