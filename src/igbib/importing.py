"""Applying a parsed file to a library: match, merge, add, place, flag; all or nothing.

Matching decides whether an incoming record is a paper the library (or the same
file) already holds:

1. Same identifier (PMID, DOI, PMCID or arXiv id) and the same title (ignoring
   case, accents and punctuation, or nearly equal: a fixed typo) -> the same paper.
2. No identifier in common, but the same title, a compatible year, the same first
   author and no contradicting identifier -> the same paper (a BibTeX record of a
   paper the list links by PMID, say).
3. Otherwise a new paper. When it shares an identifier with a paper of another
   title, both are kept and both are flagged: one of the links is wrong. igbib
   never merges two records it is not sure are one work, and never drops one.

Merging never overwrites curated data (citekey, sections, tags, note) and lets
a record only overwrite fields from a source at least as good as its own
(Markdown < BibTeX < PubMed/Crossref); a weaker source only fills gaps.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field

from igbib.citekey import base_key, unique_key
from igbib.flags import paper_flags
from igbib.ids import KINDS
from igbib.importers import ParsedFile, paused_gc
from igbib.model import METADATA_FIELDS, Paper, fold, title_key, titles_match
from igbib.store import Library, now

SOURCE_RANK = {"markdown": 1, "bibtex": 2, "csljson": 2, "ris": 2, "pubmed": 3, "crossref": 3}


@dataclass(slots=True)
class Change:
    """One line of an import report."""

    line: int
    citekey: str
    title: str | None
    fields: list[str] = field(default_factory=list)
    detail: str = ""

    def to_dict(self) -> dict:
        values = {k: getattr(self, k) for k in ("line", "citekey", "title", "fields", "detail")}
        return {k: v for k, v in values.items() if v not in ("", [], None) or k == "line"}


@dataclass
class ImportReport:
    file: str
    format: str
    dry_run: bool = False
    added: list[Change] = field(default_factory=list)
    updated: list[Change] = field(default_factory=list)
    unchanged: list[Change] = field(default_factory=list)
    merged: list[Change] = field(default_factory=list)
    conflicts: list[Change] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)
    failed: list[tuple[int, str]] = field(default_factory=list)
    flagged: list[Change] = field(default_factory=list)
    unlisted: list[Change] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    datasets: int = 0
    renamed_keys: list[Change] = field(default_factory=list)
    #: the library id of each entry's paper, in the file's order
    paper_ids: list[int] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.unlisted)

    def to_dict(self) -> dict:
        out: dict = {"file": self.file, "format": self.format, "dry_run": self.dry_run}
        for name in (
            "added",
            "updated",
            "unchanged",
            "merged",
            "conflicts",
            "flagged",
            "unlisted",
            "renamed_keys",
        ):
            out[name] = [c.to_dict() for c in getattr(self, name)]
        out["skipped"] = [{"line": n, "reason": r} for n, r in self.skipped]
        out["failed"] = [{"line": n, "reason": r} for n, r in self.failed]
        out["sections"] = self.sections
        out["datasets"] = self.datasets
        return out


class _Rollback(Exception):
    pass


class _Candidate:
    """What matching needs of a paper, stored or new in this import."""

    __slots__ = ("ref", "ids", "title", "key", "year", "authors_json", "paper")

    def __init__(self, ref, ids, title, year, authors_json=None, paper=None, key=None):
        self.ref, self.ids, self.title, self.year = ref, ids, title, year
        self.key = title_key(title) if key is None else key
        self.authors_json, self.paper = authors_json, paper

    def first_family(self) -> str:
        authors = self.paper.authors if self.paper else json.loads(self.authors_json or "[]")
        if not authors:
            return ""
        first = authors[0]
        return fold(first.get("family") or first.get("literal") or "")


class _Index:
    def __init__(self):
        self.by_id: dict[str, dict[str, list[_Candidate]]] = {k: {} for k in KINDS}
        self.by_title: dict[str, list[_Candidate]] = {}

    def add(self, cand: _Candidate) -> None:
        for kind, value in cand.ids.items():
            self.by_id[kind].setdefault(value, []).append(cand)
        if cand.key:
            self.by_title.setdefault(cand.key, []).append(cand)

    def find(
        self, paper: Paper, key: str
    ) -> tuple[_Candidate | None, list[tuple[str, str, _Candidate]]]:
        """``(match, conflicts)``: conflicts share an identifier but not the title."""
        conflicts = []
        seen = set()
        for kind, value in paper.identifiers().items():
            for cand in self.by_id[kind].get(value, ()):
                if id(cand) in seen:
                    continue
                seen.add(id(cand))
                if not paper.title or not cand.title or titles_match(paper.title, cand.title):
                    return cand, []
                conflicts.append((kind, value, cand))
        for cand in self.by_title.get(key, ()) if key else ():
            if _compatible(paper, cand):
                return cand, []
        return None, conflicts


def _compatible(paper: Paper, cand: _Candidate) -> bool:
    if paper.year and cand.year and paper.year != cand.year:
        return False
    if cand.ids:
        for kind, value in paper.identifiers().items():
            other = cand.ids.get(kind)
            if other and other != value:
                return False
    family = fold(paper.first_author) if paper.authors else ""
    other = cand.first_family()
    return not family or not other or family == other


def import_parsed(
    library: Library,
    parsed: ParsedFile,
    name: str,
    dry_run: bool = False,
    section: str | None = None,
    tags: list[str] | tuple[str, ...] = (),
):
    """Apply ``parsed`` to ``library`` in one transaction; return the :class:`ImportReport`.

    With ``dry_run`` the same work is done and then rolled back, so the report
    is exactly what a real import would do. ``section`` and ``tags``: every paper
    of the file is also listed at the end of that section and given those tags.
    """
    report = ImportReport(file=name, format=parsed.format, dry_run=dry_run)
    report.skipped = list(parsed.skipped)
    report.failed = list(parsed.failed)
    try:
        with paused_gc(), library.transaction():
            _apply(library, parsed, report)
            place_and_tag(library, report.paper_ids, section, tags)
            if dry_run:
                raise _Rollback
    except _Rollback:
        pass
    return report


def _load_index(library: Library) -> _Index:
    """Every stored paper, as matching needs it."""
    index = _Index()
    for pid, pmid, doi, pmcid, arxiv, title, year, authors in library.match_rows():
        ids = {
            k: v for k, v in (("pmid", pmid), ("doi", doi), ("pmcid", pmcid), ("arxiv", arxiv)) if v
        }
        index.add(_Candidate(pid, ids, title, year, authors_json=authors))
    return index


def _update_matched(library: Library, matched: dict, stamp: str, report: ImportReport):
    """Merge the file into the stored papers it matched; return them and the changed ids."""
    stored = {p.id: p for p in library.get_papers(list(matched))}
    updated: set[int] = set()
    for pid, entries in matched.items():
        paper = stored[pid]
        changes = merge_changes(paper, entries[0].paper)
        for entry in entries[1:]:  # listed again: the first listing wins, the others fill gaps
            changes.update(_gaps(_with(paper, changes), entry.paper))
        change = Change(entries[0].line, paper.citekey, paper.title)
        if changes:
            library.update_paper(pid, {**changes, "updated": stamp})
            change.fields = _reported(changes)
            report.updated.append(change)
            updated.add(pid)
        else:
            report.unchanged.append(change)
    return stored, updated


def _apply(library: Library, parsed: ParsedFile, report: ImportReport) -> None:
    stamp = now()
    index = _load_index(library)
    taken = library.citekeys()

    new: list[Paper] = []
    targets: list[_Candidate] = []  # the paper each entry ended up as
    matched: dict[int, list] = {}  # stored id -> the entries that matched it
    merged: list[tuple] = []  # (entry, candidate) given again in this file
    conflicts: list[tuple] = []
    for entry in parsed.entries:
        paper = entry.paper
        key = title_key(paper.title)
        cand, shared = index.find(paper, key)
        if cand is None:
            _assign_key(paper, taken, report, entry.line)
            paper.added = paper.updated = stamp
            ids = paper.identifiers()
            cand = _Candidate(("new", len(new)), ids, paper.title, paper.year, paper=paper, key=key)
            new.append(paper)
            index.add(cand)
            if shared:
                conflicts.extend((entry, kind, value, other) for kind, value, other in shared)
        elif cand.paper is not None:
            for name, value in _gaps(cand.paper, paper).items():
                setattr(cand.paper, name, value)
            merged.append((entry, cand))
        elif cand.ref in matched:
            matched[cand.ref].append(entry)
            merged.append((entry, cand))
        else:
            matched[cand.ref] = [entry]
        targets.append(cand)

    stored, updated = _update_matched(library, matched, stamp, report)

    for paper in new:  # after merging: a second listing may have filled a gap
        paper.flags = paper_flags(paper)
    library.insert_papers(new)
    line_of = {id(e.paper): e.line for e in parsed.entries}
    report.added = [Change(line_of[id(p)], p.citekey, p.title) for p in new]

    def paper_id(cand: _Candidate) -> int:
        return cand.paper.id if cand.paper is not None else cand.ref

    def citekey(cand: _Candidate) -> str:
        return cand.paper.citekey if cand.paper is not None else stored[cand.ref].citekey

    for entry, cand in merged:
        report.merged.append(
            Change(entry.line, citekey(cand), entry.paper.title, detail="given again; one paper")
        )
    for entry, kind, value, other in conflicts:
        other_key = other.paper.citekey if other.paper else library.citekey_of(other.ref)
        report.conflicts.append(
            Change(
                entry.line,
                entry.paper.citekey,
                entry.paper.title,
                detail=f"{kind.upper()} {value} is also given for {other_key}; both kept, flagged",
            )
        )
    report.paper_ids = [paper_id(c) for c in targets]
    if parsed.is_list:
        _apply_structure(library, parsed, report.paper_ids, report)
    flagged = refresh_flags(library, updated)
    for paper in new:
        flags = flagged.pop(paper.id, paper.flags)
        if flags:
            report.flagged.append(_flag_change(line_of[id(paper)], paper, flags))
    for pid, entries in matched.items():
        flags = flagged.get(pid, stored[pid].flags)
        if flags:
            report.flagged.append(_flag_change(entries[0].line, stored[pid], flags))
    report.flagged.sort(key=lambda c: c.line)


def _flag_change(line: int, paper: Paper, flags: list[dict]) -> Change:
    reasons = "; ".join(f"{f['code']}: {f['reason']}" for f in flags)
    return Change(line, paper.citekey, paper.title, detail=reasons)


def place_and_tag(library: Library, ids: list[int], section: str | None, tags) -> None:
    if section:
        library.append_placements(library.ensure_section(section, "heading:2"), ids)
    if tags:
        library.add_tags(ids, list(tags))


def _with(paper: Paper, changes: dict) -> Paper:
    if not changes:
        return paper
    merged = Paper(**paper.to_dict())
    for key, value in changes.items():
        setattr(merged, key, value)
    return merged


def merge_changes(stored: Paper, incoming: Paper) -> dict:
    """The column changes that bring ``incoming``'s knowledge into ``stored``."""
    stronger = SOURCE_RANK.get(incoming.source, 0) >= SOURCE_RANK.get(stored.source, 0)
    changes: dict = {}
    for name in METADATA_FIELDS:
        new, old = getattr(incoming, name), getattr(stored, name)
        if name == "et_al" or _empty(new) or new == old:
            continue
        if name in KINDS:
            if _empty(old):
                changes[name] = new
        elif name == "extra":
            combined = {**new, **old} if not stronger else {**old, **new}
            if combined != old:
                changes[name] = combined
        elif name == "entry_type":
            if stronger and incoming.source != "markdown":
                changes[name] = new
        elif _empty(old) or stronger:
            changes[name] = new
    if "authors" in changes or (stronger and incoming.et_al != stored.et_al and incoming.authors):
        changes["et_al"] = incoming.et_al
        changes.setdefault("authors", incoming.authors)
    if incoming.listed is not None and not same_listing(incoming.listed, stored.listed):
        changes["listed"] = incoming.listed
    if changes and stronger and incoming.source != stored.source:
        changes["source"] = incoming.source
    return changes  # never the citekey: a stored key does not change


