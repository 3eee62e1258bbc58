"""Flags: what igbib found wrong with an entry, each with a reason a person can act on.

Most flags are derived from the paper itself (no year, a year like ``201``, no
link) or from the library (two papers given the same identifier) and are
recomputed whenever the paper or its neighbours change, so fixing the defect
clears the flag. Flags with other codes (set by later checks, such as a title
that disagrees with PubMed) are kept as they are.
"""

from __future__ import annotations

from igbib.model import Paper

DERIVED = frozenset({"bad-year", "no-year", "no-link", "no-title", "bad-identifier", "shared-id"})
_LABELS = {"pmid": "PMID", "doi": "DOI", "pmcid": "PMCID", "arxiv": "arXiv id"}


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
        flags.append({"code": "no-title", "reason": "no title given"})
    no_link = not listed.get("link") and not paper.identifiers() and not paper.url
    if paper.listed is not None and no_link:
        flags.append({"code": "no-link", "reason": "the list gives no link"})
    for kind in ("pmid", "doi", "pmcid"):
        if kind in paper.extra:
            flags.append(
                {
                    "code": "bad-identifier",
                    "reason": f"{paper.extra[kind]!r} is not a valid {_LABELS[kind]}",
                }
            )
    for kind, value, others in shared or []:
        names = "; ".join(f"{key} ({_short(title)})" for _, key, title in others)
        flags.append(
            {
                "code": "shared-id",
                "reason": f"{_LABELS[kind]} {value} is also given for {names}: "
                "at least one link is wrong",
            }
        )
    return flags


def _short(title: str | None, width: int = 60) -> str:
    title = title or "untitled"
    return title if len(title) <= width else title[: width - 1] + "…"
