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
from igbib.store.history import Change, RowChange


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
    """Refuse if any row the chosen changes left is not as they left it."""
    final: dict[tuple[str, str], dict | None] = {}
    for row in rows:
        final[(row.table, row.key)] = row.new
    first = min(c.id for c in chosen)
    ours = {c.id for c in chosen}
    for (table, key), left in final.items():
        now = library.current_row(table, json.loads(key))
        if now == left:
            continue
        later = [i for i in library.later_changes(table, key, first) if i not in ours]
        what = _what(table, left or now)
        subject = describe(chosen[0]) if len(chosen) == 1 else f"the {len(chosen)} changes"
        if later:
            since = ", ".join(describe(by_id[i]) if i in by_id else str(i) for i in later)
            raise Refused(
                f"cannot undo {subject}: {what} was changed since by {since}; undo that first"
            )
        raise Refused(
            f"cannot undo {subject}: {what} was changed since by another program; "
            "the history cannot say how"
        )


def _what(table: str, row: dict | None) -> str:
    row = row or {}
    if table == "papers":
        return f"paper {row.get('citekey') or row.get('id')}"
    if table == "tags":
        return f"tag {row.get('name')!r}"
    if table == "sections":
        return f"section {row.get('name')!r}"
    if table in ("placements", "paper_tags", "aliases"):
        return f"paper id {row.get('paper_id')}'s {table.replace('_', ' ')}"
    return f"a row of {table}"


def undo(library, target: int | None = None, to: int | None = None) -> list[Change]:
    """Revert as :func:`plan` says, as one new recorded change; return the changes reverted."""
    library.change_id = None  # an undo is a change of its own
    with library.transaction():
        chosen, rows = plan(library, target, to)
        library.revert(rows)
        library.mark_undo(sorted(c.id for c in chosen))
    library.change_id = None
    return chosen
