"""Merging papers that are one work: ``igbib merge REF REF...``, in one transaction.

The **survivor** is the oldest paper (earliest ``added``, then lowest id): its
citation key is the one manuscripts have cited longest. The other papers are
deleted, and nothing they held is lost:

Papers whose titles are unlike each other (:func:`similar_titles`) are refused
without ``force``: two papers behind one PMID are usually a wrong link, not one
work.

- **identifiers**: every one is kept. Two papers with different values of the
  same kind (two PMIDs) are probably two works: the merge is refused, naming
  them. With ``force`` the survivor keeps the value of the oldest paper that
  has one, and the others are recorded in ``extra["merged_identifiers"]``
  (``{"pmid": ["27009765"]}``), never in ``extra[kind]``, which is the channel
  of invalid identifiers (see :class:`~igbib.model.Paper`);
- **fields**: the shared merge policy (:func:`igbib.ops.rules.merge_changes`)
  folds each other paper into the survivor, oldest first. A paper whose source
  ranks higher (:data:`~igbib.ops.rules.SOURCE_RANK`: PubMed over a Markdown
  list) replaces the survivor's values; any other only fills what is missing
  (and completes an author list cut to "et al."), so on a tie the older paper's
  values stand;
- **notes** are joined (each distinct note once, one a line), **tags** and **dataset
  links** united (a link the survivor has already keeps its origin),
  and flags that a check set (``title-mismatch``) kept; the derived flags are
  recomputed (:func:`igbib.ops.flags.refresh_flags`);
- **placements**: the survivor takes each placement of the others, at its
  position; where both are in one section it keeps the earlier position. The
  sections concerned are numbered 1..n again;
- **keys**: the others' citation keys, and the aliases they had, become the
  survivor's aliases, so ``show``, ``search key:`` and the BibLaTeX ``ids``
  field still find a manuscript's old key.
"""

from __future__ import annotations

from igbib.errors import Refused, UsageError
from igbib.ids import KINDS, LABELS
from igbib.model import Paper, similar_titles
from igbib.ops.flags import kept, refresh_flags
from igbib.ops.rules import SOURCE_RANK, empty, merge_changes, with_changes
from igbib.store import now

#: ``extra`` key recording the identifiers a forced merge did not keep.
MERGED_IDENTIFIERS = "merged_identifiers"


class _Rollback(Exception):
    pass


class MergeResult:
    """What a merge did (or, in a dry run, would do)."""

    def __init__(self, survivor: Paper, merged: list[Paper], dry_run: bool):
        self.survivor = survivor  # as it is after the merge
        self.merged = merged  # the papers merged into it, as they were
        self.dry_run = dry_run
        self.fields: list[str] = []  # the survivor's fields the merge changed
        self.aliases: list[str] = []  # every alias the survivor has after the merge
        self.dropped_identifiers: dict[str, list[str]] = {}  # --force: those not kept
        #: field -> (citekey, value) of the merged papers' values the survivor does not
        #: have (the survivor's won); the history keeps the merged papers whole
        self.not_kept: dict[str, list[tuple[str, object]]] = {}

    def to_dict(self) -> dict:
        return {
            "dry_run": self.dry_run,
            "survivor": {"id": self.survivor.id, "citekey": self.survivor.citekey},
            "merged": [{"id": p.id, "citekey": p.citekey, "title": p.title} for p in self.merged],
            "fields": self.fields,
            "aliases": self.aliases,
            "dropped_identifiers": self.dropped_identifiers,
            "not_kept": {k: [list(v) for v in vs] for k, vs in self.not_kept.items()},
            "paper": {**self.survivor.to_dict(), "aliases": self.aliases},
        }


def resolve_distinct(library, refs: list[str]) -> list[Paper]:
    """The papers ``refs`` name, each once; a usage error unless they are two or more."""
    if len(refs) < 2:
        raise UsageError("give two or more papers to merge (REF REF...)")
    papers: list[Paper] = []
    for ref in refs:
        paper = library.resolve(ref)
        same = next((p for p in papers if p.id == paper.id), None)
        if same is not None:
            raise UsageError(
                f"{ref!r} is {same.citekey} (id {same.id}), already given: "
                "a paper cannot be merged with itself"
            )
        papers.append(paper)
    return papers


