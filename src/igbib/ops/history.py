"""Undo: revert recorded changes exactly, or refuse and say why.

``igbib undo`` reverts the newest change still in effect (not an undo, not
undone); ``igbib undo N`` reverts change ``N`` (an undo included: that redoes
what it undid); ``igbib undo --to N`` reverts every change after ``N``, newest
first, back to the library as change ``N`` left it. The revert is itself a
change, recorded like any other, so it can be undone in turn.

A change is reverted only if every row it wrote is still as it left it. If a
later change (or another program) wrote one of them since, the undo is refused
and names that change: reverting the earlier one would silently lose it.
"""

from __future__ import annotations

import json

from igbib.errors import NotFound, Refused
from igbib.store.history import TABLES, Change, RowChange


def describe(change: Change) -> str:
    """``change 7 (tag, 2026-11-27T10:00:00+00:00)``."""
    return f"change {change.id} ({change.command}, {change.at})"


def plan(library, target: int | None = None, to: int | None = None) -> tuple[list[Change], list]:
    """The changes an undo reverts, newest first, and their rows in the order written.

    Raises :class:`NotFound` when there is nothing to undo and :class:`Refused`
    when a row they wrote has been changed since.
    """
    changes = library.changes()
    by_id = {c.id: c for c in changes}
    if to is not None:
        if to and to not in by_id:
            raise NotFound(f"no change {to} in the history (see 'igbib log')")
        chosen = [c for c in changes if c.id > to]
        if not chosen:
            raise NotFound(f"nothing to undo: change {to} is the last change")
    elif target is not None:
        if target not in by_id:
            raise NotFound(f"no change {target} in the history (see 'igbib log')")
        change = by_id[target]
        if change.undone_by is not None:
            raise Refused(
                f"change {target} was already undone by change {change.undone_by}; "
                f"'igbib undo {change.undone_by}' redoes it"
            )
        chosen = [change]
    else:
        chosen = [c for c in changes if c.undone_by is None and not c.undoes][:1]
        if not chosen:
            raise NotFound("nothing to undo: the history has no change in effect")
    rows = library.change_rows(sorted(c.id for c in chosen))
    _check_unchanged(library, chosen, rows, by_id)
    return chosen, rows


def _check_unchanged(library, chosen: list[Change], rows: list[RowChange], by_id) -> None:
    """Refuse if any row the chosen changes left is not as they left it, or if a later
    change in effect reordered a section whose placements they wrote.

    A row they changed or removed is compared with what they left; a row they
    added (the history keeps its key alone) with what the first later change to
    touch it found, if any, else it must still be there.
    """
    final: dict[tuple[str, str], RowChange] = {}
    for row in rows:
        final[(row.table, row.key)] = row
    first = min(c.id for c in chosen)
    ours = {c.id for c in chosen}
    subject = describe(chosen[0]) if len(chosen) == 1 else f"the {len(chosen)} changes"
    for (table, key), last in final.items():
        now = library.current_row(table, json.loads(key))
        later = [r for r in library.later_rows(table, key, first) if r.change_id not in ours]
        if last.action != "added":
            if now == last.new:
                continue
        elif not later:
            if now is not None:
                continue
        elif later[0].action != "added" and now == later[0].old:
            continue
        what = _what(library, table, {**values_of(last), **(now or {})})
        blamed = [
            i for i in dict.fromkeys(r.change_id for r in later) if _in_effect(i, by_id, first)
        ]
        if blamed:
            raise Refused(
                f"cannot undo {subject}: {what} was changed since by {_since(blamed, by_id)}"
            )
        raise Refused(
            f"cannot undo {subject}: {what} was changed since by another program; "
            "the history cannot say how"
        )
    sections = {json.loads(key)[1] for table, key in final if table == "placements"}
    if sections:
        blamed = [
            i
            for i in library.changes_placing(sections, first)
            if i not in ours and _in_effect(i, by_id, first)
        ]
        if blamed:
            names = library.names_of("sections", sorted(sections))
            listed = ", ".join(repr(names.get(s, s)) for s in sorted(sections))
            raise Refused(
                f"cannot undo {subject}: the order of section {listed} was changed since by"
                f" {_since(blamed, by_id)}"
            )


def _in_effect(change_id: int, by_id, first: int) -> bool:
    """Whether a change after ``first`` still has its effect: not undone, and not an undo
    of changes after ``first`` (an undo and what it undid cancel out)."""
    change = by_id.get(change_id)
    if change is None:
        return True
    if change.undone_by is not None:
        return False
    return not (change.undoes and all(t > first for t in change.undoes))


def _since(blamed: list[int], by_id) -> str:
    since = ", ".join(describe(by_id[i]) if i in by_id else f"change {i}" for i in blamed)
    return f"{since}; undo {'that' if len(blamed) == 1 else 'those'} first"


def _in_use(library, chosen: list[Change], exc: Exception) -> str:
    subject = describe(chosen[0]) if len(chosen) == 1 else f"the {len(chosen)} changes"
    first = min(c.id for c in chosen)
    later = [c for c in library.changes() if c.id > first and c.id not in {x.id for x in chosen}]
    what = "citation key" if "citekey" in str(exc) else "tag, section or paper"
    hint = (
        f"; undo the later changes first ('igbib undo --to {first - 1}' reverts them all)"
        if later
        else ""
    )
    return f"cannot undo {subject}: a {what} it made or removed is in use by a later change{hint}"


