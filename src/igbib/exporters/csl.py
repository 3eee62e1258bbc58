"""CSL-JSON (the citation processors' format), igbib's own JSON, and CSV for spreadsheets."""

from __future__ import annotations

import csv
import io
import json

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


def csl_item(paper: Paper) -> dict:
    """One CSL-JSON item (the CSL data schema's field names)."""
    kind = CSL_TYPES.get(paper.entry_type, "document")
    if "preprint" in paper.pub_types or (paper.arxiv and not paper.journal):
        kind = "article"
    elif "dataset" in str(paper.extra.get("type", "")):
        kind = "dataset"
    item: dict = {"id": paper.citekey, "type": kind}
    if paper.title:
        item["title"] = paper.title
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
        item["author"] = authors
    for key, value in (
        ("container-title", paper.journal),
        ("volume", paper.volume),
        ("issue", paper.issue),
        ("page", paper.pages),
        ("publisher", paper.publisher),
        ("DOI", paper.doi),
        ("PMID", paper.pmid),
        ("PMCID", paper.pmcid),
        ("URL", paper.url),
        ("abstract", paper.abstract),
        ("language", paper.language),
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
    return json.dumps([csl_item(p) for p in papers], ensure_ascii=False, indent=2) + "\n"


def export_json(papers: list[Paper], options) -> str:
    return json.dumps([p.to_dict() for p in papers], ensure_ascii=False, indent=2) + "\n"


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


def export_csv(papers: list[Paper], options) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for p in papers:
        authors = "; ".join(author_full(a) for a in p.authors) + ("; et al." if p.et_al else "")
        writer.writerow(
            [
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
        )
    return out.getvalue()
