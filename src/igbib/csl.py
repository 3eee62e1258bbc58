"""CSL-JSON items and Crossref works as papers: one mapping for the importer and the sources.

A Crossref ``/works`` message and a CSL-JSON item (from a file, or from doi.org
content negotiation) share most field names, so one function reads them all:
titles and container titles as lists or strings, authors as given/family,
``name`` or ``literal``, dates from ``issued`` (or the published dates), the page
or article number, identifiers through :func:`igbib.ids.set_identifiers`, and the
JATS abstract flattened to text. Pure: no I/O, no network.

Items come from files and services igbib does not control, so a field of an
unexpected type (an author that is a string, a date that is not a list, a title
that is an object) is read where it can be (a string author is a name) and left
out where it cannot, never guessed from its ``repr``.
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
    kind = _string(item.get("type")) or ""
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
    paper.authors = [a for a in (_person(p) for p in _list(item.get("author"))) if a]
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
    issn = [i for i in (_string(i) for i in _list(item.get("ISSN"))) if i]
    if issn:
        paper.extra["issn"] = ", ".join(issn)
    ids.set_identifiers(
        paper, {key.lower(): _string(item.get(key)) for key in ("DOI", "PMID", "PMCID")}
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
    """The first text of a value given as a string or a list of strings."""
    if isinstance(value, list):
        value = next((v for v in map(_string, value) if v), None)
    text = _string(value)
    if text is None:
        return None
    text = " ".join(html.unescape(_TAG.sub("", text)).split())
    return text or None


def _string(value) -> str | None:
    """A string or a number as text; None for anything else (an object, a list, a bool)."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return None
    return str(value).strip() or None


def _list(value) -> list:
    """A list as it is; one value as a list of it."""
    if isinstance(value, list):
        return value
    return [] if value is None else [value]


def _person(person) -> dict | None:
    if not isinstance(person, dict):
        name = _string(person)  # a name given as a string: the whole name
        return {"literal": name} if name else None
    family, given = _string(person.get("family")), _string(person.get("given"))
    literal = _string(person.get("name")) or _string(person.get("literal"))
    if family:
        out = {"family": family}
        if given:
            out["given"] = given
        suffix = _string(person.get("suffix"))
        if suffix:
            out["suffix"] = suffix
    elif literal:
        out = {"literal": literal}
    elif given:
        out = {"family": given}
    else:
        return None
    orcid = _string(person.get("ORCID")) or _string(person.get("orcid"))
    if orcid:
        out["orcid"] = orcid.rstrip("/").rsplit("/", 1)[-1]
    return out


def _set_date(paper: Paper, item: dict) -> None:
    """Year and month from ``issued``, else the published (or created) dates."""
    dates = []
    for key in ("issued", "published-print", "published", "published-online", "created"):
        date = item.get(key)
        parts = date.get("date-parts") if isinstance(date, dict) else None
        first = parts[0] if isinstance(parts, list) and parts else None
        if isinstance(first, list) and first and first[0] and _string(first[0]):
            dates.append(first)
    normalize.set_year(paper, *(parts[0] for parts in dates))
    for parts in dates:
        if normalize.year(parts[0]):
            paper.month = normalize.month(parts[1]) if len(parts) > 1 else None
            break


def jats_to_text(abstract: str | None) -> str | None:
    """A JATS abstract (``<jats:p>...``) as plain text, paragraphs kept apart."""
    if not abstract or not isinstance(abstract, str):
        return None
    text = _JATS_TITLE.sub("", abstract)
    text = _PARAGRAPH_END.sub("\n\n", text)
    text = html.unescape(_TAG.sub("", text))
    paragraphs = [" ".join(p.split()) for p in text.split("\n\n")]
    return "\n\n".join(p for p in paragraphs if p) or None