def _what(library, table: str, row: dict) -> str:
    """How an undo's refusal names a row: by the paper, tag or section it is about."""

    def name(of: str, key: str) -> str:
        found = row.get("citekey" if of == "papers" else "name")
        if not found and row.get(key) is not None:
            found = library.names_of(of, [row[key]]).get(row[key])
        return found or f"id {row.get(key)}"

    if table == "papers":
        return f"paper {name('papers', 'id')}"
    if table in ("tags", "sections"):
        return f"{table[:-1]} {name(table, 'id')!r}"
    paper = library.names_of("papers", [row.get("paper_id")]).get(row.get("paper_id"))
    paper = paper or f"id {row.get('paper_id')}"
    if table == "placements":
        return f"where paper {paper} is listed"
    if table == "paper_tags":
        return f"the tags of paper {paper}"
    if table == "aliases":
        return f"the former keys of paper {paper}"
    if table == "datasets":
        return f"dataset {row.get('name')!r}"
    if table == "paper_datasets":
        return f"the datasets of paper {paper}"
    if table == "meta":
        return f"setting {row.get('key')!r}"
    return "the list's text"


class Undone(list):
    """The changes an undo reverted, newest first; ``recorded``: the id of the change
    that records the undo, or ``None`` if reverting them changed nothing."""

    recorded: int | None = None


def undo(library, target: int | None = None, to: int | None = None) -> Undone:
    """Revert as :func:`plan` says, as one new recorded change."""
    import sqlite3

    library.change_id = None  # an undo is a change of its own
    with library.transaction():
        chosen, rows = plan(library, target, to)
        try:
            library.revert(rows)
        except sqlite3.IntegrityError as exc:
            # What the change made is used by a later change (a tag it created, now on
            # another paper; a section since given papers; a key since taken).
            raise Refused(_in_use(library, chosen, exc)) from None
        library.mark_undo(sorted(c.id for c in chosen))
    done = Undone(chosen)
    done.recorded, library.change_id = library.change_id, None
    return done


# -- what the log shows ------------------------------------------------------------

#: How the log names the rows of each recorded table (one, many).
_NOUNS = {
    "papers": ("paper", "papers"),
    "tags": ("tag", "tags"),
    "paper_tags": ("tag link", "tag links"),
    "sections": ("section", "sections"),
    "placements": ("placement", "placements"),
    "datasets": ("dataset", "datasets"),
    "paper_datasets": ("dataset link", "dataset links"),
    "document": ("list block", "list blocks"),
    "meta": ("setting", "settings"),
    "aliases": ("alias", "aliases"),
    "watches": ("watch", "watches"),
    "candidates": ("candidate", "candidates"),
    "decisions": ("decision", "decisions"),
    "searches": ("search", "searches"),
}
_REVERSED = {"added": "removed", "removed": "added", "changed": "changed"}
#: Columns that change with every write, which the log does not show.
_QUIET = ("updated", "title_key")


def summary_text(summary: dict, *, reverse: bool = False) -> str:
    """``52 papers added, 2 changed; 2 sections added`` (``reverse``: what undoing it does)."""
    parts = []
    for table, (one, many) in _NOUNS.items():
        actions = summary.get(table)
        if not actions:
            continue
        words = []
        for action in ("added", "changed", "removed"):
            count = actions.get(action)
            if count:
                shown = _REVERSED[action] if reverse else action
                noun = (one if count == 1 else many) if not words else ""
                words.append(f"{count} {noun} {shown}".replace("  ", " "))
        parts.append(", ".join(words))
    return "; ".join(parts) or "nothing"


def id_ranges(ids: list[int]) -> str:
    """``2-6, 9``."""
    ids = sorted(ids)
    out, start = [], None
    for i, value in enumerate(ids):
        if start is None:
            start = value
        if i + 1 == len(ids) or ids[i + 1] != value + 1:
            out.append(str(start) if start == value else f"{start}-{value}")
            start = None
    return ", ".join(out)


def row_dict(row: RowChange) -> dict:
    return {
        "table": row.table,
        "key": json.loads(row.key),
        "paper_id": row.paper_id,
        "action": row.action,
        "old": row.old,
        "new": row.new,
    }


def net_rows(rows: list[RowChange], library=None) -> list[RowChange]:
    """Each row once per change, as the change first found it and last left it (in the
    order first written); rows it wrote back as they were, or added and removed again,
    are left out. ``library``: fill the values of added rows from the table."""
    merged: dict[tuple[int, str, str], list[RowChange]] = {}
    for row in rows:
        merged.setdefault((row.change_id, row.table, row.key), []).append(row)
    out = []
    for (_change, table, key), its in merged.items():
        first, last = its[0], its[-1]
        if first.action == "added" and last.action == "removed":
            continue
        net = RowChange(first.change_id, table, key, first.paper_id, first.action, None, None)
        net.old = first.old
        net.new = last.new
        if first.action != "added" and last.action != "removed":
            net.action = "changed"
        elif last.action == "removed":
            net.action = "removed"
        if net.new is None and net.action != "removed" and library is not None:
            net.new = library.current_row(table, json.loads(key))
        if net.action == "changed" and net.old == net.new:
            continue
        out.append(net)
    return out


