"""Storing records in a library: find, merge, insert, structure, flag; all or nothing.

The one way papers get into a library, whether they come from a file
(:func:`import_parsed`) or from the online services (:func:`ingest_papers`):

1. **find** each record among the stored papers and those earlier in the same
   run (:mod:`igbib.ops.match`); a record that matches none is a new paper and
   gets a citekey of its own;
2. **merge** the records that matched a stored paper into it
   (:mod:`igbib.ops.rules`);
3. **insert** the new papers;
4. **structure**: for a curated list, its sections, their papers in order, its
   prose and datasets;
5. **flag**: recompute the flags of every paper touched and of those sharing an
   identifier with them (:mod:`igbib.ops.flags`);
6. **topic tags** (unless asked not to): the tags the topic rules give the papers
   touched, or every paper when the rules changed (:mod:`igbib.ops.topics`).

Each record's :class:`~igbib.ops.reports.Row` is made when the record is read,
and each step that decides something about it records it there.
"""

from __future__ import annotations

import os

from igbib.citekey import base_key, unique_key
from igbib.errors import UsageError
from igbib.ids import LABELS
from igbib.importers import ParsedFile, paused_gc
from igbib.model import Paper, title_key
from igbib.ops.flags import describe, paper_flags, refresh_flags
from igbib.ops.match import Candidate, Matcher
from igbib.ops.reports import (
    ADDED,
    CONFLICT,
    FAILED,
    FLAGGED,
    MERGED,
    NOT_A_PAPER,
    PRUNED,
    RENAMED,
    SKIPPED,
    STORED,
    UNCHANGED,
    UNLISTED,
    UNREADABLE,
    Report,
    Row,
)
from igbib.ops.rules import merge_changes, reported_fields, with_changes
from igbib.store import Library, now

GIVEN_AGAIN = "given again; one paper"


class _Rollback(Exception):
    pass


class _Record:
    """One incoming record: its paper, its report row, and what it turned out to be."""

    __slots__ = ("paper", "row", "section", "target")

    def __init__(self, paper: Paper, row: Row, section: str | None = None):
        self.paper, self.row, self.section = paper, row, section
        self.target: Candidate | None = None


class _Citekeys:
    """The citekeys taken: the stored ones and those given in this run.

    The stored ones asked for are looked up in one batch (``wanted``: the keys
    the new papers would like); only a key made unique with a suffix, which
    is rarer, is looked up on its own.
    """

    def __init__(self, library: Library, wanted: set[str]):
        self.library = library
        self.asked = wanted
        self.stored = set() if library.is_empty() else library.taken_citekeys(wanted)
        self.new: set[str] = set()

    def __contains__(self, key: str) -> bool:
        if key in self.new or key in self.stored:
            return True
        return key not in self.asked and self.library.has_citekey(key)

    def add(self, key: str) -> None:
        self.new.add(key)


class _New:
    """A record that is a new paper, until its citekey is assigned: the key it wants, and
    what was true of it when it was found (later records of the same paper may fill its
    title), for its notes."""

    __slots__ = ("record", "wanted", "title", "shared")

    def __init__(self, record: _Record, wanted: str, shared: list[tuple]):
        self.record, self.wanted, self.shared = record, wanted, shared
        self.title = record.paper.title

    def note(self, report: Report, status: str, detail: str) -> None:
        """A note on the new paper (with its title as it was when the record was found)."""
        note = report.add(_note(status, self.record.row, self.record.paper, detail))
        note.title = self.title or ""