def same_listing(a: dict | None, b: dict | None) -> bool:
    """Two listings of a paper say the same: equal text once wrapping and escapes are
    ignored, and links to the same identifiers (``/pubmed/1`` is ``pubmed.../1/``).

    So importing the list igbib exported (canonical links, titles on one line)
    changes nothing.
    """
    if a is None or b is None:
        return a is b
    from igbib.ids import ids_from_url

    def norm(listing: dict, key: str) -> str:
        return " ".join(str(listing.get(key) or "").replace("\\", "").split())

    for key in ("authors", "title", "journal", "year", "comment"):
        if norm(a, key) != norm(b, key):
            return False
    link_a, link_b = a.get("link") or "", b.get("link") or ""
    if link_a == link_b:
        return True
    found_a, found_b = ids_from_url(link_a), ids_from_url(link_b)
    return bool(found_a) and found_a == found_b


def _gaps(current: Paper, incoming: Paper) -> dict:
    """The fields ``incoming`` has and ``current`` lacks."""
    return {
        name: getattr(incoming, name)
        for name in METADATA_FIELDS
        if _empty(getattr(current, name)) and not _empty(getattr(incoming, name))
    }


def _empty(value) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _reported(changes: dict) -> list[str]:
    hidden = {"et_al", "source", "updated"}
    names = [k for k in changes if k not in hidden]
    if names == ["listed"]:
        return ["listing"]
    return [n for n in names if n != "listed"] or ["listing"]


