"""RIS, for EndNote, Zotero, Mendeley and reference managers that read it (via rispy).

Tags as EndNote defines them and Zotero's RIS translator reads them:

- the journal's full title in ``T2`` (Zotero: Publication) and its NLM
  abbreviation in ``J2`` (Journal Abbr); never ``JO``, which Zotero takes for
  the abbreviation;
- the PMID in ``AN`` with ``DB - PubMed``: EndNote's Accession Number and Name of
  Database, as its own PubMed imports fill them (Zotero: Loc. in Archive and
  Archive); the PMCID in ``C2`` (EndNote's PMCID field for journal articles);
- authors as ``Family, Given, Suffix`` (a collective name ends with a comma,
  EndNote's mark of a corporate name), and an incomplete list ends with
  ``AU - et al.``, so the cut stays visible (igbib's RIS importer reads it back);
- the year in ``PY`` and the year and month in ``DA`` (``2008/12``);
- every value on one line: RIS is line-based, so line breaks inside an abstract
  or a note become spaces.
"""

from __future__ import annotations

from igbib.model import Paper

#: The author written last when the list is known to be incomplete.
ET_AL = "et al."
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


def _name(author: dict) -> str:
    if "literal" in author:  # a trailing comma marks a collective name (EndNote's way)
        return author["literal"] + ","
    parts = [author.get("family", "")]
    if author.get("given") or author.get("suffix"):
        parts.append(author.get("given", ""))
    if author.get("suffix"):
        parts.append(author["suffix"])
    return ", ".join(parts)


def _line(value) -> str:
    return " ".join(str(value).split())


def ris_record(paper: Paper) -> dict:
    record: dict = {"type_of_reference": RIS_TYPES.get(paper.entry_type, "GEN")}
    if "preprint" in paper.pub_types:
        record["type_of_reference"] = "UNPB"
    record["id"] = paper.citekey
    if paper.title:
        record["title"] = paper.title
    authors = [_name(a) for a in paper.authors]
    if authors:
        record["authors"] = authors + ([ET_AL] if paper.et_al else [])
    if paper.journal:
        record["secondary_title"] = paper.journal
    abbrev = paper.extra.get("journal_abbrev")
    if abbrev:
        record["alternate_title1"] = abbrev
    if paper.year:
        record["year"] = str(paper.year)
        if paper.month and 1 <= paper.month <= 12:
            record["date"] = f"{paper.year}/{paper.month:02d}"
    if paper.pmid:
        record["name_of_database"] = "PubMed"
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
    if paper.url:
        record["urls"] = [paper.url]
    keywords = paper.subject_terms()
    if keywords:
        record["keywords"] = keywords
    if paper.note:
        record["notes"] = [paper.note]
    lines = {
        key: [v for v in map(_line, value) if v] if isinstance(value, list) else _line(value)
        for key, value in record.items()
    }
    return {key: value for key, value in lines.items() if value}  # " " is no value


def export_ris(papers: list[Paper], options) -> str:
    return dump_records([ris_record(p) for p in papers])


def export_ris_chunks(batches, options):
    separator = ""
    for papers in batches:
        if papers:
            yield separator + dump_records([ris_record(p) for p in papers])
            separator = "\n"  # rispy separates records with an empty line


def dump_records(records: list[dict]) -> str:
    """RIS text of rispy records (from :func:`ris_record`, perhaps with more notes)."""
    import rispy
    from rispy.writer import RisWriter

    class Writer(RisWriter):
        def set_header(self, count: int) -> str:
            return ""  # no "1." lines: those are Web of Science's, not RIS

    return rispy.dumps(records, implementation=Writer)
