"""The BibTeX (and BibLaTeX) importer, on bibtexparser v2.

bibtexparser splits the file into blocks and resolves ``@string`` macros; igbib
does the rest itself, in an order that keeps meaning: names are split on the
raw, still-braced value (so ``{World Health Organization}`` stays one collective
name), then every value is decoded from LaTeX to Unicode by :mod:`igbib.latex`.
Field names are case-insensitive (``Title =`` is ``title =``). Fields igbib does
not model are kept in ``extra``, so an import drops nothing.

What igbib's own BibLaTeX export writes reads back as it was stored:
``eprinttype = {pubmed}`` is the PMID, an ``addendum`` of ``PMCID: ...`` (and
``arXiv: ...``) the identifiers biblatex has no field for, ``langid`` the
language, ``shortjournal`` the journal's abbreviation, ``date = {XXXX}`` no date,
and ``@thesis``/``@report`` with their ``type`` BibTeX's ``phdthesis`` and
``techreport``.
"""

from __future__ import annotations

import logging
import re

from igbib import ids, normalize
from igbib.importers import Entry, ParsedFile
from igbib.latex import decode
from igbib.model import Paper
from igbib.names import parse_bibtex_names

_ENTRY_START = re.compile(r"^\s*@\s*[A-Za-z]+\s*[{(]", re.M)
_CONTAINER_TYPES = {"inproceedings", "incollection", "inbook", "conference"}
# Fields mapped onto paper attributes; all others go to ``extra``.
_HANDLED = {
    "title",
    "author",
    "journal",
    "journaltitle",
    "booktitle",
    "year",
    "date",
    "month",
    "volume",
    "number",
    "issue",
    "pages",
    "doi",
    "pmid",
    "pmcid",
    "eprint",
    "archiveprefix",
    "eprinttype",
    "arxivid",
    "arxiv",
    "url",
    "abstract",
    "keywords",
    "note",
    "annote",
    "publisher",
    "language",
    "langid",
    "mesh",
    "shortjournal",
}
_RAW_FIELDS = {
    "url",
    "doi",
    "eprint",
    "pmid",
    "pmcid",
    "arxivid",
    "arxiv",
    "file",
    "howpublished",
}


def looks_like_bibtex(text: str) -> bool:
    return bool(_ENTRY_START.search(text))


def parse_bibtex(text: str) -> ParsedFile:
    import bibtexparser
    from bibtexparser.model import (
        DuplicateBlockKeyBlock,
        DuplicateFieldKeyBlock,
    )
    from bibtexparser.model import (
        Entry as BibEntry,
    )

    # bibtexparser logs each broken block; igbib reports them itself, with line numbers.
    logger = logging.getLogger("bibtexparser")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        library = bibtexparser.parse_string(text)
    finally:
        logger.setLevel(level)
    parsed = ParsedFile(format="bibtex")
    blocks = []
    for block in library.failed_blocks:
        line = (block.start_line or 0) + 1
        if isinstance(block, DuplicateBlockKeyBlock) and isinstance(
            block.ignore_error_block, BibEntry
        ):
            blocks.append(block.ignore_error_block)  # a second entry with a used key
        elif isinstance(block, DuplicateFieldKeyBlock):
            keys = ", ".join(sorted(block.duplicate_keys))
            parsed.failed.append((line, f"entry {_key_of(block.raw)}gives {keys} twice"))
        else:
            why = str(block.error) or type(block.error).__name__
            parsed.failed.append((line, f"cannot parse entry {_key_of(block.raw)}({why})"))
    blocks.extend(library.entries)
    for bib in sorted(blocks, key=lambda b: b.start_line or 0):
        line = (bib.start_line or 0) + 1
        try:
            paper = paper_from_fields(
                bib.key, bib.entry_type, {f.key.lower(): f.value for f in bib.fields}
            )
        except ValueError as exc:
            parsed.failed.append((line, f"entry {bib.key}: {exc}"))
            continue
        parsed.entries.append(Entry(paper=paper, line=line))
    parsed.failed.sort()
    return parsed


_RUN_ON = re.compile(r"\s*\{.*\}\s*\n\s*[A-Za-z][\w-]*\s*=\s*[{\"\d]", re.S)


def _closes_early(raw: str) -> bool:
    """True when the value's first brace group closes before its end: ``{a}\n doi = {b}``."""
    depth = 0
    text = raw.strip()
    for i, char in enumerate(text):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return i < len(text) - 1
    return False


def _key_of(raw: str | None) -> str:
    m = re.match(r"\s*@\s*\w+\s*[{(]\s*([^,\s]*)", raw or "")
    return f"{m.group(1)} " if m and m.group(1) else ""