def _assign_key(paper: Paper, taken: set[str], report: ImportReport, line: int) -> None:
    wanted = paper.citekey
    key = unique_key(wanted or base_key(paper), taken)
    if wanted and key != wanted:
        report.renamed_keys.append(
            Change(line, key, paper.title, detail=f"key {wanted!r} is taken; stored as {key!r}")
        )
    paper.citekey = key
    taken.add(key)


def _apply_structure(library: Library, parsed: ParsedFile, ids: list[int], report) -> None:
    """The list's sections, their order and content, its prose and datasets."""
    before = library.placements()
    by_section: dict[str, list[int]] = {s.name: [] for s in parsed.sections}
    for entry, pid in zip(parsed.entries, ids, strict=True):
        listed = by_section.setdefault(entry.section or "Papers", [])
        if pid not in listed:
            listed.append(pid)
    section_ids = {}
    for section in parsed.sections:
        section_ids[section.name] = library.ensure_section(section.name, section.style)
    library.order_sections(list(section_ids.values()))
    for name, pids in by_section.items():
        library.set_placements(section_ids[name], pids)
    report.sections = list(section_ids)

    now_listed = {pid for pids in by_section.values() for pid in pids}
    dropped = {
        pid for sid in section_ids.values() for pid in before.get(sid, []) if pid not in now_listed
    }
    for paper in library.get_papers(sorted(dropped)):
        if not paper.sections:
            report.unlisted.append(
                Change(0, paper.citekey, paper.title, detail="no longer listed; kept")
            )
    blocks = []
    for block in parsed.blocks:
        if block["kind"] == "section":
            blocks.append({"kind": "section", "section_id": section_ids[block["section"]]})
        else:
            blocks.append(block)
    library.replace_document(blocks, parsed.datasets)
    library.set_meta("list_source", os.path.basename(report.file))
    report.datasets = len(parsed.datasets)


def refresh_flags(library: Library, touched: set[int]) -> dict[int, list[dict]]:
    """Recompute the flags of ``touched`` papers and of every paper sharing an identifier.

    Returns the flags of each paper looked at, by id.
    """
    shared: dict[int, list] = {}
    for kind in KINDS:
        for value, members in library.shared_identifiers(kind).items():
            for pid, _key, _title in members:
                others = [m for m in members if m[0] != pid]
                shared.setdefault(pid, []).append((kind, value, others))
    ids = sorted(touched | set(shared) | set(library.flagged_ids("shared-id")))
    out = {}
    for paper in library.get_papers(ids):
        flags = paper_flags(paper, shared.get(paper.id))
        if flags != paper.flags:
            library.set_flags(paper.id, flags)
        out[paper.id] = flags
    return out
