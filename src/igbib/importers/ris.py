"""The RIS importer (via rispy): records from EndNote, Zotero, PubMed's RIS export..."""

from __future__ import annotations

from igbib import ids, normalize
from igbib.importers import Entry, ParsedFile
from igbib.model import Paper
from igbib.names import ET_AL_MARKS, person_from_text

TYPES = {
    "JOUR": "article",
    "JFULL": "article",
    "EJOUR": "article",
    "MGZN": "article",
    "CPAPER": "inproceedings",
    "CONF": "inproceedings",
    "CHAP": "incollection",
    "BOOK": "book",
    "EBOOK": "book",
    "THES": "phdthesis",
    "RPRT": "techreport",
}


def looks_like_ris(text: str) -> bool:
    head = text.lstrip()[:200]
    return head.startswith("TY  - ")


def parse_ris(text: str) -> ParsedFile:
    import rispy

    parsed = ParsedFile(format="ris")
    try:
        records = rispy.loads(text, skip_unknown_tags=False)
    except Exception as exc:  # rispy raises bare IOError/ValueError on broken files
        parsed.failed.append((1, f"cannot read the RIS file ({exc})"))
        return parsed
    line_starts = [i + 1 for i, line in enumerate(text.splitlines()) if line.startswith("TY  - ")]
    for index, record in enumerate(records):
        line = line_starts[index] if index < len(line_starts) else 0
        parsed.entries.append(Entry(paper=paper_from_ris(record), line=line))
    return parsed


def paper_from_ris(record: dict) -> Paper:
    def first(*keys):
        for key in keys:
            value = record.get(key)
            if isinstance(value, list):
                value = value[0] if value else None
            if value:
                return str(value).strip()
        return None

    authors = []
    names = list(record.get("authors") or record.get("first_authors") or [])
    et_al = bool(names) and names[-1].strip().lower() in ET_AL_MARKS
    for name in names[:-1] if et_al else names:
        if name.rstrip().endswith(","):  # EndNote's corporate name: commas belong to it
            authors.append({"literal": name.rstrip().rstrip(",").strip()})
            continue
        family, _, rest = name.partition(",")
        given, _, suffix = rest.partition(",")
        if given.strip() or suffix.strip():
            person = {"family": family.strip(), "given": given.strip()}
            if suffix.strip():
                person["suffix"] = suffix.strip()
            authors.append({k: v for k, v in person.items() if v})
        else:
            # RIS writes "Family, Given": a name without a comma is a family name alone
            # ("Santos Silva"), unless it reads as a group's name
            guess = person_from_text(name)
            authors.append(guess if "literal" in guess else {"family": " ".join(name.split())})
    kind = record.get("type_of_reference", "GEN")
    paper = Paper(
        citekey=first("id"),
        entry_type=TYPES.get(kind, "misc"),
        title=first("title", "primary_title"),
        authors=authors,
        et_al=et_al,
        # T2 and JF are the full title; JO and J2 are often the abbreviation (EndNote's and
        # Zotero's reading), so they are the title only when nothing else gives one.
        journal=first("secondary_title", "alternate_title3", "journal_name", "alternate_title1"),
        volume=first("volume"),
        issue=first("number"),
        abstract=first("abstract", "notes_abstract"),
        publisher=first("publisher"),
        language=first("language"),
        note="\n".join(record.get("notes") or []) or None,
        source="ris",
    )
    if kind == "UNPB":
        paper.pub_types = ["preprint"]
    start, end = first("start_page"), first("end_page")
    if start:
        paper.pages = normalize.pages(f"{start}-{end}" if end else start)
    normalize.set_year(paper, first("year"), first("publication_year"), first("date"))
    urls = record.get("urls") or []
    # AN and C2 hold a PMID and a PMCID in PubMed's files, other ids elsewhere: guesses.
    ids.set_identifiers(
        paper,
        {"doi": first("doi")},
        guesses={"pmid": first("accession_number"), "pmcid": first("custom2")},
        links=urls,
    )
    if urls:
        paper.url = urls[0]
    paper.keywords = [k for k in record.get("keywords") or [] if k]
    abbrev = first("alternate_title1")  # J2: the abbreviation, even when it is the title
    if not abbrev and first("journal_name") != paper.journal:
        abbrev = first("journal_name")  # JO beside a full title (T2, JF) is its abbreviation
    if abbrev and paper.journal:
        paper.extra["journal_abbrev"] = abbrev
    if not paper.month:
        date = first("date") or ""
        parts = date.split("/")
        if len(parts) > 1 and normalize.year(parts[0]) == paper.year:
            paper.month = normalize.month(parts[1])
    return paper