def conflicts(papers: list[Paper]) -> dict[str, list[tuple[str, Paper]]]:
    """Identifier kind -> ``(value, paper)`` of each paper giving it, for the kinds of which
    the papers give different values. ``papers`` oldest first."""
    out = {}
    for kind in KINDS:
        given = [(getattr(p, kind), p) for p in papers if getattr(p, kind)]
        if len({value for value, _ in given}) > 1:
            out[kind] = given
    return out


def merge(library, refs: list[str], *, force: bool = False, dry_run: bool = False) -> MergeResult:
    """Merge the papers ``refs`` name into the oldest of them (see the module's docstring).

    Raises :class:`UsageError` for fewer than two distinct papers,
    :class:`~igbib.errors.NotFound` for a reference that names none (or several),
    :class:`Refused` for different identifiers of one kind, or titles unlike each
    other, without ``force``.
    With ``dry_run`` the merge is done and rolled back: the result is exactly what
    it would do.
    """
    papers = sorted(resolve_distinct(library, refs), key=lambda p: (p.added or "", p.id))
    survivor, others = papers[0], papers[1:]
    clashes = conflicts(papers)
    if clashes and not force:
        raise Refused(_refusal(clashes))
    unlike = [p for p in others if not similar_titles(survivor.title, p.title)]
    if unlike and not force:
        names = "; ".join(f"{p.citekey}: {p.title!r}" for p in unlike)
        raise Refused(
            f"cannot merge: the titles differ ({survivor.citekey}: {survivor.title!r}; {names}):"
            " probably different works, e.g. one listed behind the other's link"
            " (--force merges them anyway)"
        )
    result = MergeResult(survivor, others, dry_run)
    try:
        with library.transaction():
            _apply(library, survivor, others, clashes, result)
            result.survivor = library.get(survivor.id)
            result.not_kept = _not_kept(result.survivor, others)
            result.aliases = library.aliases_of([survivor.id]).get(survivor.id, [])
            if dry_run:
                raise _Rollback
    except _Rollback:
        pass
    return result


def _refusal(clashes: dict) -> str:
    parts = []
    for kind, given in clashes.items():
        holders: dict[str, list[str]] = {}
        for value, paper in given:
            holders.setdefault(value, []).append(paper.citekey)
        values = ", ".join(f"{value} ({', '.join(keys)})" for value, keys in holders.items())
        parts.append(f"{LABELS[kind]} {values}")
    return (
        "cannot merge papers with different identifiers: "
        + "; ".join(parts)
        + ": probably different works (--force keeps the older paper's and records the others)"
    )


def _not_kept(survivor: Paper, others: list[Paper]) -> dict[str, list[tuple[str, object]]]:
    """The merged papers' values of the work's fields that the survivor does not have."""
    from igbib.model import METADATA_FIELDS

    out: dict[str, list[tuple[str, object]]] = {}
    for other in others:
        for name in METADATA_FIELDS:
            value = getattr(other, name)
            if not empty(value) and value != getattr(survivor, name) and name not in KINDS:
                out.setdefault(name, []).append((other.citekey, value))
    return out


def _apply(library, survivor: Paper, others: list[Paper], clashes: dict, result) -> None:
    merged, dropped = _merged_fields(survivor, others, clashes)
    result.dropped_identifiers = dropped
    changes = {k: v for k, v in merged.to_dict().items() if v != getattr(survivor, k)}
    changes.pop("sections", None), changes.pop("tags", None), changes.pop("auto_tags", None)
    result.fields = [k for k in changes if k not in ("updated", "flags")]
    for other in others:
        _take_placements(library, survivor.id, other.id)
        library.add_alias(survivor.id, other.citekey)
        library.move_aliases(other.id, survivor.id)
        library.move_dataset_links(other.id, survivor.id)  # the survivor's own stay as they are
        library.move_candidates(other.id, survivor.id)
    _merge_tags(library, survivor, others)
    library.delete_papers([p.id for p in others])
    # the key other papers had is free only now: the survivor's aliases name it
    library.update_paper(survivor.id, {**changes, "updated": now()})
    refresh_flags(library, {survivor.id})