def import_parsed(
    library: Library,
    parsed: ParsedFile,
    name: str,
    dry_run: bool = False,
    section: str | None = None,
    tags: list[str] | tuple[str, ...] = (),
    sync: bool = False,
    prune: bool = False,
    auto_tags: bool = True,
) -> Report:
    """Apply a parsed file to ``library`` in one transaction; return its :class:`Report`.

    With ``dry_run`` the same work is done and then rolled back, so the report
    is exactly what a real import would do. ``section`` and ``tags``: every paper
    of the file is also listed at the end of that section and given those tags.

    ``sync`` (a reading list only): the library's list follows the file's; the
    sections the file no longer has are removed with their placements (their
    papers stay in the library, reported unlisted). ``prune`` (with ``sync``):
    the papers this import leaves listed nowhere are removed from the library.
    ``auto_tags``: give the papers the topic tags the rules give (``report.topics``).
    """
    if prune and not sync:
        raise UsageError("--prune removes the papers --sync unlists: add --sync")
    if sync and not parsed.is_list:
        raise UsageError(
            f"--sync makes the library's list follow a reading list; {name} is {parsed.format}"
        )
    report = Report(file=name, format=parsed.format, dry_run=dry_run, sync=sync, prune=prune)
    for line, why in parsed.skipped:
        report.add(Row(SKIPPED, line=line, detail=why))
    for line, why in parsed.failed:
        report.add(Row(FAILED, line=line, detail=why))
    for item in parsed.others:
        status = UNREADABLE if item.kind == UNREADABLE else NOT_A_PAPER
        report.add(Row(status, line=item.line, title=item.text, detail=item.reason, kind=item.kind))
    with paused_gc():  # a collection now would scan every object the parse made
        records = [
            _Record(e.paper, report.add(Row("", line=e.line)), e.section) for e in parsed.entries
        ]
        structure = parsed if parsed.is_list else None
        _store(library, records, report, structure, section, tags, _rules(auto_tags))
    return report


def ingest_papers(
    library: Library,
    papers: list[Paper],
    *,
    refs: list[str] | None = None,
    section: str | None = None,
    tags: list[str] | tuple[str, ...] = (),
    dry_run: bool = False,
    auto_tags: bool = True,
) -> Report:
    """Store papers fetched online, as :func:`import_parsed` stores a file's.

    ``refs``: what each paper was asked for as (an identifier as typed), for
    its report row. Papers already stored are merged into, never copied.
    """
    report = Report(dry_run=dry_run)
    refs = refs if refs is not None else [""] * len(papers)
    with paused_gc():
        records = [
            _Record(p, report.add(Row("", ref=r))) for p, r in zip(papers, refs, strict=True)
        ]
        _store(library, records, report, None, section, tags, _rules(auto_tags))
    return report


def ingest_in_transaction(
    library: Library,
    papers: list[Paper],
    *,
    refs: list[str],
    section: str | None = None,
    tags: list[str] | tuple[str, ...] = (),
    rules=None,
) -> Report:
    """:func:`ingest_papers` inside a transaction the caller holds (``rules``: the topic
    rules, read before the transaction began, or None for no automatic tags)."""
    report = Report()
    records = [_Record(p, report.add(Row("", ref=r))) for p, r in zip(papers, refs, strict=True)]
    _write(library, records, report, None, section, tags, rules)
    return report


def read_rules(auto_tags: bool = True):
    """The topic rules, for :func:`ingest_in_transaction`."""
    return _rules(auto_tags)


def _rules(wanted: bool):
    """The topic rules, read (and checked) before anything is written; None: no auto tags."""
    if not wanted:
        return None
    from igbib.topics import load_rules

    return load_rules()


def _store(library, records, report, structure, section, tags, rules=None) -> None:
    try:
        with library.transaction():
            _write(library, records, report, structure, section, tags, rules)
            if report.dry_run:
                raise _Rollback
    except _Rollback:
        pass


def _write(library, records, report, structure, section, tags, rules) -> None:
    _apply(library, records, report, structure)
    place_and_tag(library, report.paper_ids(), section, tags)
    if rules is not None:
        from igbib.ops.topics import update_touched

        # a paper the run left as it was keeps the automatic tags it has: they are
        # current unless the rules changed, or papers changed without their tags being
        # computed (then update_touched computes every paper's again)
        changed = report.paper_ids() if tags else _changed_ids(report)
        report.topics = update_touched(library, changed, rules)
    elif _changed_ids(report):
        from igbib.ops.topics import mark_stale

        mark_stale(library)


def _changed_ids(report: Report) -> list[int]:
    return [r.paper_id for r in report.rows if r.status in STORED and r.status != UNCHANGED]