def paper_from_fields(key: str, entry_type: str, fields: dict[str, str]) -> Paper:
    """A paper from one BibTeX entry's fields (lower-case names, raw LaTeX values)."""
    values: dict[str, str] = {}
    for name, raw in fields.items():  # decode each field once
        if raw is None:
            continue
        raw = str(raw)
        if _RUN_ON.match(raw) and _closes_early(raw):
            raise ValueError(f"{name} runs into the next field (a comma missing after it?)")
        value = raw.strip() if name in _RAW_FIELDS else decode(raw)
        if value:
            values[name] = value
    get = values.get
    authors, et_al = parse_bibtex_names(fields["author"]) if "author" in values else ([], False)
    entry_type = entry_type.lower()
    kind = _THESES.get((entry_type, (get("type") or "").lower()))
    if kind:  # biblatex's @thesis with type = {phdthesis}: BibTeX's @phdthesis
        entry_type = kind
        values.pop("type")
    journal = get("journal") or get("journaltitle")
    container = entry_type in _CONTAINER_TYPES
    if not journal and container:
        journal = get("booktitle")
    if not journal and entry_type in _INSTITUTION_TYPES:
        journal = get("school") or get("institution")
        values.pop("school" if get("school") else "institution", None)
    paper = Paper(
        citekey=key.strip() or None,
        entry_type=entry_type,
        title=get("title"),
        authors=authors,
        et_al=et_al,
        journal=journal,
        volume=get("volume"),
        issue=get("number") or get("issue"),
        pages=normalize.pages(get("pages")),
        abstract=get("abstract"),
        note=get("note") or get("annote"),
        publisher=get("publisher"),
        language=get("language") or get("langid"),
        source="bibtex",
    )
    date = get("date")
    if date and not date.strip("X-"):
        date = None  # EDTF's XXXX: a year not known
    _set_date(paper, get("year"), date, get("month"))
    addendum = _addendum_ids(get("addendum"))
    if addendum is not None:
        values.pop("addendum")
    _set_identifiers(paper, get, addendum or {})
    if get("shortjournal"):
        paper.extra["journal_abbrev"] = get("shortjournal")
    if "keywords" in values:
        paper.keywords = [decode(k) for k in split_list(str(fields["keywords"])) if decode(k)]
    if "mesh" in values:
        paper.mesh = [k.strip() for k in values["mesh"].split(";") if k.strip()]
    for name, value in values.items():
        if name not in _HANDLED and not (container and name == "booktitle"):
            paper.extra[name] = value
    return paper


def split_list(value: str) -> list[str]:
    """``a, {b, c}; d`` -> ``["a", "{b, c}", "d"]``: commas and semicolons inside braces stay."""
    items, depth, start = [], 0, 0
    for i, char in enumerate(value):
        if char == "{":
            depth += 1
        elif char == "}":
            depth = max(0, depth - 1)
        elif char in ",;" and depth == 0:
            items.append(value[start:i])
            start = i + 1
    items.append(value[start:])
    return [item.strip() for item in items if item.strip()]


def _set_date(paper: Paper, year: str | None, date: str | None, month: str | None) -> None:
    normalize.set_year(paper, year, date)
    if date:
        paper.month = normalize.month_of_date(date)
    if month:
        number = normalize.month(month)
        if number:
            paper.month = number
        else:
            paper.extra["month"] = month


_THESES = {
    ("thesis", "phdthesis"): "phdthesis",
    ("thesis", "mathesis"): "mastersthesis",
    ("report", "techreport"): "techreport",
}
_INSTITUTION_TYPES = {"phdthesis", "mastersthesis", "thesis", "techreport", "report"}
#: biblatex's eprint types that name an identifier igbib keeps: eprinttype -> id kind
_EPRINT_TYPES = {"arxiv": "arxiv", "pubmed": "pmid", "pmc": "pmcid", "pmcid": "pmcid"}
_ADDENDUM_ID = re.compile(r"\s*(PMCID|PMID|arXiv)\s*:\s*(\S+?)\s*", re.I)


def _addendum_ids(text: str | None) -> dict[str, str] | None:
    """``{"pmcid": ...}`` from an addendum that holds identifiers only (``PMCID: PMC1; arXiv: 1``).

    None for any other addendum, which is then kept as it is.
    """
    if not text:
        return None
    found = {}
    for part in text.split(";"):
        m = _ADDENDUM_ID.fullmatch(part)
        if not m:
            return None
        found[m.group(1).lower()] = m.group(2)
    return found


def _set_identifiers(paper: Paper, text, more: dict[str, str]) -> None:
    archive = (text("archiveprefix") or text("eprinttype") or "").lower()
    eprint = text("eprint")
    kind = _EPRINT_TYPES.get(archive)
    given = {"arxiv": text("arxivid") or text("arxiv"), "pmid": text("pmid")}
    given["pmcid"] = text("pmcid")
    for name, value in more.items():
        given[name] = given.get(name) or value
    if kind and eprint:
        given[kind] = given[kind] or eprint
    # an eprint with no archive named is arXiv's when it reads as an arXiv id
    guess = eprint if eprint and not archive and ids.normalize("arxiv", eprint) else None
    # ``journal = {arXiv preprint arXiv:2306.11650}``: how Google Scholar cites a preprint
    guess = guess or ids.arxiv_in_text(text("journal"))
    url = text("url")
    ids.set_identifiers(
        paper,
        {"doi": text("doi"), **given},
        guesses={"arxiv": guess},
        links=[url] if url else [],
    )
    if archive and not kind:
        paper.extra["archiveprefix"] = archive
    if eprint and not kind and not guess:
        paper.extra["eprint"] = eprint  # not an identifier igbib knows: kept as it is
    if url:
        paper.url = url
