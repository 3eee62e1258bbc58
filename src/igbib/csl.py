"""CSL-JSON items and Crossref works as papers: one mapping for the importer and the sources.

A Crossref ``/works`` message and a CSL-JSON item (from a file, or from doi.org
content negotiation) share most field names, so one function reads them all:
titles and container titles as lists or strings, authors as given/family,
``name`` or ``literal``, dates from ``issued`` (or the published dates), the page
or article number, identifiers through :func:`igbib.ids.set_identifiers`, and the
JATS abstract flattened to text. Pure: no I/O, no network.
"""

from __future__ import annotations

import html
import re

from igbib import ids, normalize
from igbib.model import Paper
from igbib.names import ET_AL_MARKS

#: Crossref and CSL types -> igbib entry types
ENTRY_TYPES = {
    "journal-article": "article",
    "article-journal": "article",
    "article": "article",
    "proceedings-article": "inproceedings",
    "paper-conference": "inproceedings",
    "book-chapter": "incollection",
    "chapter": "incollection",
    "book": "book",
    "monograph": "book",
    "edited-book": "book",
    "posted-content": "misc",
    "dataset": "misc",
    "software": "misc",
    "dissertation": "phdthesis",
    "thesis": "phdthesis",
    "report": "techreport",
    "peer-review": "misc",
}
_TAG = re.compile(r"<[^>]+>")
_JATS_TITLE = re.compile(r"<jats:title>.*?</jats:title>", re.S)
_PARAGRAPH_END = re.compile(r"</(?:jats:)?p>", re.I)


def paper_from_csl(item: dict, source: str) -> Paper:
    """A paper from a Crossref ``message`` or a CSL-JSON item; ``source``: where it came from."""
    kind = item.get("type") or ""
    paper = Paper(
        entry_type=ENTRY_TYPES.get(kind, "misc"),
        title=_first(item.get("title")),
        journal=_first(item.get("container-title")),
        volume=_string(item.get("volume")),
        issue=_string(item.get("issue")),
        pages=normalize.pages(_string(item.get("page")) or _string(item.get("article-number"))),
        abstract=jats_to_text(item.get("abstract")),
        publisher=_string(item.get("publisher")),
        language=_string(item.get("language")),
        source=source,
    )
    subtitle = _first(item.get("subtitle"))
    if subtitle and paper.title and subtitle.lower() not in paper.title.lower():
        paper.title = f"{paper.title}: {subtitle}"
    paper.authors = [a for a in (_person(p) for p in item.get("author") or []) if a]
    if paper.authors and paper.authors[-1].get("literal", "").lower() in ET_AL_MARKS:
        paper.authors.pop()  # pandoc's mark of an incomplete list (igbib writes it too)
        paper.et_al = True
    _set_date(paper, item)
    if kind in ("posted-content", "article") and ENTRY_TYPES.get(kind) != "article":
        paper.pub_types = ["preprint"]
    if kind:
        paper.extra["type"] = kind
    short = _first(item.get("container-title-short") or item.get("short-container-title"))
    if short and paper.journal:
        paper.extra["journal_abbrev"] = short  # as PubMed's ISOAbbreviation is stored
    issn = item.get("ISSN")
    if issn:
        paper.extra["issn"] = ", ".join(issn) if isinstance(issn, list) else str(issn)
    ids.set_identifiers(
        paper, {"doi": item.get("DOI"), "pmid": item.get("PMID"), "pmcid": item.get("PMCID")}
    )
    if kind == "posted-content" and item.get("subtype") == "preprint":
        paper.pub_types = ["preprint"]
    if paper.doi and paper.doi.startswith("10.48550/arxiv."):  # arXiv's DataCite DOIs
        ids.set_identifiers(paper, guesses={"arxiv": paper.doi.split("arxiv.", 1)[1]})
    url = _string(item.get("URL"))
    if url and not (paper.doi and ids.ids_from_url(url).get("doi") == paper.doi):
        paper.url = url  # Crossref's URL is the DOI's own link: not kept
    note = item.get("note")
    if isinstance(note, str) and note.strip():
        paper.note = note.strip()
    return paper


def _first(value) -> str | None:
    if isinstance(value, list):
        value = next((v for v in value if v), None)
    if value is None:
        return None
    text = " ".join(html.unescape(_TAG.sub("", str(value))).split())
    return text or None


def _string(value) -> str | None:
    if value is None or value == "":
        return None
    return str(value).strip() or None


def _person(person: dict) -> dict | None:
    family, given = person.get("family"), person.get("given")
    if family:
        out = {"family": family.strip()}
        if given:
            out["given"] = given.strip()
        if person.get("suffix"):
            out["suffix"] = person["suffix"]
    elif person.get("name") or person.get("literal"):
        out = {"literal": (person.get("name") or person.get("literal")).strip()}
    elif given:
        out = {"family": given.strip()}
    else:
        return None
    orcid = person.get("ORCID") or person.get("orcid")
    if orcid:
        out["orcid"] = str(orcid).rstrip("/").rsplit("/", 1)[-1]
    return out


def _set_date(paper: Paper, item: dict) -> None:
    """Year and month from ``issued``, else the published (or created) dates."""
    dates = []
    for key in ("issued", "published-print", "published", "published-online", "created"):
        parts = (item.get(key) or {}).get("date-parts") or [[]]
        first = parts[0] if parts else []
        if first and first[0]:
            dates.append(first)
    normalize.set_year(paper, *(parts[0] for parts in dates))
    for parts in dates:
        if normalize.year(parts[0]):
            paper.month = normalize.month(parts[1]) if len(parts) > 1 else None
            break


def jats_to_text(abstract: str | None) -> str | None:
    """A JATS abstract (``<jats:p>...``) as plain text, paragraphs kept apart."""
    if not abstract:
        return None
    text = _JATS_TITLE.sub("", abstract)
    text = _PARAGRAPH_END.sub("\n\n", text)
    text = html.unescape(_TAG.sub("", text))
    paragraphs = [" ".join(p.split()) for p in text.split("\n\n")]
    return "\n\n".join(p for p in paragraphs if p) or None