def place_and_tag(library: Library, ids: list[int], section: str | None, tags) -> None:
    """List these papers at the end of ``section`` and give them ``tags``."""
    if section:
        library.append_placements(library.ensure_section(section, "heading:2"), ids)
    if tags:
        library.add_tags(ids, list(tags))


def _apply(library: Library, records: list[_Record], report: Report, structure) -> None:
    stamp = now()
    new, matched = _find(library, records, report, stamp)
    stored, updated = _merge(library, matched, stamp)
    _insert(library, new, records)
    if structure is not None:
        _structure(library, structure, records, report)
    _flag(library, new, matched, stored, updated, report)


def _find(library, records, report, stamp) -> tuple[list[_Record], dict[int, list[_Record]]]:
    """Step 1: ``(new records, stored paper id -> the records that matched it)``.

    The new papers get their citekeys once every record is found, so that the
    stored keys they may clash with are looked up in one batch.
    """
    papers = [record.paper for record in records]
    keys = [title_key(paper.title) for paper in papers]
    matcher = Matcher(library, papers, keys)
    new: list[_New] = []
    matched: dict[int, list[_Record]] = {}
    for record, key in zip(records, keys, strict=True):
        paper, row = record.paper, record.row
        row.title = paper.title or ""
        cand, shared = matcher.find(paper, key)
        if cand is None:  # a new paper
            new.append(_New(record, paper.citekey or base_key(paper), shared))
            paper.added = paper.updated = stamp
            cand = Candidate.new(paper, key)
            matcher.add(cand)
            row.status = ADDED
        elif cand.paper is not None:  # new earlier in this run: it gets what this one adds
            for name, value in merge_changes(cand.paper, paper, fill_only=True).items():
                setattr(cand.paper, name, value)
            row.status, row.detail = MERGED, GIVEN_AGAIN
        else:  # stored: merged in step 2
            row.paper_id = cand.paper_id
            if cand.paper_id in matched:
                row.status, row.detail = MERGED, GIVEN_AGAIN
            matched.setdefault(cand.paper_id, []).append(record)
        record.target = cand
    _assign_keys(library, new, report)
    for record in records:  # those that are new papers, or merged into one
        if record.target.paper is not None:
            record.row.citekey = record.target.paper.citekey
    return [n.record for n in new], matched


def _assign_keys(library, new: list[_New], report: Report) -> None:
    """Each new paper's citekey, unique, in the order of the records; their notes."""
    taken = _Citekeys(library, {n.wanted for n in new})
    for n in new:
        paper = n.record.paper
        given = paper.citekey
        paper.citekey = unique_key(n.wanted, taken)
        taken.add(paper.citekey)
        if given and paper.citekey != given:
            n.note(report, RENAMED, f"key {given!r} is taken; stored as {paper.citekey!r}")
        for kind, value, other in n.shared:
            other_key = other.paper.citekey if other.paper else None
            other_key = other_key or library.citekey_of(other.paper_id)
            detail = f"{LABELS[kind]} {value} is also given for {other_key}; both kept, flagged"
            n.note(report, CONFLICT, detail)


def _note(status: str, row: Row, paper: Paper, detail: str) -> Row:
    """A note on the paper a record became, at the record's place."""
    return Row(
        status,
        ref=row.ref,
        line=row.line,
        citekey=paper.citekey,
        title=paper.title,
        detail=detail,
        paper_id=paper.id,
    )


def _merge(library, matched, stamp) -> tuple[dict[int, Paper], set[int]]:
    """Step 2: merge the records into the stored papers they matched.

    The first record of a paper is merged by the source ranks; any later one
    (listed again) only fills what is still missing. Returns the stored papers
    as they were read, and the ids of those changed.
    """
    stored = {p.id: p for p in library.get_papers(list(matched))}
    updated: set[int] = set()
    for paper_id, records in matched.items():
        paper = stored[paper_id]
        first, *again = records
        changes = merge_changes(paper, first.paper)
        for record in again:
            changes.update(
                merge_changes(with_changes(paper, changes), record.paper, fill_only=True)
            )
        # a paper listed twice: the second listing may restore what the first changed
        changes = {name: value for name, value in changes.items() if value != getattr(paper, name)}
        for record in records:
            record.row.citekey = paper.citekey
        row = first.row
        row.title = paper.title or ""
        if changes:
            library.update_paper(paper_id, {**changes, "updated": stamp})
            row.mark_updated(reported_fields(changes))
            updated.add(paper_id)
        else:
            row.status = UNCHANGED
    return stored, updated


