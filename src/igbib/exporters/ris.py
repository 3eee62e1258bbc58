"""RIS, for EndNote, Zotero, Mendeley and reference managers that read it (via rispy).

PMIDs go in ``AN`` (accession number, as PubMed's own RIS export does) and PMCIDs
in ``C2``; authors as ``Family, Given``.
"""

from __future__ import annotations

from igbib.model import Paper

RIS_TYPES = {
    "article": "JOUR",
    "inproceedings": "CPAPER",
    "incollection": "CHAP",
    "inbook": "CHAP",
    "book": "BOOK",
    "phdthesis": "THES",
    "techreport": "RPRT",
    "misc": "GEN",
}


def ris_record(paper: Paper) -> dict:
    record: dict = {"type_of_reference": RIS_TYPES.get(paper.entry_type, "GEN")}
    if "preprint" in paper.pub_types:
        record["type_of_reference"] = "UNPB"
    record["id"] = paper.citekey
    if paper.title:
        record["title"] = paper.title
    authors = []
    for author in paper.authors:
        if "literal" in author:
            authors.append(author["literal"])
        elif author.get("given"):
            authors.append(f"{author.get('family', '')}, {author['given']}")
        else:
            authors.append(author.get("family", ""))
    if authors:
        record["authors"] = authors
    if paper.journal:
        record["secondary_title" if paper.entry_type != "article" else "journal_name"] = (
            paper.journal
        )
    if paper.year:
        record["year"] = str(paper.year)
    for key, value in (
        ("volume", paper.volume),
        ("number", paper.issue),
        ("doi", paper.doi),
        ("accession_number", paper.pmid),
        ("custom2", paper.pmcid),
        ("abstract", paper.abstract),
        ("publisher", paper.publisher),
        ("language", paper.language),
    ):
        if value:
            record[key] = str(value)
    if paper.pages:
        start, _, end = paper.pages.partition("-")
        record["start_page"] = start
        if end:
            record["end_page"] = end
    urls = [paper.url] if paper.url else []
    if urls:
        record["urls"] = urls
    keywords = paper.subject_terms()
    if keywords:
        record["keywords"] = keywords
    if paper.note:
        record["notes"] = [paper.note]
    return record


def export_ris(papers: list[Paper], options) -> str:
    import rispy
    from rispy.writer import RisWriter

    class Writer(RisWriter):
        def set_header(self, count: int) -> str:
            return ""  # no "1." lines: those are Web of Science's, not RIS

    return rispy.dumps([ris_record(p) for p in papers], implementation=Writer)
