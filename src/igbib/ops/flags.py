"""Flags: what igbib found wrong with an entry, each with a reason a person can act on.

Most flags are derived from the paper itself (no year, a year like ``201``, no
link) or from the library (two papers given the same identifier) and are
recomputed whenever the paper or its neighbours change, so fixing the defect
clears the flag. Flags with other codes are kept as they are until the check
that set them says otherwise: ``title-mismatch`` (``igbib refresh`` found that
a paper's identifier names a paper of another title) is one.
"""

from __future__ import annotations

from igbib.ids import KINDS, LABELS
from igbib.model import Paper

DERIVED = frozenset({"bad-year", "no-year", "no-link", "no-title", "bad-identifier", "shared-id"})
TITLE_MISMATCH = "title-mismatch"


def paper_flags(paper: Paper, shared: list[tuple[str, str, list]] | None = None) -> list[dict]:
    """The flags ``paper`` should carry. ``shared``: ``(kind, value, others)`` it shares."""
    flags = [f for f in paper.flags if f["code"] not in DERIVED]
    listed = paper.listed or {}
    if paper.year is None:
        raw = listed.get("year") or paper.extra.get("year")
        if raw:
            flags.append({"code": "bad-year", "reason": f"year {raw!r} is not a valid year"})
        else:
            flags.append({"code": "no-year", "reason": "no year given"})
    if not paper.title:
        name = listed.get("name")
        reason = f"the list names it {name!r} but gives no title" if name else "no title given"
        flags.append({"code": "no-title", "reason": reason})
    no_link = not listed.get("link") and not paper.identifiers() and not paper.url
    if paper.listed is not None and no_link:
        flags.append({"code": "no-link", "reason": "the list gives no link"})
    for kind in KINDS:
        if kind in paper.extra:
            flags.append(
                {
                    "code": "bad-identifier",
                    "reason": f"{paper.extra[kind]!r} is not a valid {LABELS[kind]}",
                }
            )
    for kind, value, others in shared or []:
        names = "; ".join(f"{key} ({_short(title)})" for _, key, title in others)
        flags.append(
            {
                "code": "shared-id",
                "reason": f"{LABELS[kind]} {value} is also given for {names}: "
                "at least one link is wrong",
            }
        )
    return flags


def _short(title: str | None, width: int = 60) -> str:
    title = title or "untitled"
    return title if len(title) <= width else title[: width - 1] + "…"


def refresh_flags(library, touched: set[int]) -> dict[int, list[dict]]:
    """Recompute the flags of ``touched`` papers and of every paper whose shared-id flags
    they, or the library's other writes since the last refresh, may have changed.

    Those are found through the identifier indexes, never by reading every paper
    (:meth:`~igbib.store.papers.Papers.take_identifier_changes` says what the writes
    did): the papers whose identifiers an update changed, those sharing an identifier
    with one of them, with a touched paper, or one a write gave or renamed, and those
    holding one a write took away. Every other paper's flags are as a recomputation
    would leave them, as they were. Returns the flags of each paper looked at, by id.
    """
    changes = library.take_identifier_changes()
    touched = touched | changes.papers
    asked = {kind: set() for kind in KINDS}
    for kind, value in changes.given:
        asked[kind].add(value)
    for identifiers in library.identifiers_of(sorted(touched)).values():
        for kind, value in identifiers.items():
            asked[kind].add(value)
    shared = {kind: library.shared_identifiers(kind, asked[kind]) for kind in KINDS}
    look = set(touched)
    for by_value in shared.values():
        for members in by_value.values():
            look.update(m[0] for m in members)
    for kind, value in changes.taken:
        look.update(library.find_ids(kind, value))
    ids = sorted(look)
    identifiers = library.identifiers_of(ids)
    for kind in KINDS:  # the other identifiers of these papers, which they may share too
        more = {i[kind] for i in identifiers.values() if kind in i} - asked[kind]
        shared[kind].update(library.shared_identifiers(kind, more))
    out = {}
    for paper in library.get_papers(ids):
        its = []
        for kind, value in identifiers[paper.id].items():
            others = [m for m in shared[kind].get(value, ()) if m[0] != paper.id]
            if others:
                its.append((kind, value, others))
        flags = paper_flags(paper, its)
        if flags != paper.flags:
            library.set_flags(paper.id, flags)
        out[paper.id] = flags
    return out


def kept(flags: list[dict]) -> list[dict]:
    """The flags no recomputation would give back: those set by a check."""
    return [f for f in flags if f["code"] not in DERIVED]


def without(flags: list[dict], code: str) -> list[dict]:
    return [f for f in flags if f["code"] != code]


def title_mismatch(label: str, fetched: Paper) -> dict:
    """The flag for a paper whose identifier (``label``, ``PMID 1``) names ``fetched``."""
    return {
        "code": TITLE_MISMATCH,
        "reason": f"{label} is \u201c{fetched.title}\u201d ({fetched.source}), "
        "not the listed title: probably a wrong link",
    }


def describe(flags: list[dict]) -> str:
    """The flags in one line, as a report shows them."""
    return "; ".join(f"{f['code']}: {f['reason']}" for f in flags)
