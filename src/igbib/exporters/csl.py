"""CSL-JSON (the citation processors' format), igbib's own JSON, and CSV for spreadsheets."""

from __future__ import annotations

import csv
import io
import json

from igbib import casing, languages
from igbib.model import Paper, author_full

#: igbib entry types -> CSL types
CSL_TYPES = {
    "article": "article-journal",
    "inproceedings": "paper-conference",
    "incollection": "chapter",
    "inbook": "chapter",
    "book": "book",
    "phdthesis": "thesis",
    "techreport": "report",
    "misc": "document",
}


#: CSL has no mark for an author list known to be incomplete. igbib ends such a list
#: with this name, pandoc's convention (its BibTeX reader turns ``and others`` into
#: it, and its citeproc prints "et al." for it); :mod:`igbib.csl` reads it back.
OTHERS = {"literal": "others"}


def _nocase(word: str) -> str:
    return f'<span class="nocase">{word}</span>'


def csl_item(paper: Paper, markup: bool = True) -> dict:
    """One CSL-JSON item (the CSL data schema's field names).

    ``markup``: the title's acronyms and proper nouns in ``<span class="nocase">``
    (CSL-JSON's rich text), so processors that re-case titles keep them.
    """
    kind = CSL_TYPES.get(paper.entry_type, "document")
    if "preprint" in paper.pub_types or (paper.arxiv and not paper.journal):
        kind = "article"
    elif "dataset" in str(paper.extra.get("type", "")):
        kind = "dataset"
    item: dict = {"id": paper.citekey, "type": kind}
    if paper.title:
        item["title"] = casing.mark(paper.title, _nocase) if markup else paper.title
    authors = []
    for author in paper.authors:
        if "literal" in author:
            authors.append({"literal": author["literal"]})
        else:
            person = {"family": author.get("family", "")}
            if author.get("given"):
                person["given"] = author["given"]
            if author.get("suffix"):
                person["suffix"] = author["suffix"]
            authors.append(person)
    if authors:
        item["author"] = authors + ([dict(OTHERS)] if paper.et_al else [])
    for key, value in (
        ("container-title", paper.journal),
        ("container-title-short", paper.extra.get("journal_abbrev")),
        ("volume", paper.volume),
        ("issue", paper.issue),
        ("page", paper.pages),
        ("publisher", paper.publisher),
        ("DOI", paper.doi),
        ("PMID", paper.pmid),
        ("PMCID", paper.pmcid),
        ("URL", paper.url),
        ("abstract", paper.abstract),
        ("language", languages.bcp47(paper.language) or paper.language),
        ("note", paper.note),
    ):
        if value:
            item[key] = str(value)
    if paper.year:
        parts = [paper.year] + ([paper.month] if paper.month else [])
        item["issued"] = {"date-parts": [parts]}
    if paper.arxiv:
        item["number"] = f"arXiv:{paper.arxiv}"
    keywords = paper.subject_terms()
    if keywords:
        item["keyword"] = ", ".join(keywords)
    return item


def export_csljson(papers: list[Paper], options) -> str:
    return "".join(export_csljson_chunks([papers], options))


def export_csljson_chunks(batches, options):
    return _json_array(batches, csl_item)


def export_json(papers: list[Paper], options) -> str:
    return "".join(export_json_chunks([papers], options))


def export_json_chunks(batches, options):
    return _json_array(batches, Paper.to_dict)


def _json_array(batches, item):
    """A JSON array of ``item(paper)`` for every paper, a batch at a time: the text
    ``json.dumps(list, indent=2)`` gives for the whole list."""
    opening = "[\n  "
    for papers in batches:
        for paper in papers:
            text = json.dumps(item(paper), ensure_ascii=False, indent=2)
            yield opening + text.replace("\n", "\n  ")
            opening = ",\n  "
    yield "[]\n" if opening == "[\n  " else "\n]\n"


CSV_COLUMNS = (
    "id",
    "citekey",
    "type",
    "title",
    "authors",
    "journal",
    "year",
    "volume",
    "issue",
    "pages",
    "pmid",
    "doi",
    "pmcid",
    "arxiv",
    "url",
    "sections",
    "tags",
    "flags",
)


#: What a spreadsheet reads as the start of a formula (OWASP's list): such a cell gets
#: a leading apostrophe, which spreadsheets show as text and do not evaluate.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value) -> str:
    """``value`` as a CSV cell no spreadsheet evaluates (``=HYPERLINK(...)`` stays text)."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def export_csv(papers: list[Paper], options) -> str:
    return "".join(export_csv_chunks([papers], options))


def export_csv_chunks(batches, options):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for papers in batches:
        for p in papers:
            writer.writerow([spreadsheet_safe(cell) for cell in _csv_row(p)])
        yield out.getvalue()
        out.seek(0)
        out.truncate()
    yield out.getvalue()  # the header alone, if no paper came


def _csv_row(p: Paper) -> list:
    authors = "; ".join(author_full(a) for a in p.authors) + ("; et al." if p.et_al else "")
    return [
        p.id,
        p.citekey,
        p.entry_type,
        p.title or "",
        authors,
        p.journal or "",
        p.year or "",
        p.volume or "",
        p.issue or "",
        p.pages or "",
        p.pmid or "",
        p.doi or "",
        p.pmcid or "",
        p.arxiv or "",
        p.url or "",
        "; ".join(s["section"] for s in p.sections),
        "; ".join(p.tags),
        "; ".join(f["code"] for f in p.flags),
    ]
