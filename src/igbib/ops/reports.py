"""What a library operation did: one :class:`Report` of :class:`Row` s, one status vocabulary.

Every operation (import, add, refresh, PubMed add) returns a :class:`Report`.
Each row says what became of one thing asked for (an entry of a file, an
identifier, a paper) with one of the statuses below, recorded by the step that
decided it. An import also records notes about the papers (a shared
identifier, a flag, a renamed key), each as a row of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# -- what became of an entry, an identifier or a paper --------------------------------
ADDED = "added"  # stored as a new paper
UPDATED = "updated"  # a stored paper was completed or corrected (``fields`` says what)
UNCHANGED = "unchanged"  # a stored paper already said all of it
MERGED = "merged"  # given again in the same run: one paper
ALREADY_PRESENT = "already present"  # add: stored already, so not fetched
COMPLETE = "complete"  # refresh: the services know nothing the paper lacks
WRONG_LINK = "wrong link?"  # refresh: the identifier names a paper of another title
NO_IDENTIFIER = "no identifier"  # refresh: nothing to fetch by
CANDIDATES = "candidates"  # refresh: PubMed papers of the same title, offered
ATTACHED = "attached"  # refresh --accept: one of them was attached
SKIPPED = "skipped"  # import: an entry deliberately left out (an empty placeholder)
INVALID = "invalid"  # not an identifier at all
NOT_FOUND = "not found"  # no service knows it
FAILED = "failed"  # it could not be read or fetched
# -- notes an import adds about the papers of its entries -----------------------------
CONFLICT = "conflict"  # a new paper shares an identifier with a paper of another title
FLAGGED = "flagged"  # the paper carries flags (``detail`` lists them)
RENAMED = "renamed"  # the entry's citekey was taken; it was stored under another
UNLISTED = "unlisted"  # a paper the list no longer lists (kept in the library)
PRUNED = "pruned"  # import --sync --prune: a paper the list no longer lists, removed
# -- items of a reading list that are not papers ----------------------------------------
NOT_A_PAPER = "not a paper"  # software, a dataset, a web page... (``kind`` says which)
UNREADABLE = "unreadable"  # an item with a link that igbib cannot read as anything

#: The statuses that count as a problem (a non-zero exit for the command line).
PROBLEMS = frozenset({INVALID, NOT_FOUND, FAILED})
#: The statuses of an entry that ended up as a paper in the library.
STORED = (ADDED, UPDATED, UNCHANGED, MERGED)


@dataclass(slots=True)
class Row:
    """One thing asked for, and what became of it."""

    status: str
    ref: str = ""  # as it was asked for: an identifier as typed, ``id 12``, ``PMID 1``
    line: int | None = None  # the line of the file it stood on
    citekey: str = ""
    title: str = ""
    fields: list[str] = field(default_factory=list)  # updated: the fields that changed
    detail: str = ""  # why, or what, in words
    paper_id: int | None = None
    kind: str = ""  # not a paper: what it is instead (software, dataset, ...)

    def __post_init__(self) -> None:
        self.title = self.title or ""  # papers may have none

    def to_dict(self) -> dict:
        """The row's values that are set (``igbib refresh --json`` prints these)."""
        values = {name: getattr(self, name) for name in _ROW_KEYS}
        return {k: v for k, v in values.items() if v not in ("", None, [])}

    def mark_updated(self, fields: list[str]) -> Row:
        """Make this an :data:`UPDATED` row: ``fields`` changed, and ``detail`` names them."""
        self.status, self.fields, self.detail = UPDATED, fields, ", ".join(fields)
        return self


_ROW_KEYS = ("ref", "status", "line", "citekey", "title", "fields", "detail", "paper_id", "kind")


class _WithStatus:
    """``report.added`` and the like: the rows of one status, in the order recorded."""

    def __init__(self, status: str):
        self.status = status

    def __get__(self, report, owner=None):
        if report is None:
            return self
        return [row for row in report.rows if row.status == self.status]


