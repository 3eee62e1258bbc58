"""Screening decisions in and out: ASReview's labelled CSV, and RIS with ASReview's notes.

ASReview (and the SYNERGY datasets built for it) keep a decision as a label column,
1 for included and 0 for excluded, named ``label_included`` or one of the names
ASReview accepts (:data:`LABEL_COLUMNS`); an empty label is a record not screened.
In RIS, ASReview writes the label as a note: ``N1  - ASReview_relevant``,
``ASReview_irrelevant`` or ``ASReview_not_seen``.

Importing a file of decisions makes each record a candidate (or finds the
candidate it already is), and records its decision; records included join the
list as :func:`igbib.ops.screen.decide` includes any candidate. The file counts
as one search, so the PRISMA flow shows it.
"""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass, field

from igbib.errors import ImportFileError, UsageError
from igbib.model import Paper
from igbib.store import Library, now
from igbib.store.screening import STATUS_OF

#: The label columns ASReview reads, in its order of preference (asreview's docs).
LABEL_COLUMNS = (
    "final_included",
    "label",
    "label_included",
    "included_label",
    "included_final",
    "included",
    "included_flag",
    "include",
    "asreview_label",
)
#: ASReview's RIS notes and the labels they stand for.
RIS_LABELS = {"ASReview_relevant": 1, "ASReview_irrelevant": 0, "ASReview_not_seen": None}
_RIS_NOTE = re.compile(r"\bASReview_(relevant|irrelevant|not_seen)\b")
_REASON_NOTE = "Exclusion reason: "
#: igbib's note of a decision's details in RIS: ``igbib: decision=...; stage=...; ...``
_DETAILS_NOTE = "igbib: "
FORMATS = ("asreview", "ris")


@dataclass
class Record:
    line: int
    paper: Paper
    label: int | None  # 1 included, 0 excluded, None not screened
    reason: str | None = None
    #: what igbib's own export adds: the decision (``maybe`` too), its stage, who, when
    decision: str | None = None
    stage: str = "abstract"
    reviewer: str | None = None
    at: str | None = None

    @property
    def verdict(self) -> str | None:
        """include, exclude, maybe, or None (not screened)."""
        if self.decision:
            return self.decision
        return None if self.label is None else ("include" if self.label == 1 else "exclude")


@dataclass
class Imported:
    source: str
    records: int = 0
    new: int = 0
    known: int = 0
    repeated: int = 0
    included: int = 0
    excluded: int = 0
    maybe: int = 0
    unscreened: int = 0
    #: decided in the file as the library had decided already: nothing appended
    unchanged: int = 0
    #: included papers that joined the list with identifiers only (no title yet)
    untitled: int = 0
    fetched: int = 0
    #: identifiers PubMed had no record for (kept with identifiers only)
    not_found: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return dict(self.__dict__)


# -- reading ------------------------------------------------------------------------