def _insert(library, new: list[_Record], records: list[_Record]) -> None:
    """Step 3: store the new papers, flagged, once every record has filled their gaps."""
    for record in new:
        record.paper.flags = paper_flags(record.paper)
    library.insert_papers([r.paper for r in new])
    for record in records:
        if record.row.paper_id is None:
            record.row.paper_id = record.target.paper.id


def _structure(library, parsed: ParsedFile, records: list[_Record], report: Report) -> None:
    """Step 4: the list's sections, their order and content, its prose and datasets."""
    before = library.placements()
    by_section: dict[str, dict[int, int | None]] = {s.name: {} for s in parsed.sections}
    for record in records:
        listed = by_section.setdefault(record.section or "Papers", {})
        listed.setdefault(record.row.paper_id, record.row.line)
    section_ids = {}
    for section in parsed.sections:
        section_ids[section.name] = library.ensure_section(section.name, section.style)
    library.order_sections(list(section_ids.values()))
    for name, pids in by_section.items():
        library.set_placements(section_ids[name], list(pids), list(pids.values()))
    report.sections = list(section_ids)

    now_listed = {pid for pids in by_section.values() for pid in pids}
    kept_ids = set(section_ids.values())
    dropped = {pid for sid in kept_ids for pid in before.get(sid, []) if pid not in now_listed}
    if report.sync:  # the sections the list no longer has go, with their placements
        gone = [s for s in library.sections() if s["id"] not in kept_ids]
        dropped.update(pid for s in gone for pid in before.get(s["id"], []))
        dropped -= now_listed
        library.delete_sections([s["id"] for s in gone])
        report.removed_sections = [s["name"] for s in gone]
    unlisted = [p for p in library.get_papers(sorted(dropped)) if not p.sections]
    for paper in unlisted:
        pruned = report.prune
        detail = "no longer listed; removed" if pruned else "no longer listed; kept"
        report.add(
            Row(
                PRUNED if pruned else UNLISTED,
                citekey=paper.citekey,
                title=paper.title,
                detail=detail,
                paper_id=paper.id,
            )
        )
    if report.prune and unlisted:
        library.delete_papers([p.id for p in unlisted])
    from igbib.ops.datasets import sync_listed

    merged, report.dataset_notes = sync_listed(library, parsed.datasets)
    blocks, heading = [], 0
    for block in parsed.blocks:
        if block["kind"] == "section":
            blocks.append({"kind": "section", "section_id": section_ids[block["section"]]})
        elif block["kind"] == "dataset":  # a heading merged into an earlier one goes
            if heading not in merged:
                blocks.append(block)
            heading += 1
        else:
            blocks.append(block)
    library.set_document_blocks(blocks)
    library.set_meta("list_source", list_path(report.file))
    report.datasets = len(parsed.datasets) - len(merged)


def list_path(path: str) -> str:
    """The list file's path as ``igbib check`` names it in its annotations: relative to the
    working folder (a repository's root, in CI) when the file is in it, else as given."""
    if os.path.isabs(path):
        relative = os.path.relpath(path)
        path = path if relative.startswith("..") else relative
    return path.replace(os.sep, "/")


def _flag(library, new, matched, stored, updated, report: Report) -> None:
    """Step 5: recompute flags; note each flagged paper, in the order of the records."""
    flagged = refresh_flags(library, updated)
    notes = []
    for record in new:
        paper = record.paper
        flags = flagged.pop(paper.id, paper.flags)
        if flags:
            notes.append(_note(FLAGGED, record.row, paper, describe(flags)))
    for paper_id, records in matched.items():
        flags = flagged.get(paper_id, stored[paper_id].flags)
        if flags:
            notes.append(_note(FLAGGED, records[0].row, stored[paper_id], describe(flags)))
    notes.sort(key=lambda row: row.line or 0)
    report.rows.extend(notes)