def _merge_tags(library, survivor: Paper, others: list[Paper]) -> None:
    """The survivor takes the other papers' tags: a curator's tag stays the curator's (and
    wins over an automatic or rejected one of the same name); a tag a curator rejected on
    any of them stays rejected unless a curator gave it to another; an automatic tag is
    added as automatic (``igbib tag --auto`` recomputes it from the merged record)."""
    from igbib.store.tags import AUTO, CURATOR, REJECTED

    rank = {AUTO: 0, REJECTED: 1, CURATOR: 2}
    held = library.tag_origins([survivor.id, *(o.id for o in others)])
    best: dict[str, tuple[str, str]] = {}
    for paper_id in (survivor.id, *(o.id for o in others)):
        for name, origin in held.get(paper_id, {}).items():
            key = name.casefold()
            if key not in best or rank[origin] > rank[best[key][1]]:
                best[key] = (best.get(key, (name,))[0], origin)
    mine = held.get(survivor.id, {})
    for name, origin in best.values():
        if mine.get(name) != origin:
            library.set_tag_origin(survivor.id, name, origin)


def _merged_fields(survivor: Paper, others: list[Paper], clashes: dict) -> tuple[Paper, dict]:
    """The survivor with every other paper's knowledge folded in, and the identifiers not kept."""
    paper = survivor
    for other in others:
        fill_only = SOURCE_RANK.get(other.source, 0) <= SOURCE_RANK.get(paper.source, 0)
        paper = with_changes(paper, merge_changes(paper, other, fill_only=fill_only))
    paper = Paper(**paper.to_dict())  # a copy of its own, whatever with_changes returned
    dropped: dict[str, list[str]] = {}
    for kind, given in clashes.items():
        kept_value = getattr(paper, kind)
        values = [value for value, _ in given if value != kept_value]
        dropped[kind] = list(dict.fromkeys(values))
    if dropped:
        extra = dict(paper.extra)
        record = {k: list(v) for k, v in extra.get(MERGED_IDENTIFIERS, {}).items()}
        for kind, values in dropped.items():
            record[kind] = list(dict.fromkeys([*record.get(kind, []), *values]))
        extra[MERGED_IDENTIFIERS] = record
        paper.extra = extra
    notes = [n for n in dict.fromkeys(p.note for p in (survivor, *others)) if not empty(n)]
    paper.note = "\n".join(notes) if notes else survivor.note
    flags = list(survivor.flags)
    for other in others:
        flags.extend(f for f in kept(other.flags) if f not in flags)
    paper.flags = flags
    return paper, dropped


def _take_placements(library, survivor_id: int, other_id: int) -> None:
    """The survivor takes ``other_id``'s placements (the earlier position where both are
    listed in one section); the sections concerned are numbered 1..n again."""
    held = {p["section_id"] for p in library.paper_placements(survivor_id)}
    for place in library.paper_placements(other_id):
        section_id = place["section_id"]
        entries = library.section_entries(section_id)
        order = [pid for pid, _ in entries]
        lines = dict(entries)
        if section_id in held:
            first = min(order.index(survivor_id), order.index(other_id))
            line = lines[order[first]]
            order = [pid for pid in order if pid not in (survivor_id, other_id)]
            order.insert(first, survivor_id)
            lines[survivor_id] = line
        else:
            order[order.index(other_id)] = survivor_id
            lines[survivor_id] = lines[other_id]
            held.add(section_id)
        library.remove_placement(other_id, section_id)
        library.set_placements(section_id, order, [lines[pid] for pid in order])