def read_file(path: str) -> tuple[str, list[Record]]:
    """``(format, records)`` of a decisions file: CSV (ASReview labels) or RIS."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise ImportFileError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(f"{path} is not UTF-8 text") from None
    if text.lstrip().startswith("TY  - "):
        return "ris", read_ris(text, path)
    return "asreview", read_csv(text, path)


def read_csv(text: str, path: str = "<csv>") -> list[Record]:
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        header = next(reader)
    except StopIteration:
        raise ImportFileError(f"{path} is empty") from None
    except csv.Error as exc:
        raise ImportFileError(f"{path}: line 1: {exc}") from None
    names = [h.strip().lower() for h in header]
    label = next((n for n in LABEL_COLUMNS if n in names), None)
    if label is None:
        raise ImportFileError(
            f"{path} has no label column (one of {', '.join(LABEL_COLUMNS[:4])}, ...)"
        )
    records = []
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            values = {n: (row[i].strip() if i < len(row) else "") for i, n in enumerate(names)}
            paper = _paper(values, path, line)
            reason = values.get("exclusion_reason") or None
            record = Record(line, paper, _label(values[label], path, line), reason)
            _igbib_columns(record, values, path, line)
            records.append(record)
    except csv.Error as exc:
        raise ImportFileError(f"{path}: line {reader.line_num}: {exc}") from None
    return records


def _igbib_columns(record: Record, values: dict, path: str, line: int) -> None:
    """The columns igbib's own export writes beside ASReview's label, read back."""
    decision = values.get("decision", "")
    if decision:
        if decision not in ("include", "exclude", "maybe"):
            raise ImportFileError(f"{path}: line {line}: decision {decision[:20]!r} is unknown")
        expected = {"include": 1, "exclude": 0, "maybe": None}[decision]
        if record.label != expected:
            raise ImportFileError(f"{path}: line {line}: decision {decision} contradicts its label")
        record.decision = decision
    stage = values.get("stage", "")
    if stage:
        if stage not in ("abstract", "fulltext"):
            raise ImportFileError(f"{path}: line {line}: stage {stage[:20]!r} is unknown")
        record.stage = stage
    record.reviewer = values.get("reviewer") or None
    record.at = values.get("decided_at") or None


def _label(text: str, path: str, line: int) -> int | None:
    value = text.strip().lower()
    if value in ("", "-1", "-1.0", "nan", "na"):
        return None
    if value in ("1", "1.0", "true", "yes"):
        return 1
    if value in ("0", "0.0", "false", "no"):
        return 0
    raise ImportFileError(f"{path}: line {line}: label {text[:20]!r} is not 1, 0 or empty")


def _paper(values: dict, path: str, line: int) -> Paper:
    from igbib.ids import ids_from_url, normalize
    from igbib.normalize import set_year

    paper = Paper(entry_type="article", source="asreview")
    for kind in ("pmid", "doi", "pmcid"):
        raw = values.get(kind, "")
        if not raw:
            continue
        value = normalize(kind, raw) or ids_from_url(raw).get(kind)
        if not value:
            raise ImportFileError(f"{path}: line {line}: {kind} {raw[:40]!r} is not one")
        setattr(paper, kind, value)
    paper.title = values.get("title") or values.get("primary_title") or None
    paper.abstract = values.get("abstract") or None
    paper.journal = values.get("journal") or values.get("secondary_title") or None
    year = values.get("year") or values.get("publication_year") or ""
    if year:
        set_year(paper, year)
    authors = values.get("authors") or values.get("author") or ""
    if authors:
        paper.authors = [_person(a) for a in re.split(r"\s*;\s*", authors) if a.strip()]
    if not (paper.pmid or paper.doi or paper.pmcid or paper.title):
        raise ImportFileError(f"{path}: line {line}: no PMID, DOI, PMCID or title")
    return paper


def _person(text: str) -> dict:
    from igbib.names import person_from_text

    family, comma, given = text.partition(",")
    if comma:
        return {k: v for k, v in {"family": family.strip(), "given": given.strip()}.items() if v}
    return person_from_text(text)


def read_ris(text: str, path: str = "<ris>") -> list[Record]:
    from igbib.importers.ris import parse_ris

    parsed = parse_ris(text)
    if parsed.failed:
        line, why = parsed.failed[0]
        raise ImportFileError(f"{path}: line {line}: {why}")
    records = []
    for entry in parsed.entries:
        paper = entry.paper
        label, reason, kept = None, None, []
        details: dict[str, str] = {}
        for note in (paper.note or "").split("\n"):
            found = _RIS_NOTE.search(note)
            if found:
                label = RIS_LABELS["ASReview_" + found.group(1)]
            elif note.startswith(_REASON_NOTE):
                reason = note[len(_REASON_NOTE) :].strip() or None
            elif note.startswith(_DETAILS_NOTE):
                for part in note[len(_DETAILS_NOTE) :].split(";"):
                    key, _, value = part.strip().partition("=")
                    details[key] = value.strip()
            elif note.strip():
                kept.append(note)
        paper.note = "\n".join(kept) or None
        paper.citekey = None
        if not (paper.pmid or paper.doi or paper.pmcid or paper.title):
            raise ImportFileError(f"{path}: line {entry.line}: no PMID, DOI, PMCID or title")
        record = Record(entry.line, paper, label, reason)
        _igbib_columns(record, details, path, entry.line)
        records.append(record)
    return records


# -- importing ----------------------------------------------------------------------


def import_decisions(
    library: Library,
    path: str,
    *,
    http=None,
    route: str = "database",
    source: str | None = None,
    section: str | None = None,
    who: str | None = None,
    auto_tags: bool = True,
) -> Imported:
    """Make each record of the file a candidate with its decision, in one transaction.

    ``http``: fetch from PubMed the records that have a PMID and no title first (in
    batches); None: keep what the file gives.
    """
    from igbib.model import title_key
    from igbib.ops.ingest import read_rules
    from igbib.ops.match import Matcher
    from igbib.ops.screen import _decide_one, library_paper, reviewer

    _fmt, records = read_file(path)
    if not records:
        raise ImportFileError(f"{path} holds no records")
    name = source or os.path.basename(path)
    result = Imported(source=name, records=len(records))
    if http is not None:
        _complete(http, records, result)
    who = reviewer(who)
    rules = read_rules(auto_tags)
    papers = [r.paper for r in records]
    keys = [title_key(p.title or "") for p in papers]
    with library.transaction():
        matcher = Matcher(library, papers, keys)
        stamp = now()
        done: dict[int, Record] = {}
        again = 0  # records this source gave before (a file imported again)
        for record, key in zip(records, keys, strict=True):
            paper = record.paper
            candidate = library.known_candidate(paper.pmid, paper.doi, paper.title)
            if candidate is not None and candidate.id in done:
                first = done[candidate.id]
                if first.verdict != record.verdict:
                    raise ImportFileError(
                        f"{path}: line {record.line}: the record of line {first.line} again,"
                        f" decided otherwise ({record.verdict or 'not screened'}, not"
                        f" {first.verdict or 'not screened'})"
                    )
                result.repeated += 1
                continue
            if candidate is None:
                cid = library.add_candidate(
                    paper, source=name, route=route, section=section, tags=[], added=stamp
                )
                held = library_paper(matcher, paper, key)
                if held is not None:
                    library.set_candidate_paper(cid, held, False)
                candidate = library.candidate(cid)
                result.new += 1
            elif candidate.source == name:
                again += 1
            else:
                result.known += 1
            done[candidate.id] = record
            verdict = record.verdict
            if verdict is None:
                result.unscreened += 1
                continue
            reason = record.reason if verdict == "exclude" else None
            status = STATUS_OF[verdict]
            if candidate.status == status and reason in (None, candidate.reason):
                # ASReview's files carry no reason: a reason given in igbib stays
                result.unchanged += 1  # decided so already: no decision appended
                continue
            outcome = _decide_one(
                library,
                candidate,
                verdict,
                reason,
                record.stage,
                record.reviewer or who,
                name,
                section,
                rules,
                at=record.at,
            )
            if verdict == "include":
                result.included += 1
                if outcome.effect.startswith("added"):
                    result.added.append(outcome.citekey)
                    if not outcome.candidate.paper.title:
                        result.untitled += 1
            elif verdict == "exclude":
                result.excluded += 1
            else:
                result.maybe += 1
        found = result.records - again
        if found:  # a file imported again counts only what it did not give before
            duplicates = result.known + result.repeated
            library.record_search(name, route, None, stamp, found, duplicates, result.new)
    return result


def _complete(http, records: list[Record], result: Imported) -> None:
    """Fetch, in batches, the PubMed records of those that have a PMID and no title."""
    from igbib.sources import pubmed

    wanted = [r for r in records if r.paper.pmid and not r.paper.title]
    if not wanted:
        return
    fetched = pubmed.fetch(http, list(dict.fromkeys(r.paper.pmid for r in wanted)))
    if fetched.failed and len(fetched.failed) == len({r.paper.pmid for r in wanted}):
        error = next(iter(fetched.failed.values()))
        error.args = (f"{error}; --no-fetch imports the file's records as they are",)
        raise error
    by_pmid = {p.pmid: p for p in fetched.papers}
    for record in wanted:
        full = by_pmid.get(record.paper.pmid)
        if full is None:
            result.not_found.append(record.paper.pmid)
            continue
        if record.paper.doi and not full.doi:
            full.doi = record.paper.doi
        record.paper = full
        result.fetched += 1


# -- exporting ----------------------------------------------------------------------

_CSV_COLUMNS = (
    "pmid",
    "doi",
    "title",
    "abstract",
    "authors",
    "year",
    "journal",
    "label_included",
    "decision",
    "exclusion_reason",
    "stage",
    "reviewer",
    "decided_at",
    "source",
)


def export_decisions(library: Library, fmt: str, statuses=None) -> str:
    """The candidates (all, or those of ``statuses``) with their latest decision."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
    candidates = library.candidates(statuses)
    latest = {}
    for decision in library.decisions():
        latest[decision.candidate_id] = decision
    if fmt == "ris":
        return _ris(candidates, latest)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_CSV_COLUMNS)
    for c in candidates:
        d = latest.get(c.id)
        p = c.paper
        label = {"included": "1", "excluded": "0"}.get(c.status, "")
        writer.writerow(
            (
                p.pmid or "",
                p.doi or "",
                p.title or "",
                p.abstract or "",
                "; ".join(_name(a) for a in p.authors),
                p.year or "",
                p.journal or "",
                label,
                d.decision if d else "",
                c.reason or "",
                d.stage if d else "",
                d.reviewer if d else "",
                d.at if d else "",
                c.source,
            )
        )
    return out.getvalue()


def _name(author: dict) -> str:
    if "literal" in author:
        return author["literal"]
    return ", ".join(x for x in (author.get("family"), author.get("given")) if x)


def _ris(candidates, latest) -> str:
    from igbib.exporters.ris import dump_records, ris_record

    records = []
    for c in candidates:
        record = ris_record(c.paper)
        record["id"] = f"c{c.id}"  # its number in igbib's queue
        label = {"included": "ASReview_relevant", "excluded": "ASReview_irrelevant"}.get(
            c.status, "ASReview_not_seen"
        )
        notes = [label]
        if c.reason:
            notes.append(_REASON_NOTE + c.reason)
        d = latest.get(c.id)
        if d is not None:
            notes.append(
                f"{_DETAILS_NOTE}decision={d.decision}; stage={d.stage}; reviewer={d.reviewer};"
                f" decided_at={d.at}"
            )
        record["notes"] = [*record.get("notes", []), *notes]
        records.append(record)
    return dump_records(records)
