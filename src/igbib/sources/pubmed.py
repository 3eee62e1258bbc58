"""PubMed through NCBI E-utilities: ``efetch`` (records), ``esearch`` (queries).

``parse_efetch`` and ``parse_esearch`` are pure: bytes of a real response in,
papers or ids out. The fetch functions do the I/O through :class:`igbib.http.Http`:
one ``efetch`` per 200 PMIDs (POST beyond a short list, as NCBI asks), with
``tool``, ``email`` and ``api_key`` sent as NCBI's usage policy wants.

XML is parsed with defusedxml: a response is untrusted input.
"""

from __future__ import annotations

import re

from igbib import ids, normalize
from igbib.errors import SourceError
from igbib.model import Paper

BATCH = 200
GET_LIMIT = 40  # ids per GET; longer lists are POSTed
_SPACE = re.compile(r"\s+")
_YEAR = re.compile(r"\b\d{4}\b")


def _parse_xml(body: bytes | str, what: str):
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        return fromstring(body)
    except (ParseError, DefusedXmlException) as exc:
        raise SourceError(f"PubMed sent an unreadable {what} answer ({exc})") from None


def _text(element) -> str | None:
    """An element's text with inline markup (``<i>``, ``<sup>``, ``<sub>``) flattened."""
    if element is None:
        return None
    text = _SPACE.sub(" ", "".join(element.itertext())).strip()
    return text or None


def parse_efetch(body: bytes | str) -> list[Paper]:
    """Papers from an efetch ``PubmedArticleSet`` (articles and book articles)."""
    root = _parse_xml(body, "efetch")
    error = root.findtext("ERROR")
    if error:
        raise SourceError(f"PubMed refused the request: {error.strip()}")
    papers = []
    for node in root:
        if node.tag == "PubmedArticle":
            papers.append(_article(node))
        elif node.tag == "PubmedBookArticle":
            papers.append(_book(node))
    return papers


def _article(node) -> Paper:
    citation = node.find("MedlineCitation")
    article = citation.find("Article")
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
    paper.keywords = [t for t in (_text(k) for k in citation.iterfind("KeywordList/Keyword")) if t]
    paper.pub_types = [
        t for t in (_text(p) for p in article.iterfind("PublicationTypeList/PublicationType")) if t
    ]
    return paper


def _book(node) -> Paper:
    document = node.find("BookDocument")
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
    error = root.findtext("ERROR")
    if error:
        raise SourceError(f"PubMed refused the search: {error.strip()}")
    count = int(root.findtext("Count") or 0)
    pmids = [i.text.strip() for i in root.iterfind("IdList/Id") if i.text]
    missing = [p.text.strip() for p in root.iterfind("ErrorList/PhraseNotFound") if p.text]
    return count, pmids, missing


# -- I/O -------------------------------------------------------------------------


def _params(http, **params) -> dict:
    params["tool"] = "igbib"
    if http.settings.email:
        params["email"] = http.settings.email
    if http.settings.ncbi_api_key:
        params["api_key"] = http.settings.ncbi_api_key
    return params


def fetch(http, pmids: list[str]) -> tuple[list[Paper], list[str]]:
    """Records for ``pmids`` in batches of 200; returns ``(papers, ids PubMed did not return)``."""
    papers: list[Paper] = []
    url = http.settings.eutils_url + "efetch.fcgi"
    size = getattr(http.settings, "efetch_batch", BATCH)
    for start in range(0, len(pmids), size):
        batch = pmids[start : start + size]
        params = _params(http, db="pubmed", retmode="xml", id=",".join(batch))
        if len(batch) <= GET_LIMIT:
            response = http.request("ncbi", "GET", url, params=params)
        else:
            response = http.request("ncbi", "POST", url, data=params)
        _check(http, response, "efetch")
        papers.extend(parse_efetch(response.content))
    found = {p.pmid for p in papers}
    return papers, [p for p in pmids if p not in found]


def search(http, term: str, *, retmax: int = 20, mindate: int | None = None):
    """``(count, pmids, phrases not found)`` for a PubMed query, newest first."""
    params = _params(
        http, db="pubmed", retmode="xml", term=term, retmax=str(retmax), sort="pub_date"
    )
    if mindate:
        params.update(datetype="pdat", mindate=str(mindate), maxdate="3000")
    url = http.settings.eutils_url + "esearch.fcgi"
    method = "POST" if len(term) > 1500 else "GET"
    if method == "POST":
        response = http.request("ncbi", "POST", url, data=params)
    else:
        response = http.request("ncbi", "GET", url, params=params)
    _check(http, response, "esearch")
    return parse_esearch(response.content)


def _check(http, response, what: str) -> None:
    if response.status_code != 200:
        from igbib.config import redact

        text = redact(" ".join(response.text[:200].split()), http.settings.secrets())
        raise SourceError(f"PubMed {what} answered HTTP {response.status_code}: {text}")