@dataclass
class Report:
    """The rows of one operation, and what it knows about the run as a whole."""

    rows: list[Row] = field(default_factory=list)
    dry_run: bool = False
    requests: int = 0  # requests made to the online services
    file: str = ""  # import: the file's name and format
    format: str = ""
    sections: list[str] = field(default_factory=list)  # import of a list: its sections
    datasets: int = 0  # import of a list: how many datasets it names
    #: import of a list: its dataset headings matched to the catalogue or merged into one
    dataset_notes: list[str] = field(default_factory=list)
    sync: bool = False  # import --sync: the library's sections follow the list's
    prune: bool = False  # import --sync --prune: papers listed nowhere are removed
    removed_sections: list[str] = field(default_factory=list)  # --sync: sections dropped
    topics: object = None  # what the topic rules did (igbib.ops.topics.AutoTags), if applied

    added = _WithStatus(ADDED)
    updated = _WithStatus(UPDATED)
    unchanged = _WithStatus(UNCHANGED)
    merged = _WithStatus(MERGED)
    conflicts = _WithStatus(CONFLICT)
    flagged = _WithStatus(FLAGGED)
    unlisted = _WithStatus(UNLISTED)
    pruned = _WithStatus(PRUNED)
    renamed_keys = _WithStatus(RENAMED)
    skipped = _WithStatus(SKIPPED)
    failed = _WithStatus(FAILED)
    not_papers = _WithStatus(NOT_A_PAPER)
    unreadable = _WithStatus(UNREADABLE)

    def add(self, row: Row) -> Row:
        self.rows.append(row)
        return row

    @property
    def problems(self) -> int:
        return sum(row.status in PROBLEMS for row in self.rows)

    def counts(self) -> dict[str, int]:
        """Status -> how many rows have it, in the order statuses first appear."""
        out: dict[str, int] = {}
        for row in self.rows:
            out[row.status] = out.get(row.status, 0) + 1
        return out

    def not_paper_counts(self) -> dict[str, int]:
        """Kind -> how many items of a list are not papers, most frequent first."""
        out: dict[str, int] = {}
        for row in self.not_papers:
            out[row.kind] = out.get(row.kind, 0) + 1
        return dict(sorted(out.items(), key=lambda item: -item[1]))

    def paper_ids(self) -> list[int]:
        """The library id of the paper each entry ended up as, in the order given."""
        return [row.paper_id for row in self.rows if row.status in STORED]

    def to_dict(self) -> dict:
        """An import's report as ``igbib import --json`` prints it: rows grouped by status."""
        out: dict = {"file": self.file, "format": self.format, "dry_run": self.dry_run}
        for name in _GROUPS:
            out[name] = [_entry(row) for row in getattr(self, name)]
        out["skipped"] = [{"line": row.line, "reason": row.detail} for row in self.skipped]
        out["failed"] = [{"line": row.line, "reason": row.detail} for row in self.failed]
        if self.format == "markdown":
            out["not_papers"] = [_item(row) for row in self.not_papers]
            out["not_paper_counts"] = self.not_paper_counts()
            out["unreadable"] = [_item(row) for row in self.unreadable]
        out["sections"] = self.sections
        out["datasets"] = self.datasets
        out["dataset_notes"] = self.dataset_notes
        if self.sync:
            out["pruned"] = [_entry(row) for row in self.pruned]
            out["removed_sections"] = self.removed_sections
        return out


_GROUPS = (
    "added",
    "updated",
    "unchanged",
    "merged",
    "conflicts",
    "flagged",
    "unlisted",
    "renamed_keys",
)


def _entry(row: Row) -> dict:
    """A row in an import's JSON: its line (0 when it has none, as before), then the rest."""
    values = {"citekey": row.citekey, "title": row.title, "fields": row.fields}
    values["detail"] = row.detail
    return {"line": row.line or 0, **{k: v for k, v in values.items() if v not in ("", [])}}


def _item(row: Row) -> dict:
    """An item of a list that is not a paper, in an import's JSON."""
    item = {"line": row.line or 0}
    if row.kind and row.status == NOT_A_PAPER:
        item["kind"] = row.kind
    item["reason"] = row.detail
    if row.title:
        item["text"] = row.title
    return item