def values_of(row: RowChange) -> dict:
    """What is known of the row: its values after the change, else before, with its key's
    columns (all that the history keeps of a row added and since removed)."""
    values = dict(row.new or row.old or {})
    pk = TABLES[row.table][0]
    for column, value in zip(pk, json.loads(row.key), strict=True):
        values.setdefault(column, value)
    return values


class Names:
    """The names the log gives ids: papers by citekey, sections and tags by name."""

    def __init__(self, library, rows: list[RowChange]):
        def ids(table, column):
            return [values_of(r).get(column) for r in rows if r.table == table]

        self.papers = library.names_of(
            "papers", [r.paper_id for r in rows if r.paper_id is not None]
        )
        self.sections = library.names_of("sections", ids("placements", "section_id"))
        self.tags = library.names_of("tags", ids("paper_tags", "tag_id"))
        self.datasets = library.names_of("datasets", ids("paper_datasets", "dataset_id"))

    def paper(self, paper_id) -> str:
        return self.papers.get(paper_id) or f"paper id {paper_id}"


def describe_row(row: RowChange, names: Names) -> list[str]:
    """What one row change did, in a line or a few (a paper's changed fields one a line)."""
    one = _NOUNS[row.table][0]
    values = values_of(row)
    if row.table == "papers":
        name = values.get("citekey") or values.get("id")
        if row.action != "changed":
            return [f"paper {name} {row.action}: {_short(values.get('title'))}"]
        old, new = row.old, row.new
        return [
            f"{name} {field}: {_shown(field, old[field])} -> {_shown(field, new.get(field))}"
            for field in old
            if field not in _QUIET and old[field] != new.get(field)
        ]
    paper = names.paper(row.paper_id)
    if row.table == "placements":
        section = names.sections.get(values.get("section_id")) or "?"
        if row.action == "changed":
            return [
                f"{paper} in {section!r}: position {row.old['position']} -> {row.new['position']}"
            ]
        where = "listed in" if row.action == "added" else "unlisted from"
        position = values.get("position")
        return [f"{paper} {where} {section!r}" + (f" (position {position})" if position else "")]
    if row.table == "paper_tags":
        tag = names.tags.get(values.get("tag_id")) or "?"
        return [f"{paper} tag {tag!r} {_link_change(row, values, 'tag')}"]
    if row.table == "paper_datasets":
        dataset = names.datasets.get(values.get("dataset_id")) or "?"
        return [f"{paper} dataset {dataset!r} {_link_change(row, values, 'link')}"]
    if row.table == "aliases":
        return [f"{paper} alias {values.get('alias')!r} {row.action}"]
    label = values.get("name") or values.get("key") or row.key
    return [f"{one} {label!r} {row.action}"]


def _link_change(row: RowChange, values: dict, what: str) -> str:
    """What became of a paper's tag or dataset link: added, removed, taken off by the
    curator (a row of origin ``rejected``, remembered so it is never given again), or
    made the curator's. (An added row's values are those it has now: the history keeps
    only its key.)"""
    origin = values.get("origin")
    if row.action == "changed" and row.old.get("origin") != row.new.get("origin"):
        old = row.old.get("origin")
        if origin == "rejected":
            return "taken off (remembered)"
        if origin == "curator":
            return f"made a curator's {what}" + (" again" if old == "rejected" else "")
        return f"given by the rules (was {old})" if origin == "auto" else f"now {origin}"
    if row.action == "removed" and origin == "rejected":
        return "no longer remembered as taken off"
    if row.action == "added" and origin == "auto":
        return "added (by the rules)" if what == "tag" else "added (proposed, accepted)"
    return row.action


def _shown(field: str, value) -> str:
    """A paper's column as the log shows it: its JSON lists and objects read."""
    from igbib.store.codec import JSON_COLUMNS

    if field in JSON_COLUMNS and isinstance(value, str):
        decoded = json.loads(value)
        if field == "authors":
            from igbib.model import authors_short

            return _short(authors_short(decoded) or "(none)")
        if field == "flags":
            return ", ".join(f["code"] for f in decoded) or "(none)"
        if isinstance(decoded, list):
            return _short("; ".join(map(str, decoded)) or "(none)")
        if isinstance(decoded, dict):
            return _short(", ".join(f"{k}: {v}" for k, v in decoded.items()) or "(none)")
    return _short(value)


def _short(value, width: int = 70) -> str:
    if value is None:
        return "(none)"
    text = str(value).replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


def paper_for_log(library, ref: str) -> int:
    """The id of the paper ``ref`` names, a removed one included (by its id or key)."""
    try:
        return library.resolve(ref).id
    except NotFound:
        ids = library.papers_in_history(ref.strip())
        if len(ids) == 1:
            return ids[0]
        raise
